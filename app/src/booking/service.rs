//! Booking transactions and availability queries.

use crate::centers::occupancy::occupants;
use crate::centers::occupancy::occupants_except;
use crate::centers::service::center_dto;
use crate::centers::service::center_tz;
use crate::centers::service::load_space;
use crate::centers::service::space_dto;
use crate::centers::service::SpaceCtx;
use crate::domain::codes::BookingStatus;
use crate::domain::space::SpaceKind;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::dto::*;
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::domain::people::Role;
use crate::domain::slots::{self, Interval, Occupant, Request, SlotRefusal, SpaceRules};
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{self, booking, center, check_in, pass, space};
use crate::passes::service as passes;
use crate::state::PassKeyRing;

/// Days the availability view shows at a time (one week).
pub const WEEK_DAYS: i64 = 7;
/// Longest weekly series one request may make.
pub const MAX_SERIES_WEEKS: u32 = 12;

/// Free and full slots of a space for one week of local days: `week` 0
/// starts today. Days past the space's advance window are left out.
pub async fn availability(
    db: &DatabaseConnection,
    space_id: i32,
    week: u32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<AvailabilityDto, AppError> {
    let s = space::Entity::find_by_id(space_id)
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = load_space(db, s).await?;
    let rules = ctx.rules();
    let today = now.with_timezone(&ctx.tz).date_naive();
    let window_end = ctx.window_end(now);
    let advance_days = i64::from(ctx.space.max_advance_days.max(1));
    let weeks = ((advance_days + WEEK_DAYS - 1) / WEEK_DAYS) as u32;
    let week = week.min(weeks.saturating_sub(1));
    let first = today + Duration::days(i64::from(week) * WEEK_DAYS);
    let last = (first + Duration::days(WEEK_DAYS)).min(today + Duration::days(advance_days));
    let buffer = Duration::minutes(i64::from(rules.buffer_minutes.max(0)));
    let occ = occupants(
        db,
        &ctx.space,
        slots::local_to_utc(ctx.tz, first, 0) - buffer,
        slots::local_to_utc(ctx.tz, last, 0) + Duration::days(1) + buffer,
    )
    .await?;
    let blocked: Vec<Occupant> = occ
        .iter()
        .map(|o| Occupant {
            interval: rules.blocked(&o.interval),
            party_size: o.party_size,
        })
        .collect();
    let earliest = now + Duration::minutes(i64::from(rules.min_notice_minutes.max(0)));
    let mut days = Vec::new();
    let mut date = first;
    while date < last {
        let offered = ctx.offered_on(date);
        let slots = offered
            .iter()
            .enumerate()
            .filter(|(_, iv)| iv.start > now && iv.start >= earliest && iv.start < window_end)
            .map(|(i, iv)| SlotDto {
                starts_at: iv.start.timestamp(),
                label: format!("{}–{}", hhmm(iv.start, ctx.tz), hhmm(iv.end, ctx.tz)),
                remaining: slots::remaining_capacity(
                    ctx.space.capacity,
                    &rules.blocked(iv),
                    &blocked,
                ),
                max_minutes: slots::longest_from(&rules, &offered, i, &occ),
            })
            .collect();
        days.push(DayDto {
            label: day_label(l, date),
            iso_date: date.to_string(),
            closed: offered.is_empty(),
            closed_reason: ctx.closed_because(date, l),
            slots,
        });
        date += Duration::days(1);
    }
    Ok(AvailabilityDto {
        center: center_dto(&ctx.center, l),
        space: space_dto(&ctx.space, l),
        timezone: ctx.center.timezone.clone(),
        week,
        weeks,
        days,
        form_token: {
            use rand::RngCore;
            let mut bytes = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            data_encoding::BASE32_NOPAD.encode(&bytes)
        },
    })
}

fn refusal(r: SlotRefusal, advance_days: i32) -> AppError {
    match r {
        SlotRefusal::InPast => AppError::SlotInPast,
        SlotRefusal::TooSoon { notice_minutes } => AppError::TooSoon {
            notice_minutes: notice_minutes.max(0) as u32,
        },
        SlotRefusal::TooFarAhead => AppError::TooFarAhead {
            days: advance_days.max(0) as u32,
        },
        SlotRefusal::BadDuration { min, max, step } => AppError::BadDuration {
            min: min.max(0) as u32,
            max: max.max(0) as u32,
            step: step.max(0) as u32,
        },
        SlotRefusal::NotOffered => AppError::SlotNotOffered,
        SlotRefusal::BadPartySize { max } => AppError::BadPartySize {
            max: max.max(0) as u32,
        },
        SlotRefusal::Full => AppError::SlotFull,
    }
}

/// What a booking form asks for.
#[derive(Clone, Debug, Default)]
pub struct BookingRequest {
    pub space_id: i32,
    pub starts_at: DateTime<Utc>,
    /// Length in minutes; `None`: the space's shortest.
    pub minutes: Option<i32>,
    pub party: i32,
    pub purpose: Option<String>,
    /// Weekly series length, 1 for a single booking.
    pub weeks: u32,
    /// Idempotency token of the form.
    pub token: Option<String>,
    /// Staff (an integration) booking for a member as the member would: the
    /// member's quotas, no-show block and approval rules apply.
    pub as_member: bool,
}

impl BookingRequest {
    /// One booking of the space's shortest length.
    pub fn single(
        space_id: i32,
        starts_at: DateTime<Utc>,
        party: i32,
        token: Option<&str>,
    ) -> Self {
        BookingRequest {
            space_id,
            starts_at,
            party,
            weeks: 1,
            token: token.map(str::to_string),
            ..Default::default()
        }
    }
}

/// What a booking request made: the bookings, and the dates of a weekly
/// series that were skipped with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct BookOutcome {
    pub bookings: Vec<booking::Model>,
    pub skipped: Vec<(NaiveDate, AppError)>,
}

