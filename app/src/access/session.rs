//! Accounts and server-side sessions.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::dto::UserDto;
use crate::domain::login::LoginId;
use crate::domain::people::Role;
use crate::domain::sessions::{
    SessionPolicy, SessionTimes, Verdict, ROTATION_GRACE_SECONDS, VISITOR_DAYS,
};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{account, person, session};

pub const SESSION_COOKIE: &str = "oq_session";
pub const LANG_COOKIE: &str = "oq_lang";
/// A visitor's session lifetime (see `domain::sessions` for staff).
pub const SESSION_DAYS: i64 = VISITOR_DAYS;

/// The authenticated caller of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub account_id: i32,
    pub person_id: i32,
    pub full_name: String,
    pub role: Role,
    pub home_center_id: Option<i32>,
    pub lang: Locale,
}

/// The caller of a request as the server's session middleware found them
/// (a request extension): the pages and server fns of that request use it
/// instead of looking the session up again, once per resource.
#[derive(Clone, Debug)]
pub struct RequestUser(pub Option<CurrentUser>);

impl CurrentUser {
    pub fn first_name(&self) -> String {
        self.full_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    pub fn to_dto(&self, needs_consent: bool) -> UserDto {
        UserDto {
            first_name: self.first_name(),
            role: self.role,
            home_center_id: self.home_center_id,
            lang: self.lang,
            needs_consent,
        }
    }

    /// Refuse unless the role satisfies `allowed`.
    pub fn require(&self, allowed: impl Fn(Role) -> bool) -> Result<(), AppError> {
        if allowed(self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default params cannot fail")
        .to_string()
}

pub fn verify_password_hash(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// SHA-256 hex of a session token, as stored.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn load_user<C: ConnectionTrait>(
    db: &C,
    acc: account::Model,
) -> Result<CurrentUser, AppError> {
    let p = person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    user_of(acc, p)
}

/// The user of an account, read with its person in one query (`None`: no
/// such account).
pub async fn load_user_by_account<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
) -> Result<Option<CurrentUser>, AppError> {
    use sea_orm::{JoinType, QuerySelect};
    let person_of = account::Entity::belongs_to(person::Entity)
        .from(account::Column::PersonId)
        .to(person::Column::Id)
        .into();
    let Some((acc, p)) = account::Entity::find_by_id(account_id)
        .select_also(person::Entity)
        .join(JoinType::InnerJoin, person_of)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user_of(acc, p.ok_or(AppError::Internal)?).map(Some)
}

fn user_of(acc: account::Model, p: person::Model) -> Result<CurrentUser, AppError> {
    Ok(CurrentUser {
        account_id: acc.id,
        person_id: p.id,
        full_name: p.full_name,
        role: acc.role,
        home_center_id: acc.home_center_id,
        lang: p.preferred_lang,
    })
}

/// The person a login (email or phone, in any common spelling) belongs to.
pub async fn person_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<person::Model>, AppError> {
    let filter = match LoginId::parse(login) {
        Some(LoginId::Email(e)) => person::Column::Email.eq(e),
        Some(LoginId::Phone(p)) => person::Column::Phone.eq(p),
        None => return Ok(None),
    };
    Ok(person::Entity::find().filter(filter).one(db).await?)
}

/// The account a login belongs to.
pub async fn account_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<account::Model>, AppError> {
    Ok(match person_by_login(db, login).await? {
        Some(p) => {
            account::Entity::find()
                .filter(account::Column::PersonId.eq(p.id))
                .one(db)
                .await?
        }
        None => None,
    })
}

/// `verify_password_hash` on the blocking pool: argon2 costs tens of
/// milliseconds of CPU, and a burst of guesses must not stall the async
/// workers that serve everyone else.
pub async fn verify_off_thread(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password_hash(&hash, &password))
        .await
        .unwrap_or(false)
}

/// `hash_password` on the blocking pool (see `verify_off_thread`).
pub async fn hash_off_thread(password: String) -> String {
    match tokio::task::spawn_blocking(move || hash_password(&password)).await {
        Ok(h) => h,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The index of the first hash that `code` matches, checked on the blocking
/// pool (one-time codes: a person may hold a few live ones).
pub async fn matching_hash(hashes: Vec<String>, code: String) -> Option<usize> {
    tokio::task::spawn_blocking(move || {
        hashes
            .iter()
            .position(|h| verify_password_hash(h, code.trim()))
    })
    .await
    .unwrap_or(None)
}

/// Check a login and password. Unknown logins take as long as wrong
/// passwords, so the answer does not reveal who has an account.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    login: &str,
    password: &str,
) -> Result<CurrentUser, AppError> {
    let found = account_by_login(db, login).await?;
    // Unknown logins verify against a dummy hash: same time, same answer.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = match &found {
        Some(acc) => acc.password_hash.clone(),
        None => DUMMY
            .get_or_init(|| hash_password("not-a-real-password"))
            .clone(),
    };
    let ok = verify_off_thread(hash, password.to_string()).await;
    match found {
        // A disabled account gets the answer of a wrong password: whether
        // it exists is not told. Only the holder of the password learns
        // that a registration waits for its code.
        Some(acc) if ok && acc.disabled_at.is_none() && acc.pending_since.is_some() => {
            Err(AppError::ContactUnconfirmed)
        }
        Some(acc) if ok && acc.disabled_at.is_none() => load_user(db, acc).await,
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Start a session; returns the secret cookie token (only its hash is
/// stored). It may last a visitor's lifetime; the lookup applies the staff
/// limits by the account's role (see [`open_session`]).
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    insert_session(db, account_id, now, Duration::days(VISITOR_DAYS)).await
}

/// Start a session for a signed-in user, lasting as long as the role's
/// sessions may (12 hours for staff); returns the token and that lifetime.
pub async fn open_session<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<(String, Duration), AppError> {
    let lifetime = policy.lifetime(user.role);
    let token = insert_session(db, user.account_id, now, lifetime).await?;
    Ok((token, lifetime))
}

async fn insert_session<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    now: DateTime<Utc>,
    lifetime: Duration,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = data_encoding::BASE64URL_NOPAD.encode(&bytes);
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        last_seen_at: Set(Some(now)),
        rotated_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user behind a session token under the default limits (see
/// [`session_user_with`]).
pub async fn session_user<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, AppError> {
    session_user_with(db, token, now, SessionPolicy::default()).await
}

/// The user behind a session token, if the session is live under `policy`
/// and the account is not disabled; an ended session is deleted. The use is
/// recorded (at most once a minute) for the staff idle limit.
pub async fn session_user_with<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<CurrentUser>, AppError> {
    match live_session(db, token, now, policy).await? {
        Some(live) => user_of(live.account, live.person).map(Some),
        None => Ok(None),
    }
}

/// A session found live: its row, account and person (read in one query),
/// and whether its token is due for rotation.
struct Live {
    session: session::Model,
    account: account::Model,
    person: person::Model,
    due: bool,
}

/// The live session of a token, if any; an ended one is deleted.
async fn live_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<Live>, AppError> {
    // Session, account and person in one round trip: every signed-in
    // request starts here.
    let Some((s, acc, p)) = session::Entity::find()
        .find_also_related(account::Entity)
        .and_also_related(person::Entity)
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let verdict = match &acc {
        Some(a) if a.disabled_at.is_none() => policy.verdict(
            a.role,
            SessionTimes {
                created_at: s.created_at,
                expires_at: s.expires_at,
                last_seen_at: s.last_seen_at,
                rotated_at: s.rotated_at,
            },
            now,
        ),
        _ => Verdict::Ended,
    };
    match (verdict, acc, p) {
        (Verdict::Live { touch, rotate }, Some(account), Some(person)) => {
            if touch {
                session::Entity::update_many()
                    .col_expr(session::Column::LastSeenAt, Expr::value(Some(now)))
                    .filter(session::Column::Id.eq(s.id))
                    .exec(db)
                    .await?;
            }
            Ok(Some(Live {
                session: s,
                account,
                person,
                due: rotate,
            }))
        }
        _ => {
            session::Entity::delete_by_id(s.id).exec(db).await?;
            Ok(None)
        }
    }
}

/// A visitor's session token due for rotation replaced by a new one: the
/// new token (to set as the cookie) and its lifetime, or `None` when no
/// rotation is due (or a parallel request already did it). The old token
/// keeps working for [`ROTATION_GRACE_SECONDS`] and is refused after.
pub async fn rotate_session(
    db: &sea_orm::DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<(String, Duration)>, AppError> {
    match live_session(db, token, now, policy).await? {
        Some(live) if live.due => rotate(db, &live.session, &live.account, now, policy).await,
        _ => Ok(None),
    }
}

/// A request's session checked once: its user (as [`session_user_with`])
/// and, for a token due for rotation, the new token and its lifetime (as
/// [`rotate_session`]).
pub async fn check_session(
    db: &sea_orm::DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<(Option<CurrentUser>, Option<(String, Duration)>), AppError> {
    let Some(live) = live_session(db, token, now, policy).await? else {
        return Ok((None, None));
    };
    let renewed = if live.due {
        rotate(db, &live.session, &live.account, now, policy).await?
    } else {
        None
    };
    Ok((Some(user_of(live.account, live.person)?), renewed))
}

async fn rotate(
    db: &sea_orm::DatabaseConnection,
    s: &session::Model,
    acc: &account::Model,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<(String, Duration)>, AppError> {
    let txn = crate::model::begin_write(db).await?;
    // Claim the rotation: of two requests racing here, one wins.
    let claimed = session::Entity::update_many()
        .col_expr(session::Column::RotatedAt, Expr::value(Some(now)))
        .col_expr(
            session::Column::ExpiresAt,
            Expr::value(
                s.expires_at
                    .min(now + Duration::seconds(ROTATION_GRACE_SECONDS)),
            ),
        )
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::RotatedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    let lifetime = policy.lifetime(acc.role);
    let token = insert_session(&txn, acc.id, now, lifetime).await?;
    txn.commit().await?;
    Ok(Some((token, lifetime)))
}

/// End every session of an account (offboarding, a role change that
/// must take effect at once).
pub async fn end_all_sessions<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn end_session<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// A `Set-Cookie` value: the whole site, `SameSite=Lax`, `HttpOnly` and
/// `Secure` as asked.
pub fn cookie_line(
    name: &str,
    value: &str,
    max_age_secs: i64,
    http_only: bool,
    secure: bool,
) -> String {
    let mut c = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Read one cookie from a `Cookie` request header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_is_argon2id_and_verifies() {
        let h = hash_password("s3cret pass");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password_hash(&h, "s3cret pass"));
        assert!(!verify_password_hash(&h, "s3cret pas"));
        assert!(!verify_password_hash("garbage", "x"));
    }

    #[test]
    fn cookie_parsing() {
        let h = "a=1; oq_session=tok-en; oq_lang=ru";
        assert_eq!(cookie_value(h, SESSION_COOKIE), Some("tok-en"));
        assert_eq!(cookie_value(h, LANG_COOKIE), Some("ru"));
        assert_eq!(cookie_value(h, "missing"), None);
    }
}
