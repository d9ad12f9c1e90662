//! Whether a room is free for a club or event that moves: as
//! `occupancy::ensure_space_free`, except that what the moving club or event
//! holds itself does not count against it.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::codes::BookingStatus;
use crate::error::AppError;
use crate::model::{booking, club_session, event};

/// The activity that moves: its own sessions or the event itself are not
/// collisions.
#[derive(Clone, Copy, Debug, Default)]
pub struct Own {
    pub club_id: Option<i32>,
    pub event_id: Option<i32>,
}

/// Intervals in `[from, to)` where the space is taken by anything but `own`.
async fn taken_by_others<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    own: Own,
) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>, AppError> {
    let mut out: Vec<_> = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(space_id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(booking::Column::EndsAt.gt(from))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.starts_at, b.ends_at))
        .collect();
    let mut sessions = club_session::Entity::find()
        .filter(club_session::Column::SpaceId.eq(space_id))
        .filter(club_session::Column::CancelledAt.is_null())
        .filter(club_session::Column::StartsAt.lt(to))
        .filter(club_session::Column::EndsAt.gt(from));
    if let Some(id) = own.club_id {
        sessions = sessions.filter(club_session::Column::ClubId.ne(id));
    }
    out.extend(
        sessions
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.starts_at, s.ends_at)),
    );
    let mut events = event::Entity::find()
        .filter(event::Column::SpaceId.eq(space_id))
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::StartsAt.lt(to))
        .filter(event::Column::EndsAt.gt(from));
    if let Some(id) = own.event_id {
        events = events.filter(event::Column::Id.ne(id));
    }
    out.extend(
        events
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.starts_at, e.ends_at)),
    );
    Ok(out)
}

/// Refuse when any wanted interval collides with what others hold in the
/// space; names up to three clashing dates (as at creation).
pub async fn ensure_free_except<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    wanted: &[(DateTime<Utc>, DateTime<Utc>)],
    tz: Tz,
    own: Own,
) -> Result<(), AppError> {
    let (Some(first), Some(last)) = (
        wanted.iter().map(|w| w.0).min(),
        wanted.iter().map(|w| w.1).max(),
    ) else {
        return Ok(());
    };
    let taken = taken_by_others(db, space_id, (first, last), own).await?;
    let clashes: Vec<String> = wanted
        .iter()
        .filter(|(a, b)| taken.iter().any(|(x, y)| x < b && a < y))
        .map(|(a, _)| a.with_timezone(&tz).format("%d.%m.%Y").to_string())
        .collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(AppError::SpaceTaken {
            dates: clashes.into_iter().take(3).collect::<Vec<_>>().join(", "),
        })
    }
}
