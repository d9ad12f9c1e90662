//! Server fns of the space editor (director of the space's center, admin).
//! Deactivation cancels bookings, so its server fn is the booking
//! workflow's `deactivate_space`.

use leptos::prelude::*;

use super::dto::SpaceRulesForm;
use super::spaces_dto::*;
use crate::error::AppError;

/// The new-space form with the usual rules of `kind` (else coworking).
#[server(endpoint = "new_space_form")]
pub async fn new_space_form(kind: Option<String>) -> Result<SpaceEditorDto, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move { super::spaces::new_space_form(&cx.db, &user, kind, cx.l).await },
    )
    .await
}

/// One space's editor: details, rules and the future bookings it holds.
#[server(endpoint = "space_editor")]
pub async fn space_editor(space_id: i32) -> Result<SpaceEditorDto, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::spaces::space_editor(&cx.db, &user, space_id, cx.l, cx.now()).await
        },
    )
    .await
}

/// Create a space; returns its id.
#[server(endpoint = "create_space")]
pub async fn create_space(
    details: SpaceDetailsForm,
    rules: SpaceRulesForm,
) -> Result<i32, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::spaces::create_space(&cx.db, &user, details, rules, cx.now()).await
        },
    )
    .await
}

/// Save a space's kind, names, descriptions and center.
#[server(endpoint = "save_space_details")]
pub async fn save_space_details(space_id: i32, details: SpaceDetailsForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::spaces::save_space_details(&cx.db, &user, space_id, details, cx.now()).await
        },
    )
    .await
}

/// Open a deactivated space for bookings again.
#[server(endpoint = "reactivate_space")]
pub async fn reactivate_space(space_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::spaces::reactivate_space(&cx.db, &user, space_id, cx.now()).await
        },
    )
    .await
}
