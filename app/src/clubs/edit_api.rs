//! Server fns for changing clubs and events after creation: directors of
//! the center and admins edit and cancel; the center's staff record an
//! event's head count.

use leptos::prelude::*;

use super::edit_dto::*;
use crate::error::AppError;

/// A club's edit page (director of its center, admin).
#[server(endpoint = "club_edit_data")]
pub async fn club_edit_data(club_id: i32) -> Result<ClubEditDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::edit_data(&cx.db, &user, club_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Save a club's changes; members are told of a new time or room.
#[server(endpoint = "club_update")]
pub async fn update_club(club_id: i32, form: ClubEditForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::update(&cx.db, &cx.keys, &user, club_id, &form, cx.now()).await
        },
    )
    .await
}

/// Move one upcoming club session (date, time, room); members are told.
#[server(endpoint = "club_move_session")]
pub async fn move_club_session(
    session_id: i32,
    date: String,
    start_time: String,
    space_id: i32,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::move_session(
                &cx.db,
                &user,
                session_id,
                &date,
                &start_time,
                space_id,
                cx.now(),
            )
            .await
        },
    )
    .await
}

/// Cancel a whole club (the confirmation ticked); members are told.
#[server(endpoint = "club_cancel")]
pub async fn cancel_club(
    club_id: i32,
    reason: String,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::edit::cancel_club(&cx.db, &user, club_id, &reason, confirm, cx.now()).await
        },
    )
    .await
}

/// An event's edit page (director of its center, admin).
#[server(endpoint = "event_edit_data")]
pub async fn event_edit_data(event_id: i32) -> Result<EventEditDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::event_edit::edit_data(&cx.db, &user, event_id, cx.l).await },
    )
    .await
}

/// Save an event's changes; registrants are told of a new time or place.
#[server(endpoint = "event_update")]
pub async fn update_event(event_id: i32, form: EventEditForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::event_edit::update(&cx.db, &cx.keys, &user, event_id, &form, cx.now()).await
        },
    )
    .await
}

/// Cancel an event (the confirmation ticked); registrants are told.
#[server(endpoint = "event_call_off")]
pub async fn call_off_event(
    event_id: i32,
    reason: String,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::event_edit::cancel_event(&cx.db, &user, event_id, &reason, confirm, cx.now())
                .await
        },
    )
    .await
}

/// Record how many people came to an event (the center's staff).
#[server(endpoint = "event_head_count")]
pub async fn record_event_head_count(event_id: i32, count: u32) -> Result<u32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::event_edit::record_head_count(&cx.db, &user, event_id, count, cx.now()).await
        },
    )
    .await
}
