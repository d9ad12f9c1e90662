//! Admin: staff accounts with roles and centers (server only).

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set,
};

use super::dto::{StaffForm, StaffRowDto};
use crate::access::session::{hash_password, CurrentUser};
use crate::domain::login::LoginId;
use crate::domain::membership::{eligibility, Eligibility};
use crate::domain::people::Role;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::{account, account_center, center, person};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Every staff account, as an admin sees them (without a viewer: none is
/// marked manageable). See `offboarding::staff_page` for a viewer's page.
pub async fn list_staff(db: &DatabaseConnection, l: Locale) -> Result<Vec<StaffRowDto>, AppError> {
    super::offboarding::staff_rows(db, None, l).await
}

fn initial_password() -> String {
    // No look-alike characters (0/O, 1/l/I) so it can be read out at a desk.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Create an account; returns its initial password.
pub async fn create_account(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    f: &StaffForm,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let n = NewAccount::parse(f, today)?;
    let txn = crate::model::begin_write(db).await?;
    let known = center::Entity::find()
        .filter(center::Column::Id.is_in(n.centers.clone()))
        .all(&txn)
        .await?;
    if known.len() != n.centers.len() {
        return Err(invalid("centers", Problem::Required));
    }
    for c in &known {
        crate::centers::service::ensure_active_center(c, "centers")?;
    }
    let mut dup = Condition::any();
    if let Some(e) = &n.email {
        dup = dup.add(person::Column::Email.eq(e.clone()));
    }
    if let Some(p) = &n.phone {
        dup = dup.add(person::Column::Phone.eq(p.clone()));
    }
    if person::Entity::find()
        .filter(dup)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::AlreadyRegistered);
    }
    let p = person::ActiveModel {
        full_name: Set(n.full_name.clone()),
        birth_date: Set(n.birth_date),
        phone: Set(n.phone.clone()),
        email: Set(n.email.clone()),
        preferred_lang: Set(crate::domain::lang::Locale::Kk),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set(crate::domain::people::Settlement::City),
        occupation: Set(crate::domain::people::Occupation::Employed),
        education: Set(crate::domain::people::Education::Bachelor),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(n.admitted_outside.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let password = initial_password();
    let a = account::ActiveModel {
        person_id: Set(p.id),
        password_hash: Set(hash_password(&password)),
        role: Set(n.role),
        home_center_id: Set(n.centers.first().copied()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for c in &n.centers {
        account_center::ActiveModel {
            account_id: Set(a.id),
            center_id: Set(*c),
        }
        .insert(&txn)
        .await?;
    }
    crate::audit::service::record(
        &txn,
        admin,
        n.centers.first().copied(),
        crate::audit::dto::AuditKind::AccountCreated,
        format!(
            "{} ({})",
            crate::audit::service::member_subject(p.id),
            p.full_name
        ),
        n.audit_detail(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(password)
}

/// A staff form, checked: everything but what needs the database.
struct NewAccount {
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    role: Role,
    birth_date: NaiveDate,
    /// Distinct, in the order given; the first is the home center.
    centers: Vec<i32>,
    /// Why a member outside 14–35 was admitted.
    admitted_outside: Option<String>,
}

impl NewAccount {
    fn parse(f: &StaffForm, today: NaiveDate) -> Result<Self, AppError> {
        let full_name = f.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if full_name.chars().count() < 2 {
            return Err(invalid("full_name", Problem::Required));
        }
        let email = match f.email.trim() {
            "" => None,
            e => match LoginId::parse(e) {
                Some(LoginId::Email(e)) => Some(e),
                _ => return Err(invalid("email", Problem::Email)),
            },
        };
        let phone = match f.phone.trim() {
            "" => None,
            p => match LoginId::parse(p) {
                Some(LoginId::Phone(p)) => Some(p),
                _ => return Err(invalid("phone", Problem::Phone)),
            },
        };
        if email.is_none() && phone.is_none() {
            return Err(invalid("email", Problem::PhoneOrEmail));
        }
        let role = Role::parse(&f.role).ok_or_else(|| invalid("role", Problem::Required))?;
        let birth_date = NaiveDate::parse_from_str(f.birth_date.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today)
            .ok_or_else(|| invalid("birth_date", Problem::Date))?;
        let mut centers: Vec<i32> = Vec::new();
        for c in &f.centers {
            let id = c
                .trim()
                .parse::<i32>()
                .map_err(|_| invalid("centers", Problem::Required))?;
            if !centers.contains(&id) {
                centers.push(id);
            }
        }
        if role != Role::Admin && centers.is_empty() {
            return Err(invalid("centers", Problem::Required));
        }
        // Members (and mentors, who use the member side too) are 14–35
        // unless an admin records why not.
        let reason = f.override_reason.trim();
        let outside = matches!(
            eligibility(birth_date, today),
            Eligibility::TooYoung | Eligibility::TooOld
        );
        if matches!(role, Role::Visitor | Role::Mentor) && outside && reason.is_empty() {
            return Err(invalid("override_reason", Problem::Required));
        }
        Ok(NewAccount {
            full_name,
            email,
            phone,
            role,
            birth_date,
            centers,
            admitted_outside: (outside && !reason.is_empty()).then(|| reason.to_string()),
        })
    }

    /// `role director, centers [1, 2]` (and why a member outside 14–35 was
    /// admitted) for the audit log.
    fn audit_detail(&self) -> String {
        let centers: Vec<String> = self.centers.iter().map(|c| c.to_string()).collect();
        let mut detail = format!(
            "role {}, centers [{}]",
            self.role.as_str(),
            centers.join(", ")
        );
        if let Some(reason) = &self.admitted_outside {
            detail.push_str(&format!(", admitted outside 14-35: {reason}"));
        }
        detail
    }
}
