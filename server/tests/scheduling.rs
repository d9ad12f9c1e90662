//! The scheduling engine's rules, flows and atomicity against real
//! databases (SQLite and PostgreSQL): space rules directors edit, approval,
//! inductions, weekly series and moving a booking.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::booking::dto::BookingStatus;
use app::booking::service::{self as booking, BookingRequest};
use app::booking::{changes, listing};
use app::centers::dto::{CenterSettingsForm, SpaceRulesForm};
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{booking as booking_row, center, pass, space};
use app::passes::scan as passes;
use chrono::NaiveDate;
use common::fixtures::booking_request as req;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

async fn request(
    db: &DatabaseConnection,
    user: &CurrentUser,
    r: BookingRequest,
) -> Result<booking_row::Model, AppError> {
    booking::book_request(db, &keys(), user, None, r, now())
        .await
        .map(|o| o.bookings[0].clone())
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

/// Buffer, notice, durations and party size of the design studio (30-minute
/// grid, 60–180 minutes, 30 minutes kept free after each booking, an hour's
/// notice).
async fn studio_rules_buffer_notice_and_length(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let design = space_of(db, regional, "design_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aidana A").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Bauyrzhan B").await;

    // 10:50 now: 11:30 is inside the hour of notice.
    assert_eq!(
        request(db, &a, req(design.id, local(1, 11, 30))).await,
        Err(AppError::TooSoon { notice_minutes: 60 })
    );
    let first = request(
        db,
        &a,
        BookingRequest {
            minutes: Some(90),
            party: 3,
            purpose: Some("Poster for the dombra concert".into()),
            ..req(design.id, local(2, 11, 0))
        },
    )
    .await
    .unwrap();
    assert_eq!(first.ends_at, local(2, 12, 30));
    assert_eq!(
        first.purpose.as_deref(),
        Some("Poster for the dombra concert")
    );
    // The reset keeps 12:30–13:00 free; 13:00 is the next start.
    assert_eq!(
        request(db, &b, req(design.id, local(2, 12, 30))).await,
        Err(AppError::SlotFull)
    );
    // A booking before it must leave its own reset: 10:00–11:00 + 30 min
    // runs into 11:00.
    assert_eq!(
        request(db, &b, req(design.id, local(2, 10, 0))).await,
        Err(AppError::SlotFull)
    );
    assert!(request(db, &b, req(design.id, local(2, 9, 30)))
        .await
        .is_ok());
    assert!(request(db, &b, req(design.id, local(2, 13, 0)))
        .await
        .is_ok());
    // Lengths: 45 minutes is below the minimum, 210 above the maximum.
    let bad = AppError::BadDuration {
        min: 60,
        max: 180,
        step: 30,
    };
    for minutes in [45, 210] {
        assert_eq!(
            request(
                db,
                &a,
                BookingRequest {
                    minutes: Some(minutes),
                    ..req(design.id, local(3, 11, 0))
                }
            )
            .await,
            Err(bad.clone())
        );
    }
    assert!(bad.message(Locale::Ru).contains("от 60 до 180 мин"));
    // A room takes one booking whatever the party, up to its limit.
    assert_eq!(
        request(
            db,
            &a,
            BookingRequest {
                party: 4,
                ..req(design.id, local(3, 11, 0))
            }
        )
        .await,
        Err(AppError::BadPartySize { max: 3 })
    );
    // The availability grid shows how long a booking can run from each start.
    let av = booking::availability(db, design.id, 0, now(), Locale::En)
        .await
        .unwrap();
    let wed = av.days.iter().find(|d| d.iso_date == "2026-12-02").unwrap();
    let max_at = |label: &str| {
        wed.slots
            .iter()
            .find(|s| s.label.starts_with(label))
            .map(|s| s.max_minutes)
            .unwrap()
    };
    assert_eq!(max_at("09:00"), 0, "09:30 is taken, 30 min is too short");
    assert_eq!(max_at("14:30"), 180);
    assert_eq!(max_at("12:30"), 0);
    t.close().await;
}

/// Directors edit rules (validated, own center only); the minimum age and
/// induction rules refuse with their own reasons; staff record inductions.
async fn directors_edit_rules_and_person_rules_apply(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let sound = space_of(db, regional, "sound_studio").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Sanzhar S").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let far = make_user(db, Role::Director, Some(temirtau), "Far director").await;

    // Induction first.
    assert_eq!(
        request(db, &member, req(sound.id, local(2, 11, 0))).await,
        Err(AppError::InductionRequired)
    );
    app::centers::manage::set_induction(db, &desk, member.person_id, sound.id, true, now())
        .await
        .unwrap();
    assert!(request(db, &member, req(sound.id, local(2, 11, 0)))
        .await
        .is_ok());

    // Rules: the form as loaded, then changed.
    let mut form = app::centers::manage::space_rules(db, &director, hall.id, Locale::En)
        .await
        .unwrap()
        .form;
    assert_eq!(
        (form.min_age, form.requires_approval, form.max_party),
        (18, true, 60)
    );
    assert_eq!(
        app::centers::manage::space_rules(db, &far, hall.id, Locale::En)
            .await
            .map(|r| r.form),
        Err(AppError::NotFound)
    );
    assert_eq!(
        app::centers::manage::space_rules(db, &desk, hall.id, Locale::En)
            .await
            .map(|r| r.form),
        Err(AppError::Forbidden)
    );
    let invalid = SpaceRulesForm {
        min_minutes: 120,
        max_minutes: 60,
        ..form.clone()
    };
    assert_eq!(
        app::centers::manage::update_space_rules(db, &director, hall.id, invalid, now()).await,
        Err(AppError::Invalid {
            field: "max_minutes".into(),
            problem: Problem::SlotMultiple
        })
    );
    let odd = SpaceRulesForm {
        min_age: 12,
        ..form.clone()
    };
    assert!(matches!(
        app::centers::manage::update_space_rules(db, &director, hall.id, odd, now()).await,
        Err(AppError::Invalid { field, .. }) if field == "min_age"
    ));
    // Nothing was half-written by the refused saves.
    let reloaded = space::Entity::find_by_id(hall.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((reloaded.min_age, reloaded.max_minutes), (18, 240));
    form.min_age = 25;
    form.min_notice_minutes = 0;
    app::centers::manage::update_space_rules(db, &director, hall.id, form.clone(), now())
        .await
        .unwrap();
    // The member is 21: refused by the new minimum age.
    assert_eq!(
        request(
            db,
            &member,
            BookingRequest {
                purpose: Some("Film screening".into()),
                ..req(hall.id, local(1, 12, 0))
            }
        )
        .await,
        Err(AppError::BelowMinAge { min_age: 25 })
    );
    form.min_age = 0;
    app::centers::manage::update_space_rules(db, &director, hall.id, form, now())
        .await
        .unwrap();
    // Notice 0 now: a request for 12:00 today is accepted (pending).
    let b = request(
        db,
        &member,
        BookingRequest {
            purpose: Some("Film screening".into()),
            ..req(hall.id, local(1, 12, 0))
        },
    )
    .await
    .unwrap();
    assert_eq!(b.status.as_str(), "pending");
    t.close().await;
}

/// The lecture hall needs approval: requests hold their time, the desk
/// approves or denies with a reason the member sees.
async fn approval_queue_approves_and_denies(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let hall = space_of(db, regional, "lecture_hall").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aruzhan S").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Bekzat N").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;
    let at = local(4, 15, 0);

    assert_eq!(
        request(db, &a, req(hall.id, at)).await,
        Err(AppError::Invalid {
            field: "purpose".into(),
            problem: Problem::Required
        })
    );
    let talk = BookingRequest {
        minutes: Some(120),
        party: 40,
        purpose: Some("Open debate on youth policy".into()),
        ..req(hall.id, at)
    };
    let first = request(db, &a, talk.clone()).await.unwrap();
    assert_eq!(first.status.as_str(), "pending");
    // No pass until approved.
    assert_eq!(
        pass::Entity::find()
            .filter(pass::Column::BookingId.eq(first.id))
            .count(db)
            .await
            .unwrap(),
        0
    );
    // The request holds its time.
    assert_eq!(request(db, &b, talk.clone()).await, Err(AppError::SlotFull));
    let mine = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine[0].status, BookingStatus::Pending);
    assert!(mine[0].pass_code.is_none());

    // The queue: this center's desk sees it, another center's does not.
    let queue = listing::pending_requests(db, &desk, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].member, "Aruzhan S.");
    assert_eq!(queue[0].purpose, "Open debate on youth policy");
    assert!(listing::pending_requests(db, &far, now(), Locale::En)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        changes::decide(db, &keys(), &far, first.id, true, "", now())
            .await
            .map(|b| b.status),
        Err(AppError::NotFound)
    );
    // Denial needs a reason; the member sees it and the time is free.
    assert!(matches!(
        changes::decide(db, &keys(), &desk, first.id, false, "  ", now()).await,
        Err(AppError::Invalid { field, .. }) if field == "reason"
    ));
    changes::decide(
        db,
        &keys(),
        &desk,
        first.id,
        false,
        "The hall hosts the akimat meeting that day",
        now(),
    )
    .await
    .unwrap();
    let mine = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine[0].status, BookingStatus::Denied);
    assert_eq!(
        mine[0].decision_reason.as_deref(),
        Some("The hall hosts the akimat meeting that day")
    );
    assert!(mine[0].cancel_until.is_none());
    let second = request(db, &b, talk).await.unwrap();
    changes::decide(db, &keys(), &desk, second.id, true, "", now())
        .await
        .unwrap();
    assert_eq!(
        changes::decide(db, &keys(), &desk, second.id, false, "late", now())
            .await
            .map(|b| b.status),
        Err(AppError::AlreadyDecided)
    );
    let theirs = listing::my_bookings(db, b.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(theirs[0].status, BookingStatus::Confirmed);
    assert!(theirs[0].pass_code.is_some());
    // Staff book the hall directly, without approval.
    let staff_booking = request(db, &desk, req(hall.id, local(5, 10, 0)))
        .await
        .unwrap();
    assert_eq!(staff_booking.status.as_str(), "confirmed");
    t.close().await;
}

