//! The slice's services against real databases: SQLite and PostgreSQL.

#[macro_use]
mod common;

use app::access::session as membership;
use app::booking::service as booking;
use app::booking::{changes, listing};
use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{check_in, pass};
use app::passes::scan as passes;
use app::reporting::service as reporting;
use chrono::{DateTime, Duration, Utc};
use common::callers::person_by_email;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

async fn book(
    db: &DatabaseConnection,
    user: &membership::CurrentUser,
    space_id: i32,
    start: DateTime<Utc>,
    party: i32,
) -> Result<i32, AppError> {
    booking::book(db, &keys(), user, space_id, start, party, now())
        .await
        .map(|b| b.id)
}

async fn booking_respects_capacity_and_rules(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let pool = space_of(db, regional, "coworking").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aibat Zh").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Madina K").await;
    let c = make_user(db, Role::Visitor, Some(regional), "Yerlan S").await;

    // Single-capacity studio: the second booking of the same slot is refused.
    assert!(book(db, &a, studio.id, local(1, 11, 0), 1).await.is_ok());
    assert_eq!(
        book(db, &b, studio.id, local(1, 11, 0), 1).await,
        Err(AppError::SlotFull)
    );
    assert!(book(db, &b, studio.id, local(1, 12, 0), 1).await.is_ok());

    // Rules: past, misaligned, after hours, beyond the window, party size.
    assert_eq!(
        book(db, &c, studio.id, local(1, 10, 0), 1).await,
        Err(AppError::SlotInPast)
    );
    assert_eq!(
        book(db, &c, studio.id, local(1, 13, 30), 1).await,
        Err(AppError::SlotNotOffered)
    );
    assert_eq!(
        book(db, &c, studio.id, local(1, 21, 0), 1).await,
        Err(AppError::SlotNotOffered)
    );
    assert_eq!(
        book(db, &c, studio.id, local(23, 11, 0), 1).await,
        Err(AppError::TooFarAhead { days: 21 })
    );
    assert_eq!(
        book(db, &c, studio.id, local(2, 11, 0), 6).await,
        Err(AppError::BadPartySize { max: 4 })
    );
    assert_eq!(
        book(db, &c, 999_999, local(2, 11, 0), 1).await,
        Err(AppError::NotFound)
    );

    // 20-seat coworking pool: party sizes count against capacity.
    assert!(book(db, &a, pool.id, local(2, 15, 0), 15).await.is_ok());
    assert_eq!(
        book(db, &b, pool.id, local(2, 15, 0), 6).await,
        Err(AppError::SlotFull)
    );
    assert!(book(db, &b, pool.id, local(2, 15, 0), 5).await.is_ok());
    assert_eq!(
        book(db, &c, pool.id, local(2, 15, 0), 1).await,
        Err(AppError::SlotFull)
    );

    // Nothing half-written: 4 bookings, each with exactly one signed pass.
    assert_eq!(
        app::model::booking::Entity::find().count(db).await.unwrap(),
        4
    );
    let passes = pass::Entity::find().all(db).await.unwrap();
    assert_eq!(passes.len(), 4);
    assert!(passes
        .iter()
        .all(|p| p.code.starts_with("OQ") && p.booking_id.is_some()));

    // Availability shows the studio's 11:00 and 12:00 slots as taken.
    let av = booking::availability(db, studio.id, 0, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(av.days.len(), 7);
    let today = &av.days[0];
    let remaining: Vec<(String, i32)> = today
        .slots
        .iter()
        .map(|s| (s.label.clone(), s.remaining))
        .collect();
    assert_eq!(remaining[0], ("11:00–12:00".to_string(), 0));
    assert_eq!(remaining[1], ("12:00–13:00".to_string(), 0));
    assert_eq!(remaining[2], ("13:00–14:00".to_string(), 1));
    // 10:00–11:00 has started: not offered any more.
    assert!(today.slots.iter().all(|s| s.label != "10:00–11:00"));
    t.close().await;
}

/// `n` members ask for the same slot of `kind` at the same moment; returns
/// (accepted, refused as full) and the rows stored. Any other error fails.
async fn race(
    db: &DatabaseConnection,
    kind: &str,
    start: DateTime<Utc>,
    n: usize,
) -> (usize, usize, u64) {
    let regional = center_id(db, "karaganda-regional").await;
    let space = space_of(db, regional, kind).await;
    let mut users = Vec::new();
    for i in 0..n {
        users.push(make_user(db, Role::Visitor, Some(regional), &format!("Racer {i}")).await);
    }
    let handles: Vec<_> = users
        .into_iter()
        .map(|u| {
            let db = db.clone();
            let id = space.id;
            tokio::spawn(async move { booking::book(&db, &keys(), &u, id, start, 1, now()).await })
        })
        .collect();
    let (mut ok, mut full) = (0, 0);
    for h in handles {
        match h.await.unwrap() {
            Ok(_) => ok += 1,
            Err(AppError::SlotFull) => full += 1,
            Err(e) => panic!("unexpected error under race: {e:?}"),
        }
    }
    let rows = app::model::booking::Entity::find()
        .filter(app::model::booking::Column::SpaceId.eq(space.id))
        .count(db)
        .await
        .unwrap();
    (ok, full, rows)
}

/// 200 members try to book the same single-capacity slot at once.
async fn race_for_one_studio_slot_yields_one_booking(backend: Backend) {
    let t = TestDb::new(backend).await;
    assert_eq!(
        race(&t.db, "podcast_studio", local(2, 14, 0), 200).await,
        (1, 199, 1)
    );
    t.close().await;
}

/// 200 members race for a 20-seat pool: exactly 20 get a seat.
async fn race_for_seat_pool_fills_exactly_capacity(backend: Backend) {
    let t = TestDb::new(backend).await;
    assert_eq!(
        race(&t.db, "coworking", local(3, 10, 0), 200).await,
        (20, 180, 20)
    );
    t.close().await;
}

