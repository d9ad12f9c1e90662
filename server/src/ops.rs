//! Operations: health and readiness probes, Prometheus metrics, request
//! tracing and the background no-show sweep.
//!
//! * `GET /healthz`: the process is alive (no database access).
//! * `GET /readyz`: the database answers and every migration is applied;
//!   503 otherwise, so a load balancer stops sending traffic to an instance
//!   that cannot serve.
//! * `GET /metrics`: Prometheus text format. With `ORTALYQ_METRICS_TOKEN` set
//!   it needs `Authorization: Bearer <token>`; without a token it answers
//!   only direct connections from the machine itself (loopback, no proxy
//!   forwarding headers), so it is never on the public site by default.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use app::state::{AppState, Clock};
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Request latency buckets in seconds (a page render is tens of ms; a
/// password hash a few hundred).
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process-wide Prometheus recorder (installed once; later calls return
/// the same handle, so several routers in one test process share it).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("ortalyq_http_request_duration_seconds".into()),
                    &LATENCY_BUCKETS,
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("ortalyq_job_duration_seconds".into()),
                        &LATENCY_BUCKETS,
                    )
                })
                .expect("static bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            describe();
            handle
        })
        .clone()
}

fn describe() {
    metrics::describe_histogram!(
        "ortalyq_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request latency by method, route template and status"
    );
    metrics::describe_counter!(
        "ortalyq_bookings_created_total",
        "Bookings created (each date of a weekly series counts), by space kind and status"
    );
    metrics::describe_counter!(
        "ortalyq_check_ins_total",
        "Door scans by outcome: admitted, already_checked_in, or the denial code"
    );
    metrics::describe_counter!(
        "ortalyq_job_runs_total",
        "Background job runs by job and result (ok, error)"
    );
    metrics::describe_histogram!(
        "ortalyq_job_duration_seconds",
        metrics::Unit::Seconds,
        "Background job run time by job"
    );
    metrics::describe_counter!(
        "ortalyq_no_shows_marked_total",
        "Bookings the no-show sweep marked as no-shows"
    );
}

/// Operations settings that are not part of the application state.
#[derive(Clone, Debug, Default)]
pub struct Ops {
    /// Bearer token `/metrics` requires (`ORTALYQ_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
    /// How long an anonymous availability page is kept (`page_cache`);
    /// zero (the default, and the tests') keeps none.
    pub page_cache: std::time::Duration,
    /// `POST /telegram/webhook` when the bot runs in webhook mode
    /// (`telegram::webhook_router`); merged under the router's layers.
    pub telegram_webhook: Option<axum::Router<app::state::AppState>>,
}

/// `/healthz`: alive. Never touches the database, so a slow database does
/// not get a healthy process restarted.
pub async fn healthz() -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "status": "ok" })),
    )
        .into_response()
}

/// Whether the database answers and has no pending migrations.
pub async fn readiness(db: &DatabaseConnection) -> Result<(), String> {
    db.execute_unprepared("SELECT 1")
        .await
        .map_err(|e| format!("database unreachable: {e}"))?;
    let pending = Migrator::get_pending_migrations(db)
        .await
        .map_err(|e| format!("cannot read migrations: {e}"))?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(format!("{} migration(s) pending", pending.len()))
    }
}

/// `/readyz`: 200 when ready, 503 with the reason when not.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (status, body) = match readiness(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            serde_json::json!({ "status": "ready", "database": "ok", "migrations": "applied" }),
        ),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({ "status": "not_ready", "reason": reason }),
            )
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// Compare without an early exit, so response time does not reveal how
/// much of a guessed token was right.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether this request may read `/metrics` (see the module docs).
pub fn metrics_allowed(token: Option<&str>, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    match token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| same_secret(given.trim().as_bytes(), token.as_bytes())),
        None => {
            let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
                .iter()
                .any(|h| headers.contains_key(*h));
            !proxied && peer.is_some_and(|p| p.ip().is_loopback())
        }
    }
}

