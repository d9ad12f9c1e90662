//! Server fns for changing a program after creation (director of its
//! center, admin).

use leptos::prelude::*;

use super::edit_dto::*;
use crate::error::AppError;

/// A program's values and upcoming sessions for its edit forms.
#[server(endpoint = "program_edit_data")]
pub async fn program_edit_data(program_id: i32) -> Result<ProgramEditDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::edit_data(&cx.db, &user, program_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Save a program's names, descriptions, last day to apply and cohort size.
#[server(endpoint = "program_update")]
pub async fn update_program(program_id: i32, form: ProgramEditForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::update(&cx.db, &user, program_id, &form, cx.now()).await
        },
    )
    .await
}

/// Move one upcoming program session; accepted participants are told.
#[server(endpoint = "program_move_session")]
pub async fn move_program_session(
    session_id: i32,
    date: String,
    start_time: String,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::move_session(&cx.db, &user, session_id, &date, &start_time, cx.now()).await
        },
    )
    .await
}

/// Cancel one upcoming program session (confirmed); participants are told.
#[server(endpoint = "program_cancel_session")]
pub async fn cancel_program_session(
    session_id: i32,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::cancel_session(&cx.db, &user, session_id, confirm, cx.now()).await
        },
    )
    .await
}

/// Cancel a program (confirmed); participants and applicants are told.
#[server(endpoint = "program_cancel")]
pub async fn cancel_program(
    program_id: i32,
    reason: String,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::cancel_program(&cx.db, &user, program_id, &reason, confirm, cx.now()).await
        },
    )
    .await
}
