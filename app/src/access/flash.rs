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
    /// Its answer as the server fn encoded it (JSON); `None` when the post
    /// was refused (the error comes back in the URL).
    pub answer: Option<String>,
    /// A refused post's fields (never a password), put back into the form
    /// so nobody types it all again.
    pub fields: Vec<(String, String)>,
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
        let restored = match use_context::<Flash>()
            .filter(|f| f.path == S::PATH)
            .and_then(|f| f.answer)
        {
            Some(json) => Some(Restored::Done(json)),
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
pub use store::{keep, keep_refused_form, provide_flash, restore_script, MAX_BYTES};

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
        put(Flash {
            path: path.to_owned(),
            answer: Some(json),
            fields: Vec::new(),
        })
    }

    /// Keep the fields of a refused post (`application/x-www-form-urlencoded`
    /// body) without its passwords; returns the id for the cookie, or `None`
    /// when nothing is worth putting back.
    pub fn keep_refused_form(path: &str, body: &[u8]) -> Option<String> {
        let fields: Vec<(String, String)> = form_urlencoded::parse(body)
            .into_owned()
            .filter(|(name, value)| !name.contains("password") && !value.is_empty())
            .collect();
        (!fields.is_empty()).then(|| {
            put(Flash {
                path: path.to_owned(),
                answer: None,
                fields,
            })
        })
    }

    /// Puts a refused post's fields back into the page's form with that
    /// action (text, choices and boxes; never hidden fields or passwords),
    /// as soon as the form is parsed. Values go in as JSON (with `<`
    /// escaped) and are set as properties, never as markup.
    pub fn restore_script(flash: &Flash) -> Option<String> {
        if flash.answer.is_some() || flash.fields.is_empty() {
            return None;
        }
        let data = serde_json::to_string(&(&flash.path, &flash.fields))
            .ok()?
            .replace('<', "\\u003c");
        Some(format!(
            r#"(([action, fields]) => {{
  const has = (n, v) => fields.some(([k, x]) => k === n && x === v);
  const first = (n) => fields.find(([k]) => k === n)?.[1];
  for (const form of document.querySelectorAll("form")) {{
    if (form.getAttribute("action") !== action) continue;
    for (const el of form.elements) {{
      if (!el.name || ["hidden", "password", "file", "submit", "button"].includes(el.type)) continue;
      if (el.type === "checkbox" || el.type === "radio") {{ el.checked = has(el.name, el.value); continue; }}
      const v = first(el.name);
      if (v === undefined) continue;
      el.value = v;
      if (el.tagName === "SELECT") el.dispatchEvent(new Event("change"));
    }}
  }}
}})({data});"#
        ))
    }

    fn put(flash: Flash) -> String {
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
            assert_eq!(take(&id).unwrap().answer.as_deref(), Some("{\"ok\":1}"));
            assert!(take(&id).is_none(), "a reload shows no stale banner");
            assert!(take("not-an-id").is_none());
        }

        #[test]
        fn a_refused_form_keeps_its_fields_but_never_a_password() {
            let body = b"form%5Bfull_name%5D=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D1%96%D0%BC&form%5Bpassword%5D=secret&note=&scope=read&scope=book";
            let id = keep_refused_form("/api/register", body).unwrap();
            let kept = take(&id).unwrap();
            assert_eq!(kept.answer, None);
            assert_eq!(
                kept.fields,
                vec![
                    ("form[full_name]".to_string(), "Айгерім".to_string()),
                    ("scope".to_string(), "read".to_string()),
                    ("scope".to_string(), "book".to_string()),
                ]
            );
            assert!(keep_refused_form("/api/login", b"password=x").is_none());
        }

        #[test]
        fn the_restore_script_cannot_close_its_tag() {
            let flash = Flash {
                path: "/api/x".into(),
                answer: None,
                fields: vec![("name".into(), "</script><script>alert(1)</script>".into())],
            };
            let script = restore_script(&flash).unwrap();
            assert!(!script.contains("</script>"));
            assert!(script.contains("\\u003c/script>"));
        }
    }
}
