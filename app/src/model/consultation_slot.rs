use crate::domain::consultation::Field;
use sea_orm::entity::prelude::*;

/// A time a mentor offers; booked by one member at most.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_slots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub mentor_id: i32,
    /// The mentor's field when the slot was published: who may see the
    /// booker and topic follows the slot, not the mentor's current profile.
    pub field: Field,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// The member (person) who booked it, if anyone.
    pub booked_by: Option<i32>,
    pub booked_at: Option<DateTimeUtc>,
    /// What the member wants to talk about (private for psychology).
    pub topic: Option<String>,
    /// The mentor withdrew the slot.
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::mentor::Entity",
        from = "Column::MentorId",
        to = "super::mentor::Column::Id"
    )]
    Mentor,
}

impl Related<super::mentor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mentor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
