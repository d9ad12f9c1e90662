//! Member registration, guardian consent and the desk's member list
//! (server only).

use crate::access::check_search;
use crate::access::consent_state;
use crate::domain::membership::member_number;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::dto::MemberRowDto;
use super::registration::NewMember;
use crate::access::session::CurrentUser;
use crate::access::{has_consent, staff_centers, CONSENT_VERSION};
use crate::domain::codes::ConsentMethod;
use crate::domain::membership::ConsentState;
use crate::domain::membership::{age_on, short_name, AgeBand};
use crate::domain::people::Role;
use crate::error::AppError;
use crate::model::{account, center, consent, person};

/// Create the person and an active visitor account in one transaction (the
/// demo data and tests; the public form goes through `signup::start`, which
/// confirms the contact first). Duplicate phone, email or IIN is refused
/// without saying whose account it is.
pub async fn register(
    db: &DatabaseConnection,
    m: &NewMember,
    now: DateTime<Utc>,
) -> Result<CurrentUser, AppError> {
    let txn = crate::model::begin_write(db).await?;
    if !matching_people(&txn, m).await?.is_empty() {
        return Err(AppError::AlreadyRegistered);
    }
    let (p, a) = insert_member(&txn, m, now, None).await?;
    txn.commit().await?;
    Ok(CurrentUser {
        account_id: a.id,
        person_id: p.id,
        full_name: p.full_name,
        role: Role::Visitor,
        home_center_id: Some(m.home_center_id),
        lang: m.lang,
    })
}

/// People already holding the new member's phone, email or IIN.
pub(super) async fn matching_people<C: sea_orm::ConnectionTrait>(
    db: &C,
    m: &NewMember,
) -> Result<Vec<person::Model>, AppError> {
    let mut dup = Condition::any();
    if let Some(p) = &m.phone {
        dup = dup.add(person::Column::Phone.eq(p.clone()));
    }
    if let Some(e) = &m.email {
        dup = dup.add(person::Column::Email.eq(e.clone()));
    }
    if let Some(i) = &m.iin {
        dup = dup.add(person::Column::Iin.eq(i.clone()));
    }
    Ok(person::Entity::find().filter(dup).all(db).await?)
}

/// Insert the person and the visitor account (`pending_since`: waiting for
/// the contact's code, or `None` for active). The caller checked duplicates;
/// a concurrent registration with the same contact hits the unique index
/// and is refused as already registered.
pub(super) async fn insert_member<C: sea_orm::ConnectionTrait>(
    txn: &C,
    m: &NewMember,
    now: DateTime<Utc>,
    pending_since: Option<DateTime<Utc>>,
) -> Result<(person::Model, account::Model), AppError> {
    match center::Entity::find_by_id(m.home_center_id)
        .one(txn)
        .await?
    {
        None => {
            return Err(AppError::Invalid {
                field: "home_center_id".into(),
                problem: crate::error::Problem::Required,
            })
        }
        // A deactivated center takes no new members.
        Some(c) => crate::centers::service::ensure_active_center(&c, "home_center_id")?,
    }
    let p = person::ActiveModel {
        full_name: Set(m.full_name.clone()),
        birth_date: Set(m.birth_date),
        phone: Set(m.phone.clone()),
        email: Set(m.email.clone()),
        preferred_lang: Set(m.lang),
        created_at: Set(now),
        iin: Set(m.iin.clone()),
        settlement: Set(m.settlement),
        occupation: Set(m.occupation),
        education: Set(m.education),
        guardian_name: Set(m.guardian.as_ref().map(|g| g.0.clone())),
        guardian_phone: Set(m.guardian.as_ref().map(|g| g.1.clone())),
        guardian_email: Set(m.guardian_email.clone()),
        eligibility_override: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::AlreadyRegistered,
        _ => e.into(),
    })?;
    let a = account::ActiveModel {
        person_id: Set(p.id),
        password_hash: Set(crate::access::session::hash_off_thread(m.password.clone()).await),
        role: Set(Role::Visitor),
        home_center_id: Set(Some(m.home_center_id)),
        created_at: Set(now),
        pending_since: Set(pending_since),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((p, a))
}

