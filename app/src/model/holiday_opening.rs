use sea_orm::entity::prelude::*;

/// A center open on a public holiday (for an event), with its usual hours
/// for that weekday.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holiday_openings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// Center-local date.
    pub day: Date,
    pub reason: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

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
