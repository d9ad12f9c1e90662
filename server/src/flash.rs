//! Keeps the answer of a form posted without JavaScript for the page the
//! browser returns to (see `app::access::flash`): a server fn called by a
//! plain HTML form (it accepts `text/html`) answers with a redirect back to
//! the page; a successful answer is kept on the server and named by a
//! short-lived cookie, and the redirect itself carries no body. A refusal
//! becomes a plain redirect back to the form, which shows the error and
//! gets the fields back (kept the same way, passwords left out).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use app::access::flash::{keep, keep_refused_form, COOKIE, MAX_BYTES};
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

/// Form bodies larger than this are not kept for a refusal (a long club
/// description fits many times over).
const FIELDS_MAX: usize = 64 * 1024;

/// Reads a small urlencoded form body, so its fields can be put back if the
/// post is refused; the request goes on with the same body.
async fn read_fields(req: Request) -> (Request, Option<axum::body::Bytes>) {
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let small = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n <= FIELDS_MAX);
    if !(urlencoded && small) {
        return (req, None);
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, FIELDS_MAX).await {
        Ok(bytes) => (
            Request::from_parts(parts, Body::from(bytes.clone())),
            Some(bytes),
        ),
        // A body longer than it said: the server fn refuses it as malformed.
        Err(_) => (Request::from_parts(parts, Body::empty()), None),
    }
}

fn set_flash_cookie(headers: &mut axum::http::HeaderMap, id: &str, secure: bool) {
    let cookie = app::access::session::cookie_line(COOKIE, id, 60, true, secure);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// The redirect back to the form keeps the page's own query but only this
/// post's refusal: server fns append `__path`/`__err` to the page address,
/// which may still carry an earlier refusal (that one would show instead),
/// and a success after a refusal must not show the old error.
fn last_refusal_only(location: &str, refused: bool) -> String {
    let Some((page, query)) = location.split_once('?') else {
        return location.to_owned();
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let last_err = pairs
        .iter()
        .rposition(|(k, _)| k == "__err")
        .filter(|_| refused);
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (i, (k, v)) in pairs.iter().enumerate() {
        let ours = k == "__path" || k == "__err";
        let kept = match last_err {
            Some(e) => i == e || (k == "__path" && i + 1 == e),
            None => false,
        };
        if !ours || kept {
            out.append_pair(k, v);
        }
    }
    let query = out.finish();
    if query.is_empty() {
        page.to_owned()
    } else {
        format!("{page}?{query}")
    }
}

pub async fn capture(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_form_post(&req) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let (req, fields) = read_fields(req).await;
    let resp = next.run(req).await;
    let Some(location) = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return resp;
    };
    let refused = location.contains("__err=");
    let location = last_refusal_only(location, refused);
    let mut resp = resp;
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    if refused {
        // A refusal goes back to the form with its error in the URL; the
        // error's own status (401, 409 …) would leave the browser on a bare
        // JSON page, as browsers follow `Location` only on a redirect.
        let (mut parts, _) = resp.into_parts();
        if let Some(id) = fields.and_then(|f| keep_refused_form(&path, &f)) {
            set_flash_cookie(&mut parts.headers, &id, state.secure_cookies);
        }
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
            set_flash_cookie(&mut parts.headers, &id, state.secure_cookies);
        }
    }
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::last_refusal_only;

    #[test]
    fn only_the_latest_refusal_goes_back_to_the_form() {
        assert_eq!(
            last_refusal_only(
                "/register?__path=%2Fapi%2Fr&__err=OLD&__path=%2Fapi%2Fr&__err=NEW",
                true
            ),
            "/register?__path=%2Fapi%2Fr&__err=NEW"
        );
        assert_eq!(
            last_refusal_only("/spaces/4?week=1&__path=%2Fapi%2Fbook&__err=NEW", true),
            "/spaces/4?week=1&__path=%2Fapi%2Fbook&__err=NEW"
        );
        // A success after a refusal: the old error is gone.
        assert_eq!(
            last_refusal_only("/spaces/4?week=1&__path=%2Fapi%2Fbook&__err=OLD", false),
            "/spaces/4?week=1"
        );
        assert_eq!(last_refusal_only("/my", false), "/my");
    }
}
