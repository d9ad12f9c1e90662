//! The audit log: who did what to which record, for admin actions (staff
//! accounts, consent, center and space rules, closures, decisions, pardons)
//! and door check-ins. Rows are written inside the transaction of the action
//! they describe, so an action and its record stand or fall together.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorAccountId,
    ActorName,
    CenterId,
    Kind,
    Subject,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                // No foreign keys: the log outlives deleted accounts and
                // centers, and names the actor as they were at the time.
                .col(integer_null(AuditLog::ActorAccountId))
                .col(string(AuditLog::ActorName))
                .col(integer_null(AuditLog::CenterId))
                .col(string(AuditLog::Kind))
                .col(string(AuditLog::Subject))
                .col(text(AuditLog::Detail))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_log_center_at")
                .table(AuditLog::Table)
                .col(AuditLog::CenterId)
                .col(AuditLog::At)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditLog::Table).take())
            .await
    }
}
