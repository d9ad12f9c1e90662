//! Every server fn is a public HTTP endpoint. These tests enumerate the
//! registered server fns, call each one over HTTP as every kind of caller and
//! compare with the declared policy, so a new fn without a policy fails here.

#[macro_use]
mod common;

use app::domain::people::Role;
use app::model::space;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::callers::{person_by_email, role_matrix, session_cookie, Callers, CALLERS};
use common::fixtures::{book_one, pass_of, pending_hall_request};
use common::http::{answer, fetch, send};
use common::{local, make_user, now, Backend, TestDb};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    Err(&'static str),
}
use Expect::*;

thread_local! {
    /// Client address sent as X-Forwarded-For (each simulated caller gets its
    /// own, so sign-in rate limits per address do not mix callers).
    static FORWARDED_FOR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

struct Policy {
    body: String,
    expect: [Expect; 8],
}

async fn call(
    app: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Vec<String>) {
    // JSON-bodied server fns (sync_offline) get JSON; the rest form data.
    let ctype = if body.starts_with('{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, ctype)
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if let Some(ip) = FORWARDED_FOR.with(|f| f.borrow().clone()) {
        req = req.header("x-forwarded-for", ip);
    }
    send(app, req.body(Body::from(body.to_owned())).unwrap()).await
}

async fn every_server_fn_authorizes_every_caller(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut state = common::state(db);
    state.trust_proxy = true;
    let app = server::router(state);
    let regional = common::center_id(db, "karaganda-regional").await;
    let temirtau = common::center_id(db, "temirtau").await;
    let pool = common::space_of(db, regional, "coworking").await;

    let Callers {
        users: callers,
        cookies,
    } = role_matrix(db, regional, temirtau).await;
    let mentor = callers[1].clone();
    let minor = person_by_email(db, "minor@demo.ortalyq.kz").await;

    // Fixtures owned by nobody calling: a member's pending lecture-hall
    // request (staff decide it) and a coworking booking (staff may move it).
    let hall = common::space_of(db, regional, "lecture_hall").await;
    let sound = common::space_of(db, regional, "sound_studio").await;
    let third = make_user(db, Role::Visitor, Some(regional), "Third Member").await;
    let pending = pending_hall_request(db, &third, hall.id).await;
    let movable = book_one(db, &third, pool.id, local(3, 12, 0)).await.id;

    // Clubs led by the calling mentor: one meeting today at 10:00 (begun,
    // so its roster can be ticked), an anonymous one too, and an event.
    let design = common::space_of(db, regional, "design_studio").await;
    let boss = make_user(db, Role::Director, Some(regional), "Club Director").await;
    let club_form = |anonymous: bool, time: &str| app::clubs::dto::ClubForm {
        space_id: design.id,
        leader_account_id: mentor.account_id,
        name_en: "Oratory club".into(),
        direction: "culture".into(),
        weekday: 1,
        start_time: time.into(),
        duration_minutes: 60,
        term_start: "2026-12-01".into(),
        term_end: "2026-12-29".into(),
        capacity: 20,
        anonymous,
        ..Default::default()
    };
    let club = app::clubs::manage::create(db, &boss, &club_form(false, "10:00"), now())
        .await
        .unwrap();
    let quiet = app::clubs::manage::create(db, &boss, &club_form(true, "09:00"), now())
        .await
        .unwrap();
    app::clubs::service::join(db, &common::keys(), &third, club, now())
        .await
        .unwrap();
    let session_of = |club: i32| async move {
        app::model::club_session::Entity::find()
            .filter(app::model::club_session::Column::ClubId.eq(club))
            .filter(app::model::club_session::Column::StartsAt.lt(local(2, 0, 0)))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (today_session, quiet_session) = (session_of(club).await, session_of(quiet).await);
    let event = app::clubs::events::create(
        db,
        &boss,
        &app::clubs::dto::EventForm {
            space_id: design.id,
            name_en: "Film screening".into(),
            direction: "culture".into(),
            date: "2026-12-05".into(),
            start_time: "15:00".into(),
            duration_minutes: 120,
            capacity: 30,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    let club_body = format!(
        "form[space_id]={}&form[leader_account_id]=0&form[name_kk]=&form[name_ru]=&form[name_en]=\
         &form[description_kk]=&form[description_ru]=&form[description_en]=&form[direction]=culture\
         &form[weekday]=3&form[start_time]=18:00&form[duration_minutes]=60&form[term_start]=2026-12-02\
         &form[term_end]=2026-12-30&form[capacity]=10&form[min_age]=0&form[max_age]=0",
        design.id
    );
    let event_body = format!(
        "form[space_id]={}&form[name_kk]=&form[name_ru]=&form[name_en]=\
         &form[description_kk]=&form[description_ru]=&form[description_en]=&form[direction]=culture\
         &form[date]=2026-12-06&form[start_time]=12:00&form[duration_minutes]=60&form[capacity]=10&form[min_age]=0",
        design.id
    );

    // Programs: the seeded School of Analytics with its waiting application,
    // and the finished media school (held sessions, the demo visitor took part).
    let program_named = |name: &'static str| async move {
        app::model::program::Entity::find()
            .filter(app::model::program::Column::NameRu.eq(name))
            .one(db)
            .await
            .unwrap()
            .unwrap()
    };
    let analytics = program_named("Школа аналитики").await;
    let media = program_named("Школа юного журналиста").await;
    let waiting = app::model::program_application::Entity::find()
        .filter(app::model::program_application::Column::ProgramId.eq(analytics.id))
        .filter(app::model::program_application::Column::Status.eq("submitted"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let media_session = app::model::program_session::Entity::find()
        .filter(app::model::program_session::Column::ProgramId.eq(media.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let demo_visitor = person_by_email(db, "visitor@demo.ortalyq.kz").await.id;
    // The region's centers and calendar: a spare center to edit, movable
    // holidays on 4 and 6 February 2027 (the days the own director and the
    // admin open), one to remove, and an opening to close again.
    let region_admin = &callers[5];
    let spare = {
        let f = app::centers::admin_dto::CenterForm {
            name_kk: "Қосалқы".into(),
            name_ru: "Запасной".into(),
            name_en: "Spare".into(),
            district: "Шет ауданы".into(),
            settlement: "rural".into(),
            address: "Ақсу-Аюлы".into(),
            timezone: "Asia/Almaty".into(),
            ..Default::default()
        };
        app::centers::admin::create(db, region_admin, f, now())
            .await
            .unwrap()
    };
    let holiday_on = |day: &str| app::centers::admin_dto::HolidayForm {
        day: day.into(),
        name_kk: "Мереке".into(),
        name_ru: "Праздник".into(),
        name_en: "Holiday".into(),
    };
    for day in ["2027-02-04", "2027-02-06", "2027-03-03"] {
        app::centers::calendar::add_holiday(db, region_admin, holiday_on(day), now())
            .await
            .unwrap();
    }
    let removable = app::model::holiday::Entity::find()
        .filter(app::model::holiday::Column::Month.eq(3))
        .filter(app::model::holiday::Column::Day.eq(3))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    app::centers::calendar::add_opening(db, region_admin, regional, "2026-12-16", "Concert", now())
        .await
        .unwrap();
    let opening = app::model::holiday_opening::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    // A webhook endpoint of the regional center.
    let hook = {
        use sea_orm::{ActiveModelTrait, Set};
        app::model::webhook_endpoint::ActiveModel {
            url: Set("https://hooks.example.kz/ortalyq".into()),
            center_id: Set(Some(regional)),
            events: Set("booking.created".into()),
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
    };

    // Mentors and lending: a free IT consultation time, the demo's items,
    // and a reservation of the third member's (staff cancel it).
    let it_mentor = app::model::mentor::Entity::find()
        .filter(app::model::mentor::Column::Field.eq("it"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let it_slot = app::model::consultation_slot::Entity::find()
        .filter(app::model::consultation_slot::Column::MentorId.eq(it_mentor.id))
        .filter(app::model::consultation_slot::Column::BookedBy.is_null())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let item_id = |label: &'static str| async move {
        app::model::equipment_item::Entity::find()
            .filter(app::model::equipment_item::Column::LabelCode.eq(label))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (camera, tripod, light) = (
        item_id("EQ-0001").await,
        item_id("EQ-0005").await,
        item_id("EQ-0002").await,
    );
    let reservation =
        app::equipment::service::reserve(db, &third, light, None, now(), app::i18n::Locale::En)
            .await
            .unwrap()
            .id;
    let third_number = app::domain::membership::member_number(third.person_id);
    // A front desk of the regional center who is leaving.
    let leaver = make_user(db, Role::FrontDesk, Some(regional), "Leaving Desk").await;

    // One row per server fn: the request body, then the expected answer for
    // each caller in CALLERS order:
    //   anonymous, visitor, mentor, front desk, director (own center),
    //   director of another center, admin, front desk of another center.
    const NA: Expect = Err("not_authenticated");
    const FB: Expect = Err("forbidden");
    const NF: Expect = Err("not_found");
    const IV: Expect = Err("invalid");
    const IC: Expect = Err("invalid_credentials");
    const CR: Expect = Err("consent_required");
    const AD: Expect = Err("already_decided");
    const CT: Expect = Err("consultation_taken");
    const IU: Expect = Err("item_unavailable");
    const BC: Expect = Err("booking_closed");
    let rows: Vec<(&str, String, [Expect; 8])> = vec![
        ("/api/whoami", String::new(), [Ok; 8]),
        ("/api/centers", String::new(), [Ok; 8]),
        ("/api/center", format!("center_id={regional}"), [Ok; 8]),
        (
            "/api/availability",
            format!("space_id={}", pool.id),
            [Ok; 8],
        ),
        (
            "/api/login",
            "login=nobody{caller}%40example.kz&password=x".into(),
            [IC; 8],
        ),
        ("/api/register", "form[full_name]=".into(), [IV; 8]),
        (
            "/api/book",
            format!(
                "space_id={}&starts_at={}",
                pool.id,
                local(2, 10, 0).timestamp()
            ),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/my_bookings",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        ("/api/my_card", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/api/closures", String::new(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        (
            "/api/new_calendar_link",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/revoke_calendar_link",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        // Telegram: everyone signed in sees the card, unlinks and chooses a
        // channel; only members get a link code.
        (
            "/api/telegram_card",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/telegram_link_code",
            String::new(),
            [NA, Ok, FB, FB, FB, FB, FB, FB],
        ),
        (
            "/api/unlink_telegram",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/set_notify_channel",
            "channel=default".into(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        // Nobody in the matrix has a linked chat.
        (
            "/api/set_notify_channel",
            "channel=telegram".into(),
            [NA, IV, IV, IV, IV, IV, IV, IV],
        ),
        // Booking for a walk-in member (the demo minor has no consent yet).
        (
            "/api/book",
            format!(
                "space_id={}&starts_at={}&for_person={}",
                pool.id,
                local(2, 11, 0).timestamp(),
                minor.id
            ),
            [NA, FB, FB, CR, CR, FB, CR, FB],
        ),
        (
            "/api/member_brief",
            format!("person_id={}", minor.id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/add_closure",
            format!("center_id={regional}&day=2026-12-20&reason=Repairs"),
            [NA, FB, FB, Ok, Ok, FB, Ok, FB],
        ),
        (
            "/api/remove_closure",
            "closure_id=999999".into(),
            [NA, FB, FB, NF, NF, NF, NF, NF],
        ),
        // Nobody's booking 999999: signed-in callers learn nothing more.
        (
            "/api/cancel_booking",
            "booking_id=999999".into(),
            [NA, NF, NF, NF, NF, NF, NF, NF],
        ),
        (
            "/api/scan",
            "code=NOT-A-PASS".into(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/occupancy_today",
            format!("center_id={regional}"),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/center_report",
            format!("query[center]={regional}&query[from]=2026-11-01&query[to]=2026-11-30"),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        // The audit log: directors for their own center, admins for all.
        (
            "/api/audit_log",
            format!("query[center]={regional}"),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/audit_log",
            String::new(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        (
            "/api/regional_report",
            "query[from]=2026-11-01".into(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        (
            "/api/desk_members",
            "query=".into(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        // Another center's director cannot even learn that a Karaganda member exists.
        (
            "/api/record_consent",
            format!("person_id={}", minor.id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/issue_reset_code",
            format!("person_id={}", minor.id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/change_password",
            "current_password=wrong&new_password=whatever1".into(),
            [NA, IV, IV, IV, IV, IV, IV, IV],
        ),
        (
            "/api/reset_password",
            "login=someone{caller}%40example.kz&code=00000000&new_password=whatever1".into(),
            [IC; 8],
        ),
        // Only visitors delete their own account; staff accounts are closed by an admin.
        (
            "/api/delete_my_account",
            "confirm=no".into(),
            [NA, IV, FB, FB, FB, FB, FB, FB],
        ),
        // Directors see their centers' staff; admins everyone.
        (
            "/api/list_staff",
            String::new(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        // Offboarding a front desk of the regional center: its director and
        // admins; the other center's director learns nothing of it.
        (
            "/api/update_staff",
            format!(
                "account_id={}&form[role]=front_desk&form[centers][0]={regional}",
                leaver.account_id
            ),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/end_account_sessions",
            format!("account_id={}", leaver.account_id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/set_account_disabled",
            format!("account_id={}&disabled=true", leaver.account_id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        // An admin: no director reaches it, and it cannot disable itself.
        (
            "/api/set_account_disabled",
            format!("account_id={}&disabled=true", callers[5].account_id),
            [NA, FB, FB, FB, NF, NF, FB, FB],
        ),
        (
            "/api/create_account",
            "form[full_name]=".into(),
            [NA, FB, FB, FB, FB, FB, IV, FB],
        ),
        // API tokens for integrations: regional admins only.
        ("/api/api_tokens", String::new(), [NA, FB, FB, FB, FB, FB, Ok, FB]),
        (
            "/api/create_api_token",
            format!("form[name]=&form[center_id]={regional}"),
            [NA, FB, FB, FB, FB, FB, IV, FB],
        ),
        (
            "/api/revoke_api_token",
            "id=999999".into(),
            [NA, FB, FB, FB, FB, FB, NF, FB],
        ),
        // Only a minor awaiting consent may; none of these callers is one.
        (
            "/api/send_guardian_code",
            String::new(),
            [NA, FB, FB, FB, FB, FB, FB, FB],
        ),
        (
            "/api/confirm_guardian_consent",
            "child_login=child{caller}%40example.kz&code=000000".into(),
            [IC; 8],
        ),
        // Registration codes: public; a wrong one is the same answer for
        // everyone, and a resend answers alike whether or not one waits.
        (
            "/api/confirm_signup",
            "login=nobody{caller}%40example.kz&code=00000000".into(),
            [IC; 8],
        ),
        (
            "/api/resend_signup_code",
            "login=nobody{caller}%40example.kz".into(),
            [Ok; 8],
        ),
        // Someone else's booking: staff of its center move it (again and
        // again: the move is idempotent); members and other centers get 404.
        (
            "/api/reschedule",
            format!(
                "booking_id={movable}&starts_at={}",
                local(3, 14, 0).timestamp()
            ),
            [NA, NF, NF, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/pending_requests",
            String::new(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        // The desk approves first; later staff of the center are told so.
        (
            "/api/decide_request",
            format!("booking_id={pending}&approve=true"),
            [NA, FB, FB, Ok, AD, NF, AD, NF],
        ),
        (
            "/api/managed_spaces",
            String::new(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        (
            "/api/space_rules",
            format!("space_id={}", pool.id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/save_space_rules",
            format!(
                "space_id={}&rules[capacity]=20&rules[max_party]=20&rules[slot_minutes]=60\
                 &rules[min_minutes]=60&rules[max_minutes]=240&rules[buffer_minutes]=0\
                 &rules[min_notice_minutes]=0&rules[max_advance_days]=14\
                 &rules[cancel_notice_minutes]=60&rules[min_age]=0&rules[checkin_open_minutes]=15&rules[no_show_minutes]=15",
                pool.id
            ),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        // Space administration: the space's director and admins.
        (
            "/api/new_space_form",
            "kind=podcast_studio".into(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        (
            "/api/space_editor",
            format!("space_id={}", pool.id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/create_space",
            format!(
                "details[center_id]={regional}&details[kind]=meeting_room\
                 &details[name_kk]=Room{{caller}}kk&details[name_ru]=Room{{caller}}ru\
                 &details[name_en]=Room{{caller}}en\
                 &rules[capacity]=10&rules[max_party]=10&rules[slot_minutes]=30\
                 &rules[min_minutes]=30&rules[max_minutes]=120&rules[buffer_minutes]=0\
                 &rules[min_notice_minutes]=60&rules[max_advance_days]=14\
                 &rules[cancel_notice_minutes]=120&rules[min_age]=0&rules[checkin_open_minutes]=15&rules[no_show_minutes]=15"
            ),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        // An empty name: the form is refused after the caller is.
        (
            "/api/save_space_details",
            format!(
                "space_id={}&details[center_id]={regional}&details[kind]=coworking\
                 &details[name_kk]=&details[name_ru]=&details[name_en]=",
                pool.id
            ),
            [NA, FB, FB, FB, IV, NF, IV, FB],
        ),
        (
            "/api/reactivate_space",
            format!("space_id={}", pool.id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        // Without the explicit confirmation nothing is deactivated.
        (
            "/api/deactivate_space",
            format!("space_id={}&reason=repairs", pool.id),
            [NA, FB, FB, FB, IV, NF, IV, FB],
        ),
        (
            "/api/center_settings",
            format!("center_id={regional}"),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/save_center_settings",
            format!(
                "center_id={regional}&settings[mon_opens]=09:00&settings[mon_closes]=21:00\
                 &settings[max_future_bookings]=3&settings[max_studio_hours]=4\
                 &settings[strike_limit]=3&settings[strike_window_days]=30&settings[strike_block_days]=7"
            ),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/induction_spaces",
            String::new(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/set_induction",
            format!(
                "person_id={}&space_id={}&passed=true",
                third.person_id, sound.id
            ),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        // The third member has no no-shows: nothing to pardon, but staff of
        // the member's center may look; others learn nothing.
        (
            "/api/pardon_no_shows",
            format!("person_id={}", third.person_id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/undo_check_in",
            "check_in_id=999999".into(),
            [NA, FB, FB, NF, NF, NF, NF, NF],
        ),
        // Each staff member's own first center; members are refused.
        (
            "/api/today_board",
            String::new(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "/api/today_board",
            format!("center_id={temirtau}"),
            [NA, FB, FB, NF, NF, Ok, Ok, Ok],
        ),
        ("/api/door_search", "query=Third".into(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        ("/api/offline_bundle", String::new(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        (
            "/api/sync_offline",
            r#"{"device":"tablet","scans":[]}"#.into(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        ("/api/clubs", String::new(), [Ok; 8]),
        ("/api/club", format!("club_id={club}"), [Ok; 8]),
        ("/api/club_join", format!("club_id={club}"), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/api/club_leave", format!("club_id={club}"), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        // The leader and the center's staff; not members or another center.
        (
            "/api/club_roster",
            format!("club_id={club}"),
            [NA, FB, Ok, Ok, Ok, FB, Ok, FB],
        ),
        (
            "/api/club_mark",
            format!(
                "session_id={today_session}&person_id={}&present=true",
                third.person_id
            ),
            [NA, FB, Ok, Ok, Ok, FB, Ok, FB],
        ),
        (
            "/api/club_head_count",
            format!("session_id={quiet_session}&count=4"),
            [NA, FB, Ok, Ok, Ok, FB, Ok, FB],
        ),
        (
            "/api/club_cancel_session",
            format!("session_id={today_session}&reason="),
            [NA, FB, IV, IV, IV, FB, IV, FB],
        ),
        (
            "/api/activity_form_options",
            String::new(),
            [NA, FB, FB, FB, Ok, Ok, Ok, FB],
        ),
        // Directors of the room's center and admins; the form is empty.
        ("/api/club_create", club_body, [NA, FB, FB, FB, IV, FB, IV, FB]),
        // Changing a club after creation: directors of its center and
        // admins (not its leader); the forms are empty or wrong.
        (
            "/api/club_edit_data",
            format!("club_id={club}"),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/club_update",
            format!(
                "club_id={club}&form[leader_account_id]=0&form[name_kk]=&form[name_ru]=&form[name_en]=\
                 &form[description_kk]=&form[description_ru]=&form[description_en]=&form[direction]=culture\
                 &form[space_id]={}&form[weekday]=1&form[start_time]=10:00&form[duration_minutes]=60\
                 &form[term_end]=2026-12-29&form[capacity]=20&form[min_age]=0&form[max_age]=0",
                design.id
            ),
            [NA, FB, FB, FB, IV, FB, IV, FB],
        ),
        (
            "/api/club_move_session",
            format!(
                "session_id={today_session}&date=&start_time=18:00&space_id={}",
                design.id
            ),
            [NA, FB, FB, FB, IV, FB, IV, FB],
        ),
        (
            "/api/club_cancel",
            format!("club_id={club}&reason="),
            [NA, FB, FB, FB, IV, FB, IV, FB],
        ),
        ("/api/events", String::new(), [Ok; 8]),
        ("/api/event", format!("event_id={event}"), [Ok; 8]),
        ("/api/event_register", format!("event_id={event}"), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/api/event_cancel", format!("event_id={event}"), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/api/event_create", event_body, [NA, FB, FB, FB, IV, FB, IV, FB]),
        (
            "/api/event_edit_data",
            format!("event_id={event}"),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/event_update",
            format!(
                "event_id={event}&form[name_kk]=&form[name_ru]=&form[name_en]=\
                 &form[description_kk]=&form[description_ru]=&form[description_en]=&form[direction]=culture\
                 &form[space_id]={}&form[date]=2026-12-05&form[start_time]=15:00&form[duration_minutes]=120\
                 &form[capacity]=30&form[min_age]=0",
                design.id
            ),
            [NA, FB, FB, FB, IV, FB, IV, FB],
        ),
        (
            "/api/event_call_off",
            format!("event_id={event}&reason="),
            [NA, FB, FB, FB, IV, FB, IV, FB],
        ),
        // The center's staff count heads, once the event is about to begin.
        (
            "/api/event_head_count",
            format!("event_id={event}&count=5"),
            [NA, FB, FB, BC, BC, FB, BC, FB],
        ),
        ("/api/notices", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/api/notices_read", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        // Programs: the list, a program's page and certificates are public.
        ("/api/programs", String::new(), [Ok; 8]),
        (
            "/api/program",
            format!("program_id={}", analytics.id),
            [Ok; 8],
        ),
        // Every signed-in caller (aged 21, a master's degree on the form)
        // may apply for themselves.
        (
            "/api/apply_program",
            format!(
                "program_id={}&form[education]=master&form[occupation]=employed\
                 &form[settlement]=city&form[motivation]=Analysis",
                analytics.id
            ),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        ("/api/my_applications", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        // Someone else's application: nobody but its applicant withdraws it.
        (
            "/api/withdraw_application",
            format!("application_id={waiting}"),
            [NA, NF, NF, NF, NF, NF, NF, NF],
        ),
        ("/api/program_review", String::new(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        (
            "/api/decide_application",
            format!("application_id={waiting}&accept=true"),
            [NA, FB, FB, Ok, AD, NF, AD, NF],
        ),
        ("/api/managed_programs", String::new(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        (
            "/api/create_program",
            format!(
                "form[center_id]={regional}&form[name_ru]=Debate&form[direction]=culture\
                 &form[capacity]=10&form[completion_percent]=80"
            ),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/add_program_sessions",
            format!(
                "program_id={}&series[first_date]=2026-12-20&series[start_time]=18:00\
                 &series[minutes]=60&series[weeks]=1&series[title]=Debate",
                analytics.id
            ),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        // Changing a program: directors of its center and admins; the
        // media school's sessions are over.
        (
            "/api/program_edit_data",
            format!("program_id={}", analytics.id),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/program_update",
            format!("program_id={}&form[name_en]=&form[capacity]=", analytics.id),
            [NA, FB, FB, FB, IV, NF, IV, FB],
        ),
        (
            "/api/program_move_session",
            format!("session_id={media_session}&date=2026-12-21&start_time=10:00"),
            [NA, FB, FB, FB, BC, NF, BC, FB],
        ),
        (
            "/api/program_cancel_session",
            format!("session_id={media_session}"),
            [NA, FB, FB, FB, BC, NF, BC, FB],
        ),
        (
            "/api/program_cancel",
            format!("program_id={}&reason=", analytics.id),
            [NA, FB, FB, FB, IV, NF, IV, FB],
        ),
        (
            "/api/program_staff",
            format!("program_id={}", analytics.id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/program_roster",
            format!("session_id={media_session}"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/mark_program_attendance",
            format!("session_id={media_session}&person_id={demo_visitor}&present=true"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/issue_certificates",
            format!("program_id={}", media.id),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/certificate",
            format!("code={}", server::seed::DEMO_CERTIFICATE),
            [Ok; 8],
        ),
        ("/api/mentors", "field=psychology".into(), [Ok; 8]),
        // The first member books the time; everyone after is told it is taken.
        (
            "/api/book_consultation",
            format!("slot_id={it_slot}&topic=Portfolio"),
            [NA, Ok, CT, CT, CT, CT, CT, CT],
        ),
        // Only the member who booked may cancel it.
        (
            "/api/cancel_consultation",
            format!("slot_id={it_slot}"),
            [NA, Ok, NF, NF, NF, NF, NF, NF],
        ),
        (
            "/api/my_consultations",
            String::new(),
            [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        // Mentors only (this mentor account has no profile yet: an empty page).
        (
            "/api/mentor_schedule",
            String::new(),
            [NA, FB, Ok, FB, FB, FB, FB, FB],
        ),
        (
            "/api/publish_slots",
            "date=2026-12-10&time=10:00&minutes=45".into(),
            [NA, FB, NF, FB, FB, FB, FB, FB],
        ),
        (
            "/api/withdraw_slot",
            format!("slot_id={it_slot}"),
            [NA, FB, NF, FB, FB, FB, FB, FB],
        ),
        (
            "/api/save_mentor_profile",
            "field=it&lang_kk=true&bio_kk=IT&bio_ru=&bio_en=".into(),
            [NA, FB, Ok, FB, FB, FB, FB, FB],
        ),
        (
            "/api/consultation_report",
            format!("center_id={regional}"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        ("/api/equipment", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        // The first caller reserves the tripod; then it is taken.
        (
            "/api/reserve_item",
            format!("item_id={tripod}"),
            [NA, Ok, IU, IU, IU, IU, IU, IU],
        ),
        // Someone else's reservation: staff of its center cancel it (once).
        (
            "/api/cancel_reservation",
            format!("loan_id={reservation}"),
            [NA, NF, NF, Ok, BC, NF, BC, NF],
        ),
        ("/api/my_loans", String::new(), [NA, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        // A typed member number: the desk of the member's home center only.
        (
            "/api/desk_lending_member",
            format!("code={third_number}"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/check_out_item",
            format!("code={third_number}&item_code=EQ-0003"),
            [NA, FB, FB, Ok, IU, NF, IU, NF],
        ),
        (
            "/api/return_item",
            "item_code=EQ-0003&condition=good".into(),
            [NA, FB, FB, Ok, NF, NF, NF, NF],
        ),
        (
            "/api/overdue_loans",
            String::new(),
            [NA, FB, FB, Ok, Ok, Ok, Ok, Ok],
        ),
        // Directors of the center and admins add items (serials differ per caller).
        (
            "/api/add_item",
            format!("center_id={regional}&kind=tripod&name=Tripod&serial=SER-{{caller}}&loan_days=2"),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/set_item_condition",
            format!("item_id={camera}&condition=good"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        (
            "/api/item_label",
            format!("item_id={camera}"),
            [NA, FB, FB, Ok, Ok, NF, Ok, NF],
        ),
        // The region's directions: the regional admin.
        ("/api/directions_admin", String::new(), [NA, FB, FB, FB, FB, FB, Ok, FB]),
        (
            "/api/save_direction",
            "direction[code]=debate&direction[name_kk]=Дебат&direction[name_ru]=Дебаты\
             &direction[name_en]=Debate&new=true"
                .into(),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        (
            "/api/set_direction_retired",
            "code=debate&retired=true".into(),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        // The region's centers and holiday calendar: the regional admin.
        ("/api/admin_centers", String::new(), [NA, FB, FB, FB, FB, FB, Ok, FB]),
        (
            "/api/admin_center",
            format!("center_id={temirtau}"),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        (
            "/api/create_center",
            "form[name_kk]=Нұра&form[name_ru]=Нура&form[name_en]=Nura&form[district]=Нұра ауданы\
             &form[settlement]=rural&form[address]=Киевка&form[timezone]=Asia/Almaty\
             &form[mon_opens]=09:00&form[mon_closes]=18:00"
                .into(),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        (
            "/api/save_center",
            format!(
                "center_id={spare}&form[name_kk]=Қосалқы&form[name_ru]=Запасной&form[name_en]=Spare\
                 &form[district]=Шет ауданы&form[settlement]=rural&form[address]=Ақсу-Аюлы\
                 &form[timezone]=Asia/Almaty&form[fri_opens]=18:00&form[fri_closes]=02:00"
            ),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        (
            "/api/set_center_active",
            format!("center_id={spare}&active=false"),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        ("/api/holidays_admin", "year=2027".into(), [NA, FB, FB, FB, FB, FB, Ok, FB]),
        (
            "/api/add_holiday",
            "holiday[day]=2028-05-04&holiday[name_kk]=Құрбан айт&holiday[name_ru]=Курбан айт\
             &holiday[name_en]=Kurban ait"
                .into(),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        (
            "/api/remove_holiday",
            format!("holiday_id={removable}"),
            [NA, FB, FB, FB, FB, FB, Ok, FB],
        ),
        // Holiday openings: staff see them; directors of the center and
        // admins open a holiday ({caller} picks 4 or 6 February 2027).
        ("/api/holiday_openings", String::new(), [NA, FB, FB, Ok, Ok, Ok, Ok, Ok]),
        (
            "/api/add_holiday_opening",
            format!("center_id={regional}&day=2027-02-0{{caller}}&reason=Debate final"),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        (
            "/api/remove_holiday_opening",
            format!("opening_id={opening}"),
            [NA, FB, FB, FB, Ok, NF, NF, FB],
        ),
        // Webhooks: directors (their centers) and admins (all).
        ("/api/list_webhooks", String::new(), [NA, FB, FB, FB, Ok, Ok, Ok, FB]),
        (
            "/api/create_webhook",
            format!(
                "form[url]=https://hooks.example.kz/new&form[center]={regional}\
                 &form[events][0]=booking.created&form[events][1]=check_in"
            ),
            [NA, FB, FB, FB, Ok, FB, Ok, FB],
        ),
        (
            "/api/set_webhook_active",
            format!("endpoint_id={hook}&active=false"),
            [NA, FB, FB, FB, Ok, NF, Ok, FB],
        ),
        // Logout last: it ends the sessions used above.
        ("/api/logout", String::new(), [Ok; 8]),
    ];
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    for path in &registered {
        assert!(
            rows.iter().any(|(p, _, _)| p == path),
            "server fn {path} has no authorization policy in this test"
        );
    }
    assert_eq!(
        rows.last().map(|r| r.0),
        Some("/api/logout"),
        "logout must come last"
    );
    let mut wrong: Vec<String> = Vec::new();
    for (path, body, expect) in rows {
        assert!(
            registered.iter().any(|r| r == path),
            "policy for unregistered fn {path}"
        );
        let p = Policy { body, expect };
        for (i, caller) in CALLERS.iter().enumerate() {
            // Failed sign-ins count per login and per address: give each
            // caller its own of both.
            FORWARDED_FOR.with(|f| *f.borrow_mut() = Some(format!("10.0.0.{i}")));
            let body = p.body.replace("{caller}", &i.to_string());
            let (status, body, _) = call(&app, path, &body, cookies[i].as_deref()).await;
            // Every mismatch of the whole matrix is listed at the end.
            match p.expect[i] {
                Ok if status.is_success() || status.is_redirection() => {}
                Ok => wrong.push(format!(
                    "{path} as {caller}: expected success, got {status} {body}"
                )),
                Err(code) => {
                    if status.is_success() || !body.contains(&format!("\"code\":\"{code}\"")) {
                        wrong.push(format!(
                            "{path} as {caller}: expected {code}, got {status} {body}"
                        ));
                        continue;
                    }
                    let want = match code {
                        "not_authenticated" | "invalid_credentials" => 401,
                        "forbidden" => 403,
                        "not_found" => 404,
                        "invalid" => 422,
                        "rate_limited" => 429,
                        "consent_required" => 403,
                        "already_decided" => 409,
                        "consultation_taken" | "item_unavailable" | "booking_closed" => 409,
                        other => panic!("no status declared for {other}"),
                    };
                    if status.as_u16() != want {
                        wrong.push(format!("{path} as {caller}: status {status}, not {want}"));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    FORWARDED_FOR.with(|f| *f.borrow_mut() = None);
    // A director sees the own center (by default and by id), not another.
    let d = make_user(db, Role::Director, Some(temirtau), "Director T").await;
    let cookie = session_cookie(db, d.account_id).await;
    let (s, body, _) = call(
        &app,
        "/api/occupancy_today",
        &format!("center_id={temirtau}"),
        Some(&cookie),
    )
    .await;
    assert!(s.is_success(), "{body}");
    let (s, body, _) = call(&app, "/api/occupancy_today", "", Some(&cookie)).await;
    assert!(
        s.is_success() && body.contains(&format!("\"center\":{{\"id\":{temirtau},")),
        "{body}"
    );
    let (_, body, _) = call(
        &app,
        "/api/occupancy_today",
        &format!("center_id={regional}"),
        Some(&cookie),
    )
    .await;
    assert!(body.contains("\"code\":\"forbidden\""), "{body}");
    t.close().await;
}

async fn login_sets_a_safe_session_cookie(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    let body = format!(
        "login=visitor%40demo.ortalyq.kz&password={}",
        server::seed::DEMO_PASSWORD
    );
    let (status, _, cookies) = call(&app, "/api/login", &body, None).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let session = cookies
        .iter()
        .find(|c| c.starts_with("oq_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("oq_lang=ru")),
        "{cookies:?}"
    );
    let pair = session.split(';').next().unwrap().to_owned();
    let (_, body, _) = call(&app, "/api/whoami", "", Some(&pair)).await;
    assert!(
        body.contains("Аружан") && body.contains("Visitor"),
        "{body}"
    );
    // Wrong password: the same answer as an unknown login.
    let (status, body, cookies) = call(
        &app,
        "/api/login",
        "login=visitor%40demo.ortalyq.kz&password=nope",
        None,
    )
    .await;
    assert!(!status.is_success() && body.contains("invalid_credentials") && cookies.is_empty());
    t.close().await;
}

async fn get(app: &axum::Router, path: &str, lang: &str) -> (StatusCode, String) {
    let req = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap();
    let (status, body, _) = send(app, req).await;
    (status, body)
}

async fn pages_render_on_the_server_in_the_visitors_language(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    let (s, html) = get(&app, "/", "ru-RU,ru;q=0.9").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<html lang=\"ru\""), "{html}");
    assert!(html.contains("Карагандинский областной молодёжный ресурсный центр"));
    let (_, html) = get(&app, "/", "kk").await;
    assert!(html.contains("Қарағанды облыстық жастар ресурстық орталығы"));
    let pool = space::Entity::find()
        .filter(space::Column::Kind.eq("coworking"))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let (s, html) = get(&app, &format!("/spaces/{}", pool.id), "en").await;
    // Hydration markers sit between text nodes.
    let html = html.replace("<!>", "");
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("11:00–12:00") && html.contains("20 seats left"),
        "slots missing"
    );
    let (_, html) = get(&app, "/my", "en").await;
    assert!(html.contains("not_authenticated") && html.contains("Please log in first."));
    // The mentors page in all three languages, with the demo mentors.
    for (lang, title, field) in [
        ("kk", "Тәлімгерлер және кеңестер", "Психология"),
        ("ru", "Наставники и консультации", "Психология"),
        ("en", "Mentors and consultations", "Psychology"),
    ] {
        let (s, html) = get(&app, "/mentors", lang).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains(title) && html.contains(field), "{lang}");
        assert!(html.contains("Данияр Омаров"), "{lang}");
    }
    let (s, html) = get(&app, "/no/such/page", "en").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
    t.close().await;
}

/// The data-export download is a plain route: it authorizes too.
async fn data_export_route_needs_the_members_session(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let path = "/account/my-data.json";
    assert_eq!(
        fetch(&app, path, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fetch(&app, path, Some("oq_session=forged")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let u = make_user(db, Role::Visitor, None, "Export Me").await;
    let cookie = session_cookie(db, u.account_id).await;
    let export = fetch(&app, path, Some(&cookie)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export
        .header(header::CONTENT_DISPOSITION)
        .contains("attachment"));
    let json: serde_json::Value = serde_json::from_str(&export.text()).unwrap();
    assert_eq!(json["person"]["full_name"], "Export Me");
    t.close().await;
}

/// "Add to calendar": the member's own booking as iCalendar; others' are not found.
async fn booking_calendar_file(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let studio = space::Entity::find()
        .filter(space::Column::Kind.eq("podcast_studio"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let owner = make_user(db, Role::Visitor, None, "Owner O").await;
    let other = make_user(db, Role::Visitor, None, "Other O").await;
    let b = book_one(db, &owner, studio.id, local(1, 11, 0)).await;
    let path = format!("/bookings/{}/calendar.ics", b.id);
    assert_eq!(
        fetch(&app, &path, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let other_cookie = session_cookie(db, other.account_id).await;
    assert_eq!(
        fetch(&app, &path, Some(&other_cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    let cookie = format!("{}; oq_lang=en", session_cookie(db, owner.account_id).await);
    let file = fetch(&app, &path, Some(&cookie)).await;
    let ics = file.text();
    assert_eq!(file.status, StatusCode::OK);
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    // 11:00–12:00 in Karaganda is 06:00–07:00 UTC.
    assert!(
        ics.contains("DTSTART:20261201T060000Z") && ics.contains("DTEND:20261201T070000Z"),
        "{ics}"
    );
    assert!(
        ics.contains("SUMMARY:Podcast studio — Karaganda Regional Youth Resource Center"),
        "{ics}"
    );
    t.close().await;
}

/// The private calendar feed: works with its token, stops when replaced or
/// turned off; the token is the only authorization (calendar apps cannot sign in).
async fn private_calendar_feed(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let studio = space::Entity::find()
        .filter(space::Column::Kind.eq("podcast_studio"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let member = make_user(db, Role::Visitor, None, "Feed F").await;
    book_one(db, &member, studio.id, local(2, 11, 0)).await;
    let get_feed = |path: String| {
        let app = app.clone();
        async move {
            let a = fetch(&app, &path, None).await;
            (a.status, a.text())
        }
    };
    let token = app::booking::messages::new_calendar_token(db, &member)
        .await
        .unwrap();
    let (status, ics) = get_feed(format!("/calendar/{token}.ics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ics.contains("DTSTART:20261202T060000Z") && ics.contains("SUMMARY:Podcast studio"),
        "{ics}"
    );
    assert_eq!(
        get_feed("/calendar/guessed-token.ics".into()).await.0,
        StatusCode::NOT_FOUND
    );
    // A new link replaces the old one; turning it off stops both.
    let token2 = app::booking::messages::new_calendar_token(db, &member)
        .await
        .unwrap();
    assert_eq!(
        get_feed(format!("/calendar/{token}.ics")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_feed(format!("/calendar/{token2}.ics")).await.0,
        StatusCode::OK
    );
    app::booking::messages::revoke_calendar_token(db, &member)
        .await
        .unwrap();
    assert_eq!(
        get_feed(format!("/calendar/{token2}.ics")).await.0,
        StatusCode::NOT_FOUND
    );
    t.close().await;
}

/// `/passes/{id}.png`: the holder and staff of the center get the image;
/// others learn nothing; a revoked pass is gone.
async fn pass_png_download(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let studio = space::Entity::find()
        .filter(space::Column::Kind.eq("podcast_studio"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let owner = make_user(db, Role::Visitor, Some(studio.center_id), "Owner O").await;
    let other = make_user(db, Role::Visitor, Some(studio.center_id), "Other O").await;
    let desk = make_user(db, Role::FrontDesk, Some(studio.center_id), "Desk").await;
    let b = book_one(db, &owner, studio.id, local(1, 11, 0)).await;
    let pass = pass_of(db, b.id).await;
    let fetch = |cookie: Option<String>| {
        let app = app.clone();
        let path = format!("/passes/{}.png", pass.id);
        async move {
            let a = fetch(&app, &path, cookie.as_deref()).await;
            (a.status, a.header(header::CONTENT_TYPE), a.body)
        }
    };
    let session = |account: i32| session_cookie(db, account);
    assert_eq!(fetch(None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        fetch(Some(session(other.account_id).await)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, ctype, png) = fetch(Some(session(owner.account_id).await)).await;
    assert_eq!((status, ctype.as_str()), (StatusCode::OK, "image/png"));
    assert_eq!(&png[1..4], b"PNG");
    assert_eq!(
        fetch(Some(session(desk.account_id).await)).await.0,
        StatusCode::OK
    );
    app::booking::changes::cancel(db, &desk, b.id, now())
        .await
        .unwrap();
    assert_eq!(
        fetch(Some(session(owner.account_id).await)).await.0,
        StatusCode::NOT_FOUND
    );
    t.close().await;
}

async fn report_pages_and_exports_are_for_directors_and_admins(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = common::center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let visitor = make_user(db, Role::Visitor, Some(regional), "Visitor V").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    let session = |account: i32| session_cookie(db, account);
    let fetch = |path: String, cookie: Option<String>| {
        let app = app.clone();
        async move {
            let a = fetch(&app, &path, cookie.as_deref()).await;
            let (ctype, disposition) = (
                a.header(header::CONTENT_TYPE),
                a.header(header::CONTENT_DISPOSITION),
            );
            (a.status, ctype, disposition, a.body)
        }
    };
    let range = "from=2026-11-01&to=2026-11-30";
    let csv = format!("/reports/center.csv?{range}&table=spaces");
    assert_eq!(fetch(csv.clone(), None).await.0, StatusCode::UNAUTHORIZED);
    for who in [&visitor, &desk] {
        let c = session(who.account_id).await;
        assert_eq!(fetch(csv.clone(), Some(c)).await.0, StatusCode::FORBIDDEN);
    }
    let d = session(director.account_id).await;
    let (status, ctype, disposition, body) = fetch(csv.clone(), Some(d.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "text/csv; charset=utf-8");
    assert!(
        disposition.starts_with("attachment; filename=\"ortalyq-center-"),
        "{disposition}"
    );
    assert!(body.starts_with("\u{feff}".as_bytes()));
    let (status, ctype, _, body) =
        fetch(format!("/reports/center.xlsx?{range}"), Some(d.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.contains("spreadsheetml"), "{ctype}");
    assert_eq!(&body[..2], b"PK");
    let (status, _, _, _) = fetch(
        format!("/reports/center.csv?{range}&from=yesterday"),
        Some(d.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = session(admin.account_id).await;
    let (status, _, _, body) = fetch(format!("/reports/region.csv?{range}"), Some(a)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        String::from_utf8(body).unwrap().lines().count() > 2,
        "every center"
    );

    // The page's first call sends no query at all (client navigation).
    let (s, body, _) = call(&app, "/api/center_report", "", Some(&d)).await;
    assert!(s.is_success(), "{body}");
    assert!(body.contains("\"from\":\"2026-12-01\""), "{body}");
    // The dashboard renders on the server with a table for every chart.
    let (status, _, _, html) = fetch(format!("/director/reports?{range}"), Some(d)).await;
    let html = String::from_utf8(html).unwrap();
    assert_eq!(status, StatusCode::OK);
    for id in ["t-summary", "t-spaces", "t-heatmap", "export-xlsx"] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id}");
    }
    t.close().await;
}

/// Every plain route (downloads, feeds, the language switch) as every kind
/// of caller. The routes come from `server::plain_routes`, the list the
/// router is built from, so a new route without a policy fails here.
async fn every_plain_route_authorizes_every_caller(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = common::center_id(db, "karaganda-regional").await;
    let temirtau = common::center_id(db, "temirtau").await;
    let Callers {
        users: callers,
        cookies,
    } = role_matrix(db, regional, temirtau).await;
    // The calling visitor's booking (its pass and calendar file) and
    // calendar feed; another member's booking nobody calling owns.
    let visitor = &callers[0];
    let studio = common::space_of(db, regional, "podcast_studio").await;
    let own = book_one(db, visitor, studio.id, local(2, 11, 0)).await;
    let own_pass = pass_of(db, own.id).await.id;
    let token = app::booking::messages::new_calendar_token(db, visitor)
        .await
        .unwrap();
    let range = "from=2026-11-01&to=2026-11-30";
    // A webhook endpoint of the regional center (its secret on request).
    let hook = {
        use sea_orm::{ActiveModelTrait, Set};
        app::model::webhook_endpoint::ActiveModel {
            url: Set("https://hooks.example.kz/ortalyq".into()),
            center_id: Set(Some(regional)),
            events: Set("booking.created".into()),
            secret: Set("whsec_test".into()),
            active: Set(true),
            consecutive_failures: Set(0),
            created_at: Set(local(1, 9, 0)),
            created_by: Set(None),
            disabled_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    };

    const S200: u16 = 200;
    const S303: u16 = 303;
    const S401: u16 = 401;
    const S403: u16 = 403;
    const S404: u16 = 404;
    const S405: u16 = 405;
    // (route pattern, URL — "POST …" for a form post —, status for each
    // caller in CALLERS order:
    //  anonymous, visitor, mentor, front desk, director (own center),
    //  director of another center, admin, front desk of another center)
    let rows: Vec<(&str, String, [u16; 8])> = vec![
        ("/lang/{code}", "/lang/en?back=/my".into(), [S303; 8]),
        ("/lang/{code}", "/lang/xx".into(), [S404; 8]),
        ("/lang/{code}", "POST /lang/ru?back=/my".into(), [S303; 8]),
        // An endpoint's signing secret: staff who manage it (a POST only).
        (
            "/director/webhooks/{id}/secret",
            format!("POST /director/webhooks/{hook}/secret"),
            [S401, S403, S403, S403, S200, S404, S200, S403],
        ),
        (
            "/director/webhooks/{id}/secret",
            format!("/director/webhooks/{hook}/secret"),
            [S405; 8],
        ),
        (
            "/account/my-data.json",
            "/account/my-data.json".into(),
            [S401, S200, S200, S200, S200, S200, S200, S200],
        ),
        // The holder and staff covering the center; nobody else learns it exists.
        (
            "/bookings/{id}/calendar.ics",
            format!("/bookings/{}/calendar.ics", own.id),
            [S401, S200, S404, S200, S200, S404, S200, S404],
        ),
        (
            "/passes/{file}",
            format!("/passes/{own_pass}.png"),
            [S401, S200, S404, S200, S200, S404, S200, S404],
        ),
        // The secret token is the authorization (calendar apps cannot sign in).
        (
            "/calendar/{file}",
            format!("/calendar/{token}.ics"),
            [S200; 8],
        ),
        (
            "/calendar/{file}",
            "/calendar/guessed.ics".into(),
            [S404; 8],
        ),
        // Center reports: directors of the center and admins.
        (
            "/reports/{file}",
            format!("/reports/center.csv?center={regional}&{range}"),
            [S401, S403, S403, S403, S200, S403, S200, S403],
        ),
        // The regional roll-up: every director and admins.
        (
            "/reports/{file}",
            format!("/reports/region.xlsx?{range}"),
            [S401, S403, S403, S403, S200, S200, S200, S403],
        ),
    ];
    let routes: Vec<&str> = server::plain_routes().iter().map(|(p, _)| *p).collect();
    for route in &routes {
        assert!(
            rows.iter().any(|(p, _, _)| p == route),
            "plain route {route} has no authorization policy in this test"
        );
    }
    let matches = |pattern: &str, url: &str| {
        let url = url.strip_prefix("POST ").unwrap_or(url);
        let path = url.split('?').next().unwrap();
        let (a, b): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()))
    };
    let mut wrong: Vec<String> = Vec::new();
    for (pattern, url, expect) in &rows {
        assert!(
            routes.contains(pattern),
            "policy for unknown route {pattern}"
        );
        assert!(matches(pattern, url), "{url} is not a {pattern} URL");
        for (i, caller) in CALLERS.iter().enumerate() {
            let status = match url.strip_prefix("POST ") {
                Some(path) => {
                    let mut req = Request::post(path);
                    if let Some(c) = cookies[i].as_deref() {
                        req = req.header(header::COOKIE, c);
                    }
                    answer(&app, req.body(Body::empty()).unwrap()).await.status
                }
                None => fetch(&app, url, cookies[i].as_deref()).await.status,
            };
            if status.as_u16() != expect[i] {
                wrong.push(format!("{url} as {caller}: {status}, not {}", expect[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    t.close().await;
}

/// A director registers a webhook from the server-rendered page with no
/// JavaScript: the browser posts the form as it is named in the HTML, the
/// endpoint is created and the browser is sent back to the page.
async fn webhook_form_works_without_javascript(backend: Backend) {
    use app::model::webhook_endpoint;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let regional = common::center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Hook Director").await;
    let cookie = session_cookie(db, director.account_id).await;
    let page = |path: String| {
        let app = app.clone();
        let cookie = cookie.clone();
        async move {
            let req = Request::get(path)
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap();
            let (status, body, _) = send(&app, req).await;
            (status, body)
        }
    };

    // The page as the server renders it: a real form posting to the server
    // fn, with every field named as the server fn decodes it.
    let (s, html) = page("/director/webhooks".into()).await;
    assert_eq!(s, StatusCode::OK);
    let form_start = html.find("data-testid=\"webhook-form\"").expect("the form");
    let form_tag = &html[html[..form_start].rfind('<').unwrap()..];
    let form_tag = &form_tag[..form_tag.find('>').unwrap()];
    assert!(form_tag.starts_with("<form"), "{form_tag}");
    assert!(
        form_tag.contains("action=\"/api/create_webhook\""),
        "{form_tag}"
    );
    assert!(
        form_tag.to_lowercase().contains("method=\"post\""),
        "{form_tag}"
    );
    for name in [
        "form[url]",
        "form[center]",
        "form[events][0]",
        "form[events][2]",
    ] {
        assert!(
            html.contains(&format!("name=\"{name}\"")),
            "no field {name}"
        );
    }
    // A director's own center is the preselected (first) choice.
    assert!(html.contains(&format!("<option value=\"{regional}\"")));

    // What a browser sends: the URL typed in, the center, the events left
    // checked (here: booking.created and check_in; the others unticked).
    let body = format!(
        "form%5Burl%5D=https%3A%2F%2Fhooks.example.kz%2Fno-js&form%5Bcenter%5D={regional}\
         &form%5Bevents%5D%5B0%5D=booking.created&form%5Bevents%5D%5B2%5D=check_in"
    );
    let referer = "http://localhost/director/webhooks";
    let req = Request::post("/api/create_webhook")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::ACCEPT,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .header(header::REFERER, referer)
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let resp = answer(&app, req).await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    let location = resp.header(header::LOCATION);
    // Back to the page, with no error in the address (server_fn leaves an
    // empty query behind).
    assert_eq!(location.trim_end_matches('?'), referer);

    let hooks = webhook_endpoint::Entity::find().all(db).await.unwrap();
    let hook = hooks
        .iter()
        .find(|h| h.url == "https://hooks.example.kz/no-js")
        .expect("the endpoint is created");
    assert_eq!(
        (hook.center_id, hook.events.as_str(), hook.active),
        (Some(regional), "booking.created,check_in", true)
    );
    assert_eq!(hook.created_by, Some(director.account_id));

    // Back on the page, the new endpoint is listed.
    let (s, html) = page(location.trim_start_matches("http://localhost").into()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("https://hooks.example.kz/no-js"),
        "not listed"
    );
    // The create call's answer (the secret) never reaches a page without
    // JavaScript, and the list never shows a secret: a plain form post
    // shows it on request.
    assert!(!html.contains(&hook.secret), "the secret is on the page");
    let reveal = format!("/director/webhooks/{}/secret", hook.id);
    assert!(html.contains(&format!("action=\"{reveal}\"")));
    let req = Request::post(reveal)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let resp = answer(&app, req).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(
        resp.text().contains(&format!(
            "<code data-testid=\"webhook-secret-of\">{}</code>",
            hook.secret
        )),
        "the secret is not shown on request"
    );

    // Switching it off is a plain form post too.
    assert!(html.contains("action=\"/api/set_webhook_active\""));
    assert!(html.contains(&format!("name=\"endpoint_id\" value=\"{}\"", hook.id)));
    let req = Request::post("/api/set_webhook_active")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer)
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!("endpoint_id={}&active=false", hook.id)))
        .unwrap();
    let resp = answer(&app, req).await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    let off = webhook_endpoint::Entity::find_by_id(hook.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!off.active, "switched off");
    let (_, html) = page("/director/webhooks".into()).await;
    assert!(html.contains("data-active=\"false\""));
    t.close().await;
}

/// The language switch sends the browser back only to a path of this site,
/// whatever spelling an attacker tries (tab, newline or backslash that a
/// browser would drop or read as `/`).
async fn language_switch_goes_back_only_within_the_site(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    for (back, expect) in [
        ("/my", "/my"),
        ("/%09/evil.example", "/"),
        ("/%0A/evil.example", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("%5C%5Cevil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let resp = common::http::fetch(&app, &format!("/lang/ru?back={back}"), None).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{back}");
        let location = resp.headers[header::LOCATION].to_str().unwrap();
        assert_eq!(location, expect, "back={back}");
    }
    t.close().await;
}

/// Every answer (page, health check, missing file) carries the security
/// headers; HSTS only when the site runs behind HTTPS.
async fn every_answer_carries_the_security_headers(backend: Backend) {
    let t = TestDb::new(backend).await;
    for https in [false, true] {
        let mut state = common::state(&t.db);
        state.secure_cookies = https;
        let app = server::router(state);
        for path in ["/", "/healthz", "/no-such-page", "/lang/kk?back=/"] {
            let resp = common::http::fetch(&app, path, None).await;
            let h = &resp.headers;
            let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(csp.contains("form-action 'self'"), "{path}: {csp}");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{path}");
            assert_eq!(
                h[header::REFERRER_POLICY],
                "strict-origin-when-cross-origin",
                "{path}"
            );
            assert_eq!(
                h.get(header::STRICT_TRANSPORT_SECURITY).is_some(),
                https,
                "{path}"
            );
        }
    }
    t.close().await;
}

/// Links on a certificate (its QR and verify address) use the configured
/// public address, never the Host header a client sent.
async fn certificate_links_use_the_public_address(backend: Backend) {
    let t = TestDb::new(backend).await;
    let path = format!("/certificates/{}", server::seed::DEMO_CERTIFICATE);
    let mut state = common::state(&t.db);
    state.public_url = Some("https://ortalyq.example.kz".into());
    let app = server::router(state);
    let req = Request::get(path.as_str())
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    let page = common::http::answer(&app, req).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains(&format!("https://ortalyq.example.kz{path}")),
        "{html}"
    );
    assert!(!html.contains("evil.example"));
    t.close().await;
}

/// A page of another site cannot sign a visitor in (login CSRF) or act with
/// their session (CSRF): the write is refused before the server fn runs and
/// nothing changes; the same post from this site works.
async fn cross_site_posts_are_refused(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    let login = format!(
        "login=visitor%40demo.ortalyq.kz&password={}",
        server::seed::DEMO_PASSWORD
    );
    let post = |path: &str, body: String, extra: &[(&'static str, &'static str)]| {
        let mut req = Request::post(path)
            .header(header::HOST, "ortalyq.example.kz")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        req.body(Body::from(body)).unwrap()
    };
    for attack in [
        &[("origin", "https://evil.example")][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[("origin", "null")][..],
        &[
            ("origin", "https://ortalyq.example.kz"),
            ("sec-fetch-site", "same-site"),
        ][..],
    ] {
        let a = common::http::answer(&app, post("/api/login", login.clone(), attack)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{attack:?}");
        assert!(a.cookies().is_empty(), "{attack:?}");
    }
    // From this site: signed in.
    let ok = common::http::answer(
        &app,
        post(
            "/api/login",
            login.clone(),
            &[
                ("origin", "https://ortalyq.example.kz"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
    )
    .await;
    let session = ok
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("oq_session="))
        .expect("signed in from this site");
    let pair = session.split(';').next().unwrap().to_owned();
    // A cross-site logout with the victim's cookie is refused; the session
    // still works afterwards.
    let mut req = post(
        "/api/logout",
        String::new(),
        &[("origin", "https://evil.example")],
    );
    req.headers_mut()
        .insert(header::COOKIE, pair.parse().unwrap());
    assert_eq!(
        common::http::answer(&app, req).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, body, _) = call(&app, "/api/whoami", "", Some(&pair)).await;
    assert!(body.contains("Visitor"), "{body}");
    t.close().await;
}

on_both_databases!(
    cross_site_posts_are_refused,
    certificate_links_use_the_public_address,
    every_answer_carries_the_security_headers,
    language_switch_goes_back_only_within_the_site,
    webhook_form_works_without_javascript,
    every_plain_route_authorizes_every_caller,
    report_pages_and_exports_are_for_directors_and_admins,
    pass_png_download,
    private_calendar_feed,
    booking_calendar_file,
    data_export_route_needs_the_members_session,
    every_server_fn_authorizes_every_caller,
    login_sets_a_safe_session_cookie,
    pages_render_on_the_server_in_the_visitors_language,
);
