//! Equipment server fns: thin — authorize, call the service.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// A center's equipment and each item's state (signed in; staff of the
/// center also see holders).
#[server(endpoint = "equipment")]
pub async fn center_equipment(center_id: Option<i32>) -> Result<CenterEquipmentDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::center_equipment(&cx.db, &user, center_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Reserve an item for the signed-in member (`pickup_on`: `YYYY-MM-DD`).
#[server(endpoint = "reserve_item")]
pub async fn reserve_item(item_id: i32, pickup_on: Option<String>) -> Result<i32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let pickup = crate::error::optional_form_date("pickup_on", pickup_on.as_deref())?;
            let loan =
                super::service::reserve(&cx.db, &user, item_id, pickup, cx.now(), cx.l).await?;
            Ok(loan.id)
        },
    )
    .await
}

/// Cancel a reservation (the member's own, or staff of the item's center).
#[server(endpoint = "cancel_reservation")]
pub async fn cancel_reservation(loan_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::cancel_reservation(&cx.db, &user, loan_id, cx.now()).await
        },
    )
    .await
}

/// The signed-in member's reservations and loans.
#[server(endpoint = "my_loans")]
pub async fn my_loans() -> Result<Vec<LoanDto>, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::my_loans(&cx.db, &user, cx.now(), cx.l).await },
    )
    .await
}

/// The desk looks up the member whose pass was scanned (or number typed).
#[server(endpoint = "desk_lending_member")]
pub async fn desk_lending_member(code: String) -> Result<DeskMemberDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::desk::desk_member(&cx.db, &cx.keys, &user, &code, cx.now(), cx.l).await
        },
    )
    .await
}

/// The desk hands an item (label code or serial) to the member of `code`.
#[server(endpoint = "check_out_item")]
pub async fn check_out_item(code: String, item_code: String) -> Result<LoanDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::desk::check_out(&cx.db, &cx.keys, &user, &code, &item_code, cx.now(), cx.l).await
        },
    )
    .await
}

/// The desk takes an item back with the condition found and a note.
#[server(endpoint = "return_item")]
pub async fn return_item(
    item_code: String,
    condition: String,
    note: Option<String>,
) -> Result<LoanDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::desk::return_item(&cx.db, &user, &item_code, &condition, note, cx.now(), cx.l)
                .await
        },
    )
    .await
}

/// Overdue loans at the caller's centers (front desk, directors, admin).
#[server(endpoint = "overdue_loans")]
pub async fn overdue_loans() -> Result<Vec<OverdueDto>, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::desk::overdue_list(&cx.db, &user, cx.now(), cx.l).await },
    )
    .await
}

/// An item's printable QR label (staff of its center).
#[server(endpoint = "item_label")]
pub async fn item_label(item_id: i32) -> Result<LabelDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::desk::label(&cx.db, &user, item_id, cx.l).await },
    )
    .await
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
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let induction_space_id =
                optional_id("induction_space_id", induction_space_id.as_deref())?;
            super::desk::add_item(
                &cx.db,
                &user,
                center_id,
                &kind,
                &name,
                &serial,
                loan_days,
                induction_space_id,
                cx.now(),
            )
            .await
        },
    )
    .await
}

/// Staff record an item's condition (a repair, a fault found on the shelf).
#[server(endpoint = "set_item_condition")]
pub async fn set_item_condition(
    item_id: i32,
    condition: String,
    note: Option<String>,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::desk::set_condition(&cx.db, &user, item_id, &condition, note).await
        },
    )
    .await
}

/// An optional id from a select: empty means none.
#[cfg(feature = "ssr")]
fn optional_id(field: &str, s: Option<&str>) -> Result<Option<i32>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i32>().map(Some).map_err(|_| AppError::Invalid {
            field: field.into(),
            problem: crate::error::Problem::Required,
        }),
    }
}