async fn scan_admits_once_and_explains_denials(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space_of(db, regional, "photo_studio").await;
    let visitor = make_user(db, Role::Visitor, Some(regional), "Aruzhan Seitkali").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Dana Yerzhanova").await;
    let other_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Bolat N").await;

    book(db, &visitor, studio.id, local(1, 11, 0), 1)
        .await
        .unwrap();
    book(db, &visitor, studio.id, local(1, 13, 0), 1)
        .await
        .unwrap();
    book(db, &visitor, studio.id, local(2, 11, 0), 1)
        .await
        .unwrap();
    let mine = listing::my_bookings(db, visitor.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    assert!(mine[0].qr_svg.as_deref().unwrap().contains("<svg"));
    assert_eq!(mine[0].when, "Tue 01.12, 11:00–12:00");
    let code_now = mine[0].pass_code.clone().unwrap();
    let code_later = mine[1].pass_code.clone().unwrap();
    let code_tomorrow = mine[2].pass_code.clone().unwrap();

    let scan = |user: membership::CurrentUser, code: String| {
        let db = db.clone();
        let ring = keys();
        async move {
            passes::scan(&db, &ring, &user, &code, now(), Locale::En)
                .await
                .unwrap()
        }
    };

    // Another center's desk is refused before anything else is said.
    let v = scan(other_desk.clone(), code_now.clone()).await;
    assert_eq!((v.admitted, v.code.as_str()), (false, "other_center"));

    // 10:50, the 11:00 booking: the door opened at 10:45.
    let v = scan(desk.clone(), code_now.clone()).await;
    assert!(v.admitted, "{v:?}");
    assert_eq!(v.holder.as_deref(), Some("Aruzhan S."));
    assert_eq!(v.what.as_deref(), Some("Photo studio, 11:00–12:00"));

    // The same pass again: refused, with when and by whom.
    let v = scan(desk.clone(), code_now.clone()).await;
    assert_eq!((v.admitted, v.code.as_str()), (false, "already_checked_in"));
    assert_eq!(v.reason, "Already checked in at 10:50 (by Dana Y.)");

    let v = scan(desk.clone(), code_later).await;
    assert_eq!(v.code, "too_early");
    assert!(v.reason.ends_with("12:45"), "{}", v.reason);
    let v = scan(desk.clone(), code_tomorrow).await;
    assert_eq!(v.code, "not_today");

    // A forged pass: one character changed.
    let mut forged = code_now.clone().into_bytes();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let v = scan(desk.clone(), String::from_utf8(forged).unwrap()).await;
    assert_eq!(v.code, "bad_signature");
    let v = scan(desk.clone(), "hello".into()).await;
    assert_eq!(v.code, "malformed");
    // Signed with a key the server does not trust.
    let foreign =
        app::state::PassKeyRing::single(1, ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]));
    let claims = app::domain::pass::verify(&code_now, &ring.trusted).unwrap();
    let fake = app::domain::pass::sign(&claims, &foreign.signing);
    assert_eq!(scan(desk.clone(), fake).await.code, "bad_signature");

    assert_eq!(check_in::Entity::find().count(db).await.unwrap(), 1);
    let mine = listing::my_bookings(db, visitor.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine[0].checked_in_at.as_deref(), Some("10:50"));
    t.close().await;
}

/// Two desks scan the same pass at the same moment: one admission.
async fn simultaneous_scans_admit_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "photo_studio").await;
    let visitor = make_user(db, Role::Visitor, Some(regional), "Dias T").await;
    book(db, &visitor, studio.id, local(1, 11, 0), 1)
        .await
        .unwrap();
    let code = listing::my_bookings(db, visitor.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();
    let mut handles = Vec::new();
    for i in 0..8 {
        let desk = make_user(db, Role::FrontDesk, Some(regional), &format!("Desk {i}")).await;
        let db = db.clone();
        let code = code.clone();
        handles.push(tokio::spawn(async move {
            passes::scan(&db, &keys(), &desk, &code, now(), Locale::En)
                .await
                .unwrap()
        }));
    }
    let mut admitted = 0;
    for h in handles {
        let v = h.await.unwrap();
        if v.admitted {
            admitted += 1;
        } else {
            assert_eq!(v.code, "already_checked_in");
        }
    }
    assert_eq!(admitted, 1);
    t.close().await;
}

