//! Events (a podcast recording with a guest, a stand-up show, a film
//! screening): registration with capacity and a first-come waitlist, an event
//! pass for the door, and creation by the center's director.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::dto::*;
use super::manage::{check_basics, managed_space};
use super::notices::{self, NoticeKind, Pending};
use super::service::{age_of, age_refusal, when_label};
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::directions::DirectionBook;
use crate::centers::service::center_tz;
use crate::domain::clubs::{self as rules, Placement};
use crate::domain::codes::EventPlace;
use crate::domain::pass::PassKind;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, center, event, event_registration as reg, space};
use crate::passes::service::PassLink;
use crate::state::PassKeyRing;

pub(super) async fn event_or_404<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<event::Model, AppError> {
    event::Entity::find_by_id(id)
        .filter(event::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn lock_event<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<event::Model, AppError> {
    model::for_update(
        event::Entity::find_by_id(id).filter(event::Column::Active.eq(true)),
        db.get_database_backend(),
    )
    .one(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// Registrations holding a place or waiting, in arrival order.
async fn live<C: ConnectionTrait>(db: &C, event_ids: &[i32]) -> Result<Vec<reg::Model>, AppError> {
    Ok(reg::Entity::find()
        .filter(reg::Column::EventId.is_in(event_ids.to_vec()))
        .filter(reg::Column::Status.is_in([EventPlace::Registered, EventPlace::Waiting]))
        .order_by_asc(reg::Column::QueuedAt)
        .order_by_asc(reg::Column::Id)
        .all(db)
        .await?)
}

fn standing_in(regs: &[reg::Model], event_id: i32, person_id: i32) -> Option<Standing> {
    let mut position = 0;
    for r in regs.iter().filter(|r| r.event_id == event_id) {
        if r.status == EventPlace::Waiting {
            position += 1;
        }
        if r.person_id == person_id {
            return Some(if r.status == EventPlace::Registered {
                Standing::In
            } else {
                Standing::Waiting { position }
            });
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
async fn dto<C: ConnectionTrait>(
    db: &C,
    e: &event::Model,
    centers: &HashMap<i32, center::Model>,
    (spaces, book): (&HashMap<i32, String>, &DirectionBook),
    regs: &[reg::Model],
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<EventDto, AppError> {
    let center = centers.get(&e.center_id).ok_or(AppError::NotFound)?;
    let tz = center_tz(center);
    let mine: Vec<&reg::Model> = regs.iter().filter(|r| r.event_id == e.id).collect();
    let standing = viewer.and_then(|u| standing_in(regs, e.id, u.person_id));
    let can = match viewer {
        Some(u) => staff_covers(db, u, e.center_id).await?,
        None => false,
    };
    let pass = match (viewer, standing) {
        (Some(u), Some(Standing::In)) => {
            model::pass::Entity::find()
                .filter(model::pass::Column::EventId.eq(e.id))
                .filter(model::pass::Column::PersonId.eq(u.person_id))
                .filter(model::pass::Column::RevokedAt.is_null())
                .one(db)
                .await?
        }
        _ => None,
    };
    Ok(EventDto {
        id: e.id,
        name: pick(l, &e.name_kk, &e.name_ru, &e.name_en).to_string(),
        description: pick(l, &e.description_kk, &e.description_ru, &e.description_en).to_string(),
        center: pick(l, &center.name_kk, &center.name_ru, &center.name_en).to_string(),
        space: e
            .space_id
            .and_then(|id| spaces.get(&id).cloned())
            .unwrap_or_else(|| e.place.clone()),
        direction: book.name(e.direction.as_str(), l),
        when: when_label(l, tz, e.starts_at, e.ends_at),
        past: e.ends_at <= now,
        capacity: e.capacity.max(0) as u32,
        registered: mine
            .iter()
            .filter(|r| r.status == EventPlace::Registered)
            .count() as u32,
        waiting: mine
            .iter()
            .filter(|r| r.status == EventPlace::Waiting)
            .count() as u32,
        min_age: e.min_age.max(0) as u32,
        standing,
        qr_svg: pass
            .as_ref()
            .map(|p| crate::passes::service::qr_svg(&p.code)),
        pass_code: pass.map(|p| p.code),
        can_manage: can,
        checked_in: can.then(|| mine.iter().filter(|r| r.checked_in_at.is_some()).count() as u32),
        outside: e.space_id.is_none(),
        head_count: e.head_count.filter(|_| can).map(|n| n.max(0) as u32),
        can_edit: can && viewer.is_some_and(|u| u.role.can_report()),
    })
}

async fn describe<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<EventDto>, AppError> {
    let centers: HashMap<i32, center::Model> = center::Entity::find()
        .filter(center::Column::Id.is_in(events.iter().map(|e| e.center_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let spaces: HashMap<i32, String> = space::Entity::find()
        .filter(
            space::Column::Id.is_in(events.iter().filter_map(|e| e.space_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            )
        })
        .collect();
    let regs = live(db, &events.iter().map(|e| e.id).collect::<Vec<_>>()).await?;
    let book = DirectionBook::load(db).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        out.push(dto(db, e, &centers, (&spaces, &book), &regs, viewer, now, l).await?);
    }
    Ok(out)
}

/// Upcoming events (and today's), optionally of one center.
pub async fn list(
    db: &DatabaseConnection,
    center_id: Option<i32>,
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<EventDto>, AppError> {
    let mut q = event::Entity::find()
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::EndsAt.gt(now - Duration::hours(12)));
    if let Some(id) = center_id {
        q = q.filter(event::Column::CenterId.eq(id));
    }
    let events = q.order_by_asc(event::Column::StartsAt).all(db).await?;
    describe(db, &events, viewer, now, l).await
}

pub async fn detail(
    db: &DatabaseConnection,
    event_id: i32,
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<EventDto, AppError> {
    let e = event_or_404(db, event_id).await?;
    describe(db, std::slice::from_ref(&e), viewer, now, l)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

pub(super) async fn issue_event_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    e: &event::Model,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::passes::service::issue_pass(
        db,
        keys,
        person_id,
        PassLink::Event(e.id),
        PassKind::Event,
        e.center_id,
        (e.starts_at, e.ends_at),
        now,
    )
    .await?;
    Ok(())
}

/// Register for an event: a place if one is free, else the waitlist.
pub async fn register(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<JoinDto, AppError> {
    let txn = model::begin_write(db).await?;
    let e = lock_event(&txn, event_id).await?;
    if e.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let center = center::Entity::find_by_id(e.center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // A deactivated center takes no new members or registrations.
    crate::centers::service::ensure_active_center(&center, "event_id")?;
    let today = now.with_timezone(&center_tz(&center)).date_naive();
    let age = age_of(&txn, user.person_id, today).await?;
    rules::age_fits(e.min_age.max(0) as u32, 0, age).map_err(age_refusal)?;
    // A minor needs a guardian's consent on record, as for booking.
    crate::access::ensure_may_book(&txn, user.person_id, today).await?;
    let regs = live(&txn, &[e.id]).await?;
    if let Some(s) = standing_in(&regs, e.id, user.person_id) {
        return Ok(JoinDto { standing: s });
    }
    let taken = regs
        .iter()
        .filter(|r| r.status == EventPlace::Registered)
        .count() as u32;
    let queued = regs.len() as u32 - taken;
    let placement = rules::place(e.capacity.max(0) as u32, taken, queued);
    let status = match placement {
        Placement::Member => EventPlace::Registered,
        Placement::Waiting { .. } => EventPlace::Waiting,
    };
    let registered_at = (status == EventPlace::Registered).then_some(now);
    let existing = reg::Entity::find()
        .filter(reg::Column::EventId.eq(e.id))
        .filter(reg::Column::PersonId.eq(user.person_id))
        .one(&txn)
        .await?;
    match existing {
        Some(r) => {
            let mut a = r.into_active_model();
            a.status = Set(status);
            a.queued_at = Set(now);
            a.registered_at = Set(registered_at);
            a.cancelled_at = Set(None);
            a.update(&txn).await?;
        }
        None => {
            reg::ActiveModel {
                event_id: Set(e.id),
                person_id: Set(user.person_id),
                status: Set(status),
                queued_at: Set(now),
                registered_at: Set(registered_at),
                cancelled_at: Set(None),
                checked_in_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    if status == EventPlace::Registered {
        issue_event_pass(&txn, keys, &e, user.person_id, now).await?;
    }
    txn.commit().await?;
    Ok(JoinDto {
        standing: match placement {
            Placement::Member => Standing::In,
            Placement::Waiting { position } => Standing::Waiting { position },
        },
    })
}

/// Cancel a registration (or leave the waitlist); a freed place goes to the
/// first in line, who gets a pass and a notice.
pub async fn cancel(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let e = lock_event(&txn, event_id).await?;
    if e.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let r = reg::Entity::find()
        .filter(reg::Column::EventId.eq(e.id))
        .filter(reg::Column::PersonId.eq(user.person_id))
        .filter(reg::Column::Status.is_in([EventPlace::Registered, EventPlace::Waiting]))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = r.into_active_model();
    a.status = Set(EventPlace::Cancelled);
    a.cancelled_at = Set(Some(now));
    a.update(&txn).await?;
    release_place(&txn, keys, &e, user.person_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// After a registration of `person_id` was cancelled (inside the transaction
/// that holds the event's lock): revoke their event pass and give freed
/// places to the first in line, with a pass and a stored notice each. The
/// notices to text once the transaction commits are returned.
pub(super) async fn release_place<C: ConnectionTrait>(
    txn: &C,
    keys: &PassKeyRing,
    e: &event::Model,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<Pending>, AppError> {
    model::pass::Entity::update_many()
        .col_expr(
            model::pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(model::pass::Column::EventId.eq(e.id))
        .filter(model::pass::Column::PersonId.eq(person_id))
        .filter(model::pass::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    promote_waiting(txn, keys, e, now).await
}

/// Give free places of an event to the first in line, with a pass and a
/// stored notice each (inside the transaction that holds the event's lock).
pub(super) async fn promote_waiting<C: ConnectionTrait>(
    txn: &C,
    keys: &PassKeyRing,
    e: &event::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Pending>, AppError> {
    let regs = live(txn, &[e.id]).await?;
    let taken = regs
        .iter()
        .filter(|r| r.status == EventPlace::Registered)
        .count() as u32;
    let queue: Vec<&reg::Model> = regs
        .iter()
        .filter(|r| r.status == EventPlace::Waiting)
        .collect();
    let mut pending = Vec::new();
    for w in rules::promotions(e.capacity.max(0) as u32, taken, &queue) {
        let mut a = (*w).clone().into_active_model();
        a.status = Set(EventPlace::Registered);
        a.registered_at = Set(Some(now));
        a.update(txn).await?;
        issue_event_pass(txn, keys, e, w.person_id, now).await?;
        pending.push(Pending {
            person_id: w.person_id,
            kind: NoticeKind::EventPromoted,
            subject_id: e.id,
            detail: None,
        });
    }
    notices::store(txn, &pending, now).await?;
    Ok(pending)
}

/// Create an event in a room of the director's center, or outside the
/// building at a place written out.
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    f: &EventForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    // Who may, before what is wrong with the form.
    if f.outside {
        super::event_edit::outside_center(db, user, f.center_id).await?;
    } else {
        managed_space(db, user, f.space_id).await?;
    }
    let book = crate::centers::directions::DirectionBook::load(db).await?;
    let (direction, starts_min, minutes) = check_basics(
        &book,
        [&f.name_kk, &f.name_ru, &f.name_en],
        [&f.description_kk, &f.description_ru, &f.description_en],
        &f.direction,
        &f.start_time,
        f.duration_minutes,
    )?;
    let date = crate::error::form_date("date", &f.date)?;
    if !(1..=2000).contains(&f.capacity) {
        return Err(AppError::Invalid {
            field: "capacity".into(),
            problem: Problem::Range,
        });
    }
    if f.min_age > 35 {
        return Err(AppError::Invalid {
            field: "min_age".into(),
            problem: Problem::Range,
        });
    }
    let txn = model::begin_write(db).await?;
    let at = super::event_edit::place_and_time(
        &txn,
        user,
        super::event_edit::Wanted {
            outside: f.outside,
            center_id: f.center_id,
            space_id: f.space_id,
            place: &f.place,
            date,
            starts_min,
            minutes,
        },
        None,
        now,
    )
    .await?;
    let e = event::ActiveModel {
        center_id: Set(at.center_id),
        space_id: Set(at.space_id),
        place: Set(at.place),
        head_count: Set(None),
        name_kk: Set(f.name_kk.trim().into()),
        name_ru: Set(f.name_ru.trim().into()),
        name_en: Set(f.name_en.trim().into()),
        description_kk: Set(f.description_kk.trim().into()),
        description_ru: Set(f.description_ru.trim().into()),
        description_en: Set(f.description_en.trim().into()),
        direction: Set(direction),
        starts_at: Set(at.starts_at),
        ends_at: Set(at.ends_at),
        capacity: Set(f.capacity as i32),
        min_age: Set(f.min_age as i32),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(e.id)
}