/// A weekly series books what it can and names each skipped date's reason:
/// taken, past the advance window, a public holiday, a quota.
async fn weekly_series_reports_skipped_dates(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let photo = space_of(db, regional, "photo_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Series Member").await;
    let other = make_user(db, Role::Visitor, Some(regional), "Other Member").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    // Tuesday 8 December at 15:00 is taken already.
    request(db, &other, req(photo.id, local(8, 15, 0)))
        .await
        .unwrap();

    let series = BookingRequest {
        weeks: 4,
        token: Some("series-token-1".into()),
        ..req(photo.id, local(1, 15, 0))
    };
    let out = booking::book_request(db, &keys(), &a, None, series.clone(), now())
        .await
        .unwrap();
    let starts: Vec<_> = out.bookings.iter().map(|b| b.starts_at).collect();
    assert_eq!(starts, vec![local(1, 15, 0), local(15, 15, 0)]);
    assert_eq!(
        out.skipped,
        vec![
            (day(8), AppError::SlotFull),
            // 21 days ahead at most: 22 December is past the window.
            (day(22), AppError::TooFarAhead { days: 21 }),
        ]
    );
    assert!(out
        .bookings
        .iter()
        .all(|b| b.series_key.is_some() && b.series_key == out.bookings[0].series_key));
    // The same form sent again: the same series, nothing new.
    let again = booking::book_request(db, &keys(), &a, None, series, now())
        .await
        .unwrap();
    assert_eq!(
        again.bookings.iter().map(|b| b.id).collect::<Vec<_>>(),
        out.bookings.iter().map(|b| b.id).collect::<Vec<_>>()
    );

    // A member's quota (3 upcoming bookings) ends a longer series early.
    let b = make_user(db, Role::Visitor, Some(regional), "Quota Member").await;
    let out = booking::book_request(
        db,
        &keys(),
        &b,
        None,
        BookingRequest {
            weeks: 3,
            ..req(photo.id, local(3, 12, 0))
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(out.bookings.len(), 3);
    let ring = keys();
    let out = booking::book_request(
        db,
        &ring,
        &b,
        None,
        BookingRequest {
            weeks: 2,
            ..req(photo.id, local(4, 12, 0))
        },
        now(),
    );
    assert!(matches!(
        out.await,
        Err(AppError::QuotaExceeded {
            studio_hours: None,
            limit: 3,
            ..
        })
    ));

    // Staff (no quota) across Independence Day: Wednesday 16 December is
    // closed and skipped.
    let out = booking::book_request(
        db,
        &keys(),
        &desk,
        None,
        BookingRequest {
            weeks: 3,
            ..req(photo.id, local(2, 16, 0))
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(out.bookings.len(), 2);
    assert_eq!(out.skipped, vec![(day(16), AppError::SlotNotOffered)]);
    // Out-of-range series lengths are refused whole.
    assert!(matches!(
        booking::book_request(
            db,
            &keys(),
            &desk,
            None,
            BookingRequest {
                weeks: 13,
                ..req(photo.id, local(2, 17, 0))
            },
            now()
        )
        .await,
        Err(AppError::Invalid { field, .. }) if field == "weeks"
    ));
    t.close().await;
}

/// Moving a booking is one atomic change: refused moves leave it as it was;
/// a move frees the old time, revokes the old pass and issues a new one.
async fn reschedule_is_atomic_and_reissues_the_pass(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let podcast = space_of(db, regional, "podcast_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Mover M").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Blocker B").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let mine = request(db, &a, req(podcast.id, local(2, 11, 0)))
        .await
        .unwrap();
    request(db, &a, req(podcast.id, local(3, 11, 0)))
        .await
        .unwrap();
    request(db, &a, req(podcast.id, local(4, 11, 0)))
        .await
        .unwrap();
    request(db, &b, req(podcast.id, local(2, 13, 0)))
        .await
        .unwrap();
    let old_code = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();

    // Onto someone else's time: refused, nothing changed.
    assert_eq!(
        changes::reschedule(db, &keys(), &a, mine.id, local(2, 13, 0), None, now())
            .await
            .map(|b| b.id),
        Err(AppError::SlotFull)
    );
    let same = booking_row::Entity::find_by_id(mine.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (same.starts_at, same.ends_at),
        (local(2, 11, 0), local(2, 12, 0))
    );
    // Someone else cannot move it (and does not learn it exists).
    assert_eq!(
        changes::reschedule(db, &keys(), &b, mine.id, local(2, 15, 0), None, now())
            .await
            .map(|b| b.id),
        Err(AppError::NotFound)
    );
    // A two-hour move to 15:00: the member holds 3 bookings (the quota) and
    // moving one does not count twice.
    let moved = changes::reschedule(db, &keys(), &a, mine.id, local(2, 15, 0), Some(120), now())
        .await
        .unwrap();
    assert_eq!(
        (moved.starts_at, moved.ends_at),
        (local(2, 15, 0), local(2, 17, 0))
    );
    // The old pass is refused at the door; the new one is another code.
    let scan = passes::scan(db, &keys(), &desk, &old_code, local(2, 10, 50), Locale::En)
        .await
        .unwrap();
    assert_eq!(scan.code, "revoked");
    let new_code = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == mine.id)
        .unwrap()
        .pass_code
        .unwrap();
    assert_ne!(new_code, old_code);
    // 11:00 is free again.
    assert!(request(db, &b, req(podcast.id, local(2, 11, 0)))
        .await
        .is_ok());

    // Too close to the start for the member (the 60-minute notice); the
    // desk may still move it.
    let soon = request(db, &b, req(podcast.id, local(1, 11, 0)))
        .await
        .unwrap();
    assert_eq!(
        changes::reschedule(db, &keys(), &b, soon.id, local(1, 14, 0), None, now())
            .await
            .map(|b| b.id),
        Err(AppError::TooLateToCancel { notice_minutes: 60 })
    );
    assert!(
        changes::reschedule(db, &keys(), &desk, soon.id, local(1, 14, 0), None, now())
            .await
            .is_ok()
    );
    // A cancelled booking cannot be moved.
    changes::cancel(db, &b, soon.id, now()).await.unwrap_or(());
    changes::cancel(db, &desk, soon.id, now()).await.unwrap();
    assert_eq!(
        changes::reschedule(db, &keys(), &desk, soon.id, local(1, 16, 0), None, now())
            .await
            .map(|b| b.id),
        Err(AppError::BookingClosed)
    );
    t.close().await;
}

/// One member fires ten bookings at once, each for a different space or
/// time: the quota of three upcoming bookings still holds.
async fn quota_holds_when_one_member_races_across_spaces(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Eager E").await;
    let mut spaces = Vec::new();
    for kind in ["coworking", "podcast_studio", "photo_studio"] {
        spaces.push(space_of(db, regional, kind).await.id);
    }
    let handles: Vec<_> = (0..10)
        .map(|i| {
            let db = db.clone();
            let member = member.clone();
            let space = spaces[i % spaces.len()];
            let start = local(2 + (i / 3) as u32, 11, 0);
            tokio::spawn(async move { request(&db, &member, req(space, start)).await })
        })
        .collect();
    let (mut ok, mut quota) = (0, 0);
    for h in handles {
        match h.await.unwrap() {
            Ok(_) => ok += 1,
            Err(AppError::QuotaExceeded { .. }) => quota += 1,
            Err(e) => panic!("unexpected refusal under race: {e:?}"),
        }
    }
    assert_eq!((ok, quota), (3, 7));
    assert_eq!(
        booking_row::Entity::find()
            .filter(booking_row::Column::PersonId.eq(member.person_id))
            .count(db)
            .await
            .unwrap(),
        3
    );
    t.close().await;
}

/// A director sets the week's hours (one evening open past midnight) and
/// the quotas; bookings follow them, a bad form changes nothing.
async fn directors_set_opening_hours_and_quotas(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let far = make_user(db, Role::Director, Some(temirtau), "Far").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Night Owl").await;
    let podcast = space_of(db, regional, "podcast_studio").await;
    let saturday = |av: &app::booking::dto::AvailabilityDto| {
        av.days
            .iter()
            .find(|d| d.iso_date == "2026-12-05")
            .unwrap()
            .closed
    };
    // Shown before the edit: the center's schedule is now kept in memory.
    let before = booking::availability(db, podcast.id, 0, now(), Locale::En)
        .await
        .unwrap();
    assert!(!saturday(&before));

    let mut form = app::centers::manage::center_settings(db, &director, regional, Locale::En)
        .await
        .unwrap()
        .form;
    assert_eq!(
        (form.mon_opens.as_str(), form.mon_closes.as_str()),
        ("09:00", "21:00")
    );
    assert_eq!((form.max_future_bookings, form.max_studio_hours), (3, 4));
    assert_eq!(
        app::centers::manage::center_settings(db, &far, regional, Locale::En)
            .await
            .map(|d| d.form),
        Err(AppError::NotFound)
    );
    // Friday 4 December: open 18:00 until 02:00; Saturday closed.
    form.fri_opens = "18:00".into();
    form.fri_closes = "02:00".into();
    form.sat_opens = String::new();
    form.sat_closes = String::new();
    form.max_future_bookings = 5;
    let broken = CenterSettingsForm {
        tue_closes: "25:00".into(),
        ..form.clone()
    };
    assert!(matches!(
        app::centers::manage::save_center_settings(db, &director, regional, broken, now()).await,
        Err(AppError::Invalid { field, problem: Problem::Time }) if field == "tue_closes"
    ));
    assert_eq!(
        app::centers::manage::center_settings(db, &director, regional, Locale::En)
            .await
            .unwrap()
            .form
            .fri_opens,
        "09:00",
        "a refused form changes nothing"
    );
    app::centers::manage::save_center_settings(db, &director, regional, form, now())
        .await
        .unwrap();
    // Friday 23:00–01:00 crosses midnight and is bookable.
    let late = request(
        db,
        &member,
        BookingRequest {
            minutes: Some(120),
            ..req(podcast.id, local(4, 23, 0))
        },
    )
    .await
    .unwrap();
    assert_eq!(late.ends_at, local(5, 1, 0));
    // Friday morning and Saturday are closed now.
    assert_eq!(
        request(db, &member, req(podcast.id, local(4, 11, 0))).await,
        Err(AppError::SlotNotOffered)
    );
    let av = booking::availability(db, podcast.id, 0, now(), Locale::En)
        .await
        .unwrap();
    assert!(saturday(&av), "the saved hours show at once");
    let fri = av.days.iter().find(|d| d.iso_date == "2026-12-04").unwrap();
    assert_eq!(
        fri.slots.last().map(|s| s.label.as_str()),
        Some("01:00–02:00")
    );
    // Five upcoming bookings now allowed (coworking: no studio hours).
    let pool = space_of(db, regional, "coworking").await;
    for d in [2, 3, 7, 8] {
        request(db, &member, req(pool.id, local(d, 12, 0)))
            .await
            .unwrap();
    }
    assert!(matches!(
        request(db, &member, req(pool.id, local(9, 12, 0))).await,
        Err(AppError::QuotaExceeded { limit: 5, .. })
    ));
    t.close().await;
}

/// A center in another time zone (UTC+4, no daylight saving) shows and
/// books its own wall-clock times; storage stays UTC.
async fn other_zone_center_uses_its_local_time(backend: Backend) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let temirtau = center_id(db, "temirtau").await;
    let mut c = center::Entity::find_by_id(temirtau)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    c.timezone = Set("Asia/Tbilisi".into());
    c.update(db).await.unwrap();
    let photo = space_of(db, temirtau, "photo_studio").await;
    let member = make_user(db, Role::Visitor, Some(temirtau), "Zone Z").await;
    // 10:50 in Karaganda is 09:50 in Tbilisi: the first free start is 10:00.
    let av = booking::availability(db, photo.id, 0, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(av.timezone, "Asia/Tbilisi");
    let first = &av.days[0].slots[0];
    assert_eq!(first.label, "10:00–11:00");
    assert_eq!(first.starts_at, local(1, 11, 0).timestamp());
    // Tuesday's district hours end at 19:00 local, i.e. 20:00 in Karaganda.
    assert_eq!(av.days[0].slots.last().unwrap().label, "18:00–19:00");
    let b = request(db, &member, req(photo.id, local(1, 11, 0)))
        .await
        .unwrap();
    assert_eq!(b.starts_at.to_rfc3339(), "2026-12-01T06:00:00+00:00");
    let mine = listing::my_bookings(db, member.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine[0].when, "Tue 01.12, 10:00–11:00");
    t.close().await;
}

/// Staff close a day and open it again: the availability page and the
/// door's seat line follow each change at once, though the center's
/// schedule is kept in memory between pages.
async fn closures_show_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let podcast = space_of(db, regional, "podcast_studio").await;
    let wednesday = |av: &app::booking::dto::AvailabilityDto| {
        let d = av.days.iter().find(|d| d.iso_date == "2026-12-02").unwrap();
        (d.closed, d.closed_reason.clone())
    };
    let week = || booking::availability(db, podcast.id, 0, now(), Locale::En);
    assert_eq!(wednesday(&week().await.unwrap()), (false, None));

    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    changes::add_closure(db, &desk, regional, day, "Heating repairs", now())
        .await
        .unwrap();
    assert_eq!(
        wednesday(&week().await.unwrap()),
        (true, Some("Heating repairs".into()))
    );
    let listed = app::centers::manage::list_closures(db, Some(vec![regional]), day, Locale::En)
        .await
        .unwrap();
    app::centers::manage::remove_closure(db, &desk, listed[0].id, now())
        .await
        .unwrap();
    assert_eq!(wednesday(&week().await.unwrap()), (false, None));

    // Today (Tuesday) closed: the door no longer offers a coworking seat.
    use app::membership::members::membership_card;
    let card = |who: CurrentUser| async move {
        membership_card(db, &keys(), &who, now(), Locale::En)
            .await
            .unwrap()
            .code
    };
    let seats = |v: app::passes::dto::ScanVerdictDto| v.what.unwrap_or_default();
    let first = make_user(db, Role::Visitor, Some(regional), "Card Holder").await;
    let open = passes::scan(db, &keys(), &desk, &card(first).await, now(), Locale::En)
        .await
        .unwrap();
    assert!(
        seats(open).contains("Coworking"),
        "an open day offers seats"
    );
    changes::add_closure(db, &desk, regional, now().date_naive(), "Inventory", now())
        .await
        .unwrap();
    let second = make_user(db, Role::Visitor, Some(regional), "Second Card").await;
    let closed = passes::scan(db, &keys(), &desk, &card(second).await, now(), Locale::En)
        .await
        .unwrap();
    assert!(
        !seats(closed).contains("Coworking"),
        "a closed day offers none"
    );
    t.close().await;
}

on_both_databases!(
    closures_show_at_once,
    other_zone_center_uses_its_local_time,
    directors_set_opening_hours_and_quotas,
    quota_holds_when_one_member_races_across_spaces,
    studio_rules_buffer_notice_and_length,
    directors_edit_rules_and_person_rules_apply,
    approval_queue_approves_and_denies,
    weekly_series_reports_skipped_dates,
    reschedule_is_atomic_and_reissues_the_pass,
);
