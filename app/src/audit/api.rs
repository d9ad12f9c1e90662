//! Audit log server fn.

use leptos::prelude::*;

use super::dto::{AuditPageDto, AuditQuery};
use crate::error::AppError;

/// One page of the audit log. Directors: their centers; regional admins:
/// every center and region-wide actions.
#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] query: AuditQuery) -> Result<AuditPageDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::list(&state.db, &user, query, state.now(), request_locale()).await
        }
        .await,
    )
}
