//! Keeps the answer of a form posted without JavaScript for the page the
//! browser returns to (see `app::access::flash`): a server fn called by a
//! plain HTML form (it accepts `text/html`) answers with a redirect back to
//! the page; a successful answer is kept on the server and named by a
//! short-lived cookie, and the redirect itself carries no body. A refusal
//! becomes a plain redirect back to the form, which shows the error.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use app::access::flash::{keep, COOKIE, MAX_BYTES};
use app::state::AppState;

/// Whether a request is a browser's form post to a server fn (not the REST
/// API, not a script's call, which asks for JSON).
fn is_form_post(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/v1/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

pub async fn capture(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_form_post(&req) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let resp = next.run(req).await;
    let Some(location) = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return resp;
    };
    if location.contains("__err=") {
        // A refusal goes back to the form with its error in the URL; the
        // error's own status (401, 409 …) would leave the browser on a bare
        // JSON page, as browsers follow `Location` only on a redirect.
        let (mut parts, _) = resp.into_parts();
        parts.status = StatusCode::SEE_OTHER;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    if !resp.status().is_redirection() {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    if let Ok(bytes) = axum::body::to_bytes(body, MAX_BYTES).await {
        if let Ok(json) = String::from_utf8(bytes.to_vec()) {
            let id = keep(&path, json);
            let cookie =
                app::access::session::cookie_line(COOKIE, &id, 60, true, state.secure_cookies);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                parts.headers.append(header::SET_COOKIE, v);
            }
        }
    }
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::empty())
}
