//! Notifications and webhooks through the outbox, on SQLite and
//! PostgreSQL: what an event queues (in the member's language, with the
//! calendar file), that a refused action queues nothing, signed webhook
//! deliveries with retries, endpoints switched off after repeated failure,
//! delivery after a restart, two dispatchers never sending a row twice,
//! email through a real SMTP conversation, and the retention purge.

#[macro_use]
mod common;

use std::sync::{Arc, Mutex};

use app::access::session::CurrentUser;
use app::booking::service as booking;
use app::booking::{changes, messages};
use app::domain::egress::EgressPolicy;
use app::domain::people::Role;
use app::domain::webhook::WebhookEvent;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{outbox, person, webhook_endpoint};
use app::notify::outbox::Email;
use app::webhooks::dto::WebhookForm;
use app::webhooks::service as webhooks;
use axum::http::{HeaderMap, StatusCode};
use chrono::Duration;
use common::callers::session_cookie;
use common::fixtures::booking_request as req;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use server::dispatch::{verify_signature, Dispatcher, Mailer};

/// What the test receiver got: headers and body of each request.
type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A webhook receiver on a free local port: answers the first `fail_first`
/// requests with 500, then 200. Returns its URL and what it received.
async fn receiver(fail_first: usize) -> (String, Received) {
    let got: Received = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let mut v = seen.lock().unwrap();
                v.push((headers, body));
                if v.len() <= fail_first {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}/hook"), got)
}

/// The operator setting the tests need: the stand-in receivers listen on
/// plain HTTP at 127.0.0.1.
fn local_hooks() -> EgressPolicy {
    EgressPolicy::from_lists("127.0.0.1", "127.0.0.1")
}

