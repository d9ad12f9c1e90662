//! Audit log server fn.

use leptos::prelude::*;

use super::dto::{AuditPageDto, AuditQuery};
use crate::error::AppError;

/// One page of the audit log. Directors: their centers; regional admins:
/// every center and region-wide actions.
#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] query: AuditQuery) -> Result<AuditPageDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::list(&cx.db, &user, query, cx.now(), cx.l).await },
    )
    .await
}
