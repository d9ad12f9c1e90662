//! Scans a desk made offline and uploaded later, one row per scan nonce:
//! the nonce makes an upload safe to repeat, and the result says what the
//! server made of it (admitted, conflict with another admission, denied).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OfflineScans {
    Table,
    Id,
    Nonce,
    Device,
    Code,
    Exit,
    ScannedAt,
    UploadedAt,
    UploadedBy,
    Result,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OfflineScans::Table)
                .col(pk_auto(OfflineScans::Id))
                .col(string(OfflineScans::Nonce))
                .col(string(OfflineScans::Device))
                .col(string(OfflineScans::Code))
                .col(boolean(OfflineScans::Exit).default(false))
                .col(timestamp_with_time_zone(OfflineScans::ScannedAt))
                .col(timestamp_with_time_zone(OfflineScans::UploadedAt))
                .col(integer(OfflineScans::UploadedBy))
                .col(string(OfflineScans::Result))
                .col(string_null(OfflineScans::Detail))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_offline_scans_nonce")
                .table(OfflineScans::Table)
                .col(OfflineScans::Nonce)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(OfflineScans::Table).take())
            .await
    }
}
