//! Server fns for signing in and out, and the request guard every other
//! server fn uses to authorize its caller.

use leptos::prelude::*;

use super::dto::{ConsentState, MemberRowDto, UserDto};
use super::registration::RegisterForm;
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub use guard::*;

#[cfg(feature = "ssr")]
mod guard {
    use axum::http::{header, request::Parts, HeaderValue};
    use leptos::prelude::*;

    use crate::error::AppError;
    use crate::i18n::Locale;
    use crate::membership::service::{self, CurrentUser, LANG_COOKIE, SESSION_COOKIE};
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

    /// The caller, if signed in with a live session.
    pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
        let Some(token) = session_token() else {
            return Ok(None);
        };
        let state = app_state()?;
        service::session_user(&state.db, &token, state.now()).await
    }

    /// The caller, or `NotAuthenticated`.
    pub async fn require_user() -> Result<CurrentUser, AppError> {
        current_user().await?.ok_or(AppError::NotAuthenticated)
    }

    /// Interface language of this request: the language cookie, then the
    /// browser's `Accept-Language`, then Kazakh.
    pub fn request_locale() -> Locale {
        if let Some(l) = cookie_header()
            .and_then(|h| service::cookie_value(&h, LANG_COOKIE).and_then(Locale::parse))
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

    pub(crate) fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool) {
        let secure = app_state().map(|s| s.secure_cookies).unwrap_or(false);
        let mut c = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
        if http_only {
            c.push_str("; HttpOnly");
        }
        if secure {
            c.push_str("; Secure");
        }
        if let (Some(opts), Ok(v)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&c),
        ) {
            opts.append_header(header::SET_COOKIE, v);
        }
    }
}

/// Sign in with a phone number or email and a password. On success the
/// session cookie is set and the browser goes to the page for the role.
#[server(endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::membership::dto::Role;
            use crate::membership::service::{self, LANG_COOKIE, SESSION_COOKIE, SESSION_DAYS};
            use crate::state::app_state;

            if login.trim().is_empty() || password.is_empty() {
                return Err(AppError::InvalidInput("login".into()));
            }
            let state = app_state()?;
            let user = service::authenticate(&state.db, &login, &password).await?;
            let token = service::create_session(&state.db, user.account_id, state.now()).await?;
            let max_age = SESSION_DAYS * 24 * 3600;
            set_cookie(SESSION_COOKIE, &token, max_age, true);
            set_cookie(LANG_COOKIE, user.lang.code(), 365 * 24 * 3600, false);
            let home = match user.role {
                Role::Visitor => "/",
                Role::FrontDesk => "/desk/scan",
                Role::Director | Role::Admin => "/director/occupancy",
            };
            leptos_axum::redirect(home);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::membership::service::{self, SESSION_COOKIE};
            use crate::state::app_state;

            if let Some(token) = session_token() {
                service::end_session(&app_state()?.db, &token).await?;
            }
            set_cookie(SESSION_COOKIE, "", 0, true);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Who is signed in (for the navigation bar); `None` when anonymous.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<UserDto>, AppError> {
    crate::error::respond(
        async move {
            let Some(user) = current_user().await? else {
                return Ok(None);
            };
            let state = crate::state::app_state()?;
            let today =
                crate::membership::members::today_local(&state.db, &user, state.now()).await?;
            let gate =
                crate::membership::members::ensure_may_book(&state.db, user.person_id, today).await;
            Ok(Some(user.to_dto(gate == Err(AppError::ConsentRequired))))
        }
        .await,
    )
}

/// Register as a visitor (public). Signs the new member in and opens the
/// start page; minors are told to bring the guardian's consent.
#[server(endpoint = "register")]
pub async fn register(form: RegisterForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::membership::members;
            use crate::membership::service::{self, LANG_COOKIE, SESSION_COOKIE, SESSION_DAYS};

            let state = crate::state::app_state()?;
            let now = state.now();
            let today = members::region_today(&state.db, now).await?;
            let new_member = crate::membership::registration::validate(&form, today)?;
            let user = members::register(&state.db, &new_member, now).await?;
            let token = service::create_session(&state.db, user.account_id, now).await?;
            set_cookie(SESSION_COOKIE, &token, SESSION_DAYS * 24 * 3600, true);
            set_cookie(LANG_COOKIE, user.lang.code(), 365 * 24 * 3600, false);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Members of the desk's centers (front desk, directors: own center; admin:
/// all), searched by name or phone.
#[server(endpoint = "desk_members")]
pub async fn desk_members(query: String) -> Result<Vec<MemberRowDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::members;
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            let today = members::today_local(&state.db, &user, state.now()).await?;
            members::desk_members(&state.db, &user, &query, today).await
        }
        .await,
    )
}

/// Record that the desk saw the guardian's signed consent form.
#[server(endpoint = "record_consent")]
pub async fn record_consent(person_id: i32) -> Result<ConsentState, AppError> {
    crate::error::respond(
        async move {
            use crate::membership::members;
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            let now = state.now();
            let today = members::today_local(&state.db, &user, now).await?;
            members::record_paper_consent(&state.db, &user, person_id, today, now).await
        }
        .await,
    )
}
