//! Setting up the region from the app (issue 21): the regional admin opens,
//! edits, deactivates and reactivates centers; the holiday calendar is data
//! (movable holidays per year) and a center may open on a holiday.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::audit::dto::AuditKind;
use app::booking::service as booking;
use app::centers::admin_dto::{CenterForm, HolidayForm};
use app::centers::{admin, calendar};
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{audit_log, booking as booking_row, center, holiday, opening_hours, space};
use axum::body::Body;
use axum::http::{header, Request};
use common::fixtures::book_one;
use common::http::answer;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};

/// A district center open Monday to Friday 10:00–20:00, Friday evenings
/// until 02:00, Saturdays 12:00–18:00.
pub fn aktas_form() -> CenterForm {
    let mut f = CenterForm {
        name_kk: "Ақтас кентінің жастар ресурстық орталығы".into(),
        name_ru: "Молодёжный ресурсный центр посёлка Актас".into(),
        name_en: "Aktas Settlement Youth Center".into(),
        district: "Ақтас кенті".into(),
        settlement: "rural".into(),
        address: "Ақтас кенті, Тәуелсіздік көшесі, 12".into(),
        timezone: "Asia/Almaty".into(),
        phone: "8 (710) 312-34-56".into(),
        email: "Aktas@Jastar.kz".into(),
        description_kk: "Аудан жастарына арналған коворкинг пен студиялар.".into(),
        ..Default::default()
    };
    f.mon_opens = "10:00".into();
    f.mon_closes = "20:00".into();
    f.tue_opens = "10:00".into();
    f.tue_closes = "20:00".into();
    f.wed_opens = "10:00".into();
    f.wed_closes = "20:00".into();
    f.thu_opens = "10:00".into();
    f.thu_closes = "20:00".into();
    f.fri_opens = "18:00".into();
    f.fri_closes = "02:00".into();
    f.sat_opens = "12:00".into();
    f.sat_closes = "18:00".into();
    f
}

/// A copy of a seeded space in another center (the spaces pages are
/// another piece of work).
async fn copy_space(db: &DatabaseConnection, from: space::Model, center: i32) -> space::Model {
    let mut am = from.into_active_model().reset_all();
    am.id = sea_orm::ActiveValue::NotSet;
    am.center_id = Set(center);
    am.insert(db).await.unwrap()
}

async fn audits(db: &DatabaseConnection, kind: AuditKind) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(kind))
        .count(db)
        .await
        .unwrap()
}

/// Centers, opening hours and audit rows: what a refused form must leave.
async fn footprint(db: &DatabaseConnection) -> (u64, u64, u64) {
    (
        center::Entity::find().count(db).await.unwrap(),
        opening_hours::Entity::find().count(db).await.unwrap(),
        audit_log::Entity::find().count(db).await.unwrap(),
    )
}

async fn admin_of(db: &DatabaseConnection) -> CurrentUser {
    make_user(db, Role::Admin, None, "Region Admin").await
}

fn field_problem(r: Result<impl std::fmt::Debug, AppError>) -> (String, Problem) {
    match r {
        Err(AppError::Invalid { field, problem }) => (field, problem),
        other => panic!("expected a refused field, got {other:?}"),
    }
}

