//! The door beyond one scan, against SQLite and PostgreSQL: the no-show
//! sweep (with a controlled clock), strikes that block booking, pardons.

#[macro_use]
mod common;

use app::booking::dto::BookingStatus;
use app::booking::service::{self as booking, BookingRequest};
use app::booking::{changes, listing};
use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use app::model::booking as booking_row;
use app::passes::door;
use app::passes::scan as passes;
use chrono::{DateTime, Utc};
use common::callers::user_by_email;
use common::fixtures::{booking_request, pass_of};
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn req(space_id: i32, start: DateTime<Utc>, minutes: i32) -> BookingRequest {
    BookingRequest {
        minutes: Some(minutes),
        ..booking_request(space_id, start)
    }
}

async fn no_shows_free_the_rest_strike_and_can_be_pardoned(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let photo = space_of(db, regional, "photo_studio").await;
    let pool = space_of(db, regional, "coworking").await;
    let absent = make_user(db, Role::Visitor, Some(regional), "Absent A").await;
    let present = make_user(db, Role::Visitor, Some(regional), "Present P").await;
    let other = make_user(db, Role::Visitor, Some(regional), "Other O").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far = make_user(db, Role::FrontDesk, Some(temirtau), "Far desk").await;

    // The desk books three for the absent member (staff skip the quota):
    // 11:00–13:00, 13:00–14:00 and 14:00–15:00 in the photo studio.
    let mut absent_ids = Vec::new();
    for (h, len) in [(11, 120), (13, 60), (14, 60)] {
        let out = booking::book_request(
            db,
            &ring,
            &desk,
            Some(absent.person_id),
            req(photo.id, local(1, h, 0), len),
            now(),
        )
        .await
        .unwrap();
        absent_ids.push(out.bookings[0].id);
    }
    // The present member comes: admitted at 10:56.
    booking::book_request(
        db,
        &ring,
        &present,
        None,
        req(pool.id, local(1, 11, 0), 60),
        now(),
    )
    .await
    .unwrap();
    let code = listing::my_bookings(db, present.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();
    assert!(
        passes::scan(db, &ring, &desk, &code, local(1, 10, 56), Locale::En)
            .await
            .unwrap()
            .admitted
    );

    // Before the 15 minutes of grace nothing is marked; 12:00 is taken.
    assert_eq!(
        app::booking::noshow::sweep_no_shows(db, local(1, 11, 14)).await,
        Ok(0)
    );
    assert_eq!(
        booking::book_request(
            db,
            &ring,
            &other,
            None,
            req(photo.id, local(1, 12, 0), 60),
            local(1, 11, 14)
        )
        .await
        .map(|o| o.bookings.len()),
        Err(AppError::SlotFull)
    );
    // At 11:15 the absent member's booking is a no-show; the present one is not.
    assert_eq!(
        app::booking::noshow::sweep_no_shows(db, local(1, 11, 15)).await,
        Ok(1)
    );
    assert_eq!(
        app::booking::noshow::sweep_no_shows(db, local(1, 11, 16)).await,
        Ok(0)
    );
    let first = booking_row::Entity::find_by_id(absent_ids[0])
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.status.as_str(), "no_show");
    assert_eq!(first.no_show_at, Some(local(1, 11, 15)));
    // The rest of its time is free again, and its pass no longer admits.
    assert!(booking::book_request(
        db,
        &ring,
        &other,
        None,
        req(photo.id, local(1, 12, 0), 60),
        local(1, 11, 20)
    )
    .await
    .is_ok());
    let absent_code = pass_of(db, absent_ids[0]).await.code;
    assert_eq!(
        passes::scan(db, &ring, &desk, &absent_code, local(1, 11, 25), Locale::En)
            .await
            .unwrap()
            .code,
        "revoked"
    );

    // Two instances sweeping at once mark each of the remaining three
    // (13:00 and 14:00, and the other member's unattended 12:00) once.
    let (a, b) = tokio::join!(
        app::booking::noshow::sweep_no_shows(db, local(1, 14, 20)),
        app::booking::noshow::sweep_no_shows(db, local(1, 14, 20))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    assert_eq!(
        booking_row::Entity::find()
            .filter(booking_row::Column::Status.eq("no_show"))
            .count(db)
            .await
            .unwrap(),
        4
    );
    // The member sees them, kept as data.
    let mine = listing::my_bookings(db, absent.person_id, local(1, 14, 30), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    assert!(mine
        .iter()
        .all(|b| b.status == BookingStatus::NoShow && b.cancel_until.is_none()));

    // Three strikes: blocked for a week after the last one (14:00).
    let blocked = booking::book_request(
        db,
        &ring,
        &absent,
        None,
        req(pool.id, local(2, 11, 0), 60),
        local(1, 14, 30),
    )
    .await
    .map(|o| o.bookings.len());
    assert_eq!(
        blocked,
        Err(AppError::NoShowBlocked {
            until: "08.12.2026 14:00".into()
        })
    );
    assert!(blocked
        .unwrap_err()
        .message(Locale::Ru)
        .contains("08.12.2026 14:00"));
    // The desk still books for them at the door.
    assert!(booking::book_request(
        db,
        &ring,
        &desk,
        Some(absent.person_id),
        req(pool.id, local(2, 11, 0), 60),
        local(1, 14, 30)
    )
    .await
    .is_ok());
    // The desk list shows the strikes; another center's desk cannot pardon.
    let rows = app::membership::members::desk_members(
        db,
        &desk,
        "Absent",
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        local(1, 14, 30),
    )
    .await
    .unwrap();
    assert_eq!(rows[0].no_shows, 3);
    assert_eq!(rows[0].blocked_until.as_deref(), Some("08.12.2026 14:00"));
    assert_eq!(
        app::booking::noshow::pardon(db, &far, absent.person_id, local(1, 14, 30)).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app::booking::noshow::pardon(db, &desk, absent.person_id, local(1, 14, 30)).await,
        Ok(3)
    );
    assert!(booking::book_request(
        db,
        &ring,
        &absent,
        None,
        req(pool.id, local(2, 12, 0), 60),
        local(1, 14, 31)
    )
    .await
    .is_ok());
    t.close().await;
}

/// Exit scans close a check-in, an undone admission stays in the log and
/// the pass can be admitted again; the today board shows all of it.
async fn exit_scans_undo_and_the_today_board(backend: Backend) {
    use app::passes::dto::BoardStatus;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let pool = space_of(db, regional, "coworking").await;
    let podcast = space_of(db, regional, "podcast_studio").await;
    let a = make_user(db, Role::Visitor, Some(regional), "Aliya A").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Berik B").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let far = make_user(db, Role::FrontDesk, Some(temirtau), "Far").await;
    booking::book_request(
        db,
        &ring,
        &a,
        None,
        BookingRequest {
            party: 2,
            ..req(pool.id, local(1, 11, 0), 120)
        },
        now(),
    )
    .await
    .unwrap();
    booking::book_request(
        db,
        &ring,
        &b,
        None,
        req(podcast.id, local(1, 14, 0), 60),
        now(),
    )
    .await
    .unwrap();
    let code_a = listing::my_bookings(db, a.person_id, now(), Locale::En)
        .await
        .unwrap()[0]
        .pass_code
        .clone()
        .unwrap();
    let scan = |code: String, at| {
        let db = db.clone();
        let desk = desk.clone();
        async move {
            passes::scan(&db, &keys(), &desk, &code, at, Locale::En)
                .await
                .unwrap()
                .code
        }
    };
    // Leaving before coming in: nothing to close.
    assert_eq!(
        door::check_out(db, &ring, &desk, &code_a, local(1, 10, 55), Locale::En)
            .await
            .unwrap()
            .code,
        "not_inside"
    );
    assert_eq!(scan(code_a.clone(), local(1, 10, 56)).await, "admitted");
    let board = door::today_board(db, &desk, None, local(1, 11, 30), Locale::En)
        .await
        .unwrap();
    assert_eq!(board.center_id, regional);
    assert_eq!(board.inside_total, 2, "a party of two");
    let cow = board.spaces.iter().find(|s| s.space_id == pool.id).unwrap();
    assert_eq!(
        (cow.inside, cow.bookings[0].status),
        (2, BoardStatus::Inside)
    );
    let pod = board
        .spaces
        .iter()
        .find(|s| s.space_id == podcast.id)
        .unwrap();
    assert_eq!(pod.bookings[0].status, BoardStatus::Upcoming);
    assert_eq!(pod.bookings[0].member, "Berik B.");
    // The podcast studio's next free start for a walk-in is 12:00 (11:00 has begun).
    assert_eq!(
        pod.next_free.as_ref().map(|n| n.1.as_str()),
        Some("12:00–13:00")
    );
    // The whole board the desk sees at 11:30 (the seeded day's bookings
    // too): who is inside, who is coming, what a walk-in can take. Ids
    // differ between SQLite and PostgreSQL.
    insta::assert_json_snapshot!("today_board_at_11_30", board, {
        ".center_id" => "[center id]",
        ".centers[].id" => "[center id]",
        ".spaces[].space_id" => "[space id]",
        ".spaces[].bookings[].booking_id" => "[booking id]",
        // Whether a booking has a live check-in shows; not its id.
        ".spaces[].bookings[].check_in_id" => insta::dynamic_redaction(|v, _| {
            if v.is_nil() { v } else { "[check-in id]".into() }
        }),
    });
    // Undo the admission: another center's desk cannot; this desk can.
    let check_in = cow.bookings[0].check_in_id.unwrap();
    assert_eq!(
        door::undo_check_in(db, &far, check_in, local(1, 11, 31)).await,
        Err(AppError::NotFound)
    );
    door::undo_check_in(db, &desk, check_in, local(1, 11, 31))
        .await
        .unwrap();
    let row = app::model::check_in::Entity::find_by_id(check_in)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.undone_at, row.undone_by),
        (Some(local(1, 11, 31)), Some(desk.account_id))
    );
    let board = door::today_board(db, &desk, None, local(1, 11, 32), Locale::En)
        .await
        .unwrap();
    assert_eq!(board.inside_total, 0);
    // Admitted again, then out through the exit scan.
    assert_eq!(scan(code_a.clone(), local(1, 11, 33)).await, "admitted");
    assert_eq!(
        door::check_out(db, &ring, &far, &code_a, local(1, 12, 0), Locale::En)
            .await
            .unwrap()
            .code,
        "other_center"
    );
    let out = door::check_out(db, &ring, &desk, &code_a, local(1, 12, 10), Locale::En)
        .await
        .unwrap();
    assert!(out.admitted);
    assert_eq!(out.code, "checked_out");
    let board = door::today_board(db, &desk, None, local(1, 12, 11), Locale::En)
        .await
        .unwrap();
    assert_eq!(board.inside_total, 0);
    let cow = board.spaces.iter().find(|s| s.space_id == pool.id).unwrap();
    assert_eq!(cow.bookings[0].status, BoardStatus::Done);
    // Two admissions and one undo on record for the audit trail.
    assert_eq!(
        app::model::check_in::Entity::find()
            .count(db)
            .await
            .unwrap(),
        2
    );
    // Another center's board is not this desk's.
    assert_eq!(
        door::today_board(db, &desk, Some(temirtau), local(1, 12, 11), Locale::En)
            .await
            .map(|b| b.center_id),
        Err(AppError::NotFound)
    );
    t.close().await;
}

