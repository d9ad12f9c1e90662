//! The door and the offline scanner (issue 20, items 5 and 7): a desk's
//! offline bundle holds only its centers' passes and no more of a holder
//! than a verdict shows; a membership card is checked in where it was
//! scanned; a pass for another center tells that desk nothing of its
//! holder; an offline scan dated outside its bundle is not applied.

use app::access::session::CurrentUser;
use app::domain::pass::peek_pass_id;
use app::domain::people::Role;
use app::i18n::{Locale, Msg};
use app::membership::members::membership_card;
use app::model::{audit_log, check_in, offline_scan, outbox};
use app::passes::dto::{OfflineScanDto, ScanVerdictDto};
use app::passes::{door, offline, scan as passes};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::common::callers::{session_cookie, user_by_email};
use crate::common::fixtures::{book_one, pass_of};
use crate::common::http::send;
use crate::common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};

/// The demo minor (15, no guardian's consent yet) as a member.
async fn demo_minor(db: &sea_orm::DatabaseConnection) -> CurrentUser {
    CurrentUser {
        role: Role::Visitor,
        ..user_by_email(db, "minor@demo.ortalyq.kz").await
    }
}

/// A desk scans over HTTP, as the scan station does.
async fn scan_over_http(app: &axum::Router, cookie: &str, body: String) -> ScanVerdictDto {
    let req = Request::post("/api/scan")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let (status, body, _) = send(app, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// A desk of the regional center downloads only the regional center's
/// passes (membership cards included), each holder as first name and last
/// initial with age band and the consent flag; the minor without consent
/// is flagged offline just as online.
async fn the_bundle_holds_only_the_desks_centers_and_what_a_verdict_shows(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let near = make_user(db, Role::Visitor, Some(regional), "Dana Karagandina").await;
    let far = make_user(db, Role::Visitor, Some(temirtau), "Bolat Temirtauly").await;
    let minor = demo_minor(db).await;
    let card = |u: CurrentUser| {
        let ring = keys();
        async move {
            membership_card(db, &ring, &u, now(), Locale::En)
                .await
                .unwrap()
                .code
        }
    };
    let (near_card, far_card, minor_card) = (
        card(near.clone()).await,
        card(far.clone()).await,
        card(minor.clone()).await,
    );
    let id = |code: &str| peek_pass_id(code).unwrap() as i32;
    let desk_a = make_user(db, Role::FrontDesk, Some(regional), "Desk Alpha").await;
    let desk_t = make_user(db, Role::FrontDesk, Some(temirtau), "Desk Tau").await;

    let bundle = door::offline_bundle(db, &ring, &desk_a, now(), Locale::En)
        .await
        .unwrap();
    let ids: Vec<i32> = bundle.passes.iter().map(|p| p.pass_id).collect();
    assert!(ids.contains(&id(&near_card)) && ids.contains(&id(&minor_card)));
    assert!(!ids.contains(&id(&far_card)), "another center's card");
    for p in &bundle.passes {
        let row = app::model::pass::Entity::find_by_id(p.pass_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.center_id, regional,
            "pass {} of another center",
            p.pass_id
        );
    }
    // Of the minor: what the desk's verdict shows, and nothing more.
    let entry = bundle
        .passes
        .iter()
        .find(|p| p.pass_id == id(&minor_card))
        .unwrap();
    assert_eq!(
        (
            entry.holder.as_str(),
            entry.age_band.as_deref(),
            entry.consent_missing
        ),
        ("Әлихан С.", Some("14–17"), true)
    );
    let json = serde_json::to_string(&bundle).unwrap();
    let birth = app::model::person::Entity::find_by_id(minor.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .birth_date;
    for secret in [
        "Серікұлы",
        "Karagandina",
        "Temirtauly",
        "Bolat",
        &birth.to_string(),
        &birth.format("%d.%m.%Y").to_string(),
    ] {
        assert!(!json.contains(secret), "the bundle holds {secret}");
    }
    // Offline, the station flags the minor as the server does.
    let (v, admitted) = offline::decide(&bundle, &[], &minor_card, local(1, 11, 0), Locale::En);
    assert_eq!(admitted, Some(id(&minor_card)));
    assert_eq!(
        (
            v.holder.as_deref(),
            v.age_band.as_deref(),
            v.consent_missing
        ),
        (Some("Әлихан С."), Some("14–17"), true)
    );

    // And the other way round: Temirtau's desk gets none of the regional cards.
    let theirs = door::offline_bundle(db, &ring, &desk_t, now(), Locale::En)
        .await
        .unwrap();
    let ids: Vec<i32> = theirs.passes.iter().map(|p| p.pass_id).collect();
    assert!(ids.contains(&id(&far_card)));
    assert!(!ids.contains(&id(&near_card)) && !ids.contains(&id(&minor_card)));
    t.close().await;
}

/// A regional member's card scanned at Temirtau is Temirtau's check-in:
/// its audit entry and webhook are Temirtau's, Temirtau's desk may undo it
/// and the regional desk may neither undo it nor scan it out.
async fn a_card_is_checked_in_where_it_was_scanned(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    for center in [regional, temirtau] {
        app::model::webhook_endpoint::ActiveModel {
            url: Set(format!("https://hooks.example.kz/{center}")),
            center_id: Set(Some(center)),
            events: Set("check_in".into()),
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
        .unwrap();
    }
    let member = make_user(db, Role::Visitor, Some(regional), "Dana Karagandina").await;
    let card = membership_card(db, &ring, &member, now(), Locale::En)
        .await
        .unwrap()
        .code;
    let desk_a = make_user(db, Role::FrontDesk, Some(regional), "Desk Alpha").await;
    let desk_t = make_user(db, Role::FrontDesk, Some(temirtau), "Desk Tau").await;

    let v = passes::scan(db, &ring, &desk_t, &card, local(1, 11, 0), Locale::En)
        .await
        .unwrap();
    assert!(v.admitted, "{v:?}");
    assert_eq!(v.holder.as_deref(), Some("Dana K."));
    let rows = check_in::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].center_id, temirtau, "checked in where scanned");
    let audit: Vec<_> = audit_log::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == app::audit::dto::AuditKind::CheckIn)
        .collect();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].center_id, Some(temirtau), "Temirtau's audit log");
    let hooks: Vec<Option<i32>> = outbox::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.event == "check_in")
        .map(|o| o.center_id)
        .collect();
    assert_eq!(hooks, vec![Some(temirtau)], "Temirtau's webhook only");

    // The regional desk cannot scan the member out of Temirtau, and learns
    // nothing of whose card it is.
    let v = door::check_out(db, &ring, &desk_a, &card, local(1, 11, 30), Locale::En)
        .await
        .unwrap();
    assert_eq!((v.code.as_str(), v.holder), ("other_center", None));
    // Undo: not the regional desk's to undo; Temirtau's desk may.
    let ci = rows[0].id;
    assert!(matches!(
        door::undo_check_in(db, &desk_a, ci, local(1, 11, 31)).await,
        Err(app::error::AppError::NotFound)
    ));
    door::undo_check_in(db, &desk_t, ci, local(1, 11, 32))
        .await
        .unwrap();
    let row = check_in::Entity::find_by_id(ci)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.undone_at, row.undone_by),
        (Some(local(1, 11, 32)), Some(desk_t.account_id))
    );
    t.close().await;
}

