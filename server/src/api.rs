//! The REST API for integrations, `/api/v1`: a Telegram bot, a kiosk at the
//! door, the akimat's systems. Every route is registered through one
//! [`OpenApiRouter`], so the OpenAPI document (`/api/v1/openapi.json`) and
//! the routes cannot drift apart; `/api/v1/docs` renders that document as a
//! page (no script, nothing downloaded).
//!
//! Requests carry `Authorization: Bearer oqk_…` (tokens are made by regional
//! admins at `/admin/api-tokens`). Handlers are thin: authenticate, check
//! the scope and the token's center, call the same services the pages use,
//! map to the API's own response types. Errors are JSON with the same
//! machine codes as the UI and a message in the `Accept-Language` language.

use std::sync::Arc;

use app::booking::service::BookingRequest;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::integrations::dto::ApiScope;
use app::integrations::service::{self as tokens, ApiPrincipal};
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, RefOr, Responses, Schema};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ortalyq API",
        version = "1.0.0",
        description = "Booking and check-in for youth resource centers. Authenticate with \
            `Authorization: Bearer <token>`; a token belongs to one center and carries scopes \
            (`read`, `book`, `check_in`). Errors are JSON `{code, message, field?}` with the \
            same machine codes as the web app; `message` follows `Accept-Language` (kk, ru, en). \
            Each token has a per-minute request limit; over it the answer is 429 with \
            `Retry-After`. Times are RFC 3339 in UTC."
    ),
    modifiers(&BearerAuth),
    security(("token" = [])),
    tags(
        (name = "catalogue", description = "Centers, spaces and free slots (scope `read`)."),
        (name = "members", description = "Members and their passes (scope `book`)."),
        (name = "bookings", description = "Booking for members (scope `book`). Bookings follow the \
            member's own rules: fair-share quotas, no-show blocks and approval."),
        (name = "door", description = "Check-in from a kiosk (scope `check_in`)."),
        (name = "token", description = "The calling token."),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("oqk_…")
                    .build(),
            ),
        );
    }
}

/// The API's routes and its OpenAPI document, built from the same list.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(token_info))
        .routes(routes!(list_centers))
        .routes(routes!(center_spaces))
        .routes(routes!(availability))
        .routes(routes!(find_member))
        .routes(routes!(member_passes))
        .routes(routes!(create_booking))
        .routes(routes!(get_booking, cancel_booking))
        .routes(routes!(check_in))
        .split_for_parts()
}

/// `/api/v1/…` with `/api/v1/openapi.json` and `/api/v1/docs`.
pub fn router() -> Router<AppState> {
    let (api, doc) = routes();
    let json: Arc<str> = doc.to_pretty_json().unwrap_or_else(|_| "{}".into()).into();
    let page: Arc<str> = docs_page(&doc).into();
    api.route(
        "/api/v1/openapi.json",
        get(move || {
            let json = json.clone();
            async move {
                (
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                    ],
                    json.to_string(),
                )
            }
        }),
    )
    .route(
        "/api/v1/docs",
        get(move || {
            let page = page.clone();
            async move { Html(page.to_string()) }
        }),
    )
    // Unknown API paths answer in the API's JSON, not with the site's page.
    .route(
        "/api/v1/{*rest}",
        get(api_not_found)
            .post(api_not_found)
            .delete(api_not_found)
            .put(api_not_found)
            .patch(api_not_found),
    )
}

async fn api_not_found(headers: HeaderMap) -> ApiError {
    ApiError::new(AppError::NotFound, locale_of(&headers))
}

// ---------------------------------------------------------------- errors --

/// The JSON body of every refusal.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Machine code, the same as the web app's (`not_authenticated`,
    /// `forbidden`, `not_found`, `invalid`, `slot_full`, `rate_limited`…).
    pub code: String,
    /// Human reason in the request's language.
    pub message: String,
    /// For `invalid`: the field that was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub struct ApiError {
    err: AppError,
    locale: Locale,
    /// `Retry-After` seconds of a rate-limit refusal: until the next rate
    /// window by the app clock (the window is counted with it too).
    retry_after: Option<u32>,
}

