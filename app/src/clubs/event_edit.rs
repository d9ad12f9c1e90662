//! Changing an event after creation (director of its center, admin): names,
//! descriptions, direction, time, room or a place outside the building,
//! capacity; cancelling it; and the head count staff record for an event
//! people come to without registering. Registrants are told of every change
//! of time or place, and of a cancellation, in their own language.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::edit_dto::*;
use super::events::{event_or_404, issue_event_pass, lock_event, promote_waiting};
use super::manage::{check_names, managed_space, MAX_MINUTES};
use super::roster::MAX_REASON;
use super::service::invalid;
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::directions::DirectionBook;
use crate::centers::occupancy_moves::{ensure_free_except, Own};
use crate::centers::service::{center_tz, load_space};
use crate::domain::codes::{AuditKind, EventPlace, NoticeKind};
use crate::domain::slots::local_to_utc;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, center, event, event_registration as reg};
use crate::notify::changes::{self, tell};
use crate::state::PassKeyRing;

/// Longest place written out for an event outside the building.
pub const MAX_PLACE: usize = 200;

/// Largest head count an event may record.
pub const MAX_EVENT_HEAD_COUNT: u32 = 100_000;

/// The center of an event outside the building: a director of it or an
/// admin (others are refused before the form is checked).
pub async fn outside_center<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: i32,
) -> Result<center::Model, AppError> {
    user.require(|r| r.can_report())?;
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or_else(|| invalid("center_id", Problem::Required))?;
    if !staff_covers(db, user, c.id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Where and when an event is wanted (center-local date and start).
pub struct Wanted<'a> {
    pub outside: bool,
    pub center_id: i32,
    pub space_id: i32,
    pub place: &'a str,
    pub date: NaiveDate,
    pub starts_min: i32,
    pub minutes: i64,
}

/// Where and when an event will be.
pub struct Placed {
    pub center_id: i32,
    pub space_id: Option<i32>,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Check where and when an event goes: in a room of the center, inside its
/// opening hours and free of anything else there (`own`: the event that
/// moves), or outside the building at a place written out (no room, no
/// opening hours). In a write transaction; refused with nothing written.
pub async fn place_and_time<C: ConnectionTrait>(
    txn: &C,
    user: &CurrentUser,
    w: Wanted<'_>,
    own: Option<&event::Model>,
    now: DateTime<Utc>,
) -> Result<Placed, AppError> {
    if w.outside {
        let place = w.place.trim();
        if place.is_empty() {
            return Err(invalid("place", Problem::Required));
        }
        if place.chars().count() > MAX_PLACE {
            return Err(invalid("place", Problem::TooLong));
        }
        let center_id = own.map(|e| e.center_id).unwrap_or(w.center_id);
        let c = outside_center(txn, user, center_id).await?;
        if own.is_none() {
            // A deactivated center takes no new activities.
            crate::centers::service::ensure_active_center(&c, "center_id")?;
        }
        let tz = center_tz(&c);
        let starts_at = local_to_utc(tz, w.date, w.starts_min);
        if starts_at <= now {
            return Err(AppError::SlotInPast);
        }
        return Ok(Placed {
            center_id: c.id,
            space_id: None,
            place: place.to_string(),
            starts_at,
            ends_at: starts_at + Duration::minutes(w.minutes),
        });
    }
    let s = managed_space(txn, user, w.space_id).await?;
    if own.is_none() {
        crate::centers::service::ensure_active(txn, s.center_id, "space_id").await?;
    }
    if own.is_some_and(|e| e.center_id != s.center_id) {
        return Err(invalid("space_id", Problem::Required));
    }
    let ctx = load_space(txn, s.clone()).await?;
    let starts_at = local_to_utc(ctx.tz, w.date, w.starts_min);
    let ends_at = starts_at + Duration::minutes(w.minutes);
    if starts_at <= now {
        return Err(AppError::SlotInPast);
    }
    let Some(h) = ctx.hours_on(w.date) else {
        return Err(AppError::SlotNotOffered);
    };
    if w.starts_min < h.opens_min || i64::from(w.starts_min) + w.minutes > i64::from(h.closes_min) {
        return Err(AppError::SlotNotOffered);
    }
    ensure_free_except(
        txn,
        s.id,
        &[(starts_at, ends_at)],
        ctx.tz,
        Own {
            club_id: None,
            event_id: own.map(|e| e.id),
        },
    )
    .await?;
    Ok(Placed {
        center_id: s.center_id,
        space_id: Some(s.id),
        place: String::new(),
        starts_at,
        ends_at,
    })
}

/// The event a director of its center or an admin may change.
async fn editable<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    e: event::Model,
) -> Result<event::Model, AppError> {
    user.require(|r| r.can_report())?;
    if !staff_covers(db, user, e.center_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(e)
}

/// People registered for an event or waiting for a place.
async fn registrants<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    places: &[EventPlace],
) -> Result<Vec<i32>, AppError> {
    Ok(reg::Entity::find()
        .filter(reg::Column::EventId.eq(event_id))
        .filter(reg::Column::Status.is_in(places.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect())
}

/// The event's edit page.
pub async fn edit_data(
    db: &DatabaseConnection,
    user: &CurrentUser,
    event_id: i32,
    l: Locale,
) -> Result<EventEditDto, AppError> {
    let e = editable(db, user, event_or_404(db, event_id).await?).await?;
    let c = center::Entity::find_by_id(e.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let options = super::manage::form_options(db, user, l).await?;
    let spaces = options
        .centers
        .into_iter()
        .find(|x| x.id == e.center_id)
        .map(|x| x.spaces)
        .unwrap_or_default();
    let start = e.starts_at.with_timezone(&tz);
    Ok(EventEditDto {
        id: e.id,
        name: pick(l, &e.name_kk, &e.name_ru, &e.name_en).to_string(),
        registered: registrants(db, e.id, &[EventPlace::Registered])
            .await?
            .len() as u32,
        form: EventEditForm {
            name_kk: e.name_kk.clone(),
            name_ru: e.name_ru.clone(),
            name_en: e.name_en.clone(),
            description_kk: e.description_kk.clone(),
            description_ru: e.description_ru.clone(),
            description_en: e.description_en.clone(),
            direction: e.direction.as_str().to_string(),
            outside: e.space_id.is_none(),
            space_id: e.space_id.unwrap_or(0),
            place: e.place.clone(),
            date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            duration_minutes: (e.ends_at - e.starts_at).num_minutes().max(0) as u32,
            capacity: e.capacity.max(0) as u32,
            min_age: e.min_age.max(0) as u32,
        },
        spaces,
        directions: DirectionBook::load(db)
            .await?
            .options(l, Some(e.direction.as_str())),
    })
}

fn check_form(f: &EventEditForm) -> Result<(i32, i64, NaiveDate), AppError> {
    check_names(
        [
            ("name_kk", &f.name_kk),
            ("name_ru", &f.name_ru),
            ("name_en", &f.name_en),
        ],
        [
            ("description_kk", &f.description_kk),
            ("description_ru", &f.description_ru),
            ("description_en", &f.description_en),
        ],
    )?;
    let starts_min = crate::centers::dto::parse_hhmm(&f.start_time)
        .ok_or_else(|| invalid("start_time", Problem::Time))?;
    if !(15..=MAX_MINUTES).contains(&f.duration_minutes) {
        return Err(invalid("duration_minutes", Problem::Range));
    }
    let date = crate::error::form_date("date", &f.date)?;
    if !(1..=2000).contains(&f.capacity) {
        return Err(invalid("capacity", Problem::Range));
    }
    if f.min_age > 35 {
        return Err(invalid("min_age", Problem::Range));
    }
    if f.outside && f.place.chars().count() > MAX_PLACE {
        return Err(invalid("place", Problem::TooLong));
    }
    Ok((starts_min, i64::from(f.duration_minutes), date))
}

/// Save an event's changes. A new time moves the registrants' passes; a new
/// time, room or place is told to everyone registered or waiting; more
/// places go to the waitlist first in line; fewer places than registered
/// is refused.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    event_id: i32,
    f: &EventEditForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Who may, before what is wrong with the form.
    editable(db, user, event_or_404(db, event_id).await?).await?;
    let (starts_min, minutes, date) = check_form(f)?;
    let book = DirectionBook::load(db).await?;
    let txn = model::begin_write(db).await?;
    let e = editable(&txn, user, lock_event(&txn, event_id).await?).await?;
    if e.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let direction = book.check(&f.direction, "direction", Some(e.direction.as_str()))?;
    let registered = registrants(&txn, e.id, &[EventPlace::Registered]).await?;
    if (f.capacity as usize) < registered.len() {
        return Err(invalid("capacity", Problem::BelowBooked));
    }
    let at = place_and_time(
        &txn,
        user,
        Wanted {
            outside: f.outside,
            center_id: e.center_id,
            space_id: f.space_id,
            place: &f.place,
            date,
            starts_min,
            minutes,
        },
        Some(&e),
        now,
    )
    .await?;
    let retimed = at.starts_at != e.starts_at || at.ends_at != e.ends_at;
    let moved = retimed || at.space_id != e.space_id || at.place != e.place;
    let more = f.capacity as i32 > e.capacity;
    let mut m = e.clone().into_active_model();
    m.name_kk = Set(f.name_kk.trim().into());
    m.name_ru = Set(f.name_ru.trim().into());
    m.name_en = Set(f.name_en.trim().into());
    m.description_kk = Set(f.description_kk.trim().into());
    m.description_ru = Set(f.description_ru.trim().into());
    m.description_en = Set(f.description_en.trim().into());
    m.direction = Set(direction);
    m.space_id = Set(at.space_id);
    m.place = Set(at.place);
    m.starts_at = Set(at.starts_at);
    m.ends_at = Set(at.ends_at);
    m.capacity = Set(f.capacity as i32);
    m.min_age = Set(f.min_age as i32);
    let updated = m.update(&txn).await?;
    if retimed {
        // An event pass is valid for the event's time: passes follow it.
        revoke_passes(&txn, e.id, now).await?;
        for p in &registered {
            issue_event_pass(&txn, keys, &updated, *p, now).await?;
        }
    }
    if more {
        promote_waiting(&txn, keys, &updated, now).await?;
    }
    let told = if moved {
        let people =
            registrants(&txn, e.id, &[EventPlace::Registered, EventPlace::Waiting]).await?;
        tell(&people, NoticeKind::EventChanged, e.id, None)
    } else {
        Vec::new()
    };
    changes::store(&txn, &told, e.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(e.center_id),
        AuditKind::ActivityChanged,
        format!("event {}", e.id),
        format!(
            "{}; capacity {}; {} registrants told",
            f.name_en.trim(),
            f.capacity,
            told.len()
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn revoke_passes<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    model::pass::Entity::update_many()
        .col_expr(
            model::pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(model::pass::Column::EventId.eq(event_id))
        .filter(model::pass::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Cancel an event that has not ended: the room is free again, the passes
/// stop working and everyone registered or waiting is told the reason.
/// Needs the confirmation ticked.
pub async fn cancel_event(
    db: &DatabaseConnection,
    user: &CurrentUser,
    event_id: i32,
    reason: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    editable(db, user, event_or_404(db, event_id).await?).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(invalid("reason", Problem::TooLong));
    }
    if !confirm {
        return Err(invalid("confirm", Problem::Required));
    }
    let txn = model::begin_write(db).await?;
    let e = editable(&txn, user, lock_event(&txn, event_id).await?).await?;
    if e.ends_at <= now {
        return Err(AppError::BookingClosed);
    }
    let mut m = e.clone().into_active_model();
    m.active = Set(false);
    m.update(&txn).await?;
    revoke_passes(&txn, e.id, now).await?;
    let people = registrants(&txn, e.id, &[EventPlace::Registered, EventPlace::Waiting]).await?;
    let told = tell(
        &people,
        NoticeKind::EventCancelled,
        e.id,
        Some(reason.to_string()),
    );
    changes::store(&txn, &told, e.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(e.center_id),
        AuditKind::ActivityCancelled,
        format!("event {}", e.id),
        reason.to_string(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Record how many people came to an event (staff of its center), from an
/// hour before it starts. The reach report counts it instead of the
/// checked-in registrations.
pub async fn record_head_count(
    db: &DatabaseConnection,
    user: &CurrentUser,
    event_id: i32,
    count: u32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    user.require(|r| r.can_scan())?;
    let txn = model::begin_write(db).await?;
    let e = lock_event(&txn, event_id).await?;
    if !staff_covers(&txn, user, e.center_id).await? {
        return Err(AppError::Forbidden);
    }
    if count > MAX_EVENT_HEAD_COUNT {
        return Err(invalid("count", Problem::Range));
    }
    if e.starts_at > now + Duration::hours(1) {
        return Err(AppError::BookingClosed);
    }
    let center_id = e.center_id;
    let mut m = e.into_active_model();
    m.head_count = Set(Some(count as i32));
    m.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        AuditKind::HeadCountRecorded,
        format!("event {event_id}"),
        count.to_string(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}
