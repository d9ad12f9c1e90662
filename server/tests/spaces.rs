//! Spaces run by their director, against SQLite and PostgreSQL: creating
//! one with every rule, duplicate names, a capacity below what members
//! booked, deactivating with the affected bookings listed first (members
//! told in their own language by notice, email and text), reactivating.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::booking::service as booking;
use app::booking::space_close::deactivate_space;
use app::centers::dto::SpaceRulesForm;
use app::centers::spaces::{create_space, reactivate_space, save_space_details, space_editor};
use app::centers::spaces_dto::{default_rules, SpaceDetailsForm};
use app::centers::{manage, service as centers};
use app::domain::codes::{AuditKind, BookingStatus, NoticeKind};
use app::domain::people::Role;
use app::domain::space::SpaceKind;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{audit_log, booking as booking_row, notice, outbox, pass, person, space};
use chrono::DateTime;
use chrono::Utc;
use common::{center_id, keys, local, make_user, now, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};

fn details(center_id: i32, kind: SpaceKind, name: &str) -> SpaceDetailsForm {
    SpaceDetailsForm {
        center_id,
        kind: kind.as_str().into(),
        name_kk: format!("{name} бөлмесі"),
        name_ru: format!("Комната {name}"),
        name_en: format!("{name} room"),
        description_kk: "Жарық, тыныш бөлме.".into(),
        description_ru: "Светлая тихая комната.".into(),
        description_en: "A bright, quiet room.".into(),
    }
}

async fn director(db: &DatabaseConnection, slug: &str) -> CurrentUser {
    let c = center_id(db, slug).await;
    make_user(db, Role::Director, Some(c), "Dana Director").await
}

/// A member at the regional center who reads in `lang`, with a phone.
async fn member(db: &DatabaseConnection, name: &str, lang: Locale, phone: &str) -> CurrentUser {
    let c = center_id(db, "karaganda-regional").await;
    let mut u = make_user(db, Role::Visitor, Some(c), name).await;
    let mut p = person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.preferred_lang = Set(lang);
    p.phone = Set(Some(phone.into()));
    p.update(db).await.unwrap();
    u.lang = lang;
    u
}

async fn audit_count(db: &DatabaseConnection, kind: AuditKind) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(kind))
        .count(db)
        .await
        .unwrap()
}

async fn book(
    db: &DatabaseConnection,
    who: &CurrentUser,
    space_id: i32,
    at: DateTime<Utc>,
    party: i32,
) -> Result<booking_row::Model, AppError> {
    booking::book(db, &keys(), who, space_id, at, party, now()).await
}

async fn create_with_every_rule(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    // The new-space form starts from the kind's usual rules.
    let form =
        app::centers::spaces::new_space_form(db, &boss, Some("sound_studio".into()), Locale::En)
            .await
            .unwrap();
    assert_eq!(form.rules, default_rules(SpaceKind::SoundStudio));
    assert!(form.rules.requires_induction);
    assert!(form.centers.iter().any(|c| c.id == regional));
    let rules = SpaceRulesForm {
        capacity: 12,
        max_party: 3,
        slot_minutes: 30,
        min_minutes: 60,
        max_minutes: 150,
        buffer_minutes: 10,
        min_notice_minutes: 120,
        max_advance_days: 21,
        cancel_notice_minutes: 240,
        min_age: 16,
        checkin_open_minutes: 20,
        no_show_minutes: 25,
        requires_approval: true,
        requires_induction: true,
        direction: "media".into(),
    };
    let before = audit_count(db, AuditKind::SpaceCreated).await;
    let id = create_space(
        db,
        &boss,
        details(regional, SpaceKind::Coworking, "Aru"),
        rules.clone(),
        now(),
    )
    .await
    .unwrap();
    let s = space::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.kind, SpaceKind::Coworking);
    assert!(s.active);
    assert_eq!(
        (s.name_kk.as_str(), s.name_ru.as_str(), s.name_en.as_str()),
        ("Aru бөлмесі", "Комната Aru", "Aru room")
    );
    assert_eq!(
        [
            s.capacity,
            s.max_party,
            s.slot_minutes,
            s.min_minutes,
            s.max_minutes,
            s.buffer_minutes,
            s.min_notice_minutes,
            s.max_advance_days,
            s.cancel_notice_minutes,
            s.min_age,
            s.checkin_open_minutes,
            s.no_show_minutes,
        ],
        [12, 3, 30, 60, 150, 10, 120, 21, 240, 16, 20, 25]
    );
    assert!(s.requires_approval && s.requires_induction);
    assert_eq!(s.direction.as_ref().map(|d| d.as_str()), Some("media"));
    assert_eq!(audit_count(db, AuditKind::SpaceCreated).await, before + 1);
    // The editor reads back what was saved; the public page shows the
    // description in the reader's language.
    let ed = space_editor(db, &boss, id, Locale::Ru, now())
        .await
        .unwrap();
    assert_eq!(ed.rules, rules);
    assert_eq!(ed.details.name_en, "Aru room");
    let public = centers::center_detail(db, regional, Locale::Ru)
        .await
        .unwrap();
    let shown = public.spaces.iter().find(|x| x.id == id).unwrap();
    assert_eq!(shown.description, "Светлая тихая комната.");
    // Every kind can be created from its defaults.
    for (i, kind) in SpaceKind::ALL.into_iter().enumerate() {
        create_space(
            db,
            &boss,
            details(regional, kind, &format!("K{i}")),
            default_rules(kind),
            now(),
        )
        .await
        .unwrap();
    }
    t.close().await;
}

