//! A form's result after a post without JavaScript.
//!
//! Every `<ActionForm>` is also a plain HTML form: without JavaScript (or
//! before the script has loaded) the browser posts it to the server fn,
//! which answers with a redirect back to the page. An error survives that
//! redirect in the URL (`__err`, read by `ServerAction::new`), but a success
//! would be lost: "Booked!" would never show. So the server keeps a
//! successful answer for a minute under a random id (`server::flash`
//! captures it and sets the `oq_flash` cookie), the next page render takes
//! it (once), and [`form_action`] gives the page's action that value, so the
//! page shows the same banner as with JavaScript. The answer stays on the
//! server: a reset code or a new API token never travels in a cookie.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The cookie naming a kept answer.
pub const COOKIE: &str = "oq_flash";

/// The answer of the form posted just before this page render.
#[derive(Clone, Debug)]
pub struct Flash {
    /// The server fn's path (`/api/book`).
    pub path: String,
    /// Its answer as the server fn encoded it (JSON).
    pub json: String,
}

/// What a page render restores into a form's action (shared with the
/// browser, so a page hydrated afterwards renders the same).
#[derive(serde::Serialize, serde::Deserialize)]
enum Restored {
    /// The post succeeded: its answer (JSON).
    Done(String),
    /// The post was refused: the error as the URL carries it (`__err`).
    Refused(String),
}

/// A page's action for a form: as `ServerAction::new()`, and on the page a
/// JavaScript-free post returned to, it already holds that post's result —
/// its answer, or its refusal (also for actions made outside the router,
/// such as signing in, which `ServerAction::new()` alone would miss).
pub fn form_action<S>() -> ServerAction<S>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: serde::de::DeserializeOwned + Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    let restored = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let restored = match use_context::<Flash>().filter(|f| f.path == S::PATH) {
            Some(flash) => Some(Restored::Done(flash.json)),
            None if action.value().with_untracked(Option::is_none) => {
                store::refusal(S::PATH).map(Restored::Refused)
            }
            None => None,
        };
        #[cfg(not(feature = "ssr"))]
        let restored: Option<Restored> = None;
        restored
    });
    match restored.into_inner() {
        Some(Restored::Done(json)) => {
            if let Ok(value) = serde_json::from_str::<S::Output>(&json) {
                action.value().set(Some(Ok(value)));
            }
        }
        Some(Restored::Refused(err)) => {
            let e = leptos::server_fn::error::ServerFnUrlError::<S::Error>::decode_err(&err);
            action.value().set(Some(Err(e)));
        }
        None => {}
    }
    action
}

#[cfg(feature = "ssr")]
pub use store::{keep, provide_flash, MAX_BYTES};

#[cfg(feature = "ssr")]
mod store {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    use std::time::{Duration, Instant};

    use leptos::prelude::*;

    use super::{Flash, COOKIE};

    /// How long an answer waits for its page.
    const TTL: Duration = Duration::from_secs(60);
    /// Answers larger than this are not kept (forms answer a few hundred bytes).
    pub const MAX_BYTES: usize = 16 * 1024;
    /// At most this many answers wait at once (a flood only evicts old ones).
    const MAX_KEPT: usize = 10_000;

    static KEPT: LazyLock<Mutex<HashMap<String, (Instant, Flash)>>> =
        LazyLock::new(Default::default);

    /// Keep a server fn's answer; returns the id for the cookie.
    pub fn keep(path: &str, json: String) -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 18];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|_, (at, _)| now.duration_since(*at) < TTL);
        if kept.len() >= MAX_KEPT {
            if let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
            {
                kept.remove(&oldest);
            }
        }
        let flash = Flash {
            path: path.to_owned(),
            json,
        };
        kept.insert(id.clone(), (now, flash));
        id
    }

    /// The refusal of `path` that the page's URL carries (`?__path=…&__err=…`).
    pub(super) fn refusal(path: &str) -> Option<String> {
        let parts = use_context::<axum::http::request::Parts>()?;
        let query = parts.uri.query()?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let value = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        (value("__path")? == path).then(|| value("__err")).flatten()
    }

    fn take(id: &str) -> Option<Flash> {
        let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
        kept.remove(id)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, f)| f)
    }

    /// On the server, at the start of a page render: take the answer the
    /// request's cookie names (once) and clear the cookie.
    pub fn provide_flash() {
        let Some(parts) = use_context::<axum::http::request::Parts>() else {
            return;
        };
        let id = parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| crate::access::session::cookie_value(h, COOKIE))
            .map(str::to_owned);
        let Some(id) = id else { return };
        crate::access::set_cookie(COOKIE, "", 0, true);
        if let Some(flash) = take(&id) {
            provide_context(flash);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn an_answer_is_taken_once() {
            let id = keep("/api/book", "{\"ok\":1}".into());
            assert_eq!(id.len(), 36);
            assert_eq!(take(&id).unwrap().json, "{\"ok\":1}");
            assert!(take(&id).is_none(), "a reload shows no stale banner");
            assert!(take("not-an-id").is_none());
        }
    }
}
