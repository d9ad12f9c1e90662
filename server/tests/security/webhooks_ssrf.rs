//! Webhooks as a way into the server's network (issue 20, item 13), secrets
//! kept at rest (item 16) and a language switch that writes on GET (item
//! 10). A director registers a URL; Ortalyq must never turn that into
//! requests to loopback, private ranges or the metadata service, at
//! registration or at delivery (a name that resolves inside, DNS
//! rebinding); plain HTTP only where the operator allows it; endpoint
//! changes are audited; a signing secret is shown only on request.

use std::sync::{Arc, Mutex};

use app::access::session::CurrentUser;
use app::domain::codes::{AuditKind, OutboxStatus};
use app::domain::egress::EgressPolicy;
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{audit_log, outbox, person, webhook_endpoint};
use app::webhooks::dto::WebhookForm;
use app::webhooks::service as webhooks;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use server::dispatch::{Dispatcher, Mailer};
use server::webhooks::Resolver;

use crate::common::callers::session_cookie;
use crate::common::http::{answer, fetch};
use crate::common::{center_id, make_user, now, Backend, TestDb};

/// A stand-in receiver on 127.0.0.1: its port and how many requests came.
async fn receiver() -> (u16, Arc<Mutex<usize>>) {
    let got = Arc::new(Mutex::new(0));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let seen = seen.clone();
            async move {
                *seen.lock().unwrap() += 1;
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (port, got)
}

fn dispatcher(db: &DatabaseConnection, t: &TestDb, egress: EgressPolicy) -> Dispatcher {
    Dispatcher::new(
        db.clone(),
        Mailer::Folder(t.dir.join("mail")),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap()
    .with_egress(egress)
}

fn form(url: &str, center: i32) -> WebhookForm {
    WebhookForm {
        url: url.into(),
        center: Some(center),
        events: vec!["check_in".into()],
    }
}

/// An endpoint row as an older version stored it (no check at the time),
/// or as a name that resolved elsewhere when it was registered.
async fn stored_endpoint(db: &DatabaseConnection, url: &str, center: i32) -> i32 {
    webhook_endpoint::ActiveModel {
        url: Set(url.into()),
        center_id: Set(Some(center)),
        events: Set("check_in".into()),
        secret: Set("whsec_test".into()),
        active: Set(true),
        consecutive_failures: Set(0),
        created_at: Set(now()),
        created_by: Set(None),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// Queue one check-in delivery to every subscribed endpoint.
async fn queue_delivery(db: &DatabaseConnection, center: i32) {
    app::notify::outbox::webhook(
        db,
        app::domain::webhook::WebhookEvent::CheckIn,
        center,
        serde_json::json!({}),
        now(),
    )
    .await
    .unwrap();
}

async fn delivery_of(db: &DatabaseConnection, endpoint: i32) -> outbox::Model {
    outbox::Entity::find()
        .filter(outbox::Column::EndpointId.eq(endpoint))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

fn problem(r: Result<app::webhooks::dto::CreatedWebhookDto, AppError>) -> Option<Problem> {
    match r {
        Err(AppError::Invalid { field, problem }) if field == "url" => Some(problem),
        _ => None,
    }
}

/// Loopback, private, link-local (metadata), CGNAT, IPv6 spellings of them
/// and inside names are refused at registration with a localized message,
/// and nothing is stored.
async fn registration_refuses_inside_targets(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let none = EgressPolicy::default();
    for url in [
        "https://127.0.0.1:5432/",
        "https://169.254.169.254/latest/meta-data/iam/",
        "https://10.0.0.7/hook",
        "https://192.168.1.1/",
        "https://172.20.0.2/",
        "https://100.64.0.1/",
        "https://[::1]:3000/",
        "https://[::ffff:169.254.169.254]/",
        "https://[fd00::5]/",
        "https://[fe80::1]/",
        "https://localhost:3000/",
        "https://api.localhost/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://postgres:5432/",
    ] {
        let r = webhooks::create(db, &director, form(url, regional), &none, now()).await;
        assert_eq!(problem(r), Some(Problem::UrlPrivate), "{url}");
    }
    // Spellings a URL parser reads as an address are not accepted at all.
    for url in ["https://2130706433/", "https://0x7f.1/", "https://127.1/"] {
        let r = webhooks::create(db, &director, form(url, regional), &none, now()).await;
        assert_eq!(problem(r), Some(Problem::Url), "{url}");
    }
    assert_eq!(webhook_endpoint::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(audit_log::Entity::find().count(db).await.unwrap(), 0);

    // Through the server fn: refused the same way, nothing stored.
    let app = server::router(crate::common::state(db));
    let cookie = format!(
        "{}; oq_lang=kk",
        session_cookie(db, director.account_id).await
    );
    let req = Request::post("/api/create_webhook")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!(
            "form[url]=https://169.254.169.254/latest&form[center]={regional}\
             &form[events][0]=check_in"
        )))
        .unwrap();
    let resp = answer(&app, req).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The answer names the problem; the page shows it in Kazakh.
    assert!(resp.text().contains("url_private"), "{}", resp.text());
    let kk = AppError::Invalid {
        field: "url".into(),
        problem: Problem::UrlPrivate,
    }
    .message(Locale::Kk);
    assert!(kk.contains("ішкі желіге"), "{kk}");
    assert_eq!(webhook_endpoint::Entity::find().count(db).await.unwrap(), 0);
    t.close().await;
}

/// A stored endpoint whose host is (or resolves to) loopback or the
/// metadata address is refused at delivery without a connection: the
/// receiver on 127.0.0.1 gets nothing, the row fails for good with a reason
/// that names no address. A name that resolved publicly at registration
/// and now points inside (DNS rebinding) is refused the same way.
async fn delivery_refuses_hosts_that_resolve_inside(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let (port, got) = receiver().await;
    // Plain HTTP is allowed for these hosts, so only the address check
    // stands between the delivery and the receiver.
    let http_only = EgressPolicy::from_lists("localhost,rebind.example.kz,169.254.169.254", "");
    let to_localhost =
        stored_endpoint(db, &format!("http://localhost:{port}/hook"), regional).await;
    let to_metadata =
        stored_endpoint(db, "http://169.254.169.254/latest/meta-data/", regional).await;
    // Registered while the name looked public; now it resolves to loopback.
    let rebinding = webhooks::create(
        db,
        &director,
        form(&format!("http://rebind.example.kz:{port}/hook"), regional),
        &http_only,
        now(),
    )
    .await
    .unwrap()
    .id;
    queue_delivery(db, regional).await;
    let d = dispatcher(db, &t, http_only).with_resolver(Resolver::Fixed(vec![
        ("localhost".into(), vec!["127.0.0.1".parse().unwrap()]),
        (
            "rebind.example.kz".into(),
            vec!["127.0.0.1".parse().unwrap()],
        ),
    ]));
    let stats = d.run_once(now()).await.unwrap();
    assert_eq!((stats.sent, stats.gave_up), (0, 3), "{stats:?}");
    assert_eq!(*got.lock().unwrap(), 0, "a request reached the receiver");
    for endpoint in [to_localhost, to_metadata, rebinding] {
        let row = delivery_of(db, endpoint).await;
        assert_eq!(row.status, OutboxStatus::Failed, "#{endpoint}");
        let error = row.last_error.unwrap_or_default();
        assert!(error.contains("not a public"), "#{endpoint}: {error}");
        assert!(!error.contains("127.0.0.1"), "{error}");
    }
    // With the system's own resolver `localhost` resolves to loopback and
    // is refused all the same (the other two fail on plain HTTP here).
    queue_delivery(db, regional).await;
    let d = dispatcher(db, &t, EgressPolicy::from_lists("localhost", ""));
    d.run_once(now()).await.unwrap();
    assert_eq!(*got.lock().unwrap(), 0, "a request reached the receiver");

    // Once the operator allows the name inside, the delivery goes to the
    // checked address (the name is not in any real DNS).
    let inside = EgressPolicy::from_lists("rebind.example.kz", "rebind.example.kz");
    queue_delivery(db, regional).await;
    let d = dispatcher(db, &t, inside).with_resolver(Resolver::Fixed(vec![(
        "rebind.example.kz".into(),
        vec!["127.0.0.1".parse().unwrap()],
    )]));
    d.run_once(now()).await.unwrap();
    assert_eq!(*got.lock().unwrap(), 1, "the allowed delivery arrives");
    t.close().await;
}

/// `http://` is refused at registration and at delivery unless the
/// operator names the host in ORTALYQ_WEBHOOK_ALLOW_HTTP.
async fn plain_http_only_where_the_operator_allows_it(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let none = EgressPolicy::default();
    let r = webhooks::create(
        db,
        &director,
        form("http://hooks.example.kz/x", regional),
        &none,
        now(),
    )
    .await;
    assert_eq!(problem(r), Some(Problem::UrlHttp));
    assert_eq!(webhook_endpoint::Entity::find().count(db).await.unwrap(), 0);
    let allowed = EgressPolicy::from_lists("hooks.example.kz", "");
    assert!(webhooks::create(
        db,
        &director,
        form("http://hooks.example.kz/x", regional),
        &allowed,
        now()
    )
    .await
    .is_ok());

    // At delivery: a stored http:// endpoint on a host allowed inside but
    // not over plain HTTP is refused; with both it is delivered.
    let (port, got) = receiver().await;
    let endpoint = stored_endpoint(db, &format!("http://127.0.0.1:{port}/hook"), regional).await;
    queue_delivery(db, regional).await;
    let private_only = EgressPolicy::from_lists("", "127.0.0.1");
    dispatcher(db, &t, private_only)
        .run_once(now())
        .await
        .unwrap();
    assert_eq!(*got.lock().unwrap(), 0);
    let row = delivery_of(db, endpoint).await;
    assert_eq!(row.status, OutboxStatus::Failed);
    assert!(row.last_error.unwrap_or_default().contains("plain http"));
    outbox::Entity::delete_many().exec(db).await.unwrap();
    queue_delivery(db, regional).await;
    let both = EgressPolicy::from_lists("127.0.0.1", "127.0.0.1");
    dispatcher(db, &t, both).run_once(now()).await.unwrap();
    assert_eq!(*got.lock().unwrap(), 1);
    assert_eq!(delivery_of(db, endpoint).await.status, OutboxStatus::Sent);
    t.close().await;
}

/// Registering, switching off and on, and showing a secret each leave an
/// audit row with who, which endpoint and its center; the URL's path (which
/// may carry a token) is not copied into the log.
async fn endpoint_changes_are_audited(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let none = EgressPolicy::default();
    let hook = webhooks::create(
        db,
        &director,
        form("https://hooks.example.kz/in/tok_9f8e7d", regional),
        &none,
        now(),
    )
    .await
    .unwrap();
    webhooks::set_active(db, &director, hook.id, false, now())
        .await
        .unwrap();
    webhooks::set_active(db, &director, hook.id, true, now())
        .await
        .unwrap();
    webhooks::reveal_secret(db, &director, hook.id, now())
        .await
        .unwrap();
    let rows = audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await
        .unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.kind, r.detail.as_str(), r.center_id, r.actor_account_id))
        .collect();
    let me = Some(director.account_id);
    assert_eq!(
        got,
        vec![
            (
                AuditKind::WebhookCreated,
                "https://hooks.example.kz:443 check_in",
                Some(regional),
                me
            ),
            (AuditKind::WebhookSwitched, "off", Some(regional), me),
            (AuditKind::WebhookSwitched, "on", Some(regional), me),
            (AuditKind::WebhookSecretShown, "", Some(regional), me),
        ]
    );
    let subject = format!("webhook {}", hook.id);
    assert!(rows.iter().all(|r| r.subject == subject));
    assert!(!rows.iter().any(|r| r.detail.contains("tok_")));
    // A refused change leaves no row.
    let temirtau = center_id(db, "temirtau").await;
    let other = make_user(db, Role::Director, Some(temirtau), "Elsewhere").await;
    assert!(webhooks::set_active(db, &other, hook.id, false, now())
        .await
        .is_err());
    assert_eq!(audit_log::Entity::find().count(db).await.unwrap(), 4);
    t.close().await;
}

/// The webhook page never carries a signing secret; the "show" form (a
/// POST, also without JavaScript) shows it to staff who manage the
/// endpoint, is never cached, and is refused from another site's page.
async fn the_secret_is_shown_only_on_request(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(crate::common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let cookie = session_cookie(db, director.account_id).await;
    let hook = webhooks::create(
        db,
        &director,
        form("https://hooks.example.kz/x", regional),
        &EgressPolicy::default(),
        now(),
    )
    .await
    .unwrap();
    let page = fetch(&app, "/director/webhooks", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("https://hooks.example.kz/x"), "listed");
    assert!(!html.contains(&hook.secret), "the secret is on the page");
    let path = format!("/director/webhooks/{}/secret", hook.id);
    assert!(html.contains(&format!("action=\"{path}\"")));
    // A link or a prefetch cannot show it.
    let get = fetch(&app, &path, Some(&cookie)).await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!get.text().contains(&hook.secret));
    // Nor can another site's page post the form.
    let post = |site: &'static str| {
        Request::post(&path)
            .header(header::COOKIE, &cookie)
            .header("sec-fetch-site", site)
            .body(Body::empty())
            .unwrap()
    };
    let cross = answer(&app, post("cross-site")).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert!(!cross.text().contains(&hook.secret));
    let shown = answer(&app, post("same-origin")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text().contains(&hook.secret));
    assert_eq!(shown.header(header::CACHE_CONTROL), "no-store");
    let shown_rows = audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(AuditKind::WebhookSecretShown))
        .count(db)
        .await
        .unwrap();
    assert_eq!(shown_rows, 1, "one showing, one audit row");
    t.close().await;
}

