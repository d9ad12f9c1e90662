//! The Ortalyq server: configuration, database, keys, demo data and the HTTP
//! router (Leptos pages, server fns, static files).

pub mod api;
pub mod backup;
pub mod bench_seed;
pub mod config;
pub mod db;
pub mod dispatch;
mod flash;
pub mod keys;
pub mod ops;
pub mod page_cache;
mod renew;
pub mod seed;
pub mod sms;
pub mod telegram;
pub mod webhooks;

use std::sync::Arc;

use app::i18n::Locale;
use app::state::{AppState, PassKeyRing};
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;
use tower_http::CompressionLevel;

pub fn state(
    leptos_options: LeptosOptions,
    db: DatabaseConnection,
    keys: PassKeyRing,
    config: &config::Config,
) -> AppState {
    AppState {
        leptos_options: Arc::new(leptos_options),
        db,
        keys: Arc::new(keys),
        secure_cookies: config.secure_cookies,
        clock: config.clock,
        trust_proxy: config.trust_proxy,
        public_url: config.public_url.clone(),
        webhook_egress: Arc::new(config.webhook_egress.clone()),
        sessions: app::domain::sessions::SessionPolicy {
            staff_idle_minutes: config.staff_idle_minutes,
        },
        telegram_bot: None,
    }
}

/// The signed-in user behind a request's session cookie, for plain routes.
pub(crate) async fn cookie_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<app::access::session::CurrentUser> {
    use app::access::session::{cookie_value, session_user_with, SESSION_COOKIE};
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let token = cookie_value(cookies, SESSION_COOKIE)?;
    session_user_with(&state.db, token, state.now(), state.sessions)
        .await
        .ok()
        .flatten()
}

/// `/passes/{id}.png`: a pass's QR code as an image (download, print).
async fn pass_png(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(user) = cookie_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "not_authenticated").into_response();
    };
    let Some(id) = file
        .strip_suffix(".png")
        .and_then(|s| s.parse::<i32>().ok())
    else {
        return (StatusCode::NOT_FOUND, "not_found").into_response();
    };
    match app::passes::service::pass_png(&state.db, &user, id).await {
        Ok(png) => (
            [
                (header::CONTENT_TYPE, "image/png".to_string()),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            png,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            e.code(),
        )
            .into_response(),
    }
}

/// `/bookings/{id}/calendar.ics`: one booking for the member's calendar app.
async fn booking_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i32>,
) -> Response {
    let Some(user) = cookie_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "not_authenticated").into_response();
    };
    let locale = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| app::access::session::cookie_value(c, app::access::session::LANG_COOKIE))
        .and_then(Locale::parse)
        .unwrap_or(user.lang);
    match app::booking::messages::booking_ics(&state.db, &user, id, locale).await {
        Ok(ics) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"ortalyq-booking-{id}.ics\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            ics,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.code(),
        )
            .into_response(),
    }
}

/// `/reports/{center|region}.{csv|xlsx}?center=&from=&to=&kind=&direction=&table=`:
/// directors' exports, authorized like the report pages.
async fn report_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(user) = cookie_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "not_authenticated").into_response();
    };
    let locale = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| app::access::session::cookie_value(c, app::access::session::LANG_COOKIE))
        .and_then(Locale::parse)
        .unwrap_or(user.lang);
    let get = |k: &str| params.get(k).filter(|v| !v.is_empty()).cloned();
    let query = app::reporting::dto::ReportQuery {
        center: get("center").and_then(|c| c.parse().ok()),
        from: get("from"),
        to: get("to"),
        kind: get("kind"),
        direction: get("direction"),
    };
    let table = get("table");
    match app::reporting::service::export(
        &state.db,
        &user,
        &file,
        query,
        table.as_deref(),
        state.now(),
        locale,
    )
    .await
    {
        Ok((name, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.code(),
        )
            .into_response(),
    }
}

/// `/calendar/{token}.ics`: a member's private feed for calendar apps, which
/// cannot sign in; the secret token in the URL is the authorization.
async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::booking::messages::calendar_feed(&state.db, token, state.now()).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.code(),
        )
            .into_response(),
    }
}

/// `/account/my-data.json`: the signed-in member's data as a download.
async fn my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(user) = cookie_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "not_authenticated").into_response();
    };
    match app::privacy::service::export_my_data(&state.db, &user).await {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"ortalyq-my-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.code(),
        )
            .into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// `GET /lang/:code?back=/path`: switch the interface language for this
