//! Demo data: the Karaganda regional youth resource center and its 14
//! district and city centers (`region`), their spaces, clubs, programs,
//! mentors, staff and demo accounts (names and wording after the news
//! articles the project grew from).

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

use app::access::session::hash_password;
use app::model::center;

mod centers;
mod clubs;
mod equipment;
mod holidays;
mod mentors;
mod people;
mod programs;
pub mod region;
pub mod synthetic;

pub use people::{DemoLogin, DEMO_LOGINS, DEMO_PASSWORD};
pub use programs::DEMO_CERTIFICATE;

use centers::insert_demo_centers;
use clubs::seed_activities;
use equipment::seed_equipment;
use holidays::seed_movable_holidays;
use mentors::seed_mentors;
use people::{insert_demo_logins, insert_district_staff};
use programs::seed_programs;
// The synthetic generator builds on the demo's region and people.
use people::staff;

/// Seed the demo data unless the database already has centers. Returns
/// whether anything was written. All or nothing: one transaction.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, DbErr> {
    if center::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = app::model::begin_write(db).await?;
    let centers = insert_demo_centers(&txn, now).await?;
    let regional_id = centers.get(region::REGION[0].slug).copied();
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let visitor_person = insert_demo_logins(&txn, regional_id, &password_hash, today, now).await?;
    let directors = insert_district_staff(&txn, &centers, &password_hash, now).await?;
    if let Some(visitor) = visitor_person {
        seed_programs(&txn, &centers, &directors, visitor, today, now).await?;
    }
    seed_mentors(&txn, &centers, &password_hash, now).await?;
    if let Some(regional) = regional_id {
        seed_equipment(&txn, regional, &password_hash, now).await?;
    }
    seed_movable_holidays(&txn).await?;
    txn.commit().await?;
    seed_activities(db, now).await?;
    Ok(true)
}