async fn a_new_center_opens_with_evenings_past_midnight(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let admin = admin_of(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let id = admin::create(db, &admin, aktas_form(), now())
        .await
        .unwrap();
    let c = center::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.slug, "aktas-settlement-youth-center");
    assert_eq!(c.parent_id, Some(regional));
    assert!(c.active);
    assert_eq!(c.phone, "+77103123456");
    assert_eq!(c.email, "aktas@jastar.kz");
    assert_eq!(c.settlement, app::domain::people::Settlement::Rural);
    assert_eq!(audits(db, AuditKind::CenterCreated).await, 1);
    // The edit form shows the hours as entered.
    let dto = admin::get(db, &admin, id, Locale::En).await.unwrap();
    assert_eq!(
        (dto.form.fri_opens.as_str(), dto.form.fri_closes.as_str()),
        ("18:00", "02:00")
    );
    assert_eq!(dto.form.sun_opens, "");

    // A room there offers Friday's evening up to 02:00 on Saturday.
    let studio = copy_space(db, space_of(db, regional, "podcast_studio").await, id).await;
    let week = booking::availability(db, studio.id, 0, now(), Locale::En)
        .await
        .unwrap();
    let friday = week
        .days
        .iter()
        .find(|d| d.iso_date == "2026-12-04")
        .unwrap();
    let labels: Vec<&str> = friday.slots.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels.first(), Some(&"18:00–19:00"));
    assert_eq!(labels.last(), Some(&"01:00–02:00"), "{labels:?}");
    let sunday = week
        .days
        .iter()
        .find(|d| d.iso_date == "2026-12-06")
        .unwrap();
    assert!(sunday.closed);
    // A member books the hour after midnight.
    let member = make_user(db, Role::Visitor, Some(id), "Night Owl").await;
    let b = book_one(db, &member, studio.id, local(5, 1, 0)).await;
    assert_eq!(b.starts_at, local(5, 1, 0));
    // 02:00 is past closing.
    let late = booking::book(db, &keys(), &member, studio.id, local(5, 2, 0), 1, now()).await;
    assert!(late.is_err(), "{late:?}");

    // The admin renames it and moves Saturday; the slug stays.
    let mut f = aktas_form();
    f.name_en = "Aktas Youth Center".into();
    f.sat_opens = "02:00".into();
    f.sat_closes = "08:00".into();
    admin::update(db, &admin, id, f, now()).await.unwrap();
    let c = center::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.name_en.as_str(), c.slug.as_str()),
        ("Aktas Youth Center", "aktas-settlement-youth-center")
    );
    assert_eq!(audits(db, AuditKind::CenterChanged).await, 1);
    // A second center of the same English stem gets its own slug.
    let mut f = aktas_form();
    f.name_kk = "Басқа".into();
    f.name_ru = "Другой".into();
    f.name_en = "Aktas Settlement Youth Center".into();
    let other = admin::create(db, &admin, f, now()).await.unwrap();
    let c = center::Entity::find_by_id(other)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.slug, "aktas-settlement-youth-center-2");
    t.close().await;
}

async fn bad_center_forms_write_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let admin = admin_of(db).await;
    let temirtau = center_id(db, "temirtau").await;
    let seeded = center::Entity::find_by_id(temirtau)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let before = footprint(db).await;

    // The same Russian name as Temirtau's, in capitals.
    let mut f = aktas_form();
    f.name_ru = seeded.name_ru.to_uppercase();
    assert_eq!(
        field_problem(admin::create(db, &admin, f, now()).await),
        ("name_ru".into(), Problem::Taken)
    );
    let mut f = aktas_form();
    f.timezone = "Asia/Karaganda".into();
    assert_eq!(
        field_problem(admin::create(db, &admin, f, now()).await),
        ("timezone".into(), Problem::TimeZone)
    );
    // Friday until 02:00 but Saturday from 01:00.
    let mut f = aktas_form();
    f.sat_opens = "01:00".into();
    assert_eq!(
        field_problem(admin::create(db, &admin, f, now()).await),
        ("fri_closes".into(), Problem::Overlap)
    );
    let mut f = aktas_form();
    f.phone = "12345".into();
    assert_eq!(
        field_problem(admin::create(db, &admin, f, now()).await),
        ("phone".into(), Problem::Phone)
    );
    let mut f = aktas_form();
    f.name_en = String::new();
    assert_eq!(
        field_problem(admin::create(db, &admin, f, now()).await),
        ("name_en".into(), Problem::Required)
    );
    assert_eq!(footprint(db).await, before);

    // Editing Temirtau to the regional center's English name is refused;
    // keeping its own names is not a clash.
    let regional = center::Entity::find()
        .filter(center::Column::ParentId.is_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut own = admin::get(db, &admin, temirtau, Locale::En)
        .await
        .unwrap()
        .form;
    own.district = "Теміртау қаласы".into();
    own.address = "Республика даңғылы, 1".into();
    let mut clash = own.clone();
    clash.name_en = regional.name_en.clone();
    assert_eq!(
        field_problem(admin::update(db, &admin, temirtau, clash, now()).await),
        ("name_en".into(), Problem::Taken)
    );
    own.sun_opens = "25:00".into();
    own.sun_closes = "26:00".into();
    assert_eq!(
        field_problem(admin::update(db, &admin, temirtau, own, now()).await),
        ("sun_opens".into(), Problem::Time)
    );
    assert_eq!(footprint(db).await, before);
    assert_eq!(
        center::Entity::find_by_id(temirtau)
            .one(db)
            .await
            .unwrap()
            .unwrap(),
        seeded
    );
    t.close().await;
}