async fn occupancy_reports_bookings_check_ins_and_share(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let pool = space_of(db, regional, "coworking").await;
    let visitor = make_user(db, Role::Visitor, Some(regional), "Aigerim B").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    book(db, &visitor, studio.id, local(1, 11, 0), 1)
        .await
        .unwrap();
    book(db, &visitor, pool.id, local(1, 14, 0), 3)
        .await
        .unwrap();
    book(db, &visitor, studio.id, local(2, 11, 0), 1)
        .await
        .unwrap(); // tomorrow: not counted
    let code = listing::my_bookings(db, visitor.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();
    assert!(
        passes::scan(db, &keys(), &desk, &code, now(), Locale::En)
            .await
            .unwrap()
            .admitted
    );

    let r = reporting::day_occupancy(db, regional, None, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(r.date, "Tue 01.12");
    assert_eq!((r.total_bookings, r.total_check_ins), (2, 1));
    let row = r.rows.iter().find(|x| x.space_id == studio.id).unwrap();
    assert_eq!((row.bookings, row.check_ins), (1, 1));
    // Open 09:00–21:00: 1 of 12 studio hours booked.
    assert!((row.booked_share.unwrap() - 1.0 / 12.0).abs() < 1e-9);
    let row = r.rows.iter().find(|x| x.space_id == pool.id).unwrap();
    assert!((row.booked_share.unwrap() - 3.0 / (20.0 * 12.0)).abs() < 1e-9);
    // The demo singing studio holds the hall on Tuesdays 19:00–20:30.
    let hall = space_of(db, regional, "lecture_hall").await;
    let row = r.rows.iter().find(|x| x.space_id == hall.id).unwrap();
    assert!((row.booked_share.unwrap() - 90.0 / 720.0).abs() < 1e-9);
    // Total: (1·60 + 3·60 + 90) unit-minutes of (4 studios + 20 seats +
    // the hall, taken whole)·720.
    let expected = 330.0 / ((4.0 + 20.0 + 1.0) * 720.0);
    assert!((r.total_share.unwrap() - expected).abs() < 1e-9);
    assert_eq!(app::reporting::dto::percent(r.total_share), "1.8 %");
    t.close().await;
}

async fn login_sessions_and_expiry(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let pw = server::seed::DEMO_PASSWORD;
    let u = membership::authenticate(db, "Visitor@Demo.Ortalyq.kz", pw)
        .await
        .unwrap();
    assert_eq!(u.role, Role::Visitor);
    let by_phone = membership::authenticate(db, "8 (701) 000-00-01", pw)
        .await
        .unwrap();
    assert_eq!(by_phone.account_id, u.account_id);
    assert_eq!(
        membership::authenticate(db, "visitor@demo.ortalyq.kz", "wrong").await,
        Err(AppError::InvalidCredentials)
    );
    assert_eq!(
        membership::authenticate(db, "nobody@demo.ortalyq.kz", pw).await,
        Err(AppError::InvalidCredentials)
    );
    let token = membership::create_session(db, u.account_id, now())
        .await
        .unwrap();
    assert_eq!(
        membership::session_user(db, &token, now())
            .await
            .unwrap()
            .map(|x| x.account_id),
        Some(u.account_id)
    );
    assert_eq!(
        membership::session_user(db, "forged-token", now())
            .await
            .unwrap(),
        None
    );
    let later = now() + Duration::days(membership::SESSION_DAYS) + Duration::seconds(1);
    assert_eq!(
        membership::session_user(db, &token, later).await.unwrap(),
        None
    );
    let token = membership::create_session(db, u.account_id, now())
        .await
        .unwrap();
    membership::end_session(db, &token).await.unwrap();
    assert_eq!(
        membership::session_user(db, &token, now()).await.unwrap(),
        None
    );
    t.close().await;
}

async fn cancelling_frees_the_slot_and_revokes_the_pass(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aigul A").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Bauyrzhan B").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;

    let id = book(db, &a, studio.id, local(1, 14, 0), 1).await.unwrap();
    let code = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();
    // The card offers cancelling until an hour before the start.
    let mine = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine[0].cancel_until.as_deref(), Some("Tue 01.12, 13:00"));
    // Nobody else may cancel it, and they do not learn it exists.
    assert_eq!(
        changes::cancel(db, &b, id, now()).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        changes::cancel(db, &far_desk, id, now()).await,
        Err(AppError::NotFound)
    );
    // After the notice deadline the member cannot, the desk still can.
    let late = local(1, 13, 30);
    assert_eq!(
        changes::cancel(db, &a, id, late).await,
        Err(AppError::TooLateToCancel { notice_minutes: 60 })
    );
    changes::cancel(db, &a, id, now()).await.unwrap();
    changes::cancel(db, &a, id, now()).await.unwrap(); // twice is harmless
                                                       // The slot is free for someone else, and the old pass is refused.
    assert!(book(db, &b, studio.id, local(1, 14, 0), 1).await.is_ok());
    let v = passes::scan(db, &keys(), &desk, &code, local(1, 13, 55), Locale::En)
        .await
        .unwrap();
    assert_eq!(v.code, "revoked");
    assert!(listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap()
        .is_empty());

    let id2 = book(db, &a, studio.id, local(1, 15, 0), 1).await.unwrap();
    changes::cancel(db, &desk, id2, local(1, 14, 30))
        .await
        .unwrap();
    let row = app::model::booking::Entity::find_by_id(id2)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.cancelled_by),
        ("cancelled", Some(desk.account_id))
    );
    t.close().await;
}

async fn public_holidays_close_the_centers(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "photo_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aigul A").await;
    // 15 December, 10:50: tomorrow is Independence Day.
    let dec15 = local(15, 10, 50);
    let av = booking::availability(db, studio.id, 0, dec15, Locale::Ru)
        .await
        .unwrap();
    assert_eq!(av.days[1].iso_date, "2026-12-16");
    assert!(av.days[1].closed && av.days[1].slots.is_empty());
    assert_eq!(
        av.days[1].closed_reason.as_deref(),
        Some("День Независимости")
    );
    assert!(!av.days[2].closed);
    let r = booking::book(db, &keys(), &a, studio.id, local(16, 11, 0), 1, dec15).await;
    assert_eq!(r.map(|b| b.id), Err(AppError::SlotNotOffered));
    assert!(
        booking::book(db, &keys(), &a, studio.id, local(17, 11, 0), 1, dec15)
            .await
            .is_ok()
    );
    let occ = reporting::day_occupancy(
        db,
        regional,
        Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 16).unwrap()),
        dec15,
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(occ.total_share, None);
    t.close().await;
}

