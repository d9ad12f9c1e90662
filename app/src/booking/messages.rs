//! What a booking tells the world: the member's e-mails (confirmation,
//! denial, check-in reminder), the webhook payload, the `.ics` file and the
//! personal calendar feed.

use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::service::center_tz;
use crate::domain::codes::BookingStatus;
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{booking, center, space};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

/// One booking as an iCalendar file ("add to calendar"): the member's own,
/// or staff for their centers; others get not_found.
pub async fn booking_ics(
    db: &DatabaseConnection,
    user: &CurrentUser,
    booking_id: i32,
    l: Locale,
) -> Result<String, AppError> {
    let b = booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = space::Entity::find_by_id(b.space_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if b.person_id != user.person_id && !staff_covers(db, user, s.center_id).await? {
        return Err(AppError::NotFound);
    }
    let c = center::Entity::find_by_id(s.center_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let mut cal = icalendar::Calendar::new();
    cal.name("Ortalyq").push(booking_event(&b, &s, &c, l));
    Ok(cal.done().to_string())
}

/// A booking as a calendar event (same UID in the single file and the feed,
/// so calendar apps do not show it twice).
fn booking_event(
    b: &booking::Model,
    s: &space::Model,
    c: &center::Model,
    l: Locale,
) -> icalendar::Event {
    use icalendar::{Component, Event, EventLike};
    let space_name = pick(l, &s.name_kk, &s.name_ru, &s.name_en);
    let center_name = pick(l, &c.name_kk, &c.name_ru, &c.name_en);
    let mut event = Event::new();
    event
        .uid(&format!("booking-{}@ortalyq", b.id))
        .summary(&format!("{space_name} — {center_name}"))
        .location(&format!("{center_name}, {}", c.city))
        .starts(b.starts_at)
        .ends(b.ends_at)
        .timestamp(b.created_at);
    if b.status != BookingStatus::Confirmed {
        event.status(icalendar::EventStatus::Cancelled);
    }
    event.done()
}

/// `Tue 01.12, 15:00–16:00`: a booking's time, center-local.
fn when_text(l: Locale, b: &booking::Model, tz: Tz) -> String {
    format!(
        "{}, {}–{}",
        day_label(l, b.starts_at.with_timezone(&tz).date_naive()),
        hhmm(b.starts_at, tz),
        hhmm(b.ends_at, tz)
    )
}

/// The greeting name in an email: the first word of the full name.
fn greeting_name(full_name: &str) -> &str {
    full_name.split_whitespace().next().unwrap_or_default()
}

/// Queue the email telling the member about confirmed bookings (one email
/// for a weekly series), with an `.ics` file of them attached; a member
/// without an email address gets a text message instead. `kind`:
/// `booking` (made), `approved` (a request approved), `reminder` (the
/// check-in window opened), `moved` (rescheduled) or `moved_pending`
/// (rescheduled, the new time waits for approval: no calendar file yet, the
/// approval email brings it). `dedupe_key` makes it enqueue-once.
pub async fn queue_booking_email<C: ConnectionTrait>(
    db: &C,
    bookings: &[booking::Model],
    s: &space::Model,
    c: &center::Model,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(first) = bookings.first() else {
        return Ok(false);
    };
    let tz = center_tz(c);
    let dedupe_key = (kind == "reminder").then(|| format!("reminder:booking:{}", first.id));
    crate::notify::outbox::to_person(
        db,
        first.person_id,
        Some(c.id),
        &format!("email.{kind}"),
        dedupe_key,
        now,
        |p, l| {
            let space_name = pick(l, &s.name_kk, &s.name_ru, &s.name_en);
            let center_name = format!(
                "{}, {}",
                pick(l, &c.name_kk, &c.name_ru, &c.name_en),
                c.city
            );
            let when: Vec<String> = bookings.iter().map(|b| when_text(l, b, tz)).collect();
            let (subject, body) = crate::notify::templates::mail_booking(
                l,
                kind,
                space_name,
                &center_name,
                &when.join("\n"),
            );
            let mut cal = icalendar::Calendar::new();
            cal.name("Ortalyq");
            for b in bookings {
                cal.push(booking_event(b, s, c, l));
            }
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(l, greeting_name(&p.full_name), &body),
                attachment: (kind != "moved_pending").then(|| crate::notify::outbox::Attachment {
                    filename: format!("ortalyq-booking-{}.ics", first.id),
                    content_type: "text/calendar; charset=utf-8".into(),
                    content: cal.done().to_string(),
                }),
                short: Some(crate::notify::templates::sms_booking(
                    l,
                    kind,
                    space_name,
                    &series_when(&when),
                )),
            }
        },
    )
    .await
}

/// The first time of a series, and how many more (`Tue 01.12, 15:00–16:00
/// (+3)`): a text message has no room for the list.
fn series_when(when: &[String]) -> String {
    match when {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (+{})", rest.len()),
    }
}

/// Queue the email telling a member their request was denied, and why.
pub(super) async fn queue_denial_email<C: ConnectionTrait>(
    db: &C,
    b: &booking::Model,
    s: &space::Model,
    c: &center::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let tz = center_tz(c);
    crate::notify::outbox::to_person(
        db,
        b.person_id,
        Some(c.id),
        "email.denied",
        None,
        now,
        |p, l| {
            let space_name = pick(l, &s.name_kk, &s.name_ru, &s.name_en);
            let when = when_text(l, b, tz);
            let (subject, body) = crate::notify::templates::mail_denied(
                l,
                space_name,
                pick(l, &c.name_kk, &c.name_ru, &c.name_en),
                &when,
                reason,
            );
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(l, greeting_name(&p.full_name), &body),
                attachment: None,
                short: Some(crate::notify::templates::sms_denied(
                    l, space_name, &when, reason,
                )),
            }
        },
    )
    .await
}

