//! Deciding a scan at the door. Everything the verdict shows (the holder,
//! what the pass is for, free seats) is read before any lock, and a pass the
//! door refuses never takes one. Only an admission opens a write
//! transaction: it locks the pass row, re-reads what another desk or staff
//! member may have changed since (the revocation, the booking's status,
//! today's admission), decides again and records the check-in. On SQLite,
//! where writers queue, this keeps the lock to a handful of statements.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, SqlErr,
};

use super::dto::ScanVerdictDto;
use crate::access::session::CurrentUser;
use crate::domain::checkin::{self, Denial, Desk, PassRecord};
use crate::domain::membership::short_name;
use crate::domain::pass::{self, PassClaims, PassError, PassKind};
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::i18n::{hhmm, Locale, Msg};
use crate::model::{self, account, booking, center, check_in, person};
use crate::state::PassKeyRing;

mod purpose;
use purpose::{no_longer_confirmed, Purpose};

pub(crate) fn pass_error_verdict(e: PassError, l: Locale) -> ScanVerdictDto {
    let (code, msg) = match e {
        PassError::Malformed | PassError::UnsupportedVersion => ("malformed", Msg::DenyMalformed),
        PassError::UnknownKey => ("unknown_key", Msg::DenyUnknownKey),
        PassError::BadSignature => ("bad_signature", Msg::DenyBadSignature),
    };
    ScanVerdictDto {
        admitted: false,
        code: code.into(),
        reason: msg.text(l).into(),
        holder: None,
        what: None,
        age_band: None,
        consent_missing: false,
    }
}

fn denial_text(d: &Denial, tz: chrono_tz::Tz, l: Locale) -> (&'static str, String) {
    match d {
        Denial::Unknown => ("unknown", Msg::DenyUnknown.text(l).into()),
        Denial::Revoked => ("revoked", Msg::DenyRevoked.text(l).into()),
        Denial::OtherCenter => ("other_center", Msg::DenyOtherCenter.text(l).into()),
        Denial::NotToday => ("not_today", Msg::DenyNotToday.text(l).into()),
        Denial::TooEarly { opens_at } => (
            "too_early",
            format!("{} {}", Msg::DenyTooEarly.text(l), hhmm(*opens_at, tz)),
        ),
        Denial::Expired => ("expired", Msg::DenyExpired.text(l).into()),
        Denial::AlreadyCheckedIn { at, by } => (
            "already_checked_in",
            format!(
                "{} {} ({} {by})",
                Msg::DenyAlreadyCheckedIn.text(l),
                hhmm(*at, tz),
                Msg::By.text(l)
            ),
        ),
    }
}

