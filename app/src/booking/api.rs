//! Booking server fns: public free/busy views and member bookings.

// A server fn's arguments are its form fields; the booking form has eight.
// (`#[server]` expands to items an item-level allow does not reach.)
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// Free/busy of a space for one week (public: counts only, never who).
/// `week` 0 starts today.
#[server(endpoint = "availability")]
pub async fn space_availability(
    space_id: i32,
    week: Option<u32>,
) -> Result<AvailabilityDto, AppError> {
    crate::access::public(|cx| async move {
        super::service::availability(&cx.db, space_id, week.unwrap_or(0), cx.now(), cx.l).await
    })
    .await
}

/// Book a start time (and length) for the signed-in member, or with
/// `for_person` (front desk) for a walk-in member; `weeks` > 1 books the same
/// time weekly and reports the dates it had to skip.
#[server(endpoint = "book")]
pub async fn book_slot(
    space_id: i32,
    starts_at: i64,
    minutes: Option<i32>,
    party_size: Option<i32>,
    purpose: Option<String>,
    weeks: Option<u32>,
    request_id: Option<String>,
    for_person: Option<i32>,
) -> Result<BookResultDto, AppError> {
    // Any signed-in role may book for themselves; booking for someone
    // else is checked in the service (desk of that center only).
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let req = super::service::BookingRequest {
                starts_at: unix_time(starts_at)?,
                party: party_size.unwrap_or(1),
                weeks: weeks.unwrap_or(1),
                token: request_id,
                ..super::service::BookingRequest::form(space_id, minutes, purpose)
            };
            let outcome =
                super::service::book_request(&cx.db, &cx.keys, &user, for_person, req, cx.now())
                    .await?;
            Ok(outcome.to_dto(cx.l))
        },
    )
    .await
}

#[cfg(feature = "ssr")]
fn unix_time(secs: i64) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    use chrono::TimeZone;
    chrono::Utc
        .timestamp_opt(secs, 0)
        .single()
        .ok_or_else(|| AppError::InvalidInput("starts_at".into()))
}

/// Move a booking to another start (and length) in the same space, all or
/// nothing. The member's own booking, or staff of its center.
#[server(endpoint = "reschedule")]
pub async fn reschedule_booking(
    booking_id: i32,
    starts_at: i64,
    minutes: Option<i32>,
) -> Result<i32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let starts_at = unix_time(starts_at)?;
            let b = super::changes::reschedule(
                &cx.db,
                &cx.keys,
                &user,
                booking_id,
                starts_at,
                minutes,
                cx.now(),
            )
            .await?;
            Ok(b.id)
        },
    )
    .await
}

/// Requests waiting for approval in the staff user's centers.
#[server(endpoint = "pending_requests")]
pub async fn pending_requests() -> Result<Vec<PendingDto>, AppError> {
    crate::access::signed_in(|r| r.can_scan(), |cx, user| async move {
        super::listing::pending_requests(&cx.db, &user, cx.now(), cx.l).await
    })
    .await
}

/// Approve (`approve` = true) or deny (with a reason) a pending request.
/// Returns whether it was approved.
#[server(endpoint = "decide_request")]
pub async fn decide_request(
    booking_id: i32,
    approve: bool,
    reason: Option<String>,
) -> Result<bool, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::changes::decide(
                &cx.db,
                &cx.keys,
                &user,
                booking_id,
                approve,
                reason.as_deref().unwrap_or(""),
                cx.now(),
            )
            .await?;
            Ok(approve)
        },
    )
    .await
}

/// The signed-in member's bookings with their QR passes.
#[server(endpoint = "my_bookings")]
pub async fn my_bookings() -> Result<Vec<BookingDto>, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::listing::my_bookings(&cx.db, user.person_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Cancel a booking (the member's own, or staff for their centers).
#[server(endpoint = "cancel_booking")]
pub async fn cancel_booking(booking_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::changes::cancel(&cx.db, &user, booking_id, cx.now()).await },
    )
    .await
}

/// Close a center for a day (staff of that center). Returns the number of
/// bookings that were cancelled.
#[server(endpoint = "add_closure")]
pub async fn add_closure(center_id: i32, day: String, reason: String) -> Result<u64, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            let day = crate::error::form_date("day", &day)?;
            super::changes::add_closure(&cx.db, &user, center_id, day, &reason, cx.now()).await
        },
    )
    .await
}

/// Create (or replace) the member's private calendar-feed link; returns its
/// path. Earlier links stop working.
#[server(endpoint = "new_calendar_link")]
pub async fn new_calendar_link() -> Result<String, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let token = super::messages::new_calendar_token(&cx.db, &user).await?;
            Ok(format!("/calendar/{token}.ics"))
        },
    )
    .await
}

/// Stop the member's calendar feed.
#[server(endpoint = "revoke_calendar_link")]
pub async fn revoke_calendar_link() -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::messages::revoke_calendar_token(&cx.db, &user).await },
    )
    .await
}

/// Forgive a member's recent no-shows at the staff's centers; returns how
/// many were pardoned.
#[server(endpoint = "pardon_no_shows")]
pub async fn pardon_no_shows(person_id: i32) -> Result<u64, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move { super::noshow::pardon(&cx.db, &user, person_id, cx.now()).await },
    )
    .await
}

/// Deactivate a space (director of its center, admin). Its future bookings
/// are cancelled with `reason` and the members told; without `confirm`
/// nothing changes. Returns how many bookings were cancelled.
#[server(endpoint = "deactivate_space")]
pub async fn deactivate_space(
    space_id: i32,
    reason: String,
    #[server(default)] confirm: bool,
) -> Result<u64, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::space_close::deactivate_space(
                &cx.db,
                &user,
                space_id,
                &reason,
                confirm,
                cx.now(),
            )
            .await
        },
    )
    .await
}