/// browser (a cookie) and go back. A GET writes nothing on the server: a
/// link, an image tag or a prefetch must not change a member's settings.
/// Only same-site paths are followed, so this cannot be used as an open
/// redirect.
async fn set_language(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    match Locale::parse(&code) {
        Some(locale) => language_switched(locale, q),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /lang/:code?back=/path` (the switcher's form): the same, and a
/// signed-in member's choice is remembered with the account too (emails
/// and text messages use it). A cross-site page is refused like every write.
async fn save_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let Some(locale) = Locale::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(user) = cookie_user(&state, &headers).await {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        if let Ok(Some(p)) = app::model::person::Entity::find_by_id(user.person_id)
            .one(&state.db)
            .await
        {
            let mut p = p.into_active_model();
            p.preferred_lang = Set(locale);
            if let Err(e) = p.update(&state.db).await {
                tracing::warn!(error = %e, "could not save the language preference");
            }
        }
    }
    language_switched(locale, q)
}

/// The language cookie and the way back (a same-site path, else `/`).
fn language_switched(locale: Locale, q: Back) -> Response {
    let back = q
        .back
        .filter(|b| is_same_site_path(b))
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

/// A path on this site to send the browser back to: it starts with one `/`
/// and holds no backslash, whitespace or control character. Browsers drop
/// tabs and newlines from a URL and read `\` as `/`, so `/\t/evil.example` or
/// `/\\evil.example` would otherwise leave the site.
pub fn is_same_site_path(back: &str) -> bool {
    back.starts_with('/')
        && !back.starts_with("//")
        && !back
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// Largest request body the server reads (form posts; the biggest legitimate
/// one is an offline scan station's upload of up to `MAX_SYNC_BATCH` scans,
/// well under this). Larger bodies are refused with 413 before any handler
/// runs.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// `AppError::InvalidInput("body_too_large")` as server fns encode it.
pub const TOO_LARGE_BODY: &str = r#"{"code":"invalid_input","detail":"body_too_large"}"#;

/// Read at most [`MAX_BODY_BYTES`] of a request body: a declared length over
/// it is refused at once, a streamed body as soon as it passes the limit.
/// (Server fns read bodies themselves, so axum's `DefaultBodyLimit` alone
/// would turn an oversized body into a generic argument error.)
async fn limit_body(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // The shape every server fn error has, so clients show their localized
    // message for it (a test holds it equal to `AppError`'s encoding).
    // The REST API answers in its own error shape (code and message).
    let rest = api::is_api_path(req.uri().path()).then(|| api::locale_of(req.headers()));
    let too_large = || match rest {
        Some(l) => api::refusal(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", l),
        None => (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONTENT_TYPE, "application/json")],
            TOO_LARGE_BODY,
        )
            .into_response(),
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    if declared == Some(0) || req.method() == axum::http::Method::GET {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) if carries_nul(&bytes) => match rest {
            Some(l) => api::refusal(StatusCode::UNPROCESSABLE_ENTITY, "nul", l),
            None => (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "application/json")],
                NUL_IN_BODY,
            )
                .into_response(),
        },
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(
                parts,
                axum::body::Body::from(bytes),
            ))
            .await
        }
        // Over the limit (or the client went away mid-upload).
        Err(_) => too_large(),
    }
}

/// `AppError::InvalidInput("nul")` as server fns encode it.
pub const NUL_IN_BODY: &str = r#"{"code":"invalid_input","detail":"nul"}"#;

/// Whether a form or JSON body carries a NUL character (raw, `%00`, or an
/// unescaped `\u0000`). No field of this app takes one, PostgreSQL text
/// cannot store one, and refusing it here keeps every server fn, present
/// and future, from failing on it deep inside a query.
fn carries_nul(body: &[u8]) -> bool {
    if body.contains(&0) || body.windows(3).any(|w| w == b"%00") {
        return true;
    }
    // `\u0000` is a NUL only when its backslash is not itself escaped.
    body.windows(6).enumerate().any(|(i, w)| {
        w == b"\\u0000" && body[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    })
}

/// The plain HTTP routes besides pages and server fns. The router is built
/// from this list, and the authorization test walks the same list, so a new
/// route cannot be added without a policy.
pub fn plain_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/lang/{code}", get(set_language).post(save_language)),
        (
            "/director/webhooks/{id}/secret",
            post(webhooks::secret_page),
        ),
        ("/account/my-data.json", get(my_data)),
        ("/bookings/{id}/calendar.ics", get(booking_calendar)),
        ("/passes/{file}", get(pass_png)),
        ("/calendar/{file}", get(calendar_feed)),
        ("/reports/{file}", get(report_export)),
    ]
}

/// Whether `path` is a build asset whose name carries a hash of its content,
/// as cargo-leptos names them with `hash-files`: `/<pkg>/<stem>.<hash>.<ext>`,
/// the hash being the unpadded base64url MD5 (22 characters). Such a name
/// never changes its content, so browsers may keep it for good.
pub fn is_hashed_asset(pkg_dir: &str, path: &str) -> bool {
    let Some(file) = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(pkg_dir.trim_matches('/')))
        .and_then(|p| p.strip_prefix('/'))
    else {
        return false;
    };
    if file.contains('/') {
        return false;
    }
    let mut parts = file.rsplitn(3, '.');
    let (_ext, hash, stem) = (parts.next(), parts.next(), parts.next());
    matches!((hash, stem), (Some(h), Some(s)) if !s.is_empty()
        && h.len() == 22
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// Hashed build assets get a year of `immutable` caching (a new build has
/// new names); everything else keeps the handlers' own headers.
async fn cache_hashed_assets(
    pkg_dir: Arc<str>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let hashed = is_hashed_asset(&pkg_dir, req.uri().path());
    let mut resp = next.run(req).await;
    if hashed && resp.status() == StatusCode::OK {
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    resp
}

/// The app's page routes, generated once per process. Generating them runs
/// the app with resource loading switched off by a process-wide flag
/// (leptos_server 0.8's `SuppressResourceLoad`), so a page rendering on
/// another thread meanwhile, as when two tests build routers at once, could
/// wait forever for its data (leptos-rs/leptos#4773). Once per process, before
/// any router serves, no render can overlap it.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The router with default operations settings (no metrics token).
pub fn router(state: AppState) -> Router {
    router_with(state, ops::Ops::default())
}

pub fn router_with(state: AppState, ops: ops::Ops) -> Router {
    // Install the recorder before the first request counts anything.
    ops::metrics_handle();
    let routes = route_list();
    let options = state.leptos_options.clone();
    let token = ops.metrics_token.clone();
    let pkg_dir: Arc<str> = options.site_pkg_dir.clone();
    let hsts = state.secure_cookies;
    let pages = page_cache::PageCache::new(ops.page_cache);
    let mut router = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route(
            "/metrics",
            get(move |req: axum::extract::Request| ops::metrics_route(token.clone(), req)),
        );
    for (path, route) in plain_routes() {
        router = router.route(path, route);
    }
    if let Some(hook) = ops.telegram_webhook {
        router = router.merge(hook);
    }
    router
        .merge(api::router())
        .leptos_routes_with_context(&state, routes, || (), move || shell(&options))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            |o: LeptosOptions| shell(&o),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            renew::renew_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            flash::capture,
        ))
        .layer(axum::middleware::from_fn(move |req, next| {
            page_cache::serve(pages.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            cache_hashed_assets(pkg_dir.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Outside the body limit, so refused bodies are counted and logged.
        .layer(axum::middleware::from_fn(ops::track_requests))
        // The log line and span of one request: method, path, route
        // template, status and latency. The path of a private calendar feed
        // carries its secret token, so for that route only the template is
        // logged.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    let route = ops::route_label(req);
                    let path = if route.starts_with("/calendar/") {
                        route.clone()
                    } else {
                        req.uri().path().to_owned()
                    };
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %path,
                        route = %route,
                        status = tracing::field::Empty,
                        latency_ms = tracing::field::Empty,
                    )
                })
                .on_request(())
                .on_response(
                    |resp: &Response, latency: std::time::Duration, span: &tracing::Span| {
                        let status = resp.status().as_u16();
                        let ms = latency.as_millis() as u64;
                        span.record("status", status);
                        span.record("latency_ms", ms);
                        tracing::info!(status, latency_ms = ms, "request finished");
                    },
                ),
        )
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(axum::middleware::from_fn(move |req, next| {
            security_headers(hsts, req, next)
        }))
        // Pages are rendered per request: compress them fast (brotli's
        // best level costs more than the render). The build files are
        // compressed once, at build time (served as they are).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state)
}

/// Whether a browser sent this request from another site: `Sec-Fetch-Site`
/// says so directly (`cross-site`, `same-site`: a sibling subdomain); else an
/// `Origin` (also `null`, a sandboxed or privacy-hidden page) that is not
/// this host. A request with neither header is not from a browser page
/// (every browser sends `Origin` on a POST), e.g. an integration or a test
/// client, and is allowed: cookies are only a browser's.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    match (origin_host, host) {
        (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
        _ => true,
    }
}

/// Refuse state-changing requests a page of another site made (CSRF, login
/// CSRF): server fns and form posts accept cookies, and `SameSite=Lax`
/// alone leaves sibling subdomains and older browsers open. The REST API
/// authenticates with bearer tokens, which a browser never adds by itself.
async fn same_origin_writes(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let writes = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if writes && !req.uri().path().starts_with("/api/v1/") && is_cross_site(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site write");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// The policy every page and file is served with: no framing by other sites
/// (clickjacking), forms post only here, no plugins, no `<base>` rewriting, no
/// MIME sniffing, no full URLs (which may carry a calendar token) in the
/// Referer, and HSTS when the site runs behind HTTPS (secure cookies on).
/// Pages carry their own, with the hydration scripts' nonce
/// (`app::ui::BASE_POLICY`); every other answer runs no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'; script-src 'self'";

async fn security_headers(
    hsts: bool,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    if hsts {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::{carries_nul, is_cross_site, is_hashed_asset, is_same_site_path};
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn answers_other_than_pages_keep_the_pages_policy_and_run_no_inline_script() {
        let rest = super::CONTENT_SECURITY_POLICY
            .strip_prefix(app::ui::BASE_POLICY)
            .expect("the base policy first");
        assert_eq!(rest, "; script-src 'self'");
    }

    #[test]
    fn cross_site_requests_are_told_from_same_site_ones() {
        let host = ("host", "ortalyq.example.kz");
        // Same origin, by either header, and clients that are no browser page.
        assert!(!is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "none")
        ])));
        assert!(!is_cross_site(&headers(&[
            host,
            ("origin", "https://ortalyq.example.kz")
        ])));
        assert!(!is_cross_site(&headers(&[host])));
        // Another site, a sibling subdomain, a hidden origin.
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "https://ortalyq.example.kz.evil.example")
        ])));
        assert!(is_cross_site(&headers(&[host, ("origin", "null")])));
        // Sec-Fetch-Site wins over a matching Origin.
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "https://ortalyq.example.kz"),
            ("sec-fetch-site", "cross-site")
        ])));
    }

    #[test]
    fn only_same_site_paths_are_followed_back() {
        for ok in ["/", "/my", "/spaces/3?date=2026-12-05", "/clubs#top"] {
            assert!(is_same_site_path(ok), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "evil.example",
            "",
        ] {
            assert!(!is_same_site_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn nul_characters_are_found_in_every_spelling() {
        assert!(carries_nul(b"a=%00"));
        assert!(carries_nul(b"a=x\0y"));
        assert!(carries_nul(br#"{"a":"x\u0000"}"#));
        // An escaped backslash, then a NUL escape.
        assert!(carries_nul(br#"{"a":"x\\\u0000"}"#));
        // The six characters `\u0000` as text, and `%00` as text.
        assert!(!carries_nul(br#"{"a":"x\\u0000"}"#));
        assert!(!carries_nul(b"a=%2500&b=100"));
    }

    #[test]
    fn only_content_hashed_build_files_are_immutable() {
        assert!(is_hashed_asset(
            "pkg",
            "/pkg/ortalyq.Hk2ZyHcU8cBNDPkHWmkmAA.wasm"
        ));
        assert!(is_hashed_asset(
            "/pkg",
            "/pkg/ortalyq.a-b_c0123456789ABCDEFG.css"
        ));
        // Unhashed names change content with every build.
        assert!(!is_hashed_asset("pkg", "/pkg/ortalyq.wasm"));
        assert!(!is_hashed_asset("pkg", "/pkg/ortalyq_bg.wasm"));
        // wasm-bindgen snippets keep their names; other folders are not build output.
        assert!(!is_hashed_asset(
            "pkg",
            "/pkg/snippets/x/inline0.Hk2ZyHcU8cBNDPkHWmkmAA.js"
        ));
        assert!(!is_hashed_asset(
            "pkg",
            "/favicon.Hk2ZyHcU8cBNDPkHWmkmAA.svg"
        ));
        assert!(!is_hashed_asset("pkg", "/pkg/.Hk2ZyHcU8cBNDPkHWmkmAA.js"));
        assert!(!is_hashed_asset(
            "pkg",
            "/pkgx/ortalyq.Hk2ZyHcU8cBNDPkHWmkmAA.js"
        ));
    }
}
