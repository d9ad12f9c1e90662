//! Server fns of a member's own data.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::access::{require_user, set_cookie};
use crate::error::AppError;

/// Delete the signed-in member's account (visitors only; staff accounts are
/// closed by an admin). `confirm` must be `DELETE`.
#[server(endpoint = "delete_my_account")]
pub async fn delete_my_account(confirm: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::access::session::SESSION_COOKIE;
            use crate::domain::people::Role;
            use crate::error::Problem;
            let user = require_user().await?;
            user.require(|r| r == Role::Visitor)?;
            if confirm.trim() != "DELETE" {
                return Err(AppError::Invalid {
                    field: "confirm".into(),
                    problem: Problem::ConfirmDelete,
                });
            }
            let state = crate::state::app_state()?;
            crate::privacy::service::delete_my_account(&state.db, &user, state.now()).await?;
            set_cookie(SESSION_COOKIE, "", 0, true);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}
