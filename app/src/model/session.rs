use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// SHA-256 of the cookie token, hex; the token itself is never stored.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub account_id: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Last request made with it (written at most once a minute); `None`:
    /// not used since it was created.
    pub last_seen_at: Option<DateTimeUtc>,
    /// When a new token replaced this one (visitors' rotation); the old
    /// token lives on only for a short grace.
    pub rotated_at: Option<DateTimeUtc>,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
