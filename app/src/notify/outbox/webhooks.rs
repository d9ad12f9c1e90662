//! Webhook deliveries queued in the outbox: one row per endpoint that
//! takes the event.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::insert;
use crate::domain::codes::OutboxKind;
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::model::webhook_endpoint;

/// The JSON body of a webhook delivery.
fn webhook_body(
    event: WebhookEvent,
    center_id: i32,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> String {
    serde_json::json!({
        "event": event.as_str(),
        "occurred_at": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "center_id": center_id,
        "data": data,
    })
    .to_string()
}

/// Queue a delivery of `event` to every active endpoint subscribed to it
/// for this center (or for every center). Returns how many were queued.
pub async fn webhook<C: ConnectionTrait>(
    db: &C,
    event: WebhookEvent,
    center_id: i32,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let targets = webhook_targets(db, event, center_id).await?;
    webhook_to(db, &targets, event, center_id, data, now).await
}

/// The active endpoints that take `event` of `center_id`. A hot path (the
/// door) reads them before its write transaction and passes them to
/// [`webhook_to`], so the transaction holds its lock one query shorter.
pub async fn webhook_targets<C: ConnectionTrait>(
    db: &C,
    event: WebhookEvent,
    center_id: i32,
) -> Result<Vec<webhook_endpoint::Model>, AppError> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(webhook_endpoint::Column::CenterId.is_null())
                .add(webhook_endpoint::Column::CenterId.eq(center_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|e| e.events.split(',').any(|x| x.trim() == event.as_str()))
        .collect())
}

/// Queue `event` for each of `targets` (from [`webhook_targets`]).
pub async fn webhook_to<C: ConnectionTrait>(
    db: &C,
    targets: &[webhook_endpoint::Model],
    event: WebhookEvent,
    center_id: i32,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    if targets.is_empty() {
        return Ok(0);
    }
    let body = webhook_body(event, center_id, data, now);
    for e in targets {
        insert(
            db,
            OutboxKind::Webhook,
            event.as_str(),
            Some(center_id),
            None,
            Some(e.id),
            &e.url,
            body.clone(),
            None,
            now,
        )
        .await?;
    }
    Ok(targets.len())
}
