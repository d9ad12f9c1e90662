//! Webhook deliveries queued in the outbox: one row per endpoint that
//! takes the event.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::insert;
use crate::domain::codes::OutboxKind;
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use crate::model::memo::Memo;
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
    let targets = subscribed(&active_endpoints(db, center_id).await?, event);
    webhook_to(db, &targets, event, center_id, data, now).await
}

/// Every center's active endpoints (those of the center and those of every
/// center), kept per center.
static KEPT: Memo<i32, Arc<Vec<webhook_endpoint::Model>>> = Memo::new();

/// The active endpoints that take `event` of `center_id`, as kept in
/// memory, for a hot path (the door) that reads them before its write
/// transaction and passes them to [`webhook_to`]. An endpoint created or
/// switched by another process is seen within
/// [`crate::model::memo::FRESH_FOR`]; the dispatcher checks an endpoint is
/// still active before each delivery.
pub async fn kept_webhook_targets(
    db: &DatabaseConnection,
    event: WebhookEvent,
    center_id: i32,
) -> Result<Vec<webhook_endpoint::Model>, AppError> {
    let all = KEPT
        .get_or_read(db, center_id, || async {
            Ok(Arc::new(active_endpoints(db, center_id).await?))
        })
        .await?;
    Ok(subscribed(&all, event))
}

/// An endpoint was created, switched on or off: read them again. Call it
/// after the change commits.
pub fn forget_webhook_targets(db: &DatabaseConnection) {
    KEPT.forget_all(db);
}

async fn active_endpoints<C: ConnectionTrait>(
    db: &C,
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
        .await?)
}

fn subscribed(
    endpoints: &[webhook_endpoint::Model],
    event: WebhookEvent,
) -> Vec<webhook_endpoint::Model> {
    endpoints
        .iter()
        .filter(|e| e.events.split(',').any(|x| x.trim() == event.as_str()))
        .cloned()
        .collect()
}

/// Queue `event` for each of `targets` (from [`kept_webhook_targets`]).
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
