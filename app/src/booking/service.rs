//! Booking transactions and availability queries.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::dto::*;
use crate::domain::slots::{self, DayHours, Interval, Occupant, SlotRefusal};
use crate::error::AppError;
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::membership::dto::Role;
use crate::membership::members::staff_covers;
use crate::membership::service::CurrentUser;
use crate::model::{self, booking, center, check_in, opening_hours, pass, space};
use crate::passes::service as passes;
use crate::state::PassKeyRing;

/// How far ahead members can book (and the availability view shows).
pub const WINDOW_DAYS: i64 = 7;
pub const STATUS_CONFIRMED: &str = "confirmed";

pub fn center_dto(c: &center::Model, l: Locale) -> CenterDto {
    CenterDto {
        id: c.id,
        name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        city: c.city.clone(),
        is_regional: c.parent_id.is_none(),
    }
}

pub fn space_dto(s: &space::Model, l: Locale) -> SpaceDto {
    SpaceDto {
        id: s.id,
        kind: SpaceKind::parse(&s.kind).unwrap_or(SpaceKind::Coworking),
        name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
        capacity: s.capacity,
        slot_minutes: s.slot_minutes,
    }
}

pub fn center_tz(c: &center::Model) -> Tz {
    c.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty)
}

/// A space with everything needed to compute its slots.
pub struct SpaceCtx {
    pub space: space::Model,
    pub center: center::Model,
    pub tz: Tz,
    hours: HashMap<i16, DayHours>,
    /// Staff-added closure days with their reasons (a handful per center).
    closures: HashMap<NaiveDate, String>,
}

impl SpaceCtx {
    /// Opening hours on a local date: none on public holidays and closures.
    pub fn hours_on(&self, date: NaiveDate) -> Option<DayHours> {
        if crate::domain::holidays::public_holiday(date).is_some()
            || self.closures.contains_key(&date)
        {
            return None;
        }
        self.hours
            .get(&(date.weekday().num_days_from_monday() as i16))
            .copied()
    }

    /// Why the center is closed on a date that is normally open.
    pub fn closed_because(&self, date: NaiveDate, l: Locale) -> Option<String> {
        if let Some(h) = crate::domain::holidays::public_holiday(date) {
            return Some(crate::i18n::holiday_name(l, h).to_string());
        }
        self.closures.get(&date).cloned()
    }

    pub fn offered_on(&self, date: NaiveDate) -> Vec<Interval> {
        self.hours_on(date)
            .map(|h| slots::day_slots(self.tz, date, h, self.space.slot_minutes))
            .unwrap_or_default()
    }
}

pub async fn opening_hours_of<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
) -> Result<HashMap<i16, DayHours>, AppError> {
    Ok(opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| {
            (
                h.weekday,
                DayHours {
                    opens_min: h.opens_min,
                    closes_min: h.closes_min,
                },
            )
        })
        .collect())
}

pub async fn load_space<C: ConnectionTrait>(
    db: &C,
    space: space::Model,
) -> Result<SpaceCtx, AppError> {
    let center = center::Entity::find_by_id(space.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hours = opening_hours_of(db, center.id).await?;
    let closures = crate::model::closure::Entity::find()
        .filter(crate::model::closure::Column::CenterId.eq(center.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.day, c.reason))
        .collect();
    Ok(SpaceCtx {
        closures,
        tz: center_tz(&center),
        space,
        center,
        hours,
    })
}

/// Confirmed bookings of a space overlapping `[from, to)`.
pub async fn occupants<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Occupant>, AppError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(space_id))
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(booking::Column::EndsAt.gt(from))
        .all(db)
        .await?
        .into_iter()
        .map(|b| Occupant {
            interval: Interval::new(b.starts_at, b.ends_at),
            party_size: b.party_size,
        })
        .collect())
}

pub async fn list_centers(db: &DatabaseConnection, l: Locale) -> Result<Vec<CenterDto>, AppError> {
    let mut centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    // Regional center first, then districts by name.
    centers.sort_by_key(|c| {
        (
            c.parent_id.is_some(),
            pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        )
    });
    Ok(centers.iter().map(|c| center_dto(c, l)).collect())
}

