//! A member's data (issue 20): psychology consultations stay private when a
//! mentor changes field; the export lists, and deleting the account erases,
//! every table that links rows to a person, checked against the live schema.

use app::access::session::CurrentUser;
use app::clubs::dto::Standing;
use app::clubs::{events, service as clubs};
use app::domain::codes::{
    AppStatus, AttendanceVia, ClubPlace, ConsentMethod, EventPlace, NoticeKind,
};
use app::domain::consultation::Field;
use app::domain::lending::LoanStatus;
use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use app::mentors::service as mentors;
use app::model::{
    account, booking, club, club_attendance, club_member, club_session, consent,
    consultation_slot as slot, equipment_item, equipment_loan, event, event_registration,
    guardian_code, induction, mentor, notice, person, program, program_application,
    program_attendance, program_session,
};
use app::privacy::service::{delete_my_account, export_my_data, HANDLED_TABLES};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement,
};
use std::collections::BTreeSet;

use crate::common::callers::{session_cookie, user_by_email};
use crate::common::fixtures::{book_one, pass_of};
use crate::common::http::send;
use crate::common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};

const EN: Locale = Locale::En;

/// The columns that tie a row to a person.
const PERSON_COLUMNS: [&str; 2] = ["person_id", "booked_by"];

/// Strings only the member under test has: none may survive deletion in a
/// row still linked to them.
const MARKERS: [&str; 9] = [
    "Markerova",
    "zhanna.m@",
    "777 000 11 22",
    "701 999 88 77",
    "gulnar.m@",
    "SECRET-TOPIC",
    "SECRET-PURPOSE",
    "SECRET-MOTIVATION",
    "SECRET-NOTE",
];

async fn mentor_of(db: &DatabaseConnection, user: &CurrentUser) -> mentor::Model {
    mentor::Entity::find()
        .filter(mentor::Column::AccountId.eq(user.account_id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn free_slots(db: &DatabaseConnection, mentor_id: i32) -> Vec<slot::Model> {
    slot::Entity::find()
        .filter(slot::Column::MentorId.eq(mentor_id))
        .filter(slot::Column::BookedBy.is_null())
        .filter(slot::Column::CancelledAt.is_null())
        .filter(slot::Column::StartsAt.gt(now()))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await
        .unwrap()
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

/// Every (table, column) of the live schema, lowest-level names as text.
async fn schema(db: &DatabaseConnection) -> Vec<(String, String)> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
        }
        _ => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             ORDER BY table_name, ordinal_position"
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "t").unwrap(),
                r.try_get::<String>("", "c").unwrap(),
            )
        })
        .collect()
}

/// Tables with a column that names a person, with that column.
async fn person_tables(db: &DatabaseConnection) -> Vec<(String, String)> {
    schema(db)
        .await
        .into_iter()
        .filter(|(_, c)| PERSON_COLUMNS.contains(&c.as_str()))
        .collect()
}

