//! Check-in from a kiosk (scope `check_in`).

use app::error::{AppError, Problem};
use app::integrations::dto::ApiScope;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller::Caller;
use super::error::{invalid, ApiResult, ErrorBody};

#[derive(Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// The scanned pass code.
    pub code: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CheckInVerdict {
    pub admitted: bool,
    /// `admitted`, `already_checked_in`, `malformed`, `bad_signature`,
    /// `unknown_key`, `unknown`, `revoked`, `other_center`, `not_today`,
    /// `too_early`, `expired`…
    pub code: String,
    /// Reason in the request's language, times in the center's zone.
    pub reason: String,
    /// First name and last initial, once the pass is genuine.
    pub holder: Option<String>,
    /// What the pass is for.
    pub what: Option<String>,
    /// `14–17`, `18–24`…
    pub age_band: Option<String>,
    /// A minor whose guardian's consent is not on record.
    pub consent_missing: bool,
}

/// Verify a scanned pass and, when it admits, record the check-in. A denial
/// is a verdict (200 with `admitted: false`), not an error.
#[utoipa::path(post, path = "/api/v1/check-ins", tag = "door",
    request_body = CheckInRequest,
    responses(
        (status = 200, body = CheckInVerdict),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Body over 1 MiB"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub(super) async fn check_in(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CheckInRequest>, JsonRejection>,
) -> ApiResult<Json<CheckInVerdict>> {
    caller.require(ApiScope::CheckIn)?;
    let Json(req) = body.map_err(|e| caller.fail(AppError::InvalidInput(e.body_text())))?;
    if req.code.len() > 2048 {
        return Err(caller.fail(invalid("code", Problem::TooLong)));
    }
    let v = app::passes::scan::scan(
        &state.db,
        &state.keys,
        &caller.api.user,
        req.code.trim(),
        state.now(),
        caller.locale,
    )
    .await
    .map_err(|e| caller.fail(e))?;
    Ok(Json(CheckInVerdict {
        admitted: v.admitted,
        code: v.code,
        reason: v.reason,
        holder: v.holder,
        what: v.what,
        age_band: v.age_band,
        consent_missing: v.consent_missing,
    }))
}