async fn duplicate_names_are_refused(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    let a = create_space(
        db,
        &boss,
        details(regional, SpaceKind::MeetingRoom, "Alpha"),
        default_rules(SpaceKind::MeetingRoom),
        now(),
    )
    .await
    .unwrap();
    let count = space::Entity::find().count(db).await.unwrap();
    let mut dup = details(regional, SpaceKind::Other, "Beta");
    dup.name_ru = "  КОМНАТА alpha ".into();
    assert_eq!(
        create_space(db, &boss, dup, default_rules(SpaceKind::Other), now()).await,
        Err(AppError::Invalid {
            field: "name_ru".into(),
            problem: Problem::Taken
        })
    );
    assert_eq!(space::Entity::find().count(db).await.unwrap(), count);
    // Renaming another space to the same name is refused too; renaming a
    // space to its own name is not.
    let b = create_space(
        db,
        &boss,
        details(regional, SpaceKind::Other, "Beta"),
        default_rules(SpaceKind::Other),
        now(),
    )
    .await
    .unwrap();
    let mut clash = details(regional, SpaceKind::Other, "Beta");
    clash.name_en = "alpha ROOM".into();
    assert_eq!(
        save_space_details(db, &boss, b, clash, now()).await,
        Err(AppError::Invalid {
            field: "name_en".into(),
            problem: Problem::Taken
        })
    );
    let beta = space::Entity::find_by_id(b).one(db).await.unwrap().unwrap();
    assert_eq!(beta.name_en, "Beta room");
    let mut same = details(regional, SpaceKind::MeetingRoom, "Alpha");
    same.description_en = "Now with a whiteboard.".into();
    save_space_details(db, &boss, a, same, now()).await.unwrap();
    // The same name in another center is fine.
    let admin = make_user(db, Role::Admin, None, "Ayan Admin").await;
    let temirtau = center_id(db, "temirtau").await;
    create_space(
        db,
        &admin,
        details(temirtau, SpaceKind::MeetingRoom, "Alpha"),
        default_rules(SpaceKind::MeetingRoom),
        now(),
    )
    .await
    .unwrap();
    t.close().await;
}