/// A regional booking's pass shown at Temirtau's desk (scan, exit scan,
/// offline upload) is refused with no name, age band, consent or booking
/// of its holder; the regional desk sees them.
async fn a_pass_for_another_center_shows_nothing_of_its_holder(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let app = server::router(crate::common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let pool = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Foreignova").await;
    let code = pass_of(db, book_one(db, &member, pool.id, local(1, 11, 0)).await.id)
        .await
        .code;
    let desk_t = make_user(db, Role::FrontDesk, Some(temirtau), "Desk Tau").await;
    let desk_a = make_user(db, Role::FrontDesk, Some(regional), "Desk Alpha").await;
    let cookie_t = session_cookie(db, desk_t.account_id).await;
    let form = |exit: bool| format!("code={code}&exit={exit}");

    for exit in [false, true] {
        let v = scan_over_http(&app, &cookie_t, form(exit)).await;
        assert_eq!(
            (
                v.admitted,
                v.code.as_str(),
                v.holder,
                v.age_band,
                v.consent_missing,
                v.what
            ),
            (false, "other_center", None, None, false, None),
            "exit={exit}"
        );
    }
    // Offline: the upload's report names nobody either.
    let stamp = door::offline_bundle(db, &ring, &desk_t, now(), Locale::En)
        .await
        .unwrap()
        .stamp;
    let scan = OfflineScanDto {
        nonce: "tau-000001".into(),
        code: code.clone(),
        scanned_at: local(1, 10, 55).timestamp(),
        exit: false,
        bundle: stamp,
    };
    let r = door::sync_offline(
        db,
        &ring,
        &desk_t,
        "tab",
        vec![scan],
        local(1, 11, 0),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(r.applied, 0);
    assert_eq!(r.denied.len(), 1);
    assert_eq!(r.denied[0].holder, None);
    assert_eq!(check_in::Entity::find().all(db).await.unwrap().len(), 0);

    // The member's own center's desk is told whose pass it is.
    let cookie_a = session_cookie(db, desk_a.account_id).await;
    let v = scan_over_http(&app, &cookie_a, form(false)).await;
    assert!(v.admitted, "{v:?}");
    assert_eq!(
        (v.holder.as_deref(), v.age_band.as_deref()),
        (Some("Aigerim F."), Some("18–24"))
    );
    t.close().await;
}

/// Offline scans are applied only when dated within the bundle they were
/// decided with, as the server stamped it for this desk: not before it
/// (back-dated), not a day after it, not with a stamp altered or made for
/// another desk. Nothing of a refused scan is checked in.
async fn offline_scans_outside_their_bundle_are_refused(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let ring = keys();
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Gaukhar G").await;
    let code = pass_of(db, book_one(db, &member, pool.id, local(1, 11, 0)).await.id)
        .await
        .code;
    let card = membership_card(db, &ring, &member, now(), Locale::En)
        .await
        .unwrap()
        .code;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk Alpha").await;
    let other_desk = make_user(db, Role::FrontDesk, Some(regional), "Desk Beta").await;
    let bundle_at = local(1, 11, 10);
    let stamp = door::offline_bundle(db, &ring, &desk, bundle_at, Locale::En)
        .await
        .unwrap()
        .stamp;
    let others = door::offline_bundle(db, &ring, &other_desk, bundle_at, Locale::En)
        .await
        .unwrap()
        .stamp;
    let (time, rest) = stamp.split_once('.').unwrap();
    let earlier = format!("{}.{rest}", time.parse::<i64>().unwrap() - 3600);
    let scan = |n: &str, code: &str, at: DateTime<Utc>, stamp: &str| OfflineScanDto {
        nonce: format!("nonce-{n}"),
        code: code.into(),
        scanned_at: at.timestamp(),
        exit: false,
        bundle: stamp.into(),
    };
    let refused = [
        // Back-dated: 10:55 is inside the booking's door window, but
        // before the bundle the desk decided with.
        scan("0001", &code, local(1, 10, 55), &stamp),
        // The stamp's time moved back an hour to cover it.
        scan("0002", &code, local(1, 10, 56), &earlier),
        // Another desk's bundle.
        scan("0003", &code, local(1, 11, 11), &others),
        // No bundle at all.
        scan("0004", &code, local(1, 11, 11), ""),
        // The next day, still with yesterday's bundle.
        scan("0005", &card, local(2, 11, 11), &stamp),
    ];
    let r = door::sync_offline(
        db,
        &ring,
        &desk,
        "tab",
        refused.to_vec(),
        local(2, 12, 0),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!((r.applied, r.denied.len()), (0, 5), "{r:?}");
    for d in &r.denied {
        assert_eq!(d.reason, Msg::DenyStaleBundle.text(Locale::En));
    }
    assert!(check_in::Entity::find().all(db).await.unwrap().is_empty());
    let results: Vec<String> = offline_scan::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.result)
        .collect();
    assert_eq!(results, vec!["stale_bundle"; 5]);

    // Scanned after the bundle was made: applied, at the scan's time.
    let r = door::sync_offline(
        db,
        &ring,
        &desk,
        "tab",
        vec![scan("0006", &code, local(1, 11, 12), &stamp)],
        local(1, 11, 20),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(r.applied, 1, "{r:?}");
    let rows = check_in::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].scanned_at, local(1, 11, 12));
    t.close().await;
}

on_both_databases!(
    the_bundle_holds_only_the_desks_centers_and_what_a_verdict_shows,
    a_card_is_checked_in_where_it_was_scanned,
    a_pass_for_another_center_shows_nothing_of_its_holder,
    offline_scans_outside_their_bundle_are_refused,
);
