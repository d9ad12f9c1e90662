//! The synthetic region: its centers, their opening hours and spaces, and
//! their staff.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, Set};

use app::domain::people::Role;
use app::model::{account_center, center, opening_hours};

use super::names::DISTRICTS;
use crate::seed::{extra_person, space_row, CENTERS, DISTRICT_HOURS, REGIONAL_HOURS, SPACES};

/// Staff account (director, desk) of a center.
pub(super) async fn staff(
    txn: &DatabaseTransaction,
    center_id: i32,
    role: Role,
    name: &str,
    email: String,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let (_, a) = extra_person(txn, name, &email, role, center_id, password_hash, now).await?;
    account_center::ActiveModel {
        account_id: Set(a.id),
        center_id: Set(center_id),
    }
    .insert(txn)
    .await?;
    Ok(a.id)
}

/// A center of the region: slug, names (kk, ru, en), city, opening hours.
type RegionCenter = (String, [String; 3], String, &'static [(i16, i32, i32)]);

/// The slug, names (kk, ru, en), city and opening hours of the region's
/// `i`-th center: the demo regional center first, then the districts.
fn region_center(i: usize) -> RegionCenter {
    if i == 0 {
        let r = &CENTERS[0];
        (
            r.slug.to_string(),
            r.names.map(String::from),
            r.city.to_string(),
            REGIONAL_HOURS,
        )
    } else {
        let d = DISTRICTS[i - 1];
        (
            format!("district-{i}"),
            [
                format!("{} жастар ресурстық орталығы", d[0]),
                format!("Молодёжный ресурсный центр: {}", d[1]),
                format!("{} Youth Resource Center", d[2]),
            ],
            format!("{} / {}", d[0], d[1]),
            DISTRICT_HOURS,
        )
    }
}

/// The region's centers with their opening hours, the demo spaces, a
/// director (the regional center's is an admin) and a front desk each.
/// Returns each center with its desk account's id.
pub(super) async fn insert_region(
    txn: &DatabaseTransaction,
    n: usize,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(center::Model, i32)>, DbErr> {
    let mut centers = Vec::new();
    let mut regional = None;
    for i in 0..n {
        let (slug, names, city, hours) = region_center(i);
        let c = center::ActiveModel {
            parent_id: Set(regional),
            slug: Set(slug),
            name_kk: Set(names[0].clone()),
            name_ru: Set(names[1].clone()),
            name_en: Set(names[2].clone()),
            city: Set(city),
            timezone: Set("Asia/Almaty".into()),
            created_at: Set(now),
            max_future_bookings: Set(3),
            max_studio_minutes_week: Set(240),
            strike_limit: Set(3),
            strike_window_days: Set(30),
            strike_block_days: Set(7),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        regional.get_or_insert(c.id);
        for (weekday, opens, closes) in hours {
            opening_hours::ActiveModel {
                center_id: Set(c.id),
                weekday: Set(*weekday),
                opens_min: Set(*opens),
                closes_min: Set(*closes),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        for s in &SPACES {
            space_row(c.id, s).insert(txn).await?;
        }
        staff(
            txn,
            c.id,
            if i == 0 { Role::Admin } else { Role::Director },
            "Директор / Director",
            format!("director{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        let desk = staff(
            txn,
            c.id,
            Role::FrontDesk,
            "Ресепшн / Front desk",
            format!("desk{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        centers.push((c, desk));
    }
    Ok(centers)
}