/// `/metrics` handler.
pub async fn metrics_route(token: Option<String>, req: Request<Body>) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !metrics_allowed(token.as_deref(), req.headers(), peer) {
        // As if there were no such page.
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        metrics_handle().render(),
    )
        .into_response()
}

/// The route template of a request for labels and logs: `/passes/{file}`,
/// never the concrete path (it may carry a secret, like a calendar feed's
/// token, and would make unbounded label values).
pub fn route_label(req: &Request<Body>) -> String {
    match req.extensions().get::<MatchedPath>() {
        Some(p) => p.as_str().to_owned(),
        None if req.uri().path().starts_with("/pkg/") => "/pkg/{file}".into(),
        None => "unmatched".into(),
    }
}

/// Middleware: observe each request's latency by method, route template
/// and status.
pub async fn track_requests(req: Request<Body>, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let route = route_label(&req);
    let start = Instant::now();
    let resp = next.run(req).await;
    metrics::histogram!(
        "ortalyq_http_request_duration_seconds",
        "method" => method,
        "route" => route,
        "status" => resp.status().as_u16().to_string()
    )
    .record(start.elapsed().as_secs_f64());
    resp
}

/// One run of the no-show sweep with its metrics and log line. Safe on
/// every instance at once (see `sweep_no_shows`).
pub async fn run_no_show_sweep(
    db: &DatabaseConnection,
    clock: Clock,
) -> Result<u64, app::error::AppError> {
    let start = Instant::now();
    let result = app::booking::noshow::sweep_no_shows(db, clock.now()).await;
    metrics::histogram!("ortalyq_job_duration_seconds", "job" => "no_show_sweep")
        .record(start.elapsed().as_secs_f64());
    match &result {
        Ok(n) => {
            metrics::counter!("ortalyq_job_runs_total", "job" => "no_show_sweep", "result" => "ok")
                .increment(1);
            metrics::counter!("ortalyq_no_shows_marked_total").increment(*n);
            if *n > 0 {
                tracing::info!(n, "bookings marked as no-show");
            }
        }
        Err(e) => {
            metrics::counter!("ortalyq_job_runs_total", "job" => "no_show_sweep", "result" => "error")
                .increment(1);
            tracing::warn!(error = ?e, "no-show sweep failed");
        }
    }
    result
}

/// Run the sweep every `every` until the process ends.
pub fn spawn_no_show_sweep(db: DatabaseConnection, clock: Clock, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let _ = run_no_show_sweep(&db, clock).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 50000))
    }

    #[test]
    fn metrics_without_a_token_answer_only_direct_loopback_connections() {
        let none = HeaderMap::new();
        assert!(metrics_allowed(None, &none, peer("127.0.0.1")));
        assert!(metrics_allowed(None, &none, peer("::1")));
        assert!(!metrics_allowed(None, &none, peer("10.0.0.5")));
        assert!(!metrics_allowed(None, &none, None));
        // Through a proxy on the same machine: not direct.
        for h in ["x-forwarded-for", "forwarded", "x-real-ip"] {
            let mut proxied = HeaderMap::new();
            proxied.insert(h, "203.0.113.9".parse().unwrap());
            assert!(!metrics_allowed(None, &proxied, peer("127.0.0.1")), "{h}");
        }
    }

    #[test]
    fn metrics_with_a_token_need_it_from_anywhere() {
        let mut good = HeaderMap::new();
        good.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        let mut bad = HeaderMap::new();
        bad.insert(header::AUTHORIZATION, "Bearer s3creT".parse().unwrap());
        let mut basic = HeaderMap::new();
        basic.insert(header::AUTHORIZATION, "Basic s3cret".parse().unwrap());
        assert!(metrics_allowed(Some("s3cret"), &good, peer("10.0.0.5")));
        assert!(!metrics_allowed(Some("s3cret"), &bad, peer("10.0.0.5")));
        assert!(!metrics_allowed(Some("s3cret"), &basic, peer("127.0.0.1")));
        // The loopback exception does not apply once a token is set.
        assert!(!metrics_allowed(
            Some("s3cret"),
            &HeaderMap::new(),
            peer("127.0.0.1")
        ));
    }
}