async fn capacity_cannot_drop_below_booked(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    let pool = create_space(
        db,
        &boss,
        details(regional, SpaceKind::Coworking, "Pool"),
        SpaceRulesForm {
            capacity: 10,
            max_party: 4,
            ..default_rules(SpaceKind::Coworking)
        },
        now(),
    )
    .await
    .unwrap();
    let m1 = member(db, "Asel One", Locale::Kk, "+77029990001").await;
    let m2 = member(db, "Bolat Two", Locale::Ru, "+77029990002").await;
    let m3 = member(db, "Chingiz Three", Locale::En, "+77029990003").await;
    // 4 + 4 overlap at 14:00; 2 more at 15:00 overlap only the second.
    book(db, &m1, pool, local(3, 14, 0), 4).await.unwrap();
    booking::book_request(
        db,
        &keys(),
        &m2,
        None,
        booking::BookingRequest {
            space_id: pool,
            starts_at: local(3, 14, 0),
            minutes: Some(120),
            party: 4,
            weeks: 1,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    book(db, &m3, pool, local(3, 15, 0), 2).await.unwrap();
    let rules = |capacity: i32| SpaceRulesForm {
        capacity,
        max_party: 4,
        ..default_rules(SpaceKind::Coworking)
    };
    let before = space::Entity::find_by_id(pool)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        manage::update_space_rules(db, &boss, pool, rules(7), now()).await,
        Err(AppError::Invalid {
            field: "capacity".into(),
            problem: Problem::BelowBooked
        })
    );
    assert_eq!(
        space::Entity::find_by_id(pool)
            .one(db)
            .await
            .unwrap()
            .unwrap(),
        before
    );
    // The peak is 8 people at once: 8 is enough.
    manage::update_space_rules(db, &boss, pool, rules(8), now())
        .await
        .unwrap();
    // A room is taken whole: its capacity must hold the largest party.
    let hall = create_space(
        db,
        &boss,
        details(regional, SpaceKind::MeetingRoom, "Hall"),
        default_rules(SpaceKind::MeetingRoom),
        now(),
    )
    .await
    .unwrap();
    book(db, &m1, hall, local(3, 16, 0), 6).await.unwrap();
    let room = |capacity: i32| SpaceRulesForm {
        capacity,
        max_party: capacity,
        ..default_rules(SpaceKind::MeetingRoom)
    };
    assert!(matches!(
        manage::update_space_rules(db, &boss, hall, room(5), now()).await,
        Err(AppError::Invalid {
            problem: Problem::BelowBooked,
            ..
        })
    ));
    manage::update_space_rules(db, &boss, hall, room(6), now())
        .await
        .unwrap();
    t.close().await;
}

async fn deactivate_lists_cancels_and_tells_members(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    let room = create_space(
        db,
        &boss,
        details(regional, SpaceKind::MeetingRoom, "Studio"),
        default_rules(SpaceKind::MeetingRoom),
        now(),
    )
    .await
    .unwrap();
    let ru = member(db, "Bolat Rustemov", Locale::Ru, "+77011112233").await;
    let kk = member(db, "Asel Nurlanova", Locale::Kk, "+77014445566").await;
    let b1 = book(db, &ru, room, local(3, 14, 0), 2).await.unwrap();
    let b2 = book(db, &kk, room, local(4, 15, 0), 2).await.unwrap();
    // The page lists exactly these bookings first.
    let ed = space_editor(db, &boss, room, Locale::En, now())
        .await
        .unwrap();
    let listed: Vec<_> = ed
        .affected
        .iter()
        .map(|a| (a.id, a.member.as_str(), a.when.as_str(), a.pending))
        .collect();
    assert_eq!(
        listed,
        vec![
            (b1.id, "Bolat Rustemov", "Thu 03.12, 14:00–14:30", false),
            (b2.id, "Asel Nurlanova", "Fri 04.12, 15:00–15:30", false),
        ]
    );
    // Without the confirmation, or without a reason, nothing changes.
    let reason = "Ремонт / жөндеу";
    assert_eq!(
        deactivate_space(db, &boss, room, reason, false, now()).await,
        Err(AppError::Invalid {
            field: "confirm".into(),
            problem: Problem::Required
        })
    );
    assert!(matches!(
        deactivate_space(db, &boss, room, "  ", true, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "reason"
    ));
    let s = space::Entity::find_by_id(room)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(s.active);
    for id in [b1.id, b2.id] {
        let b = booking_row::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.status, BookingStatus::Confirmed);
    }
    assert_eq!(
        notice::Entity::find()
            .filter(notice::Column::Kind.eq(NoticeKind::BookingCancelled))
            .count(db)
            .await
            .unwrap(),
        0
    );
    // Confirmed: both bookings cancelled, their passes revoked.
    let n = deactivate_space(db, &boss, room, reason, true, now())
        .await
        .unwrap();
    assert_eq!(n, 2);
    for id in [b1.id, b2.id] {
        let b = booking_row::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.status, BookingStatus::Cancelled);
        let passes = pass::Entity::find()
            .filter(pass::Column::BookingId.eq(id))
            .all(db)
            .await
            .unwrap();
        assert!(passes.iter().all(|p| p.revoked_at.is_some()));
    }
    // Each member sees a notice in their own language…
    let seen_ru = app::clubs::notices::mine(db, &ru, Locale::Ru)
        .await
        .unwrap();
    assert!(
        seen_ru[0]
            .text
            .starts_with("Бронирование отменено: «Комната Studio», Чт 03.12, 14:00"),
        "{}",
        seen_ru[0].text
    );
    assert!(seen_ru[0].text.contains(reason));
    let seen_kk = app::clubs::notices::mine(db, &kk, Locale::Kk)
        .await
        .unwrap();
    assert!(
        seen_kk[0]
            .text
            .starts_with("Брондау жойылды: «Studio бөлмесі»"),
        "{}",
        seen_kk[0].text
    );
    // …an email in it…
    let mails = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("email.booking_cancelled"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 2);
    let to_ru = mails
        .iter()
        .find(|m| m.person_id == Some(ru.person_id))
        .unwrap();
    assert!(
        to_ru.payload.contains("Ваше бронирование отменено"),
        "{}",
        to_ru.payload
    );
    let to_kk = mails
        .iter()
        .find(|m| m.person_id == Some(kk.person_id))
        .unwrap();
    assert!(
        to_kk.payload.contains("Брондауыңыз жойылды"),
        "{}",
        to_kk.payload
    );
    // …and a text message.
    let to_ru = common::texts_to(db, "+77011112233").await;
    assert!(
        to_ru.iter().any(|x| x.contains("Бронирование отменено")),
        "{to_ru:?}"
    );
    let to_kk = common::texts_to(db, "+77014445566").await;
    assert!(
        to_kk.iter().any(|x| x.contains("Брондау жойылды")),
        "{to_kk:?}"
    );
    // New bookings are refused; the space leaves the public page but stays
    // on the director's list, deactivated.
    assert!(book(db, &ru, room, local(7, 14, 0), 1).await.is_err());
    let public = centers::center_detail(db, regional, Locale::En)
        .await
        .unwrap();
    assert!(public.spaces.iter().all(|s| s.id != room));
    let managed = manage::managed_spaces(db, &boss, Locale::En).await.unwrap();
    let listed = managed
        .iter()
        .flat_map(|c| c.spaces.iter())
        .find(|s| s.id == room)
        .unwrap();
    assert!(!listed.active);
    assert_eq!(audit_count(db, AuditKind::SpaceDeactivated).await, 1);
    // Reactivated, it takes bookings again.
    let changed = audit_count(db, AuditKind::SpaceChanged).await;
    reactivate_space(db, &boss, room, now()).await.unwrap();
    assert!(
        space::Entity::find_by_id(room)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    book(db, &ru, room, local(7, 14, 0), 1).await.unwrap();
    assert_eq!(audit_count(db, AuditKind::SpaceChanged).await, changed + 1);
    t.close().await;
}

async fn deactivate_empty_space_and_reactivate(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    let room = create_space(
        db,
        &boss,
        details(regional, SpaceKind::LectureHall, "Quiet"),
        default_rules(SpaceKind::LectureHall),
        now(),
    )
    .await
    .unwrap();
    // No bookings: no reason needed, but still the explicit confirmation.
    let ed = space_editor(db, &boss, room, Locale::En, now())
        .await
        .unwrap();
    assert!(ed.affected.is_empty());
    assert_eq!(
        deactivate_space(db, &boss, room, "", true, now()).await,
        Ok(0)
    );
    let s = space::Entity::find_by_id(room)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!s.active);
    // A deactivated space is offered neither for clubs nor for booking.
    let admin = make_user(db, Role::Admin, None, "Ayan Admin").await;
    let options = app::clubs::manage::form_options(db, &boss, Locale::En)
        .await
        .unwrap();
    assert!(options
        .centers
        .iter()
        .flat_map(|c| c.spaces.iter())
        .all(|s| s.id != room));
    let public = centers::center_detail(db, regional, Locale::En)
        .await
        .unwrap();
    assert!(public.spaces.iter().all(|s| s.id != room));
    reactivate_space(db, &admin, room, now()).await.unwrap();
    assert!(
        space::Entity::find_by_id(room)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    t.close().await;
}

/// The pages render on the server for the director, with the list of
/// affected bookings before the deactivation form.
async fn editor_pages_render(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = director(db, "karaganda-regional").await;
    let room = create_space(
        db,
        &boss,
        details(regional, SpaceKind::MeetingRoom, "Paged"),
        default_rules(SpaceKind::MeetingRoom),
        now(),
    )
    .await
    .unwrap();
    let m = member(db, "Dina Page", Locale::En, "+77029990009").await;
    book(db, &m, room, local(3, 14, 0), 2).await.unwrap();
    let app = server::router(common::state(db));
    let cookie = common::callers::session_cookie(db, boss.account_id).await;
    let list = common::http::fetch(&app, "/director/spaces", Some(&cookie)).await;
    let html = list.text();
    assert!(html.contains("data-testid=\"new-space\""), "{html}");
    assert!(html.contains("data-testid=\"space-status\""));
    let new = common::http::fetch(
        &app,
        "/director/spaces/new?kind=sound_studio",
        Some(&cookie),
    )
    .await;
    assert!(new.text().contains("data-testid=\"new-space-form\""));
    let page = common::http::fetch(&app, &format!("/director/spaces/{room}"), Some(&cookie)).await;
    let html = page.text();
    let table = html
        .find("data-testid=\"affected-bookings\"")
        .expect("affected list");
    let form = html
        .find("data-testid=\"deactivate-form\"")
        .expect("deactivate form");
    assert!(table < form);
    assert!(html.contains("Dina Page"));
    assert!(html.contains("data-testid=\"details-form\""));
    assert!(html.contains("data-testid=\"rules-form\""));
    t.close().await;
}

on_both_databases!(
    editor_pages_render,
    create_with_every_rule,
    duplicate_names_are_refused,
    capacity_cannot_drop_below_booked,
    deactivate_lists_cancels_and_tells_members,
    deactivate_empty_space_and_reactivate,
);
