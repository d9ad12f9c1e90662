//! Centers and spaces: loading them with their hours, closures and time
//! zone, and the DTOs the pages show.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::dto::*;
use crate::access::CurrentUser;
use crate::domain::holidays::{Holiday, HolidayCalendar};
use crate::domain::slots::{self, DayHours, Interval, SpaceRules};
use crate::error::AppError;
use crate::i18n::{pick, Locale};
use crate::model::{center, opening_hours, space};

/// The pure booking rules of a space.
pub fn rules_of(s: &space::Model) -> SpaceRules {
    SpaceRules {
        capacity: s.capacity,
        pooled: s.kind.is_pool(),
        max_party: s.max_party,
        slot_minutes: s.slot_minutes,
        min_minutes: s.min_minutes,
        max_minutes: s.max_minutes,
        buffer_minutes: s.buffer_minutes,
        min_notice_minutes: s.min_notice_minutes,
    }
}

pub fn center_dto(c: &center::Model, l: Locale) -> CenterDto {
    CenterDto {
        id: c.id,
        name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        city: c.city.clone(),
        is_regional: c.parent_id.is_none(),
        active: c.active,
    }
}

/// Refuse a deactivated center where it is chosen (a booking, a member's
/// home center, a club, an event…): `Problem::Inactive` on `field`.
pub fn ensure_active_center(c: &center::Model, field: &str) -> Result<(), AppError> {
    if c.active {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: field.into(),
            problem: crate::error::Problem::Inactive,
        })
    }
}

/// [`ensure_active_center`] by id (an unknown center is `NotFound`).
pub async fn ensure_active<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
    field: &str,
) -> Result<(), AppError> {
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_active_center(&c, field)
}

pub fn space_dto(s: &space::Model, l: Locale) -> SpaceDto {
    SpaceDto {
        id: s.id,
        kind: s.kind,
        name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
        capacity: s.capacity,
        slot_minutes: s.slot_minutes,
        max_party: s.max_party,
        durations: rules_of(s).durations(),
        requires_approval: s.requires_approval,
        requires_induction: s.requires_induction,
        min_age: s.min_age,
        buffer_minutes: s.buffer_minutes,
        min_notice_minutes: s.min_notice_minutes,
        max_advance_days: s.max_advance_days,
        cancel_notice_minutes: s.cancel_notice_minutes,
        direction: s.direction.clone(),
        direction_name: None,
        description: pick(l, &s.description_kk, &s.description_ru, &s.description_en).to_string(),
        active: s.active,
    }
}

pub fn center_tz(c: &center::Model) -> Tz {
    c.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty)
}

/// A space with everything needed to compute its slots.
pub struct SpaceCtx {
    pub space: space::Model,
    pub center: center::Model,
    pub tz: Tz,
    hours: HashMap<i16, DayHours>,
    /// Staff-added closure days with their reasons (a handful per center).
    closures: HashMap<NaiveDate, String>,
    /// The region's holidays (loaded once) and the ones this center opens on.
    calendar: Arc<HolidayCalendar>,
    openings: HashSet<NaiveDate>,
}

impl SpaceCtx {
    pub(super) fn with_schedule(space: space::Model, s: &super::schedule::Schedule) -> SpaceCtx {
        SpaceCtx {
            closures: s.closures.clone(),
            calendar: s.calendar.clone(),
            openings: s.openings.clone(),
            tz: center_tz(&s.center),
            center: s.center.clone(),
            hours: s.hours.clone(),
            space,
        }
    }

    /// Another space of the same center, reusing its hours and closures.
    pub fn for_space(&self, space: space::Model) -> SpaceCtx {
        debug_assert_eq!(space.center_id, self.center.id);
        SpaceCtx {
            space,
            center: self.center.clone(),
            tz: self.tz,
            hours: self.hours.clone(),
            closures: self.closures.clone(),
            calendar: self.calendar.clone(),
            openings: self.openings.clone(),
        }
    }

