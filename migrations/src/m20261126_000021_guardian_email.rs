//! A minor's guardian may give an email address too: the consent code is
//! then also sent there (issue 9). Optional, so existing rows stay valid.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    GuardianEmail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(People::Table)
                .add_column(string_null(People::GuardianEmail))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(People::Table)
                .drop_column(People::GuardianEmail)
                .take(),
        )
        .await
    }
}
