use crate::domain::direction::Direction;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// The room it takes (blocked for bookings while it runs); none for an
    /// event outside the building.
    pub space_id: Option<i32>,
    /// Where an event outside the building happens (a park, a school).
    pub place: String,
    /// People counted by staff, for events nobody registers for by name.
    pub head_count: Option<i32>,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: Direction,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: i32,
    pub min_age: i32,
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
