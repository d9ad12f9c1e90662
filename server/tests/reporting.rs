//! Directors' reports against SQLite and PostgreSQL: every headline metric
//! on a small hand-worked fixture (closure, a booking across an hour
//! boundary, a no-show whose freed time is booked again, a visitor who turns
//! 18 mid-range), suppression in the regional roll-up, who may see what, and
//! the CSV / XLSX exports read back.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::domain::codes::{AppStatus, BookingStatus, ClubPlace, EventPlace};
use app::domain::direction::Direction;
use app::domain::pass::PassKind;
use app::domain::people::{Education, Occupation, Role, Settlement};
use app::error::AppError;
use app::i18n::Locale;
use app::model::{
    booking, center, check_in, closure, club, club_attendance, club_member, club_session, event,
    event_registration, opening_hours, pass, person, program, program_application,
};
use app::reporting::dto::{CenterReportDto, ReportQuery};
use app::reporting::service as reports;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{center_id, make_user, now, space_of, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, Set,
};

/// Local (UTC+5) time on a day of November 2026.
fn nov(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
    tz.with_ymd_and_hms(2026, 11, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Fixture {
    center: i32,
    director: CurrentUser,
}

async fn make_person(
    db: &DatabaseConnection,
    name: &str,
    birth: NaiveDate,
    settlement: &str,
    occupation: &str,
) -> i32 {
    person::ActiveModel {
        full_name: Set(name.into()),
        birth_date: Set(birth),
        phone: Set(None),
        email: Set(None),
        preferred_lang: Set(Locale::Ru),
        created_at: Set(nov(1, 9, 0)),
        iin: Set(None),
        settlement: Set(Settlement::parse(settlement).unwrap()),
        occupation: Set(Occupation::parse(occupation).unwrap()),
        education: Set(Education::Secondary),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

#[allow(clippy::too_many_arguments)]
async fn make_booking(
    db: &DatabaseConnection,
    space: i32,
    person: i32,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    party: i32,
    status: &str,
    created: DateTime<Utc>,
    no_show_at: Option<DateTime<Utc>>,
) -> i32 {
    booking::ActiveModel {
        person_id: Set(person),
        space_id: Set(space),
        starts_at: Set(from),
        ends_at: Set(to),
        party_size: Set(party),
        status: Set(BookingStatus::parse(status).unwrap()),
        created_by: Set(1),
        created_at: Set(created),
        cancelled_at: Set(None),
        cancelled_by: Set(None),
        request_key: Set(None),
        purpose: Set(None),
        decision_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        series_key: Set(None),
        no_show_at: Set(no_show_at),
        pardoned_at: Set(None),
        pardoned_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn make_pass(db: &DatabaseConnection, center: i32, person: i32, booking: Option<i32>) -> i32 {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    pass::ActiveModel {
        person_id: Set(person),
        booking_id: Set(booking),
        kind: Set(if booking.is_some() {
            PassKind::Booking
        } else {
            PassKind::Membership
        }),
        center_id: Set(center),
        valid_from: Set(nov(1, 0, 0)),
        valid_until: Set(nov(1, 0, 0) + chrono::Duration::days(60)),
        key_id: Set(1),
        code: Set(format!("test-report-pass-{center}-{n}")),
        revoked_at: Set(None),
        issued_at: Set(nov(1, 0, 0)),
        club_id: Set(None),
        event_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn scan(
    db: &DatabaseConnection,
    f: &Fixture,
    pass: i32,
    person: i32,
    space: Option<i32>,
    at: DateTime<Utc>,
    undone: bool,
) {
    let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
    check_in::ActiveModel {
        pass_id: Set(pass),
        person_id: Set(person),
        center_id: Set(f.center),
        space_id: Set(space),
        scanned_at: Set(at),
        scanned_by: Set(f.director.account_id),
        local_day: Set(at.with_timezone(&tz).date_naive()),
        checked_out_at: Set(None),
        checked_out_by: Set(None),
        undone_at: Set(undone.then_some(at)),
        undone_by: Set(undone.then_some(f.director.account_id)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// A district center "Testau" open Mon–Fri 10–20, Sat 10–16, closed
/// Sunday, with a closure on Wednesday 4 November. Week of 2–8 November:
/// open minutes 600 × 4 + 360 = 2760. A photo studio (1 room) and a
/// coworking pool of 4 seats: available 2760 + 4 × 2760 = 13 800.
async fn fixture(db: &DatabaseConnection) -> Fixture {
    let regional = center_id(db, "karaganda-regional").await;
    let mut c = center::Entity::find_by_id(regional)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model()
        .reset_all();
    c.id = NotSet;
    c.parent_id = Set(Some(regional));
    c.slug = Set("testau".into());
    c.name_en = Set("Testau".into());
    c.timezone = Set("Asia/Almaty".into());
    let c = c.insert(db).await.unwrap().id;
    for wd in 0..6i16 {
        opening_hours::ActiveModel {
            center_id: Set(c),
            weekday: Set(wd),
            opens_min: Set(600),
            closes_min: Set(if wd == 5 { 960 } else { 1200 }),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    for (kind, cap) in [("photo_studio", 1), ("coworking", 4)] {
        let mut s = space_of(db, regional, kind)
            .await
            .into_active_model()
            .reset_all();
        s.id = NotSet;
        s.center_id = Set(c);
        s.capacity = Set(cap);
        s.active = Set(true);
        s.insert(db).await.unwrap();
    }
    let director = make_user(db, Role::Director, Some(c), "Director D").await;
    closure::ActiveModel {
        center_id: Set(c),
        day: Set(date(2026, 11, 4)),
        reason: Set("Санитарный день".into()),
        created_by: Set(director.account_id),
        created_at: Set(nov(1, 9, 0)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let f = Fixture {
        center: c,
        director,
    };
    let studio = space_of(db, c, "photo_studio").await.id;
    let cowork = space_of(db, c, "coworking").await.id;

    // Aruzhan turns 18 on Wednesday 4 November: a pupil from the city.
    let aruzhan = make_person(db, "Аружан", date(2008, 11, 4), "city", "pupil").await;
    // Dauren, 30, rural, not in education or employment; visited in October.
    let dauren = make_person(db, "Даурен", date(1996, 1, 1), "rural", "neet").await;
    // Saule, 26, a rural student with a membership pass.
    let saule = make_person(db, "Сауле", date(2000, 6, 1), "rural", "student").await;

    let early = nov(1, 9, 0);
    // Mon 10:30–12:30, attended: across two hour boundaries.
    let b1 = make_booking(
        db,
        studio,
        aruzhan,
        (nov(2, 10, 30), nov(2, 12, 30)),
        1,
        "confirmed",
        early,
        None,
    )
    .await;
    // Tue 14:00–16:00 no-show recorded 14:15; freed 14:15–16:00.
    make_booking(
        db,
        studio,
        saule,
        (nov(3, 14, 0), nov(3, 16, 0)),
        1,
        "no_show",
        early,
        Some(nov(3, 14, 15)),
    )
    .await;
    // Booked at 14:20 for 15:00–17:00: reclaims 15:00–16:00 (1 h).
    make_booking(
        db,
        studio,
        dauren,
        (nov(3, 15, 0), nov(3, 17, 0)),
        1,
        "confirmed",
        nov(3, 14, 20),
        None,
    )
    .await;
    // On the closure day: no available time, so no used time either.
    make_booking(
        db,
        studio,
        dauren,
        (nov(4, 12, 0), nov(4, 13, 0)),
        1,
        "confirmed",
        early,
        None,
    )
    .await;
    // Thu 19:00–21:00, attended, clipped at closing: 60 min.
    let b5 = make_booking(
        db,
        studio,
        aruzhan,
        (nov(5, 19, 0), nov(5, 21, 0)),
        1,
        "confirmed",
        early,
        None,
    )
    .await;
    // Fri, cancelled.
    make_booking(
        db,
        studio,
        saule,
        (nov(6, 10, 0), nov(6, 11, 0)),
        1,
        "cancelled",
        early,
        None,
    )
    .await;
    // Sat coworking 10–14 for two seats, attended: 480 seat-minutes.
    let b7 = make_booking(
        db,
        cowork,
        dauren,
        (nov(7, 10, 0), nov(7, 14, 0)),
        2,
        "confirmed",
        early,
        None,
    )
    .await;

    for (b, who, sp, at) in [
        (b1, aruzhan, studio, nov(2, 10, 25)),
        (b5, aruzhan, studio, nov(5, 18, 58)),
        (b7, dauren, cowork, nov(7, 9, 55)),
    ] {
        let p = make_pass(db, c, who, Some(b)).await;
        scan(db, &f, p, who, Some(sp), at, false).await;
    }
    let membership = make_pass(db, c, saule, None).await;
    // Twice on Tuesday (at the door and, on a reissued pass, at the
    // coworking desk): one visit.
    scan(db, &f, membership, saule, None, nov(3, 11, 0), false).await;
    let reissued = make_pass(db, c, saule, None).await;
    scan(db, &f, reissued, saule, Some(cowork), nov(3, 17, 0), false).await;
    // An undone scan is no visit.
    scan(db, &f, membership, saule, None, nov(6, 12, 0), true).await;
    // Dauren was here in October, so he is not new.
    let old = make_pass(db, c, dauren, None).await;
    scan(
        db,
        &f,
        old,
        dauren,
        None,
        nov(1, 0, 0) - chrono::Duration::days(12),
        false,
    )
    .await;
    // And he is inside now (the tests' clock: 1 December, 10:50).
    scan(
        db,
        &f,
        old,
        dauren,
        None,
        now() - chrono::Duration::minutes(30),
        false,
    )
    .await;
    f
}

fn week() -> ReportQuery {
    ReportQuery {
        from: Some("2026-11-02".into()),
        to: Some("2026-11-08".into()),
        ..Default::default()
    }
}

async fn report(db: &DatabaseConnection, f: &Fixture, q: ReportQuery) -> CenterReportDto {
    let (id, centers) = reports::authorize_center(db, &f.director, q.center, Locale::En)
        .await
        .unwrap();
    assert_eq!(id, f.center);
    reports::center_report(db, id, q, centers, now(), Locale::En)
        .await
        .unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

async fn every_metric_matches_the_hand_worked_week(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let f = fixture(db).await;
    let r = report(db, &f, week()).await;
    let h = &r.current;
    // Used: 120 + 15 (no-show until recorded) + 120 + 0 (closure) + 60 + 480.
    assert!(close(h.utilization, 795.0 / 13800.0), "{:?}", h.utilization);
    // Attended: 120 + 60 + 480.
    assert!(close(h.attended_utilization, 660.0 / 13800.0));
    // Bookings starting in the range: 5 confirmed + 1 no-show.
    assert_eq!(h.bookings, 6);
    assert!(close(h.no_show_rate, 1.0 / 6.0));
    assert!(close(h.cancellation_rate, 1.0 / 7.0));
    assert_eq!(h.reclaimed_hours, 1.0);
    assert_eq!((h.visits, h.unique_visitors, h.new_members), (4, 3, 2));
    assert_eq!((h.rural_reached, h.neet_reached), (2, 1));
    assert_eq!(r.inside_now, 1);

    let studio = &r.spaces[0];
    assert_eq!((studio.booked_hours, studio.available_hours), (5.3, 46.0));
    assert_eq!(
        (studio.bookings, studio.no_shows, studio.cancelled),
        (5, 1, 1)
    );
    assert!(close(studio.utilization, 315.0 / 2760.0));

    // Heatmap: Monday 10:00 holds 30 of 300 capacity-minutes (studio 60 +
    // 4 seats × 60), 11:00 60, 12:00 30; Sunday is closed.
    let col = |hour: u8| r.heat_hours.iter().position(|h| *h == hour).unwrap();
    assert_eq!(r.heat_hours.first(), Some(&10));
    assert_eq!(r.heat_hours.last(), Some(&19));
    assert!(close(r.heat[0].cells[col(10)], 0.1));
    assert!(close(r.heat[0].cells[col(11)], 0.2));
    assert!(close(r.heat[0].cells[col(12)], 0.1));
    assert_eq!(r.heat[6].cells[col(10)], None);

    // Aruzhan: 17 on Monday, 18 on Thursday.
    let band = |label: &str| {
        let b = r.age_bands.iter().find(|b| b.label == label).unwrap();
        (b.visits.unwrap(), b.visitors.unwrap())
    };
    assert_eq!(band("14–17"), (1, 1));
    assert_eq!(band("18–24"), (1, 1));
    assert_eq!(band("25–29"), (1, 1));
    assert_eq!(band("30–35"), (1, 1));

    // The previous week (26 Oct – 1 Nov) had no visits: Dauren's was on
    // 20 October.
    assert_eq!(r.prev_from, "2026-10-26");
    assert_eq!(r.previous.visits, 0);

    // The whole report as the dashboard gets it: every figure and label
    // above and the rest (spaces, heatmap, bands, activities, directions).
    // One snapshot for both databases: ids differ between them.
    insta::assert_json_snapshot!("center_report_of_the_hand_worked_week", r, {
        ".center.id" => "[center id]",
        ".centers[].id" => "[center id]",
        ".spaces[].space_id" => "[space id]",
    });

    // Space-kind filter: coworking alone.
    let cw = report(
        db,
        &f,
        ReportQuery {
            kind: Some("coworking".into()),
            ..week()
        },
    )
    .await;
    assert!(close(cw.current.utilization, 480.0 / 11040.0));
    assert_eq!(cw.spaces.len(), 1);
    t.close().await;
}

async fn roll_up_suppresses_small_counts_and_scopes_callers(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let f = fixture(db).await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let ids = reports::authorize_region(db, &admin).await.unwrap();
    let r = reports::regional_report(db, ids, week(), now(), Locale::En)
        .await
        .unwrap();
    assert!(r.rows.len() > 1, "admins compare every center");
    let row = r.rows.iter().find(|x| x.center.id == f.center).unwrap();
    assert_eq!(row.current.visits, 4);
    // One 14–17 visitor, two rural, one NEET: all suppressed.
    assert_eq!((row.teens, row.rural, row.neet), (None, None, None));
    let table = &r.tables(Locale::En)[0];
    let cells: Vec<String> = table
        .rows
        .iter()
        .find(|x| x[0].display() == "Testau")
        .unwrap()
        .iter()
        .map(|c| c.display())
        .collect();
    assert_eq!(
        cells[6], "<5",
        "3 unique visitors are suppressed: {cells:?}"
    );

    // The director sees only the own center in the roll-up and may not
    // open another center's dashboard.
    let mine = reports::authorize_region(db, &f.director).await.unwrap();
    assert_eq!(mine, Some(vec![f.center]));
    let regional = center_id(db, "karaganda-regional").await;
    assert_eq!(
        reports::authorize_center(db, &f.director, Some(regional), Locale::En)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    for role in [Role::FrontDesk, Role::Visitor, Role::Mentor] {
        let u = make_user(db, role, Some(f.center), "Other O").await;
        assert_eq!(
            reports::authorize_center(db, &u, None, Locale::En)
                .await
                .unwrap_err(),
            AppError::Forbidden,
            "{role:?}"
        );
        assert!(reports::authorize_region(db, &u).await.is_err());
    }
    t.close().await;
}

async fn exports_open_as_csv_and_xlsx(backend: Backend) {
    use calamine::{Data, Reader, Xlsx};
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let f = fixture(db).await;
    let (name, ctype, csv) = reports::export(
        db,
        &f.director,
        "center.csv",
        week(),
        Some("spaces"),
        now(),
        Locale::Ru,
    )
    .await
    .unwrap();
    assert_eq!(ctype, reports::CSV_TYPE);
    assert!(name.ends_with("-spaces.csv"), "{name}");
    assert!(csv.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("Забронировано, ч"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "header + two spaces");
    assert!(lines[1].contains(",5.3,"), "{}", lines[1]);

    let (name, ctype, bytes) = reports::export(
        db,
        &f.director,
        "center.xlsx",
        week(),
        None,
        now(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(ctype, reports::XLSX_TYPE);
    assert!(name.ends_with(".xlsx"));
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheets = wb.sheet_names();
    for s in [
        "summary",
        "spaces",
        "heatmap",
        "ages",
        "settlement",
        "occupation",
    ] {
        assert!(sheets.iter().any(|n| n == s), "{s} in {sheets:?}");
    }
    let summary = wb.worksheet_range("summary").unwrap();
    // Row 4 (0-based 3): utilization as a number, formatted as a percentage.
    assert_eq!(
        summary.get_value((3, 0)),
        Some(&Data::String("Occupancy (booked)".into()))
    );
    match summary.get_value((3, 1)) {
        Some(Data::Float(x)) => assert!((x - 795.0 / 13800.0).abs() < 1e-9),
        other => panic!("utilization cell: {other:?}"),
    }

    // Another director is refused, and an unknown table is not found.
    let other = make_user(
        db,
        Role::Director,
        Some(center_id(db, "temirtau").await),
        "X",
    )
    .await;
    let q = ReportQuery {
        center: Some(f.center),
        ..week()
    };
    assert_eq!(
        reports::export(db, &other, "center.csv", q, None, now(), Locale::En)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        reports::export(
            db,
            &f.director,
            "center.csv",
            week(),
            Some("nope"),
            now(),
            Locale::En
        )
        .await
        .unwrap_err(),
        AppError::NotFound
    );
    t.close().await;
}

/// Person ids of the fixture, in the order they were made.
async fn fixture_people(db: &DatabaseConnection) -> Vec<i32> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    person::Entity::find()
        .filter(person::Column::FullName.is_in(["Аружан", "Даурен", "Сауле"]))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect()
}

/// A culture club in the studio (two sessions held, one cancelled; three
/// marks of two members; one waiting), an ecology event in the coworking
/// (two of three registered checked in) and an IT program (two applications
/// in the week, one accepted; one earlier application completed).
async fn clubs_programs_and_events_by_direction(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let f = fixture(db).await;
    let people = fixture_people(db).await;
    let (aruzhan, dauren, saule) = (people[0], people[1], people[2]);
    let studio = space_of(db, f.center, "photo_studio").await.id;
    let cowork = space_of(db, f.center, "coworking").await.id;
    let k = club::ActiveModel {
        center_id: Set(f.center),
        space_id: Set(studio),
        leader_account_id: Set(None),
        name_kk: Set("Домбыра".into()),
        name_ru: Set("Домбра".into()),
        name_en: Set("Dombra".into()),
        description_kk: Set(String::new()),
        description_ru: Set(String::new()),
        description_en: Set(String::new()),
        direction: Set(Direction::of("culture")),
        weekday: Set(0),
        starts_min: Set(1080),
        duration_minutes: Set(60),
        term_start: Set(date(2026, 11, 1)),
        term_end: Set(date(2026, 12, 31)),
        capacity: Set(2),
        min_age: Set(0),
        max_age: Set(0),
        anonymous: Set(false),
        active: Set(true),
        created_at: Set(nov(1, 9, 0)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    for (who, status) in [(aruzhan, "member"), (saule, "member"), (dauren, "waiting")] {
        club_member::ActiveModel {
            club_id: Set(k),
            person_id: Set(who),
            status: Set(ClubPlace::parse(status).unwrap()),
            queued_at: Set(nov(1, 9, 0)),
            joined_at: Set((status == "member").then(|| nov(1, 9, 0))),
            left_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let mut held = Vec::new();
    for (day, cancelled) in [(2, false), (5, false), (6, true)] {
        let s = club_session::ActiveModel {
            club_id: Set(k),
            space_id: Set(studio),
            starts_at: Set(nov(day, 18, 0)),
            ends_at: Set(nov(day, 19, 0)),
            cancelled_at: Set(cancelled.then(|| nov(1, 9, 0))),
            cancel_reason: Set(cancelled.then(|| "Болезнь руководителя".to_string())),
            anonymous_count: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        held.push(s.id);
    }
    for (session, who) in [(held[0], aruzhan), (held[0], saule), (held[1], aruzhan)] {
        club_attendance::ActiveModel {
            session_id: Set(session),
            person_id: Set(who),
            marked_at: Set(nov(2, 18, 5)),
            marked_by: Set(f.director.account_id),
            via: Set(app::domain::codes::AttendanceVia::Roster),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let e = event::ActiveModel {
        center_id: Set(f.center),
        space_id: Set(Some(cowork)),
        name_kk: Set("Таза аула".into()),
        name_ru: Set("Чистый двор".into()),
        name_en: Set("Clean yard".into()),
        description_kk: Set(String::new()),
        description_ru: Set(String::new()),
        description_en: Set(String::new()),
        direction: Set(Direction::of("ecology")),
        starts_at: Set(nov(6, 18, 0)),
        ends_at: Set(nov(6, 19, 0)),
        capacity: Set(20),
        min_age: Set(0),
        active: Set(true),
        created_at: Set(nov(1, 9, 0)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    for (who, came) in [(aruzhan, true), (dauren, true), (saule, false)] {
        event_registration::ActiveModel {
            event_id: Set(e),
            person_id: Set(who),
            status: Set(EventPlace::Registered),
            queued_at: Set(nov(1, 9, 0)),
            registered_at: Set(Some(nov(1, 9, 0))),
            cancelled_at: Set(None),
            checked_in_at: Set(came.then(|| nov(6, 17, 55))),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let p = program::ActiveModel {
        center_id: Set(f.center),
        name_kk: Set("IT мектебі".into()),
        name_ru: Set("IT-школа".into()),
        name_en: Set("IT school".into()),
        description_kk: Set(String::new()),
        description_ru: Set(String::new()),
        description_en: Set(String::new()),
        direction: Set(Direction::of("it")),
        min_age: Set(None),
        max_age: Set(None),
        min_education: Set(None),
        rural_only: Set(false),
        occupations: Set(String::new()),
        capacity: Set(10),
        completion_percent: Set(70),
        applications_close_on: Set(None),
        active: Set(true),
        created_by: Set(f.director.account_id),
        created_at: Set(nov(1, 9, 0) - chrono::Duration::days(30)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    let october = nov(1, 9, 0) - chrono::Duration::days(12);
    for (who, status, created, decided, completed) in [
        (aruzhan, "accepted", nov(3, 9, 0), Some(nov(4, 9, 0)), None),
        (saule, "rejected", nov(3, 10, 0), Some(nov(4, 9, 0)), None),
        (
            dauren,
            "accepted",
            october,
            Some(october),
            Some(nov(6, 12, 0)),
        ),
    ] {
        program_application::ActiveModel {
            program_id: Set(p),
            person_id: Set(who),
            status: Set(AppStatus::parse(status).unwrap()),
            motivation: Set("Хочу научиться".into()),
            decision_reason: Set(None),
            decided_by: Set(decided.map(|_| f.director.account_id)),
            decided_at: Set(decided),
            created_at: Set(created),
            completed_at: Set(completed),
            certificate_code: Set(completed.map(|_| format!("cert-{who}"))),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }

    let r = report(db, &f, week()).await;
    let h = &r.current;
    // Sessions (2 × 60 studio minutes) and the event (4 seats × 60) use
    // their rooms, and were attended: 795 + 360 used, 660 + 360 attended.
    assert!(
        close(h.utilization, 1155.0 / 13800.0),
        "{:?}",
        h.utilization
    );
    assert!(close(h.attended_utilization, 1020.0 / 13800.0));
    // 3 marks of 2 members at 2 held sessions; the cancelled one is no session.
    assert!(close(h.club_attendance_rate, 0.75));
    assert_eq!(h.waitlist, 1);
    assert_eq!(
        (r.clubs[0].a, r.clubs[0].b, r.clubs[0].c, r.clubs[0].d),
        (2, 3, 2, 1)
    );
    assert_eq!((h.applications, h.accepted, h.completed), (2, 1, 1));
    assert_eq!((h.events_held, h.event_participants), (1, 2));
    let dirs: Vec<(String, u64, u64, u64, u64)> = r
        .directions
        .iter()
        .map(|d| {
            (
                d.direction.clone(),
                d.club_attendances,
                d.program_participants,
                d.events_held,
                d.event_participants,
            )
        })
        .collect();
    // The media studios' booked hours make a Media row of their own.
    let media_hours: f64 = r
        .spaces
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                app::domain::space::SpaceKind::PodcastStudio
                    | app::domain::space::SpaceKind::PhotoStudio
            )
        })
        .map(|s| s.booked_hours)
        .sum();
    assert!(media_hours > 0.0);
    let media = r
        .directions
        .iter()
        .find(|d| d.direction == "Media")
        .unwrap();
    assert!((media.booked_hours - media_hours).abs() < 0.15);
    // In the region's order of directions.
    assert_eq!(
        dirs,
        vec![
            ("Ecology".into(), 0, 0, 1, 2),
            ("Media".into(), 0, 0, 0, 0),
            ("Culture and art".into(), 3, 0, 0, 0),
            ("IT and AI".into(), 0, 1, 0, 0),
        ]
    );

    // Filtered to ecology: the event alone.
    let eco = report(
        db,
        &f,
        ReportQuery {
            direction: Some("ecology".into()),
            ..week()
        },
    )
    .await;
    assert!(eco.clubs.is_empty() && eco.programs.is_empty());
    assert_eq!(eco.current.event_participants, 2);
    directions_are_the_regions_data(db, &f).await;
    t.close().await;
}

/// The directions are the region's data: the admin renames one and the
/// report follows; a retired one stays on the club and in the report but is
/// no longer offered or accepted for new records; a new one is offered at
/// once. Directors cannot change the list; bad input writes nothing.
async fn directions_are_the_regions_data(db: &DatabaseConnection, f: &Fixture) {
    use app::centers::directions as dirs;
    use app::centers::dto::DirectionForm;
    use sea_orm::PaginatorTrait;
    let admin = make_user(db, Role::Admin, None, "Region Admin").await;
    let form = |code: &str, en: &str| DirectionForm {
        code: code.into(),
        name_kk: format!("{en} kk"),
        name_ru: format!("{en} ru"),
        name_en: en.into(),
    };
    let refused = dirs::save(db, &f.director, form("youth_policy", "Youth"), true, now()).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");

    dirs::save(db, &admin, form("culture", "Arts and crafts"), false, now())
        .await
        .unwrap();
    let r = report(db, f, week()).await;
    assert!(r
        .directions
        .iter()
        .any(|d| d.direction == "Arts and crafts"));
    assert_eq!(r.clubs[0].direction, "Arts and crafts");

    // Retired: kept by the club and the report, no longer offered or accepted.
    dirs::set_retired(db, &admin, "culture", true, now())
        .await
        .unwrap();
    let r = report(db, f, week()).await;
    assert!(r
        .directions
        .iter()
        .any(|d| d.direction == "Arts and crafts"));
    assert!(!r.direction_options.iter().any(|d| d.code == "culture"));
    let opts = app::clubs::manage::form_options(db, &f.director, Locale::En)
        .await
        .unwrap();
    assert!(!opts.directions.iter().any(|d| d.code == "culture"));
    let book = dirs::DirectionBook::load(db).await.unwrap();
    let e = book.check("culture", "direction", None).unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, problem: app::error::Problem::Retired } if field == "direction"),
        "{e:?}"
    );
    assert!(book.check("culture", "direction", Some("culture")).is_ok());

    // A new direction is offered at once; an unused one is deleted, not kept.
    dirs::save(
        db,
        &admin,
        form("youth_policy", "Youth policy"),
        true,
        now(),
    )
    .await
    .unwrap();
    let opts = app::clubs::manage::form_options(db, &f.director, Locale::Ru)
        .await
        .unwrap();
    assert!(opts
        .directions
        .iter()
        .any(|d| d.code == "youth_policy" && d.name == "Youth policy ru"));
    let before = app::model::direction::Entity::find()
        .count(db)
        .await
        .unwrap();
    for (bad, field) in [
        (form("Youth Policy", "Other"), "code"),
        (form("youth_policy", "Other"), "code"),
        (
            DirectionForm {
                name_en: "youth POLICY".into(),
                ..form("sports2", "Sports two")
            },
            "name_en",
        ),
        (
            DirectionForm {
                name_ru: "  ".into(),
                ..form("sports3", "Sports three")
            },
            "name_ru",
        ),
        (
            DirectionForm {
                name_kk: "ы".repeat(121),
                ..form("sports4", "Sports four")
            },
            "name_kk",
        ),
    ] {
        let e = dirs::save(db, &admin, bad, true, now()).await.unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid { field: got, .. } if got == field),
            "{field}: {e:?}"
        );
    }
    assert_eq!(
        app::model::direction::Entity::find()
            .count(db)
            .await
            .unwrap(),
        before
    );
    dirs::set_retired(db, &admin, "youth_policy", true, now())
        .await
        .unwrap();
    assert!(
        app::model::direction::Entity::find_by_id("youth_policy".to_string())
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    // Every change is in the audit log.
    let logged = app::model::audit_log::Entity::find()
        .filter(
            app::model::audit_log::Column::Kind.eq(app::domain::codes::AuditKind::DirectionChanged),
        )
        .count(db)
        .await
        .unwrap();
    assert_eq!(logged, 4);
}

on_both_databases!(
    clubs_programs_and_events_by_direction,
    every_metric_matches_the_hand_worked_week,
    roll_up_suppresses_small_counts_and_scopes_callers,
    exports_open_as_csv_and_xlsx,
);