async fn resubmitted_form_makes_one_booking(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let pool = space_of(db, regional, "coworking").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aigul A").await;
    let once = |space: i32, start, party, token: &'static str| {
        let db = db.clone();
        let a = a.clone();
        async move {
            booking::book_once(&db, &keys(), &a, space, start, party, Some(token), now())
                .await
                .map(|b| b.id)
        }
    };
    // A retry of the same request returns the same booking, not "slot full".
    let first = once(studio.id, local(1, 11, 0), 1, "TOKEN1").await.unwrap();
    assert_eq!(
        once(studio.id, local(1, 11, 0), 1, "TOKEN1").await,
        Ok(first)
    );
    // The same form used for another slot is a new request.
    let second = once(studio.id, local(1, 12, 0), 1, "TOKEN1").await.unwrap();
    assert_ne!(first, second);
    // A seat pool would otherwise happily take a double click twice.
    let handles: Vec<_> = (0..10)
        .map(|_| tokio::spawn(once(pool.id, local(1, 15, 0), 2, "DOUBLECLICK")))
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        ids.push(h.await.unwrap().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let rows = app::model::booking::Entity::find()
        .filter(app::model::booking::Column::SpaceId.eq(pool.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    t.close().await;
}

async fn staff_close_a_day_and_its_bookings_are_cancelled(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space_of(db, regional, "podcast_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aigul A").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let far = make_user(db, Role::Director, Some(temirtau), "Far director").await;
    book(db, &a, studio.id, local(3, 11, 0), 1).await.unwrap();
    book(db, &a, studio.id, local(3, 12, 0), 1).await.unwrap();
    book(db, &a, studio.id, local(4, 12, 0), 1).await.unwrap();
    let dec3 = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    // Another center's director cannot close this center.
    assert_eq!(
        changes::add_closure(db, &far, regional, dec3, "Ремонт", now()).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        changes::add_closure(db, &director, regional, dec3, "  ", now()).await,
        Err(AppError::Invalid { field, .. }) if field == "reason"
    ));
    let yesterday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert!(matches!(
        changes::add_closure(db, &director, regional, yesterday, "Late", now()).await,
        Err(AppError::Invalid { field, .. }) if field == "day"
    ));
    assert_eq!(
        changes::add_closure(db, &director, regional, dec3, "Ремонт отопления", now()).await,
        Ok(2)
    );
    // Closed: no slots, the reason shown, no bookings; other days untouched.
    let av = booking::availability(db, studio.id, 0, now(), Locale::Ru)
        .await
        .unwrap();
    let day = av.days.iter().find(|d| d.iso_date == "2026-12-03").unwrap();
    assert!(day.closed && day.slots.is_empty());
    assert_eq!(day.closed_reason.as_deref(), Some("Ремонт отопления"));
    assert_eq!(
        book(db, &a, studio.id, local(3, 15, 0), 1).await,
        Err(AppError::SlotNotOffered)
    );
    let mine = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    let list = app::centers::manage::list_closures(
        db,
        Some(vec![regional]),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(list.len(), 1);
    // Reopening: bookable again (the cancelled bookings stay cancelled).
    assert_eq!(
        app::centers::manage::remove_closure(db, &far, list[0].id, now()).await,
        Err(AppError::NotFound)
    );
    app::centers::manage::remove_closure(db, &director, list[0].id, now())
        .await
        .unwrap();
    assert!(book(db, &a, studio.id, local(3, 15, 0), 1).await.is_ok());
    t.close().await;
}

async fn desk_books_for_a_walk_in_member(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space_of(db, regional, "photo_studio").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Walk In").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far = make_user(db, Role::FrontDesk, Some(temirtau), "Far").await;
    let on_behalf = |staff: membership::CurrentUser, person: i32, hour: u32| {
        let db = db.clone();
        async move {
            booking::book_on_behalf(
                &db,
                &keys(),
                &staff,
                person,
                studio.id,
                local(1, hour, 0),
                1,
                None,
                now(),
            )
            .await
            .map(|b| (b.person_id, b.created_by))
        }
    };
    assert_eq!(
        on_behalf(far.clone(), member.person_id, 11).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        on_behalf(member.clone(), member.person_id, 11).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        on_behalf(desk.clone(), desk.person_id, 11).await,
        Err(AppError::NotFound)
    );
    // A member of another center is unknown to this desk.
    let elsewhere = make_user(db, Role::Visitor, Some(temirtau), "Other Town").await;
    assert_eq!(
        on_behalf(desk.clone(), elsewhere.person_id, 11).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        on_behalf(desk.clone(), member.person_id, 11).await,
        Ok((member.person_id, desk.account_id))
    );
    // The member sees it with its pass; the desk's own list stays empty.
    let mine = listing::my_bookings(db, member.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].pass_code.is_some());
    assert!(listing::my_bookings(db, desk.person_id, now(), Locale::En)
        .await
        .unwrap()
        .is_empty());
    // The member's own rules still apply: a minor without consent is refused.
    let minor = person_by_email(db, "minor@demo.ortalyq.kz").await;
    assert_eq!(
        on_behalf(desk.clone(), minor.id, 12).await,
        Err(AppError::ConsentRequired)
    );
    t.close().await;
}

async fn fair_share_quotas_say_which_rule_and_when(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let studio = space_of(db, regional, "photo_studio").await;
    let pool = space_of(db, regional, "coworking").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Quota Q").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    // Four studio hours in any seven days.
    for h in [11, 12, 13, 14] {
        book(db, &a, studio.id, local(2, h, 0), 1)
            .await
            .unwrap_err_or_ok(h);
    }
    let mine = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(
        mine.len(),
        3,
        "the fourth was refused by the upcoming-bookings rule"
    );
    // Upcoming bookings: three at most; free again when the first one ends.
    let refused = book(db, &a, pool.id, local(3, 10, 0), 1).await.unwrap_err();
    assert_eq!(
        refused,
        AppError::QuotaExceeded {
            studio_hours: None,
            limit: 3,
            retry_at: "02.12.2026 12:00".into()
        }
    );
    assert!(
        refused
            .message(Locale::En)
            .contains("from 02.12.2026 12:00"),
        "{}",
        refused.message(Locale::En)
    );
    // Studio hours count past bookings of the last seven days too.
    let b = make_user(db, Role::Visitor, Some(regional), "Studio S").await;
    for h in [11, 12, 13] {
        book(db, &b, studio.id, local(3, h, 0), 1).await.unwrap();
    }
    let later = local(3, 14, 30);
    booking::book(db, &keys(), &b, studio.id, local(4, 11, 0), 1, later)
        .await
        .unwrap();
    let refused = booking::book(db, &keys(), &b, studio.id, local(4, 12, 0), 1, later)
        .await
        .map(|x| x.id)
        .unwrap_err();
    assert_eq!(
        refused,
        AppError::QuotaExceeded {
            studio_hours: Some(4),
            limit: 240,
            retry_at: "10.12.2026 11:00".into()
        }
    );
    assert!(
        refused.message(Locale::Ru).contains("4 ч"),
        "{}",
        refused.message(Locale::Ru)
    );
    // Staff are exempt, also when booking for a walk-in.
    for h in [15, 16, 17, 18] {
        book(db, &desk, studio.id, local(2, h, 0), 1).await.unwrap();
    }
    t.close().await;
}

trait UnwrapErrOrOk {
    fn unwrap_err_or_ok(self, h: u32);
}

impl UnwrapErrOrOk for Result<i32, AppError> {
    /// The first three succeed; the fourth is refused by a quota.
    fn unwrap_err_or_ok(self, h: u32) {
        match (h, self) {
            (14, Err(AppError::QuotaExceeded { .. })) => {}
            (14, other) => panic!("fourth booking should hit a quota: {other:?}"),
            (_, r) => {
                r.unwrap();
            }
        }
    }
}

on_both_databases!(
    fair_share_quotas_say_which_rule_and_when,
    desk_books_for_a_walk_in_member,
    staff_close_a_day_and_its_bookings_are_cancelled,
    resubmitted_form_makes_one_booking,
    public_holidays_close_the_centers,
    cancelling_frees_the_slot_and_revokes_the_pass,
    booking_respects_capacity_and_rules,
    race_for_one_studio_slot_yields_one_booking,
    race_for_seat_pool_fills_exactly_capacity,
    scan_admits_once_and_explains_denials,
    simultaneous_scans_admit_once,
    occupancy_reports_bookings_check_ins_and_share,
    login_sessions_and_expiry,
);

mod members {
    use super::*;
    use app::domain::membership::ConsentState;
    use app::membership::members as svc;
    use app::membership::registration::{validate, RegisterForm};

    fn form(name: &str, birth: &str, phone: &str) -> RegisterForm {
        RegisterForm {
            full_name: name.into(),
            birth_date: birth.into(),
            phone: Some(phone.into()),
            email: None,
            password: "kuy-dombra-2026".into(),
            lang: "kk".into(),
            home_center_id: String::new(),
            settlement: "rural".into(),
            occupation: "pupil".into(),
            education: "basic".into(),
            iin: None,
            guardian_name: Some("Гүлмира Ахметова".into()),
            guardian_phone: Some("+7 777 000 11 22".into()),
            guardian_email: None,
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    async fn registration_consent_and_booking(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let temirtau = center_id(db, "temirtau").await;
        let studio = space_of(db, regional, "podcast_studio").await;

        // A 15-year-old registers: a member, but awaiting consent.
        let mut f = form("Айгерім Ахметова", "2011-06-15", "+7 701 222 33 44");
        f.home_center_id = regional.to_string();
        let minor = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();
        assert_eq!(minor.role, Role::Visitor);
        // The same phone (written differently) cannot register twice.
        let mut again = form("Someone Else", "2000-01-01", "8 701 222 33 44");
        again.home_center_id = regional.to_string();
        assert_eq!(
            svc::register(db, &validate(&again, today()).unwrap(), now()).await,
            Err(AppError::AlreadyRegistered)
        );
        // The minor can log in with the phone number and password.
        let logged = membership::authenticate(db, "87012223344", "kuy-dombra-2026")
            .await
            .unwrap();
        assert_eq!(logged.person_id, minor.person_id);

        // Booking is refused until the guardian's consent is recorded…
        assert_eq!(
            book(db, &minor, studio.id, local(1, 11, 0), 1).await,
            Err(AppError::ConsentRequired)
        );
        assert_eq!(
            app::model::booking::Entity::find().count(db).await.unwrap(),
            0
        );

        // …the desk of another center neither sees nor can record it…
        let other_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Bolat N").await;
        let seen = svc::desk_members(db, &other_desk, "Айгерім", today(), now())
            .await
            .unwrap();
        assert!(seen.is_empty());
        assert_eq!(
            svc::record_paper_consent(db, &other_desk, minor.person_id, today(), now()).await,
            Err(AppError::NotFound)
        );
        // …the home center's desk sees name, age band and state, and records it.
        let desk = make_user(db, Role::FrontDesk, Some(regional), "Dana Y").await;
        let rows = svc::desk_members(db, &desk, "Айгерім", today(), now())
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "Айгерім А.");
        assert_eq!(rows[0].age_band.label(), "14–17");
        assert_eq!(rows[0].consent, ConsentState::Awaiting);
        let by_phone = svc::desk_members(db, &desk, "2223344", today(), now())
            .await
            .unwrap();
        assert_eq!(by_phone.len(), 1);
        assert_eq!(
            svc::record_paper_consent(db, &desk, minor.person_id, today(), now()).await,
            Ok(ConsentState::Given)
        );
        // Recording twice keeps one record.
        assert_eq!(
            svc::record_paper_consent(db, &desk, minor.person_id, today(), now()).await,
            Ok(ConsentState::Given)
        );
        assert_eq!(
            app::model::consent::Entity::find().count(db).await.unwrap(),
            1
        );
        let c = app::model::consent::Entity::find()
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.method.as_str(), c.recorded_by, c.version),
            ("paper", Some(desk.account_id), 1)
        );
        assert_eq!(c.guardian_phone, "+77770001122");

        // Now the booking goes through.
        assert!(book(db, &minor, studio.id, local(1, 11, 0), 1)
            .await
            .is_ok());
        t.close().await;
    }

    async fn turning_eighteen_lifts_the_consent_requirement(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let studio = space_of(db, regional, "photo_studio").await;
        // 18th birthday on 2 December 2026.
        let mut f = form("Ерасыл Б", "2008-12-02", "+7 701 999 88 77");
        f.home_center_id = regional.to_string();
        let member = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();
        assert_eq!(
            book(db, &member, studio.id, local(2, 11, 0), 1).await,
            Err(AppError::ConsentRequired)
        );
        // A day later (the slot is on the 3rd), no consent is needed any more.
        let tomorrow = now() + Duration::days(1);
        let ok = booking::book(
            db,
            &keys(),
            &member,
            studio.id,
            local(3, 11, 0),
            1,
            tomorrow,
        )
        .await;
        assert!(ok.is_ok(), "{ok:?}");
        t.close().await;
    }

    async fn visitors_cannot_list_members(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let v = make_user(db, Role::Visitor, None, "V").await;
        assert_eq!(
            svc::desk_members(db, &v, "", today(), now()).await,
            Err(AppError::Forbidden)
        );
        t.close().await;
    }

    async fn guardian_confirms_with_a_code_from_the_text_message(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let studio = space_of(db, regional, "photo_studio").await;
        let mut f = form("Dias Serikuly", "2012-01-20", "+7 701 444 55 66");
        f.home_center_id = regional.to_string();
        let minor = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();

        let masked = svc::send_guardian_code(db, &minor, today(), now(), BASE)
            .await
            .unwrap();
        assert_eq!(masked, "+7 777 *** ** 22");
        // No guardian email on record: one text message, no email.
        let rows = app::model::outbox::Entity::find().all(db).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kind, app::domain::codes::OutboxKind::Sms);
        let texts = common::texts_to(db, "+77770001122").await;
        assert_eq!(texts.len(), 1, "{texts:?}");
        let sms = &texts[0];
        // The member's language is Kazakh: the guardian gets the Kazakh text.
        assert!(sms.contains("келісіміңізді"), "{sms}");
        let code: String = sms
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_string();

        assert_eq!(
            svc::confirm_guardian_code(db, "87014445566", "000000", "1.2.3.4", now()).await,
            Err(AppError::InvalidCredentials)
        );
        assert_eq!(
            book(db, &minor, studio.id, local(1, 11, 0), 1).await,
            Err(AppError::ConsentRequired)
        );
        svc::confirm_guardian_code(db, "+7 701 444 55 66", &code, "1.2.3.4", now())
            .await
            .unwrap();
        let c = app::model::consent::Entity::find()
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.method.as_str(), c.recorded_by, c.guardian_phone.as_str()),
            ("code", None, "+77770001122")
        );
        assert!(book(db, &minor, studio.id, local(1, 11, 0), 1)
            .await
            .is_ok());
        // A code works once; once consent is given no more codes are sent.
        assert_eq!(
            svc::confirm_guardian_code(db, "87014445566", &code, "1.2.3.4", now()).await,
            Err(AppError::InvalidCredentials)
        );
        assert_eq!(
            svc::send_guardian_code(db, &minor, today(), now(), BASE).await,
            Err(AppError::Forbidden)
        );
        t.close().await;
    }

    /// Three wrong guesses, however the child's phone is spelled, void the
    /// code: the right code no longer works and consent is not recorded.
    async fn a_guardian_code_dies_after_three_wrong_guesses(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let mut f = form("Dias Serikuly", "2012-01-20", "+7 701 444 55 66");
        f.home_center_id = regional.to_string();
        let minor = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();
        svc::send_guardian_code(db, &minor, today(), now(), BASE)
            .await
            .unwrap();
        let sms = common::texts_to(db, "+77770001122").await.remove(0);
        let code: String = sms
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_string();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for (i, spelling) in ["87014445566", "+7 701 444 55 66", "8 (701) 444-55-66"]
            .iter()
            .enumerate()
        {
            // Each guess from another address: the per-address limit does
            // not save the code, the per-login count does.
            let ip = format!("10.0.0.{i}");
            assert_eq!(
                svc::confirm_guardian_code(db, spelling, wrong, &ip, now()).await,
                Err(AppError::InvalidCredentials)
            );
        }
        assert_eq!(
            svc::confirm_guardian_code(db, "+77014445566", &code, "10.0.0.9", now()).await,
            Err(AppError::InvalidCredentials)
        );
        assert_eq!(
            app::model::consent::Entity::find().count(db).await.unwrap(),
            0
        );
        t.close().await;
    }

    const BASE: &str = "https://ortalyq.example";

    /// The outbox emails queued so far, with their payloads decoded.
    async fn queued_emails(
        db: &DatabaseConnection,
    ) -> Vec<(app::model::outbox::Model, app::notify::outbox::Email)> {
        app::model::outbox::Entity::find()
            .filter(app::model::outbox::Column::Kind.eq(app::domain::codes::OutboxKind::Email))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                let e = serde_json::from_str(&r.payload).unwrap();
                (r, e)
            })
            .collect()
    }

    fn six_digits(text: &str) -> String {
        text.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_string()
    }

    async fn guardian_with_an_email_gets_the_code_by_email_too(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let studio = space_of(db, regional, "photo_studio").await;
        let mut f = form("Dias Serikuly", "2012-01-20", "+7 701 444 55 66");
        f.home_center_id = regional.to_string();
        f.lang = "ru".into();
        f.guardian_email = Some(" Gulmira.A@Mail.kz ".into());
        let minor = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();

        let masked = svc::send_guardian_code(db, &minor, today(), now(), BASE)
            .await
            .unwrap();
        assert_eq!(masked, "+7 777 *** ** 22, g***@mail.kz");
        // The text message still goes to the phone…
        assert_eq!(common::texts_to(db, "+77770001122").await.len(), 1);
        // …and one email to the guardian, in the member's language, with the
        // code, the child's first name and the consent page.
        let mails = queued_emails(db).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        let (row, mail) = &mails[0];
        assert_eq!(
            (row.kind.as_str(), row.recipient.as_str(), mail.to.as_str()),
            ("email", "gulmira.a@mail.kz", "gulmira.a@mail.kz")
        );
        assert_eq!(row.person_id, Some(minor.person_id));
        assert!(mail.subject.contains("Dias"), "{}", mail.subject);
        assert!(
            mail.text.contains("Здравствуйте, Гүлмира!"),
            "{}",
            mail.text
        );
        assert!(
            mail.text.contains("https://ortalyq.example/consent"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("14–17"), "{}", mail.text);
        let code = six_digits(&mail.text);
        // The same code as in the text message.
        let sms = common::texts_to(db, "+77770001122").await.remove(0);
        assert_eq!(six_digits(&sms), code);

        assert_eq!(
            book(db, &minor, studio.id, local(1, 11, 0), 1).await,
            Err(AppError::ConsentRequired)
        );
        svc::confirm_guardian_code(db, "+7 701 444 55 66", &code, "1.2.3.4", now())
            .await
            .unwrap();
        let c = app::model::consent::Entity::find()
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.method.as_str(), "code");
        assert!(book(db, &minor, studio.id, local(1, 11, 0), 1)
            .await
            .is_ok());
        // The member's data export shows the address; deleting erases it.
        let json: serde_json::Value = serde_json::from_str(
            &app::privacy::service::export_my_data(db, &minor)
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(json["person"]["guardian_email"], "gulmira.a@mail.kz");
        app::privacy::service::delete_my_account(db, &crate::common::keys(), &minor, now())
            .await
            .unwrap();
        let p = app::model::person::Entity::find_by_id(minor.person_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.guardian_email, None);
        t.close().await;
    }

    async fn a_guardian_known_only_by_email_gets_the_code_by_email(backend: Backend) {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let mut f = form("Аружан Серік", "2011-03-03", "+7 701 555 66 77");
        f.home_center_id = regional.to_string();
        f.guardian_email = Some("mama@mail.kz".into());
        let minor = svc::register(db, &validate(&f, today()).unwrap(), now())
            .await
            .unwrap();
        // An older record without the guardian's phone.
        let p = app::model::person::Entity::find_by_id(minor.person_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.guardian_email.as_deref(), Some("mama@mail.kz"));
        let mut p = p.into_active_model();
        p.guardian_phone = Set(None);
        p.update(db).await.unwrap();

        let masked = svc::send_guardian_code(db, &minor, today(), now(), BASE)
            .await
            .unwrap();
        assert_eq!(masked, "m***@mail.kz");
        assert!(
            common::queued_texts(db).await.is_empty(),
            "no text message without a phone"
        );
        let mails = queued_emails(db).await;
        assert_eq!(mails.len(), 1);
        // Kazakh member, Kazakh email.
        assert!(mails[0].1.text.contains("Кодыңыз"), "{}", mails[0].1.text);
        let code = six_digits(&mails[0].1.text);
        svc::confirm_guardian_code(db, "+7 701 555 66 77", &code, "1.2.3.4", now())
            .await
            .unwrap();
        assert!(app::access::has_consent(db, minor.person_id).await.unwrap());
        t.close().await;
    }

    on_both_databases!(
        guardian_confirms_with_a_code_from_the_text_message,
        a_guardian_code_dies_after_three_wrong_guesses,
        guardian_with_an_email_gets_the_code_by_email_too,
        a_guardian_known_only_by_email_gets_the_code_by_email,
        registration_consent_and_booking,
        turning_eighteen_lifts_the_consent_requirement,
        visitors_cannot_list_members,
    );
}