/// The verdict tells the desk the age band, warns about a minor without
/// consent, and for a membership card says whether a coworking seat is free.
async fn verdicts_show_age_band_consent_and_free_seats(backend: Backend) {
    use app::membership::members::membership_card;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let adult = make_user(db, Role::Visitor, Some(regional), "Dauren D").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    // 18 of the 20 seats are taken 11:00–12:00.
    booking::book_request(
        db,
        &ring,
        &desk,
        Some(adult.person_id),
        BookingRequest {
            party: 18,
            ..req(pool.id, local(1, 11, 0), 60)
        },
        now(),
    )
    .await
    .unwrap();
    let card = membership_card(db, &ring, &adult, now(), Locale::En)
        .await
        .unwrap();
    let v = passes::scan(db, &ring, &desk, &card.code, local(1, 11, 20), Locale::En)
        .await
        .unwrap();
    assert!(v.admitted);
    assert_eq!(v.age_band.as_deref(), Some("18–24"));
    assert!(!v.consent_missing);
    assert_eq!(
        v.what.as_deref(),
        Some("Membership card · Coworking: 2 seats left")
    );

    // The demo minor (15, no consent yet): admitted on the card, with a warning.
    let minor = app::access::session::CurrentUser {
        role: Role::Visitor,
        lang: Locale::Kk,
        ..user_by_email(db, "minor@demo.ortalyq.kz").await
    };
    let card = membership_card(db, &ring, &minor, now(), Locale::En)
        .await
        .unwrap();
    let v = passes::scan(db, &ring, &desk, &card.code, local(1, 11, 21), Locale::En)
        .await
        .unwrap();
    assert_eq!(v.age_band.as_deref(), Some("14–17"));
    assert!(v.consent_missing);

    // The search fallback: by name, by booking number; never another
    // center's bookings.
    let found = door::door_search(db, &desk, "Dauren", local(1, 11, 30), Locale::En)
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        2,
        "today's booking and the membership card: {found:?}"
    );
    assert!(found[0].what.contains("Coworking zone, 11:00–12:00"));
    assert_eq!(found[1].what, "Membership card");
    let booking_no = found[0].what.split_whitespace().next().unwrap().to_string();
    let by_number = door::door_search(db, &desk, &booking_no, local(1, 11, 30), Locale::En)
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].code, found[0].code);
    let temirtau = center_id(db, "temirtau").await;
    let far = make_user(db, Role::FrontDesk, Some(temirtau), "Far").await;
    assert!(
        door::door_search(db, &far, "Dauren", local(1, 11, 30), Locale::En)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        door::door_search(db, &adult, "Dauren", local(1, 11, 30), Locale::En)
            .await
            .is_err()
    );
    t.close().await;
}

