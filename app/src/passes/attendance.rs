//! Attendance ticks the door records when it admits a club or event pass.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::codes::AttendanceVia;
use crate::error::AppError;
use crate::model::{club_attendance, club_session, event_registration as reg};

/// Record that someone attended (idempotent: a second mark is ignored).
pub async fn record_attendance<C: ConnectionTrait>(
    db: &C,
    session_id: i32,
    person_id: i32,
    by: i32,
    via: AttendanceVia,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    club_attendance::Entity::insert(club_attendance::ActiveModel {
        session_id: Set(session_id),
        person_id: Set(person_id),
        marked_at: Set(now),
        marked_by: Set(by),
        via: Set(via),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        club_attendance::Column::SessionId,
        club_attendance::Column::PersonId,
    ])
    .exec(db)
    .await?;
    Ok(())
}

/// Today's meeting of a club, if it meets today (for the door).
pub async fn session_today<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Option<club_session::Model>, AppError> {
    let today = now.with_timezone(&tz).date_naive();
    let from = crate::domain::slots::local_to_utc(tz, today, 0);
    let to = crate::domain::slots::local_to_utc(tz, today + Duration::days(1), 0);
    Ok(club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(club_id))
        .filter(club_session::Column::CancelledAt.is_null())
        .filter(club_session::Column::StartsAt.gte(from))
        .filter(club_session::Column::StartsAt.lt(to))
        .order_by_asc(club_session::Column::StartsAt)
        .one(db)
        .await?)
}

/// Mark an event registration attended (from the door, inside its
/// transaction).
pub async fn record_check_in<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    reg::Entity::update_many()
        .col_expr(
            reg::Column::CheckedInAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(reg::Column::EventId.eq(event_id))
        .filter(reg::Column::PersonId.eq(person_id))
        .filter(reg::Column::CheckedInAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