mod accounts {
    use super::*;
    use app::membership::accounts as acc;
    use app::membership::dto::StaffForm;
    use app::membership::members as svc;
    use app::membership::staff;

    const PW: &str = server::seed::DEMO_PASSWORD;

    async fn sign_in_is_rate_limited_per_login_and_per_address(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let login = "visitor@demo.ortalyq.kz";
        for _ in 0..5 {
            assert_eq!(
                acc::sign_in(db, login, "wrong", "10.0.0.1", now()).await,
                Err(AppError::InvalidCredentials)
            );
        }
        // Locked: even the right password is refused, with the wait.
        assert_eq!(
            acc::sign_in(db, login, PW, "10.0.0.2", now()).await,
            Err(AppError::RateLimited {
                retry_after_minutes: 15
            })
        );
        // The same login written as a phone number is the same account only
        // by lookup, but the lock follows the login string given.
        let later = now() + Duration::minutes(16);
        assert!(acc::sign_in(db, login, PW, "10.0.0.2", later).await.is_ok());

        // One address trying many logins is stopped after 20 failures.
        for i in 0..20 {
            let _ = acc::sign_in(db, &format!("guess{i}@mail.kz"), "x", "10.9.9.9", later).await;
        }
        assert!(matches!(
            acc::sign_in(db, "director@demo.ortalyq.kz", PW, "10.9.9.9", later).await,
            Err(AppError::RateLimited { .. })
        ));
        assert!(
            acc::sign_in(db, "director@demo.ortalyq.kz", PW, "10.1.1.1", later)
                .await
                .is_ok()
        );
        t.close().await;
    }