/// The door keeps each center's coworking space in memory, and a director's
/// edit reaches it at once: a new capacity shows at the next scan, and a
/// deactivated coworking zone offers no seat.
async fn the_door_sees_coworking_edits_at_once(backend: Backend) {
    use app::membership::members::membership_card;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let at = |minute: u32| local(1, 11, minute);
    let scan_what = |name: &'static str, minute: u32| {
        let (ring, desk) = (&ring, &desk);
        async move {
            let member = make_user(db, Role::Visitor, Some(regional), name).await;
            let card = membership_card(db, ring, &member, now(), Locale::En)
                .await
                .unwrap();
            let v = passes::scan(db, ring, desk, &card.code, at(minute), Locale::En)
                .await
                .unwrap();
            assert!(v.admitted, "{v:?}");
            v.what.unwrap_or_default()
        }
    };
    assert_eq!(
        scan_what("Aruzhan A", 10).await,
        "Membership card · Coworking: 20 seats left"
    );
    let mut rules = app::centers::manage::space_rules(db, &director, pool.id, Locale::En)
        .await
        .unwrap()
        .form;
    rules.capacity = 25;
    app::centers::manage::update_space_rules(db, &director, pool.id, rules, now())
        .await
        .unwrap();
    assert_eq!(
        scan_what("Bolat B", 11).await,
        "Membership card · Coworking: 25 seats left"
    );
    app::booking::space_close::deactivate_space(db, &director, pool.id, "", true, now())
        .await
        .unwrap();
    assert_eq!(scan_what("Dana D", 12).await, "Membership card");
    t.close().await;
}

