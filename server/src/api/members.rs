//! Members and their passes (scope `book`).

use app::error::Problem;
use app::integrations::dto::ApiScope;
use app::integrations::service as tokens;
use app::state::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::{path_id, rfc3339, Caller};
use super::error::{invalid, ApiResult, ErrorBody};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// The member's email or phone number (any common spelling:
    /// `+7 701 234 56 78`, `87012345678`).
    #[param(example = "visitor@demo.ortalyq.kz")]
    pub login: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: i32,
    /// The number on the member's card.
    pub number: String,
    /// First name and last initial.
    pub short_name: String,
    /// The member's language: `kk`, `ru` or `en`.
    pub lang: String,
}

/// Find a member by email or phone, to book on their behalf.
#[utoipa::path(get, path = "/api/v1/members", tag = "members",
    params(MemberQuery),
    responses(
        (status = 200, body = Member),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub(super) async fn find_member(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<MemberQuery>, QueryRejection>,
) -> ApiResult<Json<Member>> {
    caller.require(ApiScope::Book)?;
    let Query(q) = q.map_err(|_| caller.fail(invalid("login", Problem::PhoneOrEmail)))?;
    let m = tokens::member_by_login(&state.db, &caller.api, &q.login)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(Member {
        id: m.id,
        number: m.number,
        short_name: m.short_name,
        lang: m.lang.code().to_string(),
    }))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Pass {
    pub id: i32,
    /// `booking`, `membership`, `club`, `event`…
    pub kind: String,
    /// The signed code to show as a QR code at the door.
    pub code: String,
    pub valid_from: String,
    pub valid_until: String,
    pub booking_id: Option<i32>,
}

pub(super) fn pass_out(p: app::model::pass::Model) -> Pass {
    Pass {
        id: p.id,
        kind: p.kind.as_str().to_string(),
        code: p.code,
        valid_from: rfc3339(p.valid_from),
        valid_until: rfc3339(p.valid_until),
        booking_id: p.booking_id,
    }
}

/// A member's usable passes at the token's center, soonest first.
#[utoipa::path(get, path = "/api/v1/members/{id}/passes", tag = "members",
    params(("id" = i32, Path, description = "Member id")),
    responses(
        (status = 200, body = Vec<Pass>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub(super) async fn member_passes(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> ApiResult<Json<Vec<Pass>>> {
    caller.require(ApiScope::Book)?;
    let id = path_id(&caller, id)?;
    let passes = tokens::member_passes(&state.db, &caller.api, id, state.now())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(passes.into_iter().map(pass_out).collect()))
}