/// The registration form posted as JSON (the answer carries the error).
async fn register_at(app: &axum::Router, center: i32) -> (u16, String) {
    let body = format!(
        "form[full_name]=Aru+Test&form[birth_date]=2004-02-02&form[phone]=%2B77015550177\
         &form[email]=&form[password]=dombra-2026&form[lang]=en&form[home_center_id]={center}\
         &form[settlement]=city&form[occupation]=student&form[education]=bachelor&form[iin]="
    );
    let req = Request::post("/api/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    let a = answer(app, req).await;
    (a.status.as_u16(), a.text())
}

async fn public_centers(app: &axum::Router) -> Vec<app::centers::dto::CenterDto> {
    let req = Request::post("/api/centers")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    serde_json::from_slice(&answer(app, req).await.body).unwrap()
}

async fn a_deactivated_center_takes_nothing_new(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(common::state(db));
    let admin = admin_of(db).await;
    let temirtau = center_id(db, "temirtau").await;
    let studio = space::Entity::find()
        .filter(space::Column::CenterId.eq(temirtau))
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let member = make_user(db, Role::Visitor, Some(temirtau), "Temirtau Member").await;
    let kept = book_one(db, &member, studio.id, local(3, 12, 0)).await;
    assert!(public_centers(&app).await.iter().any(|c| c.id == temirtau));

    admin::set_active(db, &admin, temirtau, false, now())
        .await
        .unwrap();
    assert_eq!(audits(db, AuditKind::CenterDeactivated).await, 1);
    // Gone from the public list, still on the admin's list as deactivated.
    assert!(!public_centers(&app).await.iter().any(|c| c.id == temirtau));
    let row = admin::list(db, &admin, Locale::En)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == temirtau)
        .unwrap();
    assert!(!row.active);
    // No new booking, no new member.
    let refused = booking::book(db, &keys(), &member, studio.id, local(3, 15, 0), 1, now()).await;
    assert_eq!(
        field_problem(refused),
        ("space_id".into(), Problem::Inactive)
    );
    let (status, body) = register_at(&app, temirtau).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("\"inactive\"") && body.contains("home_center_id"),
        "{body}"
    );
    // The existing booking stays.
    let still = booking_row::Entity::find_by_id(kept.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, kept.status);
    // Its report and the regional roll-up still show it, marked.
    let q = app::reporting::dto::ReportQuery::default();
    let report = app::reporting::service::center_report(
        db,
        temirtau,
        q.clone(),
        Vec::new(),
        now(),
        Locale::En,
    )
    .await
    .unwrap();
    assert!(!report.center.active);
    let region = app::reporting::service::regional_report(db, None, q, now(), Locale::En)
        .await
        .unwrap();
    let row = region
        .rows
        .iter()
        .find(|r| r.center.id == temirtau)
        .unwrap();
    assert!(!row.center.active);
    // The regional center itself cannot be deactivated.
    let regional = center_id(db, "karaganda-regional").await;
    assert_eq!(
        admin::set_active(db, &admin, regional, false, now()).await,
        Err(AppError::Forbidden)
    );

    // Reactivated, it books and registers again.
    admin::set_active(db, &admin, temirtau, true, now())
        .await
        .unwrap();
    booking::book(db, &keys(), &member, studio.id, local(3, 15, 0), 1, now())
        .await
        .unwrap();
    assert!(public_centers(&app).await.iter().any(|c| c.id == temirtau));
    let (status, body) = register_at(&app, temirtau).await;
    assert!(status < 300, "{status} {body}");
    t.close().await;
}

fn kurban_ait(day: &str) -> HolidayForm {
    HolidayForm {
        day: day.into(),
        name_kk: "Құрбан айт".into(),
        name_ru: "Курбан айт".into(),
        name_en: "Kurban ait".into(),
    }
}

