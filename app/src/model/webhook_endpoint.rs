use sea_orm::entity::prelude::*;

/// A URL that receives signed JSON about events of one center (or all).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub url: String,
    /// `None`: every center (regional admins only).
    pub center_id: Option<i32>,
    /// Comma-separated event names (see `webhooks::dto::WebhookEvent`).
    pub events: String,
    /// HMAC-SHA256 key of the signature header; shown once at creation.
    pub secret: String,
    pub active: bool,
    pub consecutive_failures: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub disabled_at: Option<DateTimeUtc>,
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