impl ApiError {
    pub(super) fn new(err: AppError, locale: Locale) -> Self {
        ApiError {
            err,
            locale,
            retry_after: None,
        }
    }

    /// A refusal of a request made at `now` (the app clock): a rate-limit
    /// refusal says how long until the next window.
    pub(super) fn at(err: AppError, locale: Locale, now: DateTime<Utc>) -> Self {
        let retry_after = matches!(err, AppError::RateLimited { .. })
            .then(|| app::domain::apitoken::retry_after_secs(now));
        ApiError {
            err,
            locale,
            retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if matches!(self.err, AppError::Internal) {
            tracing::error!("api request failed with an internal error");
        }
        let status =
            StatusCode::from_u16(self.err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let field = match &self.err {
            AppError::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let body = ErrorBody {
            code: self.err.code().to_string(),
            message: self.err.message(self.locale),
            field,
        };
        let mut resp = (status, Json(body)).into_response();
        if let AppError::RateLimited {
            retry_after_minutes,
        } = self.err
        {
            // Without the time of the request, a whole window is the safe
            // answer.
            let secs = self.retry_after.unwrap_or(retry_after_minutes.max(1) * 60);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ortalyq\""),
            );
        }
        resp
    }
}

pub(super) type ApiResult<T> = Result<T, ApiError>;

/// Whether a request goes to the REST API (and so gets its error shape).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// An `invalid_input` refusal in the API's shape, for the body checks that
/// run before any handler (too large, NUL characters).
pub fn refusal(status: StatusCode, detail: &str, locale: Locale) -> Response {
    let err = AppError::InvalidInput(detail.into());
    let body = ErrorBody {
        code: err.code().to_string(),
        message: err.message(locale),
        field: None,
    };
    (status, Json(body)).into_response()
}

pub fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or_default()
}

pub(super) fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// An authenticated API call: the token's principal and the language of
/// the answer.
pub struct Caller {
    pub(super) api: ApiPrincipal,
    pub(super) locale: Locale,
}

impl Caller {
    pub(super) fn fail(&self, err: AppError) -> ApiError {
        ApiError::new(err, self.locale)
    }

    pub(super) fn require(&self, scope: ApiScope) -> ApiResult<()> {
        self.api.require(scope).map_err(|e| self.fail(e))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let locale = locale_of(&parts.headers);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(app::domain::apitoken::bearer_token)
            .ok_or(ApiError::new(AppError::NotAuthenticated, locale))?;
        let now = state.now();
        let api = tokens::authenticate(&state.db, token, now)
            .await
            .map_err(|e| ApiError::at(e, locale, now))?;
        Ok(Caller { api, locale })
    }
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn path_id(caller: &Caller, p: Result<Path<i32>, PathRejection>) -> ApiResult<i32> {
    p.map(|Path(id)| id)
        .map_err(|_| caller.fail(AppError::NotFound))
}

// ---------------------------------------------------------------- token --

/// The calling token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    pub name: String,
    pub center_id: i32,
    /// `read`, `book`, `check_in`.
    pub scopes: Vec<String>,
    pub rate_per_minute: u32,
}

/// Who am I: the token's name, center, scopes and rate limit.
#[utoipa::path(get, path = "/api/v1/me", tag = "token",
    responses(
        (status = 200, body = TokenInfo),
        (status = 401, body = ErrorBody, description = "Missing, unknown or revoked token"),
        (status = 429, body = ErrorBody, description = "Over the token's rate limit"),
    ))]
pub(super) async fn token_info(caller: Caller) -> Json<TokenInfo> {
    Json(TokenInfo {
        name: caller.api.name.clone(),
        center_id: caller.api.center_id,
        scopes: caller
            .api
            .scopes
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        rate_per_minute: caller.api.rate_per_minute,
    })
}

// ------------------------------------------------------------ catalogue --

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

// -------------------------------------------------------------- members --

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
        kind: p.kind,
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

// ------------------------------------------------------------- bookings --

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
        status: b.status,
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
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
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
    app::booking::service::cancel(&state.db, &caller.api.user, id, state.now())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

