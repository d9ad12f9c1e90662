//! Registration as an attacker sees it: probing whether a phone, email or
//! IIN is a member's, flooding the form, guessing the code, and a minor
//! giving a member's (or their own) number as the guardian's.

use app::model::{account, person};
use app::state::AppState;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common::callers::person_by_email;
use crate::common::http::{answer, Answer};
use crate::common::{center_id, now, texts_to, Backend, TestDb};

/// The app taking client addresses from `X-Forwarded-For`.
pub fn app_behind_proxy(db: &DatabaseConnection) -> axum::Router {
    let state = AppState {
        trust_proxy: true,
        ..crate::common::state(db)
    };
    server::router(state)
}

/// POST a form from a client address, as a browser without JavaScript.
pub async fn post_from(app: &axum::Router, ip: &str, path: &str, body: String) -> Answer {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        // As a browser posting a form: redirects are answered as such.
        .header(header::ACCEPT, "text/html")
        .header("x-forwarded-for", ip)
        .body(Body::from(body))
        .unwrap();
    answer(app, req).await
}

/// A valid registration form (an adult of 21 unless `birth` says otherwise).
pub fn form(
    center: i32,
    phone: &str,
    email: &str,
    iin: &str,
    birth: &str,
    guardian_phone: &str,
) -> String {
    let pairs = [
        ("form[full_name]", "Дана Сейітқызы"),
        ("form[birth_date]", birth),
        ("form[phone]", phone),
        ("form[email]", email),
        ("form[password]", "dombra-2026"),
        ("form[lang]", "kk"),
        ("form[home_center_id]", &center.to_string()),
        ("form[settlement]", "city"),
        ("form[occupation]", "student"),
        ("form[education]", "bachelor"),
        ("form[iin]", iin),
        (
            "form[guardian_name]",
            if guardian_phone.is_empty() {
                ""
            } else {
                "Гүлнар Сейітова"
            },
        ),
        ("form[guardian_phone]", guardian_phone),
    ];
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 8)
        .expect("an 8-digit code")
        .to_string()
}

async fn people_with_phone(db: &DatabaseConnection, phone: &str) -> u64 {
    person::Entity::find()
        .filter(person::Column::Phone.eq(phone))
        .count(db)
        .await
        .unwrap()
}

/// The same answer for a member's phone, a member's email, a member's IIN
/// and a new phone; only the contact's owner learns which it was.
async fn registration_does_not_reveal_members(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let member = person_by_email(db, "visitor@demo.ortalyq.kz").await;
    let member_phone = member.phone.clone().unwrap();
    let people_before = person::Entity::find().count(db).await.unwrap();

    let known = post_from(
        &app,
        "198.51.100.1",
        "/api/register",
        form(center, &member_phone, "", "", "2005-03-01", ""),
    )
    .await;
    let by_email = post_from(
        &app,
        "198.51.100.2",
        "/api/register",
        form(center, "", "visitor@demo.ortalyq.kz", "", "2005-03-01", ""),
    )
    .await;
    let fresh = post_from(
        &app,
        "198.51.100.3",
        "/api/register",
        form(center, "+77015550101", "", "", "2005-03-01", ""),
    )
    .await;
    for (what, a) in [
        ("member's phone", &known),
        ("member's email", &by_email),
        ("new phone", &fresh),
    ] {
        assert!(
            a.status.is_redirection(),
            "{what}: {} {}",
            a.status,
            a.text()
        );
        assert!(
            a.header(header::LOCATION).starts_with("/verify?login="),
            "{what}"
        );
        assert!(
            a.cookies().iter().all(|c| !c.starts_with("oq_session=")),
            "{what}: signed in before confirming"
        );
        assert!(!a.text().contains("already"), "{what}");
    }
    // Only the new phone made a (waiting) account; the member's stay one.
    assert_eq!(
        person::Entity::find().count(db).await.unwrap(),
        people_before + 1
    );
    assert_eq!(people_with_phone(db, &member_phone).await, 1);
    // The member's phone got a note on how to sign in, no code; the new
    // phone got a code.
    let note = texts_to(db, &member_phone).await;
    assert_eq!(note.len(), 1);
    assert!(note[0].contains("/login"), "{}", note[0]);
    assert!(!note[0]
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .contains("00000000"));
    assert_eq!(texts_to(db, "+77015550101").await.len(), 1);
    // The member's email got the note by email (queued), not a code.
    let mails = app::model::outbox::Entity::find()
        .filter(app::model::outbox::Column::Recipient.eq("visitor@demo.ortalyq.kz"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].event, "email.already_member");
    t.close().await;
}

