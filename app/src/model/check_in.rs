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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
