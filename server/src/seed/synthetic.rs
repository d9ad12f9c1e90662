//! Synthetic history for volume tests, benchmarks and the demo dashboard.
//!
//! `ortalyq seed-synthetic --centers 15 --days 365` fills an empty database
//! with the demo's region (the Karaganda regional center and its district
//! and city centers, `seed::region`, with their spaces and hours), members of every age band, and a year of bookings with their
//! signed passes, check-ins, no-shows and cancellations, plus weekly club
//! sessions with attendance. [`history`] adds the same kind of past activity
//! to the demo centers so the demo dashboard is not empty.
//!
//! Everything is generated from a seeded random number generator (the same
//! seed gives the same data), follows the booking rules (no double booking,
//! bookings inside opening hours, no activity on public holidays and
//! closures), and is written in one transaction with multi-row inserts:
//! ids are assigned here, and PostgreSQL's id sequences are moved past them
//! at the end.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use app::access::session::hash_password;
use app::centers::service::center_tz;
use app::domain::people::Role;
use app::domain::slots::local_to_utc;
use app::model::{booking, center};
use app::state::PassKeyRing;

use super::DEMO_PASSWORD;

mod activity;
mod names;
mod region;
mod writer;

use super::region::REGION;
use super::staff;
use activity::activity;
use region::insert_region;
use writer::Writer;

/// What `seed-synthetic` makes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Centers in the region (the first is the regional center).
    pub centers: usize,
    /// Days of history, ending yesterday (center time).
    pub days: u32,
    /// Members registered at each center.
    pub members_per_center: usize,
    /// Random seed: the same seed gives the same data.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            centers: 15,
            days: 365,
            members_per_center: 1500,
            seed: 2026,
        }
    }
}

/// Rows written, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub centers: u64,
    pub people: u64,
    pub bookings: u64,
    pub passes: u64,
    pub check_ins: u64,
    pub no_shows: u64,
    pub cancelled: u64,
    pub club_sessions: u64,
    pub club_attendance: u64,
}

impl Counts {
    /// Rows in the activity tables (bookings, passes, check-ins, club
    /// sessions and attendance).
    pub fn activity_rows(&self) -> u64 {
        self.bookings + self.passes + self.check_ins + self.club_sessions + self.club_attendance
    }
}

/// `seed-synthetic`: an empty database gets the first `opts.centers`
/// centers of the demo region with their spaces and opening hours, a director and a front
/// desk per center (password: the demo password), and `opts.days` of
/// history ending yesterday. Refuses a database that already has centers.
pub async fn seed_synthetic(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    now: DateTime<Utc>,
    opts: Options,
) -> Result<(Counts, std::time::Duration), DbErr> {
    let started = Instant::now();
    refuse_unless_fresh(db, &opts).await?;
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = app::model::begin_write(db).await?;
    let centers = insert_region(&txn, opts.centers, &password_hash, now).await?;
    let tz = centers
        .first()
        .map(|(c, _)| center_tz(c))
        .unwrap_or(chrono_tz::Asia::Almaty);
    let today = now.with_timezone(&tz).date_naive();
    let range = (
        today - Duration::days(i64::from(opts.days)),
        today - Duration::days(1),
    );
    let mut w = Writer::new(&txn, keys, opts.seed).await?;
    w.counts.centers = centers.len() as u64;
    activity(
        &mut w,
        &centers,
        opts.members_per_center,
        range,
        true,
        &password_hash,
        now,
    )
    .await?;
    let counts = w.finish().await?;
    txn.commit().await?;
    Ok((counts, started.elapsed()))
}

/// Refuse a database that already has centers, and a region or history
/// out of range.
async fn refuse_unless_fresh(db: &DatabaseConnection, opts: &Options) -> Result<(), DbErr> {
    if center::Entity::find().count(db).await? > 0 {
        return Err(DbErr::Custom(
            "the database already has centers; seed-synthetic fills an empty database".into(),
        ));
    }
    if opts.centers == 0 || opts.centers > REGION.len() || opts.days == 0 {
        return Err(DbErr::Custom(format!(
            "--centers must be 1..={} and --days at least 1",
            REGION.len()
        )));
    }
    Ok(())
}

/// Past activity for the demo centers (`days` ending yesterday) with their
/// own synthetic members, so the demo dashboard has figures to show. The
/// demo accounts' own bookings are left as the demo seed made them. Does
/// nothing if the centers already have bookings before today.
pub async fn history(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    now: DateTime<Utc>,
    days: u32,
) -> Result<Counts, DbErr> {
    let centers = center::Entity::find().all(db).await?;
    let Some(first_center) = centers.first() else {
        return Ok(Counts::default());
    };
    let tz = center_tz(first_center);
    let today = now.with_timezone(&tz).date_naive();
    let past = booking::Entity::find()
        .filter(booking::Column::StartsAt.lt(local_to_utc(tz, today, 0)))
        .count(db)
        .await?;
    if past > 0 || days == 0 {
        return Ok(Counts::default());
    }
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = app::model::begin_write(db).await?;
    // A desk account per center scans the history's passes.
    let mut with_desk = Vec::new();
    for c in centers {
        let desk = staff(
            &txn,
            c.id,
            Role::FrontDesk,
            "Ресепшен (тарих) / Front desk (history)",
            &format!("history-desk{}@demo.ortalyq.kz", c.id),
            &password_hash,
            now,
        )
        .await?;
        with_desk.push((c, desk));
    }
    let mut w = Writer::new(&txn, keys, 7).await?;
    let range = (
        today - Duration::days(i64::from(days)),
        today - Duration::days(1),
    );
    activity(&mut w, &with_desk, 150, range, false, &password_hash, now).await?;
    let counts = w.finish().await?;
    txn.commit().await?;
    Ok(counts)
}