/// Two desks admit the same pass while offline; their uploads apply the
/// first admission once (repeated uploads are harmless) and report the
/// second as a conflict; a revoked pass admitted offline is reported too.
async fn offline_scans_sync_once_and_report_conflicts(backend: Backend) {
    use app::passes::dto::OfflineScanDto;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Gaukhar G").await;
    let desk_a = make_user(db, Role::FrontDesk, Some(regional), "Desk Alpha").await;
    let desk_b = make_user(db, Role::FrontDesk, Some(regional), "Desk Beta").await;
    booking::book_request(
        db,
        &ring,
        &member,
        None,
        req(pool.id, local(1, 11, 0), 60),
        now(),
    )
    .await
    .unwrap();
    let cancelled = booking::book_request(
        db,
        &ring,
        &member,
        None,
        req(pool.id, local(1, 14, 0), 60),
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .id;
    let mine = listing::my_bookings(db, member.person_id, now(), Locale::En)
        .await
        .unwrap();
    let code = mine[0].pass_code.clone().unwrap();
    let revoked_code = mine[1].pass_code.clone().unwrap();
    changes::cancel(db, &member, cancelled, now())
        .await
        .unwrap();

    // The bundle a station takes along: keys, revoked passes, today's passes.
    let bundle = door::offline_bundle(db, &ring, &desk_a, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(bundle.keys.len(), 1);
    assert_eq!(bundle.timezone, "Asia/Almaty");
    assert_eq!(bundle.revoked.len(), 1);
    let today = bundle
        .passes
        .iter()
        .find(|p| p.what.contains("11:00–12:00"))
        .unwrap();
    assert_eq!(
        (
            today.holder.as_str(),
            today.early_minutes,
            today.checked_in_at
        ),
        ("Gaukhar G.", 15, None)
    );

    // Each station's scans carry the stamp of the bundle they were decided with.
    let stamp_a = bundle.stamp.clone();
    let stamp_b = door::offline_bundle(db, &ring, &desk_b, now(), Locale::En)
        .await
        .unwrap()
        .stamp;
    let scan = |nonce: &str, code: &str, at: DateTime<Utc>, stamp: &str| OfflineScanDto {
        nonce: nonce.into(),
        code: code.into(),
        scanned_at: at.timestamp(),
        exit: false,
        bundle: stamp.into(),
    };
    let upload_a = vec![
        scan("alpha-0001", &code, local(1, 10, 56), &stamp_a),
        scan("alpha-0002", &revoked_code, local(1, 10, 57), &stamp_a),
    ];
    let r = door::sync_offline(
        db,
        &ring,
        &desk_a,
        "tablet-a",
        upload_a.clone(),
        local(1, 11, 5),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!((r.applied, r.duplicates, r.conflicts.len()), (1, 0, 0));
    assert_eq!(r.denied.len(), 1);
    assert_eq!(r.denied[0].scanned_at, "10:57");
    // The same upload again (the network dropped before the answer).
    let again = door::sync_offline(
        db,
        &ring,
        &desk_a,
        "tablet-a",
        upload_a,
        local(1, 11, 6),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!((again.applied, again.duplicates), (0, 2));
    // The other desk had admitted the same person at 10:58.
    let r = door::sync_offline(
        db,
        &ring,
        &desk_b,
        "tablet-b",
        vec![scan("beta-0001", &code, local(1, 10, 58), &stamp_b)],
        local(1, 11, 7),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].holder.as_deref(), Some("Gaukhar G."));
    assert!(
        r.conflicts[0].reason.contains("10:56"),
        "{}",
        r.conflicts[0].reason
    );
    assert!(
        r.conflicts[0].reason.contains("Desk A."),
        "{}",
        r.conflicts[0].reason
    );
    // One admission on record, at the offline time.
    let rows = app::model::check_in::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].scanned_at, rows[0].scanned_by),
        (local(1, 10, 56), desk_a.account_id)
    );
    let log = app::model::offline_scan::Entity::find()
        .all(db)
        .await
        .unwrap();
    let mut results: Vec<_> = log.iter().map(|r| r.result.as_str()).collect();
    results.sort();
    assert_eq!(results, vec!["admitted", "already_checked_in", "revoked"]);
    // A station splits a long queue; one upload carries at most 500.
    let too_many: Vec<OfflineScanDto> = (0..=app::passes::dto::MAX_SYNC_BATCH)
        .map(|i| scan(&format!("bulk-{i:06}"), &code, local(1, 10, 59), &stamp_a))
        .collect();
    assert!(matches!(
        door::sync_offline(db, &ring, &desk_a, "tablet-a", too_many, local(1, 11, 8), Locale::En).await,
        Err(AppError::Invalid { field, .. }) if field == "scans"
    ));
    // Members cannot upload.
    assert!(
        door::sync_offline(db, &ring, &member, "x", vec![], now(), Locale::En)
            .await
            .is_err()
    );
    t.close().await;
}

on_both_databases!(
    offline_scans_sync_once_and_report_conflicts,
    verdicts_show_age_band_consent_and_free_seats,
    no_shows_free_the_rest_strike_and_can_be_pardoned,
    exit_scans_undo_and_the_today_board,
    the_door_sees_coworking_edits_at_once,
);