/// Every row of `table` whose `column` is `person_id`, all columns as text.
async fn rows_of(
    db: &DatabaseConnection,
    table: &str,
    column: &str,
    person_id: i32,
) -> Vec<String> {
    let cols: Vec<String> = schema(db)
        .await
        .into_iter()
        .filter(|(t, _)| t == table)
        .map(|(_, c)| c)
        .collect();
    let select = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("CAST(\"{c}\" AS TEXT) AS c{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let backend = db.get_database_backend();
    let sql = format!("SELECT {select} FROM \"{table}\" WHERE \"{column}\" = {person_id}");
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (0..cols.len())
                .map(|i| {
                    let v: Option<String> = r.try_get("", &format!("c{i}")).unwrap();
                    format!("{}={}", cols[i], v.unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

async fn psychologist_switching_to_it_keeps_earlier_consultations_private(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let psychologist = user_by_email(db, "psychologist@demo.ortalyq.kz").await;
    let psych = mentor_of(db, &psychologist).await;
    assert_eq!(psych.field, Field::Psychology);
    let booker = make_user(db, Role::Visitor, Some(regional), "Zarina Booker").await;
    let later = make_user(db, Role::Visitor, Some(regional), "Timur Coder").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;

    // An upcoming consultation, and one five days ago.
    let secret = "Panic attacks before exams";
    let upcoming = free_slots(db, psych.id).await[0].clone();
    mentors::book(db, &booker, upcoming.id, Some(secret.into()), now())
        .await
        .unwrap();
    let past = slot::ActiveModel {
        mentor_id: Set(psych.id),
        field: Set(Field::Psychology),
        starts_at: Set(now() - Duration::days(5)),
        ends_at: Set(now() - Duration::days(5) + Duration::minutes(45)),
        booked_by: Set(Some(booker.person_id)),
        booked_at: Set(Some(now() - Duration::days(7))),
        topic: Set(Some("Trouble sleeping".into())),
        cancelled_at: Set(None),
        created_at: Set(now() - Duration::days(8)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    // The psychologist re-saves the profile as an IT mentor.
    let bios = ["Бағдарламалау".to_string(), String::new(), String::new()];
    mentors::save_profile(db, &psychologist, "it", &[Locale::Kk], bios, now())
        .await
        .unwrap();
    assert_eq!(mentor_of(db, &psychologist).await.field, Field::It);

    // A time published after the switch is an IT consultation.
    mentors::publish_slots(db, &psychologist, "2026-12-10", "12:00", 45, 1, now())
        .await
        .unwrap();
    // (The seeded times are all within the next five days.)
    let new = free_slots(db, psych.id)
        .await
        .into_iter()
        .find(|s| s.starts_at > now() + Duration::days(8))
        .unwrap();
    assert_eq!(new.field, Field::It);
    mentors::book(db, &later, new.id, Some("Rust portfolio".into()), now())
        .await
        .unwrap();

    // The director counts the psychology consultations but learns neither
    // who booked them nor why; the new IT booking is named as usual.
    let r = mentors::report(db, &director, Some(regional), now(), EN)
        .await
        .unwrap();
    let text = json(&r);
    for hidden in ["Zarina", secret, "Trouble sleeping"] {
        assert!(!text.contains(hidden), "{hidden}: {text}");
    }
    let row = r
        .rows
        .iter()
        .find(|x| x.mentor_name == psychologist.full_name)
        .unwrap();
    assert_eq!(row.field, Field::It);
    assert_eq!((row.booked_upcoming, row.booked_past), (3, 1), "{text}");
    assert!(row.counts_only, "{text}");
    assert_eq!(row.bookings.len(), 1, "{text}");
    assert_eq!(row.bookings[0].member, "Timur C.");
    assert_eq!(row.bookings[0].topic.as_deref(), Some("Rust portfolio"));

    // The member and the consultant still see the consultation in full.
    let mine = mentors::my_consultations(db, &booker, now(), EN)
        .await
        .unwrap();
    let c = mine.iter().find(|c| c.slot_id == upcoming.id).unwrap();
    assert_eq!(
        (c.field, c.topic.as_deref()),
        (Field::Psychology, Some(secret))
    );
    let schedule = mentors::mentor_schedule(db, &psychologist, now(), EN)
        .await
        .unwrap()
        .unwrap();
    let own = schedule.slots.iter().find(|s| s.id == past.id).unwrap();
    assert_eq!(own.member.as_deref(), Some("Zarina Booker"));
    t.close().await;
}

/// A visitor with a row in every table that can hold a person, each with
/// identifying text where the table has room for it. Returns the member and
/// their calendar token.
async fn member_everywhere(db: &DatabaseConnection) -> (CurrentUser, String) {
    let regional = center_id(db, "karaganda-regional").await;
    let user = make_user(db, Role::Visitor, Some(regional), "Zhanna Markerova").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let pid = user.person_id;
    let mut p = person::Entity::find_by_id(pid)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.email = Set(Some("zhanna.m@mail.kz".into()));
    p.phone = Set(Some("+7 777 000 11 22".into()));
    p.guardian_name = Set(Some("Gulnar Markerova".into()));
    p.guardian_phone = Set(Some("+7 701 999 88 77".into()));
    p.guardian_email = Set(Some("gulnar.m@mail.kz".into()));
    p.update(db).await.unwrap();
    let token = app::booking::messages::new_calendar_token(db, &user)
        .await
        .unwrap();

    // Bookings (today's is used at the door), passes and a check-in.
    let cowork = space_of(db, regional, "coworking").await;
    let today = book_one(db, &user, cowork.id, local(1, 11, 0)).await;
    let tomorrow = book_one(db, &user, cowork.id, local(2, 11, 0)).await;
    let mut b = tomorrow.into_active_model();
    b.purpose = Set(Some("SECRET-PURPOSE".into()));
    b.update(db).await.unwrap();
    let code = pass_of(db, today.id).await.code;
    let scanned = app::passes::scan::scan(db, &keys(), &desk, &code, now(), EN)
        .await
        .unwrap();
    assert!(scanned.admitted, "{}", scanned.code);

    // Consent on paper, and a guardian code sent to the guardian's phone.
    consent::ActiveModel {
        person_id: Set(pid),
        version: Set(1),
        guardian_name: Set("Gulnar Markerova".into()),
        guardian_phone: Set("+7 701 999 88 77".into()),
        method: Set(ConsentMethod::Paper),
        recorded_by: Set(Some(desk.account_id)),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    guardian_code::ActiveModel {
        person_id: Set(pid),
        code_hash: Set("hash".into()),
        sent_to: Set("+7 701 999 88 77".into()),
        expires_at: Set(now() + Duration::hours(1)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    induction::ActiveModel {
        person_id: Set(pid),
        space_id: Set(cowork.id),
        recorded_by: Set(desk.account_id),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    // A queued email to the guardian, filed under the member.
    app::notify::outbox::email_address(
        db,
        "gulnar.m@mail.kz",
        Some(pid),
        Some(regional),
        "consent_code",
        app::notify::outbox::Rendered {
            subject: "Code for Zhanna Markerova".into(),
            text: "123456".into(),
            attachment: None,
            short: None,
        },
        Some("123456"),
        now(),
    )
    .await
    .unwrap();

    // A program application and attendance.
    let prog = program::Entity::find().one(db).await.unwrap().unwrap();
    let session = program_session::Entity::find()
        .filter(program_session::Column::ProgramId.eq(prog.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    program_application::ActiveModel {
        program_id: Set(prog.id),
        person_id: Set(pid),
        status: Set(AppStatus::Accepted),
        motivation: Set("SECRET-MOTIVATION".into()),
        decision_reason: Set(None),
        decided_by: Set(Some(desk.account_id)),
        decided_at: Set(Some(now())),
        created_at: Set(now()),
        completed_at: Set(None),
        certificate_code: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    program_attendance::ActiveModel {
        session_id: Set(session.id),
        person_id: Set(pid),
        marked_by: Set(desk.account_id),
        marked_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    // A club, its attendance, an event and a notice.
    let c = open_club(db, regional).await;
    clubs::join(db, &keys(), &user, c.id, now()).await.unwrap();
    let cs = club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(c.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    club_attendance::ActiveModel {
        session_id: Set(cs.id),
        person_id: Set(pid),
        marked_at: Set(now()),
        marked_by: Set(desk.account_id),
        via: Set(AttendanceVia::Roster),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let e = open_event(db, regional).await;
    events::register(db, &keys(), &user, e.id, now())
        .await
        .unwrap();
    notice::ActiveModel {
        person_id: Set(pid),
        kind: Set(NoticeKind::SessionCancelled),
        subject_id: Set(cs.id),
        detail: Set(Some("Zhanna Markerova was late".into())),
        created_at: Set(now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    // Equipment: one returned with a note, one reserved.
    let item = equipment_item::Entity::find()
        .filter(equipment_item::Column::CenterId.eq(regional))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    for (status, note) in [
        (LoanStatus::Returned, Some("SECRET-NOTE".to_string())),
        (LoanStatus::Reserved, None),
    ] {
        equipment_loan::ActiveModel {
            item_id: Set(item.id),
            person_id: Set(pid),
            status: Set(status),
            reserved_at: Set(now() - Duration::days(3)),
            pickup_on: Set(Some(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())),
            return_note: Set(note),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }

    // A psychology consultation ahead, with a topic.
    let psych = mentor_of(db, &user_by_email(db, "psychologist@demo.ortalyq.kz").await).await;
    let s = free_slots(db, psych.id).await[0].clone();
    mentors::book(db, &user, s.id, Some("SECRET-TOPIC".into()), now())
        .await
        .unwrap();

    // A Telegram chat linked to the account.
    app::model::telegram_chat::ActiveModel {
        chat_id: Set(7_000_000_001),
        person_id: Set(Some(pid)),
        lang: Set("kk".into()),
        link_misses: Set(0),
        linked_at: Set(Some(now())),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    (user, token)
}

/// An active, named club of the center, still running, open to a 21-year-old.
async fn open_club(db: &DatabaseConnection, center: i32) -> club::Model {
    club::Entity::find()
        .filter(club::Column::CenterId.eq(center))
        .filter(club::Column::Active.eq(true))
        .filter(club::Column::Anonymous.eq(false))
        .order_by_asc(club::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.min_age <= 21 && (c.max_age == 0 || c.max_age >= 21))
        .expect("a seeded club for adults")
}

/// An active event of the center still ahead.
async fn open_event(db: &DatabaseConnection, center: i32) -> event::Model {
    event::Entity::find()
        .filter(event::Column::CenterId.eq(center))
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::StartsAt.gt(now()))
        .order_by_asc(event::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a seeded event ahead")
}

async fn export_and_erasure_cover_every_table_holding_a_person(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    // The schema's tables that name a person are exactly the handled ones.
    let found: BTreeSet<String> = person_tables(db)
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let handled: BTreeSet<String> = HANDLED_TABLES.iter().map(|(t, _)| t.to_string()).collect();
    let missing: Vec<_> = found.difference(&handled).collect();
    assert!(
        missing.is_empty(),
        "tables holding a person that privacy::service::HANDLED_TABLES (export and erasure) misses: {missing:?}"
    );
    let stale: Vec<_> = handled.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "HANDLED_TABLES names tables without a person: {stale:?}"
    );

    let (user, token) = member_everywhere(db).await;
    let pid = user.person_id;
    // Each table really holds a row of the member.
    for (table, column) in person_tables(db).await {
        assert!(
            !rows_of(db, &table, &column, pid).await.is_empty(),
            "the fixture has no row in {table}"
        );
    }

    // The export has a section per table, each listing the member's rows.
    let export = export_my_data(db, &user).await.unwrap();
    let doc: serde_json::Value = serde_json::from_str(&export).unwrap();
    for (table, section) in HANDLED_TABLES {
        let v = &doc[*section];
        let listed = v.as_array().map_or(v.is_object(), |a| !a.is_empty());
        assert!(listed, "{table}: no section {section} in {export}");
    }
    for marker in [
        "SECRET-TOPIC",
        "SECRET-NOTE",
        "SECRET-MOTIVATION",
        "gulnar.m@mail.kz",
    ] {
        assert!(export.contains(marker), "{marker}: {export}");
    }
    assert_eq!(doc["guardian_codes"][0]["sent_to"], "+7 701 999 88 77");
    assert_eq!(doc["account"]["calendar_feed_active"], true);

    delete_my_account(db, &keys(), &user, now()).await.unwrap();

    // No row still linked to the member carries anything identifying.
    let mut linked = vec![("people".to_string(), "id".to_string())];
    linked.extend(person_tables(db).await);
    for (table, column) in linked {
        for row in rows_of(db, &table, &column, pid).await {
            for marker in MARKERS {
                assert!(!row.contains(marker), "{table} keeps {marker}: {row}");
            }
        }
    }
    // Consent, codes, inductions, notices and queued emails are gone.
    for table in [
        "consents",
        "guardian_codes",
        "inductions",
        "notices",
        "outbox",
        "telegram_chats",
    ] {
        assert_eq!(
            rows_of(db, table, "person_id", pid).await,
            Vec::<String>::new()
        );
    }
    // The calendar feed no longer answers.
    assert_eq!(
        app::booking::messages::calendar_feed(db, &token, now()).await,
        Err(AppError::NotFound)
    );
    let acc = account::Entity::find_by_id(user.account_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acc.calendar_token_hash, None);
    // Places and reservations are given up; the consultation is free again.
    let places = club_member::Entity::find()
        .filter(club_member::Column::PersonId.eq(pid))
        .all(db)
        .await
        .unwrap();
    assert!(places.iter().all(|m| m.status == ClubPlace::Left));
    let regs = event_registration::Entity::find()
        .filter(event_registration::Column::PersonId.eq(pid))
        .all(db)
        .await
        .unwrap();
    assert!(regs.iter().all(|r| r.status == EventPlace::Cancelled));
    let loans = equipment_loan::Entity::find()
        .filter(equipment_loan::Column::PersonId.eq(pid))
        .all(db)
        .await
        .unwrap();
    assert!(loans.iter().all(|l| l.status != LoanStatus::Reserved));
    let booked = rows_of(db, "consultation_slots", "booked_by", pid).await;
    assert_eq!(booked, Vec::<String>::new());
    let future = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(pid))
        .filter(booking::Column::StartsAt.gt(now() + Duration::hours(6)))
        .all(db)
        .await
        .unwrap();
    assert!(future.iter().all(|b| b.status.as_str() == "cancelled"));
    t.close().await;
}

/// Deleting an account frees its club place and event seat for the first
/// in line (with a pass each), and its consultation time for others.
async fn a_deleted_account_gives_its_places_to_the_waitlist(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let leaver = make_user(db, Role::Visitor, Some(regional), "Leaving Member").await;
    let waiter = make_user(db, Role::Visitor, Some(regional), "Waiting Member").await;
    let other = make_user(db, Role::Visitor, Some(regional), "Other Member").await;

    // A club and an event with room for one more: the leaver takes it, the
    // waiter queues.
    let c = open_club(db, regional).await;
    let members = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::Status.eq(ClubPlace::Member))
        .count(db)
        .await
        .unwrap();
    let mut a = c.clone().into_active_model();
    a.capacity = Set(members as i32 + 1);
    a.update(db).await.unwrap();
    let e = open_event(db, regional).await;
    let seats = event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(e.id))
        .filter(event_registration::Column::Status.eq(EventPlace::Registered))
        .count(db)
        .await
        .unwrap();
    let mut a = e.clone().into_active_model();
    a.capacity = Set(seats as i32 + 1);
    a.update(db).await.unwrap();
    for u in [&leaver, &waiter] {
        clubs::join(db, &keys(), u, c.id, now()).await.unwrap();
        events::register(db, &keys(), u, e.id, now()).await.unwrap();
    }
    let again = clubs::join(db, &keys(), &waiter, c.id, now())
        .await
        .unwrap();
    assert!(matches!(again.standing, Standing::Waiting { position: 1 }));

    let psych = mentor_of(db, &user_by_email(db, "psychologist@demo.ortalyq.kz").await).await;
    let s = free_slots(db, psych.id).await[0].clone();
    mentors::book(db, &leaver, s.id, Some("Exam stress".into()), now())
        .await
        .unwrap();

    // The member deletes the account through the app.
    let app = server::router(crate::common::state(db));
    let cookie = session_cookie(db, leaver.account_id).await;
    let req = axum::http::Request::post("/api/delete_my_account")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .body(axum::body::Body::from("confirm=DELETE"))
        .unwrap();
    let (status, body, _) = send(&app, req).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );

    // The waiter moved up in both, with a pass and a notice each.
    let again = clubs::join(db, &keys(), &waiter, c.id, now())
        .await
        .unwrap();
    assert_eq!(again.standing, Standing::In);
    let reg = event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(e.id))
        .filter(event_registration::Column::PersonId.eq(waiter.person_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reg.status, EventPlace::Registered);
    let notices = app::model::notice::Entity::find()
        .filter(notice::Column::PersonId.eq(waiter.person_id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(notices, 2);
    let passes = app::model::pass::Entity::find()
        .filter(app::model::pass::Column::PersonId.eq(waiter.person_id))
        .filter(app::model::pass::Column::RevokedAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(passes, 2);
    // The consultation time is offered again, and another member books it.
    let public = mentors::list_mentors(db, None, Some(Field::Psychology), None, now(), EN)
        .await
        .unwrap();
    assert!(public[0].free_slots.iter().any(|x| x.id == s.id));
    mentors::book(db, &other, s.id, None, now()).await.unwrap();
    t.close().await;
}

on_both_databases!(
    psychologist_switching_to_it_keeps_earlier_consultations_private,
    export_and_erasure_cover_every_table_holding_a_person,
    a_deleted_account_gives_its_places_to_the_waitlist,
);
