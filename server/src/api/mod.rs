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

use app::error::AppError;
use app::state::AppState;
use axum::http::{header, HeaderMap};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod bookings;
mod caller;
mod catalogue;
mod cli;
mod docs;
mod door;
mod error;
mod members;
mod token;

pub use bookings::{Booking, NewBooking};
pub use caller::Caller;
pub use catalogue::{Availability, Center, Day, Slot, Space, WeekQuery};
pub use cli::{create_token_cli, TokenCliError};
pub use door::{CheckInRequest, CheckInVerdict};
pub use error::{is_api_path, locale_of, refusal, ApiError, ErrorBody};
pub use members::{Member, MemberQuery, Pass};
pub use token::TokenInfo;

use docs::docs_page;

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
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(token::token_info))
        .routes(routes!(catalogue::list_centers))
        .routes(routes!(catalogue::center_spaces))
        .routes(routes!(catalogue::availability))
        .routes(routes!(members::find_member))
        .routes(routes!(members::member_passes))
        .routes(routes!(bookings::create_booking))
        .routes(routes!(bookings::get_booking, bookings::cancel_booking))
        .routes(routes!(door::check_in))
        .split_for_parts();
    describe_responses(&mut doc);
    (router, doc)
}

/// OpenAPI 3.1 requires a `description` on every response, and utoipa
/// leaves it out when a `(status = …)` tuple names none. Fill the missing
/// ones with the status's meaning in this API, so the document validates
/// and no route can forget one.
fn describe_responses(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        let extra = item.additional_operations.values_mut();
        for op in ops.into_iter().flatten().chain(extra) {
            for (status, response) in op.responses.responses.iter_mut() {
                if let utoipa::openapi::RefOr::T(r) = response {
                    if r.description.trim().is_empty() {
                        r.description = status_meaning(status).to_string();
                    }
                }
            }
        }
    }
}

fn status_meaning(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "No content",
        "401" => "No valid bearer token (`not_authenticated`)",
        "403" => "The token lacks the scope or the center",
        "404" => "Not found (or not at the token's center)",
        "409" => "Conflicts with the current state",
        "413" => "Body over 1 MiB",
        "422" => "Invalid input; `field` names it",
        "429" => "Over the per-minute limit; see `Retry-After`",
        _ => "See `code` and `message`",
    }
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