/// Book a slot for `user` and issue its pass, in one transaction.
///
/// The capacity check and the insert cannot interleave with another booking
/// of the same space: PostgreSQL holds a row lock on the space, SQLite an
/// immediate (write) transaction. The check reads only committed rows after
impl BookOutcome {
    /// What the member is told: the bookings made and the dates skipped.
    pub fn to_dto(&self, l: Locale) -> BookResultDto {
        BookResultDto {
            pending: self
                .bookings
                .iter()
                .any(|b| b.status == BookingStatus::Pending),
            booking_ids: self.bookings.iter().map(|b| b.id).collect(),
            skipped: self
                .skipped
                .iter()
                .map(|(date, e)| SkippedDto {
                    date: crate::i18n::day_label(l, *date),
                    reason: e.message(l),
                })
                .collect(),
        }
    }
}

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
    let req = BookingRequest::single(space_id, starts_at, party_size, token);
    first_booking(book_request(db, keys, user, None, req, now).await?)
}

fn first_booking(outcome: BookOutcome) -> Result<booking::Model, AppError> {
    outcome
        .bookings
        .into_iter()
        .next()
        .ok_or(AppError::Internal)
}

async fn check_quota<C: ConnectionTrait>(
    db: &C,
    ctx: &SpaceCtx,
    person_id: i32,
    slot: Interval,
    except: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::domain::quota::{self, Held, Limits, QuotaRefusal};
    // A member booking two spaces at once holds two different space locks;
    // the member's own row serialises their quota checks (PostgreSQL; on
    // SQLite the immediate transaction already does). Always taken after
    // the space lock, so lock order stays space → member.
    model::for_update(
        crate::model::person::Entity::find_by_id(person_id),
        db.get_database_backend(),
    )
    .one(db)
    .await?;
    let mut q = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::EndsAt.gt(now.min(slot.start - Duration::days(7))));
    if let Some(id) = except {
        q = q.filter(booking::Column::Id.ne(id));
    }
    let mine = q.all(db).await?;
    let space_ids: Vec<i32> = mine.iter().map(|b| b.space_id).collect();
    let kinds: HashMap<i32, SpaceKind> = space::Entity::find()
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
            studio: kinds.get(&b.space_id).is_some_and(|k| k.is_studio()),
        })
        .collect();
    let new = Held {
        start: slot.start,
        end: slot.end,
        studio: ctx.space.kind.is_studio(),
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
    let req = BookingRequest::single(space_id, starts_at, party_size, token);
    first_booking(book_request(db, keys, staff, Some(person_id), req, now).await?)
}