    async fn password_change_and_desk_reset(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let temirtau = center_id(db, "temirtau").await;
        let user = membership::authenticate(db, "visitor@demo.ortalyq.kz", PW)
            .await
            .unwrap();
        let keep = membership::create_session(db, user.account_id, now())
            .await
            .unwrap();
        let other = membership::create_session(db, user.account_id, now())
            .await
            .unwrap();

        assert!(matches!(
            acc::change_password(db, &user, "nope", "new-password-1", None).await,
            Err(AppError::Invalid { field, .. }) if field == "current_password"
        ));
        assert!(matches!(
            acc::change_password(db, &user, PW, "short", None).await,
            Err(AppError::Invalid { field, .. }) if field == "new_password"
        ));
        acc::change_password(
            db,
            &user,
            PW,
            "new-password-1",
            Some(membership::token_hash(&keep)),
        )
        .await
        .unwrap();
        assert_eq!(
            membership::authenticate(db, "visitor@demo.ortalyq.kz", PW).await,
            Err(AppError::InvalidCredentials)
        );
        assert!(
            membership::authenticate(db, "visitor@demo.ortalyq.kz", "new-password-1")
                .await
                .is_ok()
        );
        assert!(membership::session_user(db, &keep, now())
            .await
            .unwrap()
            .is_some());
        assert!(membership::session_user(db, &other, now())
            .await
            .unwrap()
            .is_none());

        // The desk of her center issues a reset code; another center's cannot.
        let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
        let far_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;
        assert_eq!(
            acc::issue_reset_code(db, &far_desk, user.person_id, now()).await,
            Err(AppError::NotFound)
        );
        let code = acc::issue_reset_code(db, &desk, user.person_id, now())
            .await
            .unwrap();
        assert_eq!(code.len(), 8);
        assert_eq!(
            acc::reset_password(
                db,
                "visitor@demo.ortalyq.kz",
                "00000000",
                "brand-new-pass",
                "1.1.1.1",
                now()
            )
            .await,
            Err(AppError::InvalidCredentials)
        );
        acc::reset_password(
            db,
            "+7 701 000 00 01",
            &code,
            "brand-new-pass",
            "1.1.1.1",
            now(),
        )
        .await
        .unwrap();
        assert!(
            membership::authenticate(db, "visitor@demo.ortalyq.kz", "brand-new-pass")
                .await
                .is_ok()
        );
        // Used once; and all sessions ended.
        assert_eq!(
            acc::reset_password(
                db,
                "visitor@demo.ortalyq.kz",
                &code,
                "another-pass-1",
                "1.1.1.1",
                now()
            )
            .await,
            Err(AppError::InvalidCredentials)
        );
        assert!(membership::session_user(db, &keep, now())
            .await
            .unwrap()
            .is_none());
        // Codes expire after 30 minutes.
        let code = acc::issue_reset_code(db, &desk, user.person_id, now())
            .await
            .unwrap();
        let late = now() + Duration::minutes(31);
        assert_eq!(
            acc::reset_password(
                db,
                "visitor@demo.ortalyq.kz",
                &code,
                "another-pass-1",
                "1.1.1.1",
                late
            )
            .await,
            Err(AppError::InvalidCredentials)
        );
        t.close().await;
    }

