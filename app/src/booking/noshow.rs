//! No-shows: the sweep that marks bookings nobody checked in for, and the
//! desk's pardon of a member's strikes.

use crate::domain::codes::BookingStatus;
use crate::domain::noshow;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::access::{staff_covers, CurrentUser};
use crate::error::AppError;
use crate::model::{self, booking, check_in, pass, space};

/// How far back the sweep looks for unattended bookings (it runs every
/// minute; this only bounds the work after a long outage).
pub const SWEEP_HORIZON_DAYS: i64 = 7;

/// Mark confirmed bookings nobody checked in for by start + the space's
/// grace minutes as no-shows: the rest of their time is free again, their
/// pass stops working, the booking stays as data. Returns how many.
///
/// Safe with several app instances: on PostgreSQL each booking's pass row
/// is locked `FOR UPDATE SKIP LOCKED` (a scan holds the same lock while it
/// admits), so two sweeps never take the same booking and a booking being
/// admitted right now is left for the next sweep; SQLite's immediate
/// transaction serialises everything.
pub async fn sweep_no_shows(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let space_rows = space::Entity::find().all(db).await?;
    let spaces: std::collections::HashMap<i32, i32> = space_rows
        .iter()
        .map(|s| (s.id, s.no_show_minutes))
        .collect();
    let space_center: std::collections::HashMap<i32, i32> =
        space_rows.iter().map(|s| (s.id, s.center_id)).collect();
    let txn = model::begin_write(db).await?;
    let candidates: Vec<booking::Model> = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(booking::Column::StartsAt.lte(now))
        .filter(booking::Column::StartsAt.gt(now - Duration::days(SWEEP_HORIZON_DAYS)))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|b| {
            let grace = spaces.get(&b.space_id).copied().unwrap_or(15);
            noshow::is_no_show(b.starts_at, grace, false, now)
        })
        .collect();
    if candidates.is_empty() {
        txn.commit().await?;
        return Ok(0);
    }
    let ids: Vec<i32> = candidates.iter().map(|b| b.id).collect();
    let mut passes_q = pass::Entity::find()
        .filter(pass::Column::BookingId.is_in(ids))
        .filter(pass::Column::RevokedAt.is_null());
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        passes_q = passes_q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let locked = passes_q.all(&txn).await?;
    let mut marked = Vec::new();
    let mut revoke = Vec::new();
    for p in locked {
        let admitted = check_in::Entity::find()
            .filter(check_in::Column::PassId.eq(p.id))
            .filter(check_in::Column::UndoneAt.is_null())
            .one(&txn)
            .await?
            .is_some();
        if let (false, Some(b)) = (admitted, p.booking_id) {
            marked.push(b);
            revoke.push(p.id);
        }
    }
    if !marked.is_empty() {
        booking::Entity::update_many()
            .col_expr(booking::Column::Status, Expr::value(BookingStatus::NoShow))
            .col_expr(booking::Column::NoShowAt, Expr::value(Some(now)))
            .filter(booking::Column::Id.is_in(marked.clone()))
            .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
            .exec(&txn)
            .await?;
        pass::Entity::update_many()
            .col_expr(pass::Column::RevokedAt, Expr::value(Some(now)))
            .filter(pass::Column::Id.is_in(revoke))
            .exec(&txn)
            .await?;
        for b in candidates.iter().filter(|b| marked.contains(&b.id)) {
            if let Some(center_id) = space_center.get(&b.space_id) {
                let mut b = b.clone();
                b.status = BookingStatus::NoShow;
                crate::booking::messages::queue_booking_webhook(
                    &txn,
                    crate::domain::webhook::WebhookEvent::NoShow,
                    &b,
                    *center_id,
                    now,
                )
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(marked.len() as u64)
}

/// Staff forgive a member's recent no-shows (those of the last 30 days at
/// the staff's centers): they stop counting as strikes. Returns how many.
pub async fn pardon(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    staff.require(|r| r.can_scan())?;
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.eq(BookingStatus::NoShow))
        .filter(booking::Column::PardonedAt.is_null())
        .all(db)
        .await?;
    let mut ids = Vec::new();
    // Pardoned bookings per center, for the audit log.
    let mut per_center: Vec<(i32, u64)> = Vec::new();
    for b in rows {
        let Some(s) = space::Entity::find_by_id(b.space_id).one(db).await? else {
            continue;
        };
        if staff_covers(db, staff, s.center_id).await? {
            ids.push(b.id);
            match per_center.iter_mut().find(|(c, _)| *c == s.center_id) {
                Some((_, n)) => *n += 1,
                None => per_center.push((s.center_id, 1)),
            }
        }
    }
    if ids.is_empty() {
        // Nothing of this member's at the staff's centers: as if unknown.
        let member_known = crate::access::visitor_in_scope(db, staff, person_id)
            .await
            .is_ok();
        return if member_known {
            Ok(0)
        } else {
            Err(AppError::NotFound)
        };
    }
    let n = ids.len() as u64;
    let txn = model::begin_write(db).await?;
    booking::Entity::update_many()
        .col_expr(booking::Column::PardonedAt, Expr::value(Some(now)))
        .col_expr(
            booking::Column::PardonedBy,
            Expr::value(Some(staff.account_id)),
        )
        .filter(booking::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    for (center_id, count) in per_center {
        crate::audit::service::record(
            &txn,
            staff,
            Some(center_id),
            crate::audit::dto::AuditKind::NoShowsPardoned,
            crate::audit::service::member_subject(person_id),
            format!("{count} no-show(s)"),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}
