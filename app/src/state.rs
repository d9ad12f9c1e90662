//! Server-side application state handed to server fns through context.

use std::sync::Arc;

use axum::extract::FromRef;
use ed25519_dalek::{SigningKey, VerifyingKey};
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

/// The keys passes are signed with (current) and verified against (all
/// trusted key ids, for rotation).
pub struct PassKeyRing {
    pub key_id: u8,
    pub signing: SigningKey,
    pub trusted: Vec<(u8, VerifyingKey)>,
}

impl PassKeyRing {
    pub fn single(key_id: u8, signing: SigningKey) -> Self {
        let trusted = vec![(key_id, signing.verifying_key())];
        Self {
            key_id,
            signing,
            trusted,
        }
    }
}

impl std::fmt::Debug for PassKeyRing {
    // Never print the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PassKeyRing")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Where "now" comes from. `Frozen` exists for reproducible end-to-end
/// tests and demos; the server logs a warning when it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    System,
    Frozen(chrono::DateTime<chrono::Utc>),
}

impl Clock {
    pub fn now(self) -> chrono::DateTime<chrono::Utc> {
        match self {
            Clock::System => chrono::Utc::now(),
            Clock::Frozen(t) => t,
        }
    }
}

/// Cloned several times per request (each middleware's `State`, the
/// context of every page and server fn), so it holds little more than
/// shared pointers.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    /// Behind an `Arc`: cloning `LeptosOptions` itself (a dozen shared
    /// strings) and dropping the clone was 2 % of a page's CPU.
    #[from_ref(skip)]
    pub leptos_options: Arc<LeptosOptions>,
    pub db: DatabaseConnection,
    pub keys: Arc<PassKeyRing>,
    /// Add `Secure` to cookies (set when served over HTTPS).
    #[from_ref(skip)]
    pub secure_cookies: bool,
    #[from_ref(skip)]
    pub clock: Clock,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
    #[from_ref(skip)]
    pub trust_proxy: bool,
    /// The site's own address (`https://ortalyq.example.kz`) for links in
    /// messages and on certificates; `None`: the request's Host.
    #[from_ref(skip)]
    pub public_url: Option<String>,
    /// Which webhook hosts may take plain HTTP or non-public addresses
    /// (`ORTALYQ_WEBHOOK_ALLOW_HTTP`, `ORTALYQ_WEBHOOK_ALLOW_PRIVATE`).
    #[from_ref(skip)]
    pub webhook_egress: Arc<crate::domain::egress::EgressPolicy>,
    /// How long sessions last (`ORTALYQ_STAFF_IDLE_MINUTES`).
    #[from_ref(skip)]
    pub sessions: crate::domain::sessions::SessionPolicy,
    /// The Telegram bot's username when the server runs a bot
    /// (`ORTALYQ_TELEGRAM_TOKEN`); `None`: no bot, `/account` shows nothing
    /// of Telegram.
    #[from_ref(skip)]
    pub telegram_bot: Option<Arc<str>>,
}

/// What leptos_axum's handlers ask of the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        LeptosOptions::clone(&state.leptos_options)
    }
}

impl AppState {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// The state of the current request, for use inside server fns.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
