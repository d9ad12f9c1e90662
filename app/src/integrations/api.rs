//! API token server fns (regional admins only).

use leptos::prelude::*;

use super::dto::{ApiTokenForm, ApiTokensDto};
use crate::error::AppError;

/// Every token with its center, scopes and last use.
#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<ApiTokensDto, AppError> {
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

/// Create a token; the answer is the token, shown once.
#[server(endpoint = "create_api_token")]
pub async fn create_api_token(form: ApiTokenForm) -> Result<String, AppError> {
    crate::error::respond(
        async move {
            use crate::access::require_user;
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::create(&state.db, &user, &form, state.now()).await
        }
        .await,
    )
}

/// Revoke a token: requests with it are refused from now on.
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::access::require_user;
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::revoke(&state.db, &user, id, state.now()).await
        }
        .await,
    )
}
