//! `/api/v1/me`: the calling token.

use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller::Caller;
use super::error::ErrorBody;

/// The calling token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    pub name: String,
    pub center_id: i32,
    /// `read`, `book`, `check_in`.
    pub scopes: Vec<String>,
    pub rate_per_minute: u32,
}

/// Who am I: the token's name, center, scopes and rate limit.
#[utoipa::path(get, path = "/api/v1/me", tag = "token",
    responses(
        (status = 200, body = TokenInfo),
        (status = 401, body = ErrorBody, description = "Missing, unknown or revoked token"),
        (status = 429, body = ErrorBody, description = "Over the token's rate limit"),
    ))]
pub(super) async fn token_info(caller: Caller) -> Json<TokenInfo> {
    Json(TokenInfo {
        name: caller.api.name.clone(),
        center_id: caller.api.center_id,
        scopes: caller
            .api
            .scopes
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        rate_per_minute: caller.api.rate_per_minute,
    })
}
