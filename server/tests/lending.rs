//! Mentor consultations and equipment lending against SQLite and
//! PostgreSQL: privacy of psychology consultations for every role, one
//! booking per slot under a race, weekly series, and the lending cycle
//! with induction, overdue blocking and condition at return.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::domain::consultation::Field;
use app::domain::lending::{Condition, ItemState, LoanStatus};
use app::domain::people::Role;
use app::equipment::desk;
use app::equipment::service as lending;
use app::error::AppError;
use app::i18n::Locale;
use app::membership::members;
use app::mentors::service as mentors;
use app::model::{consultation_slot, equipment_item, mentor};
use chrono::Duration;
use common::callers::user_by_email;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

const EN: Locale = Locale::En;

async fn mentor_of(db: &DatabaseConnection, user: &CurrentUser) -> mentor::Model {
    mentor::Entity::find()
        .filter(mentor::Column::AccountId.eq(user.account_id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// The mentor's free slots ahead, earliest first.
async fn free_slots(db: &DatabaseConnection, mentor_id: i32) -> Vec<consultation_slot::Model> {
    consultation_slot::Entity::find()
        .filter(consultation_slot::Column::MentorId.eq(mentor_id))
        .filter(consultation_slot::Column::BookedBy.is_null())
        .filter(consultation_slot::Column::CancelledAt.is_null())
        .filter(consultation_slot::Column::StartsAt.gt(now()))
        .order_by_asc(consultation_slot::Column::StartsAt)
        .all(db)
        .await
        .unwrap()
}

async fn item(db: &DatabaseConnection, label: &str) -> equipment_item::Model {
    equipment_item::Entity::find()
        .filter(equipment_item::Column::LabelCode.eq(label))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn state_of(db: &DatabaseConnection, user: &CurrentUser, label: &str) -> ItemState {
    lending::center_equipment(db, user, None, now(), EN)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.label_code == label)
        .unwrap()
        .state
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

async fn psychology_is_private_for_every_role(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let psychologist = user_by_email(db, "psychologist@demo.ortalyq.kz").await;
    let psych = mentor_of(db, &psychologist).await;
    assert_eq!(psych.field, Field::Psychology);
    let it_mentor = user_by_email(db, "it.mentor@demo.ortalyq.kz").await;
    let it = mentor_of(db, &it_mentor).await;

    let booker = make_user(db, Role::Visitor, Some(regional), "Zarina Booker").await;
    let other = make_user(db, Role::Visitor, Some(regional), "Other Member").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let far_director = make_user(db, Role::Director, Some(temirtau), "Far director").await;
    let admin = make_user(db, Role::Admin, None, "Admin").await;

    let secret = "Panic attacks before exams";
    let slot = free_slots(db, psych.id).await[0].clone();
    mentors::book(db, &booker, slot.id, Some(secret.into()), now())
        .await
        .unwrap();
    // The same member also books the IT mentor (not private).
    let it_slot = free_slots(db, it.id).await[0].clone();
    mentors::book(
        db,
        &booker,
        it_slot.id,
        Some("Rust portfolio".into()),
        now(),
    )
    .await
    .unwrap();

    // The booker sees it, topic included.
    let mine = mentors::my_consultations(db, &booker, now(), EN)
        .await
        .unwrap();
    assert!(mine
        .iter()
        .any(|c| c.slot_id == slot.id && c.topic.as_deref() == Some(secret)));

    // The consultant sees who and why.
    let schedule = mentors::mentor_schedule(db, &psychologist, now(), EN)
        .await
        .unwrap()
        .unwrap();
    let row = schedule.slots.iter().find(|s| s.id == slot.id).unwrap();
    assert_eq!(row.member.as_deref(), Some("Zarina Booker"));
    assert_eq!(row.topic.as_deref(), Some(secret));

    // Another member: nothing in their list, nothing in the public list,
    // no report.
    let theirs = mentors::my_consultations(db, &other, now(), EN)
        .await
        .unwrap();
    assert!(!json(&theirs).contains("Zarina"));
    let public = mentors::list_mentors(db, None, Some(Field::Psychology), None, now(), EN)
        .await
        .unwrap();
    assert!(!json(&public).contains("Zarina") && !json(&public).contains(secret));
    // The booked time is no longer offered.
    assert!(public[0].free_slots.iter().all(|s| s.id != slot.id));
    assert_eq!(
        mentors::report(db, &other, Some(regional), now(), EN).await,
        Err(AppError::Forbidden)
    );

    // Another mentor: their own schedule only, no report.
    let its = mentors::mentor_schedule(db, &it_mentor, now(), EN)
        .await
        .unwrap()
        .unwrap();
    assert!(its.slots.iter().all(|s| s.id != slot.id));
    assert!(!json(&its).contains(secret));
    assert_eq!(
        mentors::report(db, &it_mentor, Some(regional), now(), EN).await,
        Err(AppError::Forbidden)
    );
    // A member has no mentor schedule.
    assert_eq!(
        mentors::mentor_schedule(db, &other, now(), EN).await,
        Err(AppError::Forbidden)
    );

    // Desk, director and admin: counts for psychology, never the name or
    // topic (the demo visitor's seeded booking counts too).
    for staff in [&desk, &director, &admin] {
        let r = mentors::report(db, staff, Some(regional), now(), EN)
            .await
            .unwrap();
        let text = json(&r);
        assert!(!text.contains(secret), "{:?}: {text}", staff.role);
        assert!(!text.contains("Емтихан"), "{:?}", staff.role);
        let p = r
            .rows
            .iter()
            .find(|x| x.field == Field::Psychology)
            .unwrap();
        assert!(!json(p).contains("Zarina"), "{:?}: {text}", staff.role);
        assert_eq!(p.booked_upcoming, 2, "{:?}", staff.role);
        assert!(p.counts_only && p.bookings.is_empty());
        // Outside psychology directors and admins see names; the desk counts.
        let i = r.rows.iter().find(|x| x.field == Field::It).unwrap();
        assert_eq!(i.booked_upcoming, 1);
        if staff.role == Role::FrontDesk {
            assert!(i.counts_only && i.bookings.is_empty());
        } else {
            assert_eq!(i.bookings[0].member, "Zarina B.");
            assert_eq!(i.bookings[0].topic.as_deref(), Some("Rust portfolio"));
        }
    }
    // Another center's director learns nothing about this center.
    assert_eq!(
        mentors::report(db, &far_director, Some(regional), now(), EN).await,
        Err(AppError::NotFound)
    );
    t.close().await;
}

async fn two_members_racing_for_one_slot_one_wins(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let it = mentor_of(db, &user_by_email(db, "it.mentor@demo.ortalyq.kz").await).await;
    let slot = free_slots(db, it.id).await[0].clone();
    let a = make_user(db, Role::Visitor, Some(regional), "Racer A").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Racer B").await;
    let (db1, db2) = (db.clone(), db.clone());
    let ha = tokio::spawn(async move { mentors::book(&db1, &a, slot.id, None, now()).await });
    let hb = tokio::spawn(async move { mentors::book(&db2, &b, slot.id, None, now()).await });
    let results = [ha.await.unwrap(), hb.await.unwrap()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(AppError::ConsultationTaken))),
        "{results:?}"
    );
    assert!(AppError::ConsultationTaken
        .message(Locale::Ru)
        .contains("другое"));
    t.close().await;
}

async fn mentors_publish_series_and_members_cancel(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let psychologist = user_by_email(db, "psychologist@demo.ortalyq.kz").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Series Member").await;
    // Three Mondays at 10:00 from 7 December.
    let n = mentors::publish_slots(db, &psychologist, "2026-12-07", "10:00", 60, 3, now())
        .await
        .unwrap();
    assert_eq!(n, 3);
    // The same again overlaps every one of them.
    let again = mentors::publish_slots(db, &psychologist, "2026-12-07", "10:30", 60, 3, now())
        .await
        .unwrap();
    assert_eq!(again, 0);
    // The past and bad input are refused with the field named.
    assert_eq!(
        mentors::publish_slots(db, &psychologist, "2026-11-30", "10:00", 60, 1, now()).await,
        Err(AppError::SlotInPast)
    );
    assert!(matches!(
        mentors::publish_slots(db, &psychologist, "2026-12-07", "25:00", 60, 1, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "time"
    ));
    assert!(matches!(
        mentors::publish_slots(db, &psychologist, "2026-12-07", "12:00", 600, 1, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "minutes"
    ));
    // Members cannot publish.
    assert_eq!(
        mentors::publish_slots(db, &member, "2026-12-07", "12:00", 60, 1, now()).await,
        Err(AppError::Forbidden)
    );
    let schedule = mentors::mentor_schedule(db, &psychologist, now(), EN)
        .await
        .unwrap()
        .unwrap();
    let monday = schedule
        .slots
        .iter()
        .find(|s| s.when.starts_with("Mon 07.12, 10:00–11:00"))
        .unwrap()
        .id;
    mentors::book(db, &member, monday, None, now())
        .await
        .unwrap();
    // Someone else cannot cancel it; the member can, and it is free again.
    let stranger = make_user(db, Role::Visitor, Some(regional), "Stranger").await;
    assert_eq!(
        mentors::cancel_booking(db, &stranger, monday, now()).await,
        Err(AppError::NotFound)
    );
    mentors::cancel_booking(db, &member, monday, now())
        .await
        .unwrap();
    let offered = |list: &[app::mentors::dto::MentorDto]| {
        list.iter()
            .flat_map(|m| m.free_slots.iter())
            .any(|s| s.id == monday)
    };
    let list = mentors::list_mentors(db, None, None, Some(Locale::Kk), now(), EN)
        .await
        .unwrap();
    assert!(offered(&list));
    // Filtering by a language the psychologist does not speak hides her.
    let en_only = mentors::list_mentors(db, None, None, Some(Locale::En), now(), EN)
        .await
        .unwrap();
    assert!(en_only.iter().all(|m| m.field != Field::Psychology));
    // The mentor withdraws it: no longer offered.
    mentors::withdraw_slot(db, &psychologist, monday, now())
        .await
        .unwrap();
    let list = mentors::list_mentors(db, None, None, None, now(), EN)
        .await
        .unwrap();
    assert!(!offered(&list));
    assert_eq!(
        mentors::book(db, &member, monday, None, now())
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    t.close().await;
}

async fn lending_cycle_reserve_check_out_overdue_return(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Borrower Bolat").await;
    let rival = make_user(db, Role::Visitor, Some(regional), "Rival Member").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;
    let camera = item(db, "EQ-0001").await;

    // Reserve the camera; nobody else can while the reservation holds.
    let res = lending::reserve(db, &member, camera.id, None, now(), EN)
        .await
        .unwrap();
    assert_eq!(res.status, LoanStatus::Reserved);
    assert_eq!(state_of(db, &member, "EQ-0001").await, ItemState::Reserved);
    assert_eq!(
        lending::reserve(db, &rival, camera.id, None, now(), EN)
            .await
            .map(|_| ()),
        Err(AppError::ItemUnavailable)
    );
    // A pickup day more than a week ahead is refused.
    let far = (now() + Duration::days(9))
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive();
    assert!(matches!(
        lending::reserve(db, &rival, item(db, "EQ-0005").await.id, Some(far), now(), EN).await,
        Err(AppError::Invalid { field, .. }) if field == "pickup_on"
    ));

    // The desk scans the member's card and the camera's label.
    let card = members::membership_card(db, &ring, &member, now(), EN)
        .await
        .unwrap();
    let found = desk::desk_member(db, &ring, &desk, &card.code, now(), EN)
        .await
        .unwrap();
    assert_eq!(found.person_id, member.person_id);
    assert_eq!(found.loans.len(), 1);
    assert!(found.overdue.is_empty());
    // A bad code and a member or far desk are refused.
    assert_eq!(
        desk::desk_member(db, &ring, &desk, "ORQ1-NOT-A-PASS", now(), EN).await,
        Err(AppError::InvalidPass)
    );
    assert_eq!(
        desk::desk_member(db, &ring, &member, &card.code, now(), EN).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        desk::check_out(db, &ring, &far_desk, &card.code, "EQ-0001", now(), EN).await,
        Err(AppError::NotFound)
    );
    // The card itself works at any center's desk; a typed member number
    // only at the member's home center.
    assert!(
        desk::desk_member(db, &ring, &far_desk, &card.code, now(), EN)
            .await
            .is_ok()
    );
    let number = app::domain::membership::member_number(member.person_id);
    assert_eq!(
        desk::desk_member(db, &ring, &far_desk, &number, now(), EN).await,
        Err(AppError::NotFound)
    );
    // The rival cannot take the reserved camera at the desk either.
    assert_eq!(
        desk::check_out(
            db,
            &ring,
            &desk,
            &app::domain::membership::member_number(rival.person_id),
            "eq-0001",
            now(),
            EN
        )
        .await,
        Err(AppError::ItemUnavailable)
    );
    let out = desk::check_out(db, &ring, &desk, &card.code, "eq-0001", now(), EN)
        .await
        .unwrap();
    assert_eq!(out.id, res.id);
    assert_eq!(out.status, LoanStatus::Out);
    // Two loan days: due Thursday 3 December at 19:00 local.
    assert_eq!(out.due.as_deref(), Some("Thu 03.12, 19:00"));
    assert!(!out.overdue);
    assert_eq!(state_of(db, &member, "EQ-0001").await, ItemState::Out);
    // A walk-up loan by serial number: the tripod.
    let tripod = desk::check_out(db, &ring, &desk, &card.code, "MF-190X-22017", now(), EN)
        .await
        .unwrap();
    assert_eq!(tripod.label_code, "EQ-0005");

    // Three days later the camera is overdue: on the desk's list, and the
    // member can neither reserve nor take out more.
    let later = local(4, 12, 0);
    let overdue = desk::overdue_list(db, &desk, later, EN).await.unwrap();
    assert!(overdue
        .iter()
        .any(|o| o.label_code == "EQ-0001" && o.days_late == 1));
    // The far desk does not see the regional center's overdue list.
    assert!(desk::overdue_list(db, &far_desk, later, EN)
        .await
        .unwrap()
        .is_empty());
    let light = item(db, "EQ-0002").await;
    match lending::reserve(db, &member, light.id, None, later, EN).await {
        Err(AppError::OverdueItems { items }) => {
            assert!(items.contains("EQ-0001"), "{items}");
            assert!(!items.contains("EQ-0005"), "{items}");
        }
        other => panic!("expected overdue refusal, got {other:?}"),
    }
    assert!(matches!(
        desk::check_out(db, &ring, &desk, &card.code, "EQ-0002", later, EN).await,
        Err(AppError::OverdueItems { .. })
    ));
    let blocked = desk::desk_member(db, &ring, &desk, &card.code, later, EN)
        .await
        .unwrap();
    assert_eq!(
        blocked.overdue,
        vec!["Sony Alpha a6400 (EQ-0001)".to_string()]
    );
    assert!(AppError::OverdueItems {
        items: "Sony Alpha a6400 (EQ-0001)".into()
    }
    .message(Locale::Ru)
    .contains("EQ-0001"));

    // Returned damaged: a note is required, then the camera leaves service.
    assert!(matches!(
        desk::return_item(db, &desk, "EQ-0001", "damaged", None, later, EN).await,
        Err(AppError::Invalid { field, .. }) if field == "note"
    ));
    let back = desk::return_item(
        db,
        &desk,
        "EQ-0001",
        "damaged",
        Some("Cracked lens hood".into()),
        later,
        EN,
    )
    .await
    .unwrap();
    assert_eq!(back.status, LoanStatus::Returned);
    let cam = item(db, "EQ-0001").await;
    assert_eq!(cam.condition, Condition::Damaged);
    assert_eq!(cam.notes.as_deref(), Some("Cracked lens hood"));
    assert_eq!(
        state_of(db, &member, "EQ-0001").await,
        ItemState::Unavailable
    );
    // Nothing is out for it any more.
    assert_eq!(
        desk::return_item(db, &desk, "EQ-0001", "good", None, later, EN).await,
        Err(AppError::NotFound)
    );
    // No longer overdue: the member may borrow again, but not the damaged camera.
    lending::reserve(db, &member, light.id, None, later, EN)
        .await
        .unwrap();
    assert_eq!(
        lending::reserve(db, &rival, cam.id, None, later, EN)
            .await
            .map(|_| ()),
        Err(AppError::ItemUnavailable)
    );
    // Repaired: staff record it, and it is lent again.
    assert_eq!(
        desk::set_condition(db, &far_desk, cam.id, "good", None).await,
        Err(AppError::NotFound)
    );
    desk::set_condition(db, &desk, cam.id, "good", Some("New lens hood".into()))
        .await
        .unwrap();
    assert_eq!(state_of(db, &member, "EQ-0001").await, ItemState::Available);
    // Not while an item is out (the tripod is).
    let tripod_id = item(db, "EQ-0005").await.id;
    assert_eq!(
        desk::set_condition(db, &desk, tripod_id, "damaged", Some("x".into())).await,
        Err(AppError::ItemUnavailable)
    );
    // The tripod comes back in good shape and is available again.
    desk::return_item(db, &desk, "EQ-0005", "good", None, later, EN)
        .await
        .unwrap();
    assert_eq!(state_of(db, &member, "EQ-0005").await, ItemState::Available);
    t.close().await;
}

async fn seeded_overdue_member_is_blocked_until_return(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let late = user_by_email(db, "ernar@demo.ortalyq.kz").await;
    let desk = user_by_email(db, "desk@demo.ortalyq.kz").await;
    let director = user_by_email(db, "director@demo.ortalyq.kz").await;
    let camera = item(db, "EQ-0001").await;
    // The demo's overdue Canon is on the desk's and the director's lists.
    for staff in [&desk, &director] {
        let list = desk::overdue_list(db, staff, now(), EN).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].label_code, "EQ-0006");
        assert_eq!(list[0].member, "Ернар Б.");
    }
    assert!(matches!(
        lending::reserve(db, &late, camera.id, None, now(), EN).await,
        Err(AppError::OverdueItems { items }) if items.contains("EQ-0006")
    ));
    let number = app::domain::membership::member_number(late.person_id);
    assert!(matches!(
        desk::check_out(db, &ring, &desk, &number, "EQ-0001", now(), EN).await,
        Err(AppError::OverdueItems { .. })
    ));
    // Members see their own loan flagged overdue.
    let mine = lending::my_loans(db, &late, now(), EN).await.unwrap();
    assert!(mine.iter().any(|l| l.label_code == "EQ-0006" && l.overdue));
    desk::return_item(
        db,
        &desk,
        "EQ-0006",
        "worn",
        Some("Scratched screen".into()),
        now(),
        EN,
    )
    .await
    .unwrap();
    assert!(desk::overdue_list(db, &desk, now(), EN)
        .await
        .unwrap()
        .is_empty());
    desk::check_out(db, &ring, &desk, &number, "EQ-0001", now(), EN)
        .await
        .unwrap();
    t.close().await;
}

async fn sound_kit_needs_the_studio_induction(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Sound Member").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let kit = item(db, "EQ-0004").await;
    let sound = space_of(db, regional, "sound_studio").await;
    match lending::reserve(db, &member, kit.id, None, now(), EN).await {
        Err(AppError::ItemInductionRequired { space }) => {
            assert!(
                space.contains("studio") || space.contains("Studio"),
                "{space}"
            )
        }
        other => panic!("expected induction refusal, got {other:?}"),
    }
    app::centers::manage::set_induction(db, &desk, member.person_id, sound.id, true, now())
        .await
        .unwrap();
    lending::reserve(db, &member, kit.id, None, now(), EN)
        .await
        .unwrap();
    t.close().await;
}

async fn reservations_cancel_and_lapse(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Cancel Member").await;
    let other = make_user(db, Role::Visitor, Some(regional), "Other Member").await;
    let mic = item(db, "EQ-0003").await;
    let r = lending::reserve(db, &member, mic.id, None, now(), EN)
        .await
        .unwrap();
    assert_eq!(
        lending::cancel_reservation(db, &other, r.id, now()).await,
        Err(AppError::NotFound)
    );
    lending::cancel_reservation(db, &member, r.id, now())
        .await
        .unwrap();
    assert_eq!(state_of(db, &member, "EQ-0003").await, ItemState::Available);
    // A reservation not picked up by the end of its day lets the item go.
    let r = lending::reserve(db, &member, mic.id, None, now(), EN)
        .await
        .unwrap();
    let next_day = now() + Duration::days(1);
    lending::reserve(db, &other, mic.id, None, next_day, EN)
        .await
        .unwrap();
    assert!(lending::my_loans(db, &member, next_day, EN)
        .await
        .unwrap()
        .iter()
        .all(|l| l.id != r.id));
    // Withdrawn items are not found.
    let mut a: equipment_item::ActiveModel = mic.into();
    a.active = Set(false);
    let mic = a.update(db).await.unwrap();
    assert_eq!(
        lending::reserve(db, &other, mic.id, None, next_day, EN)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    t.close().await;
}

async fn a_new_mentor_fills_in_a_profile_then_publishes(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let temirtau = center_id(db, "temirtau").await;
    let mentor = make_user(db, Role::Mentor, Some(temirtau), "Aliya Artist").await;
    let member = make_user(db, Role::Visitor, Some(temirtau), "Member").await;
    // No profile yet: the page asks for one, publishing is not possible.
    assert_eq!(
        mentors::mentor_schedule(db, &mentor, now(), EN).await,
        Ok(None)
    );
    assert_eq!(
        mentors::publish_slots(db, &mentor, "2026-12-08", "17:00", 60, 1, now()).await,
        Err(AppError::NotFound)
    );
    let bios = || {
        [
            "".to_string(),
            "Художник-иллюстратор".to_string(),
            "".to_string(),
        ]
    };
    // A language and a bio are required; members cannot have a profile.
    assert!(matches!(
        mentors::save_profile(db, &mentor, "art", &[], bios(), now()).await,
        Err(AppError::Invalid { field, .. }) if field == "languages"
    ));
    assert!(matches!(
        mentors::save_profile(db, &mentor, "art", &[Locale::Ru], Default::default(), now()).await,
        Err(AppError::Invalid { field, .. }) if field == "bio_kk"
    ));
    assert_eq!(
        mentors::save_profile(db, &member, "art", &[Locale::Ru], bios(), now()).await,
        Err(AppError::Forbidden)
    );
    mentors::save_profile(db, &mentor, "art", &[Locale::Ru, Locale::Kk], bios(), now())
        .await
        .unwrap();
    let page = mentors::mentor_schedule(db, &mentor, now(), EN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.field, Field::Art);
    assert_eq!(page.profile.languages, vec![Locale::Ru, Locale::Kk]);
    assert_eq!(
        mentors::publish_slots(db, &mentor, "2026-12-08", "17:00", 60, 1, now()).await,
        Ok(1)
    );
    // Members of Temirtau find her among art mentors speaking Russian; the
    // English bio falls back to the Russian one.
    let found = mentors::list_mentors(
        db,
        Some(temirtau),
        Some(Field::Art),
        Some(Locale::Ru),
        now(),
        EN,
    )
    .await
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Aliya Artist");
    assert_eq!(found[0].bio, "Художник-иллюстратор");
    assert_eq!(found[0].free_slots.len(), 1);
    t.close().await;
}

async fn directors_add_items_with_a_label_code(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let far_director = make_user(db, Role::Director, Some(temirtau), "Far director").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Member").await;
    let sound = space_of(db, regional, "sound_studio").await;
    let add = |u: CurrentUser, serial: &'static str, space: Option<i32>| {
        let db = db.clone();
        async move {
            desk::add_item(
                &db,
                &u,
                regional,
                "microphone",
                "Rode NT-USB",
                serial,
                2,
                space,
                now(),
            )
            .await
        }
    };
    let label = add(director.clone(), "NTUSB-0001", Some(sound.id))
        .await
        .unwrap();
    assert!(label.starts_with("EQ-"), "{label}");
    let new = item(db, &label).await;
    assert_eq!(new.induction_space_id, Some(sound.id));
    assert_eq!(state_of(db, &member, &label).await, ItemState::Available);
    assert!(matches!(
        add(director.clone(), "NTUSB-0001", None).await,
        Err(AppError::Invalid { field, problem: app::error::Problem::Taken }) if field == "serial"
    ));
    assert_eq!(
        add(desk.clone(), "NTUSB-0002", None).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        add(far_director.clone(), "NTUSB-0003", None).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        add(member.clone(), "NTUSB-0004", None).await,
        Err(AppError::Forbidden)
    );
    t.close().await;
}

on_both_databases!(
    directors_add_items_with_a_label_code,
    a_new_mentor_fills_in_a_profile_then_publishes,
    psychology_is_private_for_every_role,
    two_members_racing_for_one_slot_one_wins,
    mentors_publish_series_and_members_cancel,
    lending_cycle_reserve_check_out_overdue_return,
    seeded_overdue_member_is_blocked_until_return,
    sound_kit_needs_the_studio_induction,
    reservations_cancel_and_lapse,
);
