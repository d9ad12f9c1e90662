//! Server fns of a member's own data.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::access::clear_session_cookie;
use crate::error::AppError;

/// Delete the signed-in member's account (visitors only; staff accounts are
/// closed by an admin). `confirm` must be `DELETE`.
#[server(endpoint = "delete_my_account")]
pub async fn delete_my_account(confirm: String) -> Result<(), AppError> {
    let visitor = |r| r == crate::domain::people::Role::Visitor;
    crate::access::signed_in(visitor, |cx, user| async move {
        if confirm.trim() != "DELETE" {
            return Err(AppError::Invalid {
                field: "confirm".into(),
                problem: crate::error::Problem::ConfirmDelete,
            });
        }
        super::service::delete_my_account(&cx.db, &cx.keys, &user, cx.now()).await?;
        clear_session_cookie();
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}
