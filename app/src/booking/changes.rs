//! Changes to existing bookings: cancelling (by the member, by staff, by a
//! closure), moving, and staff decisions on requests.

use super::messages::{
    booking_data, queue_booking_email, queue_booking_webhook, queue_denial_email,
};
use super::service::{ensure_person_fits_space, try_one};
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::service::center_tz;
use crate::centers::service::{load_space, SpaceCtx};
use crate::domain::codes::BookingStatus;
use crate::domain::people::Role;
use crate::domain::slots::{self, Request};
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::model::{self, booking, center, check_in, pass, space};
use crate::passes::service as passes;
use crate::state::PassKeyRing;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use std::collections::HashMap;

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

/// Mark bookings cancelled (by `by`, at `now`) and revoke their passes, in
/// the caller's transaction.
pub(crate) async fn cancel_bookings<C: ConnectionTrait>(
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
    crate::centers::schedule::forget(db, center_id);
    Ok(count)
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
    let Movable { s, b, owner } = Movable::lock(&txn, user, booking_id, now).await?;
    let ctx = load_space(&txn, s).await?;
    let rules = ctx.rules();
    let member_change = matches!(user.role, Role::Visitor | Role::Mentor);
    ensure_person_fits_space(&txn, &ctx, b.person_id, starts_at).await?;
    let wanted = Request {
        start: starts_at,
        minutes: minutes.unwrap_or((b.ends_at - b.starts_at).num_minutes() as i32),
        party: b.party_size,
    };
    let quota = member_change && owner;
    let interval = try_one(
        &txn,
        &ctx,
        &rules,
        wanted,
        b.person_id,
        quota,
        Some(b.id),
        now,
    )
    .await?;
    let status = if ctx.space.requires_approval && member_change {
        BookingStatus::Pending
    } else {
        b.status
    };
    let was = (b.starts_at, b.ends_at);
    let mut am = b.into_active_model();
    am.starts_at = Set(interval.start);
    am.ends_at = Set(interval.end);
    am.status = Set(status);
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
    announce_move(&txn, &moved, &ctx, was, now).await?;
    txn.commit().await?;
    Ok(moved)
}

/// A booking locked for a move, with who may move it.
struct Movable {
    s: space::Model,
    b: booking::Model,
    /// The caller is the member who booked.
    owner: bool,
}

impl Movable {
    /// Lock the space, then the booking (the order booking uses), and check
    /// that the caller may still move it: it holds its place, nobody has
    /// come in, it has not ended, and a member is within the notice period.
    async fn lock(
        txn: &DatabaseTransaction,
        user: &CurrentUser,
        booking_id: i32,
        now: DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let backend = txn.get_database_backend();
        let found = booking::Entity::find_by_id(booking_id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let s = model::for_update(space::Entity::find_by_id(found.space_id), backend)
            .one(txn)
            .await?
            .ok_or(AppError::Internal)?;
        let b = model::for_update(booking::Entity::find_by_id(booking_id), backend)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let owner = b.person_id == user.person_id;
        let staff_may = staff_covers(txn, user, s.center_id).await?;
        if !owner && !staff_may {
            return Err(AppError::NotFound);
        }
        let pass_ids: Vec<i32> = pass::Entity::find()
            .filter(pass::Column::BookingId.eq(b.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let admitted = check_in::Entity::find()
            .filter(check_in::Column::PassId.is_in(pass_ids))
            .filter(check_in::Column::UndoneAt.is_null())
            .one(txn)
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
        Ok(Movable { s, b, owner })
    }
}

/// Tell the member (e-mail) and integrations (webhook with the previous
/// times) that a booking moved.
async fn announce_move(
    txn: &DatabaseTransaction,
    moved: &booking::Model,
    ctx: &SpaceCtx,
    (was_start, was_end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let kind = if moved.status == BookingStatus::Confirmed {
        "moved"
    } else {
        "moved_pending"
    };
    queue_booking_email(
        txn,
        std::slice::from_ref(moved),
        &ctx.space,
        &ctx.center,
        kind,
        now,
    )
    .await?;
    let mut data = booking_data(moved);
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    data["previous_starts_at"] = stamp(was_start).into();
    data["previous_ends_at"] = stamp(was_end).into();
    crate::notify::outbox::webhook(
        txn,
        WebhookEvent::BookingRescheduled,
        ctx.center.id,
        data,
        now,
    )
    .await?;
    Ok(())
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
    });
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