/// The one booking transaction behind every booking form: a single booking
/// or a weekly series, for the user or (staff) for a walk-in member.
///
/// Members' bookings of spaces that need approval are `pending` (no pass
/// until approved); staff bookings are confirmed at once and exempt from the
/// fair-share quotas. In a series, dates that cannot be booked are skipped
/// and reported; when none can, the first date's refusal is the answer.
pub async fn book_request(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    for_person: Option<i32>,
    req: BookingRequest,
    now: DateTime<Utc>,
) -> Result<BookOutcome, AppError> {
    // Booking for someone (even oneself) through `for_person` is the desk's
    // walk-in flow, for members of the desk's centers only.
    let walk_in = for_person.is_some();
    let person_id = match for_person {
        Some(p) => {
            ensure_walk_in(db, user, p, req.space_id).await?;
            p
        }
        None => user.person_id,
    };
    if req.weeks == 0 || req.weeks > MAX_SERIES_WEEKS {
        return Err(AppError::Invalid {
            field: "weeks".into(),
            problem: crate::error::Problem::Range,
        });
    }
    let purpose = req
        .purpose
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().take(200).collect::<String>());
    let request_key = req
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let t: String = t
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(64)
                .collect();
            format!(
                "{t}:{}:{}:{}:{}:{}",
                req.space_id,
                req.starts_at.timestamp(),
                req.party,
                req.minutes.unwrap_or(0),
                req.weeks
            )
        });
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let s = model::for_update(space::Entity::find_by_id(req.space_id), backend)
        .filter(space::Column::Active.eq(true))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // Bookings of a space are serialised by the lock above, so a repeated
    // request sees the bookings its first copy committed.
    if let Some(key) = &request_key {
        if let Some(existing) = booking::Entity::find()
            .filter(booking::Column::CreatedBy.eq(user.account_id))
            .filter(booking::Column::RequestKey.eq(key.clone()))
            .one(&txn)
            .await?
        {
            let bookings = match &existing.series_key {
                Some(series) => {
                    booking::Entity::find()
                        .filter(booking::Column::SeriesKey.eq(series.clone()))
                        .order_by_asc(booking::Column::StartsAt)
                        .all(&txn)
                        .await?
                }
                None => vec![existing],
            };
            txn.commit().await?;
            return Ok(BookOutcome {
                bookings,
                skipped: Vec::new(),
            });
        }
    }
    let ctx = load_space(&txn, s).await?;
    let rules = ctx.rules();
    let today = now.with_timezone(&ctx.tz).date_naive();
    crate::access::ensure_may_book(&txn, person_id, today).await?;
    ensure_person_fits_space(&txn, &ctx, person_id, req.starts_at).await?;
    let member_booking = matches!(user.role, Role::Visitor | Role::Mentor) || req.as_member;
    if member_booking {
        // Repeated no-shows block members' own bookings for a while.
        if let Some(until) =
            crate::centers::strikes::blocked_until(&txn, person_id, &ctx.center, now).await?
        {
            return Err(AppError::NoShowBlocked {
                until: local_stamp(until, ctx.tz),
            });
        }
    }
    if ctx.space.requires_approval && member_booking && purpose.is_none() {
        return Err(AppError::Invalid {
            field: "purpose".into(),
            problem: crate::error::Problem::Required,
        });
    }
    let status = if ctx.space.requires_approval && member_booking {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let minutes = req.minutes.unwrap_or(ctx.space.min_minutes);
    let series_key = (req.weeks > 1).then(|| {
        use rand::RngCore;
        let mut bytes = [0u8; 10];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        data_encoding::BASE32_NOPAD.encode(&bytes)
    });
    // The same local wall-clock time each week (right across DST changes).
    let local = req.starts_at.with_timezone(&ctx.tz);
    let first_date = local.date_naive();
    let minute_of_day = (local.time() - chrono::NaiveTime::MIN).num_minutes() as i32;
    let mut outcome = BookOutcome {
        bookings: Vec::new(),
        skipped: Vec::new(),
    };
    for week in 0..req.weeks {
        let date = first_date + Duration::days(7 * i64::from(week));
        let starts_at = if week == 0 {
            req.starts_at
        } else {
            slots::local_to_utc(ctx.tz, date, minute_of_day)
        };
        let attempt = try_one(
            &txn,
            &ctx,
            &rules,
            Request {
                start: starts_at,
                minutes,
                party: req.party,
            },
            person_id,
            member_booking && (!walk_in || req.as_member),
            None,
            now,
        )
        .await;
        let interval = match attempt {
            Ok(iv) => iv,
            Err(e) if req.weeks > 1 && !matches!(e, AppError::Internal) => {
                outcome.skipped.push((date, e));
                continue;
            }
            Err(e) => return Err(e),
        };
        let b = booking::ActiveModel {
            person_id: Set(person_id),
            space_id: Set(ctx.space.id),
            starts_at: Set(interval.start),
            ends_at: Set(interval.end),
            party_size: Set(req.party),
            status: Set(status.into()),
            created_by: Set(user.account_id),
            created_at: Set(now),
            // The key marks the series' first booking, which replays find.
            request_key: Set(if outcome.bookings.is_empty() {
                request_key.clone()
            } else {
                None
            }),
            purpose: Set(purpose.clone()),
            decision_reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            series_key: Set(series_key.clone()),
            cancelled_at: Set(None),
            cancelled_by: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if status == BookingStatus::Confirmed {
            passes::issue_booking_pass(&txn, keys, &b, ctx.center.id, now).await?;
        }
        outcome.bookings.push(b);
    }
    if outcome.bookings.is_empty() {
        // Nothing could be booked: answer with the first date's reason.
        let first = outcome.skipped.into_iter().next().map(|(_, e)| e);
        return Err(first.unwrap_or(AppError::Internal));
    }
    // Told in the same transaction: nothing is sent for a booking that
    // does not commit. Requests waiting for approval are confirmed (or not)
    // by email when decided.
    if status == BookingStatus::Confirmed {
        queue_booking_email(
            &txn,
            &outcome.bookings,
            &ctx.space,
            &ctx.center,
            "booking",
            now,
        )
        .await?;
    }
    for b in &outcome.bookings {
        queue_booking_webhook(&txn, WebhookEvent::BookingCreated, b, ctx.center.id, now).await?;
    }
    txn.commit().await?;
    for b in &outcome.bookings {
        metrics::counter!(
            "ortalyq_bookings_created_total",
            "space_kind" => ctx.space.kind.as_str(),
            "status" => b.status.as_str()
        )
        .increment(1);
    }
    Ok(outcome)
}

/// Check one booking of a series (or a move) against the space's rules, its
/// current bookings (minus `except`) and, for members, the quotas.
#[allow(clippy::too_many_arguments)]
async fn try_one<C: ConnectionTrait>(
    db: &C,
    ctx: &SpaceCtx,
    rules: &SpaceRules,
    req: Request,
    person_id: i32,
    with_quota: bool,
    except: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Interval, AppError> {
    let date = req.start.with_timezone(&ctx.tz).date_naive();
    // Yesterday's grid too: late hours may run past midnight.
    let mut offered = date
        .pred_opt()
        .map(|d| ctx.offered_on(d))
        .unwrap_or_default();
    offered.extend(ctx.offered_on(date));
    let buffer = Duration::minutes(i64::from(rules.buffer_minutes.max(0)));
    let end = req.start + Duration::minutes(i64::from(req.minutes.max(0)));
    let occ = occupants_except(db, &ctx.space, req.start - buffer, end + buffer, except).await?;
    let interval = slots::check_booking(rules, now, req, ctx.window_end(now), &offered, &occ)
        .map_err(|r| refusal(r, ctx.space.max_advance_days))?;
    // Fair share: members' own bookings count against the center's quotas;
    // staff (and what staff book for a walk-in) are exempt.
    if with_quota {
        check_quota(db, ctx, person_id, interval, except, now).await?;
    }
    Ok(interval)
}

/// A desk may book for a member (never for staff) of its own centers.
async fn ensure_walk_in<C: ConnectionTrait>(
    db: &C,
    staff: &CurrentUser,
    person_id: i32,
    space_id: i32,
) -> Result<(), AppError> {
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
            crate::model::account::Column::Role.eq(crate::domain::people::Role::Visitor.as_str()),
        )
        .one(db)
        .await?;
    if member.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Person-level rules of a space: minimum age on the day of the booking and
/// a recorded induction.
async fn ensure_person_fits_space<C: ConnectionTrait>(
    db: &C,
    ctx: &SpaceCtx,
    person_id: i32,
    starts_at: DateTime<Utc>,
) -> Result<(), AppError> {
    if ctx.space.min_age > 0 {
        let p = crate::model::person::Entity::find_by_id(person_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let on = starts_at.with_timezone(&ctx.tz).date_naive();
        if crate::domain::membership::age_on(p.birth_date, on) < ctx.space.min_age {
            return Err(AppError::BelowMinAge {
                min_age: ctx.space.min_age as u32,
            });
        }
    }
    if ctx.space.requires_induction
        && crate::model::induction::Entity::find()
            .filter(crate::model::induction::Column::PersonId.eq(person_id))
            .filter(crate::model::induction::Column::SpaceId.eq(ctx.space.id))
            .one(db)
            .await?
            .is_none()
    {
        return Err(AppError::InductionRequired);
    }
    Ok(())
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
        .filter(booking::Column::Status.is_in([
            BookingStatus::Confirmed,
            BookingStatus::Pending,
            BookingStatus::Denied,
            BookingStatus::NoShow,
        ]))
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
        let status = b.status;
        let open = matches!(status, BookingStatus::Confirmed | BookingStatus::Pending)
            && checked_in_at.is_none();
        let cancel_until = (open && now < deadline).then(|| {
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
            space_id: b.space_id,
            minutes: (b.ends_at - b.starts_at).num_minutes() as i32,
            status,
            purpose: b.purpose.clone(),
            decision_reason: b.decision_reason.clone(),
            qr_svg: p.as_ref().map(|p| passes::qr_svg(&p.code)),
            pass_id: p.as_ref().map(|p| p.id),
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
    if !b.status.holds_place() {
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
/// for a weekly series), with an `.ics` file of them attached. `kind`:
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
    crate::notify::outbox::email_person(
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
            }
        },
    )
    .await
}

/// Queue the email telling a member their request was denied, and why.
async fn queue_denial_email<C: ConnectionTrait>(
    db: &C,
    b: &booking::Model,
    s: &space::Model,
    c: &center::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let tz = center_tz(c);
    crate::notify::outbox::email_person(
        db,
        b.person_id,
        Some(c.id),
        "email.denied",
        None,
        now,
        |p, l| {
            let (subject, body) = crate::notify::templates::mail_denied(
                l,
                pick(l, &s.name_kk, &s.name_ru, &s.name_en),
                pick(l, &c.name_kk, &c.name_ru, &c.name_en),
                &when_text(l, b, tz),
                reason,
            );
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(l, greeting_name(&p.full_name), &body),
                attachment: None,
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
    let soon = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(booking::Column::StartsAt.gt(now))
        .filter(booking::Column::StartsAt.lte(now + Duration::days(1)))
        .all(db)
        .await?;
    if soon.is_empty() {
        return Ok(0);
    }
    let spaces: HashMap<i32, space::Model> = space::Entity::find()
        .filter(space::Column::Id.is_in(soon.iter().map(|b| b.space_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let centers: HashMap<i32, center::Model> = center::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut queued = 0;
    for b in soon {
        let Some(s) = spaces.get(&b.space_id) else {
            continue;
        };
        let Some(c) = centers.get(&s.center_id) else {
            continue;
        };
        let opens = b.starts_at - Duration::minutes(i64::from(s.checkin_open_minutes.max(0)));
        if opens > now || b.created_at >= opens {
            continue;
        }
        if queue_booking_email(db, std::slice::from_ref(&b), s, c, "reminder", now).await? {
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
        "status": b.status,
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
    let cancelled = booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids.clone()))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .all(db)
        .await?;
    let centers: HashMap<i32, i32> = space::Entity::find()
        .filter(space::Column::Id.is_in(cancelled.iter().map(|b| b.space_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.center_id))
        .collect();
    for b in &cancelled {
        if let Some(center_id) = centers.get(&b.space_id) {
            let mut b = b.clone();
            b.status = BookingStatus::Cancelled;
            queue_booking_webhook(db, WebhookEvent::BookingCancelled, &b, *center_id, now).await?;
        }
    }
    booking::Entity::update_many()
        .col_expr(
            booking::Column::Status,
            Expr::value(BookingStatus::Cancelled),
        )
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
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::StartsAt.gte(start))
        .filter(booking::Column::StartsAt.lt(end))
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let count = affected.len() as u64;
    cancel_bookings(&txn, affected, user.account_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        crate::audit::dto::AuditKind::ClosureAdded,
        format!("day {}", day.format("%d.%m.%Y")),
        format!("{reason}; {count} booking(s) cancelled"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(count)
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

/// Move a booking to another start (and length) in the same space, as one
/// atomic change: the new time is checked against every rule with the
/// booking itself set aside; if it fails, the booking stays where it was.
/// The old pass is revoked and a new one issued. Members may move until the
/// cancellation notice; a request that needed approval waits for it again.
/// The member is emailed (the new time, with the updated `.ics`) and the
/// center's webhooks get `booking.rescheduled`, in the same transaction.
pub async fn reschedule(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    booking_id: i32,
    starts_at: DateTime<Utc>,
    minutes: Option<i32>,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    use sea_orm::IntoActiveModel;
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let found = booking::Entity::find_by_id(booking_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // Same lock order as booking: the space first, then its booking.
    let s = model::for_update(space::Entity::find_by_id(found.space_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let b = model::for_update(booking::Entity::find_by_id(booking_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = b.person_id == user.person_id;
    let staff_may = staff_covers(&txn, user, s.center_id).await?;
    if !owner && !staff_may {
        return Err(AppError::NotFound);
    }
    let pass_ids: Vec<i32> = pass::Entity::find()
        .filter(pass::Column::BookingId.eq(b.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let admitted = check_in::Entity::find()
        .filter(check_in::Column::PassId.is_in(pass_ids))
        .filter(check_in::Column::UndoneAt.is_null())
        .one(&txn)
        .await?
        .is_some();
    if !b.status.holds_place() || admitted || b.ends_at <= now {
        return Err(AppError::BookingClosed);
    }
    if !staff_may {
        let deadline = b.starts_at - Duration::minutes(i64::from(s.cancel_notice_minutes));
        if now >= deadline {
            return Err(AppError::TooLateToCancel {
                notice_minutes: s.cancel_notice_minutes.max(0) as u32,
            });
        }
    }
    let ctx = load_space(&txn, s).await?;
    let rules = ctx.rules();
    let member_change = matches!(user.role, Role::Visitor | Role::Mentor);
    ensure_person_fits_space(&txn, &ctx, b.person_id, starts_at).await?;
    let interval = try_one(
        &txn,
        &ctx,
        &rules,
        Request {
            start: starts_at,
            minutes: minutes.unwrap_or((b.ends_at - b.starts_at).num_minutes() as i32),
            party: b.party_size,
        },
        b.person_id,
        member_change && owner,
        Some(b.id),
        now,
    )
    .await?;
    let status = if ctx.space.requires_approval && member_change {
        BookingStatus::Pending
    } else {
        b.status
    };
    let (was_start, was_end) = (b.starts_at, b.ends_at);
    let mut am = b.into_active_model();
    am.starts_at = Set(interval.start);
    am.ends_at = Set(interval.end);
    am.status = Set(status.clone());
    am.decided_by = Set(None);
    am.decided_at = Set(None);
    let moved = am.update(&txn).await?;
    {
        use sea_orm::sea_query::Expr;
        pass::Entity::update_many()
            .col_expr(pass::Column::RevokedAt, Expr::value(Some(now)))
            .filter(pass::Column::BookingId.eq(moved.id))
            .filter(pass::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
    }
    if status == BookingStatus::Confirmed {
        passes::issue_booking_pass(&txn, keys, &moved, ctx.center.id, now).await?;
    }
    let kind = if status == BookingStatus::Confirmed {
        "moved"
    } else {
        "moved_pending"
    };
    queue_booking_email(
        &txn,
        std::slice::from_ref(&moved),
        &ctx.space,
        &ctx.center,
        kind,
        now,
    )
    .await?;
    let mut data = booking_data(&moved);
    data["previous_starts_at"] = was_start
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .into();
    data["previous_ends_at"] = was_end
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .into();
    crate::notify::outbox::webhook(
        &txn,
        WebhookEvent::BookingRescheduled,
        ctx.center.id,
        data,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(moved)
}

/// Requests waiting for approval in the centers a staff user works for,
/// oldest request first.
pub async fn pending_requests(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<PendingDto>, AppError> {
    user.require(|r| r.can_scan())?;
    let scope = crate::access::staff_centers(db, user).await?;
    let mut spaces_q = space::Entity::find();
    if let Some(cs) = scope {
        spaces_q = spaces_q.filter(space::Column::CenterId.is_in(cs));
    }
    let spaces: HashMap<i32, space::Model> = spaces_q
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rows = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Pending))
        .filter(booking::Column::SpaceId.is_in(spaces.keys().copied().collect::<Vec<_>>()))
        .filter(booking::Column::EndsAt.gt(now))
        .order_by_asc(booking::Column::CreatedAt)
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let centers: HashMap<i32, center::Model> = center::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let people: HashMap<i32, crate::model::person::Model> = crate::model::person::Entity::find()
        .filter(
            crate::model::person::Column::Id
                .is_in(rows.iter().map(|b| b.person_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for b in rows {
        let (Some(s), Some(p)) = (spaces.get(&b.space_id), people.get(&b.person_id)) else {
            continue;
        };
        let Some(c) = centers.get(&s.center_id) else {
            continue;
        };
        let tz = center_tz(c);
        let date = b.starts_at.with_timezone(&tz).date_naive();
        out.push(PendingDto {
            id: b.id,
            member: crate::domain::membership::short_name(&p.full_name),
            space_name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            center_name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
            when: format!(
                "{}, {}–{}",
                day_label(l, date),
                hhmm(b.starts_at, tz),
                hhmm(b.ends_at, tz)
            ),
            party_size: b.party_size,
            purpose: b.purpose.clone().unwrap_or_default(),
            requested: local_stamp(b.created_at, tz),
        });
    }
    Ok(out)
}

/// Approve or deny a pending request (staff of its center). Approval issues
/// the pass; a denial needs a reason, which the member sees. Deciding twice
/// is refused (another staff member got there first).
pub async fn decide(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    booking_id: i32,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<booking::Model, AppError> {
    use sea_orm::IntoActiveModel;
    user.require(|r| r.can_scan())?;
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::Invalid {
            field: "reason".into(),
            problem: crate::error::Problem::Required,
        });
    }
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
    if !staff_covers(&txn, user, s.center_id).await? {
        return Err(AppError::NotFound);
    }
    if b.status != BookingStatus::Pending {
        return Err(AppError::AlreadyDecided);
    }
    if approve && b.starts_at <= now {
        return Err(AppError::SlotInPast);
    }
    let mut am = b.into_active_model();
    am.status = Set(if approve {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Denied
    }
    .into());
    am.decided_by = Set(Some(user.account_id));
    am.decided_at = Set(Some(now));
    am.decision_reason = Set((!reason.is_empty()).then(|| reason.chars().take(300).collect()));
    let b = am.update(&txn).await?;
    if approve {
        passes::issue_booking_pass(&txn, keys, &b, s.center_id, now).await?;
    }
    let c = center::Entity::find_by_id(s.center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    if approve {
        queue_booking_email(&txn, std::slice::from_ref(&b), &s, &c, "approved", now).await?;
    } else {
        queue_denial_email(&txn, &b, &s, &c, reason, now).await?;
    }
    crate::audit::service::record(
        &txn,
        user,
        Some(s.center_id),
        crate::audit::dto::AuditKind::RequestDecided,
        format!("booking {}", b.id),
        if approve {
            "approved".to_string()
        } else {
            format!("denied: {reason}")
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(b)
}
