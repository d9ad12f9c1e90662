//! Account operations (server only): sign-in rate limiting, password change,
//! staff-issued reset codes, the member's data export and deletion.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;

use super::registration::MIN_PASSWORD_LEN;
use crate::access::session::{authenticate, hash_password, CurrentUser};
use crate::access::staff_centers;
use crate::domain::login::LoginId;
use crate::domain::people::Role;
use crate::domain::ratelimit::{
    wait_minutes, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_LOGIN, WINDOW_MINUTES,
};
use crate::error::{AppError, Problem};
use crate::model::{
    account, booking, check_in, consent, login_attempt, pass, person, reset_code, session,
};

/// Minutes a staff-issued reset code stays valid.
pub const RESET_CODE_MINUTES: i64 = 30;

fn login_subject(login: &str) -> String {
    match LoginId::parse(login) {
        Some(LoginId::Email(e)) => format!("login:{e}"),
        Some(LoginId::Phone(p)) => format!("login:{p}"),
        None => format!("login:{}", login.trim().to_lowercase()),
    }
}

async fn recent<C: ConnectionTrait>(
    db: &C,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, bool)>, AppError> {
    Ok(login_attempt::Entity::find()
        .filter(login_attempt::Column::Subject.eq(subject))
        .filter(login_attempt::Column::AttemptedAt.gt(now - Duration::minutes(WINDOW_MINUTES)))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .order_by_desc(login_attempt::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.attempted_at, a.succeeded))
        .collect())
}