/// The waiting account cannot sign in; three wrong codes void the code; a
/// new code confirms it and signs the member in.
async fn a_new_account_waits_for_its_code(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "temirtau").await;
    let phone = "+77015550202";
    let a = post_from(
        &app,
        "198.51.100.9",
        "/api/register",
        form(center, "8 701 555 02 02", "", "", "2003-09-09", ""),
    )
    .await;
    assert!(a.status.is_redirection(), "{}", a.text());
    let acc = account_of_phone(db, phone).await;
    assert!(acc.pending_since.is_some());
    // The right password is not enough yet.
    let login = format!("login={}&password=dombra-2026", "87015550202");
    let a = post_from(&app, "198.51.100.9", "/api/login", login.clone()).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.text().contains("contact_unconfirmed"), "{}", a.text());
    assert!(a.cookies().iter().all(|c| !c.starts_with("oq_session=")));
    // Three wrong guesses (from three addresses) void the code.
    let code = code_in(&texts_to(db, phone).await[0]);
    let wrong = if code == "11111111" {
        "22222222"
    } else {
        "11111111"
    };
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let a = post_from(
            &app,
            ip,
            "/api/confirm_signup",
            format!("login=%2B77015550202&code={wrong}"),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.text());
    }
    let a = post_from(
        &app,
        "203.0.113.4",
        "/api/confirm_signup",
        format!("login=%2B77015550202&code={code}"),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::UNAUTHORIZED,
        "a code survived three misses"
    );
    // A new code (any spelling of the phone) confirms and signs in.
    let a = post_from(
        &app,
        "198.51.100.9",
        "/api/resend_signup_code",
        "login=7015550202".into(),
    )
    .await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{} {}",
        a.status,
        a.text()
    );
    let texts = texts_to(db, phone).await;
    assert_eq!(texts.len(), 2);
    let code = code_in(&texts[1]);
    let a = post_from(
        &app,
        "198.51.100.10",
        "/api/confirm_signup",
        format!("login=87015550202&code={code}"),
    )
    .await;
    assert!(a.status.is_redirection(), "{}", a.text());
    assert!(a.cookies().iter().any(|c| c.starts_with("oq_session=")));
    assert!(account_of_phone(db, phone).await.pending_since.is_none());
    // Used once only; and now the password signs in.
    let again = post_from(
        &app,
        "198.51.100.11",
        "/api/confirm_signup",
        format!("login=87015550202&code={code}"),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let a = post_from(&app, "198.51.100.12", "/api/login", login).await;
    assert!(
        a.cookies().iter().any(|c| c.starts_with("oq_session=")),
        "{}",
        a.text()
    );
    t.close().await;
}

