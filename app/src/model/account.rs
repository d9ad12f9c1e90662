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
    /// Set while a self-registered account waits for the code sent to its
    /// phone or email; such an account cannot sign in. `None`: active.
    pub pending_since: Option<DateTimeUtc>,
    /// Set while the account is disabled (offboarding): no sign-in, no
    /// sessions. A password reset leaves it set.
    pub disabled_at: Option<DateTimeUtc>,
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
        belongs_to = "super::center::Entity",
        from = "Column::HomeCenterId",
        to = "super::center::Column::Id"
    )]
    HomeCenter,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HomeCenter.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
