//! Offboarding and session lifetime (issue 20, items 8 and 9): a disabled
//! account is out at once and stays out; directors manage only their own
//! centers' desk and mentors; staff sessions end when idle and after 12
//! hours; visitors' sessions last, with their token renewed.

use app::domain::people::Role;
use app::model::{account, audit_log, session};
use app::state::Clock;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common::callers::{role_matrix, session_cookie, user_by_email, Callers, CALLERS};
use crate::common::http::{answer, send};
use crate::common::{self, center_id, make_user, now, Backend, TestDb};

/// The router with its clock stopped at `at`.
fn app_at(db: &DatabaseConnection, at: DateTime<Utc>) -> axum::Router {
    let mut state = common::state(db);
    state.clock = Clock::Frozen(at);
    server::router(state)
}

/// POST a form as a browser's script would; status, body, `Set-Cookie`s.
async fn post(
    app: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Vec<String>) {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(body.to_owned())).unwrap()).await
}

/// Whether the cookie signs its bearer in (`whoami` names someone).
async fn signed_in(app: &axum::Router, cookie: &str) -> bool {
    let (status, body, _) = post(app, "/api/whoami", "", Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.contains("\"first_name\"")
}

/// Sign in over HTTP; the session cookie (`oq_session=…`) or the refusal.
async fn login(app: &axum::Router, login: &str, password: &str) -> Result<String, String> {
    let body = format!("login={}&password={password}", login.replace('@', "%40"));
    let (status, body, cookies) = post(app, "/api/login", &body, None).await;
    if !(status.is_success() || status.is_redirection()) {
        return Err(body);
    }
    Ok(cookies
        .iter()
        .find(|c| c.starts_with("oq_session="))
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned())
}

async fn is_disabled(db: &DatabaseConnection, account_id: i32) -> bool {
    account::Entity::find_by_id(account_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .disabled_at
        .is_some()
}

async fn sessions_of(db: &DatabaseConnection, account_id: i32) -> u64 {
    session::Entity::find()
        .filter(session::Column::AccountId.eq(account_id))
        .count(db)
        .await
        .unwrap()
}

async fn disabled_account_is_out_at_once_and_stays_out(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_at(db, now());
    let pw = server::seed::DEMO_PASSWORD;
    let desk = user_by_email(db, "desk@demo.ortalyq.kz").await;
    let director = user_by_email(db, "director@demo.ortalyq.kz").await;
    let admin = user_by_email(db, "admin@demo.ortalyq.kz").await;
    let boss = session_cookie(db, director.account_id).await;

    // The desk is signed in twice (a desk computer and a phone).
    let desk_cookie = login(&app, "desk@demo.ortalyq.kz", pw).await.unwrap();
    let phone = session_cookie(db, desk.account_id).await;
    assert!(signed_in(&app, &desk_cookie).await && signed_in(&app, &phone).await);

    let (status, body, _) = post(
        &app,
        "/api/set_account_disabled",
        &format!("account_id={}&disabled=true", desk.account_id),
        Some(&boss),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");

    // Both cookies stop working on their very next request.
    assert!(!signed_in(&app, &desk_cookie).await);
    let (status, body, _) = post(&app, "/api/desk_members", "query=", Some(&phone)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("\"code\":\"not_authenticated\""), "{body}");
    assert_eq!(sessions_of(db, desk.account_id).await, 0);

    // The right password gets exactly the answer of a wrong one.
    let refused = login(&app, "desk@demo.ortalyq.kz", pw).await.unwrap_err();
    let wrong = login(&app, "desk@demo.ortalyq.kz", "not-the-password")
        .await
        .unwrap_err();
    assert!(
        refused.contains("\"code\":\"invalid_credentials\""),
        "{refused}"
    );
    assert_eq!(refused, wrong);

    // A password reset does not let the account back in.
    let code = app::membership::accounts::issue_reset_code(db, &admin, desk.person_id, now())
        .await
        .unwrap();
    let (status, body, _) = post(
        &app,
        "/api/reset_password",
        &format!("login=desk%40demo.ortalyq.kz&code={code}&new_password=a-new-desk-password"),
        None,
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let after_reset = login(&app, "desk@demo.ortalyq.kz", "a-new-desk-password")
        .await
        .unwrap_err();
    assert!(after_reset.contains("\"code\":\"invalid_credentials\""));
    assert!(is_disabled(db, desk.account_id).await);

    // The director's step is in the audit log of the center.
    let row = audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(app::audit::dto::AuditKind::AccountDisabled))
        .one(db)
        .await
        .unwrap()
        .expect("an audit row");
    assert_eq!(row.actor_account_id, Some(director.account_id));
    assert_eq!(row.center_id, desk.home_center_id);
    assert!(row.detail.contains("2 sessions ended"), "{}", row.detail);

    // Enabled again, the desk signs in with the new password.
    let (status, body, _) = post(
        &app,
        "/api/set_account_disabled",
        &format!("account_id={}&disabled=false", desk.account_id),
        Some(&boss),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let back = login(&app, "desk@demo.ortalyq.kz", "a-new-desk-password")
        .await
        .unwrap();
    assert!(signed_in(&app, &back).await);
    t.close().await;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    Err(&'static str),
}
use Expect::{Err as E, Ok as Done};

const NA: Expect = E("not_authenticated");
const FB: Expect = E("forbidden");
const NF: Expect = E("not_found");

/// Call `path` with `body` as each caller of the matrix in turn and check
/// each answer.
async fn matrix(
    app: &axum::Router,
    callers: &Callers,
    path: &str,
    body: &str,
    expect: [Expect; 8],
) {
    for (i, caller) in CALLERS.iter().enumerate() {
        let (status, answer, _) = post(app, path, body, callers.cookies[i].as_deref()).await;
        match expect[i] {
            Done => assert!(
                status.is_success(),
                "{path} {body} as {caller}: expected success, got {status} {answer}"
            ),
            E(code) => assert!(
                !status.is_success() && answer.contains(&format!("\"code\":\"{code}\"")),
                "{path} {body} as {caller}: expected {code}, got {status} {answer}"
            ),
        }
    }
}

async fn directors_manage_only_their_centers_desk_and_mentors(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_at(db, now());
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let callers = role_matrix(db, regional, temirtau).await;
    let admin = callers.users[5].clone();

    // Callers: anonymous, visitor, mentor, front desk, director (regional),
    // director (Temirtau), admin, front desk (Temirtau). Each target keeps a live session of its own.
    let targets = [
        (
            Role::FrontDesk,
            Some(regional),
            [NA, FB, FB, FB, Done, NF, Done, FB],
        ),
        (
            Role::Mentor,
            Some(regional),
            [NA, FB, FB, FB, Done, NF, Done, FB],
        ),
        (
            Role::FrontDesk,
            Some(temirtau),
            [NA, FB, FB, FB, NF, Done, Done, FB],
        ),
        (
            Role::Director,
            Some(regional),
            [NA, FB, FB, FB, FB, NF, Done, FB],
        ),
        (Role::Admin, None, [NA, FB, FB, FB, NF, NF, Done, FB]),
    ];
    for (role, center, expect) in targets {
        let u = make_user(db, role, center, "Target Staff").await;
        let cookie = session_cookie(db, u.account_id).await;
        // Every refusal before the first success leaves the account as it was.
        let first_ok = expect.iter().position(|e| *e == Done).unwrap();
        let body = format!("account_id={}&disabled=true", u.account_id);
        for (i, caller) in CALLERS.iter().enumerate().take(first_ok) {
            let (status, answer, _) = post(
                &app,
                "/api/set_account_disabled",
                &body,
                callers.cookies[i].as_deref(),
            )
            .await;
            let E(code) = expect[i] else { unreachable!() };
            assert!(
                !status.is_success() && answer.contains(&format!("\"code\":\"{code}\"")),
                "{role:?} target as {caller}: expected {code}, got {status} {answer}"
            );
            assert!(
                !is_disabled(db, u.account_id).await,
                "{role:?} disabled by {caller}"
            );
            assert!(
                signed_in(&app, &cookie).await,
                "{role:?} signed out by {caller}"
            );
        }
        matrix(&app, &callers, "/api/set_account_disabled", &body, expect).await;
        assert!(is_disabled(db, u.account_id).await);
        assert!(!signed_in(&app, &cookie).await);
    }

    // Nobody disables, demotes or signs out their own account here: the
    // admin cannot lock themselves out.
    let me = format!("account_id={}&disabled=true", admin.account_id);
    let admin_cookie = callers.cookies[6].as_deref();
    let (status, body, _) = post(&app, "/api/set_account_disabled", &me, admin_cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let demote = format!(
        "account_id={}&form[role]=front_desk&form[centers][0]={regional}",
        admin.account_id
    );
    let (status, body, _) = post(&app, "/api/update_staff", &demote, admin_cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(signed_in(&app, admin_cookie.unwrap()).await);

    // Roles and centers: a director gives front desk and mentor roles in
    // their own centers, nothing more.
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk To Move").await;
    let director_cookie = callers.cookies[4].as_deref();
    let change = |role: &str, center: i32| {
        format!(
            "account_id={}&form[role]={role}&form[centers][0]={center}",
            desk.account_id
        )
    };
    for (body, code) in [
        (change("director", regional), "forbidden"),
        (change("admin", regional), "forbidden"),
        (change("front_desk", temirtau), "forbidden"),
        (
            format!("account_id={}&form[role]=mentor", desk.account_id),
            "invalid",
        ),
    ] {
        let (status, answer, _) = post(&app, "/api/update_staff", &body, director_cookie).await;
        assert!(
            !status.is_success() && answer.contains(&format!("\"code\":\"{code}\"")),
            "{body}: {status} {answer}"
        );
    }
    let row = account::Entity::find_by_id(desk.account_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.role, Role::FrontDesk);
    matrix(
        &app,
        &callers,
        "/api/update_staff",
        &change("mentor", regional),
        [NA, FB, FB, FB, Done, FB, Done, FB],
    )
    .await;
    let row = account::Entity::find_by_id(desk.account_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.role, Role::Mentor);

    // Ending sessions: the same reach.
    let other_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Other Desk").await;
    let kept = session_cookie(db, other_desk.account_id).await;
    let (status, body, _) = post(
        &app,
        "/api/end_account_sessions",
        &format!("account_id={}", other_desk.account_id),
        director_cookie,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(signed_in(&app, &kept).await);
    let own = make_user(db, Role::FrontDesk, Some(regional), "Own Desk").await;
    let ended = session_cookie(db, own.account_id).await;
    let (status, body, _) = post(
        &app,
        "/api/end_account_sessions",
        &format!("account_id={}", own.account_id),
        director_cookie,
    )
    .await;
    assert!(status.is_success(), "{body}");
    assert!(!signed_in(&app, &ended).await);
    assert!(!is_disabled(db, own.account_id).await);
    t.close().await;
}

async fn staff_sessions_end_when_idle_and_after_twelve_hours(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk Idle").await;

    // Staff sign-in cookies last 12 hours, not 30 days.
    let (_, _, cookies) = post(
        &app_at(db, now()),
        "/api/login",
        &format!(
            "login=director%40demo.ortalyq.kz&password={}",
            server::seed::DEMO_PASSWORD
        ),
        None,
    )
    .await;
    let director_cookie = cookies
        .iter()
        .find(|c| c.starts_with("oq_session="))
        .unwrap();
    assert!(
        director_cookie.contains("Max-Age=43200"),
        "{director_cookie}"
    );

    // Used after 29 minutes, then left for 31: gone.
    let cookie = session_cookie(db, desk.account_id).await;
    assert!(signed_in(&app_at(db, now() + Duration::minutes(29)), &cookie).await);
    assert!(signed_in(&app_at(db, now() + Duration::minutes(58)), &cookie).await);
    let idle = app_at(db, now() + Duration::minutes(58 + 31));
    let (status, body, _) = post(&idle, "/api/desk_members", "query=", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(!signed_in(&idle, &cookie).await);
    assert_eq!(sessions_of(db, desk.account_id).await, 0);

    // Busy all day (a request every 20 minutes): over after 12 hours.
    let cookie = session_cookie(db, desk.account_id).await;
    for step in 1..36 {
        let at = now() + Duration::minutes(20 * step);
        assert!(signed_in(&app_at(db, at), &cookie).await, "at {at}");
    }
    assert!(!signed_in(&app_at(db, now() + Duration::hours(12)), &cookie).await);

    // The idle limit is a setting (ORTALYQ_STAFF_IDLE_MINUTES).
    let cookie = session_cookie(db, desk.account_id).await;
    let mut state = common::state(db);
    state.clock = Clock::Frozen(now() + Duration::minutes(45));
    state.sessions.staff_idle_minutes = 60;
    assert!(signed_in(&server::router(state), &cookie).await);
    t.close().await;
}

async fn visitor_sessions_outlast_idle_and_rotate(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Member Long").await;
    let old = session_cookie(db, member.account_id).await;

    // 31 minutes idle, then ten hours: still signed in, same token.
    for minutes in [31, 10 * 60] {
        let app = app_at(db, now() + Duration::minutes(minutes));
        let (_, body, cookies) = post(&app, "/api/whoami", "", Some(&old)).await;
        assert!(body.contains("\"first_name\""), "{body}");
        assert!(
            !cookies.iter().any(|c| c.starts_with("oq_session=")),
            "{cookies:?}"
        );
    }

    // A day on, the next request gets a new token.
    let day = now() + Duration::hours(25);
    let (_, body, cookies) = post(&app_at(db, day), "/api/whoami", "", Some(&old)).await;
    assert!(body.contains("\"first_name\""), "{body}");
    let fresh = cookies
        .iter()
        .find(|c| c.starts_with("oq_session="))
        .expect("a new session cookie");
    assert!(
        fresh.contains("Max-Age=2592000") && fresh.contains("HttpOnly"),
        "{fresh}"
    );
    let new = fresh.split(';').next().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(signed_in(&app_at(db, day), &new).await);

    // Requests sent alongside still go through for a moment, without a
    // second rotation; after that the old token is refused.
    let (_, body, cookies) = post(
        &app_at(db, day + Duration::seconds(30)),
        "/api/whoami",
        "",
        Some(&old),
    )
    .await;
    assert!(body.contains("\"first_name\""), "{body}");
    assert!(cookies.is_empty(), "{cookies:?}");
    let later = app_at(db, day + Duration::minutes(2));
    assert!(!signed_in(&later, &old).await);
    assert!(signed_in(&later, &new).await);
    let (status, _, _) = post(&later, "/api/my_card", "", Some(&old)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    t.close().await;
}

async fn the_staff_page_offers_forms_that_work_without_script(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = app_at(db, now());
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = user_by_email(db, "director@demo.ortalyq.kz").await;
    let boss = session_cookie(db, director.account_id).await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Leaving Desk").await;
    let other = make_user(db, Role::FrontDesk, Some(temirtau), "Temirtau Desk").await;

    // The director's page lists the own center's desk with its buttons,
    // not another center's staff, and offers no account creation.
    let req = Request::get("/admin/staff")
        .header(header::COOKIE, &boss)
        .header(header::ACCEPT_LANGUAGE, "kk")
        .body(Body::empty())
        .unwrap();
    let (status, html, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Leaving Desk"), "{html}");
    assert!(!html.contains("Temirtau Desk"));
    assert!(html.contains(&format!("data-testid=\"toggle-{}\"", desk.account_id)));
    assert!(html.contains("Бұғаттау"), "the Kazakh button");
    assert!(html.contains("action=\"/api/set_account_disabled\""));
    assert!(!html.contains("data-testid=\"create-account\""));
    assert!(!html.contains(&format!("toggle-{}", other.account_id)));
    assert!(!html.contains(&format!("toggle-{}", director.account_id)));

    // The forms as a browser without script posts them: back to the page.
    let browser_post = |path: &str, body: String| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .header(header::COOKIE, &boss)
            .header(header::REFERER, "http://localhost/admin/staff")
            .body(Body::from(body))
            .unwrap()
    };
    let id = desk.account_id;
    let (status, _, _) = send(
        &app,
        browser_post(
            "/api/set_account_disabled",
            format!("account_id={id}&disabled=true"),
        ),
    )
    .await;
    assert!(status.is_redirection(), "{status}");
    assert!(is_disabled(db, id).await);
    // Role and centers: the ticked boxes of the center list (a gap where
    // a box is left unticked).
    let body = format!("account_id={id}&form%5Brole%5D=mentor&form%5Bcenters%5D%5B1%5D={regional}");
    let resp = answer(&app, browser_post("/api/update_staff", body)).await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    assert_eq!(
        resp.header(header::LOCATION).trim_end_matches('?'),
        "http://localhost/admin/staff"
    );
    let row = account::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.role, row.home_center_id),
        (Role::Mentor, Some(regional))
    );
    t.close().await;
}

on_both_databases!(
    disabled_account_is_out_at_once_and_stays_out,
    directors_manage_only_their_centers_desk_and_mentors,
    staff_sessions_end_when_idle_and_after_twelve_hours,
    visitor_sessions_outlast_idle_and_rotate,
    the_staff_page_offers_forms_that_work_without_script,
);