// ----------------------------------------------------------------- door --

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
    let v = app::passes::service::scan(
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

// ----------------------------------------------------------------- docs --

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/api/v1/docs`: the OpenAPI document as a readable page, rendered on the
/// server from the same document (no script, no download).
pub(super) fn docs_page(doc: &utoipa::openapi::OpenApi) -> String {
    let mut out = String::new();
    page_head(&mut out, doc);
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("get", &item.get),
            ("post", &item.post),
            ("delete", &item.delete),
            ("put", &item.put),
            ("patch", &item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            operation_section(&mut out, path, method, op);
        }
    }
    types_section(&mut out, doc);
    out.push_str("</body></html>");
    out
}

/// The page's head and style, the API's title and description, and how to
/// call it.
fn page_head(out: &mut String, doc: &utoipa::openapi::OpenApi) {
    out.push_str(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Ortalyq API v1</title><style>\
         body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1d2433}\
         code,pre{font:14px ui-monospace,monospace;background:#f3f4f8;border-radius:4px;padding:0 .25rem}\
         pre{padding:.6rem;overflow:auto}section{border-top:1px solid #dde;padding:.5rem 0}\
         .m{display:inline-block;min-width:4rem;font-weight:700;color:#fff;border-radius:4px;text-align:center;margin-right:.5rem}\
         .get{background:#2f6f4f}.post{background:#1f4f8f}.delete{background:#8a1c1c}\
         table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.2rem .5rem;text-align:left;vertical-align:top}\
         </style></head><body>",
    );
    out.push_str(&format!(
        "<h1>{} <small>{}</small></h1><p>{}</p>",
        esc(&doc.info.title),
        esc(&doc.info.version),
        esc(doc.info.description.as_deref().unwrap_or_default())
    ));
    out.push_str(
        "<p>Machine-readable: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a> \
         (OpenAPI 3.1). Tokens are created by regional admins at <code>/admin/api-tokens</code>.</p>\
         <pre>curl -H 'Authorization: Bearer oqk_…' -H 'Accept-Language: ru' \\\n  https://ortalyq.example.kz/api/v1/centers</pre>",
    );
}

/// A body's type as the page names it: the schema's name, `array of` it, or
/// `object`.
fn schema_name(r: &RefOr<Schema>) -> String {
    match r {
        RefOr::Ref(r) => r
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        RefOr::T(Schema::Array(a)) => match &a.items {
            utoipa::openapi::schema::ArrayItems::RefOrSchema(inner) => match inner.as_ref() {
                RefOr::Ref(r) => format!(
                    "array of {}",
                    r.ref_location.rsplit('/').next().unwrap_or_default()
                ),
                _ => "array".into(),
            },
            _ => "array".into(),
        },
        RefOr::T(_) => "object".into(),
    }
}

/// The type of a request or response body, when it names one.
fn content_schema(c: &RefOr<Content>) -> Option<String> {
    match c {
        RefOr::T(c) => c.schema.as_ref().map(schema_name),
        RefOr::Ref(_) => None,
    }
}

/// One operation: method and path, summary, description, parameters,
/// request body and answers.
fn operation_section(out: &mut String, path: &str, method: &str, op: &Operation) {
    out.push_str(&format!(
        "<section id=\"{}\"><h2><span class=\"m {method}\">{}</span><code>{}</code></h2>",
        esc(op.operation_id.as_deref().unwrap_or_default()),
        method.to_uppercase(),
        esc(path)
    ));
    if let Some(s) = &op.summary {
        out.push_str(&format!("<p><strong>{}</strong></p>", esc(s)));
    }
    if let Some(d) = &op.description {
        out.push_str(&format!("<p>{}</p>", esc(d)));
    }
    if let Some(params) = &op.parameters {
        parameters_table(out, params);
    }
    if let Some(RefOr::T(body)) = &op.request_body {
        for (mime, content) in &body.content {
            if let Some(name) = content_schema(content) {
                out.push_str(&format!(
                    "<p>Request body ({}): <a href=\"#schema-{1}\"><code>{1}</code></a></p>",
                    esc(mime),
                    esc(&name)
                ));
            }
        }
    }
    responses_table(out, &op.responses);
    out.push_str("</section>");
}

/// The parameters of an operation: name, where it goes, description.
fn parameters_table(out: &mut String, params: &[RefOr<Parameter>]) {
    out.push_str("<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>");
    for p in params.iter().filter_map(|p| match p {
        RefOr::T(p) => Some(p),
        RefOr::Ref(_) => None,
    }) {
        let place = match p.parameter_in {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
            _ => "other",
        };
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{place}</td><td>{}</td></tr>",
            esc(&p.name),
            esc(p.description.as_deref().unwrap_or_default())
        ));
    }
    out.push_str("</table>");
}

/// The answers of an operation: status, description and body type.
fn responses_table(out: &mut String, responses: &Responses) {
    out.push_str("<table><tr><th>Status</th><th>Answer</th></tr>");
    for (status, resp) in &responses.responses {
        let (desc, body) = match resp {
            RefOr::T(r) => (
                r.description.clone(),
                r.content
                    .values()
                    .find_map(content_schema)
                    .unwrap_or_default(),
            ),
            RefOr::Ref(r) => (r.ref_location.clone(), String::new()),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{} <code>{}</code></td></tr>",
            esc(status),
            esc(&desc),
            esc(&body)
        ));
    }
    out.push_str("</table>");
}

/// Every schema of the document, pretty-printed.
fn types_section(out: &mut String, doc: &utoipa::openapi::OpenApi) {
    if let Some(c) = &doc.components {
        out.push_str("<h2>Types</h2>");
        for (name, schema) in &c.schemas {
            out.push_str(&format!(
                "<section id=\"schema-{0}\"><h3><code>{0}</code></h3><pre>{1}</pre></section>",
                esc(name),
                esc(&serde_json::to_string_pretty(schema).unwrap_or_default())
            ));
        }
    }
}

// ------------------------------------------------------------------ CLI --

/// Why `ortalyq api-token` could not create a token.
#[derive(Debug, thiserror::Error)]
pub enum TokenCliError {
    #[error("no admin account with the login {0}")]
    NoAdmin(String),
    #[error("no center with the id or slug {0}")]
    NoCenter(String),
    #[error("the token was refused: {0}")]
    Refused(String),
}

/// `ortalyq api-token`: create a token as the admin with login `admin`.
pub async fn create_token_cli(
    db: &sea_orm::DatabaseConnection,
    admin: &str,
    center: &str,
    name: &str,
    scopes: &str,
    rate: Option<u32>,
    now: DateTime<Utc>,
) -> Result<String, TokenCliError> {
    use app::access::session::{account_by_login, load_user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let refused = |e: AppError| TokenCliError::Refused(e.message(Locale::En));
    let acc = account_by_login(db, admin)
        .await
        .map_err(refused)?
        .ok_or_else(|| TokenCliError::NoAdmin(admin.into()))?;
    let user = load_user(db, acc).await.map_err(refused)?;
    if user.role != app::domain::people::Role::Admin {
        return Err(TokenCliError::NoAdmin(admin.into()));
    }
    let by_slug = app::model::center::Entity::find()
        .filter(app::model::center::Column::Slug.eq(center))
        .one(db)
        .await
        .map_err(|e| refused(e.into()))?;
    let center_id = match (by_slug, center.parse::<i32>()) {
        (Some(c), _) => c.id,
        (None, Ok(id)) => id,
        (None, Err(_)) => return Err(TokenCliError::NoCenter(center.into())),
    };
    let form = app::integrations::dto::ApiTokenForm {
        name: name.into(),
        center_id: center_id.to_string(),
        scopes: scopes.split(',').map(|s| s.trim().to_string()).collect(),
        rate_per_minute: rate.map(|r| r.to_string()).unwrap_or_default(),
    };
    tokens::create(db, &user, &form, now)
        .await
        .map_err(|e| match e {
            AppError::Invalid { field, .. } if field == "center_id" => {
                TokenCliError::NoCenter(center.into())
            }
            e => refused(e),
        })
}
