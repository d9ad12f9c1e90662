//! A member's standing at a center: recent no-shows and the booking block
//! they lead to under the center's strike rules.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::codes::BookingStatus;
use crate::domain::noshow::{self, StrikeRules};
use crate::error::AppError;
use crate::model::{booking, center};

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
        .filter(booking::Column::Status.eq(BookingStatus::NoShow))
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
