//! A micro-cache of the anonymous availability page (`/spaces/{id}`): the
//! rendered answer is kept for a few seconds per address (path and query)
//! and language, so a burst of visitors looking at one space costs one
//! render. Availability is advisory (every booking re-checks under the
//! lock), and any write through this server (a booking, a cancellation, a
//! change of hours, closures or events: every request other than GET and
//! HEAD) drops the cache at once, so a visitor never sees the page from
//! before their own change. Writes through another instance or the command
//! line show after at most the time to live.
//!
//! Only answers to requests without a session cookie are kept: a signed-in
//! page shows the caller. Only whole `200` answers without `Set-Cookie`.
//! The copy keeps its headers, so the page's scripts and its
//! Content-Security-Policy keep the same nonce.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::access::session::{cookie_value, LANG_COOKIE, SESSION_COOKIE};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// At most this many pages are kept (weeks × spaces × languages of a
/// region fit; a flood of made-up query strings only empties it).
const MAX_ENTRIES: usize = 512;
/// Addresses and language headers longer than this are not cached.
const MAX_KEY_PART: usize = 256;
/// A rendered page larger than this is not cached.
const MAX_BODY: usize = 512 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    uri: String,
    lang_cookie: String,
    accept_language: String,
}

struct Entry {
    generation: u64,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// The cache; cloning shares it.
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    ttl: Duration,
    /// Bumped by every write; an entry from an older generation is stale.
    generation: AtomicU64,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl PageCache {
    /// A cache keeping pages for `ttl` (zero: nothing is kept).
    pub fn new(ttl: Duration) -> Self {
        PageCache {
            inner: Arc::new(Inner {
                ttl,
                generation: AtomicU64::new(0),
                entries: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Forget every page (a write happened).
    pub fn invalidate(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::SeqCst)
    }

    fn get(&self, key: &Key) -> Option<(HeaderMap, Bytes)> {
        let generation = self.generation();
        let entries = self.inner.entries.lock().ok()?;
        let e = entries.get(key)?;
        (e.generation == generation && e.stored.elapsed() < self.inner.ttl)
            .then(|| (e.headers.clone(), e.body.clone()))
    }

    /// Keep a page rendered while the cache was at `generation`, unless a
    /// write happened since (the page may predate it).
    fn put(&self, key: Key, generation: u64, headers: HeaderMap, body: Bytes) {
        let Ok(mut entries) = self.inner.entries.lock() else {
            return;
        };
        if self.generation() != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries
                .retain(|_, e| e.generation == generation && e.stored.elapsed() < self.inner.ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Entry {
                generation,
                stored: Instant::now(),
                headers,
                body,
            },
        );
    }
}

/// The cache key of a request whose answer may be kept: an anonymous GET
/// of an availability page.
fn cacheable(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || !req.uri().path().starts_with("/spaces/") {
        return None;
    }
    let headers = req.headers();
    let cookies = headers
        .get(header::COOKIE)
        .map(|v| v.to_str().ok())
        .unwrap_or(Some(""))?;
    if cookie_value(cookies, SESSION_COOKIE).is_some() {
        return None;
    }
    let text = |name| -> Option<String> {
        let v = headers
            .get(name)
            .map(|v| v.to_str().ok())
            .unwrap_or(Some(""))?;
        (v.len() <= MAX_KEY_PART).then(|| v.to_owned())
    };
    let uri = req.uri().path_and_query()?.as_str();
    let accept_language = text(header::ACCEPT_LANGUAGE)?;
    (uri.len() <= MAX_KEY_PART).then(|| Key {
        uri: uri.to_owned(),
        lang_cookie: cookie_value(cookies, LANG_COOKIE)
            .unwrap_or_default()
            .to_owned(),
        accept_language,
    })
}

/// The middleware: answer from the cache, or render and keep the answer;
/// every write empties the cache once it is done.
pub async fn serve(cache: PageCache, req: Request, next: Next) -> Response {
    if cache.inner.ttl.is_zero() {
        return next.run(req).await;
    }
    let write = !matches!(*req.method(), Method::GET | Method::HEAD);
    let Some(key) = cacheable(&req) else {
        let resp = next.run(req).await;
        if write {
            cache.invalidate();
        }
        return resp;
    };
    if let Some((headers, body)) = cache.get(&key) {
        let mut resp = Response::new(Body::from(body));
        *resp.headers_mut() = headers;
        return resp;
    }
    let generation = cache.generation();
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if bytes.len() <= MAX_BODY {
                cache.put(key, generation, parts.headers.clone(), bytes.clone());
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        // The render failed half-way.
        Err(e) => {
            tracing::error!(error = %e, "page failed while rendering");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uri: &str) -> Key {
        Key {
            uri: uri.into(),
            lang_cookie: String::new(),
            accept_language: "en".into(),
        }
    }

    #[test]
    fn a_write_or_the_time_to_live_ends_a_kept_page() {
        let cache = PageCache::new(Duration::from_millis(200));
        let g = cache.generation();
        cache.put(key("/spaces/1"), g, HeaderMap::new(), Bytes::from("a"));
        assert_eq!(cache.get(&key("/spaces/1")).unwrap().1, "a");
        assert!(cache.get(&key("/spaces/1?week=1")).is_none());
        cache.invalidate();
        assert!(cache.get(&key("/spaces/1")).is_none());
        // A page rendered before a write is not kept.
        cache.put(key("/spaces/2"), g, HeaderMap::new(), Bytes::from("b"));
        assert!(cache.get(&key("/spaces/2")).is_none());
        let g = cache.generation();
        cache.put(key("/spaces/2"), g, HeaderMap::new(), Bytes::from("b"));
        assert!(cache.get(&key("/spaces/2")).is_some());
        std::thread::sleep(Duration::from_millis(250));
        assert!(cache.get(&key("/spaces/2")).is_none());
    }

    #[test]
    fn only_anonymous_gets_of_availability_pages_are_kept() {
        let req = |method: Method, uri: &str, cookie: Option<&str>| {
            let mut b = Request::builder().method(method).uri(uri);
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, c);
            }
            b.body(Body::empty()).unwrap()
        };
        assert!(cacheable(&req(Method::GET, "/spaces/3?week=1", None)).is_some());
        assert!(cacheable(&req(Method::GET, "/spaces/3", Some("oq_lang=ru"))).is_some());
        assert!(cacheable(&req(Method::GET, "/spaces/3", Some("oq_session=x"))).is_none());
        assert!(cacheable(&req(Method::POST, "/spaces/3", None)).is_none());
        assert!(cacheable(&req(Method::GET, "/my", None)).is_none());
        let a = cacheable(&req(Method::GET, "/spaces/3", Some("oq_lang=ru"))).unwrap();
        let b = cacheable(&req(Method::GET, "/spaces/3", Some("oq_lang=kk"))).unwrap();
        assert!(a != b, "each language has its own copy");
    }
}
