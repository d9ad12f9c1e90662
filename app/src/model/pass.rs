use crate::domain::pass::PassKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub person_id: i32,
    pub booking_id: Option<i32>,
    /// `booking` or `membership`.
    pub kind: PassKind,
    pub center_id: i32,
    pub valid_from: DateTimeUtc,
    pub valid_until: DateTimeUtc,
    pub key_id: i16,
    /// The signed code shown as QR.
    pub code: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub issued_at: DateTimeUtc,
    /// The club whose sessions a `club_session` pass admits to.
    pub club_id: Option<i32>,
    /// The event an `event` pass admits to.
    pub event_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
