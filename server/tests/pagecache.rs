//! The anonymous availability page's micro-cache (server/src/page_cache.rs),
//! against SQLite and PostgreSQL: a kept page is served as it was, and a
//! write through the server (a booking, new opening hours) shows at once.
//! Also the caller found once per request (server/src/renew.rs).

#[macro_use]
mod common;

use std::time::Duration;

use app::domain::people::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::callers::session_cookie;
use common::fixtures::book_one;
use common::http::{answer, send};
use common::{center_id, local, make_user, space_of, Backend, TestDb};

/// The router with pages kept for a minute (longer than any test).
fn app_with_cache(db: &sea_orm::DatabaseConnection) -> axum::Router {
    server::router_with(
        common::state(db),
        server::ops::Ops {
            page_cache: Duration::from_secs(60),
            ..Default::default()
        },
    )
}

/// An anonymous visitor's view of a page (English), hydration markers
/// removed.
async fn page(app: &axum::Router, path: &str) -> String {
    let req = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let a = answer(app, req).await;
    assert_eq!(a.status, StatusCode::OK, "{path}");
    a.text().replace("<!>", "")
}

async fn post(app: &axum::Router, path: &str, body: String, cookie: &str) -> (StatusCode, String) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let (status, body, _) = send(app, req).await;
    (status, body)
}

/// The coworking pool's 11:00 hour today, as the page shows it.
fn seats_at_eleven(html: &str) -> &str {
    let at = html.find("11:00–12:00").expect("the 11:00 slot is shown");
    let rest = &html[at..];
    let end = rest.find(" seats left").expect("its seats are shown");
    let start = rest[..end].rfind(|c: char| !c.is_ascii_digit()).unwrap() + 1;
    &rest[start..end]
}

async fn a_booking_through_the_server_shows_on_the_kept_page_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_with_cache(db);
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let path = format!("/spaces/{}", pool.id);
    assert_eq!(seats_at_eleven(&page(&app, &path).await), "20");

    // A booking written past the server (another instance, the command
    // line) shows once the kept page expires, not before: the page is kept.
    let walk_in = make_user(db, Role::Visitor, Some(regional), "Walk In").await;
    book_one(db, &walk_in, pool.id, local(1, 11, 0)).await;
    assert_eq!(seats_at_eleven(&page(&app, &path).await), "20");

    // A member books through the server: every visitor sees it at once.
    let member = make_user(db, Role::Visitor, Some(regional), "Member").await;
    let cookie = session_cookie(db, member.account_id).await;
    let (status, body) = post(
        &app,
        "/api/book",
        format!(
            "space_id={}&starts_at={}",
            pool.id,
            local(1, 11, 0).timestamp()
        ),
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(seats_at_eleven(&page(&app, &path).await), "18");
    // Another week, and the member's own (signed-in) view, are rendered
    // afresh.
    assert!(page(&app, &format!("{path}?week=1"))
        .await
        .contains("20 seats left"));
    let req = Request::get(&path)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let mine = answer(&app, req).await.text().replace("<!>", "");
    assert_eq!(seats_at_eleven(&mine), "18");
    t.close().await;
}

async fn new_opening_hours_show_on_the_kept_page_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_with_cache(db);
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let path = format!("/spaces/{}", studio.id);
    assert!(page(&app, &path).await.contains("11:00–12:00"));

    // The director opens only on Mondays, from 13:00.
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let cookie = session_cookie(db, director.account_id).await;
    let (status, body) = post(
        &app,
        "/api/save_center_settings",
        format!(
            "center_id={regional}&settings[mon_opens]=13:00&settings[mon_closes]=21:00\
             &settings[max_future_bookings]=3&settings[max_studio_hours]=4\
             &settings[strike_limit]=3&settings[strike_window_days]=30&settings[strike_block_days]=7"
        ),
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = page(&app, &path).await;
    assert!(!html.contains("11:00–12:00"), "the old hours are gone");
    assert!(html.contains("13:00–14:00"), "Monday's new hours show");
    t.close().await;
}

/// A signed-in page renders with the caller the session check found: the
/// navigation and the page's own resources agree, and a session ended in
/// the database signs the next request out.
async fn a_signed_in_page_knows_its_caller_and_an_ended_session_does_not(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Test").await;
    let cookie = session_cookie(db, member.account_id).await;
    let req = |cookie: &str| {
        Request::get("/my")
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let html = answer(&app, req(&cookie)).await.text();
    assert!(html.contains("Aigerim"), "the navigation greets the member");
    assert!(
        !html.contains("not_authenticated"),
        "the page knows the member"
    );
    app::access::session::end_all_sessions(db, member.account_id)
        .await
        .unwrap();
    let html = answer(&app, req(&cookie)).await.text();
    assert!(html.contains("not_authenticated") && !html.contains("Aigerim"));
    t.close().await;
}

on_both_databases!(
    a_booking_through_the_server_shows_on_the_kept_page_at_once,
    new_opening_hours_show_on_the_kept_page_at_once,
    a_signed_in_page_knows_its_caller_and_an_ended_session_does_not,
);
