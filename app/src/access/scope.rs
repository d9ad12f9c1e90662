//! Who may act where: center scope of staff, and the consent guard that
//! keeps a minor from booking until a guardian has agreed.

use crate::model::api_token;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::session::CurrentUser;
use crate::domain::membership::{age_on, may_book, ConsentState, ADULT_AGE};
use crate::domain::people::Role;
use crate::error::AppError;
use crate::model::{account_center, consent, person};

/// Version of the guardian consent text in force.
pub const CONSENT_VERSION: i32 = 1;

pub async fn has_consent<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<bool, AppError> {
    Ok(consent::Entity::find()
        .filter(consent::Column::PersonId.eq(person_id))
        .filter(consent::Column::Version.eq(CONSENT_VERSION))
        .one(db)
        .await?
        .is_some())
}

/// Refuse booking for a minor without a guardian's consent on record.
pub async fn ensure_may_book<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    today: NaiveDate,
) -> Result<(), AppError> {
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let adult = may_book(p.birth_date, today, false);
    if adult || has_consent(db, p.id).await? {
        Ok(())
    } else {
        Err(AppError::ConsentRequired)
    }
}

/// Centers whose members a staff user may see; `None` means all (admin).
/// Front desk may serve several centers; a director has the own center.
pub async fn staff_centers<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Option<Vec<i32>>, AppError> {
    match user.role {
        Role::Admin => Ok(None),
        Role::FrontDesk | Role::Director => {
            let mut ids: Vec<i32> = account_center::Entity::find()
                .filter(account_center::Column::AccountId.eq(user.account_id))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.center_id)
                .collect();
            if ids.is_empty() {
                ids.extend(user.home_center_id);
            }
            Ok(Some(ids))
        }
        Role::Visitor | Role::Mentor => Err(AppError::Forbidden),
    }
}

/// Whether a staff user works for `center_id` (admins: every center).
/// Members and mentors never do.
pub async fn staff_covers<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: i32,
) -> Result<bool, AppError> {
    match user.role {
        Role::FrontDesk | Role::Director | Role::Admin => Ok(staff_centers(db, user)
            .await?
            .is_none_or(|cs| cs.contains(&center_id))),
        Role::Visitor | Role::Mentor => Ok(false),
    }
}

/// The consent state of a person on `today`.
pub async fn consent_state<C: ConnectionTrait>(
    db: &C,
    p: &person::Model,
    today: NaiveDate,
) -> Result<ConsentState, AppError> {
    if age_on(p.birth_date, today) >= ADULT_AGE {
        return Ok(ConsentState::NotNeeded);
    }
    Ok(if has_consent(db, p.id).await? {
        ConsentState::Given
    } else {
        ConsentState::Awaiting
    })
}

/// Of `people`, the minors on `today` whose guardian's consent is not on
/// record (one query for all of them).
pub async fn consent_missing_among<C: ConnectionTrait>(
    db: &C,
    people: &[person::Model],
    today: NaiveDate,
) -> Result<std::collections::HashSet<i32>, AppError> {
    let minors: Vec<i32> = people
        .iter()
        .filter(|p| age_on(p.birth_date, today) < ADULT_AGE)
        .map(|p| p.id)
        .collect();
    let given: std::collections::HashSet<i32> = consent::Entity::find()
        .filter(consent::Column::PersonId.is_in(minors.clone()))
        .filter(consent::Column::Version.eq(CONSENT_VERSION))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.person_id)
        .collect();
    Ok(minors
        .into_iter()
        .filter(|id| !given.contains(id))
        .collect())
}

/// Longest name or phone search the desk takes (longer never matches a
/// real name, and SQLite refuses LIKE patterns past 50,000 bytes).
pub const MAX_SEARCH_CHARS: usize = 100;

/// Refuse a search text longer than [`MAX_SEARCH_CHARS`].
pub fn check_search(query: &str) -> Result<&str, AppError> {
    let q = query.trim();
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::Invalid {
            field: "query".into(),
            problem: crate::error::Problem::TooLong,
        });
    }
    Ok(q)
}

/// Accounts that belong to API tokens (left out of the staff list).
pub fn token_accounts() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(api_token::Column::AccountId)
        .from(api_token::Entity)
        .to_owned()
}

/// Whether a member whose home center is `home` is within a staff scope from
/// [`staff_centers`] (`None`: every center).
pub fn scope_covers(scope: Option<&[i32]>, home: Option<i32>) -> bool {
    scope.is_none_or(|centers| home.is_some_and(|c| centers.contains(&c)))
}

/// The visitor account of `person_id` when it belongs to one of the staff
/// user's centers; `NotFound` otherwise (a member of another center is
/// treated as unknown).
pub async fn visitor_in_scope<C: ConnectionTrait>(
    db: &C,
    staff: &CurrentUser,
    person_id: i32,
) -> Result<crate::model::account::Model, AppError> {
    use crate::model::account;
    let scope = staff_centers(db, staff).await?;
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .filter(account::Column::Role.eq(Role::Visitor))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope_covers(scope.as_deref(), acc.home_center_id) {
        return Err(AppError::NotFound);
    }
    Ok(acc)
}
