use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "check_ins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub pass_id: i32,
    pub person_id: i32,
    pub center_id: i32,
    pub space_id: Option<i32>,
    pub scanned_at: DateTimeUtc,
    pub scanned_by: i32,
    /// The center-local date of the scan: a pass admits once per day.
    pub local_day: Date,
    /// Exit scan.
    pub checked_out_at: Option<DateTimeUtc>,
    pub checked_out_by: Option<i32>,
    /// Staff undid the admission (kept for the audit trail).
    pub undone_at: Option<DateTimeUtc>,
    pub undone_by: Option<i32>,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::pass::Entity",
        from = "Column::PassId",
        to = "super::pass::Column::Id"
    )]
    Pass,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
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

impl Related<super::pass::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pass.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
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
