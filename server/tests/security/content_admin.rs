//! Changing content after creation (issue 21): only a director of the
//! activity's center or an admin edits and cancels clubs, events and
//! programs; another center's director, the desk, a visitor and the club's
//! own mentor are refused. Unknown ids are not found; oversized input is
//! refused on its field. Nothing is written, nobody is told.

use app::access::session::CurrentUser;
use app::clubs::dto::{ClubForm, EventForm};
use app::clubs::edit_dto::{ClubEditForm, EventEditForm};
use app::clubs::{edit, event_edit, events, manage, service as clubs};
use app::domain::codes::AuditKind;
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::model::{audit_log, club, club_session, event, notice, outbox, program, program_session};
use app::programs::dto::{ProgramForm, SessionsForm};
use app::programs::edit as program_edit;
use app::programs::edit_dto::ProgramEditForm;
use app::programs::staff;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::common::{center_id, keys, make_user, now, space_of, Backend, TestDb};

struct Content {
    director: CurrentUser,
    club: i32,
    session: i32,
    event: i32,
    program: i32,
    program_session: i32,
    space: i32,
}

async fn content(db: &DatabaseConnection) -> Content {
    let regional = center_id(db, "karaganda-regional").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let mentor = make_user(db, Role::Mentor, Some(regional), "Mentor M").await;
    let club = manage::create(
        db,
        &director,
        &ClubForm {
            space_id: hall.id,
            leader_account_id: mentor.account_id,
            name_en: "Dombra club".into(),
            direction: "culture".into(),
            weekday: 3,
            start_time: "19:00".into(),
            duration_minutes: 60,
            term_start: "2026-12-01".into(),
            term_end: "2026-12-24".into(),
            capacity: 10,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    let member = make_user(db, Role::Visitor, Some(regional), "Member M").await;
    clubs::join(db, &keys(), &member, club, now())
        .await
        .unwrap();
    let session = club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(club))
        .order_by_asc(club_session::Column::StartsAt)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let event = events::create(
        db,
        &director,
        &EventForm {
            space_id: studio.id,
            name_en: "Podcast evening".into(),
            direction: "media".into(),
            date: "2026-12-03".into(),
            start_time: "15:00".into(),
            duration_minutes: 120,
            capacity: 10,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    events::register(db, &keys(), &member, event, now())
        .await
        .unwrap();
    let program = staff::create_program(
        db,
        &director,
        &ProgramForm {
            center_id: regional.to_string(),
            name_en: "Debate school".into(),
            direction: "culture".into(),
            capacity: "10".into(),
            completion_percent: "80".into(),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap()
    .id;
    staff::add_sessions(
        db,
        &director,
        program,
        &SessionsForm {
            first_date: "2026-12-20".into(),
            start_time: "18:00".into(),
            minutes: "90".into(),
            weeks: "1".into(),
            title: "Debate".into(),
            space_id: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let program_session = program_session::Entity::find()
        .filter(program_session::Column::ProgramId.eq(program))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    Content {
        director,
        club,
        session,
        event,
        program,
        program_session,
        space: hall.id,
    }
}

/// Everything the attacks could change, to compare before and after.
async fn snapshot(db: &DatabaseConnection, c: &Content) -> (String, u64, u64, u64) {
    let rows = format!(
        "{:?}{:?}{:?}{:?}{:?}",
        club::Entity::find_by_id(c.club).one(db).await.unwrap(),
        club_session::Entity::find()
            .filter(club_session::Column::ClubId.eq(c.club))
            .order_by_asc(club_session::Column::Id)
            .all(db)
            .await
            .unwrap(),
        event::Entity::find_by_id(c.event).one(db).await.unwrap(),
        program::Entity::find_by_id(c.program)
            .one(db)
            .await
            .unwrap(),
        program_session::Entity::find()
            .filter(program_session::Column::ProgramId.eq(c.program))
            .all(db)
            .await
            .unwrap(),
    );
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Kind.is_in([
            AuditKind::ActivityChanged,
            AuditKind::ActivityCancelled,
            AuditKind::HeadCountRecorded,
        ]))
        .count(db)
        .await
        .unwrap();
    let notices = notice::Entity::find().count(db).await.unwrap();
    let mails = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("email.change"))
        .count(db)
        .await
        .unwrap();
    (rows, audits, notices, mails)
}

fn club_edit(space_id: i32) -> ClubEditForm {
    ClubEditForm {
        name_en: "Taken over".into(),
        direction: "culture".into(),
        space_id,
        weekday: 4,
        start_time: "10:00".into(),
        duration_minutes: 60,
        term_end: "2026-12-24".into(),
        capacity: 50,
        ..Default::default()
    }
}

fn event_edit_form(space_id: i32) -> EventEditForm {
    EventEditForm {
        name_en: "Taken over".into(),
        direction: "media".into(),
        space_id,
        date: "2026-12-04".into(),
        start_time: "12:00".into(),
        duration_minutes: 60,
        capacity: 50,
        ..Default::default()
    }
}

fn program_edit_form() -> ProgramEditForm {
    ProgramEditForm {
        name_en: "Taken over".into(),
        capacity: "50".into(),
        ..Default::default()
    }
}

/// Every change and cancellation as `who`; the answers, in order.
async fn attempt_all(db: &DatabaseConnection, who: &CurrentUser, c: &Content) -> Vec<AppError> {
    let r = [
        edit::update(db, &keys(), who, c.club, &club_edit(c.space), now()).await,
        edit::move_session(db, who, c.session, "2026-12-04", "10:00", c.space, now()).await,
        edit::cancel_club(db, who, c.club, "Mine now", true, now()).await,
        event_edit::update(db, &keys(), who, c.event, &event_edit_form(c.space), now()).await,
        event_edit::cancel_event(db, who, c.event, "Mine now", true, now()).await,
        program_edit::update(db, who, c.program, &program_edit_form(), now()).await,
        program_edit::move_session(db, who, c.program_session, "2026-12-21", "10:00", now()).await,
        program_edit::cancel_session(db, who, c.program_session, true, now()).await,
        program_edit::cancel_program(db, who, c.program, "Mine now", true, now()).await,
    ];
    r.into_iter()
        .map(|x| x.expect_err("the change must be refused"))
        .collect()
}

async fn other_roles_and_centers_cannot_edit_or_cancel(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let c = content(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let before = snapshot(db, &c).await;
    let club_leader = club::Entity::find_by_id(c.club)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .leader_account_id
        .unwrap();
    let mut leader = make_user(db, Role::Mentor, Some(regional), "Leader L").await;
    leader.account_id = club_leader;
    for who in [
        make_user(db, Role::FrontDesk, Some(regional), "Desk D").await,
        make_user(db, Role::Visitor, Some(regional), "Visitor V").await,
        leader,
    ] {
        let answers = attempt_all(db, &who, &c).await;
        assert!(
            answers.iter().all(|e| *e == AppError::Forbidden),
            "{:?}: {answers:?}",
            who.role
        );
    }
    // Another center's director: the club and event are refused, the
    // program is not even found (as its other staff pages).
    let stranger = make_user(db, Role::Director, Some(temirtau), "Director T").await;
    let answers = attempt_all(db, &stranger, &c).await;
    assert!(
        answers[..5].iter().all(|e| *e == AppError::Forbidden),
        "{answers:?}"
    );
    assert!(
        answers[5..].iter().all(|e| *e == AppError::NotFound),
        "{answers:?}"
    );
    // The desk may not record a head count at another center either.
    let far_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Desk T").await;
    assert_eq!(
        event_edit::record_head_count(db, &far_desk, c.event, 5, now()).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(db, &c).await, before);
    // The edit pages' data is theirs alone too.
    assert_eq!(
        edit::edit_data(db, &stranger, c.club, now(), app::i18n::Locale::En).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        event_edit::edit_data(db, &stranger, c.event, app::i18n::Locale::En).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        program_edit::edit_data(db, &stranger, c.program, now(), app::i18n::Locale::En).await,
        Err(AppError::NotFound)
    );
    t.close().await;
}

async fn unknown_ids_are_not_found(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let c = content(db).await;
    let before = snapshot(db, &c).await;
    let d = &c.director;
    for id in [0, -1, 999_999, i32::MAX] {
        let answers = [
            edit::update(db, &keys(), d, id, &club_edit(c.space), now()).await,
            edit::move_session(db, d, id, "2026-12-04", "10:00", c.space, now()).await,
            edit::cancel_club(db, d, id, "Gone", true, now()).await,
            event_edit::update(db, &keys(), d, id, &event_edit_form(c.space), now()).await,
            event_edit::cancel_event(db, d, id, "Gone", true, now()).await,
            program_edit::update(db, d, id, &program_edit_form(), now()).await,
            program_edit::move_session(db, d, id, "2026-12-21", "10:00", now()).await,
            program_edit::cancel_session(db, d, id, true, now()).await,
            program_edit::cancel_program(db, d, id, "Gone", true, now()).await,
            event_edit::record_head_count(db, d, id, 5, now())
                .await
                .map(|_| ()),
        ];
        for a in answers {
            assert_eq!(a, Err(AppError::NotFound), "id {id}");
        }
    }
    // A room of another center is no room for this club or event.
    let temirtau = center_id(db, "temirtau").await;
    let far = space_of(db, temirtau, "coworking").await.id;
    assert!(matches!(
        edit::move_session(db, d, c.session, "2026-12-04", "10:00", far, now()).await,
        Err(AppError::Invalid { .. } | AppError::Forbidden)
    ));
    assert!(matches!(
        event_edit::update(db, &keys(), d, c.event, &event_edit_form(far), now()).await,
        Err(AppError::Invalid { .. } | AppError::Forbidden)
    ));
    assert_eq!(snapshot(db, &c).await, before);
    t.close().await;
}

async fn oversized_input_is_refused_on_its_field(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let c = content(db).await;
    let before = snapshot(db, &c).await;
    let d = &c.director;
    let field = |r: Result<(), AppError>| match r {
        Err(AppError::Invalid { field, problem }) => (field, problem),
        other => panic!("expected a field error, got {other:?}"),
    };
    let huge = "Ж".repeat(100_000);
    let mut f = club_edit(c.space);
    f.name_kk = huge.clone();
    assert_eq!(
        field(edit::update(db, &keys(), d, c.club, &f, now()).await),
        ("name_kk".into(), Problem::TooLong)
    );
    let mut f = club_edit(c.space);
    f.description_ru = huge.clone();
    assert_eq!(
        field(edit::update(db, &keys(), d, c.club, &f, now()).await),
        ("description_ru".into(), Problem::TooLong)
    );
    let mut f = club_edit(c.space);
    f.start_time = huge.clone();
    assert_eq!(
        field(edit::update(db, &keys(), d, c.club, &f, now()).await),
        ("start_time".into(), Problem::Time)
    );
    let mut f = club_edit(c.space);
    f.capacity = u32::MAX;
    assert_eq!(
        field(edit::update(db, &keys(), d, c.club, &f, now()).await),
        ("capacity".into(), Problem::Range)
    );
    assert_eq!(
        field(edit::move_session(db, d, c.session, &huge, "10:00", c.space, now()).await),
        ("date".into(), Problem::Date)
    );
    assert_eq!(
        field(edit::cancel_club(db, d, c.club, &huge, true, now()).await),
        ("reason".into(), Problem::TooLong)
    );
    let mut e = event_edit_form(c.space);
    e.outside = true;
    e.place = huge.clone();
    assert_eq!(
        field(event_edit::update(db, &keys(), d, c.event, &e, now()).await),
        ("place".into(), Problem::TooLong)
    );
    let mut e = event_edit_form(c.space);
    e.name_en = huge.clone();
    assert_eq!(
        field(event_edit::update(db, &keys(), d, c.event, &e, now()).await),
        ("name_en".into(), Problem::TooLong)
    );
    assert_eq!(
        field(event_edit::cancel_event(db, d, c.event, &huge, true, now()).await),
        ("reason".into(), Problem::TooLong)
    );
    assert_eq!(
        event_edit::record_head_count(db, d, c.event, u32::MAX, now()).await,
        Err(AppError::Invalid {
            field: "count".into(),
            problem: Problem::Range
        })
    );
    let mut p = program_edit_form();
    p.description_en = huge.clone();
    assert_eq!(
        field(program_edit::update(db, d, c.program, &p, now()).await),
        ("description_en".into(), Problem::TooLong)
    );
    let mut p = program_edit_form();
    p.capacity = huge.clone();
    assert_eq!(
        field(program_edit::update(db, d, c.program, &p, now()).await),
        ("capacity".into(), Problem::Range)
    );
    assert_eq!(
        field(program_edit::cancel_program(db, d, c.program, &huge, true, now()).await),
        ("reason".into(), Problem::TooLong)
    );
    assert_eq!(
        field(
            program_edit::move_session(db, d, c.program_session, "2026-12-21", &huge, now()).await
        ),
        ("start_time".into(), Problem::Time)
    );
    assert_eq!(snapshot(db, &c).await, before);
    t.close().await;
}

on_both_databases!(
    other_roles_and_centers_cannot_edit_or_cancel,
    unknown_ids_are_not_found,
    oversized_input_is_refused_on_its_field,
);
