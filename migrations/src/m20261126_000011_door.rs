//! The door: per-space check-in window and no-show grace, no-show marks and
//! pardons on bookings, per-center strike rules, and check-outs and undone
//! check-ins (kept for the audit trail; an undone check-in no longer blocks
//! a new one, so the unique index becomes partial).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Spaces {
    Table,
    CheckinOpenMinutes,
    NoShowMinutes,
}

#[derive(DeriveIden, Clone, Copy)]
enum Bookings {
    Table,
    NoShowAt,
    PardonedAt,
    PardonedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Centers {
    Table,
    StrikeLimit,
    StrikeWindowDays,
    StrikeBlockDays,
}

#[derive(DeriveIden, Clone, Copy)]
enum CheckIns {
    Table,
    PassId,
    LocalDay,
    CheckedOutAt,
    CheckedOutBy,
    UndoneAt,
    UndoneBy,
}

async fn add(
    m: &SchemaManager<'_>,
    table: impl IntoIden + Clone,
    cols: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    // SQLite adds one column per ALTER TABLE.
    for mut col in cols {
        m.alter_table(
            Table::alter()
                .table(table.clone())
                .add_column(&mut col)
                .take(),
        )
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(
            m,
            Spaces::Table,
            vec![
                integer(Spaces::CheckinOpenMinutes).default(15).take(),
                integer(Spaces::NoShowMinutes).default(15).take(),
            ],
        )
        .await?;
        add(
            m,
            Bookings::Table,
            vec![
                timestamp_with_time_zone_null(Bookings::NoShowAt).take(),
                timestamp_with_time_zone_null(Bookings::PardonedAt).take(),
                integer_null(Bookings::PardonedBy).take(),
            ],
        )
        .await?;
        add(
            m,
            Centers::Table,
            vec![
                integer(Centers::StrikeLimit).default(3).take(),
                integer(Centers::StrikeWindowDays).default(30).take(),
                integer(Centers::StrikeBlockDays).default(7).take(),
            ],
        )
        .await?;
        add(
            m,
            CheckIns::Table,
            vec![
                timestamp_with_time_zone_null(CheckIns::CheckedOutAt).take(),
                integer_null(CheckIns::CheckedOutBy).take(),
                timestamp_with_time_zone_null(CheckIns::UndoneAt).take(),
                integer_null(CheckIns::UndoneBy).take(),
            ],
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ux_check_ins_pass_day")
                .table(CheckIns::Table)
                .to_owned(),
        )
        .await?;
        // Partial unique index (same syntax on SQLite and PostgreSQL).
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_check_ins_pass_day_live ON check_ins (pass_id, local_day) \
                 WHERE undone_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX ux_check_ins_pass_day_live")
            .await?;
        m.create_index(
            Index::create()
                .name("ux_check_ins_pass_day")
                .table(CheckIns::Table)
                .col(CheckIns::PassId)
                .col(CheckIns::LocalDay)
                .unique()
                .take(),
        )
        .await?;
        for col in [
            CheckIns::CheckedOutAt,
            CheckIns::CheckedOutBy,
            CheckIns::UndoneAt,
            CheckIns::UndoneBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(CheckIns::Table)
                    .drop_column(col)
                    .take(),
            )
            .await?;
        }
        for col in [
            Centers::StrikeLimit,
            Centers::StrikeWindowDays,
            Centers::StrikeBlockDays,
        ] {
            m.alter_table(Table::alter().table(Centers::Table).drop_column(col).take())
                .await?;
        }
        for col in [
            Bookings::NoShowAt,
            Bookings::PardonedAt,
            Bookings::PardonedBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .drop_column(col)
                    .take(),
            )
            .await?;
        }
        for col in [Spaces::CheckinOpenMinutes, Spaces::NoShowMinutes] {
            m.alter_table(Table::alter().table(Spaces::Table).drop_column(col).take())
                .await?;
        }
        Ok(())
    }
}
