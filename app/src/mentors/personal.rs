//! A member's consultations in their data export, and what deleting the
//! account leaves of them (composed by `privacy`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppError;
use crate::model::consultation_slot as slot;

/// The consultations the member booked, topics included.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Value, AppError> {
    let rows: Vec<serde_json::Value> = slot::Entity::find()
        .filter(slot::Column::BookedBy.eq(person_id))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "mentor_id": s.mentor_id,
                "field": s.field.as_str(),
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "booked_at": s.booked_at,
                "topic": s.topic,
                "cancelled_at": s.cancelled_at,
            })
        })
        .collect();
    Ok(serde_json::Value::Array(rows))
}

/// On account deletion: upcoming consultations are released (the time is
/// free again for others) and every topic is erased. Past consultations stay
/// booked by the anonymised person, so the mentor's counts do not change.
pub async fn erase_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    slot::Entity::update_many()
        .col_expr(slot::Column::Topic, Expr::value(Option::<String>::None))
        .filter(slot::Column::BookedBy.eq(person_id))
        .exec(db)
        .await?;
    slot::Entity::update_many()
        .col_expr(slot::Column::BookedBy, Expr::value(Option::<i32>::None))
        .col_expr(
            slot::Column::BookedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(slot::Column::BookedBy.eq(person_id))
        .filter(slot::Column::StartsAt.gt(now))
        .filter(slot::Column::CancelledAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
