//! Text messages through the outbox, on SQLite and PostgreSQL: which events
//! text a member who has no email address, the file sink that stands in for
//! a gateway by default, one-time codes blanked once sent, and SMSC.kz's
//! HTTP API (a local stand-in speaking its protocol): success, temporary
//! errors retried, permanent ones failed at once, timeouts retried.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::booking::service as booking;
use app::booking::{changes, messages};
use app::domain::codes::{OutboxKind, OutboxStatus};
use app::domain::people::Role;
use app::i18n::Locale;
use app::model::{outbox, person};
use chrono::Duration;
use common::fixtures::booking_request as req;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use server::dispatch::{Dispatcher, Mailer};
use server::sms::{SmsGateway, Smsc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The forms the SMSC stand-in received.
type Forms = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A stand-in for SMSC's `POST /sys/send.php` on a free local port. It
/// answers by the number: `…01` success; `…02` error 9 (the same request
/// twice a minute) once, then success; `…03` error 7 (bad number); `…04`
/// slower than the client's timeout once, then success; `…05` HTTP 503
/// once, then success. Returns its URL and the forms it got.
async fn smsc_stand_in() -> (String, Forms) {
    use axum::extract::Form;
    use axum::http::StatusCode;
    let forms: Forms = Arc::default();
    let seen = forms.clone();
    let app = axum::Router::new().route(
        "/sys/send.php",
        axum::routing::post(move |Form(form): Form<HashMap<String, String>>| {
            let seen = seen.clone();
            async move {
                let phone = form.get("phones").cloned().unwrap_or_default();
                let earlier = {
                    let mut v = seen.lock().unwrap();
                    let n = v.iter().filter(|f| f.get("phones") == Some(&phone)).count();
                    v.push(form);
                    n
                };
                let ok = (StatusCode::OK, r#"{"id":101,"cnt":1}"#.to_string());
                match (&phone[phone.len().saturating_sub(2)..], earlier) {
                    ("02", 0) => (
                        StatusCode::OK,
                        r#"{"error":"duplicate request, wait a minute","error_code":9}"#.into(),
                    ),
                    ("03", _) => (
                        StatusCode::OK,
                        r#"{"error":"invalid phone number format","error_code":7,"id":103}"#.into(),
                    ),
                    ("04", 0) => {
                        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                        ok
                    }
                    ("05", 0) => (StatusCode::SERVICE_UNAVAILABLE, String::new()),
                    _ => ok,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}/sys/send.php"), forms)
}

/// Give a person a phone, an email (or none) and a language.
async fn contact(
    db: &DatabaseConnection,
    person_id: i32,
    phone: Option<&str>,
    email: Option<&str>,
    lang: Locale,
) {
    let mut p = person::Entity::find_by_id(person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.phone = Set(phone.map(str::to_string));
    p.email = Set(email.map(str::to_string));
    p.preferred_lang = Set(lang);
    p.update(db).await.unwrap();
}

async fn member(db: &DatabaseConnection, center: i32, name: &str) -> CurrentUser {
    make_user(db, Role::Visitor, Some(center), name).await
}

/// Outbox rows of one kind, oldest first.
async fn rows(db: &DatabaseConnection, kind: OutboxKind) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Text messages to a phone, with the event each was filed as.
async fn texts(db: &DatabaseConnection, phone: &str) -> Vec<(String, String)> {
    rows(db, OutboxKind::Sms)
        .await
        .into_iter()
        .filter(|r| r.recipient == phone)
        .map(|r| {
            let t: app::notify::outbox::Text = serde_json::from_str(&r.payload).unwrap();
            (r.event, t.text)
        })
        .collect()
}

/// A member with a phone and no email is texted what others are emailed:
/// the confirmation, the reminder when the door opens, a move by staff, a
/// denied request, a program decision. A member with an email gets the
/// email only, as before.
async fn a_member_without_email_is_texted_instead(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    let phone = "+77015550001";
    let aruzhan = member(db, regional, "Аружан Серікова").await;
    contact(db, aruzhan.person_id, Some(phone), None, Locale::Ru).await;
    let both = member(db, regional, "Bolat B").await;
    contact(
        db,
        both.person_id,
        Some("+77015550002"),
        Some("bolat@example.kz"),
        Locale::En,
    )
    .await;

    // Booking: a text, in her language, with the space and the time.
    let mine = booking::book_request(
        db,
        &keys(),
        &aruzhan,
        None,
        req(studio.id, local(1, 14, 0)),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .clone();
    let got = texts(db, phone).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "sms.booking");
    assert!(
        got[0].1.contains("бронирование подтверждено") && got[0].1.contains("14:00"),
        "{}",
        got[0].1
    );
    // The same booking by a member with an email: the email, no text.
    booking::book_request(
        db,
        &keys(),
        &both,
        None,
        req(studio.id, local(2, 11, 0)),
        now(),
    )
    .await
    .unwrap();
    assert!(texts(db, "+77015550002").await.is_empty());
    assert_eq!(rows(db, OutboxKind::Email).await.len(), 1);

    // The reminder when the door opens, once (the dedupe key holds the text).
    let opens = local(1, 14, 0) - Duration::minutes(i64::from(studio.checkin_open_minutes));
    assert_eq!(
        messages::queue_checkin_reminders(db, opens).await.unwrap(),
        1
    );
    assert_eq!(
        messages::queue_checkin_reminders(db, opens + Duration::minutes(1))
            .await
            .unwrap(),
        0
    );
    let got = texts(db, phone).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].0, "sms.reminder");
    assert!(got[1].1.contains("вход открыт"), "{}", got[1].1);

    // Staff move the booking.
    changes::reschedule(db, &keys(), &desk, mine.id, local(1, 16, 0), None, now())
        .await
        .unwrap();
    let got = texts(db, phone).await;
    assert_eq!(got[2].0, "sms.moved");
    assert!(
        got[2].1.contains("перенесено") && got[2].1.contains("16:00"),
        "{}",
        got[2].1
    );

    // A denied request: the reason, cut short.
    let mut r = req(hall.id, local(4, 15, 0));
    r.party = 20;
    r.purpose = Some("Debate".into());
    let asked = booking::book_request(db, &keys(), &aruzhan, None, r, now())
        .await
        .unwrap()
        .bookings[0]
        .id;
    let reason = "Зал на покраске до конца недели, выберите другой день";
    changes::decide(db, &keys(), &desk, asked, false, reason, now())
        .await
        .unwrap();
    let got = texts(db, phone).await;
    let denied = &got.last().unwrap().1;
    assert!(
        denied.contains("запрос отклонён")
            && denied.contains("Зал на покраске")
            && denied.ends_with('…'),
        "{denied}"
    );
    assert!(!denied.contains("выберите другой день"), "{denied}");

    // A program decision.
    let waiting = app::model::program_application::Entity::find()
        .filter(app::model::program_application::Column::Status.eq("submitted"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    contact(
        db,
        waiting.person_id,
        Some("+77015550003"),
        None,
        Locale::Kk,
    )
    .await;
    app::programs::review::decide(db, &desk, waiting.id, true, "", now())
        .await
        .unwrap();
    let got = texts(db, "+77015550003").await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "sms.application_accepted");
    assert!(got[0].1.contains("қабылданды"), "{}", got[0].1);
    // Every text fits two segments.
    for r in rows(db, OutboxKind::Sms).await {
        let t: app::notify::outbox::Text = serde_json::from_str(&r.payload).unwrap();
        assert!(app::domain::sms::segments(&t.text) <= 2, "{}", t.text);
    }
    t.close().await;
}

/// Without a gateway the dispatcher writes each text as today's file
/// (owner-only, `To:` then the text); the guardian's code is blanked in
/// the stored row once it is sent.
async fn without_a_gateway_texts_are_files(backend: Backend) {
    use app::membership::members as svc;
    use app::membership::registration::validate;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let f = common::fixtures::minor_registration(regional, None);
    let minor = svc::register(db, &validate(&f, today).unwrap(), now())
        .await
        .unwrap();
    svc::send_guardian_code(db, &minor, today, now(), "https://ortalyq.example")
        .await
        .unwrap();
    let dir = t.dir.join("outbox");
    // Nothing is written before the dispatcher runs.
    assert!(!dir.exists());
    let code: String = common::texts_to(db, "+77770001122").await[0]
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_string();

    let d = Dispatcher::new(
        db.clone(),
        Mailer::Folder(dir.clone()),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap();
    let stats = d.run_once(now()).await.unwrap();
    assert_eq!(stats.sent, 1);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.ends_with("-sms-77770001122.txt"), "{name}");
    let body = std::fs::read_to_string(&files[0]).unwrap();
    assert!(body.starts_with("To: +77770001122\n\n"), "{body}");
    assert!(body.contains(&code) && body.contains("келісім"), "{body}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // The stored row keeps the message, not the code.
    let row = rows(db, OutboxKind::Sms).await.remove(0);
    assert_eq!(row.status, OutboxStatus::Sent);
    assert!(!row.payload.contains(&code), "{}", row.payload);
    assert!(row.payload.contains("••••••"), "{}", row.payload);
    assert!(row.payload.contains("+77770001122"));
    // The code still confirms consent (it is stored hashed, not in the row).
    svc::confirm_guardian_code(db, "+7 701 444 55 66", &code, "1.2.3.4", now())
        .await
        .unwrap();
    t.close().await;
}

/// Through the gateway: sent, retried after a temporary error, a timeout
/// or a 503, failed at once for a bad number; the form is SMSC's, the
/// Cyrillic text intact, the code blanked in the stored row once sent, and
/// the key nowhere in the rows.
async fn smsc_success_retry_failure_and_timeout(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let (url, forms) = smsc_stand_in().await;
    let key = "test-api-key-7f3a";
    for n in 1..=5 {
        let secret = (n == 1).then(|| "654321".to_string());
        let text = match n {
            1 => "Ortalyq: тіркелу коды 654321".to_string(),
            _ => format!("Ortalyq: сообщение {n}"),
        };
        let msg = app::notify::outbox::Text {
            to: format!("+7701000000{n}"),
            text,
            secret,
        };
        app::notify::outbox::sms(db, msg, (None, None), "sms.test", None, now())
            .await
            .unwrap();
    }
    let smsc = Smsc::new(
        &url,
        key,
        Some("Ortalyq"),
        std::time::Duration::from_millis(300),
    )
    .unwrap();
    let d = Dispatcher::new(
        db.clone(),
        Mailer::Folder(t.dir.join("unused")),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap()
    .with_sms(SmsGateway::Smsc(smsc));

    let first = d.run_once(now()).await.unwrap();
    assert_eq!((first.sent, first.failed, first.gave_up), (1, 4, 1));
    let by_phone = |rows: &[outbox::Model], n: u32| {
        rows.iter()
            .find(|r| r.recipient == format!("+7701000000{n}"))
            .unwrap()
            .clone()
    };
    let after = rows(db, OutboxKind::Sms).await;
    let bad = by_phone(&after, 3);
    assert_eq!(bad.status, OutboxStatus::Failed, "a bad number is final");
    assert_eq!(bad.attempts, 1);
    assert_eq!(
        bad.last_error.as_deref(),
        Some("smsc 7: invalid phone number format")
    );
    let busy = by_phone(&after, 2);
    assert_eq!(busy.status, OutboxStatus::Pending);
    assert_eq!(
        busy.last_error.as_deref(),
        Some("smsc 9: duplicate request, wait a minute")
    );
    let slow = by_phone(&after, 4);
    assert_eq!(slow.status, OutboxStatus::Pending);
    assert!(
        slow.last_error.as_deref().unwrap().starts_with("timeout"),
        "{:?}",
        slow.last_error
    );
    let down = by_phone(&after, 5);
    assert_eq!(
        (down.last_error.as_deref(), down.response_code),
        (Some("HTTP 503"), Some(503))
    );
    // Not before the backoff is over; then the three go.
    assert_eq!(
        d.run_once(now() + Duration::seconds(10))
            .await
            .unwrap()
            .sent,
        0
    );
    let second = d.run_once(now() + Duration::seconds(31)).await.unwrap();
    assert_eq!((second.sent, second.failed), (3, 0));
    let done = rows(db, OutboxKind::Sms).await;
    for n in [1, 2, 4, 5] {
        let r = by_phone(&done, n);
        assert_eq!(r.status, OutboxStatus::Sent, "{n}");
        assert_eq!(r.response_code, Some(200));
    }
    assert_eq!(by_phone(&done, 2).attempts, 2);
    // The bad number was not tried again.
    let forms = forms.lock().unwrap().clone();
    let tries = |n: u32| {
        forms
            .iter()
            .filter(|f| f["phones"] == format!("+7701000000{n}"))
            .count()
    };
    assert_eq!(
        (tries(1), tries(2), tries(3), tries(4), tries(5)),
        (1, 2, 1, 2, 2)
    );
    // SMSC's form: the key, the number with its +, UTF-8 text, JSON answers.
    let f = forms
        .iter()
        .find(|f| f["phones"] == "+77010000001")
        .unwrap();
    assert_eq!(f["apikey"], key);
    assert_eq!(f["mes"], "Ortalyq: тіркелу коды 654321");
    assert_eq!((f["charset"].as_str(), f["fmt"].as_str()), ("utf-8", "3"));
    assert_eq!(f["sender"], "Ortalyq");
    // The code is blanked once sent; the key is in no row.
    let sent = by_phone(&done, 1);
    assert!(!sent.payload.contains("654321"), "{}", sent.payload);
    assert!(sent.payload.contains("••••••"), "{}", sent.payload);
    for r in &done {
        let all = format!("{} {:?}", r.payload, r.last_error);
        assert!(!all.contains(key), "{all}");
    }
    t.close().await;
}

on_both_databases!(
    a_member_without_email_is_texted_instead,
    without_a_gateway_texts_are_files,
    smsc_success_retry_failure_and_timeout,
);