    /// A public holiday the center keeps closed (not opened for an event).
    fn closed_holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.calendar
            .holiday(date)
            .filter(|_| !self.openings.contains(&date))
    }

    /// Opening hours on a local date: none on public holidays (unless the
    /// center opens for an event) and closures.
    pub fn hours_on(&self, date: NaiveDate) -> Option<DayHours> {
        if self.closed_holiday(date).is_some() || self.closures.contains_key(&date) {
            return None;
        }
        self.hours
            .get(&(date.weekday().num_days_from_monday() as i16))
            .copied()
    }

    /// Why the center is closed on a date that is normally open.
    pub fn closed_because(&self, date: NaiveDate, l: Locale) -> Option<String> {
        if let Some(h) = self.closed_holiday(date) {
            return Some(crate::i18n::holiday_name(l, h).to_string());
        }
        self.closures.get(&date).cloned()
    }

    pub fn rules(&self) -> SpaceRules {
        rules_of(&self.space)
    }

    /// The first instant members can no longer book: local midnight after
    /// the last day of the advance window (today is day 0).
    pub fn window_end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.with_timezone(&self.tz).date_naive();
        slots::local_to_utc(
            self.tz,
            today + Duration::days(i64::from(self.space.max_advance_days.max(1))),
            0,
        )
    }

    pub fn offered_on(&self, date: NaiveDate) -> Vec<Interval> {
        self.hours_on(date)
            .map(|h| slots::day_slots(self.tz, date, h, self.space.slot_minutes))
            .unwrap_or_default()
    }
}

pub async fn opening_hours_of<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
) -> Result<HashMap<i16, DayHours>, AppError> {
    Ok(opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| {
            (
                h.weekday,
                DayHours {
                    opens_min: h.opens_min,
                    closes_min: h.closes_min,
                },
            )
        })
        .collect())
}

/// A space with its center's schedule read from `db` now: what a
/// transaction decides with. Pages use [`super::schedule::space_ctx`].
pub async fn load_space<C: ConnectionTrait>(
    db: &C,
    space: space::Model,
) -> Result<SpaceCtx, AppError> {
    let schedule = read_schedule(db, space.center_id).await?;
    Ok(SpaceCtx::with_schedule(space, &schedule))
}

/// A center's schedule as the database has it now.
pub(super) async fn read_schedule<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
) -> Result<super::schedule::Schedule, AppError> {
    // Independent reads, sent together (one round trip's wait, not five;
    // inside a transaction they simply queue on its connection).
    let (center, hours, closures, calendar, openings) = tokio::try_join!(
        async {
            center::Entity::find_by_id(center_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)
        },
        opening_hours_of(db, center_id),
        async {
            Ok::<_, AppError>(
                crate::model::closure::Entity::find()
                    .filter(crate::model::closure::Column::CenterId.eq(center_id))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|c| (c.day, c.reason))
                    .collect(),
            )
        },
        super::calendar::load(db),
        super::calendar::openings_of(db, center_id),
    )?;
    Ok(super::schedule::Schedule {
        center,
        hours,
        closures,
        calendar: Arc::new(calendar),
        openings,
    })
}

pub async fn list_centers(db: &DatabaseConnection, l: Locale) -> Result<Vec<CenterDto>, AppError> {
    let mut centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    // Regional center first, then districts by name.
    centers.sort_by_key(|c| {
        (
            c.parent_id.is_some(),
            pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        )
    });
    Ok(centers.iter().map(|c| center_dto(c, l)).collect())
}

pub async fn center_detail(
    db: &DatabaseConnection,
    id: i32,
    l: Locale,
) -> Result<CenterDetailDto, AppError> {
    let c = center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    Ok(CenterDetailDto {
        center: center_dto(&c, l),
        spaces: spaces.iter().map(|s| space_dto(s, l)).collect(),
    })
}

/// Today's date in the time zone of the user's home center (else the
/// regional center's).
pub async fn today_local(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    let c = match user.home_center_id {
        Some(id) => center::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    match c {
        Some(c) => Ok(now
            .with_timezone(&crate::centers::service::center_tz(&c))
            .date_naive()),
        None => region_today(db, now).await,
    }
}

/// Today's date in the region (the time zone of the first, regional center).
pub async fn region_today(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    let tz = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .one(db)
        .await?
        .map(|c| crate::centers::service::center_tz(&c))
        .unwrap_or(chrono_tz::Asia::Almaty);
    Ok(now.with_timezone(&tz).date_naive())
}
