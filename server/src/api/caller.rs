//! The caller of an API route: the bearer token, authenticated.

use app::error::AppError;
use app::i18n::Locale;
use app::integrations::dto::ApiScope;
use app::integrations::service::{self as tokens, ApiPrincipal};
use app::state::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::header;
use axum::http::request::Parts;
use chrono::{DateTime, SecondsFormat, Utc};

use super::error::{locale_of, ApiError, ApiResult};

/// An authenticated API call: the token's principal and the language of
/// the answer.
pub struct Caller {
    pub(super) api: ApiPrincipal,
    pub(super) locale: Locale,
}

impl Caller {
    pub(super) fn fail(&self, err: AppError) -> ApiError {
        ApiError::new(err, self.locale)
    }

    pub(super) fn require(&self, scope: ApiScope) -> ApiResult<()> {
        self.api.require(scope).map_err(|e| self.fail(e))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let locale = locale_of(&parts.headers);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(app::domain::apitoken::bearer_token)
            .ok_or(ApiError::new(AppError::NotAuthenticated, locale))?;
        let now = state.now();
        let api = tokens::authenticate(&state.db, token, now)
            .await
            .map_err(|e| ApiError::at(e, locale, now))?;
        Ok(Caller { api, locale })
    }
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn path_id(caller: &Caller, p: Result<Path<i32>, PathRejection>) -> ApiResult<i32> {
    p.map(|Path(id)| id)
        .map_err(|_| caller.fail(AppError::NotFound))
}
