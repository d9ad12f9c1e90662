//! The outbox: outgoing emails and webhook deliveries, written in the same
//! transaction as the event they report (a rolled-back booking sends
//! nothing; a crash loses nothing), and sent by a dispatcher with retries.
//! Webhook endpoints registered by admins and directors live beside it; the
//! outbox rows of kind `webhook` are their delivery log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Kind,
    Event,
    CenterId,
    PersonId,
    EndpointId,
    Recipient,
    Payload,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    ResponseCode,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    Url,
    CenterId,
    Events,
    Secret,
    Active,
    ConsecutiveFailures,
    CreatedAt,
    CreatedBy,
    DisabledAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookEndpoints::Table)
                .col(pk_auto(WebhookEndpoints::Id))
                .col(string(WebhookEndpoints::Url))
                // `None`: every center (regional admins only).
                .col(integer_null(WebhookEndpoints::CenterId))
                // Comma-separated event names.
                .col(text(WebhookEndpoints::Events))
                .col(string(WebhookEndpoints::Secret))
                .col(boolean(WebhookEndpoints::Active).default(true))
                .col(integer(WebhookEndpoints::ConsecutiveFailures).default(0))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(integer_null(WebhookEndpoints::CreatedBy))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::DisabledAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(pk_auto(Outbox::Id))
                // `email` or `webhook`.
                .col(string(Outbox::Kind))
                .col(string(Outbox::Event))
                .col(integer_null(Outbox::CenterId))
                .col(integer_null(Outbox::PersonId))
                // No foreign key: the delivery log outlives a removed endpoint.
                .col(integer_null(Outbox::EndpointId))
                .col(string(Outbox::Recipient))
                .col(text(Outbox::Payload))
                // Enqueue-once marker (reminders); NULL for most rows.
                .col(string_null(Outbox::DedupeKey).unique_key())
                // `pending`, `sent` or `failed`.
                .col(string(Outbox::Status))
                .col(integer(Outbox::Attempts).default(0))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                .col(text_null(Outbox::LastError))
                .col(integer_null(Outbox::ResponseCode))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_status_next")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_endpoint")
                .table(Outbox::Table)
                .col(Outbox::EndpointId)
                .col(Outbox::Id)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Outbox::Table).take())
            .await?;
        m.drop_table(Table::drop().table(WebhookEndpoints::Table).take())
            .await
    }
}
