//! Many people at once (issue 20, A): each class of write — registration,
//! consent, account changes, API tokens, bookings, door scans — gets 50
//! requests, 8 at a time, through the router. SQLite must wait for its
//! write lock instead of failing: no answer is a server error, and races
//! for one thing (a phone, a slot, a consent) end with exactly one winner.

use std::sync::Arc;

use app::domain::people::Role;
use app::model::{api_token, booking, check_in, consent, person};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};

use super::signup::{app_behind_proxy, form};
use crate::common::callers::session_cookie;
use crate::common::fixtures::{book_one, pass_of};
use crate::common::http::{answer, Answer};
use crate::common::{center_id, local, make_user, space_of, Backend, TestDb};

const REQUESTS: usize = 50;
const AT_ONCE: usize = 8;

/// A form POST from its own client address, with a session if given.
fn post(path: &str, body: String, cookie: Option<&str>, n: usize) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            "x-forwarded-for",
            format!("10.{}.{}.1", n / 250, n % 250 + 1),
        );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

/// Send every request, `AT_ONCE` in flight; the answers in request order.
/// Fails the test on any 5xx.
async fn storm(app: &axum::Router, what: &str, reqs: Vec<Request<Body>>) -> Vec<Answer> {
    let gate = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut set = tokio::task::JoinSet::new();
    for (i, req) in reqs.into_iter().enumerate() {
        let (app, gate) = (app.clone(), gate.clone());
        set.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            (i, answer(&app, req).await)
        });
    }
    let mut out: Vec<(usize, Answer)> = set.join_all().await;
    out.sort_by_key(|(i, _)| *i);
    let answers: Vec<Answer> = out.into_iter().map(|(_, a)| a).collect();
    let errors: Vec<String> = answers
        .iter()
        .filter(|a| a.status.is_server_error())
        .map(|a| format!("{} {}", a.status, a.text()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: {} server errors: {errors:?}",
        errors.len()
    );
    answers
}

fn count(answers: &[Answer], ok: impl Fn(StatusCode) -> bool) -> usize {
    answers.iter().filter(|a| ok(a.status)).count()
}

