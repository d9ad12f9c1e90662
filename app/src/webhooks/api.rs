//! Webhook server fns: thin wrappers (authorize inside the service).

use leptos::prelude::*;

use super::dto::{CreatedWebhookDto, WebhookForm, WebhooksDto};
use crate::error::AppError;

/// The caller's endpoints and their delivery log (directors: their
/// centers; regional admins: all).
#[server(endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<WebhooksDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::list(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Register an endpoint; the answer carries its secret, shown only once.
#[server(endpoint = "create_webhook")]
pub async fn create_webhook(form: WebhookForm) -> Result<CreatedWebhookDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::create(&cx.db, &user, form, &cx.webhook_egress, cx.now()).await
        },
    )
    .await
}

/// Switch an endpoint off, or back on (clearing its failure count).
#[server(endpoint = "set_webhook_active")]
pub async fn set_webhook_active(endpoint_id: i32, active: bool) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::set_active(&cx.db, &user, endpoint_id, active, cx.now()).await
        },
    )
    .await
}
