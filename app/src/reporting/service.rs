//! Occupancy of one center for one local day.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::dto::{OccupancyDto, OccupancyRowDto};
use crate::booking::service::{
    center_dto, center_tz, list_centers, load_space, occupants, space_dto, STATUS_CONFIRMED,
};
use crate::domain::occupancy::{capacity_minutes, share};
use crate::domain::slots::{local_to_utc, Interval};
use crate::error::AppError;
use crate::i18n::{day_label, Locale};
use crate::model::{booking, center, check_in, space};

/// Today's (center-local) occupancy per space of `center_id`.
pub async fn day_occupancy(
    db: &DatabaseConnection,
    center_id: i32,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<OccupancyDto, AppError> {
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let date = date.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
    let day = Interval::new(
        local_to_utc(tz, date, 0),
        local_to_utc(tz, date + Duration::days(1), 0),
    );
    let spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(spaces.len());
    let (mut booked_sum, mut avail_sum, mut any_open) = (0i64, 0i64, false);
    let (mut total_bookings, mut total_check_ins) = (0u64, 0u64);
    // Opening hours, holidays and closures belong to the center: load them once.
    let open = match spaces.first() {
        Some(first) => load_space(db, first.clone())
            .await?
            .hours_on(date)
            .filter(|h| h.closes_min > h.opens_min)
            .map(|h| {
                Interval::new(
                    local_to_utc(tz, date, h.opens_min),
                    local_to_utc(tz, date, h.closes_min),
                )
            }),
        None => None,
    };
    for s in spaces {
        let dto = space_dto(&s, l);
        let occ = occupants(db, &s, day.start, day.end).await?;
        let bookings = booking::Entity::find()
            .filter(booking::Column::SpaceId.eq(dto.id))
            .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
            .filter(booking::Column::StartsAt.gte(day.start))
            .filter(booking::Column::StartsAt.lt(day.end))
            .count(db)
            .await?;
        let check_ins = check_in::Entity::find()
            .filter(check_in::Column::SpaceId.eq(dto.id))
            .filter(check_in::Column::ScannedAt.gte(day.start))
            .filter(check_in::Column::ScannedAt.lt(day.end))
            .count(db)
            .await?;
        let minutes = capacity_minutes(dto.capacity, open, &occ);
        if let Some((b, a)) = minutes {
            booked_sum += b;
            avail_sum += a;
            any_open = true;
        }
        total_bookings += bookings;
        total_check_ins += check_ins;
        rows.push(OccupancyRowDto {
            space_id: dto.id,
            space_name: dto.name,
            kind: dto.kind,
            capacity: dto.capacity,
            bookings,
            check_ins,
            booked_share: minutes.map(|(b, a)| share(b, a)),
        });
    }
    Ok(OccupancyDto {
        center: center_dto(&c, l),
        date: day_label(l, date),
        rows,
        total_bookings,
        total_check_ins,
        total_share: any_open.then(|| share(booked_sum, avail_sum)),
        centers: list_centers(db, l).await?,
    })
}
