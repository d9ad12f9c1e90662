use crate::domain::codes::{OutboxKind, OutboxStatus};
use sea_orm::entity::prelude::*;

/// One outgoing message (email) or webhook delivery, written in the
/// transaction of the event it reports and sent by the dispatcher.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `email` or `webhook`.
    pub kind: OutboxKind,
    /// What happened, e.g. `booking.created`, or the email's template.
    pub event: String,
    pub center_id: Option<i32>,
    pub person_id: Option<i32>,
    pub endpoint_id: Option<i32>,
    /// Email address or webhook URL at the time of the event.
    pub recipient: String,
    /// Email: JSON of `notify::outbox::Email`; webhook: the JSON body sent.
    pub payload: String,
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    /// `pending`, `sent` or `failed`.
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A dispatcher holds the row until then while it sends it.
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// The webhook receiver's HTTP status of the last attempt.
    pub response_code: Option<i32>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
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
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
    #[sea_orm(
        belongs_to = "super::webhook_endpoint::Entity",
        from = "Column::EndpointId",
        to = "super::webhook_endpoint::Column::Id"
    )]
    Endpoint,
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Center.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::webhook_endpoint::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Endpoint.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
