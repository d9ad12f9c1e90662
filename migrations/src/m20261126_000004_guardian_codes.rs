//! One-time codes sent to a guardian's phone to confirm consent online.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GuardianCodes {
    Table,
    Id,
    PersonId,
    CodeHash,
    SentTo,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GuardianCodes::Table)
                .col(pk_auto(GuardianCodes::Id))
                .col(integer(GuardianCodes::PersonId))
                .col(string(GuardianCodes::CodeHash))
                .col(string(GuardianCodes::SentTo))
                .col(timestamp_with_time_zone(GuardianCodes::ExpiresAt))
                .col(timestamp_with_time_zone_null(GuardianCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_guardian_codes_person")
                        .from(GuardianCodes::Table, GuardianCodes::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_guardian_codes_person")
                .table(GuardianCodes::Table)
                .col(GuardianCodes::PersonId)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GuardianCodes::Table).take())
            .await
    }
}