async fn a_movable_holiday_closes_the_day_and_an_opening_opens_it(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let admin = admin_of(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(regional), "Regional Director").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Holiday Member").await;
    let studio = space_of(db, regional, "podcast_studio").await;

    // Thursday 10 December is open before the admin enters the holiday.
    let thursday = |w: &app::booking::dto::AvailabilityDto| {
        w.days
            .iter()
            .find(|d| d.iso_date == "2026-12-10")
            .cloned()
            .unwrap()
    };
    let week = booking::availability(db, studio.id, 1, now(), Locale::En)
        .await
        .unwrap();
    assert!(!thursday(&week).closed);
    assert_eq!(
        calendar::add_holiday(db, &admin, kurban_ait("2026-12-10"), now()).await,
        Ok(2026)
    );
    assert_eq!(audits(db, AuditKind::HolidayChanged).await, 1);
    let week = booking::availability(db, studio.id, 1, now(), Locale::En)
        .await
        .unwrap();
    let day = thursday(&week);
    assert!(day.closed && day.slots.is_empty());
    assert_eq!(day.closed_reason.as_deref(), Some("Kurban ait"));
    let ru = booking::availability(db, studio.id, 1, now(), Locale::Ru)
        .await
        .unwrap();
    assert_eq!(thursday(&ru).closed_reason.as_deref(), Some("Курбан айт"));
    let refused = booking::book(db, &keys(), &member, studio.id, local(10, 12, 0), 1, now()).await;
    assert_eq!(refused.err(), Some(AppError::SlotNotOffered));
    // The same day again is refused; the year's view lists it as movable.
    assert_eq!(
        field_problem(calendar::add_holiday(db, &admin, kurban_ait("2026-12-10"), now()).await),
        ("day".into(), Problem::Taken)
    );
    let y = calendar::year_view(db, &admin, Some(2026), now(), Locale::En)
        .await
        .unwrap();
    // 14 fixed (with Orthodox Christmas), the demo's Kurban ait and this one.
    assert_eq!(y.holidays.len(), 16);
    assert!(y
        .holidays
        .iter()
        .any(|h| h.movable && h.iso_day == "2026-12-10"));
    let y27 = calendar::year_view(db, &admin, Some(2027), now(), Locale::En)
        .await
        .unwrap();
    // The next year: 14 fixed and the demo's Kurban ait, not this one.
    assert_eq!(y27.holidays.len(), 15);
    let movable: Vec<_> = y27.holidays.iter().filter(|h| h.movable).collect();
    assert_eq!(movable.len(), 1);
    assert_eq!(movable[0].iso_day, "2027-05-16");

    // The director opens the center that day for an event: usual hours.
    calendar::add_opening(db, &director, regional, "2026-12-10", "Debate final", now())
        .await
        .unwrap();
    assert_eq!(audits(db, AuditKind::HolidayOpening).await, 1);
    let week = booking::availability(db, studio.id, 1, now(), Locale::En)
        .await
        .unwrap();
    let day = thursday(&week);
    assert!(!day.closed && !day.slots.is_empty());
    assert_eq!(day.closed_reason, None);
    booking::book(db, &keys(), &member, studio.id, local(10, 12, 0), 1, now())
        .await
        .unwrap();
    // Only the center that opened is open.
    let other = space::Entity::find()
        .filter(space::Column::CenterId.eq(temirtau))
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let week = booking::availability(db, other.id, 1, now(), Locale::En)
        .await
        .unwrap();
    assert!(thursday(&week).closed);
    // An opening needs a holiday; a fixed one (16 December) works too.
    assert_eq!(
        field_problem(
            calendar::add_opening(db, &director, regional, "2026-12-11", "Concert", now()).await
        ),
        ("day".into(), Problem::Date)
    );
    calendar::add_opening(
        db,
        &director,
        regional,
        "2026-12-16",
        "Independence concert",
        now(),
    )
    .await
    .unwrap();
    let listed = calendar::list_openings(
        db,
        Some(vec![regional]),
        local(1, 0, 0).date_naive(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].holiday, "Independence Day");

    // Closed again: the day's bookings stay as they are, new ones are refused.
    let opening = listed[0].id;
    calendar::remove_opening(db, &director, opening, now())
        .await
        .unwrap();
    let week = booking::availability(db, studio.id, 1, now(), Locale::En)
        .await
        .unwrap();
    assert!(thursday(&week).closed);
    // Removing the movable holiday reopens the day; fixed ones stay.
    let kurban = holiday::Entity::find()
        .filter(holiday::Column::Year.eq(2026))
        .filter(holiday::Column::Month.eq(12))
        .filter(holiday::Column::Day.eq(10))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let fixed = holiday::Entity::find()
        .filter(holiday::Column::Year.is_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        calendar::remove_holiday(db, &admin, fixed.id, now()).await,
        Err(AppError::Forbidden)
    );
    calendar::remove_holiday(db, &admin, kurban.id, now())
        .await
        .unwrap();
    let week = booking::availability(db, studio.id, 1, now(), Locale::En)
        .await
        .unwrap();
    assert!(!thursday(&week).closed);
    assert_eq!(audits(db, AuditKind::HolidayChanged).await, 2);
    t.close().await;
}

on_both_databases!(
    a_new_center_opens_with_evenings_past_midnight,
    bad_center_forms_write_nothing,
    a_deactivated_center_takes_nothing_new,
    a_movable_holiday_closes_the_day_and_an_opening_opens_it,
);
