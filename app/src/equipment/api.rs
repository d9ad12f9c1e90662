//! Equipment server fns: thin — authorize, call the service.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// A center's equipment and each item's state (signed in; staff of the
/// center also see holders).
#[server(endpoint = "equipment")]
pub async fn center_equipment(center_id: Option<i32>) -> Result<CenterEquipmentDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::center_equipment(
                &state.db,
                &user,
                center_id,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// Reserve an item for the signed-in member (`pickup_on`: `YYYY-MM-DD`).
#[server(endpoint = "reserve_item")]
pub async fn reserve_item(item_id: i32, pickup_on: Option<String>) -> Result<i32, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let pickup = match pickup_on
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(s) => Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(
                    |_| AppError::Invalid {
                        field: "pickup_on".into(),
                        problem: crate::error::Problem::Date,
                    },
                )?),
                None => None,
            };
            let state = crate::state::app_state()?;
            let l = super::service::reserve(
                &state.db,
                &user,
                item_id,
                pickup,
                state.now(),
                request_locale(),
            )
            .await?;
            Ok(l.id)
        }
        .await,
    )
}

/// Cancel a reservation (the member's own, or staff of the item's center).
#[server(endpoint = "cancel_reservation")]
pub async fn cancel_reservation(loan_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::cancel_reservation(&state.db, &user, loan_id, state.now()).await
        }
        .await,
    )
}

/// The signed-in member's reservations and loans.
#[server(endpoint = "my_loans")]
pub async fn my_loans() -> Result<Vec<LoanDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::my_loans(&state.db, &user, state.now(), request_locale()).await
        }
        .await,
    )
}

/// The desk looks up the member whose pass was scanned (or number typed).
#[server(endpoint = "desk_lending_member")]
pub async fn desk_lending_member(code: String) -> Result<DeskMemberDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::desk_member(
                &state.db,
                &state.keys,
                &user,
                &code,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// The desk hands an item (label code or serial) to the member of `code`.
#[server(endpoint = "check_out_item")]
pub async fn check_out_item(code: String, item_code: String) -> Result<LoanDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::check_out(
                &state.db,
                &state.keys,
                &user,
                &code,
                &item_code,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// The desk takes an item back with the condition found and a note.
#[server(endpoint = "return_item")]
pub async fn return_item(
    item_code: String,
    condition: String,
    note: Option<String>,
) -> Result<LoanDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::return_item(
                &state.db,
                &user,
                &item_code,
                &condition,
                note,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// Overdue loans at the caller's centers (front desk, directors, admin).
#[server(endpoint = "overdue_loans")]
pub async fn overdue_loans() -> Result<Vec<OverdueDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::overdue_list(&state.db, &user, state.now(), request_locale()).await
        }
        .await,
    )
}

/// An item's printable QR label (staff of its center).
#[server(endpoint = "item_label")]
pub async fn item_label(item_id: i32) -> Result<LabelDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::label(&state.db, &user, item_id, request_locale()).await
        }
        .await,
    )
}

/// Directors (and admins) add an item to a center's shelf; returns its label code.
#[server(endpoint = "add_item")]
pub async fn add_item(
    center_id: i32,
    kind: String,
    name: String,
    serial: String,
    loan_days: i32,
    induction_space_id: Option<String>,
) -> Result<String, AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let induction_space_id = match induction_space_id.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => Some(s.parse::<i32>().map_err(|_| AppError::Invalid {
                    field: "induction_space_id".into(),
                    problem: crate::error::Problem::Required,
                })?),
            };
            let state = crate::state::app_state()?;
            super::service::add_item(
                &state.db,
                &user,
                center_id,
                &kind,
                &name,
                &serial,
                loan_days,
                induction_space_id,
                state.now(),
            )
            .await
        }
        .await,
    )
}

/// Staff record an item's condition (a repair, a fault found on the shelf).
#[server(endpoint = "set_item_condition")]
pub async fn set_item_condition(
    item_id: i32,
    condition: String,
    note: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::set_condition(&state.db, &user, item_id, &condition, note).await
        }
        .await,
    )
}
