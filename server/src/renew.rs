//! Visitors' session tokens are replaced once a day: before a request
//! reaches the pages and server fns, a token due for rotation is swapped
//! for a new one, the request goes on with the new token, and the answer
//! carries it as the new cookie. Done here, once per request, rather than
//! in the server fns: a page renders several of them, and a cookie set in
//! the middle of a streamed page would be lost. The same check finds the
//! caller, whom the request carries on (`RequestUser`) so that the page's
//! resources and server fns do not look the session up again each.

use app::access::session::{check_session, cookie_line, cookie_value, RequestUser, SESSION_COOKIE};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The `Cookie` header with the session cookie's value replaced.
fn with_token(cookies: &str, token: &str) -> String {
    cookies
        .split(';')
        .map(|kv| match kv.trim().split_once('=') {
            Some((k, _)) if k == SESSION_COOKIE => format!("{SESSION_COOKIE}={token}"),
            _ => kv.trim().to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn renew_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let pkg = format!("/{}/", state.leptos_options.site_pkg_dir);
    let cookies = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let token = cookies
        .as_deref()
        .and_then(|c| cookie_value(c, SESSION_COOKIE))
        .map(str::to_owned);
    let (Some(cookies), Some(token)) = (cookies, token) else {
        return next.run(req).await;
    };
    if req.uri().path().starts_with(&pkg) {
        return next.run(req).await;
    }
    let renewed = match check_session(&state.db, &token, state.now(), state.sessions).await {
        Ok((user, renewed)) => {
            req.extensions_mut().insert(RequestUser(user));
            renewed
        }
        Err(e) => {
            tracing::warn!(error = %e, "session check failed; the old token stays");
            None
        }
    };
    let Some((new_token, lifetime)) = renewed else {
        return next.run(req).await;
    };
    if let Ok(v) = HeaderValue::from_str(&with_token(&cookies, &new_token)) {
        req.headers_mut().insert(header::COOKIE, v);
    }
    let mut resp = next.run(req).await;
    let line = cookie_line(
        SESSION_COOKIE,
        &new_token,
        lifetime.num_seconds(),
        true,
        state.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&line) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::with_token;

    #[test]
    fn only_the_session_cookie_changes() {
        assert_eq!(
            with_token("oq_lang=kk; oq_session=old; x=1", "new"),
            "oq_lang=kk; oq_session=new; x=1"
        );
    }
}
