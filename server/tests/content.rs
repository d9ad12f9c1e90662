//! Content after creation, against SQLite and PostgreSQL: a director moves a
//! club session, changes and cancels events and clubs, moves and cancels
//! program sessions; members are told in their own language (in the app,
//! by email and by text message); cancelling frees the room; a capacity
//! below what members hold is refused with nothing written; an event
//! outside the building with a head count counts in the reach report.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::clubs::dto::{ClubForm, EventForm};
use app::clubs::edit_dto::{ClubEditForm, EventEditForm};
use app::clubs::{edit, event_edit, events, manage, notices, service as clubs};
use app::domain::codes::{AppStatus, AuditKind};
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{audit_log, club, club_session, event, outbox, person, program_application};
use app::programs::dto::{ProgramForm, SessionsForm};
use app::programs::edit as program_edit;
use app::programs::staff;
use app::reporting::dto::ReportQuery;
use app::reporting::service as reports;
use chrono::{DateTime, Utc};
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

/// Text messages queued in the outbox: `To: <phone>` and the text.
async fn texts(db: &DatabaseConnection) -> Vec<String> {
    common::queued_texts(db)
        .await
        .into_iter()
        .map(|t| format!("To: {}\n\n{}", t.to, t.text))
        .collect()
}

/// A member who reads Ortalyq in `lang` and has a phone for text messages.
async fn member(db: &DatabaseConnection, center: i32, name: &str, lang: Locale) -> CurrentUser {
    let mut u = make_user(db, Role::Visitor, Some(center), name).await;
    let p = person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut a = p.into_active_model();
    a.preferred_lang = Set(lang);
    a.phone = Set(Some(format!("+7701{:07}", u.person_id)));
    a.update(db).await.unwrap();
    u.lang = lang;
    u
}

/// Emails queued for a person by a template.
async fn emails(db: &DatabaseConnection, person_id: i32, template: &str) -> Vec<String> {
    outbox::Entity::find()
        .filter(outbox::Column::PersonId.eq(person_id))
        .filter(outbox::Column::Event.eq(template))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.payload)
        .collect()
}

async fn audits(db: &DatabaseConnection, kind: AuditKind) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(kind))
        .count(db)
        .await
        .unwrap()
}

/// Weekly on Thursdays at 19:00 for an hour, 3 to 24 December 2026.
fn club_form(space_id: i32, capacity: u32) -> ClubForm {
    ClubForm {
        space_id,
        name_kk: "Домбыра үйірмесі".into(),
        name_ru: "Кружок домбры".into(),
        name_en: "Dombra club".into(),
        direction: "culture".into(),
        weekday: 3,
        start_time: "19:00".into(),
        duration_minutes: 60,
        term_start: "2026-12-01".into(),
        term_end: "2026-12-24".into(),
        capacity,
        ..Default::default()
    }
}

fn edit_form_of(c: &club::Model) -> ClubEditForm {
    ClubEditForm {
        leader_account_id: c.leader_account_id.unwrap_or(0),
        name_kk: c.name_kk.clone(),
        name_ru: c.name_ru.clone(),
        name_en: c.name_en.clone(),
        description_kk: c.description_kk.clone(),
        description_ru: c.description_ru.clone(),
        description_en: c.description_en.clone(),
        direction: c.direction.as_str().into(),
        space_id: c.space_id,
        weekday: c.weekday as u32,
        start_time: format!("{:02}:{:02}", c.starts_min / 60, c.starts_min % 60),
        duration_minutes: c.duration_minutes as u32,
        term_end: c.term_end.format("%Y-%m-%d").to_string(),
        capacity: c.capacity as u32,
        min_age: c.min_age as u32,
        max_age: c.max_age as u32,
    }
}

fn event_form(space_id: i32, date: &str, time: &str) -> EventForm {
    EventForm {
        space_id,
        name_kk: "Подкаст кеші".into(),
        name_ru: "Вечер подкастов".into(),
        name_en: "Podcast evening".into(),
        direction: "media".into(),
        date: date.into(),
        start_time: time.into(),
        duration_minutes: 120,
        capacity: 10,
        ..Default::default()
    }
}

async fn club_row(db: &DatabaseConnection, id: i32) -> club::Model {
    club::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

async fn session_at(
    db: &DatabaseConnection,
    club_id: i32,
    at: DateTime<Utc>,
) -> club_session::Model {
    club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(club_id))
        .filter(club_session::Column::StartsAt.eq(at))
        .one(db)
        .await
        .unwrap()
        .expect("a session at that time")
}

