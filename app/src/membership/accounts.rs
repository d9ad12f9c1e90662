//! Account operations (server only): sign-in rate limiting, password change,
//! staff-issued reset codes, the member's data export and deletion.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::registration::MIN_PASSWORD_LEN;
use crate::access::session::{authenticate, hash_password, CurrentUser};
use crate::access::staff_centers;
use crate::domain::login::LoginId;
use crate::domain::people::Role;
use crate::domain::ratelimit::{
    address_key, wait_minutes, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_LOGIN, WINDOW_MINUTES,
};
use crate::error::{AppError, Problem};
use crate::model::{account, login_attempt, reset_code, session};

/// Minutes a staff-issued reset code stays valid.
pub const RESET_CODE_MINUTES: i64 = 30;

/// A login as its counters know it, whatever the spelling:
/// `8 701 000 00 05`, `+77010000005` and `7010000005` are one phone.
pub(super) fn normalized_login(login: &str) -> String {
    match LoginId::parse(login) {
        Some(LoginId::Email(e)) => e,
        Some(LoginId::Phone(p)) => p,
        None => login.trim().to_lowercase(),
    }
}

fn login_subject(login: &str) -> String {
    format!("login:{}", normalized_login(login))
}

/// Failed attempts against a subject since a moment.
pub(super) async fn failures_since<C: ConnectionTrait>(
    db: &C,
    subject: &str,
    since: DateTime<Utc>,
) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(login_attempt::Entity::find()
        .filter(login_attempt::Column::Subject.eq(subject))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gte(since))
        .count(db)
        .await?)
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
        &recent(db, &format!("ip:{}", address_key(ip)), now).await?,
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
    record(db, format!("ip:{}", address_key(ip)), now, ok).await
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
    if !crate::access::session::verify_off_thread(acc.password_hash.clone(), current.to_string())
        .await
    {
        return Err(AppError::Invalid {
            field: "current_password".into(),
            problem: Problem::WrongPassword,
        });
    }
    let hash = set_password_checked(new_password)?;
    let txn = crate::model::begin_write(db).await?;
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
    if acc.role != Role::Visitor {
        // Staff passwords are reset by an admin, not at the desk.
        if staff.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
    }
    if !crate::access::scope_covers(scope.as_deref(), acc.home_center_id) {
        return Err(AppError::NotFound);
    }
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..8)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    let txn = crate::model::begin_write(db).await?;
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
        format!("account role {}", acc.role.as_str()),
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
        Some(a) => {
            let mut live = reset_code::Entity::find()
                .filter(reset_code::Column::AccountId.eq(a.id))
                .filter(reset_code::Column::UsedAt.is_null())
                .filter(reset_code::Column::ExpiresAt.gt(now))
                .all(db)
                .await?;
            let hashes = live.iter().map(|r| r.code_hash.clone()).collect();
            crate::access::session::matching_hash(hashes, code.to_string())
                .await
                .map(|i| live.swap_remove(i))
        }
        None => None,
    };
    let (Some(acc), Some(rc)) = (acc, valid) else {
        record_attempt(db, &login_subject(login), ip, now, false).await?;
        return Err(AppError::InvalidCredentials);
    };
    let txn = crate::model::begin_write(db).await?;
    let mut r = rc.into_active_model();
    r.used_at = Set(Some(now));
    r.update(&txn).await?;
    let account_id = acc.id;
    let mut a = acc.into_active_model();
    a.password_hash = Set(hash);
    // A code reached the member (from the desk or the registration), which
    // confirms an unconfirmed registration too.
    a.pending_since = Set(None);
    a.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