    async fn export_and_delete_keep_aggregates(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let studio = space_of(db, regional, "podcast_studio").await;
        let user = membership::authenticate(db, "visitor@demo.ortalyq.kz", PW)
            .await
            .unwrap();
        let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
        book(db, &user, studio.id, local(1, 11, 0), 1)
            .await
            .unwrap();
        book(db, &user, studio.id, local(2, 11, 0), 1)
            .await
            .unwrap();
        let mine = listing::my_bookings(db, user.person_id, now(), Locale::En)
            .await
            .unwrap();
        let today_code = mine[0].pass_code.clone().unwrap();
        let tomorrow_code = mine[1].pass_code.clone().unwrap();
        assert!(
            passes::scan(db, &keys(), &desk, &today_code, now(), Locale::En)
                .await
                .unwrap()
                .admitted
        );

        let json: serde_json::Value = serde_json::from_str(
            &app::privacy::service::export_my_data(db, &user)
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(json["person"]["full_name"], "Аружан Сейтқали");
        assert_eq!(json["person"]["email"], "visitor@demo.ortalyq.kz");
        assert_eq!(json["bookings"].as_array().unwrap().len(), 2);
        assert_eq!(json["check_ins"].as_array().unwrap().len(), 1);

        app::privacy::service::delete_my_account(db, &crate::common::keys(), &user, now())
            .await
            .unwrap();
        let p = app::model::person::Entity::find_by_id(user.person_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(p.email.is_none() && p.phone.is_none() && !p.full_name.contains("Аружан"));
        assert_eq!(
            membership::authenticate(db, "visitor@demo.ortalyq.kz", PW).await,
            Err(AppError::InvalidCredentials)
        );
        // Tomorrow's booking is cancelled and its pass refused at the door.
        let v = passes::scan(
            db,
            &keys(),
            &desk,
            &tomorrow_code,
            now() + Duration::days(1),
            Locale::En,
        )
        .await
        .unwrap();
        assert_eq!(v.code, "revoked");
        // Today's visit still counts in the director's figures.
        let r = reporting::day_occupancy(db, regional, None, now(), Locale::En)
            .await
            .unwrap();
        assert_eq!((r.total_bookings, r.total_check_ins), (1, 1));
        t.close().await;
    }

    async fn membership_card_admits_once_a_day_anywhere(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let temirtau = center_id(db, "temirtau").await;
        let user = membership::authenticate(db, "visitor@demo.ortalyq.kz", PW)
            .await
            .unwrap();
        let card = svc::membership_card(db, &keys(), &user, now(), Locale::En)
            .await
            .unwrap();
        assert_eq!(card.member_number, format!("{:06}", user.person_id));
        assert!(card.qr_svg.contains("<svg"));
        // Asking again shows the same card.
        assert_eq!(
            svc::membership_card(db, &keys(), &user, now(), Locale::En)
                .await
                .unwrap()
                .code,
            card.code
        );
        let far_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;
        let v = passes::scan(db, &keys(), &far_desk, &card.code, now(), Locale::En)
            .await
            .unwrap();
        assert!(v.admitted, "{v:?}");
        assert_eq!(
            v.what.as_deref(),
            Some("Membership card · Coworking: 20 seats left")
        );
        let v = passes::scan(
            db,
            &keys(),
            &far_desk,
            &card.code,
            now() + Duration::hours(2),
            Locale::En,
        )
        .await
        .unwrap();
        assert_eq!(v.code, "already_checked_in");
        let v = passes::scan(
            db,
            &keys(),
            &far_desk,
            &card.code,
            now() + Duration::days(1),
            Locale::En,
        )
        .await
        .unwrap();
        assert!(v.admitted);
        t.close().await;
    }

    async fn admin_creates_staff_with_centers_and_age_override(backend: Backend) {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let regional = center_id(db, "karaganda-regional").await;
        let temirtau = center_id(db, "temirtau").await;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let admin = make_user(db, Role::Admin, None, "Regional Admin").await;
        let mut f = StaffForm {
            full_name: "Мадина Оспанова".into(),
            email: "madina@demo.ortalyq.kz".into(),
            phone: String::new(),
            role: "front_desk".into(),
            centers: vec![regional.to_string(), temirtau.to_string()],
            birth_date: "1995-03-08".into(),
            override_reason: String::new(),
        };
        let password = staff::create_account(db, &admin, &f, today, now())
            .await
            .unwrap();
        let desk = membership::authenticate(db, "madina@demo.ortalyq.kz", &password)
            .await
            .unwrap();
        assert_eq!(desk.role, Role::FrontDesk);
        // She sees members of both her centers.
        let mut m = super::members_form("Тимур Ж", "2003-02-02", "+7 702 111 22 33");
        m.home_center_id = temirtau.to_string();
        svc::register(
            db,
            &app::membership::registration::validate(&m, today).unwrap(),
            now(),
        )
        .await
        .unwrap();
        let names: Vec<String> = svc::desk_members(db, &desk, "", today, now())
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert!(
            names.contains(&"Тимур Ж.".to_string()) && names.contains(&"Аружан С.".to_string()),
            "{names:?}"
        );
        assert_eq!(
            staff::create_account(db, &admin, &f, today, now()).await,
            Err(AppError::AlreadyRegistered)
        );

        // A 36-year-old mentor needs a recorded reason.
        f.email = "mentor@demo.ortalyq.kz".into();
        f.role = "mentor".into();
        f.birth_date = "1990-11-30".into();
        assert!(matches!(
            staff::create_account(db, &admin, &f, today, now()).await,
            Err(AppError::Invalid { field, .. }) if field == "override_reason"
        ));
        f.override_reason = "Dombra club leader, 20 years of teaching".into();
        staff::create_account(db, &admin, &f, today, now())
            .await
            .unwrap();
        let p = app::model::person::Entity::find()
            .filter(app::model::person::Column::Email.eq("mentor@demo.ortalyq.kz"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            p.eligibility_override.as_deref(),
            Some("Dombra club leader, 20 years of teaching")
        );
        let list = staff::list_staff(db, Locale::En).await.unwrap();
        let row = list
            .iter()
            .find(|r| r.login == "madina@demo.ortalyq.kz")
            .unwrap();
        assert_eq!(row.centers.len(), 2);
        t.close().await;
    }

    on_both_databases!(
        sign_in_is_rate_limited_per_login_and_per_address,
        password_change_and_desk_reset,
        export_and_delete_keep_aggregates,
        membership_card_admits_once_a_day_anywhere,
        admin_creates_staff_with_centers_and_age_override,
    );
}

fn members_form(
    name: &str,
    birth: &str,
    phone: &str,
) -> app::membership::registration::RegisterForm {
    app::membership::registration::RegisterForm {
        full_name: name.into(),
        birth_date: birth.into(),
        phone: Some(phone.into()),
        password: "kuy-dombra-2026".into(),
        lang: "kk".into(),
        settlement: "city".into(),
        occupation: "student".into(),
        education: "secondary".into(),
        ..Default::default()
    }
}
