use crate::domain::lending::{Condition, ItemKind};
use sea_orm::entity::prelude::*;

/// A piece of equipment the desk lends (camera, light kit, microphone…).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "equipment_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// See `domain::lending::ItemKind::as_str`.
    pub kind: ItemKind,
    pub name: String,
    #[sea_orm(unique)]
    pub serial: String,
    /// Printed on the item's QR label (`EQ-0001`).
    #[sea_orm(unique)]
    pub label_code: String,
    /// See `domain::lending::Condition::as_str`.
    pub condition: Condition,
    pub notes: Option<String>,
    /// Borrowers need the induction of this space (e.g. the sound studio).
    pub induction_space_id: Option<i32>,
    /// A loan is due this many days after check-out (at the due hour).
    pub loan_days: i32,
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
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Center.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