/// The pass's admission on the center-local `day`, with the staff member's
/// short name.
async fn first_check_in<C: ConnectionTrait>(
    db: &C,
    pass_id: i32,
    day: chrono::NaiveDate,
) -> Result<Option<(DateTime<Utc>, String)>, AppError> {
    let Some(ci) = check_in::Entity::find()
        .filter(check_in::Column::PassId.eq(pass_id))
        .filter(check_in::Column::LocalDay.eq(day))
        .filter(check_in::Column::UndoneAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let by = match account::Entity::find_by_id(ci.scanned_by).one(db).await? {
        Some(a) => person::Entity::find_by_id(a.person_id)
            .one(db)
            .await?
            .map(|p| short_name(&p.full_name))
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(Some((ci.scanned_at, by)))
}

/// Verify a scanned code and, when it admits, record the check-in — all in
/// one transaction with the pass row locked, so two desks scanning the same
/// pass at once admit it only once (the unique index is the last guard).
pub async fn scan(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    desk_user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ScanVerdictDto, AppError> {
    let verdict = decide_scan(db, keys, desk_user, code, now, l).await?;
    // Door outcomes for /metrics: admitted, already_checked_in, the denials.
    metrics::counter!("ortalyq_check_ins_total", "outcome" => verdict.code.clone()).increment(1);
    Ok(verdict)
}

/// Who holds a genuine pass, as the desk may see them.
struct Holder {
    /// First name and last initial.
    name: Option<String>,
    age_band: Option<String>,
    /// A minor whose guardian's consent is not on record.
    consent_missing: bool,
}

impl Holder {
    async fn load<C: ConnectionTrait>(
        db: &C,
        person_id: i32,
        today: NaiveDate,
    ) -> Result<Holder, AppError> {
        match person::Entity::find_by_id(person_id).one(db).await? {
            Some(p) => Holder::of(db, p, today).await,
            None => Ok(Holder::hidden()),
        }
    }

    /// The holder as the desk sees them (a minor's consent is one more read).
    async fn of<C: ConnectionTrait>(
        db: &C,
        p: person::Model,
        today: NaiveDate,
    ) -> Result<Holder, AppError> {
        use crate::domain::membership::{age_on, AgeBand, ConsentState};
        Ok(Holder {
            name: Some(short_name(&p.full_name)),
            age_band: Some(AgeBand::of(age_on(p.birth_date, today)).label().to_string()),
            consent_missing: crate::access::consent_state(db, &p, today).await?
                == ConsentState::Awaiting,
        })
    }

    /// A pass for a center the desk does not serve: nothing about whose.
    fn hidden() -> Holder {
        Holder {
            name: None,
            age_band: None,
            consent_missing: false,
        }
    }

    fn verdict(
        self,
        admitted: bool,
        code: &str,
        reason: String,
        what: Option<String>,
    ) -> ScanVerdictDto {
        ScanVerdictDto {
            admitted,
            code: code.into(),
            reason,
            holder: self.name,
            what,
            age_band: self.age_band,
            consent_missing: self.consent_missing,
        }
    }
}

/// Where a scan happens and whether the desk may see whose pass it is. A
/// pass for one of the desk's centers is checked in there; a membership
/// card (it admits at every center) of another center's member is checked
/// in at the desk's own center. A pass for another center shows the desk
/// nothing of its holder.
fn desk_center(desk_user: &CurrentUser, scope: Option<&[i32]>, claims: &PassClaims) -> (i32, bool) {
    let covers = |c: i32| scope.is_none_or(|cs| cs.contains(&c));
    let pass_center = claims.center_id as i32;
    if covers(pass_center) {
        return (pass_center, true);
    }
    if claims.kind != PassKind::Membership {
        return (pass_center, false);
    }
    let here = desk_user
        .home_center_id
        .filter(|h| covers(*h))
        .or_else(|| scope.and_then(|cs| cs.first().copied()))
        .unwrap_or(pass_center);
    (here, true)
}

/// Where a genuine pass is being scanned, as read before any lock.
struct Place {
    /// The desk's centers (`None`: every center).
    scope: Option<Vec<i32>>,
    /// The pass row, if it is the one that was signed.
    row: Option<model::pass::Model>,
    /// Its holder, read with it.
    person: Option<person::Model>,
    at_center: i32,
    /// Whether the desk may see whose pass it is.
    shown: bool,
    tz: Tz,
}

impl Place {
    async fn read(
        db: &DatabaseConnection,
        desk_user: &CurrentUser,
        claims: &PassClaims,
    ) -> Result<Place, AppError> {
        // The pass with its holder and its center, in one query: the pass's
        // own center is where it is scanned almost always. Its center is
        // read again only for a membership card scanned at another center
        // (or a code whose row does not match what was signed).
        let (scope, joined) = tokio::try_join!(
            crate::access::staff_centers(db, desk_user),
            signed_row(db, claims),
        )?;
        let (row, person, pass_center) = match joined {
            Some((p, person, c)) => (Some(p), person, c),
            None => (None, None, None),
        };
        let (at_center, shown) = desk_center(desk_user, scope.as_deref(), claims);
        let center_here = match pass_center.filter(|c| c.id == at_center) {
            Some(c) => Some(c),
            None => center::Entity::find_by_id(at_center).one(db).await?,
        };
        let tz = center_here
            .as_ref()
            .map(crate::centers::service::center_tz)
            .unwrap_or(chrono_tz::Asia::Almaty);
        Ok(Place {
            scope,
            row,
            person,
            at_center,
            shown,
            tz,
        })
    }
}

async fn decide_scan(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    desk_user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ScanVerdictDto, AppError> {
    let claims = match pass::verify(code, &keys.trusted) {
        Ok(c) => c,
        Err(e) => return Ok(pass_error_verdict(e, l)),
    };
    let Place {
        scope,
        row,
        person,
        at_center,
        shown,
        tz,
    } = Place::read(db, desk_user, &claims).await?;
    let today = now.with_timezone(&tz).date_naive();
    // The check-in webhook's endpoints are read here, not under the lock.
    let (holder, purpose, admitted, hooks) = tokio::try_join!(
        async {
            match (shown, person) {
                (true, Some(p)) => Holder::of(db, p, today).await,
                (true, None) => Holder::load(db, claims.holder_id as i32, today).await,
                (false, _) => Ok(Holder::hidden()),
            }
        },
        async {
            match &row {
                Some(p) => Purpose::load(db, p, at_center, now, tz, l).await,
                None => Ok(Purpose::none()),
            }
        },
        first_check_in(db, claims.pass_id as i32, today),
        crate::notify::outbox::kept_webhook_targets(db, WebhookEvent::CheckIn, at_center),
    )?;
    let desk = Desk {
        now,
        centers: scope.map(|cs| cs.into_iter().map(|c| c as u32).collect()),
        tz,
        early_minutes: purpose.early_minutes,
    };
    let denied = |d: Denial, holder: Holder, purpose: Purpose| {
        let (code, reason) = denial_text(&d, tz, l);
        let what = purpose.what.filter(|_| shown);
        Ok(holder.verdict(false, code, reason, what))
    };
    // As read: a refusal needs no lock.
    let record = row.as_ref().map(|p| PassRecord {
        revoked: p.revoked_at.is_some() || purpose.cancelled(),
        first_check_in: admitted,
    });
    if let Err(d) = door_decision(&claims, &purpose, record.as_ref(), &desk) {
        return denied(d, holder, purpose);
    }
    // Admitted as read: decide again under the pass row's lock.
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let locked = model::for_update(
        model::pass::Entity::find_by_id(claims.pass_id as i32),
        backend,
    )
    .one(&txn)
    .await?;
    let booking_now = match purpose.booking.as_ref() {
        Some(b) => booking::Entity::find_by_id(b.id).one(&txn).await?,
        None => None,
    };
    // Today's admission is not read again: one that committed since the
    // read above makes the insert below break the unique live check-in of
    // (pass, day), which is answered as "already checked in".
    let record = locked
        .filter(|p| p.person_id as u32 == claims.holder_id)
        .map(|p| PassRecord {
            revoked: p.revoked_at.is_some() || no_longer_confirmed(booking_now.as_ref()),
            first_check_in: None,
        });
    if let Err(d) = door_decision(&claims, &purpose, record.as_ref(), &desk) {
        txn.rollback().await?;
        return denied(d, holder, purpose);
    }
    let inserted = check_in::ActiveModel {
        pass_id: Set(claims.pass_id as i32),
        person_id: Set(claims.holder_id as i32),
        center_id: Set(at_center),
        space_id: Set(purpose.space_id),
        scanned_at: Set(now),
        scanned_by: Set(desk_user.account_id),
        local_day: Set(today),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(ci) => {
            record_admission(&txn, desk_user, &ci, &purpose, &hooks, now).await?;
            txn.commit().await?;
            Ok(holder.verdict(true, "admitted", Msg::Admitted.text(l).into(), purpose.what))
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            // Another desk won the race; report its admission.
            txn.rollback().await?;
            let first = first_check_in(db, claims.pass_id as i32, today).await?;
            let (at, by) = first.ok_or(AppError::Internal)?;
            denied(Denial::AlreadyCheckedIn { at, by }, holder, purpose)
        }
        Err(e) => Err(e.into()),
    }
}

/// The pass row with its holder and center, only if it is the one that was
/// signed.
async fn signed_row(
    db: &DatabaseConnection,
    claims: &PassClaims,
) -> Result<
    Option<(
        model::pass::Model,
        Option<person::Model>,
        Option<center::Model>,
    )>,
    AppError,
> {
    Ok(model::pass::Entity::find_by_id(claims.pass_id as i32)
        .find_also_related(person::Entity)
        .find_also_related(center::Entity)
        .one(db)
        .await?
        .filter(|(p, _, _)| {
            p.person_id as u32 == claims.holder_id && p.center_id as u32 == claims.center_id
        }))
}

/// The door rules for a pass as signed, narrowed to today's club session or
/// the event when the pass is for one.
fn door_decision(
    claims: &PassClaims,
    purpose: &Purpose,
    record: Option<&PassRecord>,
    desk: &Desk<Tz>,
) -> Result<(), Denial> {
    if purpose.no_session_today && record.is_some_and(|r| !r.revoked) {
        // The club does not meet today (or this session was cancelled).
        return checkin::decide(claims, record, desk).and(Err(Denial::NotToday));
    }
    let mut effective = *claims;
    if let Some((from, until)) = purpose.window {
        effective.valid_from = from;
        effective.valid_until = until;
    }
    checkin::decide(&effective, record, desk)
}

/// What an admission records besides the check-in row: the audit entry,
/// the check-in webhook, and the club or event attendance tick.
async fn record_admission<C: ConnectionTrait>(
    txn: &C,
    desk_user: &CurrentUser,
    ci: &check_in::Model,
    purpose: &Purpose,
    hooks: &[crate::model::webhook_endpoint::Model],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::audit::service::record(
        txn,
        desk_user,
        Some(ci.center_id),
        crate::audit::dto::AuditKind::CheckIn,
        crate::audit::service::member_subject(ci.person_id),
        format!(
            "check-in {}, pass {}{}",
            ci.id,
            ci.pass_id,
            purpose
                .what
                .as_deref()
                .map(|w| format!(": {w}"))
                .unwrap_or_default()
        ),
        now,
    )
    .await?;
    crate::notify::outbox::webhook_to(
        txn,
        hooks,
        WebhookEvent::CheckIn,
        ci.center_id,
        serde_json::json!({
            "check_in_id": ci.id,
            "pass_id": ci.pass_id,
            "member": crate::domain::membership::member_number(ci.person_id),
            "space_id": ci.space_id,
            "scanned_at": ci.scanned_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
        now,
    )
    .await?;
    if let Some(s) = &purpose.club_session {
        crate::passes::attendance::record_attendance(
            txn,
            s.id,
            ci.person_id,
            desk_user.account_id,
            crate::domain::codes::AttendanceVia::Door,
            now,
        )
        .await?;
    }
    if let Some(id) = purpose.event_id {
        crate::passes::attendance::record_check_in(txn, id, ci.person_id, now).await?;
    }
    Ok(())
}