pub async fn center_detail(
    db: &DatabaseConnection,
    id: i32,
    l: Locale,
) -> Result<CenterDetailDto, AppError> {
    let c = center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    Ok(CenterDetailDto {
        center: center_dto(&c, l),
        spaces: spaces.iter().map(|s| space_dto(s, l)).collect(),
    })
}

/// Free and full slots of a space for the next `WINDOW_DAYS` local days.
pub async fn availability(
    db: &DatabaseConnection,
    space_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<AvailabilityDto, AppError> {
    let s = space::Entity::find_by_id(space_id)
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = load_space(db, s).await?;
    let today = now.with_timezone(&ctx.tz).date_naive();
    let window_end = now + Duration::days(WINDOW_DAYS + 1);
    let occ = occupants(db, space_id, now, window_end).await?;
    let mut days = Vec::new();
    for offset in 0..WINDOW_DAYS {
        let date = today + Duration::days(offset);
        let offered = ctx.offered_on(date);
        let slots = offered
            .iter()
            .filter(|iv| iv.start > now)
            .map(|iv| SlotDto {
                starts_at: iv.start.timestamp(),
                label: format!("{}–{}", hhmm(iv.start, ctx.tz), hhmm(iv.end, ctx.tz)),
                remaining: slots::remaining_capacity(ctx.space.capacity, iv, &occ),
            })
            .collect();
        days.push(DayDto {
            label: day_label(l, date),
            iso_date: date.to_string(),
            closed: offered.is_empty(),
            closed_reason: ctx.closed_because(date, l),
            slots,
        });
    }
    Ok(AvailabilityDto {
        center: center_dto(&ctx.center, l),
        space: space_dto(&ctx.space, l),
        timezone: ctx.center.timezone.clone(),
        days,
        form_token: {
            use rand::RngCore;
            let mut bytes = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            data_encoding::BASE32_NOPAD.encode(&bytes)
        },
    })
}

fn refusal(r: SlotRefusal) -> AppError {
    match r {
        SlotRefusal::InPast => AppError::SlotInPast,
        SlotRefusal::NotOffered => AppError::SlotNotOffered,
        SlotRefusal::BadPartySize => AppError::BadPartySize,
        SlotRefusal::Full => AppError::SlotFull,
    }
}

/// Book a slot for `user` and issue its pass, in one transaction.
///
/// The capacity check and the insert cannot interleave with another booking
/// of the same space: PostgreSQL holds a row lock on the space, SQLite an
/// immediate (write) transaction. The check reads only committed rows after
/// the lock is taken, so racing requests are serialised.
pub async fn book(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    space_id: i32,
    starts_at: DateTime<Utc>,
    party_size: i32,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    book_once(db, keys, user, space_id, starts_at, party_size, None, now).await
}

/// [`book`] with an idempotency token from the form: the same user sending
/// the same request with the same token gets the booking it already made
/// (double click, retry after a lost answer) instead of a second one or a
/// "slot full" about their own booking.
#[allow(clippy::too_many_arguments)]
pub async fn book_once(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    space_id: i32,
    starts_at: DateTime<Utc>,
    party_size: i32,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    book_for(
        db,
        keys,
        user,
        user.person_id,
        space_id,
        starts_at,
        party_size,
        token,
        now,
    )
    .await
}

fn is_studio(kind: &str) -> bool {
    matches!(
        SpaceKind::parse(kind),
        Some(
            SpaceKind::PodcastStudio
                | SpaceKind::SoundStudio
                | SpaceKind::PhotoStudio
                | SpaceKind::DesignStudio
        )
    )
}

async fn check_quota<C: ConnectionTrait>(
    db: &C,
    ctx: &SpaceCtx,
    person_id: i32,
    slot: Interval,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::domain::quota::{self, Held, Limits, QuotaRefusal};
    let mine = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
        .filter(booking::Column::EndsAt.gt(slot.start - Duration::days(7)))
        .all(db)
        .await?;
    let space_ids: Vec<i32> = mine.iter().map(|b| b.space_id).collect();
    let kinds: HashMap<i32, String> = space::Entity::find()
        .filter(space::Column::Id.is_in(space_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.kind))
        .collect();
    let held: Vec<Held> = mine
        .iter()
        .map(|b| Held {
            start: b.starts_at,
            end: b.ends_at,
            studio: kinds.get(&b.space_id).is_some_and(|k| is_studio(k)),
        })
        .collect();
    let new = Held {
        start: slot.start,
        end: slot.end,
        studio: is_studio(&ctx.space.kind),
    };
    let limits = Limits {
        max_future_bookings: ctx.center.max_future_bookings.max(0) as usize,
        max_studio_minutes_week: i64::from(ctx.center.max_studio_minutes_week),
    };
    match quota::check(&held, new, limits, now) {
        Ok(()) => Ok(()),
        Err(QuotaRefusal::FutureBookings { limit, retry_at }) => Err(AppError::QuotaExceeded {
            studio_hours: None,
            limit: limit as u32,
            retry_at: local_stamp(retry_at, ctx.tz),
        }),
        Err(QuotaRefusal::StudioHours {
            limit_minutes,
            retry_at,
        }) => Err(AppError::QuotaExceeded {
            studio_hours: Some((limit_minutes / 60) as u32),
            limit: limit_minutes as u32,
            retry_at: local_stamp(retry_at, ctx.tz),
        }),
    }
}

/// `01.12.2026 15:00`, center-local: a time in a message, the same in every
/// language.
fn local_stamp(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

/// Front desk books for a walk-in member: the booking (and its pass) is the
/// member's, the desk is recorded as its creator. Only for spaces of the
/// desk's centers; the member's own rules (guardian consent) still apply.
#[allow(clippy::too_many_arguments)]
pub async fn book_on_behalf(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    staff: &CurrentUser,
    person_id: i32,
    space_id: i32,
    starts_at: DateTime<Utc>,
    party_size: i32,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    staff.require(|r| r.can_scan())?;
    let s = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, staff, s.center_id).await? {
        return Err(AppError::Forbidden);
    }
    let member = crate::model::account::Entity::find()
        .filter(crate::model::account::Column::PersonId.eq(person_id))
        .filter(
            crate::model::account::Column::Role.eq(crate::membership::dto::Role::Visitor.as_str()),
        )
        .one(db)
        .await?;
    if member.is_none() {
        return Err(AppError::NotFound);
    }
    book_for(
        db, keys, staff, person_id, space_id, starts_at, party_size, token, now,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn book_for(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    person_id: i32,
    space_id: i32,
    starts_at: DateTime<Utc>,
    party_size: i32,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    let request_key = token.map(str::trim).filter(|t| !t.is_empty()).map(|t| {
        let t: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(64)
            .collect();
        format!("{t}:{space_id}:{}:{party_size}", starts_at.timestamp())
    });
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let s = model::for_update(space::Entity::find_by_id(space_id), backend)
        .filter(space::Column::Active.eq(true))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // Bookings of a space are serialised by the lock above, so a repeated
    // request sees the booking its first copy committed.
    if let Some(key) = &request_key {
        if let Some(existing) = booking::Entity::find()
            .filter(booking::Column::CreatedBy.eq(user.account_id))
            .filter(booking::Column::RequestKey.eq(key.clone()))
            .one(&txn)
            .await?
        {
            txn.commit().await?;
            return Ok(existing);
        }
    }
    let ctx = load_space(&txn, s).await?;
    let today = now.with_timezone(&ctx.tz).date_naive();
    crate::membership::members::ensure_may_book(&txn, person_id, today).await?;
    let slot_end = starts_at + Duration::minutes(i64::from(ctx.space.slot_minutes));
    let slot = Interval {
        start: starts_at,
        end: slot_end,
    };
    let date = starts_at.with_timezone(&ctx.tz).date_naive();
    let offered = if starts_at < now + Duration::days(WINDOW_DAYS) {
        ctx.offered_on(date)
    } else {
        Vec::new()
    };
    let occ = occupants(&txn, space_id, starts_at, slot_end).await?;
    slots::check_request(now, &slot, party_size, ctx.space.capacity, &offered, &occ)
        .map_err(refusal)?;
    // Fair share: members' own bookings count against the center's quotas;
    // staff (and what staff book for a walk-in) are exempt.
    let member_booking =
        matches!(user.role, Role::Visitor | Role::Mentor) && person_id == user.person_id;
    if member_booking {
        check_quota(&txn, &ctx, person_id, slot, now).await?;
    }
    let b = booking::ActiveModel {
        person_id: Set(person_id),
        space_id: Set(space_id),
        starts_at: Set(starts_at),
        ends_at: Set(slot_end),
        party_size: Set(party_size),
        status: Set(STATUS_CONFIRMED.into()),
        created_by: Set(user.account_id),
        created_at: Set(now),
        request_key: Set(request_key),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    passes::issue_booking_pass(&txn, keys, &b, ctx.center.id, now).await?;
    txn.commit().await?;
    Ok(b)
}

/// The member's bookings that have not ended more than a day ago, with passes.
pub async fn my_bookings(
    db: &DatabaseConnection,
    person_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<BookingDto>, AppError> {
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
        .filter(booking::Column::EndsAt.gt(now - Duration::days(1)))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut spaces: HashMap<i32, SpaceCtx> = HashMap::new();
    for b in rows {
        let ctx = match spaces.entry(b.space_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let s = space::Entity::find_by_id(b.space_id)
                    .one(db)
                    .await?
                    .ok_or(AppError::Internal)?;
                e.insert(load_space(db, s).await?)
            }
        };
        let p = pass::Entity::find()
            .filter(pass::Column::BookingId.eq(b.id))
            .filter(pass::Column::RevokedAt.is_null())
            .one(db)
            .await?;
        let checked_in_at = match &p {
            Some(p) => check_in::Entity::find()
                .filter(check_in::Column::PassId.eq(p.id))
                .one(db)
                .await?
                .map(|c| hhmm(c.scanned_at, ctx.tz)),
            None => None,
        };
        let date = b.starts_at.with_timezone(&ctx.tz).date_naive();
        let deadline = b.starts_at - Duration::minutes(i64::from(ctx.space.cancel_notice_minutes));
        let cancel_until = (checked_in_at.is_none() && now < deadline).then(|| {
            let d = deadline.with_timezone(&ctx.tz).date_naive();
            format!("{}, {}", day_label(l, d), hhmm(deadline, ctx.tz))
        });
        out.push(BookingDto {
            id: b.id,
            center_name: pick(
                l,
                &ctx.center.name_kk,
                &ctx.center.name_ru,
                &ctx.center.name_en,
            )
            .to_string(),
            space_name: pick(
                l,
                &ctx.space.name_kk,
                &ctx.space.name_ru,
                &ctx.space.name_en,
            )
            .to_string(),
            when: format!(
                "{}, {}–{}",
                day_label(l, date),
                hhmm(b.starts_at, ctx.tz),
                hhmm(b.ends_at, ctx.tz)
            ),
            party_size: b.party_size,
            qr_svg: p.as_ref().map(|p| passes::qr_svg(&p.code)),
            pass_code: p.map(|p| p.code),
            checked_in_at,
            cancel_until,
        });
    }
    Ok(out)
}

/// Cancel a booking: the member until the space's cancellation notice, staff
/// of the space's center at any time before it ends. Its pass is revoked and
/// the slot is free again. Cancelling twice is harmless.
pub async fn cancel(
    db: &DatabaseConnection,
    user: &CurrentUser,
    booking_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let b = model::for_update(booking::Entity::find_by_id(booking_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = space::Entity::find_by_id(b.space_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let owner = b.person_id == user.person_id;
    let staff_may = staff_covers(&txn, user, s.center_id).await?;
    if !owner && !staff_may {
        // Someone else's booking: do not reveal that it exists.
        return Err(AppError::NotFound);
    }
    if b.status != STATUS_CONFIRMED {
        return Ok(());
    }
    let notice = Duration::minutes(i64::from(s.cancel_notice_minutes));
    let deadline = if staff_may {
        b.ends_at
    } else {
        b.starts_at - notice
    };
    if now >= deadline {
        return Err(AppError::TooLateToCancel {
            notice_minutes: s.cancel_notice_minutes.max(0) as u32,
        });
    }
    cancel_bookings(&txn, vec![booking_id], user.account_id, now).await?;
    txn.commit().await?;
    Ok(())
}

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
    if b.status != STATUS_CONFIRMED {
        event.status(icalendar::EventStatus::Cancelled);
    }
    event.done()
}

/// Mark bookings cancelled (by `by`, at `now`) and revoke their passes, in
/// the caller's transaction.
async fn cancel_bookings<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    if ids.is_empty() {
        return Ok(());
    }
    booking::Entity::update_many()
        .col_expr(booking::Column::Status, Expr::value("cancelled"))
        .col_expr(booking::Column::CancelledAt, Expr::value(Some(now)))
        .col_expr(booking::Column::CancelledBy, Expr::value(Some(by)))
        .filter(booking::Column::Id.is_in(ids.clone()))
        .exec(db)
        .await?;
    pass::Entity::update_many()
        .col_expr(pass::Column::RevokedAt, Expr::value(Some(now)))
        .filter(pass::Column::BookingId.is_in(ids))
        .filter(pass::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Upcoming closures of the centers a staff user manages (`None`: all).
pub async fn list_closures(
    db: &DatabaseConnection,
    centers: Option<Vec<i32>>,
    today: NaiveDate,
    l: Locale,
) -> Result<Vec<ClosureDto>, AppError> {
    use crate::model::closure;
    let mut q = closure::Entity::find().filter(closure::Column::Day.gte(today));
    if let Some(cs) = centers {
        q = q.filter(closure::Column::CenterId.is_in(cs));
    }
    let rows = q.order_by_asc(closure::Column::Day).all(db).await?;
    let all_centers = center::Entity::find().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|c| ClosureDto {
            id: c.id,
            center: all_centers
                .iter()
                .find(|x| x.id == c.center_id)
                .map(|x| pick(l, &x.name_kk, &x.name_ru, &x.name_en).to_string())
                .unwrap_or_default(),
            day: day_label(l, c.day),
            iso_day: c.day.to_string(),
            reason: c.reason,
        })
        .collect())
}

/// Close a center for a day. Bookings of that day are cancelled and their
/// passes revoked; returns how many were cancelled.
pub async fn add_closure(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    day: NaiveDate,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    use crate::model::closure;
    if !staff_covers(db, user, center_id).await? {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid {
            field: "reason".into(),
            problem: crate::error::Problem::Required,
        });
    }
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    if day < now.with_timezone(&tz).date_naive() {
        return Err(AppError::Invalid {
            field: "day".into(),
            problem: crate::error::Problem::Date,
        });
    }
    let txn = model::begin_write(db).await?;
    if closure::Entity::find()
        .filter(closure::Column::CenterId.eq(center_id))
        .filter(closure::Column::Day.eq(day))
        .one(&txn)
        .await?
        .is_none()
    {
        closure::ActiveModel {
            center_id: Set(center_id),
            day: Set(day),
            reason: Set(reason.chars().take(200).collect()),
            created_by: Set(user.account_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let start = slots::local_to_utc(tz, day, 0);
    let end = slots::local_to_utc(tz, day + Duration::days(1), 0);
    let space_ids: Vec<i32> = space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let affected: Vec<i32> = booking::Entity::find()
        .filter(booking::Column::SpaceId.is_in(space_ids))
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
        .filter(booking::Column::StartsAt.gte(start))
        .filter(booking::Column::StartsAt.lt(end))
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let count = affected.len() as u64;
    cancel_bookings(&txn, affected, user.account_id, now).await?;
    txn.commit().await?;
    Ok(count)
}

/// Reopen a closed day.
pub async fn remove_closure(
    db: &DatabaseConnection,
    user: &CurrentUser,
    closure_id: i32,
) -> Result<(), AppError> {
    use crate::model::closure;
    let c = closure::Entity::find_by_id(closure_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, user, c.center_id).await? {
        return Err(AppError::NotFound);
    }
    closure::Entity::delete_by_id(closure_id).exec(db).await?;
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
    a.calendar_token_hash = Set(Some(crate::membership::service::token_hash(&token)));
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
                .eq(crate::membership::service::token_hash(token)),
        )
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = crate::model::person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let l = Locale::parse(&p.preferred_lang).unwrap_or_default();
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(p.id))
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
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
