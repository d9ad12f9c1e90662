//! Space rule: how long before the start a member may still cancel.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Spaces {
    Table,
    CancelNoticeMinutes,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    CancelledAt,
    CancelledBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Spaces::Table)
                .add_column(integer(Spaces::CancelNoticeMinutes).default(60))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .add_column(timestamp_with_time_zone_null(Bookings::CancelledAt))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .add_column(integer_null(Bookings::CancelledBy))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .drop_column(Bookings::CancelledBy)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .drop_column(Bookings::CancelledAt)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Spaces::Table)
                .drop_column(Spaces::CancelNoticeMinutes)
                .take(),
        )
        .await
    }
}
