//! The REST API (`/api/v1`) as an outside program uses it, against SQLite
//! and PostgreSQL: a token made by an admin, the catalogue, booking for a
//! member, passes, check-in from a kiosk, cancelling; and the refusals
//! (no token, wrong scope, other center, revoked token, rate limit, bad
//! bodies), the OpenAPI document and its docs page.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::audit::dto::{AuditKind, AuditQuery};
use app::domain::people::Role;
use app::integrations::dto::ApiTokenForm;
use app::integrations::service as tokens;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{center_id, local, make_user, now, space_of, Backend, TestDb};
use http_body_util::BodyExt;
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
    text: String,
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Resp {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Resp {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

async fn token(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    name: &str,
    center: i32,
    scopes: &[&str],
    rate: &str,
) -> String {
    tokens::create(
        db,
        admin,
        &ApiTokenForm {
            name: name.into(),
            center_id: center.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            rate_per_minute: rate.into(),
        },
        now(),
    )
    .await
    .unwrap()
}

async fn member_email(db: &DatabaseConnection, person_id: i32) -> String {
    use sea_orm::EntityTrait;
    app::model::person::Entity::find_by_id(person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .email
        .unwrap()
}

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn an_outside_program_books_and_checks_in(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let admin = make_user(db, Role::Admin, None, "Aigerim Admin").await;
    let regional = center_id(db, "karaganda-regional").await;
    let cowork = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Dana Bekova").await;
    let email = member_email(db, member.person_id).await;
    let bot = token(db, &admin, "Telegram bot", regional, &["read", "book"], "").await;
    let kiosk = token(db, &admin, "Door kiosk", regional, &["check_in"], "").await;

    let me = call(&app, "GET", "/api/v1/me", Some(&bot), None, &[]).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["name"], "Telegram bot");
    assert_eq!(me.body["scopes"], json!(["read", "book"]));
    assert_eq!(me.body["rate_per_minute"], 120);

    // The catalogue, in the language asked for.
    let centers = call(
        &app,
        "GET",
        "/api/v1/centers",
        Some(&bot),
        None,
        &[("accept-language", "ru")],
    )
    .await;
    assert_eq!(centers.status, StatusCode::OK);
    let list = centers.body.as_array().unwrap();
    assert!(list.len() >= 3);
    assert!(list
        .iter()
        .any(|c| c["id"] == regional && c["is_regional"] == true));
    let spaces = call(
        &app,
        "GET",
        &format!("/api/v1/centers/{regional}/spaces"),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(spaces.status, StatusCode::OK);
    assert!(spaces
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == cowork.id && s["kind"] == "coworking"));

    let avail = call(
        &app,
        "GET",
        &format!("/api/v1/spaces/{}/availability?week=0", cowork.id),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(avail.status, StatusCode::OK, "{}", avail.text);
    assert_eq!(avail.body["timezone"], "Asia/Almaty");
    let eleven = rfc(local(1, 11, 0));
    let slot = avail.body["days"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["starts_at"] == eleven.as_str())
        .cloned()
        .expect("the 11:00 slot is offered");
    let free_before = slot["remaining"].as_i64().unwrap();
    assert!(free_before > 0);

    // Find the member and book for them, twice with one idempotency key.
    let found = call(
        &app,
        "GET",
        &format!("/api/v1/members?login={}", email.to_uppercase()),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    assert_eq!(found.body["id"], member.person_id);
    assert_eq!(found.body["short_name"], "Dana B.");
    // A member of another center is unknown to this center's token.
    let temirtau = center_id(db, "temirtau").await;
    let far = make_user(db, Role::Visitor, Some(temirtau), "Far Member").await;
    let far_email = member_email(db, far.person_id).await;
    let hidden = call(
        &app,
        "GET",
        &format!("/api/v1/members?login={far_email}"),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    let new = json!({"member_id": member.person_id, "space_id": cowork.id, "starts_at": eleven});
    let booked = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&bot),
        Some(new.clone()),
        &[("idempotency-key", "tg-update-4411")],
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    assert_eq!(booked.body["status"], "confirmed");
    assert_eq!(booked.body["member_id"], member.person_id);
    assert_eq!(booked.body["space_id"], cowork.id);
    assert_eq!(booked.body["pass"]["booking_id"], booked.body["id"]);
    // The whole answer an outside program gets: the REST contract of a
    // booking and its pass. Ids and the signed code differ between SQLite
    // and PostgreSQL (the ids are checked just above).
    insta::assert_json_snapshot!("api_booking_created", booked.body, {
        ".id" => "[booking id]",
        ".member_id" => "[person id]",
        ".space_id" => "[space id]",
        ".pass.id" => "[pass id]",
        ".pass.code" => "[signed pass code]",
        ".pass.booking_id" => "[booking id]",
    });
    let code = booked.body["pass"]["code"].as_str().unwrap().to_string();
    let again = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&bot),
        Some(new),
        &[("idempotency-key", "tg-update-4411")],
    )
    .await;
    assert_eq!(
        again.body["id"], booked.body["id"],
        "a retried request books once"
    );
    let after = call(
        &app,
        "GET",
        &format!("/api/v1/spaces/{}/availability", cowork.id),
        Some(&bot),
        None,
        &[],
    )
    .await;
    let left = after.body["days"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["starts_at"] == eleven.as_str())
        .unwrap()["remaining"]
        .as_i64()
        .unwrap();
    assert_eq!(left, free_before - 1);

    // The member's passes carry the code; the kiosk admits it once.
    let passes = call(
        &app,
        "GET",
        &format!("/api/v1/members/{}/passes", member.person_id),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(passes.status, StatusCode::OK);
    assert!(passes
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == code.as_str()));
    let first = call(
        &app,
        "POST",
        "/api/v1/check-ins",
        Some(&kiosk),
        Some(json!({"code": code})),
        &[],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["admitted"], true);
    assert_eq!(first.body["code"], "admitted");
    assert_eq!(first.body["holder"], "Dana B.");
    let second = call(
        &app,
        "POST",
        "/api/v1/check-ins",
        Some(&kiosk),
        Some(json!({"code": code})),
        &[("accept-language", "kk")],
    )
    .await;
    assert_eq!(second.body["admitted"], false);
    assert_eq!(second.body["code"], "already_checked_in");
    // The audit log names the integration as the one who admitted.
    let log = app::audit::service::list(
        db,
        &admin,
        AuditQuery {
            kind: Some(AuditKind::CheckIn.as_str().into()),
            ..Default::default()
        },
        now(),
        app::i18n::Locale::En,
    )
    .await
    .unwrap();
    assert!(
        log.rows.iter().any(|r| r.actor == "API: Door kiosk"),
        "{:?}",
        log.rows
    );

    // Cancel another booking: its pass goes, the slot is free again.
    let later = json!({"member_id": member.person_id, "space_id": cowork.id, "starts_at": rfc(local(1, 15, 0))});
    let b2 = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&bot),
        Some(later),
        &[],
    )
    .await;
    assert_eq!(b2.status, StatusCode::CREATED, "{}", b2.text);
    let id = b2.body["id"].as_i64().unwrap();
    let del = call(
        &app,
        "DELETE",
        &format!("/api/v1/bookings/{id}"),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.text);
    let gone = call(
        &app,
        "GET",
        &format!("/api/v1/bookings/{id}"),
        Some(&bot),
        None,
        &[],
    )
    .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert_eq!(gone.body["status"], "cancelled");
    assert_eq!(gone.body["pass"], Value::Null);

    // Bookings follow the member's rules: the lecture hall needs a purpose
    // and then waits for approval, without a pass.
    let hall = space_of(db, regional, "lecture_hall").await;
    let ask = |purpose: Option<&str>| {
        let mut b = json!({"member_id": member.person_id, "space_id": hall.id, "starts_at": rfc(local(4, 15, 0))});
        if let Some(p) = purpose {
            b["purpose"] = json!(p);
        }
        b
    };
    let no_purpose = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&bot),
        Some(ask(None)),
        &[],
    )
    .await;
    assert_eq!(
        no_purpose.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_purpose.text
    );
    assert_eq!(no_purpose.body["code"], "invalid");
    assert_eq!(no_purpose.body["field"], "purpose");
    let pending = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&bot),
        Some(ask(Some("Oratory club final"))),
        &[],
    )
    .await;
    assert_eq!(pending.status, StatusCode::CREATED, "{}", pending.text);
    assert_eq!(pending.body["status"], "pending");
    assert_eq!(pending.body["pass"], Value::Null);

    // The integrations are not listed as staff.
    let staff = app::membership::staff::list_staff(db, app::i18n::Locale::En)
        .await
        .unwrap();
    assert!(staff.iter().all(|s| !s.full_name.starts_with("API: ")));
    t.close().await;
}