/// A class registering together, and 50 forms racing for one phone.
async fn registrations_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "temirtau").await;
    let reqs = (0..REQUESTS)
        .map(|i| {
            let phone = format!("+7707{:07}", 2000 + i);
            post(
                "/api/register",
                form(center, &phone, "", "", "2008-03-03", ""),
                None,
                i,
            )
        })
        .collect();
    let answers = storm(&app, "50 registrations", reqs).await;
    assert_eq!(count(&answers, |s| s.is_success()), REQUESTS);
    assert!(answers
        .iter()
        .all(|a| a.header(header::LOCATION).starts_with("/verify?login=")));
    let made = person::Entity::find()
        .filter(person::Column::Phone.starts_with("+77070"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(made as usize, REQUESTS);

    let reqs = (0..REQUESTS)
        .map(|i| {
            post(
                "/api/register",
                form(center, "+77079999999", "", "", "2008-03-03", ""),
                None,
                100 + i,
            )
        })
        .collect();
    storm(&app, "50 registrations of one phone", reqs).await;
    let holders = person::Entity::find()
        .filter(person::Column::Phone.eq("+77079999999"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(holders, 1, "one phone, one account");
    t.close().await;
}

/// A minor awaiting consent (15, guardian on record) of a center.
async fn make_minor(db: &DatabaseConnection, center: i32, n: usize) -> i32 {
    let u = make_user(db, Role::Visitor, Some(center), &format!("Minor {n}")).await;
    let mut p = person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.birth_date = Set(NaiveDate::from_ymd_opt(2011, 5, 5).unwrap());
    p.guardian_name = Set(Some("Гүлмира Ахметова".into()));
    p.guardian_phone = Set(Some(format!("+7778{:07}", n)));
    p.update(db).await.unwrap();
    u.person_id
}

/// Desks recording paper consent: five calls for each of ten minors; each
/// minor ends with one consent.
async fn consents_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let desk = make_user(db, Role::FrontDesk, Some(center), "Desk").await;
    let cookie = session_cookie(db, desk.account_id).await;
    let mut minors = Vec::new();
    for n in 0..10 {
        minors.push(make_minor(db, center, n).await);
    }
    let reqs = (0..REQUESTS)
        .map(|i| {
            post(
                "/api/record_consent",
                format!("person_id={}", minors[i % 10]),
                Some(&cookie),
                i,
            )
        })
        .collect();
    let answers = storm(&app, "50 consents", reqs).await;
    assert_eq!(count(&answers, |s| s.is_success()), REQUESTS);
    for m in minors {
        let n = consent::Entity::find()
            .filter(consent::Column::PersonId.eq(m))
            .count(db)
            .await
            .unwrap();
        assert_eq!(n, 1, "minor {m}");
    }
    t.close().await;
}

/// Fifty members deleting their accounts at once.
async fn account_changes_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let mut reqs = Vec::new();
    for i in 0..REQUESTS {
        let u = make_user(db, Role::Visitor, Some(center), "Leaving L").await;
        let cookie = session_cookie(db, u.account_id).await;
        reqs.push(post(
            "/api/delete_my_account",
            "confirm=DELETE".into(),
            Some(&cookie),
            i,
        ));
    }
    let answers = storm(&app, "50 account deletions", reqs).await;
    assert_eq!(
        count(&answers, |s| s.is_success() || s.is_redirection()),
        REQUESTS
    );
    let left = person::Entity::find()
        .filter(person::Column::FullName.eq("Leaving L"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(left, 0, "every name erased");
    t.close().await;
}

/// An admin creating 50 API tokens at once: 50 tokens.
async fn tokens_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let admin = make_user(db, Role::Admin, None, "Admin").await;
    let cookie = session_cookie(db, admin.account_id).await;
    let before = api_token::Entity::find().count(db).await.unwrap();
    let reqs = (0..REQUESTS)
        .map(|i| {
            let body = format!(
                "form[name]=bot{i}&form[center_id]={center}&form[scopes][0]=read&form[rate_per_minute]=60"
            );
            post("/api/create_api_token", body, Some(&cookie), i)
        })
        .collect();
    let answers = storm(&app, "50 tokens", reqs).await;
    assert_eq!(count(&answers, |s| s.is_success()), REQUESTS);
    assert_eq!(
        api_token::Entity::find().count(db).await.unwrap(),
        before + REQUESTS as u64
    );
    t.close().await;
}

/// Fifty members racing for the one-person photo studio at 12:00: one
/// booking, 49 told the slot is full.
async fn bookings_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let photo = space_of(db, center, "photo_studio").await;
    let start = local(2, 12, 0);
    let mut reqs = Vec::new();
    for i in 0..REQUESTS {
        let u = make_user(db, Role::Visitor, Some(center), "Racer R").await;
        let cookie = session_cookie(db, u.account_id).await;
        let body = format!("space_id={}&starts_at={}", photo.id, start.timestamp());
        reqs.push(post("/api/book", body, Some(&cookie), i));
    }
    let answers = storm(&app, "50 bookings of one slot", reqs).await;
    assert_eq!(count(&answers, |s| s.is_success()), 1);
    assert_eq!(count(&answers, |s| s == StatusCode::CONFLICT), REQUESTS - 1);
    let held = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(photo.id))
        .filter(booking::Column::StartsAt.eq(start))
        .count(db)
        .await
        .unwrap();
    assert_eq!(held, 1);
    t.close().await;
}

/// The desk scanning fifty passes as fast as people walk in (some scanned
/// twice at once): one check-in per member.
async fn scans_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, center, "coworking").await;
    let desk = make_user(db, Role::FrontDesk, Some(center), "Desk").await;
    let cookie = session_cookie(db, desk.account_id).await;
    // Coworking seats 20 at 11:00: 20 passes, scanned 2–3 times each.
    let mut codes = Vec::new();
    for _ in 0..20 {
        let u = make_user(db, Role::Visitor, Some(center), "Walker W").await;
        let b = book_one(db, &u, pool.id, local(1, 11, 0)).await;
        codes.push(pass_of(db, b.id).await.code);
    }
    let reqs = (0..REQUESTS)
        .map(|i| {
            let code: String = form_urlencoded::byte_serialize(codes[i % 20].as_bytes()).collect();
            post("/api/scan", format!("code={code}"), Some(&cookie), i)
        })
        .collect();
    let answers = storm(&app, "50 scans", reqs).await;
    assert_eq!(count(&answers, |s| s.is_success()), REQUESTS);
    let admitted = check_in::Entity::find()
        .filter(check_in::Column::CenterId.eq(center))
        .count(db)
        .await
        .unwrap();
    assert!(
        admitted >= 20,
        "every member admitted once at least: {admitted}"
    );
    t.close().await;
}

on_both_databases!(
    registrations_at_once,
    consents_at_once,
    account_changes_at_once,
    tokens_at_once,
    bookings_at_once,
    scans_at_once,
);
