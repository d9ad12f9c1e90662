//! Self-registration with a confirmed contact (server only). The public form
//! never says whether a phone, email or IIN already belongs to a member: every
//! valid form gets the same answer ("if this contact is new, a code is on its
//! way"). A new member's account waits (`pending_since`) until the code sent
//! to their phone or email is entered; someone already registered gets a
//! note telling them how to sign in instead. Registrations are limited per
//! client address, messages per contact, and a code dies after three misses.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::accounts::{check_subject, failures_since, normalized_login, record_attempt};
use super::members::{insert_member, matching_people};
use super::registration::NewMember;
use crate::access::session::{account_by_login, load_user, matching_hash, CurrentUser};
use crate::domain::ratelimit::{address_key, MAX_SIGNUPS_PER_ADDRESS, WINDOW_MINUTES};
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::{account, person, reset_code, session};

/// Minutes a registration code stays valid.
pub const SIGNUP_CODE_MINUTES: i64 = 60;
/// Wrong guesses a registration code survives (8 digits, 3 guesses).
pub const SIGNUP_CODE_MISSES: u64 = 3;
/// Messages (codes or "you are already a member" notes) one phone or email
/// receives a day from the registration form, so it cannot be used to spam.
pub const MESSAGES_PER_CONTACT_PER_DAY: u64 = 3;
/// Days an unconfirmed registration is kept before it is removed.
pub const PENDING_DAYS: i64 = 7;

/// How messages are written: the site's address for links, the language
/// the visitor used.
pub struct Delivery<'a> {
    pub base_url: &'a str,
    pub lang: Locale,
}

