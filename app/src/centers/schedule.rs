//! Each center's schedule kept in memory: its row, opening hours, closures,
//! the holidays it opens on and the region's holiday calendar. Five reads
//! that every availability page, today's board and every membership card
//! scanned at the door would otherwise repeat. The center's coworking space
//! is kept beside it, for the seats a membership card shows at the door.
//!
//! Only what is shown reads from here. What a transaction decides (a
//! booking under its lock, a club session placed in a room) reads the
//! database itself through [`super::service::load_space`]. An edit made by
//! this process (to a center, its hours, closures or spaces) forgets the
//! center's entry when it commits (a holiday: every center's); an edit by
//! another process is seen within [`crate::model::memo::FRESH_FOR`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::service::SpaceCtx;
use crate::domain::holidays::HolidayCalendar;
use crate::domain::slots::DayHours;
use crate::error::AppError;
use crate::model::memo::Memo;
use crate::model::{center, space};

/// What a center's slots are computed from, besides the space itself.
pub(super) struct Schedule {
    pub center: center::Model,
    pub hours: HashMap<i16, DayHours>,
    pub closures: HashMap<NaiveDate, String>,
    pub calendar: Arc<HolidayCalendar>,
    pub openings: HashSet<NaiveDate>,
}

static SCHEDULES: Memo<i32, Arc<Schedule>> = Memo::new();
/// Each center's active coworking space, if it has one.
static COWORKING: Memo<i32, Option<space::Model>> = Memo::new();

/// A space with its center's schedule, as the pages show it.
pub async fn space_ctx(db: &DatabaseConnection, space: space::Model) -> Result<SpaceCtx, AppError> {
    let center_id = space.center_id;
    let schedule = SCHEDULES
        .get_or_read(db, center_id, || async {
            Ok(Arc::new(
                super::service::read_schedule(db, center_id).await?,
            ))
        })
        .await?;
    Ok(SpaceCtx::with_schedule(space, &schedule))
}

/// The center's active coworking space with its schedule, as the door
/// shows its free seats.
pub async fn coworking_ctx(
    db: &DatabaseConnection,
    center_id: i32,
) -> Result<Option<SpaceCtx>, AppError> {
    let coworking = COWORKING
        .get_or_read(db, center_id, || async {
            Ok(space::Entity::find()
                .filter(space::Column::CenterId.eq(center_id))
                .filter(space::Column::Kind.eq(crate::domain::space::SpaceKind::Coworking.as_str()))
                .filter(space::Column::Active.eq(true))
                .one(db)
                .await?)
        })
        .await?;
    match coworking {
        Some(s) => Ok(Some(space_ctx(db, s).await?)),
        None => Ok(None),
    }
}

/// A center, its hours, closures, holiday openings or spaces changed: read
/// them again next time. Call it after the change commits.
pub fn forget(db: &DatabaseConnection, center_id: i32) {
    SCHEDULES.forget(db, center_id);
    COWORKING.forget(db, center_id);
}

/// The holiday calendar changed: every center's schedule is read again.
pub fn forget_all(db: &DatabaseConnection) {
    SCHEDULES.forget_all(db);
}
