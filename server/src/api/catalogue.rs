//! Centers, spaces and free slots (scope `read`).

use app::error::Problem;
use app::integrations::dto::ApiScope;
use app::state::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::{path_id, rfc3339, Caller};
use super::error::{invalid, ApiResult, ErrorBody};

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Center {
    pub id: i32,
    pub name: String,
    pub city: String,
    pub is_regional: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Space {
    pub id: i32,
    /// `coworking`, `podcast_studio`, `sound_studio`, `photo_studio`,
    /// `design_studio`, `lecture_hall`.
    pub kind: String,
    pub name: String,
    pub capacity: i32,
    /// People one booking may bring.
    pub max_party: i32,
    /// Allowed booking lengths in minutes, shortest first.
    pub durations: Vec<i32>,
    /// Bookings wait for staff approval and need a `purpose`.
    pub requires_approval: bool,
    pub requires_induction: bool,
    /// 0: no age rule beyond membership.
    pub min_age: i32,
    pub min_notice_minutes: i32,
    pub max_advance_days: i32,
    pub cancel_notice_minutes: i32,
}

/// Every center of the region, in the request's language.
#[utoipa::path(get, path = "/api/v1/centers", tag = "catalogue",
    responses(
        (status = 200, body = Vec<Center>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub(super) async fn list_centers(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Center>>> {
    caller.require(ApiScope::Read)?;
    let centers = app::centers::service::list_centers(&state.db, caller.locale)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        centers
            .into_iter()
            .map(|c| Center {
                id: c.id,
                name: c.name,
                city: c.city,
                is_regional: c.is_regional,
            })
            .collect(),
    ))
}

/// The bookable spaces of a center.
#[utoipa::path(get, path = "/api/v1/centers/{id}/spaces", tag = "catalogue",
    params(("id" = i32, Path, description = "Center id")),
    responses(
        (status = 200, body = Vec<Space>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub(super) async fn center_spaces(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> ApiResult<Json<Vec<Space>>> {
    caller.require(ApiScope::Read)?;
    let id = path_id(&caller, id)?;
    let detail = app::centers::service::center_detail(&state.db, id, caller.locale)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        detail
            .spaces
            .into_iter()
            .map(|s| Space {
                id: s.id,
                kind: s.kind.as_str().to_string(),
                name: s.name,
                capacity: s.capacity,
                max_party: s.max_party,
                durations: s.durations,
                requires_approval: s.requires_approval,
                requires_induction: s.requires_induction,
                min_age: s.min_age,
                min_notice_minutes: s.min_notice_minutes,
                max_advance_days: s.max_advance_days,
                cancel_notice_minutes: s.cancel_notice_minutes,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// 0: the seven days from today (center time); 1: the week after…
    #[param(minimum = 0, maximum = 52)]
    pub week: Option<u32>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Slot {
    /// Start, RFC 3339 UTC: the value to book with.
    pub starts_at: String,
    /// `09:00–10:00`, center-local.
    pub label: String,
    /// Places left (0: full).
    pub remaining: i32,
    /// Longest booking that can start here now, in minutes (0: none).
    pub max_minutes: i32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Day {
    /// `YYYY-MM-DD`, center-local.
    pub date: String,
    pub closed: bool,
    /// Why the center is closed (a public holiday or a closure).
    pub closed_reason: Option<String>,
    pub slots: Vec<Slot>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Availability {
    pub space_id: i32,
    pub center_id: i32,
    /// IANA time zone of the center, e.g. `Asia/Almaty`.
    pub timezone: String,
    pub week: u32,
    /// Bookable weeks (the space's advance window).
    pub weeks: u32,
    pub days: Vec<Day>,
}

/// Free and full slots of a space for one week.
#[utoipa::path(get, path = "/api/v1/spaces/{id}/availability", tag = "catalogue",
    params(("id" = i32, Path, description = "Space id"), WeekQuery),
    responses(
        (status = 200, body = Availability),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub(super) async fn availability(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
    q: Result<Query<WeekQuery>, QueryRejection>,
) -> ApiResult<Json<Availability>> {
    caller.require(ApiScope::Read)?;
    let id = path_id(&caller, id)?;
    let Query(q) = q.map_err(|_| caller.fail(invalid("week", Problem::Range)))?;
    let week = q.week.unwrap_or(0);
    if week > 52 {
        return Err(caller.fail(invalid("week", Problem::Range)));
    }
    let a = app::booking::service::availability(&state.db, id, week, state.now(), caller.locale)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(Availability {
        space_id: a.space.id,
        center_id: a.center.id,
        timezone: a.timezone,
        week: a.week,
        weeks: a.weeks,
        days: a
            .days
            .into_iter()
            .map(|d| Day {
                date: d.iso_date,
                closed: d.closed,
                closed_reason: d.closed_reason,
                slots: d
                    .slots
                    .into_iter()
                    .map(|s| Slot {
                        starts_at: DateTime::from_timestamp(s.starts_at, 0)
                            .map(rfc3339)
                            .unwrap_or_default(),
                        label: s.label,
                        remaining: s.remaining,
                        max_minutes: s.max_minutes,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