async fn account_of_phone(db: &DatabaseConnection, phone: &str) -> account::Model {
    let p = person::Entity::find()
        .filter(person::Column::Phone.eq(phone))
        .one(db)
        .await
        .unwrap()
        .expect("a person with the phone");
    account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// One address cannot flood the form; one phone gets at most three
/// messages a day; another address still registers.
async fn registration_is_throttled(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let limit = app::domain::ratelimit::MAX_SIGNUPS_PER_ADDRESS;
    for i in 0..limit {
        let phone = format!("+7702{:07}", 1000 + i);
        let a = post_from(
            &app,
            "2001:db8:1:2::10",
            "/api/register",
            form(center, &phone, "", "", "2004-01-01", ""),
        )
        .await;
        assert!(a.status.is_redirection(), "{i}: {}", a.text());
    }
    // Another address in the same IPv6 /64 is the same subscriber.
    let a = post_from(
        &app,
        "2001:db8:1:2::99",
        "/api/register",
        form(center, "+77029999999", "", "", "2004-01-01", ""),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text());
    assert_eq!(people_with_phone(db, "+77029999999").await, 0);
    // One phone, from many addresses: three messages, then refused.
    for i in 0..3 {
        let a = post_from(
            &app,
            &format!("198.51.100.{}", 50 + i),
            "/api/register",
            form(center, "+77031112233", "", "", "2004-01-01", ""),
        )
        .await;
        assert!(a.status.is_redirection(), "{i}: {}", a.text());
    }
    let a = post_from(
        &app,
        "198.51.100.60",
        "/api/resend_signup_code",
        "login=%2B77031112233".into(),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text());
    // The newest form replaced the waiting ones: one person holds the
    // phone, and the replaced registrations' codes (void now) went with
    // their queued messages.
    assert_eq!(people_with_phone(db, "+77031112233").await, 1);
    assert_eq!(texts_to(db, "+77031112233").await.len(), 1);
    t.close().await;
}

/// A minor cannot name their own or a member's phone as the guardian's;
/// nothing is written.
async fn guardian_contact_must_be_the_guardians(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let member = person_by_email(db, "visitor@demo.ortalyq.kz").await;
    let people_before = person::Entity::find().count(db).await.unwrap();
    for (ip, guardian) in [
        ("198.51.100.70", member.phone.clone().unwrap()),
        ("198.51.100.71", "8 705 444 55 66".to_string()),
    ] {
        let a = post_from(
            &app,
            ip,
            "/api/register",
            form(center, "+77054445566", "", "", "2011-02-02", &guardian),
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{guardian}: {}",
            a.text()
        );
        assert!(a.text().contains("guardian_phone"), "{}", a.text());
    }
    assert_eq!(
        person::Entity::find().count(db).await.unwrap(),
        people_before
    );
    // The guardian's own number is accepted.
    let a = post_from(
        &app,
        "198.51.100.72",
        "/api/register",
        form(center, "+77054445566", "", "", "2011-02-02", "+77774445566"),
    )
    .await;
    assert!(a.status.is_redirection(), "{}", a.text());
    t.close().await;
}

/// Registrations never confirmed are removed after a week.
async fn unconfirmed_registrations_expire(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_behind_proxy(db);
    let center = center_id(db, "karaganda-regional").await;
    let a = post_from(
        &app,
        "198.51.100.80",
        "/api/register",
        form(center, "+77056667788", "", "", "2002-02-02", ""),
    )
    .await;
    assert!(a.status.is_redirection());
    let within = app::membership::signup::purge_unconfirmed(db, now() + Duration::days(6))
        .await
        .unwrap();
    assert_eq!(within, 0);
    let after = app::membership::signup::purge_unconfirmed(db, now() + Duration::days(8))
        .await
        .unwrap();
    assert_eq!(after, 1);
    assert_eq!(people_with_phone(db, "+77056667788").await, 0);
    // Active members are never touched.
    assert_eq!(
        person_by_email(db, "visitor@demo.ortalyq.kz")
            .await
            .email
            .as_deref(),
        Some("visitor@demo.ortalyq.kz")
    );
    t.close().await;
}

on_both_databases!(
    registration_does_not_reveal_members,
    a_new_account_waits_for_its_code,
    registration_is_throttled,
    guardian_contact_must_be_the_guardians,
    unconfirmed_registrations_expire,
);
