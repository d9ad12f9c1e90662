use crate::domain::people::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub person_id: i32,
    /// Argon2id PHC string. Never leaves the server.
    pub password_hash: String,
    /// See `dto::Role::as_str`.
    pub role: Role,
    pub home_center_id: Option<i32>,
    pub created_at: DateTimeUtc,
    /// SHA-256 of the member's private calendar-feed token, if one is active.
    #[sea_orm(unique)]
    pub calendar_token_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
