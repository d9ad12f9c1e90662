use crate::domain::codes::ClubPlace;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "club_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub club_id: i32,
    pub person_id: i32,
    /// `member`, `waiting` or `left`.
    pub status: ClubPlace,
    /// Waitlist order: first come, first promoted.
    pub queued_at: DateTimeUtc,
    pub joined_at: Option<DateTimeUtc>,
    pub left_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
