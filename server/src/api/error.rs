//! The API's refusals: a JSON body with the web app's machine codes and a
//! message in the request's language.

use app::error::{AppError, Problem};
use app::i18n::Locale;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The JSON body of every refusal.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Machine code, the same as the web app's (`not_authenticated`,
    /// `forbidden`, `not_found`, `invalid`, `slot_full`, `rate_limited`…).
    pub code: String,
    /// Human reason in the request's language.
    pub message: String,
    /// For `invalid`: the field that was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub struct ApiError {
    err: AppError,
    locale: Locale,
    /// `Retry-After` seconds of a rate-limit refusal: until the next rate
    /// window by the app clock (the window is counted with it too).
    retry_after: Option<u32>,
}

impl ApiError {
    pub(super) fn new(err: AppError, locale: Locale) -> Self {
        ApiError {
            err,
            locale,
            retry_after: None,
        }
    }

    /// A refusal of a request made at `now` (the app clock): a rate-limit
    /// refusal says how long until the next window.
    pub(super) fn at(err: AppError, locale: Locale, now: DateTime<Utc>) -> Self {
        let retry_after = matches!(err, AppError::RateLimited { .. })
            .then(|| app::domain::apitoken::retry_after_secs(now));
        ApiError {
            err,
            locale,
            retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if matches!(self.err, AppError::Internal) {
            tracing::error!("api request failed with an internal error");
        }
        let status =
            StatusCode::from_u16(self.err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let field = match &self.err {
            AppError::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let body = ErrorBody {
            code: self.err.code().to_string(),
            message: self.err.message(self.locale),
            field,
        };
        let mut resp = (status, Json(body)).into_response();
        if let AppError::RateLimited {
            retry_after_minutes,
        } = self.err
        {
            // Without the time of the request, a whole window is the safe
            // answer.
            let secs = self.retry_after.unwrap_or(retry_after_minutes.max(1) * 60);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ortalyq\""),
            );
        }
        resp
    }
}

pub(super) type ApiResult<T> = Result<T, ApiError>;

/// Whether a request goes to the REST API (and so gets its error shape).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// An `invalid_input` refusal in the API's shape, for the body checks that
/// run before any handler (too large, NUL characters).
pub fn refusal(status: StatusCode, detail: &str, locale: Locale) -> Response {
    let err = AppError::InvalidInput(detail.into());
    let body = ErrorBody {
        code: err.code().to_string(),
        message: err.message(locale),
        field: None,
    };
    (status, Json(body)).into_response()
}

pub fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or_default()
}

pub(super) fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}
