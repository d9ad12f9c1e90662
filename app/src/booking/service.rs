//! Booking transactions and availability queries.

use super::messages::{queue_booking_email, queue_booking_webhook};
use crate::centers::occupancy::occupants;
use crate::centers::occupancy::occupants_except;
use crate::centers::service::center_dto;
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
use crate::i18n::{day_label, hhmm, Locale};
use crate::model::{self, booking, space};
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
    let ctx = crate::centers::schedule::space_ctx(db, s).await?;
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
    /// A member's booking form for a space: the rest is filled in by the
    /// caller.
    pub fn form(space_id: i32, minutes: Option<i32>, purpose: Option<String>) -> Self {
        BookingRequest {
            space_id,
            minutes,
            purpose,
            weeks: 1,
            ..Default::default()
        }
    }

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
pub(super) fn local_stamp(t: DateTime<Utc>, tz: Tz) -> String {
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
    let purpose = req.clean_purpose();
    let request_key = req.request_key();
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
        if let Some(bookings) = replay(&txn, user, key).await? {
            txn.commit().await?;
            return Ok(BookOutcome {
                bookings,
                skipped: Vec::new(),
            });
        }
    }
    let ctx = load_space(&txn, s).await?;
    // A deactivated center takes no new bookings (existing ones stay).
    crate::centers::service::ensure_active_center(&ctx.center, "space_id")?;
    let member_booking = matches!(user.role, Role::Visitor | Role::Mentor) || req.as_member;
    let status = admission_of(
        &txn,
        &ctx,
        person_id,
        member_booking,
        &req,
        purpose.is_some(),
        now,
    )
    .await?;
    let series = Series {
        person_id,
        status,
        party: req.party,
        purpose,
        request_key,
        series_key: (req.weeks > 1).then(new_series_key),
        member_rules: member_booking && (!walk_in || req.as_member),
    };
    let outcome = series.book(&txn, keys, user, &ctx, &req, now).await?;
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

impl BookingRequest {
    /// What the member wrote they will do, trimmed to 200 characters.
    fn clean_purpose(&self) -> Option<String> {
        self.purpose
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.chars().take(200).collect::<String>())
    }

    /// The idempotency key: the form's token bound to what it asked for, so
    /// a replayed token with other values books anew.
    fn request_key(&self) -> Option<String> {
        let token = self
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())?;
        let token: String = token
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(64)
            .collect();
        Some(format!(
            "{token}:{}:{}:{}:{}:{}",
            self.space_id,
            self.starts_at.timestamp(),
            self.party,
            self.minutes.unwrap_or(0),
            self.weeks
        ))
    }
}

/// The bookings an earlier copy of the same request made (its whole series).
async fn replay<C: ConnectionTrait>(
    txn: &C,
    user: &CurrentUser,
    key: &str,
) -> Result<Option<Vec<booking::Model>>, AppError> {
    let Some(existing) = booking::Entity::find()
        .filter(booking::Column::CreatedBy.eq(user.account_id))
        .filter(booking::Column::RequestKey.eq(key))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let bookings = match &existing.series_key {
        Some(series) => {
            booking::Entity::find()
                .filter(booking::Column::SeriesKey.eq(series.clone()))
                .order_by_asc(booking::Column::StartsAt)
                .all(txn)
                .await?
        }
        None => vec![existing],
    };
    Ok(Some(bookings))
}

/// Whether the person may book this space at all, and whether the booking
/// is confirmed at once or waits for staff approval.
async fn admission_of<C: ConnectionTrait>(
    txn: &C,
    ctx: &SpaceCtx,
    person_id: i32,
    member_booking: bool,
    req: &BookingRequest,
    has_purpose: bool,
    now: DateTime<Utc>,
) -> Result<BookingStatus, AppError> {
    let today = now.with_timezone(&ctx.tz).date_naive();
    crate::access::ensure_may_book(txn, person_id, today).await?;
    ensure_person_fits_space(txn, ctx, person_id, req.starts_at).await?;
    if member_booking {
        // Repeated no-shows block members' own bookings for a while.
        if let Some(until) =
            crate::centers::strikes::blocked_until(txn, person_id, &ctx.center, now).await?
        {
            return Err(AppError::NoShowBlocked {
                until: local_stamp(until, ctx.tz),
            });
        }
    }
    if ctx.space.requires_approval && member_booking && !has_purpose {
        return Err(AppError::Invalid {
            field: "purpose".into(),
            problem: crate::error::Problem::Required,
        });
    }
    Ok(if ctx.space.requires_approval && member_booking {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    })
}

fn new_series_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// One booking, or a weekly series of them, for one person.
struct Series {
    person_id: i32,
    status: BookingStatus,
    party: i32,
    purpose: Option<String>,
    request_key: Option<String>,
    /// Shared by the bookings of a weekly series.
    series_key: Option<String>,
    /// The member's own rules (quotas, no-show block) apply.
    member_rules: bool,
}

impl Series {
    /// Book every week of the series; a week that cannot be booked is
    /// skipped with its reason, unless it is the only one.
    async fn book<C: ConnectionTrait>(
        &self,
        txn: &C,
        keys: &PassKeyRing,
        user: &CurrentUser,
        ctx: &SpaceCtx,
        req: &BookingRequest,
        now: DateTime<Utc>,
    ) -> Result<BookOutcome, AppError> {
        let rules = ctx.rules();
        let minutes = req.minutes.unwrap_or(ctx.space.min_minutes);
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
            let wanted = Request {
                start: starts_at,
                minutes,
                party: req.party,
            };
            let attempt = try_one(
                txn,
                ctx,
                &rules,
                wanted,
                self.person_id,
                self.member_rules,
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
            // The key marks the series' first booking, which replays find.
            let key = if outcome.bookings.is_empty() {
                self.request_key.clone()
            } else {
                None
            };
            let b = self.insert(txn, user, ctx, interval, key, now).await?;
            if self.status == BookingStatus::Confirmed {
                passes::issue_booking_pass(txn, keys, &b, ctx.center.id, now).await?;
            }
            outcome.bookings.push(b);
        }
        if outcome.bookings.is_empty() {
            // Nothing could be booked: answer with the first date's reason.
            let first = outcome.skipped.into_iter().next().map(|(_, e)| e);
            return Err(first.unwrap_or(AppError::Internal));
        }
        Ok(outcome)
    }

    async fn insert<C: ConnectionTrait>(
        &self,
        txn: &C,
        user: &CurrentUser,
        ctx: &SpaceCtx,
        interval: Interval,
        request_key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<booking::Model, AppError> {
        Ok(booking::ActiveModel {
            person_id: Set(self.person_id),
            space_id: Set(ctx.space.id),
            starts_at: Set(interval.start),
            ends_at: Set(interval.end),
            party_size: Set(self.party),
            status: Set(self.status),
            created_by: Set(user.account_id),
            created_at: Set(now),
            request_key: Set(request_key),
            purpose: Set(self.purpose.clone()),
            decision_reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            series_key: Set(self.series_key.clone()),
            cancelled_at: Set(None),
            cancelled_by: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?)
    }
}

/// Check one booking of a series (or a move) against the space's rules, its
/// current bookings (minus `except`) and, for members, the quotas.
#[allow(clippy::too_many_arguments)]
pub(super) async fn try_one<C: ConnectionTrait>(
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
    // Members of the desk's own centers only; others are unknown here.
    crate::access::visitor_in_scope(db, staff, person_id).await?;
    Ok(())
}

/// Person-level rules of a space: minimum age on the day of the booking and
/// a recorded induction.
pub(super) async fn ensure_person_fits_space<C: ConnectionTrait>(
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
