use crate::domain::lending::{Condition, LoanStatus};
use sea_orm::entity::prelude::*;

/// One lending of an item, from reservation (or walk-up check-out) to return.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "equipment_loans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_id: i32,
    pub person_id: i32,
    /// `reserved`, `out`, `returned` or `cancelled`.
    pub status: LoanStatus,
    pub reserved_at: DateTimeUtc,
    /// Center-local day the member will pick a reservation up.
    pub pickup_on: Option<Date>,
    pub due_at: Option<DateTimeUtc>,
    pub checked_out_at: Option<DateTimeUtc>,
    /// Account (desk) that handed the item out.
    pub checked_out_by: Option<i32>,
    pub returned_at: Option<DateTimeUtc>,
    pub returned_by: Option<i32>,
    pub return_condition: Option<Condition>,
    pub return_note: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::equipment_item::Entity",
        from = "Column::ItemId",
        to = "super::equipment_item::Column::Id"
    )]
    Item,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::equipment_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Item.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
