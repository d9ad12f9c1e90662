//! Offboarding and session lifetime (issue 20): an account can be disabled
//! (`accounts.disabled_at`), and a session records when it was last used
//! (`sessions.last_seen_at`, for the staff idle limit) and when its token
//! was replaced by a new one (`sessions.rotated_at`, visitors' rotation).
//! All optional, so existing rows stay valid: a session never seen since
//! this migration counts as last seen when it was created.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    DisabledAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    LastSeenAt,
    RotatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(timestamp_with_time_zone_null(Accounts::DisabledAt))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(timestamp_with_time_zone_null(Sessions::LastSeenAt))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(timestamp_with_time_zone_null(Sessions::RotatedAt))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .drop_column(Sessions::RotatedAt)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .drop_column(Sessions::LastSeenAt)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Accounts::DisabledAt)
                .take(),
        )
        .await
    }
}
