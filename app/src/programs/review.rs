//! Deciding applications: the review queue of the programs a person may
//! decide, and the decision itself.

use super::dto::*;
use super::service::{
    applicant_of, center_name, centers_by_id, counts_of, invalid, name_of, stamp,
};
use crate::access::session::CurrentUser;
use crate::access::{staff_centers, staff_covers};
use crate::centers::service::center_tz;
use crate::domain::codes::AppStatus;
use crate::domain::membership::age_on;
use crate::error::{AppError, Problem};
use crate::i18n::{program_text, Locale, ProgramText};
use crate::model::{self, person, program, program_application as application};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// Programs of the centers a staff user works for.
pub(super) async fn scoped_programs<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Vec<program::Model>, AppError> {
    let scope = staff_centers(db, user).await?;
    let mut q = program::Entity::find().order_by_desc(program::Column::Id);
    if let Some(cs) = scope {
        q = q.filter(program::Column::CenterId.is_in(cs));
    }
    Ok(q.all(db).await?)
}

/// Submitted applications to programs of the caller's centers, oldest first.
pub async fn review_queue(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<ReviewRowDto>, AppError> {
    user.require(|r| r.can_scan())?;
    let programs: HashMap<i32, program::Model> = scoped_programs(db, user)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let ids: Vec<i32> = programs.keys().copied().collect();
    let apps = application::Entity::find()
        .filter(application::Column::ProgramId.is_in(ids.clone()))
        .filter(application::Column::Status.eq(AppStatus::Submitted))
        .order_by_asc(application::Column::CreatedAt)
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(apps.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let centers = centers_by_id(db).await?;
    let counts = counts_of(db, ids).await?;
    let mut out = Vec::with_capacity(apps.len());
    for a in apps {
        let (Some(p), Some(person)) = (programs.get(&a.program_id), people.get(&a.person_id))
        else {
            continue;
        };
        let Some(c) = centers.get(&p.center_id) else {
            continue;
        };
        let tz = center_tz(c);
        let accepted = counts.get(&p.id).map(|c| c.0).unwrap_or(0) as i32;
        let left = (p.capacity - accepted).max(0);
        let facts = applicant_of(person);
        out.push(ReviewRowDto {
            id: a.id,
            program_id: p.id,
            program_name: name_of(p, l),
            center_name: center_name(c, l),
            applicant: person.full_name.clone(),
            age: age_on(person.birth_date, now.with_timezone(&tz).date_naive()),
            education: facts.education.label(l).into(),
            occupation: facts.occupation.label(l).into(),
            settlement: facts.settlement.label(l).into(),
            motivation: a.motivation.clone(),
            submitted: stamp(a.created_at, tz),
            places: program_text(
                l,
                ProgramText::Places {
                    left,
                    total: p.capacity,
                },
            ),
            full: left == 0,
        });
    }
    Ok(out)
}

/// Accept or reject a submitted application (front desk, director of the
/// program's center, admin). Accepting takes a cohort place: the program
/// row is locked, so of two staff accepting the last place at once one wins
/// and the other is told the cohort is full. A rejection needs a reason,
/// which the applicant sees.
pub async fn decide(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    accept: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<application::Model, AppError> {
    user.require(|r| r.can_scan())?;
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let program_id = application::Entity::find_by_id(application_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .program_id;
    // Lock order: the program first, then the application.
    let p = model::for_update(program::Entity::find_by_id(program_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(&txn, user, p.center_id).await? {
        return Err(AppError::NotFound);
    }
    let a = model::for_update(application::Entity::find_by_id(application_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.status != AppStatus::Submitted {
        return Err(AppError::AlreadyDecided);
    }
    if accept {
        let taken = application::Entity::find()
            .filter(application::Column::ProgramId.eq(p.id))
            .filter(application::Column::Status.eq(AppStatus::Accepted))
            .count(&txn)
            .await?;
        if taken >= p.capacity.max(0) as u64 {
            return Err(AppError::CohortFull);
        }
    }
    let mut am = a.into_active_model();
    am.status = Set(if accept {
        AppStatus::Accepted
    } else {
        AppStatus::Rejected
    });
    am.decided_by = Set(Some(user.account_id));
    am.decided_at = Set(Some(now));
    am.decision_reason = Set((!reason.is_empty()).then(|| reason.chars().take(300).collect()));
    let a = am.update(&txn).await?;
    crate::notify::outbox::to_person(
        &txn,
        a.person_id,
        Some(p.center_id),
        if accept {
            "email.application_accepted"
        } else {
            "email.application_rejected"
        },
        None,
        now,
        |who, l| {
            let program = crate::i18n::pick(l, &p.name_kk, &p.name_ru, &p.name_en);
            let (subject, body) =
                crate::notify::templates::mail_application(l, accept, program, reason);
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(
                    l,
                    who.full_name.split_whitespace().next().unwrap_or_default(),
                    &body,
                ),
                attachment: None,
                short: Some(crate::notify::templates::sms_application(
                    l, accept, program, reason,
                )),
            }
        },
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}
