//! Accounts v2: one-time password-reset codes issued by staff, staff bound to
//! several centers, and check-ins keyed by local day (a membership card
//! admits once a day; a booking pass once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResetCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    IssuedBy,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum AccountCenters {
    Table,
    AccountId,
    CenterId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CheckIns {
    Table,
    PassId,
    LocalDay,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ResetCodes::Table)
                .col(pk_auto(ResetCodes::Id))
                .col(integer(ResetCodes::AccountId))
                .col(string(ResetCodes::CodeHash))
                .col(integer(ResetCodes::IssuedBy))
                .col(timestamp_with_time_zone(ResetCodes::ExpiresAt))
                .col(timestamp_with_time_zone_null(ResetCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_reset_codes_account")
                        .from(ResetCodes::Table, ResetCodes::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_reset_codes_issued_by")
                        .from(ResetCodes::Table, ResetCodes::IssuedBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_reset_codes_account")
                .table(ResetCodes::Table)
                .col(ResetCodes::AccountId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountCenters::Table)
                .col(integer(AccountCenters::AccountId))
                .col(integer(AccountCenters::CenterId))
                .primary_key(
                    Index::create()
                        .col(AccountCenters::AccountId)
                        .col(AccountCenters::CenterId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_account_centers_account")
                        .from(AccountCenters::Table, AccountCenters::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_account_centers_center")
                        .from(AccountCenters::Table, AccountCenters::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .take(),
        )
        .await?;
        // Existing staff keep their home center as their one center.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO account_centers (account_id, center_id) \
                 SELECT id, home_center_id FROM accounts \
                 WHERE role IN ('front_desk', 'director') AND home_center_id IS NOT NULL",
            )
            .await?;

        m.alter_table(
            Table::alter()
                .table(CheckIns::Table)
                .add_column(date(CheckIns::LocalDay).default("1970-01-01"))
                .take(),
        )
        .await?;
        // Backfill: the day in the region's zone (UTC+5) on PostgreSQL; the
        // UTC date on SQLite, which stores timestamps as text.
        let backfill = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE check_ins SET local_day = (scanned_at AT TIME ZONE 'Asia/Almaty')::date"
            }
            _ => "UPDATE check_ins SET local_day = substr(scanned_at, 1, 10)",
        };
        m.get_connection().execute_unprepared(backfill).await?;
        m.drop_index(
            Index::drop()
                .name("ux_check_ins_pass")
                .table(CheckIns::Table)
                .to_owned(),
        )
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
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_check_ins_pass_day")
                .table(CheckIns::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_check_ins_pass")
                .table(CheckIns::Table)
                .col(CheckIns::PassId)
                .unique()
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(CheckIns::Table)
                .drop_column(CheckIns::LocalDay)
                .take(),
        )
        .await?;
        m.drop_table(Table::drop().table(AccountCenters::Table).take())
            .await?;
        m.drop_table(Table::drop().table(ResetCodes::Table).take())
            .await?;
        Ok(())
    }
}
