use sea_orm::entity::prelude::*;

/// A private chat with the Telegram bot: the member it is linked to (if
/// any), the language it last used, and its failed link attempts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "telegram_chats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Telegram's chat id (64-bit).
    #[sea_orm(unique)]
    pub chat_id: i64,
    #[sea_orm(unique)]
    pub person_id: Option<i32>,
    /// `kk`, `ru` or `en`.
    pub lang: String,
    /// Wrong link codes since `misses_since` (an hour's window).
    pub link_misses: i32,
    pub misses_since: Option<DateTimeUtc>,
    pub linked_at: Option<DateTimeUtc>,
    /// A registration from the bot in progress (JSON), and when it was
    /// last touched (a day later it counts as abandoned).
    pub draft: Option<String>,
    pub draft_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
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
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
