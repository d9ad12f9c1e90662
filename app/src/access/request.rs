//! The request as server fns see it: the session cookie, the caller, the
//! interface language, the client address, and cookies to set.

use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;

use super::session::{self as service, CurrentUser, LANG_COOKIE, SESSION_COOKIE};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::app_state;

fn cookie_header() -> Option<String> {
    use_context::<Parts>().and_then(|p| {
        p.headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

pub(crate) fn session_token() -> Option<String> {
    cookie_header().and_then(|h| service::cookie_value(&h, SESSION_COOKIE).map(str::to_owned))
}

/// The caller, if signed in with a live session: as the server's session
/// middleware found them for this request, else looked up.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    if let Some(known) =
        use_context::<Parts>().and_then(|p| p.extensions.get::<service::RequestUser>().cloned())
    {
        return Ok(known.0);
    }
    let state = app_state()?;
    service::session_user_with(&state.db, &token, state.now(), state.sessions).await
}

/// The caller, or `NotAuthenticated`.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::NotAuthenticated)
}

/// Interface language of this request: the language cookie, then the
/// browser's `Accept-Language`, then Kazakh.
pub fn request_locale() -> Locale {
    if let Some(l) =
        cookie_header().and_then(|h| service::cookie_value(&h, LANG_COOKIE).and_then(Locale::parse))
    {
        return l;
    }
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// The site's address for links in messages (the QR on a certificate, the
/// guardian's consent page): `ORTALYQ_PUBLIC_URL` when set. Without it (a
/// developer's machine) the request's Host, scheme from the cookie setting;
/// a Host header with odd characters falls back to `localhost`.
pub fn request_base_url() -> String {
    if let Some(url) = app_state().ok().and_then(|s| s.public_url) {
        return url;
    }
    let secure = app_state().map(|s| s.secure_cookies).unwrap_or(false);
    let host = use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or_else(|| "localhost".into());
    format!("{}://{host}", if secure { "https" } else { "http" })
}

/// The client's address for rate limiting: the socket peer, or the first
/// `X-Forwarded-For` hop when the server runs behind a trusted proxy.
pub fn client_ip() -> String {
    let Some(parts) = use_context::<Parts>() else {
        return "unknown".into();
    };
    let trust_proxy = app_state().map(|s| s.trust_proxy).unwrap_or(false);
    if trust_proxy {
        if let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool) {
    let secure = app_state().map(|s| s.secure_cookies).unwrap_or(false);
    let c = service::cookie_line(name, value, max_age_secs, http_only, secure);
    if let (Some(opts), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&c),
    ) {
        opts.append_header(header::SET_COOKIE, v);
    }
}

/// Sign `user` in on this response: a new server-side session, its cookie
/// and the language cookie.
pub async fn start_session(
    db: &sea_orm::DatabaseConnection,
    user: &CurrentUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let policy = app_state()?.sessions;
    let (token, lifetime) = service::open_session(db, user, now, policy).await?;
    set_cookie(SESSION_COOKIE, &token, lifetime.num_seconds(), true);
    set_cookie(LANG_COOKIE, user.lang.code(), 365 * 24 * 3600, false);
    Ok(())
}

/// Make the browser forget its session cookie.
pub fn clear_session_cookie() {
    set_cookie(SESSION_COOKIE, "", 0, true);
}

/// Make the browser forget what this site stored in it: a scan station's
/// offline bundle and queue must not outlive the desk's session on a shared
/// browser (sent on signing out, and on signing in as someone who does not
/// scan).
pub fn clear_site_storage() {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.insert_header(
            header::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"storage\""),
        );
    }
}

/// What a server fn needs of its request besides the caller: the app state
/// (database, pass keys, clock) and the interface language. It derefs to
/// [`AppState`], so `cx.db`, `cx.keys` and `cx.now()` read as before.
pub struct Ctx {
    pub state: crate::state::AppState,
    /// The interface language of this request.
    pub l: Locale,
}

impl std::ops::Deref for Ctx {
    type Target = crate::state::AppState;
    fn deref(&self) -> &Self::Target {
        &self.state
    }
}

/// The body of a public server fn: it gets the request context, and an error
/// it returns is answered with its HTTP status (`AppError::status`).
pub async fn public<T, Fut>(body: impl FnOnce(Ctx) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::error::respond(
        async move {
            let cx = Ctx {
                state: app_state()?,
                l: request_locale(),
            };
            body(cx).await
        }
        .await,
    )
}

/// The body of a server fn for a signed-in caller whose role passes
/// `allowed` (`|_| true` for any role); anonymous callers get
/// `NotAuthenticated`, other roles `Forbidden`. Center scope is checked by
/// the service, which knows the center.
pub async fn signed_in<T, Fut>(
    allowed: impl Fn(crate::domain::people::Role) -> bool,
    body: impl FnOnce(Ctx, CurrentUser) -> Fut,
) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::error::respond(
        async move {
            let user = require_user().await?;
            user.require(allowed)?;
            let cx = Ctx {
                state: app_state()?,
                l: request_locale(),
            };
            body(cx, user).await
        }
        .await,
    )
}
