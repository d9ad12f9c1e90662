use crate::domain::direction::Direction;
use crate::domain::people::Education;
use sea_orm::entity::prelude::*;

/// A multi-week program members apply to, with its eligibility rules.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    #[sea_orm(column_type = "Text")]
    pub description_kk: String,
    #[sea_orm(column_type = "Text")]
    pub description_ru: String,
    #[sea_orm(column_type = "Text")]
    pub description_en: String,
    /// See `domain::direction::Direction::as_str`.
    pub direction: Direction,
    /// Youngest and oldest age (inclusive) on the day of applying.
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    /// See `domain::people::Education`.
    pub min_education: Option<Education>,
    pub rural_only: bool,
    /// Comma-separated `Occupation` codes; empty: any occupation.
    pub occupations: String,
    /// Places in the cohort (accepted applications).
    pub capacity: i32,
    /// Share of held sessions (percent) a participant must attend to complete.
    pub completion_percent: i32,
    /// Last center-local day to apply, if any.
    pub applications_close_on: Option<Date>,
    pub active: bool,
    pub created_by: i32,
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
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Center.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
