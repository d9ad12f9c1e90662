//! Webhook DTOs (wasm-safe).

use serde::{Deserialize, Serialize};

/// The form registering an endpoint. `events`: event names, comma-separated
/// (the page's checkboxes); `center`: empty for every center (admins).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookForm {
    pub url: String,
    #[serde(default)]
    pub center: Option<i32>,
    #[serde(default)]
    pub events: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointDto {
    pub id: i32,
    pub url: String,
    pub center: Option<String>,
    pub events: Vec<String>,
    pub active: bool,
    pub consecutive_failures: i32,
    /// Local `dd.mm.yyyy HH:MM` when it was switched off after failures.
    pub disabled_at: Option<String>,
    // No signing secret here: it is shown only on request (a form posting
    // to `/director/webhooks/{id}/secret`), so it is never part of the page.
}

/// One delivery of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryDto {
    pub id: i32,
    pub endpoint_id: i32,
    pub event: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub response_code: Option<i32>,
    pub last_error: Option<String>,
    /// Local `dd.mm.yyyy HH:MM`.
    pub created: String,
    /// When the next attempt is due (pending rows).
    pub next_attempt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksDto {
    pub endpoints: Vec<EndpointDto>,
    /// The latest deliveries of these endpoints, newest first.
    pub deliveries: Vec<DeliveryDto>,
    /// Centers the caller may register an endpoint for.
    pub centers: Vec<(i32, String)>,
    /// Whether "every center" may be chosen (regional admins).
    pub may_choose_all: bool,
}

/// A newly registered endpoint and its secret, shown once in the answer
/// (later only on request).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhookDto {
    pub id: i32,
    pub secret: String,
}

/// Deliveries shown on the page.
pub const LOG_ROWS: u64 = 100;

/// Where the form showing an endpoint's signing secret posts (a plain
/// route, so it works without JavaScript).
pub fn secret_path(endpoint_id: i32) -> String {
    format!("/director/webhooks/{endpoint_id}/secret")
}
