//! The Telegram bot (issue 24): which chat belongs to which member, the
//! one-time codes that link a chat to an account, and each member's choice
//! of channel for notifications.
//!
//! - `telegram_chats`: a private chat with the bot (`chat_id` is Telegram's
//!   64-bit id, hence BIGINT), the member it is linked to (one chat per
//!   member), the language it last used and its failed link attempts (the
//!   bot refuses codes for an hour after five misses), and a registration
//!   from the bot in progress (`draft`, JSON; nothing else is written until
//!   it is complete).
//! - `telegram_link_codes`: a code shown once on `/account` (8 digits to
//!   type, or a token for the `t.me/<bot>?start=` deep link); only SHA-256
//!   hashes of both are stored, and each works once, for 10 minutes.
//! - `people.notify_channel`: `email`, `sms` or `telegram`; NULL is the
//!   default (email when there is an address, else a text message).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TelegramChats {
    Table,
    Id,
    ChatId,
    PersonId,
    Lang,
    LinkMisses,
    MissesSince,
    LinkedAt,
    Draft,
    DraftAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TelegramLinkCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    NotifyChannel,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TelegramChats::Table)
                .col(pk_auto(TelegramChats::Id))
                .col(big_integer_uniq(TelegramChats::ChatId))
                .col(integer_null(TelegramChats::PersonId).unique_key())
                .col(string_len(TelegramChats::Lang, 2).default("kk"))
                .col(integer(TelegramChats::LinkMisses).default(0))
                .col(timestamp_with_time_zone_null(TelegramChats::MissesSince))
                .col(timestamp_with_time_zone_null(TelegramChats::LinkedAt))
                // A registration in progress (JSON), nothing written elsewhere
                // until it is complete.
                .col(text_null(TelegramChats::Draft))
                .col(timestamp_with_time_zone_null(TelegramChats::DraftAt))
                .col(timestamp_with_time_zone(TelegramChats::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TelegramChats::Table, TelegramChats::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TelegramLinkCodes::Table)
                .col(pk_auto(TelegramLinkCodes::Id))
                .col(integer(TelegramLinkCodes::AccountId))
                .col(string_uniq(TelegramLinkCodes::CodeHash))
                .col(string_uniq(TelegramLinkCodes::TokenHash))
                .col(timestamp_with_time_zone(TelegramLinkCodes::ExpiresAt))
                .col(timestamp_with_time_zone_null(TelegramLinkCodes::UsedAt))
                .col(timestamp_with_time_zone(TelegramLinkCodes::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TelegramLinkCodes::Table, TelegramLinkCodes::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_telegram_link_codes_account")
                .table(TelegramLinkCodes::Table)
                .col(TelegramLinkCodes::AccountId)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(People::Table)
                .add_column(string_null(People::NotifyChannel))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(People::Table)
                .drop_column(People::NotifyChannel)
                .take(),
        )
        .await?;
        m.drop_table(Table::drop().table(TelegramLinkCodes::Table).take())
            .await?;
        m.drop_table(Table::drop().table(TelegramChats::Table).take())
            .await
    }
}
