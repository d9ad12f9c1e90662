use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "centers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub parent_id: Option<i32>,
    #[sea_orm(unique)]
    pub slug: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub city: String,
    /// IANA time zone, e.g. `Asia/Almaty`.
    pub timezone: String,
    pub created_at: DateTimeUtc,
    /// Fair share: upcoming bookings a member may hold.
    pub max_future_bookings: i32,
    /// Fair share: studio minutes a member may book in any 7 days.
    pub max_studio_minutes_week: i32,
    /// No-shows within `strike_window_days` that block booking…
    pub strike_limit: i32,
    pub strike_window_days: i32,
    /// …for this many days after the last one.
    pub strike_block_days: i32,
    /// The district or city the center serves (e.g. «Абай ауданы»).
    pub district: String,
    pub settlement: crate::domain::people::Settlement,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    /// A deactivated center takes no new bookings, members or activities;
    /// its history and reports stay.
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
