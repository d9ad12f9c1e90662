//! Pages and the browser code they load, against SQLite and PostgreSQL:
//! a page that renders an island loads the wasm bundle (Leptos islands;
//! `app/src/ui/assets.rs`), so no island is left dead, and pages that never
//! have one (a visitor's booking pages) load none. (A page whose island
//! depends on its data, such as "My bookings" with a pass, says so up front
//! and loads the bundle either way.)

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::callers::{role_matrix, Callers, CALLERS};
use common::fixtures::book_one;
use common::http::fetch;
use common::{local, Backend, TestDb};

async fn pages_with_islands_load_the_bundle_and_booking_pages_none(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = common::center_id(db, "karaganda-regional").await;
    let temirtau = common::center_id(db, "temirtau").await;
    let Callers { users, cookies } = role_matrix(db, regional, temirtau).await;
    // The visitor has a booking: "My bookings" shows its pass with the
    // full-screen button (an island inside data that loads first).
    let studio = common::space_of(db, regional, "podcast_studio").await;
    book_one(db, &users[0], studio.id, local(2, 11, 0)).await;
    let range = "from=2026-11-01&to=2026-11-30";
    let pages = [
        "/".to_string(),
        format!("/centers/{regional}"),
        format!("/spaces/{}", studio.id),
        "/my".into(),
        "/account".into(),
        "/clubs".into(),
        "/events".into(),
        "/programs".into(),
        "/mentors".into(),
        "/equipment".into(),
        "/notices".into(),
        "/desk/scan".into(),
        "/desk/today".into(),
        "/desk/equipment".into(),
        format!("/director/reports?center={regional}&{range}"),
        format!("/director/region?{range}"),
        "/director/occupancy".into(),
    ];
    let mut wrong = Vec::new();
    let mut with_islands = Vec::new();
    let mut with_loader: Vec<String> = Vec::new();
    for (i, caller) in CALLERS.iter().enumerate() {
        for path in &pages {
            let a = fetch(&app, path, cookies[i].as_deref()).await;
            if a.status != StatusCode::OK {
                continue;
            }
            let html = a.text();
            let islands = html.contains("<leptos-island");
            let loader = html.contains("<script type=\"module\"");
            if islands && !loader {
                wrong.push(format!("{path} as {caller}: an island without the loader"));
            }
            if islands {
                with_islands.push(format!("{caller} {path}"));
            }
            if loader {
                with_loader.push(format!("{caller} {path}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The islands are where they should be, and a visitor's booking page has none.
    for expected in [
        "visitor /my",
        "visitor /account",
        "front_desk /desk/scan",
        "front_desk /desk/equipment",
        "director_of_own_center /director/reports",
    ] {
        assert!(
            with_islands.iter().any(|p| p.starts_with(expected)),
            "{expected}: {with_islands:#?}"
        );
    }
    assert!(
        !with_islands
            .iter()
            .any(|p| p.contains("/spaces/") || p.ends_with(" /")),
        "{with_islands:#?}"
    );
    t.close().await;
}

on_both_databases!(pages_with_islands_load_the_bundle_and_booking_pages_none);

/// Pages keep rendering while routers are being built beside them (as when
/// tests run in parallel): building a router must not leave a page waiting
/// forever for its data (leptos-rs/leptos#4773; a CI run hung on it).
async fn pages_render_while_other_routers_are_built(backend: Backend) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let t = TestDb::new(backend).await;
    let state = common::state(&t.db);
    let app = server::router(state.clone());
    let regional = common::center_id(&t.db, "karaganda-regional").await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || {
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                drop(server::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    let pages = [
        format!("/centers/{regional}"),
        "/clubs".into(),
        "/events".into(),
    ];
    for i in 0..150 {
        let path = &pages[i % pages.len()];
        let a = tokio::time::timeout(std::time::Duration::from_secs(20), fetch(&app, path, None))
            .await
            .unwrap_or_else(|_| panic!("{path} (request {i}) never finished"));
        assert_eq!(a.status, StatusCode::OK, "{path}");
    }
    stop.store(true, Ordering::Relaxed);
    assert!(builder.await.unwrap() > 0, "no router was built meanwhile");
    t.close().await;
}

on_both_databases!(pages_render_while_other_routers_are_built);
