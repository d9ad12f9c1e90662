//! A private calendar feed per member: the hash of a revocable token.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    CalendarTokenHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(string_null(Accounts::CalendarTokenHash))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_accounts_calendar_token")
                .table(Accounts::Table)
                .col(Accounts::CalendarTokenHash)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_accounts_calendar_token")
                .table(Accounts::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Accounts::CalendarTokenHash)
                .take(),
        )
        .await
    }
}
