use crate::domain::codes::ConsentMethod;
use sea_orm::entity::prelude::*;

/// A guardian's consent for a member aged 14–17, kept with its version and
/// how and by whom it was recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub person_id: i32,
    /// Version of the consent text the guardian agreed to.
    pub version: i32,
    pub guardian_name: String,
    pub guardian_phone: String,
    /// `paper` (form seen at the desk) or `code` (one-time code).
    pub method: ConsentMethod,
    pub recorded_by: Option<i32>,
    pub recorded_at: DateTimeUtc,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