/// Hold the person's row until the transaction ends (PostgreSQL; SQLite's
/// write transaction holds the whole database already).
async fn lock_person(txn: &sea_orm::DatabaseTransaction, person_id: i32) -> Result<(), AppError> {
    use sea_orm::ConnectionTrait;
    crate::model::for_update(
        person::Entity::find_by_id(person_id),
        txn.get_database_backend(),
    )
    .one(txn)
    .await?;
    Ok(())
}

/// Days a membership card is valid from issue.
pub const CARD_DAYS: i64 = 365;

/// The member's card with a signed QR membership pass; the pass is reused
/// while it has more than 30 days left, else a new one is issued.
pub async fn membership_card(
    db: &DatabaseConnection,
    keys: &crate::state::PassKeyRing,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<super::dto::CardDto, AppError> {
    use crate::domain::pass::PassKind;
    use crate::model::pass;
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let home = match user.home_center_id {
        Some(id) => center::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let existing = pass::Entity::find()
        .filter(pass::Column::PersonId.eq(p.id))
        .filter(pass::Column::Kind.eq("membership"))
        .filter(pass::Column::RevokedAt.is_null())
        .filter(pass::Column::ValidUntil.gt(now + chrono::Duration::days(30)))
        .order_by_desc(pass::Column::ValidUntil)
        .one(db)
        .await?;
    let card = match existing {
        Some(c) => c,
        None => {
            let center_id = match &home {
                Some(c) => c.id,
                None => {
                    center::Entity::find()
                        .order_by_asc(center::Column::Id)
                        .one(db)
                        .await?
                        .ok_or(AppError::NotFound)?
                        .id
                }
            };
            let txn = crate::model::begin_write(db).await?;
            let c = crate::passes::service::issue_pass(
                &txn,
                keys,
                p.id,
                crate::passes::service::PassLink::None,
                PassKind::Membership,
                center_id,
                (now, now + chrono::Duration::days(CARD_DAYS)),
                now,
            )
            .await?;
            txn.commit().await?;
            c
        }
    };
    let tz = home
        .as_ref()
        .map(crate::centers::service::center_tz)
        .unwrap_or(chrono_tz::Asia::Almaty);
    Ok(super::dto::CardDto {
        member_number: member_number(p.id),
        full_name: p.full_name.clone(),
        home_center: home
            .as_ref()
            .map(|c| crate::i18n::pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string())
            .unwrap_or_default(),
        valid_until: card
            .valid_until
            .with_timezone(&tz)
            .format("%d.%m.%Y")
            .to_string(),
        qr_svg: crate::passes::service::qr_svg(&card.code),
        code: card.code,
    })
}

/// Members of the desk's centers matching `query` (name or phone digits), at
/// most 50: name, age band and consent state — never birth date or IIN.
pub async fn desk_members(
    db: &DatabaseConnection,
    user: &CurrentUser,
    query: &str,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<MemberRowDto>, AppError> {
    let q = check_search(query)?;
    let home = match user.home_center_id {
        Some(id) => crate::model::center::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let scope = staff_centers(db, user).await?;
    let mut accounts = account::Entity::find().filter(account::Column::Role.eq(Role::Visitor));
    if let Some(centers) = &scope {
        accounts = accounts.filter(account::Column::HomeCenterId.is_in(centers.clone()));
    }
    let homes: std::collections::HashMap<i32, Option<i32>> = accounts
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.person_id, a.home_center_id))
        .collect();
    let person_ids: Vec<i32> = homes.keys().copied().collect();
    let mut people = person::Entity::find().filter(person::Column::Id.is_in(person_ids));
    if !q.is_empty() {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let mut cond = Condition::any().add(person::Column::FullName.contains(q));
        if digits.len() >= 4 {
            cond = cond.add(person::Column::Phone.contains(&digits));
        }
        people = people.filter(cond);
    }
    let rows = people
        .order_by_asc(person::Column::FullName)
        .limit(50)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    let strikes = home.as_ref().map(crate::centers::strikes::strike_rules);
    for p in rows {
        // One query for both the strike count (30 days) and the block,
        // which follows the desk's center's rule.
        let window = strikes.map_or(30, |r| r.window_days.max(30));
        let shows = crate::centers::strikes::recent_no_shows(db, p.id, window, now).await?;
        let no_shows = shows
            .iter()
            .filter(|t| **t > now - chrono::Duration::days(30))
            .count() as u32;
        let blocked_until = match (&home, strikes) {
            (Some(c), Some(rules)) => {
                crate::domain::noshow::blocked_until(&shows, rules, now).map(|t| {
                    t.with_timezone(&crate::centers::service::center_tz(c))
                        .format("%d.%m.%Y %H:%M")
                        .to_string()
                })
            }
            _ => None,
        };
        out.push(MemberRowDto {
            person_id: p.id,
            name: short_name(&p.full_name),
            age_band: AgeBand::of(age_on(p.birth_date, today)),
            consent: consent_state(db, &p, today).await?,
            guardian_name: p.guardian_name.clone(),
            home_center_id: homes.get(&p.id).copied().flatten(),
            inductions: crate::model::induction::Entity::find()
                .filter(crate::model::induction::Column::PersonId.eq(p.id))
                .all(db)
                .await?
                .into_iter()
                .map(|i| i.space_id)
                .collect(),
            no_shows,
            blocked_until,
        });
    }
    Ok(out)
}

/// Record that the desk has seen the guardian's signed paper form.
pub async fn record_paper_consent(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    person_id: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ConsentState, AppError> {
    let scope = staff_centers(db, staff).await?;
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::access::scope_covers(scope.as_deref(), acc.home_center_id) {
        // Outside the desk's centers: do not reveal that the member exists.
        return Err(AppError::NotFound);
    }
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match consent_state(db, &p, today).await? {
        ConsentState::Awaiting => {}
        done => return Ok(done),
    }
    let (Some(name), Some(phone)) = (p.guardian_name.clone(), p.guardian_phone.clone()) else {
        return Err(AppError::Invalid {
            field: "guardian_name".into(),
            problem: crate::error::Problem::GuardianRequired,
        });
    };
    let txn = crate::model::begin_write(db).await?;
    // Two desks recording at once: the second waits here and finds it done.
    lock_person(&txn, p.id).await?;
    if has_consent(&txn, p.id).await? {
        txn.commit().await?;
        return Ok(ConsentState::Given);
    }
    consent::ActiveModel {
        person_id: Set(p.id),
        version: Set(CONSENT_VERSION),
        guardian_name: Set(name),
        guardian_phone: Set(phone),
        method: Set(ConsentMethod::Paper),
        recorded_by: Set(Some(staff.account_id)),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        staff,
        acc.home_center_id,
        crate::audit::dto::AuditKind::ConsentRecorded,
        crate::audit::service::member_subject(p.id),
        format!("paper form, version {CONSENT_VERSION}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ConsentState::Given)
}

/// Hours a guardian's code stays valid.
pub const GUARDIAN_CODE_HOURS: i64 = 24;

/// `+7 777 *** ** 22`: enough for the member to recognise the number.
pub fn mask_phone(phone: &str) -> String {
    let d: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 11 {
        return "***".into();
    }
    format!(
        "+{} {}{}{} *** ** {}{}",
        d[0], d[1], d[2], d[3], d[9], d[10]
    )
}

/// `a***@mail.kz`: the first letter and the domain of an email address.
pub fn mask_email(email: &str) -> String {
    match email.trim().split_once('@') {
        Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
            Some(first) => format!("{first}***@{domain}"),
            None => "***".into(),
        },
        _ => "***".into(),
    }
}

/// A minor awaiting consent asks for a one-time code for the guardian: a
/// text message to the guardian's phone and, when an address is on record,
/// an email (queued in the outbox) with the code, what consent means and
/// the link to the consent page under `base_url`. Returns where it went,
/// masked (`+7 777 *** ** 22, g***@mail.kz`).
pub async fn send_guardian_code(
    db: &DatabaseConnection,
    user: &CurrentUser,
    today: NaiveDate,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<String, AppError> {
    use crate::model::guardian_code;
    use rand::Rng;
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if consent_state(db, &p, today).await? != ConsentState::Awaiting {
        return Err(AppError::Forbidden);
    }
    let phone = p.guardian_phone.clone();
    let email = p.guardian_email.clone().filter(|e| e.contains('@'));
    let Some(sent_to) = phone.clone().or_else(|| email.clone()) else {
        return Err(AppError::Invalid {
            field: "guardian_phone".into(),
            problem: crate::error::Problem::GuardianRequired,
        });
    };
    // At most three codes a day, so the feature cannot be used to spam a phone.
    let sent_today = guardian_code::Entity::find()
        .filter(guardian_code::Column::PersonId.eq(p.id))
        .filter(guardian_code::Column::ExpiresAt.gt(now))
        .all(db)
        .await?
        .len();
    if sent_today >= 3 {
        return Err(AppError::RateLimited {
            retry_after_minutes: 24 * 60,
        });
    }
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..6)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    let first = p
        .full_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    // The code, its email and its text message commit together: a failure
    // anywhere leaves no code that was never queued.
    let txn = crate::model::begin_write(db).await?;
    guardian_code::ActiveModel {
        person_id: Set(p.id),
        code_hash: Set(crate::access::session::hash_password(&code)),
        sent_to: Set(sent_to),
        expires_at: Set(now + chrono::Duration::hours(GUARDIAN_CODE_HOURS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut masked = Vec::new();
    if let Some(phone) = &phone {
        masked.push(mask_phone(phone));
    }
    if let Some(to) = &email {
        let consent_url = format!("{}/consent", base_url.trim_end_matches('/'));
        let (subject, body) =
            crate::notify::templates::mail_guardian(user.lang, &first, &code, &consent_url);
        let guardian = p.guardian_name.as_deref().unwrap_or_default();
        let greeting = guardian.split_whitespace().next().unwrap_or_default();
        crate::notify::outbox::email_address(
            &txn,
            to,
            Some(p.id),
            user.home_center_id,
            "email.guardian_code",
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(user.lang, greeting, &body),
                attachment: None,
                short: None,
            },
            Some(&code),
            now,
        )
        .await?;
        masked.push(mask_email(to));
    }
    if let Some(phone) = &phone {
        let msg = crate::notify::outbox::Text {
            to: phone.clone(),
            text: crate::notify::templates::guardian_sms(user.lang, &first, &code),
            secret: Some(code.clone()),
        };
        let filed = (Some(p.id), user.home_center_id);
        crate::notify::outbox::sms(&txn, msg, filed, "sms.guardian_code", None, now).await?;
    }
    txn.commit().await?;
    Ok(masked.join(", "))
}

/// Wrong guesses a guardian code survives: after the third, every live code
/// of the member is void and the member must send a new one (6 digits and
/// three guesses per code leave an attacker 1 in 333,333).
pub const GUARDIAN_CODE_MISSES: u64 = 3;

/// Void the member's live guardian codes once they have had
/// `GUARDIAN_CODE_MISSES` wrong guesses (counted per normalised login, over
/// a code's lifetime).
async fn burn_after_misses(
    db: &DatabaseConnection,
    person_id: i32,
    live: &[crate::model::guardian_code::Model],
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use super::accounts::failures_since;
    use crate::model::guardian_code;
    use chrono::Duration;
    use sea_orm::sea_query::Expr;
    // Misses count from when the newest live code was sent.
    let Some(sent) = live
        .iter()
        .map(|c| c.expires_at - Duration::hours(GUARDIAN_CODE_HOURS))
        .max()
    else {
        return Ok(());
    };
    if failures_since(db, subject, sent).await? >= GUARDIAN_CODE_MISSES {
        guardian_code::Entity::update_many()
            .col_expr(guardian_code::Column::UsedAt, Expr::value(Some(now)))
            .filter(guardian_code::Column::PersonId.eq(person_id))
            .filter(guardian_code::Column::UsedAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The guardian confirms with the code: consent is recorded (method `code`).
/// Rate-limited like sign-in, per child login and per address.
pub async fn confirm_guardian_code(
    db: &DatabaseConnection,
    child_login: &str,
    code: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use super::accounts::{check_subject, normalized_login, record_attempt};
    use crate::model::guardian_code;
    let subject = format!("consent:{}", normalized_login(child_login));
    check_subject(db, &subject, ip, now).await?;
    let person = crate::access::session::person_by_login(db, child_login).await?;
    let mut live = match &person {
        Some(p) => {
            guardian_code::Entity::find()
                .filter(guardian_code::Column::PersonId.eq(p.id))
                .filter(guardian_code::Column::UsedAt.is_null())
                .filter(guardian_code::Column::ExpiresAt.gt(now))
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let hashes = live.iter().map(|c| c.code_hash.clone()).collect();
    let found = crate::access::session::matching_hash(hashes, code.to_string())
        .await
        .map(|i| live.swap_remove(i));
    let (Some(p), Some(gc)) = (person.as_ref(), found) else {
        record_attempt(db, &subject, ip, now, false).await?;
        if let Some(p) = &person {
            burn_after_misses(db, p.id, &live, &subject, now).await?;
        }
        return Err(AppError::InvalidCredentials);
    };
    let txn = crate::model::begin_write(db).await?;
    let sent_to = gc.sent_to.clone();
    let mut used: guardian_code::ActiveModel = gc.into();
    used.used_at = Set(Some(now));
    used.update(&txn).await?;
    lock_person(&txn, p.id).await?;
    if !has_consent(&txn, p.id).await? {
        consent::ActiveModel {
            person_id: Set(p.id),
            version: Set(CONSENT_VERSION),
            guardian_name: Set(p.guardian_name.clone().unwrap_or_default()),
            guardian_phone: Set(sent_to),
            method: Set(ConsentMethod::Code),
            recorded_by: Set(None),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// One member of the staff user's centers, as on the desk list.
pub async fn member_brief(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    person_id: i32,
    today: NaiveDate,
) -> Result<MemberRowDto, AppError> {
    let acc = crate::access::visitor_in_scope(db, staff, person_id).await?;
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MemberRowDto {
        person_id: p.id,
        name: short_name(&p.full_name),
        age_band: AgeBand::of(age_on(p.birth_date, today)),
        consent: consent_state(db, &p, today).await?,
        guardian_name: p.guardian_name.clone(),
        home_center_id: acc.home_center_id,
        inductions: Vec::new(),
        no_shows: 0,
        blocked_until: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_show_country_operator_and_last_two_digits() {
        assert_eq!(mask_phone("+77770001122"), "+7 777 *** ** 22");
        assert_eq!(mask_phone("12345"), "***");
    }

    #[test]
    fn emails_show_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("aigerim@mail.kz"), "a***@mail.kz");
        assert_eq!(mask_email(" g@ortalyq.kz "), "g***@ortalyq.kz");
        // Non-ASCII local parts are cut on a character, not a byte.
        assert_eq!(mask_email("гүлмира@mail.kz"), "г***@mail.kz");
        for broken in ["", "no-at-sign", "@mail.kz", "a@"] {
            assert_eq!(mask_email(broken), "***", "{broken}");
        }
    }
}
