//! API tokens for integrations (a Telegram bot, a kiosk, the akimat's
//! systems): created by regional admins for one center, scoped, revocable
//! and rate-limited. Only a SHA-256 of the token is stored; the token is
//! shown once when it is created.
//!
//! Each token acts through an account of its own (role `front_desk`, linked
//! to the token's center, no usable password), so bookings and check-ins made
//! through the API name the integration in the audit log and the center
//! checks of the services apply to it unchanged.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    CenterId,
    AccountId,
    Name,
    TokenHash,
    TokenPrefix,
    Scopes,
    RatePerMinute,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
    WindowStart,
    WindowCount,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
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
                .table(ApiTokens::Table)
                .col(pk_auto(ApiTokens::Id))
                .col(integer(ApiTokens::CenterId))
                .col(integer(ApiTokens::AccountId))
                .col(string(ApiTokens::Name))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(string(ApiTokens::TokenPrefix))
                // Comma-separated: `read`, `book`, `check_in`.
                .col(string(ApiTokens::Scopes))
                .col(integer(ApiTokens::RatePerMinute))
                .col(integer_null(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                // Fixed one-minute rate window shared by every instance.
                .col(timestamp_with_time_zone_null(ApiTokens::WindowStart))
                .col(integer(ApiTokens::WindowCount).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiTokens::Table, ApiTokens::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiTokens::Table, ApiTokens::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApiTokens::Table).take())
            .await
    }
}