/// A guardian's consent code in the outbox: kept while the email waits,
/// blanked in the stored message once it is sent.
async fn a_sent_guardian_code_is_blanked_in_the_outbox(backend: Backend) {
    use app::membership::registration::validate;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let f = crate::common::fixtures::minor_registration(regional, Some("gulmira@mail.kz"));
    let minor = app::membership::members::register(db, &validate(&f, today).unwrap(), now())
        .await
        .unwrap();
    app::membership::members::send_guardian_code(
        db,
        &minor,
        today,
        now(),
        "https://ortalyq.example",
    )
    .await
    .unwrap();
    let row = outbox::Entity::find().one(db).await.unwrap().unwrap();
    let before: app::notify::outbox::Email = serde_json::from_str(&row.payload).unwrap();
    let code: String = before
        .text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_string();
    dispatcher(db, &t, EgressPolicy::default())
        .run_once(now())
        .await
        .unwrap();
    let row = outbox::Entity::find_by_id(row.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, OutboxStatus::Sent);
    assert!(!row.payload.contains(&code), "{}", row.payload);
    let after: app::notify::outbox::Email = serde_json::from_str(&row.payload).unwrap();
    assert_eq!(after.to, "gulmira@mail.kz");
    assert_eq!(after.text, before.text.replace(&code, "••••••"));
    // The code still works for the guardian: only the copy is gone.
    app::membership::members::confirm_guardian_code(
        db,
        "+7 701 444 55 66",
        &code,
        "1.2.3.4",
        now(),
    )
    .await
    .unwrap();
    t.close().await;
}

