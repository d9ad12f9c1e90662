//! Fair-share quotas per center: upcoming bookings a member may hold and
//! studio minutes per rolling 7 days.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Centers {
    Table,
    MaxFutureBookings,
    MaxStudioMinutesWeek,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .add_column(integer(Centers::MaxFutureBookings).default(3))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .add_column(integer(Centers::MaxStudioMinutesWeek).default(240))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .drop_column(Centers::MaxStudioMinutesWeek)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .drop_column(Centers::MaxFutureBookings)
                .take(),
        )
        .await
    }
}
