use crate::domain::direction::Direction;
use crate::i18n::pick;
use crate::i18n::Locale;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clubs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// The room its sessions take (blocked for bookings at those times).
    pub space_id: i32,
    pub leader_account_id: Option<i32>,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    /// See `domain::direction::Direction::as_str`.
    pub direction: Direction,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: i16,
    /// Local start, minutes after midnight.
    pub starts_min: i32,
    pub duration_minutes: i32,
    pub term_start: Date,
    pub term_end: Date,
    pub capacity: i32,
    /// 0: no bound beyond the membership rule.
    pub min_age: i32,
    pub max_age: i32,
    /// Attendance is a count only; nobody joins by name.
    pub anonymous: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::center::Entity",
        from = "Column::CenterId",
        to = "super::center::Column::Id"
    )]
    Center,
    #[sea_orm(
        belongs_to = "super::space::Entity",
        from = "Column::SpaceId",
        to = "super::space::Column::Id"
    )]
    Space,
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Center.def()
    }
}

impl Related<super::space::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Space.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// The club's name in the reader's language.
pub fn name_of(c: &Model, l: Locale) -> String {
    pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string()
}