fn dispatcher(db: &DatabaseConnection, dir: &std::path::Path) -> Dispatcher {
    Dispatcher::new(
        db.clone(),
        Mailer::Folder(dir.join("mail")),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap()
    .with_egress(local_hooks())
}

async fn register(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    url: &str,
    center: Option<i32>,
    events: &[WebhookEvent],
) -> (i32, String) {
    let created = webhooks::create(
        db,
        admin,
        WebhookForm {
            url: url.into(),
            center,
            events: events.iter().map(|e| e.as_str().to_string()).collect(),
        },
        &local_hooks(),
        now(),
    )
    .await
    .unwrap();
    (created.id, created.secret)
}

async fn rows(db: &DatabaseConnection, kind: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
}

fn email_of(row: &outbox::Model) -> Email {
    serde_json::from_str(&row.payload).unwrap()
}

async fn set_lang(db: &DatabaseConnection, person_id: i32, lang: &str, email: Option<&str>) {
    let mut p = person::Entity::find_by_id(person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.preferred_lang = Set(app::i18n::Locale::parse(lang).unwrap());
    p.email = Set(email.map(str::to_string));
    p.update(db).await.unwrap();
}

async fn booking_queues_email_with_calendar_and_webhook(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (here, _) = register(
        db,
        &admin,
        "https://hooks.example.kz/a",
        Some(regional),
        &[WebhookEvent::BookingCreated, WebhookEvent::BookingCancelled],
    )
    .await;
    // Another center's endpoint and one not subscribed: told nothing.
    register(
        db,
        &admin,
        "https://hooks.example.kz/b",
        Some(temirtau),
        &WebhookEvent::ALL,
    )
    .await;
    register(
        db,
        &admin,
        "https://hooks.example.kz/c",
        None,
        &[WebhookEvent::CheckIn],
    )
    .await;

    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Sadykova").await;
    set_lang(db, member.person_id, "ru", Some("aigerim@example.kz")).await;
    let b = booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .clone();

    let mails = rows(db, "email").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient, "aigerim@example.kz");
    assert_eq!(mails[0].status.as_str(), "pending");
    let mail = email_of(&mails[0]);
    assert!(
        mail.subject.starts_with("Бронирование подтверждено"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text.starts_with("Здравствуйте, Aigerim!"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("11:00–12:00"), "{}", mail.text);
    let ics = mail.attachment.expect("the calendar file is attached");
    assert_eq!(ics.content_type, "text/calendar; charset=utf-8");
    assert!(ics.content.contains("BEGIN:VCALENDAR"));
    assert!(ics
        .content
        .contains(&format!("UID:booking-{}@ortalyq", b.id)));

    let hooks = rows(db, "webhook").await;
    assert_eq!(
        hooks.len(),
        1,
        "only the regional endpoint subscribed to it"
    );
    assert_eq!(hooks[0].endpoint_id, Some(here));
    assert_eq!(hooks[0].event, "booking.created");
    let body: serde_json::Value = serde_json::from_str(&hooks[0].payload).unwrap();
    assert_eq!(body["event"], "booking.created");
    assert_eq!(body["center_id"], regional);
    assert_eq!(body["data"]["booking_id"], b.id);
    // Webhooks carry the member number, never a name or contact.
    assert!(!hooks[0].payload.contains("Aigerim"));

    // A refused booking (the slot is taken) queues nothing.
    let other = make_user(db, Role::Visitor, Some(regional), "Bolat B").await;
    assert_eq!(
        booking::book_request(
            db,
            &keys(),
            &other,
            None,
            req(studio.id, local(2, 11, 0)),
            now()
        )
        .await
        .unwrap_err(),
        AppError::SlotFull
    );
    assert_eq!(outbox::Entity::find().count(db).await.unwrap(), 2);

    // Someone without an email address: no email, no error; the webhook still.
    set_lang(db, other.person_id, "kk", None).await;
    booking::book_request(
        db,
        &keys(),
        &other,
        None,
        req(studio.id, local(2, 15, 0)),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(rows(db, "email").await.len(), 1);
    assert_eq!(rows(db, "webhook").await.len(), 2);

    // Cancelling tells the webhook.
    changes::cancel(db, &member, b.id, now()).await.unwrap();
    let hooks = rows(db, "webhook").await;
    assert_eq!(hooks.last().unwrap().event, "booking.cancelled");
    t.close().await;
}

async fn decisions_and_promotions_are_emailed(backend: Backend) {
    use app::clubs::dto::EventForm;
    use app::clubs::events;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let podcast = space_of(db, regional, "podcast_studio").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Dana Omarova").await;
    set_lang(db, member.person_id, "kk", Some("dana@example.kz")).await;

    // A request waiting for approval is not confirmed by email yet.
    let mut r = req(hall.id, local(4, 15, 0));
    r.party = 20;
    r.purpose = Some("Debate".into());
    let asked = booking::book_request(db, &keys(), &member, None, r.clone(), now())
        .await
        .unwrap()
        .bookings[0]
        .id;
    assert!(rows(db, "email").await.is_empty());
    changes::decide(
        db,
        &keys(),
        &desk,
        asked,
        false,
        "The hall is being painted",
        now(),
    )
    .await
    .unwrap();
    let mails = rows(db, "email").await;
    assert_eq!(mails.len(), 1);
    let denied = email_of(&mails[0]);
    assert!(
        denied.subject.starts_with("Сұраныс қабылданбады"),
        "{}",
        denied.subject
    );
    assert!(denied.text.contains("The hall is being painted"));
    assert!(denied.attachment.is_none());

    r.starts_at = local(5, 15, 0);
    let asked = booking::book_request(db, &keys(), &member, None, r, now())
        .await
        .unwrap()
        .bookings[0]
        .id;
    changes::decide(db, &keys(), &desk, asked, true, "", now())
        .await
        .unwrap();
    let approved = email_of(rows(db, "email").await.last().unwrap());
    assert!(
        approved.subject.starts_with("Сұраныс мақұлданды"),
        "{}",
        approved.subject
    );
    assert!(approved
        .attachment
        .unwrap()
        .content
        .contains(&format!("UID:booking-{asked}@ortalyq")));

    // Waitlist promotion at an event.
    let ev = events::create(
        db,
        &director,
        &EventForm {
            space_id: podcast.id,
            name_en: "Podcast recording".into(),
            name_ru: "Запись подкаста".into(),
            name_kk: "Подкаст жазу".into(),
            direction: "media".into(),
            date: "2026-12-03".into(),
            start_time: "15:00".into(),
            duration_minutes: 120,
            capacity: 1,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    let first = make_user(db, Role::Visitor, Some(regional), "Erlan E").await;
    events::register(db, &keys(), &first, ev, now())
        .await
        .unwrap();
    events::register(db, &keys(), &member, ev, now())
        .await
        .unwrap();
    let before = rows(db, "email").await.len();
    events::cancel(db, &keys(), &first, ev, now())
        .await
        .unwrap();
    let mails = rows(db, "email").await;
    assert_eq!(mails.len(), before + 1);
    let promoted = email_of(mails.last().unwrap());
    assert_eq!(promoted.to, "dana@example.kz");
    assert!(
        promoted.subject.contains("Подкаст жазу"),
        "{}",
        promoted.subject
    );
    assert!(promoted.text.contains(&format!("/events/{ev}")));

    // A program application decision.
    let analytics = app::model::program::Entity::find()
        .filter(app::model::program::Column::NameRu.eq("Школа аналитики"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let waiting = app::model::program_application::Entity::find()
        .filter(app::model::program_application::Column::ProgramId.eq(analytics.id))
        .filter(app::model::program_application::Column::Status.eq("submitted"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    set_lang(db, waiting.person_id, "en", Some("applicant@example.kz")).await;
    app::programs::review::decide(
        db,
        &desk,
        waiting.id,
        false,
        "The cohort is for analysts",
        now(),
    )
    .await
    .unwrap();
    let decided = email_of(rows(db, "email").await.last().unwrap());
    assert_eq!(decided.to, "applicant@example.kz");
    assert!(
        decided.subject.starts_with("Application declined"),
        "{}",
        decided.subject
    );
    assert!(decided.text.contains("The cohort is for analysts"));
    t.close().await;
}

async fn reminders_are_queued_once_when_the_door_opens(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Nurlan N").await;
    booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(1, 14, 0)),
        now(),
    )
    .await
    .unwrap();
    let opens = local(1, 14, 0) - Duration::minutes(i64::from(studio.checkin_open_minutes));
    assert_eq!(
        messages::queue_checkin_reminders(db, opens - Duration::minutes(1))
            .await
            .unwrap(),
        0,
        "not before the door opens"
    );
    assert_eq!(
        messages::queue_checkin_reminders(db, opens).await.unwrap(),
        1
    );
    // Again (another instance, the next minute): not twice.
    assert_eq!(
        messages::queue_checkin_reminders(db, opens + Duration::minutes(1))
            .await
            .unwrap(),
        0
    );
    let mails = rows(db, "email").await;
    assert_eq!(mails.len(), 2);
    let reminder = email_of(&mails[1]);
    assert!(
        reminder.subject.starts_with("Check-in is open"),
        "{}",
        reminder.subject
    );
    t.close().await;
}

async fn webhooks_are_signed_and_retried_with_backoff(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (url, got) = receiver(1).await;
    let (endpoint, secret) = register(
        db,
        &admin,
        &url,
        Some(regional),
        &[WebhookEvent::BookingCreated],
    )
    .await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aliya A").await;
    let b = booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .clone();
    let d = dispatcher(db, &t.dir);

    // First attempt: the receiver answers 500. The email goes out.
    let s = d.run_once(now()).await.unwrap();
    assert_eq!((s.sent, s.failed, s.gave_up), (1, 1, 0));
    let hook = rows(db, "webhook").await.remove(0);
    assert_eq!(hook.status.as_str(), "pending");
    assert_eq!(hook.attempts, 1);
    assert_eq!(hook.response_code, Some(500));
    assert_eq!(hook.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(hook.next_attempt_at, now() + Duration::seconds(30));
    let e = webhook_endpoint::Entity::find_by_id(endpoint)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.consecutive_failures, 1);

    // Not due yet: nothing is sent.
    assert_eq!(
        d.run_once(now() + Duration::seconds(10))
            .await
            .unwrap()
            .sent,
        0
    );
    assert_eq!(got.lock().unwrap().len(), 1);

    // After the backoff: delivered.
    let later = now() + Duration::seconds(31);
    assert_eq!(d.run_once(later).await.unwrap().sent, 1);
    let hook = rows(db, "webhook").await.remove(0);
    assert_eq!((hook.status.as_str(), hook.attempts), ("sent", 2));
    assert_eq!(hook.response_code, Some(200));
    assert_eq!(hook.last_error, None);
    let e = webhook_endpoint::Entity::find_by_id(endpoint)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.consecutive_failures, 0);

    // The receiver can check what it got.
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let (headers, body) = &received[1];
    assert_eq!(received[0].1, *body, "a retry sends the same body");
    let sig = headers["x-ortalyq-signature"].to_str().unwrap();
    assert!(
        sig.starts_with(&format!("t={},v1=", later.timestamp())),
        "{sig}"
    );
    assert!(verify_signature(&secret, sig, body, later.timestamp(), 300));
    assert!(!verify_signature(
        "whsec_wrong",
        sig,
        body,
        later.timestamp(),
        300
    ));
    assert!(!verify_signature(
        &secret,
        sig,
        &body.replace("booking.created", "booking.cancelled"),
        later.timestamp(),
        300
    ));
    assert_eq!(headers["x-ortalyq-event"], "booking.created");
    assert_eq!(headers["x-ortalyq-delivery"], hook.id.to_string().as_str());
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["data"]["booking_id"], b.id);

    // The email was written to the development folder, .ics attached.
    let mail_dir = t.dir.join("mail");
    let files: Vec<_> = std::fs::read_dir(&mail_dir).unwrap().collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert!(
        eml.contains(&format!("ortalyq-booking-{}.ics", b.id)),
        "{eml}"
    );
    assert!(eml.contains("text/calendar"), "{eml}");

    // The delivery log, as the page shows it.
    let page = webhooks::list(db, &admin, Locale::En).await.unwrap();
    assert_eq!(page.deliveries.len(), 1);
    assert_eq!(page.deliveries[0].status.as_str(), "sent");
    assert_eq!(page.deliveries[0].attempts, 2);
    assert_eq!(page.deliveries[0].response_code, Some(200));
    t.close().await;
}

async fn endpoints_are_switched_off_after_repeated_failure(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let (url, got) = receiver(usize::MAX).await;
    let (endpoint, _) = register(db, &admin, &url, Some(regional), &[WebhookEvent::NoShow]).await;
    let limit = server::dispatch::DISABLE_AFTER as usize;
    for i in 0..=limit {
        app::notify::outbox::webhook(
            db,
            WebhookEvent::NoShow,
            regional,
            serde_json::json!({ "n": i }),
            now(),
        )
        .await
        .unwrap();
    }
    let s = dispatcher(db, &t.dir).run_once(now()).await.unwrap();
    assert_eq!(s.failed as usize, limit + 1);
    assert_eq!(
        got.lock().unwrap().len(),
        limit,
        "nothing is sent once switched off"
    );
    let e = webhook_endpoint::Entity::find_by_id(endpoint)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!e.active);
    assert_eq!(e.disabled_at, Some(now()));
    let last = rows(db, "webhook").await.pop().unwrap();
    assert_eq!(last.status.as_str(), "failed");
    assert_eq!(
        last.last_error.as_deref(),
        Some("endpoint disabled or removed")
    );
    // A switched-off endpoint is not queued for.
    assert_eq!(
        app::notify::outbox::webhook(
            db,
            WebhookEvent::NoShow,
            regional,
            serde_json::json!({}),
            now()
        )
        .await
        .unwrap(),
        0
    );
    // The director of the center sees it switched off and turns it back on.
    let page = webhooks::list(db, &director, Locale::Ru).await.unwrap();
    assert_eq!(page.endpoints.len(), 1);
    assert!(!page.endpoints[0].active);
    assert!(!page.may_choose_all);
    webhooks::set_active(db, &director, endpoint, true, now())
        .await
        .unwrap();
    let e = webhook_endpoint::Entity::find_by_id(endpoint)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(e.active && e.consecutive_failures == 0 && e.disabled_at.is_none());
    t.close().await;
}

async fn pending_rows_are_delivered_after_a_restart(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (url, got) = receiver(0).await;
    register(
        db,
        &admin,
        &url,
        Some(regional),
        &[WebhookEvent::BookingCreated],
    )
    .await;
    let member = make_user(db, Role::Visitor, Some(regional), "Timur T").await;
    booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap();
    // The instance that took the webhook row died while sending it (its
    // lease is held); the email was never touched. Then the process stops.
    let hook = rows(db, "webhook").await.remove(0);
    let mut am = hook.into_active_model();
    am.lease_until = Set(Some(
        now() + Duration::seconds(server::dispatch::LEASE_SECONDS),
    ));
    am.update(db).await.unwrap();
    t.db.clone().close().await.unwrap();

    // A new process: its own connection and dispatcher.
    let db = server::db::connect(&t.url).await.unwrap();
    let d = dispatcher(&db, &t.dir);
    let s = d.run_once(now()).await.unwrap();
    assert_eq!(s.sent, 1, "the email goes out at once");
    assert!(
        got.lock().unwrap().is_empty(),
        "the leased row waits for its lease"
    );
    let s = d
        .run_once(now() + Duration::seconds(server::dispatch::LEASE_SECONDS))
        .await
        .unwrap();
    assert_eq!(s.sent, 1);
    assert_eq!(got.lock().unwrap().len(), 1);
    assert!(outbox::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .all(|r| r.status.as_str() == "sent"));
    db.close().await.unwrap();
    t.close().await;
}

/// A door admission is announced to the endpoints that take check-ins at
/// that center (or at every center), read before the door's write
/// transaction; a refused scan announces nothing.
async fn a_door_admission_is_announced_to_check_in_endpoints(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let hook = |path: &str| format!("https://hooks.example.kz/{path}");
    let (here, _) = register(
        db,
        &admin,
        &hook("here"),
        Some(regional),
        &[WebhookEvent::CheckIn],
    )
    .await;
    let (all, _) = register(db, &admin, &hook("all"), None, &[WebhookEvent::CheckIn]).await;
    register(
        db,
        &admin,
        &hook("bookings"),
        Some(regional),
        &[WebhookEvent::BookingCreated],
    )
    .await;
    register(
        db,
        &admin,
        &hook("there"),
        Some(temirtau),
        &[WebhookEvent::CheckIn],
    )
    .await;

    let member = make_user(db, Role::Visitor, Some(regional), "Dauren D").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let card = app::membership::members::membership_card(db, &ring, &member, now(), Locale::En)
        .await
        .unwrap();
    let at = local(1, 11, 20);
    let v = app::passes::scan::scan(db, &ring, &desk, &card.code, at, Locale::En)
        .await
        .unwrap();
    assert!(v.admitted, "{v:?}");
    let again = app::passes::scan::scan(db, &ring, &desk, &card.code, at, Locale::En)
        .await
        .unwrap();
    assert_eq!(again.code, "already_checked_in");

    let hooks = rows(db, "webhook").await;
    let mut to: Vec<i32> = hooks.iter().filter_map(|r| r.endpoint_id).collect();
    to.sort();
    let mut want = vec![here, all];
    want.sort();
    assert_eq!(
        to, want,
        "the two endpoints taking this center's check-ins, once each"
    );
    for r in &hooks {
        assert_eq!(r.event, "check_in");
        assert_eq!(r.center_id, Some(regional));
        let body: serde_json::Value = serde_json::from_str(&r.payload).unwrap();
        assert_eq!(body["event"], "check_in");
        assert!(body["data"]["check_in_id"].as_i64().is_some(), "{body}");
    }

    // The door keeps the endpoints in memory: switching one off, and then
    // registering another, each take effect at the very next admission.
    let admit_next = |name: &'static str| {
        let (ring, desk) = (&ring, &desk);
        async move {
            let before = rows(db, "webhook").await.len();
            let m = make_user(db, Role::Visitor, Some(regional), name).await;
            let card = app::membership::members::membership_card(db, ring, &m, now(), Locale::En)
                .await
                .unwrap();
            let v = app::passes::scan::scan(db, ring, desk, &card.code, at, Locale::En)
                .await
                .unwrap();
            assert!(v.admitted, "{v:?}");
            let mut to: Vec<i32> = rows(db, "webhook")
                .await
                .iter()
                .skip(before)
                .filter_map(|r| r.endpoint_id)
                .collect();
            to.sort();
            to
        }
    };
    webhooks::set_active(db, &admin, here, false, now())
        .await
        .unwrap();
    assert_eq!(admit_next("Aruzhan A").await, vec![all], "one switched off");
    let (later, _) = register(
        db,
        &admin,
        &hook("later"),
        Some(regional),
        &[WebhookEvent::CheckIn],
    )
    .await;
    let mut want = vec![all, later];
    want.sort();
    assert_eq!(admit_next("Bolat B").await, want, "one registered");
    t.close().await;
}

async fn two_dispatchers_never_send_a_row_twice(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (url, got) = receiver(0).await;
    register(db, &admin, &url, Some(regional), &[WebhookEvent::CheckIn]).await;
    for i in 0..12 {
        app::notify::outbox::webhook(
            db,
            WebhookEvent::CheckIn,
            regional,
            serde_json::json!({ "n": i }),
            now(),
        )
        .await
        .unwrap();
    }
    let other = server::db::connect(&t.url).await.unwrap();
    let (a, b) = (dispatcher(db, &t.dir), dispatcher(&other, &t.dir));
    let (x, y) = tokio::join!(a.run_once(now()), b.run_once(now()));
    assert_eq!(x.unwrap().sent + y.unwrap().sent, 12);
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 12);
    let mut ids: Vec<String> = received
        .iter()
        .map(|(h, _)| h["x-ortalyq-delivery"].to_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "each delivery once");
    other.close().await.unwrap();
    t.close().await;
}

async fn webhook_registration_is_checked_and_scoped(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    let form = |url: &str, center: Option<i32>, events: &[&str]| WebhookForm {
        url: url.into(),
        center,
        events: events.iter().map(|e| e.to_string()).collect(),
    };
    let ok = &["booking.created"];
    let none = EgressPolicy::default();
    assert_eq!(
        webhooks::create(
            db,
            &desk,
            form("https://x.kz/h", Some(regional), ok),
            &none,
            now()
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        webhooks::create(
            db,
            &director,
            form("https://x.kz/h", Some(temirtau), ok),
            &none,
            now()
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        webhooks::create(db, &director, form("https://x.kz/h", None, ok), &none, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "center"
    ));
    assert!(matches!(
        webhooks::create(db, &director, form("ftp://x.kz/h", Some(regional), ok), &none, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "url"
    ));
    assert!(matches!(
        webhooks::create(db, &director, form("https://x.kz/h", Some(regional), &["booking.deleted"]), &none, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "events"
    ));
    assert_eq!(webhook_endpoint::Entity::find().count(db).await.unwrap(), 0);
    let mine = webhooks::create(
        db,
        &director,
        form("https://x.kz/h", Some(regional), ok),
        &none,
        now(),
    )
    .await
    .unwrap();
    assert!(mine.secret.len() > 40);
    let all = webhooks::create(db, &admin, form("https://x.kz/all", None, ok), &none, now())
        .await
        .unwrap();
    // Whoever manages an endpoint can have its secret shown again (its
    // receiver needs it); the list itself never carries a secret…
    let page = webhooks::list(db, &admin, Locale::En).await.unwrap();
    assert_eq!(page.endpoints.len(), 2);
    assert!(!format!("{page:?}").contains(&mine.secret));
    let shown = |u: &app::access::session::CurrentUser, id: i32| {
        let u = u.clone();
        async move {
            webhooks::reveal_secret(db, &u, id, now())
                .await
                .map(|(_, s)| s)
        }
    };
    assert_eq!(shown(&admin, mine.id).await, Ok(mine.secret.clone()));
    assert_eq!(shown(&admin, all.id).await, Ok(all.secret.clone()));
    // … and a director sees and manages their center's endpoints only, and
    // so never the secret of another's.
    let page = webhooks::list(db, &director, Locale::En).await.unwrap();
    assert_eq!(
        page.endpoints.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![mine.id]
    );
    assert_eq!(shown(&director, all.id).await, Err(AppError::NotFound));
    assert_eq!(
        webhooks::set_active(db, &director, all.id, false, now()).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        webhooks::list(db, &desk, Locale::En).await.unwrap_err(),
        AppError::Forbidden
    );
    t.close().await;
}

/// The page renders on the server with the endpoints and the log, in the
/// reader's language, for a director; members are refused.
async fn webhook_page_shows_endpoints_and_log(backend: Backend) {
    use axum::body::Body;
    use axum::http::{header, Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let (endpoint, secret) = register(
        db,
        &director,
        "https://hooks.example.kz/page",
        Some(regional),
        &[WebhookEvent::CheckIn],
    )
    .await;
    app::notify::outbox::webhook(
        db,
        WebhookEvent::CheckIn,
        regional,
        serde_json::json!({}),
        now(),
    )
    .await
    .unwrap();
    let cookie = format!(
        "{}; oq_lang=ru",
        session_cookie(db, director.account_id).await
    );
    let resp = app
        .clone()
        .oneshot(
            Request::get("/director/webhooks")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("Журнал доставки"), "the Russian page");
    assert!(
        html.contains("value=\"booking.rescheduled\"") && html.contains("Бронирование перенесено"),
        "moved bookings can be subscribed to"
    );
    assert!(html.contains("https://hooks.example.kz/page"));
    assert!(html.contains(&format!("#{endpoint} ")));
    assert!(
        html.contains("data-status=\"pending\""),
        "the queued delivery is listed"
    );
    // The secret is not on the page: a form shows it on request.
    assert!(!html.contains(&secret));
    assert!(html.contains(&format!("action=\"/director/webhooks/{endpoint}/secret\"")));
    t.close().await;
}

/// Sent rows go after 30 days and failed rows after 90 (by the app clock);
/// pending rows stay however old; the delivery log still lists what is
/// left.
async fn old_sent_and_failed_rows_are_purged(backend: Backend) {
    use app::notify::outbox::{FAILED_RETENTION_DAYS, SENT_RETENTION_DAYS};
    use app::state::Clock;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (url, _) = receiver(0).await;
    register(db, &admin, &url, Some(regional), &[WebhookEvent::CheckIn]).await;
    // The app clock, well after the system's: a purge by Utc::now() would
    // keep everything.
    let today = now() + Duration::days(200);
    let ages = [
        ("sent", SENT_RETENTION_DAYS + 1, false),
        ("sent", SENT_RETENTION_DAYS - 1, true),
        ("failed", SENT_RETENTION_DAYS + 1, true),
        ("failed", FAILED_RETENTION_DAYS + 1, false),
        ("failed", FAILED_RETENTION_DAYS - 1, true),
        ("pending", FAILED_RETENTION_DAYS + 100, true),
    ];
    for (n, (status, days, _)) in ages.iter().enumerate() {
        let at = today - Duration::days(*days);
        app::notify::outbox::webhook(
            db,
            WebhookEvent::CheckIn,
            regional,
            serde_json::json!({ "n": n }),
            at,
        )
        .await
        .unwrap();
        let row = rows(db, "webhook").await.pop().unwrap();
        let mut am = row.into_active_model();
        am.status = Set(app::domain::codes::OutboxStatus::parse(status).unwrap());
        am.attempts = Set(1);
        am.sent_at = Set((*status == "sent").then_some(at));
        am.update(db).await.unwrap();
    }
    // An old sent email goes too.
    let member = make_user(db, Role::Visitor, Some(regional), "Asel A").await;
    set_lang(db, member.person_id, "en", Some("asel@example.kz")).await;
    let old = today - Duration::days(SENT_RETENTION_DAYS + 5);
    app::notify::outbox::to_person(
        db,
        member.person_id,
        None,
        "email.test",
        None,
        old,
        |_, _| app::notify::outbox::Rendered {
            subject: "s".into(),
            text: "t".into(),
            attachment: None,
            short: None,
        },
    )
    .await
    .unwrap();
    let mut am = rows(db, "email").await.pop().unwrap().into_active_model();
    am.status = Set(app::domain::codes::OutboxStatus::Sent);
    am.sent_at = Set(Some(old));
    am.update(db).await.unwrap();

    assert_eq!(
        server::dispatch::run_purge(db, Clock::Frozen(now()))
            .await
            .unwrap(),
        0,
        "nothing is old yet at the time the rows were made"
    );
    assert_eq!(
        server::dispatch::run_purge(db, Clock::Frozen(today))
            .await
            .unwrap(),
        3
    );
    assert!(rows(db, "email").await.is_empty());
    let kept: Vec<(String, i64)> = rows(db, "webhook")
        .await
        .iter()
        .map(|r| {
            (
                r.status.as_str().to_string(),
                (today - r.next_attempt_at).num_days(),
            )
        })
        .collect();
    let expected: Vec<(String, i64)> = ages
        .iter()
        .filter(|(_, _, keep)| *keep)
        .map(|(s, d, _)| (s.to_string(), *d))
        .collect();
    assert_eq!(kept, expected);
    // Again: nothing more.
    assert_eq!(
        server::dispatch::run_purge(db, Clock::Frozen(today))
            .await
            .unwrap(),
        0
    );
    // The delivery log lists what is left, newest first.
    let page = webhooks::list(db, &admin, Locale::En).await.unwrap();
    assert_eq!(
        page.deliveries
            .iter()
            .map(|d| d.status.as_str())
            .collect::<Vec<_>>(),
        vec!["pending", "failed", "failed", "sent"]
    );
    t.close().await;
}

/// Moving a booking emails the member (their language, the new time, the
/// updated calendar file) and tells the webhooks, once each; a refused move
/// queues nothing; a move waiting for approval says so, without a file.
async fn a_moved_booking_is_emailed_and_announced(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let (endpoint, _) = register(
        db,
        &admin,
        "https://hooks.example.kz/moves",
        Some(regional),
        &WebhookEvent::ALL,
    )
    .await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Sadykova").await;
    set_lang(db, member.person_id, "ru", Some("aigerim@example.kz")).await;
    let other = make_user(db, Role::Visitor, Some(regional), "Bolat B").await;
    let mine = booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .clone();
    booking::book_request(
        db,
        &keys(),
        &other,
        None,
        req(studio.id, local(2, 15, 0)),
        now(),
    )
    .await
    .unwrap();
    let (mails, hooks) = (
        rows(db, "email").await.len(),
        rows(db, "webhook").await.len(),
    );

    changes::reschedule(db, &keys(), &member, mine.id, local(2, 13, 0), None, now())
        .await
        .unwrap();
    let new_mails = rows(db, "email").await;
    assert_eq!(new_mails.len(), mails + 1, "exactly one email");
    let moved = new_mails.last().unwrap();
    assert_eq!(moved.recipient, "aigerim@example.kz");
    assert_eq!(moved.person_id, Some(member.person_id));
    let mail = email_of(moved);
    assert!(
        mail.subject.starts_with("Бронирование перенесено"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text.starts_with("Здравствуйте, Aigerim!"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("13:00–14:00"), "{}", mail.text);
    assert!(!mail.text.contains("11:00"), "{}", mail.text);
    let ics = mail.attachment.expect("the updated calendar file");
    assert_eq!(ics.filename, format!("ortalyq-booking-{}.ics", mine.id));
    assert!(ics
        .content
        .contains(&format!("UID:booking-{}@ortalyq", mine.id)));
    // 13:00 in Karaganda is 08:00 UTC.
    assert!(
        ics.content.contains("DTSTART:20261202T080000Z"),
        "{}",
        ics.content
    );

    let new_hooks = rows(db, "webhook").await;
    assert_eq!(new_hooks.len(), hooks + 1, "exactly one delivery");
    let hook = new_hooks.last().unwrap();
    assert_eq!(hook.endpoint_id, Some(endpoint));
    assert_eq!(hook.event, "booking.rescheduled");
    let body: serde_json::Value = serde_json::from_str(&hook.payload).unwrap();
    assert_eq!(body["event"], "booking.rescheduled");
    assert_eq!(body["data"]["booking_id"], mine.id);
    assert_eq!(body["data"]["starts_at"], "2026-12-02T08:00:00Z");
    assert_eq!(body["data"]["previous_starts_at"], "2026-12-02T06:00:00Z");
    assert!(!hook.payload.contains("Aigerim"));

    // A refused move (the other member holds 15:00) queues nothing.
    assert_eq!(
        changes::reschedule(db, &keys(), &member, mine.id, local(2, 15, 0), None, now())
            .await
            .unwrap_err(),
        AppError::SlotFull
    );
    assert_eq!(rows(db, "email").await.len(), mails + 1);
    assert_eq!(rows(db, "webhook").await.len(), hooks + 1);

    // A request waiting for approval, moved: it says so, no calendar file yet.
    let mut r = req(hall.id, local(4, 15, 0));
    r.party = 20;
    r.purpose = Some("Debate".into());
    let asked = booking::book_request(db, &keys(), &member, None, r, now())
        .await
        .unwrap()
        .bookings[0]
        .id;
    changes::reschedule(db, &keys(), &member, asked, local(4, 16, 0), None, now())
        .await
        .unwrap();
    let pending = email_of(rows(db, "email").await.last().unwrap());
    assert!(
        pending.subject.starts_with("Бронирование перенесено"),
        "{}",
        pending.subject
    );
    assert!(pending.text.contains("должен одобрить"), "{}", pending.text);
    assert!(pending.attachment.is_none());
    assert_eq!(
        rows(db, "webhook").await.last().unwrap().event,
        "booking.rescheduled"
    );
    t.close().await;
}

/// What the SMTP sink got in one DATA: the envelope and the message.
#[derive(Clone, Debug)]
struct SmtpMail {
    from: String,
    to: Vec<String>,
    data: String,
}

type Sunk = Arc<Mutex<Vec<SmtpMail>>>;

/// A minimal SMTP server on a free local port, speaking just enough of the
/// protocol for lettre: greeting, EHLO/HELO, MAIL, RCPT (answered with
/// `rcpt_reply`), DATA up to the lone ".", RSET, NOOP, QUIT. Records each
/// message it accepted. Returns its `smtp://` URL.
async fn smtp_sink(rcpt_reply: &'static str) -> (String, Sunk) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let got: Sunk = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sunk = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let sunk = sunk.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let say = |w: &str| format!("{w}\r\n");
                write
                    .write_all(say("220 sink.test ESMTP").as_bytes())
                    .await
                    .unwrap();
                let (mut from, mut to) = (String::new(), Vec::new());
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply = match verb.as_str() {
                        "EHLO" | "HELO" => "250 sink.test".to_string(),
                        "MAIL" => {
                            from = line[10..].trim_matches(['<', '>', ' ']).to_string();
                            to.clear();
                            "250 2.1.0 OK".to_string()
                        }
                        "RCPT" => {
                            to.push(line[8..].trim_matches(['<', '>', ' ']).to_string());
                            rcpt_reply.to_string()
                        }
                        "DATA" => {
                            write
                                .write_all(say("354 end with <CRLF>.<CRLF>").as_bytes())
                                .await
                                .unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                                data.push_str("\r\n");
                            }
                            sunk.lock().unwrap().push(SmtpMail {
                                from: from.clone(),
                                to: to.clone(),
                                data,
                            });
                            "250 2.0.0 queued".to_string()
                        }
                        "RSET" | "NOOP" => "250 2.0.0 OK".to_string(),
                        "QUIT" => {
                            let _ = write.write_all(say("221 2.0.0 bye").as_bytes()).await;
                            return;
                        }
                        _ => "500 5.5.2 unknown command".to_string(),
                    };
                    if write.write_all(say(&reply).as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("smtp://127.0.0.1:{port}"), got)
}

/// A header's value, unfolded, with RFC 2047 `=?utf-8?b?…?=` words decoded.
fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let raw = unfolded.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    })?;
    let mut out = String::new();
    let mut last_encoded = false;
    for word in raw.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && lower.ends_with("?=");
        if encoded {
            let b64 = &word[10..word.len() - 2];
            let bytes = data_encoding::BASE64.decode(b64.as_bytes()).unwrap();
            if !out.is_empty() && !last_encoded {
                out.push(' ');
            }
            out.push_str(&String::from_utf8(bytes).unwrap());
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        last_encoded = encoded;
    }
    Some(out)
}

/// The decoded body of the MIME part whose headers mention `marker`.
fn part_body(message: &str, marker: &str) -> Option<String> {
    let start = message.find(marker)?;
    // Back to the start of the part's headers.
    let part_start = message[..start].rfind("\r\n--").map_or(0, |i| i + 2);
    let part = &message[part_start..];
    let (head, rest) = part.split_once("\r\n\r\n")?;
    let body = rest.split("\r\n--").next()?;
    let head = head.to_ascii_lowercase();
    Some(if head.contains("content-transfer-encoding: base64") {
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        String::from_utf8(data_encoding::BASE64.decode(clean.as_bytes()).unwrap()).unwrap()
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let mut bytes = Vec::new();
        let mut it = joined.bytes();
        while let Some(b) = it.next() {
            if b == b'=' {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            } else {
                bytes.push(b);
            }
        }
        String::from_utf8(bytes).unwrap()
    } else {
        body.to_string()
    })
}

fn smtp_dispatcher(db: &DatabaseConnection, url: &str, dir: &std::path::Path) -> Dispatcher {
    Dispatcher::new(
        db.clone(),
        Mailer::new(Some(url), dir.join("unused")).unwrap(),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap()
}

/// The SMTP transport in a real SMTP conversation: the booking email
/// arrives at the member's address, in their language, with the calendar
/// file; a 4xx reply is retried later, a 5xx reply gives up at once.
async fn email_goes_through_smtp_and_smtp_replies_decide_retries(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Sadykova").await;
    set_lang(db, member.person_id, "ru", Some("aigerim@example.kz")).await;
    let b = booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .clone();

    let (url, sunk) = smtp_sink("250 2.1.5 OK").await;
    let s = smtp_dispatcher(db, &url, &t.dir)
        .run_once(now())
        .await
        .unwrap();
    assert_eq!((s.sent, s.failed), (1, 0));
    let mails = sunk.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.from, "no-reply@ortalyq.local");
    assert_eq!(m.to, vec!["aigerim@example.kz".to_string()]);
    assert_eq!(header(&m.data, "To").as_deref(), Some("aigerim@example.kz"));
    let subject = header(&m.data, "Subject").unwrap();
    assert!(
        subject.starts_with("Бронирование подтверждено"),
        "{subject}"
    );
    let text = part_body(&m.data, "text/plain").unwrap();
    assert!(text.starts_with("Здравствуйте, Aigerim!"), "{text}");
    let ics_name = format!("ortalyq-booking-{}.ics", b.id);
    assert!(m.data.contains(&ics_name), "{}", m.data);
    let ics = part_body(&m.data, "text/calendar").unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(
        ics.contains(&format!("UID:booking-{}@ortalyq", b.id)),
        "{ics}"
    );
    let row = rows(db, "email").await.remove(0);
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));

    // The next booking's email meets a server that says "try later" (451).
    let second = booking::book_request(
        db,
        &keys(),
        &member,
        None,
        req(studio.id, local(3, 11, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .id;
    let (busy, busy_got) = smtp_sink("451 4.3.0 mailbox busy, try later").await;
    let s = smtp_dispatcher(db, &busy, &t.dir)
        .run_once(now())
        .await
        .unwrap();
    assert_eq!((s.sent, s.failed, s.gave_up), (0, 1, 0));
    assert!(busy_got.lock().unwrap().is_empty());
    let row = rows(db, "email").await.pop().unwrap();
    assert!(row
        .payload
        .contains(&format!("ortalyq-booking-{second}.ics")));
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("451"),
        "{:?}",
        row.last_error
    );
    assert_eq!(row.next_attempt_at, now() + Duration::seconds(30));

    // Retried after the backoff, the server refuses the mailbox for good
    // (550): the row fails at once, without using up its attempts.
    let (gone, gone_got) = smtp_sink("550 5.1.1 no such mailbox").await;
    let s = smtp_dispatcher(db, &gone, &t.dir)
        .run_once(now() + Duration::seconds(31))
        .await
        .unwrap();
    assert_eq!((s.sent, s.failed, s.gave_up), (0, 1, 1));
    assert!(gone_got.lock().unwrap().is_empty());
    let row = rows(db, "email").await.pop().unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("550"),
        "{:?}",
        row.last_error
    );
    t.close().await;
}

on_both_databases!(
    webhook_page_shows_endpoints_and_log,
    booking_queues_email_with_calendar_and_webhook,
    decisions_and_promotions_are_emailed,
    reminders_are_queued_once_when_the_door_opens,
    webhooks_are_signed_and_retried_with_backoff,
    endpoints_are_switched_off_after_repeated_failure,
    pending_rows_are_delivered_after_a_restart,
    two_dispatchers_never_send_a_row_twice,
    a_door_admission_is_announced_to_check_in_endpoints,
    webhook_registration_is_checked_and_scoped,
    old_sent_and_failed_rows_are_purged,
    a_moved_booking_is_emailed_and_announced,
    email_goes_through_smtp_and_smtp_replies_decide_retries,
);
