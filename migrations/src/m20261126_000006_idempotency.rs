//! Idempotent booking: a resubmitted form (double click, retry after a lost
//! answer) carries the same request key and finds the booking it made.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Bookings {
    Table,
    CreatedBy,
    RequestKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .add_column(string_null(Bookings::RequestKey))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_bookings_request_key")
                .table(Bookings::Table)
                .col(Bookings::CreatedBy)
                .col(Bookings::RequestKey)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_bookings_request_key")
                .table(Bookings::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .drop_column(Bookings::RequestKey)
                .take(),
        )
        .await
    }
}
