use crate::domain::codes::AttendanceVia;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "club_attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub person_id: i32,
    pub marked_at: DateTimeUtc,
    /// Account that ticked the roster or scanned the pass.
    pub marked_by: i32,
    /// `door` or `roster`.
    pub via: AttendanceVia,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