/// Queue the "check-in is open" email for each confirmed booking whose
/// door window (the space's check-in minutes before the start) has opened
/// and which has not started yet. Bookings made after their window opened
/// are skipped (the confirmation just told them). Each booking is reminded
/// once, also with several instances running: the outbox row's dedupe key
/// is unique. Returns how many reminders were queued.
pub async fn queue_checkin_reminders(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    // Each booking with its space and the space's center, in one query.
    let soon = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(booking::Column::StartsAt.gt(now))
        .filter(booking::Column::StartsAt.lte(now + Duration::days(1)))
        .find_also_related(space::Entity)
        .and_also_related(center::Entity)
        .all(db)
        .await?;
    let mut queued = 0;
    for (b, s, c) in soon {
        let (Some(s), Some(c)) = (s, c) else {
            continue;
        };
        let opens = b.starts_at - Duration::minutes(i64::from(s.checkin_open_minutes.max(0)));
        if opens > now || b.created_at >= opens {
            continue;
        }
        if queue_booking_email(db, std::slice::from_ref(&b), &s, &c, "reminder", now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A booking as webhook data: ids, times and the member number, never a
/// name or contact.
pub fn booking_data(b: &booking::Model) -> serde_json::Value {
    serde_json::json!({
        "booking_id": b.id,
        "space_id": b.space_id,
        "member": crate::domain::membership::member_number(b.person_id),
        "starts_at": b.starts_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "ends_at": b.ends_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "party_size": b.party_size,
        "status": b.status.as_str(),
    })
}

/// Queue a booking event for the center's webhooks.
pub async fn queue_booking_webhook<C: ConnectionTrait>(
    db: &C,
    event: WebhookEvent,
    b: &booking::Model,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::notify::outbox::webhook(db, event, center_id, booking_data(b), now).await?;
    Ok(())
}

/// Start (or replace) the member's private calendar feed; returns the new
/// secret token. Any earlier feed URL stops working.
pub async fn new_calendar_token(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<String, AppError> {
    use rand::RngCore;
    use sea_orm::IntoActiveModel;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = data_encoding::BASE32_NOPAD.encode(&bytes).to_lowercase();
    let acc = crate::model::account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = acc.into_active_model();
    a.calendar_token_hash = Set(Some(crate::access::session::token_hash(&token)));
    a.update(db).await?;
    Ok(token)
}

/// Stop the member's calendar feed.
pub async fn revoke_calendar_token(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<(), AppError> {
    use sea_orm::IntoActiveModel;
    let acc = crate::model::account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = acc.into_active_model();
    a.calendar_token_hash = Set(None);
    a.update(db).await?;
    Ok(())
}

/// The feed behind a token: the member's confirmed bookings from 30 days ago
/// on, in the member's language. Unknown or revoked tokens are not found.
pub async fn calendar_feed(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    use icalendar::Calendar;
    let acc = crate::model::account::Entity::find()
        .filter(
            crate::model::account::Column::CalendarTokenHash
                .eq(crate::access::session::token_hash(token)),
        )
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = crate::model::person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let l = p.preferred_lang;
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(p.id))
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(booking::Column::EndsAt.gt(now - Duration::days(30)))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    let spaces = space::Entity::find().all(db).await?;
    let centers = center::Entity::find().all(db).await?;
    let mut cal = Calendar::new();
    cal.name("Ortalyq");
    for b in rows {
        let Some(s) = spaces.iter().find(|s| s.id == b.space_id) else {
            continue;
        };
        let Some(c) = centers.iter().find(|c| c.id == s.center_id) else {
            continue;
        };
        cal.push(booking_event(&b, s, c, l));
    }
    Ok(cal.done().to_string())
}
