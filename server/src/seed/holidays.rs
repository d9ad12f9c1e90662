//! The movable public holiday the admin enters per year: Kurban ait (the
//! first day is a day off in Kazakhstan). The fixed holidays come with the
//! database.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use app::model::holiday;

/// (year, month, day) of Kurban ait's first day. 2027 follows the
/// astronomical calendar; the admin corrects it if the Spiritual
/// Administration of Muslims of Kazakhstan announces another day.
pub(super) const KURBAN_AIT: [(i32, i16, i16); 2] = [(2026, 5, 27), (2027, 5, 16)];

/// Kurban ait for the years of [`KURBAN_AIT`], unless a year already has it.
pub(super) async fn seed_movable_holidays<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    for (year, month, day) in KURBAN_AIT {
        let present = holiday::Entity::find()
            .filter(holiday::Column::Year.eq(year))
            .filter(holiday::Column::NameEn.eq("Kurban Ait"))
            .count(db)
            .await?;
        if present > 0 {
            continue;
        }
        holiday::ActiveModel {
            year: Set(Some(year)),
            month: Set(month),
            day: Set(day),
            name_kk: Set("Құрбан айт".into()),
            name_ru: Set("Курбан айт".into()),
            name_en: Set("Kurban Ait".into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
