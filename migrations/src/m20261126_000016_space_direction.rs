//! Spaces carry a direction (media, culture, IT…) like clubs, programs and
//! events, so reports can count room use by direction. Empty for spaces that
//! serve every direction (coworking, the lecture hall).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Direction,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Spaces::Table)
                .add_column(string_null(Spaces::Direction))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Spaces::Table)
                .drop_column(Spaces::Direction)
                .take(),
        )
        .await
    }
}
