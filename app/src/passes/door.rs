//! The door beyond a single scan: marking no-shows, strikes and pardons,
//! exit scans, undoing a check-in and who is inside now.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::booking::service::{STATUS_CONFIRMED, STATUS_NO_SHOW};
use crate::domain::noshow::{self, StrikeRules};
use crate::error::AppError;
use crate::membership::members::staff_covers;
use crate::membership::service::CurrentUser;
use crate::model::{self, booking, center, check_in, pass, space};

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
    let spaces: std::collections::HashMap<i32, i32> = space::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.no_show_minutes))
        .collect();
    let txn = model::begin_write(db).await?;
    let candidates: Vec<booking::Model> = booking::Entity::find()
        .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
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
            .col_expr(booking::Column::Status, Expr::value(STATUS_NO_SHOW))
            .col_expr(booking::Column::NoShowAt, Expr::value(Some(now)))
            .filter(booking::Column::Id.is_in(marked.clone()))
            .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
            .exec(&txn)
            .await?;
        pass::Entity::update_many()
            .col_expr(pass::Column::RevokedAt, Expr::value(Some(now)))
            .filter(pass::Column::Id.is_in(revoke))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(marked.len() as u64)
}

pub fn strike_rules(c: &center::Model) -> StrikeRules {
    StrikeRules {
        limit: c.strike_limit.max(0) as usize,
        window_days: i64::from(c.strike_window_days.max(0)),
        block_days: i64::from(c.strike_block_days.max(0)),
    }
}

/// The member's unpardoned no-shows (booking start times) of the last
/// `days` days.
pub async fn recent_no_shows<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.eq(STATUS_NO_SHOW))
        .filter(booking::Column::PardonedAt.is_null())
        .filter(booking::Column::StartsAt.gt(now - Duration::days(days)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.starts_at)
        .collect())
}

/// Until when the member may not book at this center's rules (`None`: free).
pub async fn blocked_until<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    c: &center::Model,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let rules = strike_rules(c);
    if rules.limit == 0 {
        return Ok(None);
    }
    let shows = recent_no_shows(db, person_id, rules.window_days, now).await?;
    Ok(noshow::blocked_until(&shows, rules, now))
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
        .filter(booking::Column::Status.eq(STATUS_NO_SHOW))
        .filter(booking::Column::PardonedAt.is_null())
        .all(db)
        .await?;
    let mut ids = Vec::new();
    for b in rows {
        let Some(s) = space::Entity::find_by_id(b.space_id).one(db).await? else {
            continue;
        };
        if staff_covers(db, staff, s.center_id).await? {
            ids.push(b.id);
        }
    }
    if ids.is_empty() {
        // Nothing of this member's at the staff's centers: as if unknown.
        let member_known =
            crate::membership::members::member_brief(db, staff, person_id, now.date_naive())
                .await
                .is_ok();
        return if member_known {
            Ok(0)
        } else {
            Err(AppError::NotFound)
        };
    }
    let n = ids.len() as u64;
    booking::Entity::update_many()
        .col_expr(booking::Column::PardonedAt, Expr::value(Some(now)))
        .col_expr(
            booking::Column::PardonedBy,
            Expr::value(Some(staff.account_id)),
        )
        .filter(booking::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(n)
}
