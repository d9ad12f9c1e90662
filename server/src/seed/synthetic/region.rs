//! The synthetic region: the demo region's centers (names, hours and
//! spaces of `seed::region`), and their staff.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbErr};

use app::domain::people::Role;
use app::model::center;

use crate::seed::region::{insert_center, REGION};
use crate::seed::staff;

/// The first `n` centers of the region with their opening hours and
/// spaces, a director (the regional center's is an admin) and a front desk
/// each. Returns each center with its desk account's id.
pub(super) async fn insert_region(
    txn: &DatabaseTransaction,
    n: usize,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(center::Model, i32)>, DbErr> {
    let mut centers = Vec::new();
    let mut regional = None;
    for (i, rc) in REGION.iter().take(n).enumerate() {
        let c = insert_center(txn, rc, regional, now).await?;
        regional.get_or_insert(c.id);
        staff(
            txn,
            c.id,
            if i == 0 { Role::Admin } else { Role::Director },
            "Директор / Director",
            &format!("director{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        let desk = staff(
            txn,
            c.id,
            Role::FrontDesk,
            "Ресепшен / Front desk",
            &format!("desk{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        centers.push((c, desk));
    }
    Ok(centers)
}
