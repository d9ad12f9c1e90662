//! What occupies a room at a time: bookings that hold capacity, club
//! sessions and events. The one place every workflow asks whether a room is
//! free.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::service::rules_of;
use crate::domain::codes::BookingStatus;
use crate::domain::slots::{Interval, Occupant};
use crate::error::AppError;
use crate::model::{booking, club_session, event, space};

/// Bookings that hold capacity in a space (confirmed and pending) and
/// overlap `[from, to)`, as capacity units.
pub async fn occupants<C: ConnectionTrait>(
    db: &C,
    space: &space::Model,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Occupant>, AppError> {
    occupants_except(db, space, from, to, None).await
}

pub async fn occupants_except<C: ConnectionTrait>(
    db: &C,
    space: &space::Model,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i32>,
) -> Result<Vec<Occupant>, AppError> {
    let rules = rules_of(space);
    let mut q = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(space.id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(booking::Column::EndsAt.gt(from));
    if let Some(id) = except {
        q = q.filter(booking::Column::Id.ne(id));
    }
    let (bookings, activities) = tokio::try_join!(
        async { Ok::<_, AppError>(q.all(db).await?) },
        activity_blocks(db, space.id, from, to),
    )?;
    let mut out: Vec<Occupant> = bookings
        .into_iter()
        .map(|b| Occupant {
            interval: Interval::new(b.starts_at, b.ends_at),
            party_size: rules.units(b.party_size),
        })
        .collect();
    // Club sessions and events take the whole room.
    out.extend(activities.into_iter().map(|(a, b)| Occupant {
        interval: Interval::new(a, b),
        party_size: space.capacity.max(1),
    }));
    Ok(out)
}

/// Intervals in `[from, to)` where a space is already taken: bookings that
/// hold it, other clubs' sessions and events.
pub async fn space_taken<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
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
    out.extend(activity_blocks(db, space_id, from, to).await?);
    Ok(out)
}

/// Club sessions (not cancelled) and events holding a space in `[from, to)`:
/// the booking engine treats them as taking the whole room.
pub async fn activity_blocks<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>, AppError> {
    let (sessions, events) = tokio::try_join!(
        club_session::Entity::find()
            .filter(club_session::Column::SpaceId.eq(space_id))
            .filter(club_session::Column::CancelledAt.is_null())
            .filter(club_session::Column::StartsAt.lt(to))
            .filter(club_session::Column::EndsAt.gt(from))
            .all(db),
        event::Entity::find()
            .filter(event::Column::SpaceId.eq(space_id))
            .filter(event::Column::Active.eq(true))
            .filter(event::Column::StartsAt.lt(to))
            .filter(event::Column::EndsAt.gt(from))
            .all(db),
    )?;
    let mut out: Vec<_> = sessions
        .into_iter()
        .map(|s| (s.starts_at, s.ends_at))
        .collect();
    out.extend(events.into_iter().map(|e| (e.starts_at, e.ends_at)));
    Ok(out)
}

/// Refuse when any interval collides with what already holds the space;
/// names up to three clashing dates.
pub async fn ensure_space_free<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    wanted: &[(DateTime<Utc>, DateTime<Utc>)],
    tz: Tz,
) -> Result<(), AppError> {
    let (Some(first), Some(last)) = (
        wanted.iter().map(|w| w.0).min(),
        wanted.iter().map(|w| w.1).max(),
    ) else {
        return Ok(());
    };
    let taken = space_taken(db, space_id, first, last).await?;
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
