//! Webhook server fns: thin wrappers (authorize inside the service).

use leptos::prelude::*;

use super::dto::{CreatedWebhookDto, WebhookForm, WebhooksDto};
use crate::error::AppError;

/// The caller's endpoints and their delivery log (directors: their
/// centers; regional admins: all).
#[server(endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<WebhooksDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::list(&state.db, &user, request_locale()).await
        }
        .await,
    )
}

/// Register an endpoint; the answer carries its secret, shown only once.
#[server(endpoint = "create_webhook")]
pub async fn create_webhook(form: WebhookForm) -> Result<CreatedWebhookDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::require_user;
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::create(&state.db, &user, form, state.now()).await
        }
        .await,
    )
}

/// Switch an endpoint off, or back on (clearing its failure count).
#[server(endpoint = "set_webhook_active")]
pub async fn set_webhook_active(endpoint_id: i32, active: bool) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::access::require_user;
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::set_active(&state.db, &user, endpoint_id, active, state.now()).await
        }
        .await,
    )
}
