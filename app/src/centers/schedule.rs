//! Each center's schedule kept in memory: its row, opening hours, closures,
//! the holidays it opens on and the region's holiday calendar. Five reads
//! that every availability page, today's board and every membership card
//! scanned at the door would otherwise repeat.
//!
//! Only what is shown reads from here. What a transaction decides (a
//! booking under its lock, a club session placed in a room) reads the
//! database itself through [`super::service::load_space`]. An edit made by
//! this process forgets the center's entry when it commits (a holiday:
//! every center's); an edit by another process (a command run beside the
//! server) is seen within [`FRESH_FOR`].

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::service::SpaceCtx;
use crate::domain::holidays::HolidayCalendar;
use crate::domain::slots::DayHours;
use crate::error::AppError;
use crate::model::{center, space};

/// How long a schedule is trusted without an edit from this process.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// What a center's slots are computed from, besides the space itself.
pub(super) struct Schedule {
    pub center: center::Model,
    pub hours: HashMap<i16, DayHours>,
    pub closures: HashMap<NaiveDate, String>,
    pub calendar: Arc<HolidayCalendar>,
    pub openings: HashSet<NaiveDate>,
}

#[derive(Default)]
struct Kept {
    /// Moved on by every edit, so a schedule read while an edit was
    /// committing is used once but not kept.
    generation: u64,
    centers: HashMap<i32, (Instant, Arc<Schedule>)>,
}

/// Per database (see `model::db_key`), so the test suite's many databases
/// never see each other's centers.
static KEPT: LazyLock<Mutex<HashMap<String, Kept>>> = LazyLock::new(Default::default);

fn kept<T>(db: &DatabaseConnection, f: impl FnOnce(&mut Kept) -> T) -> T {
    let mut all = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    f(all.entry(crate::model::db_key(db)).or_default())
}

/// A space with its center's schedule, as the pages show it.
pub async fn space_ctx(db: &DatabaseConnection, space: space::Model) -> Result<SpaceCtx, AppError> {
    let center_id = space.center_id;
    let (hit, generation) = kept(db, |k| {
        let hit = k
            .centers
            .get(&center_id)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, s)| s.clone());
        (hit, k.generation)
    });
    let schedule = match hit {
        Some(s) => s,
        None => {
            let s = Arc::new(super::service::read_schedule(db, center_id).await?);
            kept(db, |k| {
                if k.generation == generation {
                    k.centers.insert(center_id, (Instant::now(), s.clone()));
                }
            });
            s
        }
    };
    Ok(SpaceCtx::with_schedule(space, &schedule))
}

/// A center's hours, closures, holiday openings or row changed: read them
/// again next time. Call it after the change commits.
pub fn forget(db: &DatabaseConnection, center_id: i32) {
    kept(db, |k| {
        k.generation += 1;
        k.centers.remove(&center_id);
    });
}

/// The holiday calendar changed: every center's schedule is read again.
pub fn forget_all(db: &DatabaseConnection) {
    kept(db, |k| {
        k.generation += 1;
        k.centers.clear();
    });
}
