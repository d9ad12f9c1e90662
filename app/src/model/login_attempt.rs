use sea_orm::entity::prelude::*;

/// One sign-in attempt, per login and per client address, for rate limiting
/// that holds across several app instances.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `login:<normalised login>` or `ip:<address>`.
    pub subject: String,
    pub attempted_at: DateTimeUtc,
    pub succeeded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