async fn record<C: ConnectionTrait>(
    db: &C,
    subject: String,
    now: DateTime<Utc>,
    ok: bool,
) -> Result<(), AppError> {
    login_attempt::ActiveModel {
        subject: Set(subject),
        attempted_at: Set(now),
        succeeded: Set(ok),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Refuse while the login or the client address is locked out.
pub async fn check_rate_limit(
    db: &DatabaseConnection,
    login: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_subject(db, &login_subject(login), ip, now).await
}

/// Refuse while a subject (`kind:value`, e.g. a child's login for guardian
/// codes) or the client address is locked out.
pub async fn check_subject(
    db: &DatabaseConnection,
    subject: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let by_subject = wait_minutes(
        &recent(db, subject, now).await?,
        now,
        MAX_FAILURES_PER_LOGIN,
    );
    let by_ip = wait_minutes(
        &recent(db, &format!("ip:{ip}"), now).await?,
        now,
        MAX_FAILURES_PER_ADDRESS,
    );
    match by_subject.max(by_ip) {
        Some(m) => Err(AppError::RateLimited {
            retry_after_minutes: m,
        }),
        None => Ok(()),
    }
}

/// Count an attempt against a subject (given as `kind:value`) and an address.
pub async fn record_attempt(
    db: &DatabaseConnection,
    subject: &str,
    ip: &str,
    now: DateTime<Utc>,
    ok: bool,
) -> Result<(), AppError> {
    record(db, subject.to_string(), now, ok).await?;
    record(db, format!("ip:{ip}"), now, ok).await
}

/// Sign in with rate limiting per login and per client address. Attempts are
/// kept in the database, so several app instances share the limits.
pub async fn sign_in(
    db: &DatabaseConnection,
    login: &str,
    password: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<CurrentUser, AppError> {
    check_rate_limit(db, login, ip, now).await?;
    let result = authenticate(db, login, password).await;
    let ok = result.is_ok();
    if matches!(result, Ok(_) | Err(AppError::InvalidCredentials)) {
        record_attempt(db, &login_subject(login), ip, now, ok).await?;
    }
    // Old attempts are of no further use.
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    result
}

fn set_password_checked(new_password: &str) -> Result<String, AppError> {
    if new_password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid {
            field: "new_password".into(),
            problem: Problem::PasswordTooShort,
        });
    }
    Ok(hash_password(new_password))
}

/// Change the signed-in user's password; other sessions are signed out.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &CurrentUser,
    current: &str,
    new_password: &str,
    keep_session_token_hash: Option<String>,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::access::session::verify_password_hash(&acc.password_hash, current) {
        return Err(AppError::Invalid {
            field: "current_password".into(),
            problem: Problem::WrongPassword,
        });
    }
    let hash = set_password_checked(new_password)?;
    let txn = db.begin().await?;
    let mut a = acc.into_active_model();
    a.password_hash = Set(hash);
    a.update(&txn).await?;
    let mut others =
        session::Entity::delete_many().filter(session::Column::AccountId.eq(user.account_id));
    if let Some(keep) = keep_session_token_hash {
        others = others.filter(session::Column::TokenHash.ne(keep));
    }
    others.exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Staff issue a one-time reset code for a member of their centers, after
/// checking identity in person. Returns the code to read out.
pub async fn issue_reset_code(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let scope = staff_centers(db, staff).await?;
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if acc.role != Role::Visitor.as_str() {
        // Staff passwords are reset by an admin, not at the desk.
        if staff.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
    }
    if let Some(centers) = scope {
        if !acc.home_center_id.is_some_and(|c| centers.contains(&c)) {
            return Err(AppError::NotFound);
        }
    }
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..8)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    let txn = db.begin().await?;
    // A new code replaces any earlier unused one.
    reset_code::Entity::delete_many()
        .filter(reset_code::Column::AccountId.eq(acc.id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    reset_code::ActiveModel {
        account_id: Set(acc.id),
        code_hash: Set(hash_password(&code)),
        issued_by: Set(staff.account_id),
        expires_at: Set(now + Duration::minutes(RESET_CODE_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        staff,
        acc.home_center_id,
        crate::audit::dto::AuditKind::ResetCodeIssued,
        crate::audit::service::member_subject(acc.person_id),
        format!("account role {}", acc.role),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(code)
}

/// Set a new password with a reset code. Wrong codes count as failed
/// sign-ins for the rate limit; success ends all sessions of the account.
pub async fn reset_password(
    db: &DatabaseConnection,
    login: &str,
    code: &str,
    new_password: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_rate_limit(db, login, ip, now).await?;
    let hash = set_password_checked(new_password)?;
    let acc = crate::access::session::account_by_login(db, login).await?;
    let valid = match &acc {
        Some(a) => reset_code::Entity::find()
            .filter(reset_code::Column::AccountId.eq(a.id))
            .filter(reset_code::Column::UsedAt.is_null())
            .filter(reset_code::Column::ExpiresAt.gt(now))
            .all(db)
            .await?
            .into_iter()
            .find(|r| crate::access::session::verify_password_hash(&r.code_hash, code.trim())),
        None => None,
    };
    let (Some(acc), Some(rc)) = (acc, valid) else {
        record_attempt(db, &login_subject(login), ip, now, false).await?;
        return Err(AppError::InvalidCredentials);
    };
    let txn = db.begin().await?;
    let mut r = rc.into_active_model();
    r.used_at = Set(Some(now));
    r.update(&txn).await?;
    let account_id = acc.id;
    let mut a = acc.into_active_model();
    a.password_hash = Set(hash);
    a.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Serialize)]
struct ExportBooking {
    space_id: i32,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    party_size: i32,
    status: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct ExportCheckIn {
    center_id: i32,
    space_id: Option<i32>,
    scanned_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct ExportConsent {
    version: i32,
    guardian_name: String,
    guardian_phone: String,
    method: String,
    recorded_at: DateTime<Utc>,
}

/// Everything Ortalyq keeps about the member, as pretty JSON.
pub async fn export_my_data(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<String, AppError> {
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let acc = account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let bookings: Vec<ExportBooking> = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(p.id))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|b| ExportBooking {
            space_id: b.space_id,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            party_size: b.party_size,
            status: b.status,
            created_at: b.created_at,
        })
        .collect();
    let check_ins: Vec<ExportCheckIn> = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(p.id))
        .order_by_asc(check_in::Column::ScannedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ExportCheckIn {
            center_id: c.center_id,
            space_id: c.space_id,
            scanned_at: c.scanned_at,
        })
        .collect();
    let consents: Vec<ExportConsent> = consent::Entity::find()
        .filter(consent::Column::PersonId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| ExportConsent {
            version: c.version,
            guardian_name: c.guardian_name,
            guardian_phone: c.guardian_phone,
            method: c.method,
            recorded_at: c.recorded_at,
        })
        .collect();
    let doc = serde_json::json!({
        "format": "ortalyq-member-export-v1",
        "person": {
            "member_number": crate::domain::membership::member_number(p.id),
            "full_name": p.full_name,
            "birth_date": p.birth_date,
            "phone": p.phone,
            "email": p.email,
            "iin": p.iin,
            "preferred_lang": p.preferred_lang,
            "settlement": p.settlement,
            "occupation": p.occupation,
            "education": p.education,
            "guardian_name": p.guardian_name,
            "guardian_phone": p.guardian_phone,
            "guardian_email": p.guardian_email,
            "created_at": p.created_at,
        },
        "account": { "role": acc.role, "home_center_id": acc.home_center_id, "created_at": acc.created_at },
        "bookings": bookings,
        "check_ins": check_ins,
        "guardian_consents": consents,
        "program_applications": crate::programs::service::export_for(db, p.id).await?,
    });
    serde_json::to_string_pretty(&doc).map_err(|_| AppError::Internal)
}

/// Delete on request: identifying data is erased, the account can no longer
/// sign in, future bookings are cancelled and passes revoked; the history of
/// visits stays as anonymous aggregates (birth date kept to the year for age
/// bands; settlement and occupation kept for reach figures).
pub async fn delete_my_account(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use chrono::Datelike;
    let txn = db.begin().await?;
    let p = person::Entity::find_by_id(user.person_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let year_only =
        chrono::NaiveDate::from_ymd_opt(p.birth_date.year(), 7, 1).unwrap_or(p.birth_date);
    let mut ap = p.into_active_model();
    ap.full_name = Set(format!("Deleted member {}", user.person_id));
    ap.phone = Set(None);
    ap.email = Set(None);
    ap.iin = Set(None);
    ap.guardian_name = Set(None);
    ap.guardian_phone = Set(None);
    ap.guardian_email = Set(None);
    ap.birth_date = Set(year_only);
    ap.update(&txn).await?;
    consent::Entity::delete_many()
        .filter(consent::Column::PersonId.eq(user.person_id))
        .exec(&txn)
        .await?;
    crate::programs::service::erase_for(&txn, user.person_id, now).await?;
    // Future bookings are cancelled, except those the member already came to.
    let used_passes: Vec<i32> = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(user.person_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.pass_id)
        .collect();
    let attended: Vec<i32> = pass::Entity::find()
        .filter(pass::Column::Id.is_in(used_passes))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|p| p.booking_id)
        .collect();
    booking::Entity::update_many()
        .col_expr(
            booking::Column::Status,
            sea_orm::sea_query::Expr::value("cancelled"),
        )
        .filter(booking::Column::PersonId.eq(user.person_id))
        .filter(booking::Column::StartsAt.gt(now))
        .filter(booking::Column::Id.is_not_in(attended))
        .exec(&txn)
        .await?;
    pass::Entity::update_many()
        .col_expr(
            pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(pass::Column::PersonId.eq(user.person_id))
        .filter(pass::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let acc = account::Entity::find_by_id(user.account_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut aa = acc.into_active_model();
    aa.password_hash = Set("!deleted".into());
    aa.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(user.account_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
