//! The one error type every server fn returns: a machine code the UI and tests
//! match on, plus a localized message. Internal details are logged on the
//! server and never sent to the client.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("not_authenticated")]
    NotAuthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid_credentials")]
    InvalidCredentials,
    #[error("not_found")]
    NotFound,
    /// A named input field is missing or invalid.
    #[error("invalid_input: {0}")]
    InvalidInput(String),
    #[error("slot_full")]
    SlotFull,
    #[error("slot_in_past")]
    SlotInPast,
    #[error("slot_not_offered")]
    SlotNotOffered,
    #[error("bad_party_size")]
    BadPartySize,
    /// Something failed on the server; details are in the server log only.
    #[error("internal")]
    Internal,
    /// The request never reached the server function or its answer could not
    /// be read (network, serialization).
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotAuthenticated => "not_authenticated",
            AppError::Forbidden => "forbidden",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::NotFound => "not_found",
            AppError::InvalidInput(_) => "invalid_input",
            AppError::SlotFull => "slot_full",
            AppError::SlotInPast => "slot_in_past",
            AppError::SlotNotOffered => "slot_not_offered",
            AppError::BadPartySize => "bad_party_size",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    pub fn msg(&self) -> Msg {
        match self {
            AppError::NotAuthenticated => Msg::ErrNotAuthenticated,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::InvalidInput(_) => Msg::ErrInvalidInput,
            AppError::SlotFull => Msg::ErrSlotFull,
            AppError::SlotInPast => Msg::ErrSlotInPast,
            AppError::SlotNotOffered => Msg::ErrSlotNotOffered,
            AppError::BadPartySize => Msg::ErrBadPartySize,
            AppError::Internal => Msg::ErrInternal,
            AppError::Transport(_) => Msg::ErrNetwork,
        }
    }

    pub fn message(&self, locale: Locale) -> &'static str {
        self.msg().text(locale)
    }

    /// The HTTP status a server fn answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotAuthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::SlotFull => 409,
            AppError::InvalidInput(_)
            | AppError::SlotInPast
            | AppError::SlotNotOffered
            | AppError::BadPartySize => 422,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }
}

/// Finish a server fn: a failure answers with its own HTTP status (401, 403,
/// 404, 409, 422…) instead of a blanket 500, so API clients, logs and
/// monitoring can tell a full slot from a crash.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let (Some(opts), Ok(code)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(e.status()),
        ) {
            opts.set_status(code);
        }
    }
    result
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_machine_code() {
        let json = serde_json::to_string(&AppError::SlotFull).unwrap();
        assert_eq!(json, r#"{"code":"slot_full"}"#);
        let back: AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, AppError::SlotFull);
        assert_eq!(AppError::SlotFull.code(), "slot_full");
        assert!(AppError::SlotFull.message(Locale::Ru).contains("занято"));
    }
}
