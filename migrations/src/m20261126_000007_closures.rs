//! Center closures (blackout days) that staff add besides public holidays.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Closures {
    Table,
    Id,
    CenterId,
    Day,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Closures::Table)
                .col(pk_auto(Closures::Id))
                .col(integer(Closures::CenterId))
                .col(date(Closures::Day))
                .col(string(Closures::Reason))
                .col(integer(Closures::CreatedBy))
                .col(timestamp_with_time_zone(Closures::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_closures_center")
                        .from(Closures::Table, Closures::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_closures_center_day")
                .table(Closures::Table)
                .col(Closures::CenterId)
                .col(Closures::Day)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Closures::Table).take())
            .await
    }
}