async fn lang_of(db: DatabaseConnection, person_id: i32) -> Locale {
    person::Entity::find_by_id(person_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .preferred_lang
}

/// `GET /lang/…` sets the cookie and goes back, but changes nothing in the
/// database; the switcher's POST saves a signed-in member's language, and a
/// cross-site POST is refused.
async fn get_lang_writes_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(crate::common::state(db));
    let member: CurrentUser = make_user(db, Role::Visitor, None, "Lang Member").await;
    let cookie = session_cookie(db, member.account_id).await;
    let lang = |db: &DatabaseConnection| lang_of(db.clone(), member.person_id);
    assert_eq!(lang(db).await, Locale::En);
    let got = fetch(&app, "/lang/kk?back=/my", Some(&cookie)).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert_eq!(got.header(header::LOCATION), "/my");
    assert!(got.cookies().iter().any(|c| c.starts_with("oq_lang=kk")));
    assert_eq!(lang(db).await, Locale::En, "a GET changed the account");

    let post = |site: &'static str| {
        Request::post("/lang/ru?back=/my")
            .header(header::COOKIE, &cookie)
            .header("sec-fetch-site", site)
            .body(Body::empty())
            .unwrap()
    };
    let cross = answer(&app, post("cross-site")).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(lang(db).await, Locale::En);
    let saved = answer(&app, post("same-origin")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.header(header::LOCATION), "/my");
    assert_eq!(lang(db).await, Locale::Ru);
    t.close().await;
}

on_both_databases!(
    registration_refuses_inside_targets,
    delivery_refuses_hosts_that_resolve_inside,
    plain_http_only_where_the_operator_allows_it,
    endpoint_changes_are_audited,
    the_secret_is_shown_only_on_request,
    a_sent_guardian_code_is_blanked_in_the_outbox,
    get_lang_writes_nothing,
);
