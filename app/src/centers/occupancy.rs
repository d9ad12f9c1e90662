//! What occupies a room at a time: bookings that hold capacity, club
//! sessions and events. The one place every workflow asks whether a room is
//! free.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, UnionType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    QueryTrait,
};

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
    Ok(holders(db, space.id, from, to, except)
        .await?
        .into_iter()
        .map(|h| Occupant {
            interval: Interval::new(h.starts_at, h.ends_at),
            // Club sessions and events take the whole room.
            party_size: h
                .party_size
                .map_or(space.capacity.max(1), |p| rules.units(p)),
        })
        .collect())
}

/// Intervals in `[from, to)` where a space is already taken: bookings that
/// hold it, other clubs' sessions and events.
pub async fn space_taken<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>, AppError> {
    Ok(holders(db, space_id, from, to, None)
        .await?
        .into_iter()
        .map(|h| (h.starts_at, h.ends_at))
        .collect())
}

/// One thing holding a space: a booking (its party) or a club session or
/// event (no party: the whole room).
#[derive(Debug, FromQueryResult)]
struct Holding {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    party_size: Option<i32>,
}

/// Everything holding a space in `[from, to)` in one round trip (a
/// `UNION ALL` of bookings, club sessions and events): availability, every
/// booking and the door's seat line ask this.
async fn holders<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i32>,
) -> Result<Vec<Holding>, AppError> {
    let mut bookings = booking::Entity::find()
        .select_only()
        .column(booking::Column::StartsAt)
        .column(booking::Column::EndsAt)
        .column(booking::Column::PartySize)
        .filter(booking::Column::SpaceId.eq(space_id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(booking::Column::EndsAt.gt(from));
    if let Some(id) = except {
        bookings = bookings.filter(booking::Column::Id.ne(id));
    }
    let sessions = club_session::Entity::find()
        .select_only()
        .column(club_session::Column::StartsAt)
        .column(club_session::Column::EndsAt)
        .expr(Expr::cust("NULL"))
        .filter(club_session::Column::SpaceId.eq(space_id))
        .filter(club_session::Column::CancelledAt.is_null())
        .filter(club_session::Column::StartsAt.lt(to))
        .filter(club_session::Column::EndsAt.gt(from));
    let events = event::Entity::find()
        .select_only()
        .column(event::Column::StartsAt)
        .column(event::Column::EndsAt)
        .expr(Expr::cust("NULL"))
        .filter(event::Column::SpaceId.eq(space_id))
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::StartsAt.lt(to))
        .filter(event::Column::EndsAt.gt(from));
    let mut q = bookings.into_query();
    q.union(UnionType::All, sessions.into_query())
        .union(UnionType::All, events.into_query());
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    rows.iter()
        .map(|r| Holding::from_query_result(r, "").map_err(AppError::from))
        .collect()
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
