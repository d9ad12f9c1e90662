//! The Ortalyq server: configuration, database, keys, demo data and the HTTP
//! router (Leptos pages, server fns, static files).

pub mod config;
pub mod db;
pub mod keys;
pub mod seed;

use std::sync::Arc;

use app::i18n::Locale;
use app::state::{AppState, Clock, PassKeyRing};
use app::{shell, App};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;

pub fn state(
    leptos_options: LeptosOptions,
    db: DatabaseConnection,
    keys: PassKeyRing,
    secure_cookies: bool,
    clock: Clock,
) -> AppState {
    AppState {
        leptos_options,
        db,
        keys: Arc::new(keys),
        secure_cookies,
        clock,
    }
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// `/lang/:code?back=/path`: remember the interface language and go back.
/// Only same-site paths are followed, so this cannot be used as an open
/// redirect.
async fn set_language(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    let Some(locale) = Locale::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "oq_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    );
    let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/lang/{code}", get(set_language))
        .leptos_routes_with_context(&state, routes, || (), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .with_state(state)
}