/// Start a registration. Answers the same for a new and a known contact;
/// refuses only what the form itself shows (a guardian contact that belongs
/// to a member) and the rate limits.
pub async fn start(
    db: &DatabaseConnection,
    d: &Delivery<'_>,
    m: &NewMember,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    throttle_address(db, ip, now).await?;
    refuse_member_as_guardian(db, m).await?;
    let contact = m
        .phone
        .clone()
        .or_else(|| m.email.clone())
        .ok_or(AppError::Invalid {
            field: "phone".into(),
            problem: Problem::PhoneOrEmail,
        })?;
    throttle_contact(db, &contact, now).await?;
    let txn = crate::model::begin_write(db).await?;
    let known = matching_people(&txn, m).await?;
    let mut pending = Vec::new();
    for p in &known {
        match account_of(&txn, p.id).await? {
            Some(a) if a.pending_since.is_some() => pending.push(a),
            _ => {
                // A member already: tell the contact how to sign in.
                drop(txn);
                return notify_member(db, d, m, now).await;
            }
        }
    }
    // Unconfirmed registrations with these contacts proved nothing: the
    // newest form replaces them.
    for a in pending {
        remove_pending(&txn, a).await?;
    }
    let (p, a) = match insert_member(&txn, m, now, Some(now)).await {
        Ok(made) => made,
        // Lost a race for the same contact: the same answer as for a member.
        Err(AppError::AlreadyRegistered) => return Ok(()),
        Err(e) => return Err(e),
    };
    let code = issue_code(&txn, a.id, now).await?;
    if let Some(to) = &p.email {
        let url = format!("{}/verify", d.base_url.trim_end_matches('/'));
        let (subject, body) = crate::notify::templates::mail_signup(d.lang, &code, &url);
        queue_email(
            &txn,
            to,
            Some(p.id),
            m.home_center_id,
            "email.signup_code",
            d.lang,
            subject,
            body,
            Some(&code),
            now,
        )
        .await?;
    }
    if let Some(phone) = &p.phone {
        let text = crate::notify::templates::signup_sms(d.lang, &code);
        queue_text(
            &txn,
            phone,
            (Some(p.id), m.home_center_id),
            text,
            &code,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Confirm a registration with the code: the account becomes active and the
/// member is signed in. Wrong codes count like failed sign-ins; after
/// `SIGNUP_CODE_MISSES` the live codes are void.
pub async fn confirm(
    db: &DatabaseConnection,
    login: &str,
    code: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<CurrentUser, AppError> {
    let subject = format!("confirm:{}", normalized_login(login));
    check_subject(db, &subject, ip, now).await?;
    let acc = account_by_login(db, login)
        .await?
        .filter(|a| a.pending_since.is_some());
    let mut live = match &acc {
        Some(a) => live_codes(db, a.id, now).await?,
        None => Vec::new(),
    };
    let hashes = live.iter().map(|c| c.code_hash.clone()).collect();
    let found = matching_hash(hashes, code.trim().to_string())
        .await
        .map(|i| live.swap_remove(i));
    let (Some(acc), Some(rc)) = (acc, found) else {
        record_attempt(db, &subject, ip, now, false).await?;
        if let Some(sent) = live.iter().map(|c| c.expires_at).max() {
            let since = sent - Duration::minutes(SIGNUP_CODE_MINUTES);
            if failures_since(db, &subject, since).await? >= SIGNUP_CODE_MISSES {
                void_codes(db, live[0].account_id, now).await?;
            }
        }
        return Err(AppError::InvalidCredentials);
    };
    let txn = crate::model::begin_write(db).await?;
    let mut used = rc.into_active_model();
    used.used_at = Set(Some(now));
    used.update(&txn).await?;
    let mut active = acc.into_active_model();
    active.pending_since = Set(None);
    let acc = active.update(&txn).await?;
    let user = load_user(&txn, acc).await?;
    txn.commit().await?;
    Ok(user)
}

/// Send a new code to a registration that waits for one. Answers the same
/// whether or not one waits.
pub async fn resend(
    db: &DatabaseConnection,
    d: &Delivery<'_>,
    login: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    throttle_address(db, ip, now).await?;
    if login.trim().is_empty() || login.len() > 200 {
        return Err(AppError::InvalidInput("login".into()));
    }
    throttle_contact(db, &normalized_login(login), now).await?;
    let Some(acc) = account_by_login(db, login)
        .await?
        .filter(|a| a.pending_since.is_some())
    else {
        return Ok(());
    };
    let p = person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let txn = crate::model::begin_write(db).await?;
    void_codes(&txn, acc.id, now).await?;
    let code = issue_code(&txn, acc.id, now).await?;
    let phone_login = matches!(
        crate::domain::login::LoginId::parse(login),
        Some(crate::domain::login::LoginId::Phone(_))
    );
    match (&p.phone, &p.email) {
        (Some(_), _) if phone_login => {}
        (_, Some(to)) => {
            let url = format!("{}/verify", d.base_url.trim_end_matches('/'));
            let (subject, body) = crate::notify::templates::mail_signup(d.lang, &code, &url);
            let center = acc.home_center_id.unwrap_or_default();
            queue_email(
                &txn,
                to,
                Some(p.id),
                center,
                "email.signup_code",
                d.lang,
                subject,
                body,
                Some(&code),
                now,
            )
            .await?;
        }
        _ => {}
    }
    if let (Some(phone), true) = (&p.phone, phone_login) {
        let text = crate::notify::templates::signup_sms(d.lang, &code);
        let center = acc.home_center_id.unwrap_or_default();
        queue_text(&txn, phone, (Some(p.id), center), text, &code, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Remove registrations never confirmed within `PENDING_DAYS` (their person,
/// account and codes). Returns how many went.
pub async fn purge_unconfirmed(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let stale = account::Entity::find()
        .filter(account::Column::PendingSince.lt(now - Duration::days(PENDING_DAYS)))
        .all(db)
        .await?;
    let n = stale.len() as u64;
    for a in stale {
        let txn = crate::model::begin_write(db).await?;
        remove_pending(&txn, a).await?;
        txn.commit().await?;
    }
    Ok(n)
}

/// At most `MAX_SIGNUPS_PER_ADDRESS` registration starts (or resends) per
/// client address in the window; each call counts.
async fn throttle_address(
    db: &DatabaseConnection,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let subject = format!("signup-ip:{}", address_key(ip));
    let since = now - Duration::minutes(WINDOW_MINUTES);
    if failures_since(db, &subject, since).await? >= MAX_SIGNUPS_PER_ADDRESS as u64 {
        return Err(AppError::RateLimited {
            retry_after_minutes: WINDOW_MINUTES as u32,
        });
    }
    record_one(db, subject, now).await
}

/// At most `MESSAGES_PER_CONTACT_PER_DAY` messages to one phone or email.
async fn throttle_contact(
    db: &DatabaseConnection,
    contact: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let subject = format!("signup:{contact}");
    if failures_since(db, &subject, now - Duration::days(1)).await? >= MESSAGES_PER_CONTACT_PER_DAY
    {
        return Err(AppError::RateLimited {
            retry_after_minutes: 24 * 60,
        });
    }
    record_one(db, subject, now).await
}

async fn record_one(
    db: &DatabaseConnection,
    subject: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::model::login_attempt::ActiveModel {
        subject: Set(subject),
        attempted_at: Set(now),
        succeeded: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Register someone whose phone is already confirmed (shared from their own
/// Telegram account with the contact button): the same duplicate and
/// guardian checks as the web form, and the account is active at once. A
/// phone that belongs to a member is refused as already registered.
pub async fn register_confirmed(
    db: &DatabaseConnection,
    m: &NewMember,
    now: DateTime<Utc>,
) -> Result<CurrentUser, AppError> {
    refuse_member_as_guardian(db, m).await?;
    super::members::register(db, m, now).await
}

/// A guardian's phone or email must be the guardian's own: not the minor's
/// and not any member's (a minor could otherwise confirm their own consent).
async fn refuse_member_as_guardian(db: &DatabaseConnection, m: &NewMember) -> Result<(), AppError> {
    let phone = m.guardian.as_ref().map(|g| g.1.clone());
    let mut any = Condition::any();
    if let Some(ph) = &phone {
        any = any.add(person::Column::Phone.eq(ph.clone()));
    }
    if let Some(e) = &m.guardian_email {
        any = any.add(person::Column::Email.eq(e.clone()));
    }
    if phone.is_none() && m.guardian_email.is_none() {
        return Ok(());
    }
    if let Some(p) = person::Entity::find().filter(any).one(db).await? {
        let field = if phone.is_some() && p.phone == phone {
            "guardian_phone"
        } else {
            "guardian_email"
        };
        return Err(AppError::Invalid {
            field: field.into(),
            problem: Problem::GuardianIsMember,
        });
    }
    Ok(())
}

/// The note to a contact that already belongs to a member: how to sign in.
async fn notify_member(
    db: &DatabaseConnection,
    d: &Delivery<'_>,
    m: &NewMember,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let url = format!("{}/login", d.base_url.trim_end_matches('/'));
    if let Some(to) = &m.email {
        let (subject, body) = crate::notify::templates::mail_already_member(d.lang, &url);
        queue_email(
            db,
            to,
            None,
            m.home_center_id,
            "email.already_member",
            d.lang,
            subject,
            body,
            None,
            now,
        )
        .await?;
    }
    if let Some(phone) = &m.phone {
        let msg = crate::notify::outbox::Text {
            to: phone.clone(),
            text: crate::notify::templates::already_member_sms(d.lang, &url),
            secret: None,
        };
        let filed = (None, Some(m.home_center_id));
        crate::notify::outbox::sms(db, msg, filed, "sms.already_member", None, now).await?;
    }
    Ok(())
}

/// Queue the text with a registration code (blanked once sent).
async fn queue_text<C: ConnectionTrait>(
    db: &C,
    phone: &str,
    (person_id, center_id): (Option<i32>, i32),
    text: String,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let msg = crate::notify::outbox::Text {
        to: phone.to_string(),
        text,
        secret: Some(code.to_string()),
    };
    let filed = (person_id, Some(center_id));
    crate::notify::outbox::sms(db, msg, filed, "sms.signup_code", None, now).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn queue_email<C: ConnectionTrait>(
    db: &C,
    to: &str,
    person_id: Option<i32>,
    center_id: i32,
    template: &str,
    lang: Locale,
    subject: String,
    body: String,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = crate::notify::outbox::Rendered {
        subject,
        text: crate::notify::templates::mail_text_plain(lang, &body),
        attachment: None,
        short: None,
    };
    crate::notify::outbox::email_address(
        db,
        to,
        person_id,
        Some(center_id),
        template,
        r,
        secret,
        now,
    )
    .await?;
    Ok(())
}

async fn account_of<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<Option<account::Model>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(db)
        .await?)
}

async fn live_codes<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<reset_code::Model>, AppError> {
    Ok(reset_code::Entity::find()
        .filter(reset_code::Column::AccountId.eq(account_id))
        .filter(reset_code::Column::UsedAt.is_null())
        .filter(reset_code::Column::ExpiresAt.gt(now))
        .all(db)
        .await?)
}

async fn void_codes<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    reset_code::Entity::update_many()
        .col_expr(reset_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(reset_code::Column::AccountId.eq(account_id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A new 8-digit code for the account (self-issued: `issued_by` is the
/// account itself); only its hash is kept.
async fn issue_code<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..8)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    reset_code::ActiveModel {
        account_id: Set(account_id),
        code_hash: Set(crate::access::session::hash_off_thread(code.clone()).await),
        issued_by: Set(account_id),
        expires_at: Set(now + Duration::minutes(SIGNUP_CODE_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(code)
}

/// Delete an unconfirmed registration: its codes, sessions (none are made),
/// account, queued mail and person.
async fn remove_pending<C: ConnectionTrait>(db: &C, a: account::Model) -> Result<(), AppError> {
    debug_assert!(a.pending_since.is_some());
    reset_code::Entity::delete_many()
        .filter(reset_code::Column::AccountId.eq(a.id))
        .exec(db)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(a.id))
        .exec(db)
        .await?;
    crate::model::outbox::Entity::delete_many()
        .filter(crate::model::outbox::Column::PersonId.eq(a.person_id))
        .exec(db)
        .await?;
    account::Entity::delete_by_id(a.id).exec(db).await?;
    person::Entity::delete_by_id(a.person_id).exec(db).await?;
    Ok(())
}