async fn refusals_are_json_with_the_ui_codes(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let admin = make_user(db, Role::Admin, None, "Aigerim Admin").await;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let cowork = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Dana Bekova").await;
    let reader = token(db, &admin, "Akimat dashboard", regional, &["read"], "").await;
    let other = token(
        db,
        &admin,
        "Temirtau bot",
        temirtau,
        &["read", "book", "check_in"],
        "",
    )
    .await;
    let booking = json!({"member_id": member.person_id, "space_id": cowork.id, "starts_at": rfc(local(1, 11, 0))});

    // No token, a token-shaped stranger, and not a token at all.
    let none = call(&app, "GET", "/api/v1/centers", None, None, &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["code"], "not_authenticated");
    assert!(none.headers.contains_key(header::WWW_AUTHENTICATE));
    let stranger = format!("oqk_{}", "a".repeat(32));
    assert_eq!(
        call(&app, "GET", "/api/v1/centers", Some(&stranger), None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&app, "GET", "/api/v1/centers", Some("hunter2"), None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // A read-only token cannot book; the message follows Accept-Language.
    let denied = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&reader),
        Some(booking.clone()),
        &[("accept-language", "ru")],
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.body["code"], "forbidden");
    assert_eq!(
        denied.body["message"],
        app::error::AppError::Forbidden.message(app::i18n::Locale::Ru)
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/v1/check-ins",
            Some(&reader),
            Some(json!({"code": "x"})),
            &[]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Another center's token: the space and the booking are not found.
    let elsewhere = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&other),
        Some(booking.clone()),
        &[],
    )
    .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "{}",
        elsewhere.text
    );
    let ours = token(db, &admin, "Regional bot", regional, &["book"], "").await;
    let made = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&ours),
        Some(booking.clone()),
        &[],
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = made.body["id"].as_i64().unwrap();
    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/api/v1/bookings/{id}"),
            Some(&other),
            None,
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(
            &app,
            "DELETE",
            &format!("/api/v1/bookings/{id}"),
            Some(&other),
            None,
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // …and its kiosk does not admit this center's pass.
    let code = made.body["pass"]["code"].as_str().unwrap();
    let v = call(
        &app,
        "POST",
        "/api/v1/check-ins",
        Some(&other),
        Some(json!({"code": code})),
        &[],
    )
    .await;
    assert_eq!(v.body["admitted"], false, "{}", v.text);
    assert_eq!(v.body["code"], "other_center");
    // Its passes list leaves out the other center's passes.
    let theirs = call(
        &app,
        "GET",
        &format!("/api/v1/members/{}/passes", member.person_id),
        Some(&other),
        None,
        &[],
    )
    .await;
    assert_eq!(theirs.body, json!([]));

    // Bad bodies and values: 4xx JSON, nothing booked.
    let bad_json = call(&app, "POST", "/api/v1/bookings", Some(&ours), None, &[]).await;
    assert_eq!(bad_json.status.as_u16() / 100, 4, "{}", bad_json.text);
    assert_eq!(bad_json.body["code"], "invalid_input");
    let bad_time = call(&app, "POST", "/api/v1/bookings", Some(&ours), Some(json!({"member_id": member.person_id, "space_id": cowork.id, "starts_at": "tomorrow 3pm"})), &[]).await;
    assert_eq!(bad_time.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_time.body["field"], "starts_at");
    let wrong_type = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&ours),
        Some(
            json!({"member_id": "Dana", "space_id": cowork.id, "starts_at": rfc(local(1, 12, 0))}),
        ),
        &[],
    )
    .await;
    assert_eq!(
        wrong_type.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong_type.text
    );
    let not_member = call(&app, "POST", "/api/v1/bookings", Some(&ours), Some(json!({"member_id": admin.person_id, "space_id": cowork.id, "starts_at": rfc(local(1, 12, 0))})), &[]).await;
    assert_eq!(
        not_member.status,
        StatusCode::NOT_FOUND,
        "staff are not booked through the API"
    );
    assert_eq!(
        call(&app, "GET", "/api/v1/bookings/abc", Some(&ours), None, &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/v1/members?login=not-a-login",
            Some(&ours),
            None,
            &[]
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown = call(&app, "GET", "/api/v1/no-such-thing", Some(&ours), None, &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "not_found");
    let mine =
        app::booking::listing::my_bookings(db, member.person_id, now(), app::i18n::Locale::En)
            .await
            .unwrap();
    assert_eq!(mine.len(), 1, "only the one good request booked");

    // Revoked: refused from the next request on; audited.
    let list = tokens::list(db, &admin, app::i18n::Locale::En)
        .await
        .unwrap();
    let row = list
        .tokens
        .iter()
        .find(|r| r.name == "Regional bot")
        .unwrap();
    assert!(ours.starts_with(&row.shown));
    assert!(row.last_used.is_some());
    tokens::revoke(db, &admin, row.id, now()).await.unwrap();
    assert_eq!(
        call(&app, "GET", "/api/v1/me", Some(&ours), None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let log = app::audit::service::list(
        db,
        &admin,
        AuditQuery::default(),
        now(),
        app::i18n::Locale::En,
    )
    .await
    .unwrap();
    assert!(log.rows.iter().any(|r| r.kind == "api_token_revoked"));
    assert!(log.rows.iter().any(|r| r.kind == "api_token_created"));

    // Only admins manage tokens; the form is checked.
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    assert_eq!(
        tokens::list(db, &director, app::i18n::Locale::En)
            .await
            .err(),
        Some(app::error::AppError::Forbidden)
    );
    let no_scope = tokens::create(
        db,
        &admin,
        &ApiTokenForm {
            name: "Bot".into(),
            center_id: regional.to_string(),
            ..Default::default()
        },
        now(),
    )
    .await;
    assert!(
        matches!(no_scope, Err(app::error::AppError::Invalid { ref field, .. }) if field == "scopes")
    );
    let bad_rate = tokens::create(
        db,
        &admin,
        &ApiTokenForm {
            name: "Bot".into(),
            center_id: regional.to_string(),
            scopes: vec!["read".into()],
            rate_per_minute: "0".into(),
        },
        now(),
    )
    .await;
    assert!(
        matches!(bad_rate, Err(app::error::AppError::Invalid { ref field, .. }) if field == "rate_per_minute")
    );
    let bad_scope = tokens::create(
        db,
        &admin,
        &ApiTokenForm {
            name: "Bot".into(),
            center_id: regional.to_string(),
            scopes: vec!["admin".into()],
            ..Default::default()
        },
        now(),
    )
    .await;
    assert!(
        matches!(bad_scope, Err(app::error::AppError::Invalid { ref field, .. }) if field == "scopes")
    );
    t.close().await;
}

async fn each_token_has_its_own_rate_limit(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let admin = make_user(db, Role::Admin, None, "Aigerim Admin").await;
    let regional = center_id(db, "karaganda-regional").await;
    let slow = token(db, &admin, "Slow kiosk", regional, &["read"], "3").await;
    let fast = token(db, &admin, "Fast bot", regional, &["read"], "").await;
    for _ in 0..3 {
        assert_eq!(
            call(&app, "GET", "/api/v1/me", Some(&slow), None, &[])
                .await
                .status,
            StatusCode::OK
        );
    }
    let over = call(&app, "GET", "/api/v1/me", Some(&slow), None, &[]).await;
    assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(over.body["code"], "rate_limited");
    let wait: u32 = over.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // The app clock stands at the start of a minute: a whole window to wait.
    assert_eq!(wait, 60);
    assert_eq!(
        call(&app, "GET", "/api/v1/me", Some(&fast), None, &[])
            .await
            .status,
        StatusCode::OK
    );
    // A second app instance on the same database shares the count.
    let other_instance = server::router(common::state(db));
    assert_eq!(
        call(&other_instance, "GET", "/api/v1/me", Some(&slow), None, &[])
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Retry-After counts to the next window by the app clock (42 s into
    // the minute: 18 s left), whatever the system clock says.
    let mut late_in_window = common::state(db);
    late_in_window.clock = app::state::Clock::Frozen(now() + chrono::Duration::seconds(42));
    let over = call(
        &server::router(late_in_window),
        "GET",
        "/api/v1/me",
        Some(&slow),
        None,
        &[],
    )
    .await;
    assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(over.headers[header::RETRY_AFTER], "18");
    // The next minute is a new window.
    let mut next_minute = common::state(db);
    next_minute.clock = app::state::Clock::Frozen(now() + chrono::Duration::seconds(61));
    let later = server::router(next_minute);
    assert_eq!(
        call(&later, "GET", "/api/v1/me", Some(&slow), None, &[])
            .await
            .status,
        StatusCode::OK
    );
    t.close().await;
}

async fn the_openapi_document_covers_every_route(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc.body["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let mut ops = Vec::new();
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    ops.sort();
    // OpenAPI 3.1 requires a description on every response: a client
    // generator or validator rejects the document without one.
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                let text = response["description"].as_str().unwrap_or("");
                assert!(
                    !text.trim().is_empty(),
                    "{method} {path} {status} has no description"
                );
            }
        }
    }
    assert_eq!(
        ops,
        vec![
            "DELETE /api/v1/bookings/{id}",
            "GET /api/v1/bookings/{id}",
            "GET /api/v1/centers",
            "GET /api/v1/centers/{id}/spaces",
            "GET /api/v1/me",
            "GET /api/v1/members",
            "GET /api/v1/members/{id}/passes",
            "GET /api/v1/spaces/{id}/availability",
            "POST /api/v1/bookings",
            "POST /api/v1/check-ins",
        ]
    );
    // Every documented operation is served and asks for a token.
    for op in &ops {
        let (method, path) = op.split_once(' ').unwrap();
        let r = call(&app, method, &path.replace("{id}", "1"), None, None, &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{op}: {}", r.text);
        assert_eq!(r.body["code"], "not_authenticated", "{op}");
    }
    // The docs page shows every path, without scripts.
    let page = call(&app, "GET", "/api/v1/docs", None, None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    for op in &ops {
        let path = op.split_once(' ').unwrap().1;
        assert!(
            page.text.contains(&format!("<code>{path}</code>")),
            "{path} on the docs page"
        );
    }
    assert!(!page.text.contains("<script"));
    t.close().await;
}

/// Many requests at once from two instances at the turn of a window: the
/// count is never lost nor forgiven, exactly the limit get through.
async fn the_rate_limit_holds_under_concurrent_requests(backend: Backend) {
    use app::error::AppError;
    use sea_orm::EntityTrait;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let admin = make_user(db, Role::Admin, None, "Aigerim Admin").await;
    let regional = center_id(db, "karaganda-regional").await;
    let kiosk = token(db, &admin, "Door kiosk", regional, &["read"], "5").await;
    // Used in the minute before: this minute's first requests open a new
    // window.
    let before = tokens::authenticate(db, &kiosk, now() - chrono::Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(before.user.full_name, "API: Door kiosk");
    assert_eq!(before.center_id, regional);
    let other = server::db::connect(&t.url).await.unwrap();
    let calls: Vec<_> = (0..16)
        .map(|i| {
            let conn = if i % 2 == 0 {
                db.clone()
            } else {
                other.clone()
            };
            let kiosk = kiosk.clone();
            tokio::spawn(async move { tokens::authenticate(&conn, &kiosk, now()).await })
        })
        .collect();
    let mut results = Vec::new();
    for call in calls {
        results.push(call.await.unwrap());
    }
    let admitted = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(admitted, 5, "{results:?}");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(e, AppError::RateLimited { .. })));
    let row = app::model::api_token::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.window_count, 16, "every request was counted");
    assert_eq!(row.last_used_at, Some(now()));
    // A revoked token is refused on its very next request.
    tokens::revoke(db, &admin, row.id, now()).await.unwrap();
    assert_eq!(
        tokens::authenticate(&other, &kiosk, now() + chrono::Duration::minutes(5))
            .await
            .unwrap_err(),
        AppError::NotAuthenticated
    );
    other.close().await.unwrap();
    t.close().await;
}

on_both_databases!(
    an_outside_program_books_and_checks_in,
    refusals_are_json_with_the_ui_codes,
    each_token_has_its_own_rate_limit,
    the_rate_limit_holds_under_concurrent_requests,
    the_openapi_document_covers_every_route,
);
