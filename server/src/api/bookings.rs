//! Booking for members (scope `book`).

use app::booking::service::BookingRequest;
use app::error::{AppError, Problem};
use app::integrations::dto::ApiScope;
use app::integrations::service as tokens;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller::{path_id, rfc3339, Caller};
use super::error::{invalid, ApiResult, ErrorBody};
use super::members::{pass_out, Pass};

#[derive(Deserialize, ToSchema)]
pub struct NewBooking {
    pub member_id: i32,
    pub space_id: i32,
    /// A slot start from the availability answer (RFC 3339).
    #[schema(format = DateTime, example = "2026-12-01T06:00:00Z")]
    pub starts_at: String,
    /// Length in minutes, one of the space's `durations`; default the shortest.
    pub minutes: Option<i32>,
    /// People including the member; default 1.
    pub party_size: Option<i32>,
    /// Required for spaces that need approval.
    pub purpose: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Booking {
    pub id: i32,
    pub member_id: i32,
    pub space_id: i32,
    pub starts_at: String,
    pub ends_at: String,
    pub party_size: i32,
    /// `confirmed`, `pending` (waiting for approval), `cancelled`,
    /// `denied`, `checked_in`…
    pub status: String,
    /// The pass to show at the door (none while pending).
    pub pass: Option<Pass>,
}

async fn booking_out(
    state: &AppState,
    caller: &Caller,
    b: app::model::booking::Model,
) -> ApiResult<Booking> {
    let pass = tokens::pass_of_booking(&state.db, b.id)
        .await
        .map_err(|e| caller.fail(e))?
        .filter(|p| p.revoked_at.is_none())
        .map(pass_out);
    Ok(Booking {
        id: b.id,
        member_id: b.person_id,
        space_id: b.space_id,
        starts_at: rfc3339(b.starts_at),
        ends_at: rfc3339(b.ends_at),
        party_size: b.party_size,
        status: b.status.as_str().to_string(),
        pass,
    })
}

/// Book a slot for a member. Send an `Idempotency-Key` header (letters and
/// digits) to make retries safe: the same key and request answer the
/// booking already made.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "bookings",
    request_body = NewBooking,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses(
        (status = 201, body = Booking),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Slot full, quota reached, not bookable"),
        (status = 413, body = ErrorBody, description = "Body over 1 MiB"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub(super) async fn create_booking(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<NewBooking>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Booking>)> {
    caller.require(ApiScope::Book)?;
    let Json(nb) = body.map_err(|e| caller.fail(AppError::InvalidInput(e.body_text())))?;
    let starts_at = DateTime::parse_from_rfc3339(nb.starts_at.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| caller.fail(invalid("starts_at", Problem::Date)))?;
    tokens::space_at_center(&state.db, &caller.api, nb.space_id)
        .await
        .map_err(|e| caller.fail(e))?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let req = BookingRequest {
        space_id: nb.space_id,
        starts_at,
        minutes: nb.minutes,
        party: nb.party_size.unwrap_or(1),
        purpose: nb.purpose,
        weeks: 1,
        token: key,
        as_member: true,
    };
    let outcome = app::booking::service::book_request(
        &state.db,
        &state.keys,
        &caller.api.user,
        Some(nb.member_id),
        req,
        state.now(),
    )
    .await
    .map_err(|e| caller.fail(e))?;
    let b = outcome
        .bookings
        .into_iter()
        .next()
        .ok_or_else(|| caller.fail(AppError::Internal))?;
    Ok((
        StatusCode::CREATED,
        Json(booking_out(&state, &caller, b).await?),
    ))
}

/// One booking at the token's center.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "bookings",
    params(("id" = i32, Path, description = "Booking id")),
    responses(
        (status = 200, body = Booking),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub(super) async fn get_booking(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> ApiResult<Json<Booking>> {
    caller.require(ApiScope::Book)?;
    let id = path_id(&caller, id)?;
    let (b, _) = tokens::booking_at_center(&state.db, &caller.api, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(booking_out(&state, &caller, b).await?))
}

/// Cancel a booking (staff rules: any time before it ends). Its pass is
/// revoked and the slot is free again; cancelling twice is harmless.
#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "bookings",
    params(("id" = i32, Path, description = "Booking id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub(super) async fn cancel_booking(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> ApiResult<StatusCode> {
    caller.require(ApiScope::Book)?;
    let id = path_id(&caller, id)?;
    tokens::booking_at_center(&state.db, &caller.api, id)
        .await
        .map_err(|e| caller.fail(e))?;
    app::booking::changes::cancel(&state.db, &caller.api.user, id, state.now())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}
