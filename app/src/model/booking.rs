use crate::domain::codes::BookingStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub person_id: i32,
    pub space_id: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub party_size: i32,
    /// `confirmed`, `pending` (awaiting approval), `denied` or `cancelled`.
    pub status: BookingStatus,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    /// Account that cancelled (the member, or staff on their behalf).
    pub cancelled_by: Option<i32>,
    /// Idempotency key of the request that made it (unique per creator).
    pub request_key: Option<String>,
    /// What the member will do (studios, hall); shown to staff.
    pub purpose: Option<String>,
    /// Why staff denied a request (the member sees it).
    pub decision_reason: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    /// Shared by the bookings of one weekly series.
    pub series_key: Option<String>,
    /// Marked a no-show (status `no_show`) by the sweep at this time.
    pub no_show_at: Option<DateTimeUtc>,
    /// Staff forgave the no-show: it no longer counts as a strike.
    pub pardoned_at: Option<DateTimeUtc>,
    pub pardoned_by: Option<i32>,
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
    #[sea_orm(
        belongs_to = "super::space::Entity",
        from = "Column::SpaceId",
        to = "super::space::Column::Id"
    )]
    Space,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::space::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Space.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
