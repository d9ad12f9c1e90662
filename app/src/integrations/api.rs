//! API token server fns (regional admins only).

use leptos::prelude::*;

use super::dto::{ApiTokenForm, ApiTokensDto};
use crate::error::AppError;

/// Every token with its center, scopes and last use.
#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<ApiTokensDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::list(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Create a token; the answer is the token, shown once.
#[server(endpoint = "create_api_token")]
pub async fn create_api_token(form: ApiTokenForm) -> Result<String, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::create(&cx.db, &user, &form, cx.now()).await },
    )
    .await
}

/// Revoke a token: requests with it are refused from now on.
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::revoke(&cx.db, &user, id, cx.now()).await },
    )
    .await
}
