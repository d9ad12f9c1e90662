//! Requests to the router in the process (no socket) and their answers.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// An answer read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value, empty when it is missing.
    pub fn header(&self, name: HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Every `Set-Cookie` header.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// Send a request through the router and read the whole answer.
pub async fn answer(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// Send a request: its status, body text and `Set-Cookie` headers.
pub async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String, Vec<String>) {
    let a = answer(app, req).await;
    (a.status, a.text(), a.cookies())
}

/// GET a path, with a `Cookie` header when given.
pub async fn fetch(app: &axum::Router, path: &str, cookie: Option<&str>) -> Answer {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    answer(app, req.body(Body::empty()).unwrap()).await
}
