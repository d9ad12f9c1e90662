//! Booking server fns: public free/busy views and member bookings.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// All centers (public).
#[server(endpoint = "centers")]
pub async fn list_centers() -> Result<Vec<CenterDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::request_locale;
            let state = crate::state::app_state()?;
            super::service::list_centers(&state.db, request_locale()).await
        }
        .await,
    )
}

/// A center and its spaces (public).
#[server(endpoint = "center")]
pub async fn center_detail(center_id: i32) -> Result<CenterDetailDto, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::request_locale;
            let state = crate::state::app_state()?;
            super::service::center_detail(&state.db, center_id, request_locale()).await
        }
        .await,
    )
}

/// Free/busy of a space for the next days (public: counts only, never who).
#[server(endpoint = "availability")]
pub async fn space_availability(space_id: i32) -> Result<AvailabilityDto, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::request_locale;
            let state = crate::state::app_state()?;
            super::service::availability(&state.db, space_id, state.now(), request_locale()).await
        }
        .await,
    )
}

/// Book one slot for the signed-in member. Returns the booking id.
#[server(endpoint = "book")]
pub async fn book_slot(
    space_id: i32,
    starts_at: i64,
    party_size: Option<i32>,
    request_id: Option<String>,
    for_person: Option<i32>,
) -> Result<i32, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::require_user;
            use chrono::TimeZone;

            // Any signed-in role may book for themselves.
            let user = require_user().await?;
            let starts_at = chrono::Utc
                .timestamp_opt(starts_at, 0)
                .single()
                .ok_or_else(|| AppError::InvalidInput("starts_at".into()))?;
            let state = crate::state::app_state()?;
            let party = party_size.unwrap_or(1);
            let token = request_id.as_deref();
            let now = state.now();
            let b = match for_person {
                // Front desk booking for a walk-in member.
                Some(person) => {
                    super::service::book_on_behalf(
                        &state.db,
                        &state.keys,
                        &user,
                        person,
                        space_id,
                        starts_at,
                        party,
                        token,
                        now,
                    )
                    .await?
                }
                None => {
                    super::service::book_once(
                        &state.db,
                        &state.keys,
                        &user,
                        space_id,
                        starts_at,
                        party,
                        token,
                        now,
                    )
                    .await?
                }
            };
            Ok(b.id)
        }
        .await,
    )
}

/// The signed-in member's bookings with their QR passes.
#[server(endpoint = "my_bookings")]
pub async fn my_bookings() -> Result<Vec<BookingDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::my_bookings(&state.db, user.person_id, state.now(), request_locale())
                .await
        }
        .await,
    )
}

/// Cancel a booking (the member's own, or staff for their centers).
#[server(endpoint = "cancel_booking")]
pub async fn cancel_booking(booking_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::membership::api::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::cancel(&state.db, &user, booking_id, state.now()).await
        }
        .await,
    )
}

/// Upcoming closures of the centers the staff user manages.
#[server(endpoint = "closures")]
pub async fn closures() -> Result<ClosuresDto, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::api::{request_locale, require_user};
            use crate::membership::members::{region_today, staff_centers};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            let l = request_locale();
            let scope = staff_centers(&state.db, &user).await?;
            let today = region_today(&state.db, state.now()).await?;
            let mut centers = super::service::list_centers(&state.db, l).await?;
            if let Some(cs) = &scope {
                centers.retain(|c| cs.contains(&c.id));
            }
            let closures = super::service::list_closures(&state.db, scope, today, l).await?;
            Ok(ClosuresDto { centers, closures })
        }
        .await,
    )
}

/// Close a center for a day (staff of that center). Returns the number of
/// bookings that were cancelled.
#[server(endpoint = "add_closure")]
pub async fn add_closure(center_id: i32, day: String, reason: String) -> Result<u64, AppError> {
    crate::error::respond(
        async move {
            use crate::error::Problem;
            let user = crate::membership::api::require_user().await?;
            user.require(|r| r.can_scan())?;
            let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
                AppError::Invalid {
                    field: "day".into(),
                    problem: Problem::Date,
                }
            })?;
            let state = crate::state::app_state()?;
            super::service::add_closure(&state.db, &user, center_id, day, &reason, state.now())
                .await
        }
        .await,
    )
}

/// Reopen a closed day.
#[server(endpoint = "remove_closure")]
pub async fn remove_closure(closure_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::membership::api::require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::service::remove_closure(&state.db, &user, closure_id).await
        }
        .await,
    )
}

/// Create (or replace) the member's private calendar-feed link; returns its
/// path. Earlier links stop working.
#[server(endpoint = "new_calendar_link")]
pub async fn new_calendar_link() -> Result<String, AppError> {
    crate::error::respond(
        async move {
            let user = crate::membership::api::require_user().await?;
            let state = crate::state::app_state()?;
            let token = super::service::new_calendar_token(&state.db, &user).await?;
            Ok(format!("/calendar/{token}.ics"))
        }
        .await,
    )
}

/// Stop the member's calendar feed.
#[server(endpoint = "revoke_calendar_link")]
pub async fn revoke_calendar_link() -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::membership::api::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::revoke_calendar_token(&state.db, &user).await
        }
        .await,
    )
}
