//! Indexes the directors' reports need on a year of a region's activity
//! (measured with `ortalyq seed-synthetic`, see docs/BENCHMARKS.md):
//! booking passes of a center by validity, and each person's earlier visits
//! (new members).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Passes {
    Table,
    CenterId,
    ValidFrom,
}

#[derive(DeriveIden)]
enum CheckIns {
    Table,
    PersonId,
    ScannedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_passes_center_valid_from")
                .table(Passes::Table)
                .col(Passes::CenterId)
                .col(Passes::ValidFrom)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_check_ins_person_scanned")
                .table(CheckIns::Table)
                .col(CheckIns::PersonId)
                .col(CheckIns::ScannedAt)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_check_ins_person_scanned")
                .table(CheckIns::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_passes_center_valid_from")
                .table(Passes::Table)
                .to_owned(),
        )
        .await
    }
}