async fn moving_a_club_session_tells_members_in_their_language(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let club = manage::create(db, &director, &club_form(hall.id, 10), now())
        .await
        .unwrap();
    let aigul = member(db, regional, "Aigul A", Locale::Ru).await;
    let bolat = member(db, regional, "Bolat B", Locale::Kk).await;
    for m in [&aigul, &bolat] {
        clubs::join(db, &keys(), m, club, now()).await.unwrap();
    }
    let s = session_at(db, club, local(10, 19, 0)).await;
    edit::move_session(db, &director, s.id, "2026-12-11", "18:00", hall.id, now())
        .await
        .unwrap();
    let moved = session_at(db, club, local(11, 18, 0)).await;
    assert_eq!(moved.id, s.id);
    assert_eq!(moved.ends_at, local(11, 19, 0));

    // In the app, each in their own language, with the old and new time.
    let ru = &notices::mine(db, &aigul, Locale::Ru).await.unwrap()[0];
    assert!(ru.text.contains("перенесено"), "{}", ru.text);
    assert!(ru.text.contains("Чт 10.12, 19:00"), "{}", ru.text);
    assert!(ru.text.contains("Пт 11.12, 18:00–19:00"), "{}", ru.text);
    assert_eq!(ru.href, format!("/clubs/{club}"));
    let kk = &notices::mine(db, &bolat, Locale::Kk).await.unwrap()[0];
    assert!(kk.text.contains("ауыстырылды"), "{}", kk.text);
    assert!(kk.text.contains("Жм 11.12, 18:00"), "{}", kk.text);
    // By email, in the member's language.
    let mail = emails(db, aigul.person_id, "email.change").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].contains("Изменение") && mail[0].contains("11.12, 18:00"),
        "{}",
        mail[0]
    );
    let mail = emails(db, bolat.person_id, "email.change").await;
    assert!(
        mail[0].contains("Өзгеріс") && mail[0].contains("11.12, 18:00"),
        "{}",
        mail[0]
    );
    // And by text message.
    let sms = texts(db).await;
    assert_eq!(sms.len(), 2, "{sms:?}");
    assert!(sms
        .iter()
        .any(|m| m.contains("перенесено") && m.contains("11.12, 18:00")));
    assert!(sms
        .iter()
        .any(|m| m.contains("ауыстырылды") && m.contains("11.12, 18:00")));
    assert_eq!(audits(db, AuditKind::ActivityChanged).await, 1);

    // The room is now taken at the new time, free at the old one.
    let other = make_user(db, Role::Director, Some(regional), "Director E").await;
    let clash = events::create(
        db,
        &other,
        &event_form(hall.id, "2026-12-11", "18:30"),
        now(),
    )
    .await;
    assert!(
        matches!(clash, Err(AppError::SpaceTaken { .. })),
        "{clash:?}"
    );
    events::create(
        db,
        &other,
        &event_form(hall.id, "2026-12-10", "18:30"),
        now(),
    )
    .await
    .unwrap();

    // A past session or another center's director: refused.
    let temirtau = center_id(db, "temirtau").await;
    let stranger = make_user(db, Role::Director, Some(temirtau), "Director T").await;
    let refused =
        edit::move_session(db, &stranger, s.id, "2026-12-11", "17:00", hall.id, now()).await;
    assert_eq!(refused, Err(AppError::Forbidden));

    // A new weekly time: future sessions follow, members are told.
    let mut f = edit_form_of(&club_row(db, club).await);
    // (The hall holds the Atameken business club from 17:00 on Thursdays.)
    f.start_time = "14:00".into();
    edit::update(db, &keys(), &director, club, &f, now())
        .await
        .unwrap();
    session_at(db, club, local(17, 14, 0)).await;
    session_at(db, club, local(3, 14, 0)).await;
    let ru = &notices::mine(db, &aigul, Locale::Ru).await.unwrap()[0];
    assert!(
        ru.text.contains("Расписание") && ru.text.contains("14:00–15:00"),
        "{}",
        ru.text
    );

    // Cancelling the club cancels its future sessions and frees the room.
    let none = edit::cancel_club(db, &director, club, "Руководитель уехал", false, now()).await;
    assert_eq!(
        none,
        Err(AppError::Invalid {
            field: "confirm".into(),
            problem: Problem::Required
        })
    );
    assert!(club_row(db, club).await.active);
    edit::cancel_club(db, &director, club, "Руководитель уехал", true, now())
        .await
        .unwrap();
    assert!(!club_row(db, club).await.active);
    let open = club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(club))
        .filter(club_session::Column::CancelledAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(open, 0);
    let ru = &notices::mine(db, &aigul, Locale::Ru).await.unwrap()[0];
    assert!(
        ru.text.contains("отменён") && ru.text.contains("Руководитель уехал"),
        "{}",
        ru.text
    );
    events::create(
        db,
        &other,
        &event_form(hall.id, "2026-12-17", "14:00"),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(audits(db, AuditKind::ActivityCancelled).await, 1);
    t.close().await;
}

async fn cancelling_an_event_tells_registrants_and_frees_the_room(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let ev = events::create(
        db,
        &director,
        &event_form(studio.id, "2026-12-03", "15:00"),
        now(),
    )
    .await
    .unwrap();
    let dana = member(db, regional, "Dana D", Locale::En).await;
    events::register(db, &keys(), &dana, ev, now())
        .await
        .unwrap();
    let booker = make_user(db, Role::Visitor, Some(regional), "Booker B").await;
    let taken =
        app::booking::service::book(db, &keys(), &booker, studio.id, local(3, 15, 0), 1, now())
            .await;
    assert!(taken.is_err(), "{taken:?}");

    // A desk cannot cancel it; the director can, with the box ticked.
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    assert_eq!(
        event_edit::cancel_event(db, &desk, ev, "Гость заболел", true, now()).await,
        Err(AppError::Forbidden)
    );
    event_edit::cancel_event(db, &director, ev, "The guest is ill", true, now())
        .await
        .unwrap();
    let n = &notices::mine(db, &dana, Locale::En).await.unwrap()[0];
    assert!(
        n.text.contains("is cancelled") && n.text.contains("The guest is ill"),
        "{}",
        n.text
    );
    let mail = emails(db, dana.person_id, "email.change").await;
    assert!(mail[0].contains("Podcast evening"), "{}", mail[0]);
    assert!(texts(db).await.iter().any(|m| m.contains("is cancelled")));
    // The pass stops working; the room can be booked at that time.
    let live = app::model::pass::Entity::find()
        .filter(app::model::pass::Column::EventId.eq(ev))
        .filter(app::model::pass::Column::RevokedAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(live, 0);
    app::booking::service::book(db, &keys(), &booker, studio.id, local(3, 15, 0), 1, now())
        .await
        .unwrap();
    assert_eq!(
        events::detail(db, ev, None, now(), Locale::En).await,
        Err(AppError::NotFound)
    );
    t.close().await;
}

async fn capacity_below_registered_is_refused_with_nothing_written(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let club = manage::create(db, &director, &club_form(hall.id, 2), now())
        .await
        .unwrap();
    let mut people = Vec::new();
    for name in ["Aruzhan A", "Bekzat B", "Dana D"] {
        let m = make_user(db, Role::Visitor, Some(regional), name).await;
        clubs::join(db, &keys(), &m, club, now()).await.unwrap();
        people.push(m);
    }
    let before = club_row(db, club).await;
    let mut f = edit_form_of(&before);
    f.capacity = 1;
    f.name_en = "Renamed".into();
    f.start_time = "18:00".into();
    assert_eq!(
        edit::update(db, &keys(), &director, club, &f, now()).await,
        Err(AppError::Invalid {
            field: "capacity".into(),
            problem: Problem::BelowBooked
        })
    );
    assert_eq!(club_row(db, club).await, before);
    session_at(db, club, local(10, 19, 0)).await;
    assert_eq!(audits(db, AuditKind::ActivityChanged).await, 0);

    // Raising it gives the place to the first in line.
    f.capacity = 3;
    f.name_en = before.name_en.clone();
    f.start_time = "19:00".into();
    edit::update(db, &keys(), &director, club, &f, now())
        .await
        .unwrap();
    let d = clubs::detail(db, club, Some(&people[2]), now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(d.club.members, 3);
    assert!(d.pass_code.is_some());

    // An event: two registered, one place is refused.
    let ev = events::create(
        db,
        &director,
        &event_form(studio.id, "2026-12-04", "15:00"),
        now(),
    )
    .await
    .unwrap();
    for p in &people[..2] {
        events::register(db, &keys(), p, ev, now()).await.unwrap();
    }
    let e_before = event::Entity::find_by_id(ev)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let form = EventEditForm {
        name_en: "Renamed".into(),
        direction: "media".into(),
        space_id: studio.id,
        date: "2026-12-04".into(),
        start_time: "16:00".into(),
        duration_minutes: 120,
        capacity: 1,
        ..Default::default()
    };
    assert_eq!(
        event_edit::update(db, &keys(), &director, ev, &form, now()).await,
        Err(AppError::Invalid {
            field: "capacity".into(),
            problem: Problem::BelowBooked
        })
    );
    assert_eq!(
        event::Entity::find_by_id(ev)
            .one(db)
            .await
            .unwrap()
            .unwrap(),
        e_before
    );
    assert!(emails(db, people[0].person_id, "email.change")
        .await
        .is_empty());
    t.close().await;
}

async fn outside_event_with_head_count_counts_in_the_reach_report(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    // 07:00, before the center opens, in a park: no room, no hours check.
    let form = EventForm {
        outside: true,
        center_id: regional,
        place: "Central park, Karaganda".into(),
        name_en: "Park clean-up".into(),
        direction: "ecology".into(),
        date: "2026-12-03".into(),
        start_time: "07:00".into(),
        duration_minutes: 180,
        capacity: 500,
        ..Default::default()
    };
    let ev = events::create(db, &director, &form, now()).await.unwrap();
    let row = event::Entity::find_by_id(ev)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.space_id, None);
    assert_eq!(row.place, "Central park, Karaganda");
    let page = events::detail(db, ev, Some(&director), now(), Locale::En)
        .await
        .unwrap();
    assert!(page.outside && page.can_edit);
    assert_eq!(page.space, "Central park, Karaganda");
    // An outside event without a place is refused.
    let mut bad = form.clone();
    bad.place = "  ".into();
    assert_eq!(
        events::create(db, &director, &bad, now()).await,
        Err(AppError::Invalid {
            field: "place".into(),
            problem: Problem::Required
        })
    );

    let q = ReportQuery {
        center: Some(regional),
        from: Some("2026-12-01".into()),
        to: Some("2026-12-04".into()),
        ..Default::default()
    };
    let later = local(4, 12, 0);
    let boss = &director;
    let report = |q: ReportQuery| async move {
        let (id, centers) = reports::authorize_center(db, boss, q.center, Locale::En)
            .await
            .unwrap();
        reports::center_report(db, id, q, centers, later, Locale::En)
            .await
            .unwrap()
    };
    let region = |q: ReportQuery| async move {
        reports::regional_report(db, None, q, later, Locale::En)
            .await
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.center.id == regional)
            .unwrap()
            .current
    };
    let r0 = report(q.clone()).await;
    let row0 = r0
        .events
        .iter()
        .find(|e| e.name == "Park clean-up")
        .unwrap();
    assert_eq!(row0.b, 0);
    let eco0 = r0
        .directions
        .iter()
        .find(|d| d.direction == "Ecology")
        .map(|d| (d.events_held, d.event_participants))
        .unwrap();
    let region0 = region(q.clone()).await;

    // Not before it starts; the center's desk records it on the day.
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk D").await;
    assert_eq!(
        event_edit::record_head_count(db, &desk, ev, 37, now()).await,
        Err(AppError::BookingClosed)
    );
    let visitor = make_user(db, Role::Visitor, Some(regional), "Visitor V").await;
    assert_eq!(
        event_edit::record_head_count(db, &visitor, ev, 37, local(3, 9, 0)).await,
        Err(AppError::Forbidden)
    );
    event_edit::record_head_count(db, &desk, ev, 37, local(3, 9, 0))
        .await
        .unwrap();
    assert_eq!(audits(db, AuditKind::HeadCountRecorded).await, 1);

    let r1 = report(q.clone()).await;
    let row1 = r1
        .events
        .iter()
        .find(|e| e.name == "Park clean-up")
        .unwrap();
    assert_eq!(row1.b, 37);
    let eco1 = r1
        .directions
        .iter()
        .find(|d| d.direction == "Ecology")
        .map(|d| (d.events_held, d.event_participants))
        .unwrap();
    assert_eq!(eco1, (eco0.0, eco0.1 + 37));
    assert_eq!(
        r1.current.event_participants,
        r0.current.event_participants + 37
    );
    let region1 = region(q).await;
    assert_eq!(region1.event_participants, region0.event_participants + 37);
    assert_eq!(region1.events_held, region0.events_held);
    t.close().await;
}

async fn moving_a_program_session_tells_accepted_participants(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let p = staff::create_program(
        db,
        &director,
        &ProgramForm {
            center_id: regional.to_string(),
            name_kk: "Дебат мектебі".into(),
            name_ru: "Школа дебатов".into(),
            name_en: "Debate school".into(),
            direction: "culture".into(),
            capacity: "10".into(),
            completion_percent: "80".into(),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    staff::add_sessions(
        db,
        &director,
        p.id,
        &SessionsForm {
            first_date: "2026-12-20".into(),
            start_time: "18:00".into(),
            minutes: "90".into(),
            weeks: "2".into(),
            title: "Debate".into(),
            space_id: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let aset = member(db, regional, "Aset A", Locale::Kk).await;
    let waiting = member(db, regional, "Waiting W", Locale::Ru).await;
    for (who, status) in [
        (&aset, AppStatus::Accepted),
        (&waiting, AppStatus::Submitted),
    ] {
        program_application::ActiveModel {
            program_id: Set(p.id),
            person_id: Set(who.person_id),
            status: Set(status),
            motivation: Set("Debates".into()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let sessions = app::model::program_session::Entity::find()
        .filter(app::model::program_session::Column::ProgramId.eq(p.id))
        .order_by_asc(app::model::program_session::Column::StartsAt)
        .all(db)
        .await
        .unwrap();
    program_edit::move_session(db, &director, sessions[0].id, "2026-12-21", "17:00", now())
        .await
        .unwrap();
    let s = app::model::program_session::Entity::find_by_id(sessions[0].id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (s.starts_at, s.ends_at),
        (local(21, 17, 0), local(21, 18, 30))
    );
    let kk = &notices::mine(db, &aset, Locale::Kk).await.unwrap()[0];
    assert!(
        kk.text.contains("Дебат мектебі") && kk.text.contains("ауыстырылды"),
        "{}",
        kk.text
    );
    assert!(kk.text.contains("Дс 21.12, 17:00–18:30"), "{}", kk.text);
    assert_eq!(kk.href, format!("/programs/{}", p.id));
    assert_eq!(emails(db, aset.person_id, "email.change").await.len(), 1);
    // Only accepted participants hear of a moved session.
    assert!(notices::mine(db, &waiting, Locale::Ru)
        .await
        .unwrap()
        .is_empty());
    assert!(texts(db).await.iter().any(|m| m.contains("ауыстырылды")));

    // Cancelling one session needs the box ticked; then it is gone.
    assert_eq!(
        program_edit::cancel_session(db, &director, sessions[1].id, false, now()).await,
        Err(AppError::Invalid {
            field: "confirm".into(),
            problem: Problem::Required
        })
    );
    program_edit::cancel_session(db, &director, sessions[1].id, true, now())
        .await
        .unwrap();
    let kk = &notices::mine(db, &aset, Locale::Kk).await.unwrap()[0];
    assert!(
        kk.text.contains("болмайды") && kk.text.contains("27.12, 18:00"),
        "{}",
        kk.text
    );

    // A capacity below the accepted is refused; cancelling tells everyone.
    let below = app::programs::edit_dto::ProgramEditForm {
        name_en: "Debate school".into(),
        capacity: "0".into(),
        ..Default::default()
    };
    assert!(matches!(
        program_edit::update(db, &director, p.id, &below, now()).await,
        Err(AppError::Invalid { .. })
    ));
    program_edit::cancel_program(db, &director, p.id, "Нет тренера", true, now())
        .await
        .unwrap();
    let ru = &notices::mine(db, &waiting, Locale::Ru).await.unwrap()[0];
    assert!(
        ru.text
            .contains("Программа «Школа дебатов» отменена. Нет тренера"),
        "{}",
        ru.text
    );
    t.close().await;
}

on_both_databases!(
    moving_a_club_session_tells_members_in_their_language,
    cancelling_an_event_tells_registrants_and_frees_the_room,
    capacity_below_registered_is_refused_with_nothing_written,
    outside_event_with_head_count_counts_in_the_reach_report,
    moving_a_program_session_tells_accepted_participants,
);
