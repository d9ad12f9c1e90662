//! The synthetic history generator (`ortalyq seed-synthetic`, demo
//! history) on SQLite and PostgreSQL: what it writes obeys the booking
//! rules, its passes are genuine, the reports read it, and the database
//! keeps working for new rows afterwards. Also spaces' directions in the
//! rules form and the reports.

#[macro_use]
mod common;

use std::collections::{HashMap, HashSet};

use app::centers::dto::SpaceRulesForm;
use app::centers::service::center_tz;
use app::domain::codes::BookingStatus;
use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{
    account, booking, center, check_in, closure, club_attendance, club_session, opening_hours,
    pass, person, space,
};
use app::reporting::dto::ReportQuery;
use app::reporting::service as reports;
use chrono::{Datelike, Duration, Timelike};
use common::{keys, make_user, now, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use server::seed::synthetic::{self, Options};

async fn count<E: EntityTrait>(db: &DatabaseConnection) -> u64
where
    E::Model: Sync,
{
    E::find().count(db).await.unwrap()
}

/// Every booking inside its center's opening hours on an open day, rooms
/// never double booked, seat pools never over capacity, passes genuine and
/// revoked for cancellations, check-ins only for attended bookings.
async fn check_rules(db: &DatabaseConnection) {
    let centers: HashMap<i32, center::Model> = center::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let spaces: HashMap<i32, space::Model> = space::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let hours: HashMap<(i32, i16), (i32, i32)> = opening_hours::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| ((h.center_id, h.weekday), (h.opens_min, h.closes_min)))
        .collect();
    let closures: HashSet<(i32, chrono::NaiveDate)> = closure::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.center_id, c.day))
        .collect();
    let holidays = app::centers::calendar::load(db).await.unwrap();
    let bookings = booking::Entity::find().all(db).await.unwrap();
    let passes: HashMap<i32, pass::Model> = pass::Entity::find()
        .filter(pass::Column::BookingId.is_not_null())
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.booking_id.unwrap(), p))
        .collect();
    let checked: HashMap<i32, check_in::Model> = check_in::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.pass_id, c))
        .collect();
    let trusted = keys().trusted;
    let mut by_space: HashMap<i32, Vec<&booking::Model>> = HashMap::new();
    for b in &bookings {
        let s = &spaces[&b.space_id];
        let c = &centers[&s.center_id];
        let tz = center_tz(c);
        let (start, end) = (b.starts_at.with_timezone(&tz), b.ends_at.with_timezone(&tz));
        let day = start.date_naive();
        assert!(b.ends_at <= now(), "booking {} is in the future", b.id);
        assert!(!holidays.is_holiday(day), "booking on a holiday: {day}");
        assert!(!closures.contains(&(c.id, day)), "booking on a closure");
        let (opens, closes) = hours[&(c.id, day.weekday().num_days_from_monday() as i16)];
        let (a, z) = (
            (start.hour() * 60 + start.minute()) as i32,
            (end.hour() * 60 + end.minute()) as i32,
        );
        assert!(
            a >= opens && z <= closes && end.date_naive() == day,
            "outside hours"
        );
        let p = &passes[&b.id];
        let claims = app::domain::pass::verify(&p.code, &trusted).expect("genuine pass");
        assert_eq!(claims.pass_id as i32, p.id);
        assert_eq!(claims.holder_id as i32, b.person_id);
        let ci = checked.get(&p.id);
        match b.status {
            BookingStatus::Confirmed => {
                assert!(ci.is_some(), "confirmed past booking without a visit")
            }
            BookingStatus::NoShow => assert!(ci.is_none() && b.no_show_at.is_some()),
            BookingStatus::Cancelled => {
                assert!(ci.is_none() && p.revoked_at.is_some());
                assert!(b.cancelled_at.unwrap() < b.starts_at);
            }
            other => panic!("unexpected status {other:?}"),
        }
        if b.status != BookingStatus::Cancelled {
            by_space.entry(b.space_id).or_default().push(b);
        }
    }
    for (sid, list) in by_space {
        let s = &spaces[&sid];
        let pooled = app::centers::service::rules_of(s).units(2) > 1;
        // Sweep over start/end events: seats (pool) or bookings (room) in
        // use at once.
        let mut events: Vec<(chrono::DateTime<chrono::Utc>, i32)> = Vec::new();
        for b in &list {
            let units = if pooled { b.party_size } else { 1 };
            events.push((b.starts_at, units));
            events.push((
                b.ends_at + Duration::minutes(s.buffer_minutes as i64),
                -units,
            ));
        }
        events.sort_by_key(|(t, d)| (*t, *d));
        let (mut now_used, mut peak) = (0, 0);
        for (_, d) in events {
            now_used += d;
            peak = peak.max(now_used);
        }
        let limit = if pooled { s.capacity } else { 1 };
        assert!(peak <= limit, "space {sid} holds {peak} > {limit}");
    }
}

async fn synthetic_region_follows_the_rules(backend: Backend) {
    let t = TestDb::empty(backend).await;
    let db = &t.db;
    let opts = Options {
        centers: 3,
        days: 21,
        members_per_center: 60,
        seed: 11,
    };
    let (c, _) = synthetic::seed_synthetic(db, &keys(), now(), opts)
        .await
        .unwrap();
    // What it says it wrote is what is there.
    assert_eq!(c.centers, count::<center::Entity>(db).await);
    assert_eq!(c.bookings, count::<booking::Entity>(db).await);
    assert_eq!(c.passes, count::<pass::Entity>(db).await);
    assert_eq!(c.check_ins, count::<check_in::Entity>(db).await);
    assert_eq!(c.club_sessions, count::<club_session::Entity>(db).await);
    assert_eq!(
        c.club_attendance,
        count::<club_attendance::Entity>(db).await
    );
    assert!(c.bookings > 500, "{c:?}");
    assert!(c.no_shows > 0 && c.cancelled > 0 && c.club_attendance > 0);
    // Three centers × (60 members + a director + a desk).
    assert_eq!(count::<person::Entity>(db).await, 3 * 62);
    check_rules(db).await;

    // The reports read it: the regional center's last three weeks.
    let admin = make_user(db, Role::Admin, None, "Region admin").await;
    let q = ReportQuery {
        from: Some("2026-11-10".into()),
        to: Some("2026-11-30".into()),
        ..Default::default()
    };
    let (id, centers) = reports::authorize_center(db, &admin, None, Locale::En)
        .await
        .unwrap();
    let r = reports::center_report(db, id, q.clone(), centers, now(), Locale::En)
        .await
        .unwrap();
    let h = &r.current;
    assert!(h.utilization.unwrap() > 0.05, "{h:?}");
    assert!(h.visits > 100 && h.unique_visitors > 10, "{h:?}");
    let ns = h.no_show_rate.unwrap();
    assert!((0.03..0.25).contains(&ns), "no-show rate {ns}");
    assert!(h.club_attendance_rate.unwrap() > 0.4);
    // Rooms of a direction: booked hours of the media studios (podcast,
    // photo) add up to the media row of the direction table.
    let media_rooms: f64 = r
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
    let media = r
        .directions
        .iter()
        .find(|d| d.direction == "Media")
        .expect("media row");
    assert!((media.booked_hours - media_rooms).abs() < 0.15, "{media:?}");
    let filtered = reports::center_report(
        db,
        id,
        ReportQuery {
            direction: Some("media".into()),
            ..q.clone()
        },
        Vec::new(),
        now(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(filtered.spaces.len(), 2);
    let region = reports::regional_report(db, None, q, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(region.rows.len(), 3);
    assert!(region.rows.iter().all(|row| row.current.bookings > 0));

    // New rows still get fresh ids (PostgreSQL sequences moved on).
    let newcomer = make_user(db, Role::Visitor, Some(id), "Newcomer").await;
    let s = space::Entity::find().one(db).await.unwrap().unwrap();
    booking::ActiveModel {
        person_id: Set(newcomer.person_id),
        space_id: Set(s.id),
        starts_at: Set(now() + Duration::days(1)),
        ends_at: Set(now() + Duration::days(1) + Duration::hours(1)),
        party_size: Set(1),
        status: Set(BookingStatus::Confirmed),
        created_by: Set(newcomer.account_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    // A synthetic director can sign in with the demo password.
    let director = person::Entity::find()
        .filter(person::Column::Email.eq("director1@synthetic.ortalyq.kz"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(director.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acc.role.as_str(), "director");
    assert!(app::access::session::verify_password_hash(
        &acc.password_hash,
        server::seed::DEMO_PASSWORD
    ));
    // A second run refuses: the database has centers.
    assert!(synthetic::seed_synthetic(db, &keys(), now(), opts)
        .await
        .is_err());
    t.close().await;
}

async fn demo_history_fills_the_past_only(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let before = count::<booking::Entity>(db).await;
    let c = synthetic::history(db, &keys(), now(), 14).await.unwrap();
    assert!(c.bookings > 100 && c.check_ins > 0, "{c:?}");
    assert_eq!(count::<booking::Entity>(db).await, before + c.bookings);
    check_rules_of_history(db, before).await;
    // The demo dashboard now has figures for the last two weeks.
    let admin = make_user(db, Role::Admin, None, "Region admin").await;
    let q = ReportQuery {
        from: Some("2026-11-17".into()),
        to: Some("2026-11-30".into()),
        ..Default::default()
    };
    let region = reports::regional_report(db, None, q, now(), Locale::En)
        .await
        .unwrap();
    assert!(region.rows.iter().all(|r| r.current.visits > 0));
    let _ = admin;
    // Only once.
    let again = synthetic::history(db, &keys(), now(), 14).await.unwrap();
    assert_eq!(again.bookings, 0);
    t.close().await;
}

/// History bookings end before today and never overlap the demo's rooms.
async fn check_rules_of_history(db: &DatabaseConnection, _before: u64) {
    let today_start = common::local(1, 0, 0);
    let past = booking::Entity::find()
        .filter(booking::Column::StartsAt.lt(today_start))
        .count(db)
        .await
        .unwrap();
    assert!(past > 0);
    assert!(
        booking::Entity::find()
            .filter(booking::Column::StartsAt.lt(today_start))
            .filter(booking::Column::EndsAt.gt(today_start))
            .count(db)
            .await
            .unwrap()
            == 0
    );
}

async fn space_direction_is_a_rule_directors_set(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let center = common::center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(center), "Director").await;
    app::model::account_center::ActiveModel {
        account_id: Set(director.account_id),
        center_id: Set(center),
    }
    .insert(db)
    .await
    .unwrap();
    let hall = common::space_of(db, center, "lecture_hall").await;
    let rules = app::centers::manage::space_rules(db, &director, hall.id, Locale::En)
        .await
        .unwrap();
    assert_eq!(rules.form.direction, "", "the hall serves every direction");
    let form = SpaceRulesForm {
        direction: "ecology".into(),
        ..rules.form.clone()
    };
    app::centers::manage::update_space_rules(db, &director, hall.id, form, now())
        .await
        .unwrap();
    let saved = space::Entity::find_by_id(hall.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        saved.direction.as_ref().map(|d| d.as_str()),
        Some("ecology")
    );
    // An unknown direction is refused, naming the field; nothing changes.
    let bad = SpaceRulesForm {
        direction: "astrology".into(),
        capacity: 3,
        ..rules.form.clone()
    };
    let err = app::centers::manage::update_space_rules(db, &director, hall.id, bad, now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid { field, .. } if field == "direction"),
        "{err:?}"
    );
    let kept = space::Entity::find_by_id(hall.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.direction.as_ref().map(|d| d.as_str()), kept.capacity),
        (Some("ecology"), saved.capacity)
    );
    // Back to every direction.
    app::centers::manage::update_space_rules(db, &director, hall.id, rules.form, now())
        .await
        .unwrap();
    let cleared = space::Entity::find_by_id(hall.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cleared.direction, None);
    t.close().await;
}

/// A region of a few members (a pilot district) is generated too: the club
/// rosters take whoever registered before the term instead of waiting for
/// members that do not exist.
async fn a_small_synthetic_region_is_generated(backend: Backend) {
    let t = TestDb::empty(backend).await;
    let db = &t.db;
    let opts = Options {
        centers: 1,
        days: 21,
        members_per_center: 10,
        seed: 5,
    };
    let (c, _) = synthetic::seed_synthetic(db, &keys(), now(), opts)
        .await
        .unwrap();
    assert_eq!(count::<person::Entity>(db).await, 12);
    assert!(c.club_sessions > 0, "{c:?}");
    check_rules(db).await;
    t.close().await;
}

/// `make run`'s region: the Karaganda regional center and its 14 district
/// and city centers, each named in Kazakh (the genitive), Russian and
/// English, with contacts, a description, its own opening hours and
/// spaces (the districts fewer than the regional center); clubs at the
/// regional center and beyond, mentors in every field, staff at several
/// centers, Kurban ait entered for two years, and the regional roll-up
/// lists all 15.
async fn demo_region_has_fifteen_centers(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(centers.len(), 15);
    let regional = &centers[0];
    assert_eq!(
        (regional.slug.as_str(), regional.parent_id),
        ("karaganda-regional", None)
    );
    assert_eq!(
        regional.name_kk,
        "Қарағанды облыстық жастар ресурстық орталығы"
    );
    let hours = opening_hours::Entity::find().all(db).await.unwrap();
    let spaces = space::Entity::find().all(db).await.unwrap();
    let hours_of = |id: i32| {
        let mut h: Vec<_> = hours
            .iter()
            .filter(|h| h.center_id == id)
            .map(|h| (h.weekday, h.opens_min, h.closes_min))
            .collect();
        h.sort_unstable();
        h
    };
    let spaces_of = |id: i32| spaces.iter().filter(|s| s.center_id == id).count();
    assert_eq!(spaces_of(regional.id), 6, "the regional center's full set");
    let genitive = ["ның", "нің", "дың", "дің", "тың", "тің"];
    for c in &centers {
        for text in [
            &c.name_kk,
            &c.name_ru,
            &c.name_en,
            &c.district,
            &c.address,
            &c.description_kk,
            &c.description_ru,
            &c.description_en,
        ] {
            assert!(!text.trim().is_empty(), "{}: an empty field", c.slug);
        }
        assert!(c.active && c.timezone == "Asia/Almaty", "{}", c.slug);
        assert!(
            c.email.contains('@') && c.phone.starts_with("+7"),
            "{}",
            c.slug
        );
        assert!(!hours_of(c.id).is_empty(), "{} has hours", c.slug);
        assert!(spaces_of(c.id) >= 1, "{} has a space", c.slug);
        if c.id == regional.id {
            continue;
        }
        assert_eq!(c.parent_id, Some(regional.id), "{}", c.slug);
        let stem = c
            .name_kk
            .strip_suffix(" жастар ресурстық орталығы")
            .unwrap_or_else(|| panic!("{}", c.name_kk));
        assert!(
            genitive.iter().any(|g| stem.ends_with(g)),
            "genitive: {}",
            c.name_kk
        );
        assert!(c.name_ru.starts_with("Молодёжный ресурсный центр "));
        assert!(c.name_en.ends_with(" Youth Resource Center"));
        assert!(spaces_of(c.id) < 6, "{} is smaller", c.slug);
    }
    let by_slug = |slug: &str| centers.iter().find(|c| c.slug == slug).unwrap();
    let abai = by_slug("abay-district");
    assert_eq!(abai.name_kk, "Абай ауданының жастар ресурстық орталығы");
    assert_eq!(abai.name_ru, "Молодёжный ресурсный центр Абайского района");
    let temirtau = by_slug("temirtau");
    assert_eq!(
        temirtau.name_kk,
        "Теміртау қаласының жастар ресурстық орталығы"
    );
    assert_eq!(
        temirtau.name_ru,
        "Молодёжный ресурсный центр города Темиртау"
    );
    // Cities and villages; hours of their own (some closed on Sunday).
    use app::domain::people::Settlement;
    assert!(
        centers
            .iter()
            .filter(|c| c.settlement == Settlement::Rural)
            .count()
            >= 5
    );
    let schedules: HashSet<_> = centers.iter().map(|c| hours_of(c.id)).collect();
    assert!(schedules.len() >= 4, "{schedules:?}");
    assert!(centers
        .iter()
        .any(|c| hours_of(c.id).iter().all(|(d, _, _)| *d != 6)));

    // Mentors in all seven fields.
    let fields: HashSet<_> = app::model::mentor::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.field)
        .collect();
    assert_eq!(fields.len(), app::domain::consultation::Field::ALL.len());
    // A director and a front desk at several district and city centers.
    let staffed: HashSet<i32> = app::model::account_center::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.center_id)
        .collect();
    assert!(
        staffed.len() >= 5 && !staffed.contains(&regional.id),
        "{staffed:?}"
    );
    // Kurban ait, a movable holiday, entered for 2026 and 2027.
    let kurban: Vec<_> = app::model::holiday::Entity::find()
        .filter(app::model::holiday::Column::NameEn.eq("Kurban Ait"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.year, h.month, h.day))
        .collect();
    assert_eq!(kurban, [(Some(2026), 5, 27), (Some(2027), 5, 16)]);
    // The regional center's clubs, and clubs elsewhere too.
    let clubs = app::model::club::Entity::find().all(db).await.unwrap();
    assert!(
        clubs
            .iter()
            .filter(|k| k.center_id == regional.id && !k.anonymous)
            .count()
            >= 8,
        "seven interest clubs and the business club"
    );
    assert!(clubs.iter().any(|k| k.center_id != regional.id));

    // The roll-up lists every center, the regional one first.
    let region = reports::regional_report(db, None, ReportQuery::default(), now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(region.rows.len(), 15);
    assert!(region.rows[0].center.is_regional);
    let listed: HashSet<i32> = region.rows.iter().map(|r| r.center.id).collect();
    assert_eq!(listed, centers.iter().map(|c| c.id).collect());
    t.close().await;
}

/// `seed-synthetic` builds the same region as the demo: the same names,
/// spaces and hours, the regional center on top.
async fn synthetic_region_uses_the_demo_names(backend: Backend) {
    let t = TestDb::empty(backend).await;
    let db = &t.db;
    let opts = Options {
        centers: 15,
        days: 1,
        members_per_center: 2,
        seed: 3,
    };
    synthetic::seed_synthetic(db, &keys(), now(), opts)
        .await
        .unwrap();
    let synthetic_centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await
        .unwrap();
    let demo = TestDb::new(backend).await;
    let demo_centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(&demo.db)
        .await
        .unwrap();
    let names = |cs: &[center::Model]| {
        cs.iter()
            .map(|c| {
                (
                    c.slug.clone(),
                    c.name_kk.clone(),
                    c.name_ru.clone(),
                    c.name_en.clone(),
                    c.parent_id.is_some(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&synthetic_centers), names(&demo_centers));
    let kinds = |db: &DatabaseConnection, cs: Vec<center::Model>| {
        let db = db.clone();
        async move {
            let mut out = Vec::new();
            for c in cs {
                let mut k: Vec<String> = space::Entity::find()
                    .filter(space::Column::CenterId.eq(c.id))
                    .all(&db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|s| s.kind.as_str().to_string())
                    .collect();
                k.sort();
                out.push(k);
            }
            out
        }
    };
    assert_eq!(
        kinds(db, synthetic_centers).await,
        kinds(&demo.db, demo_centers).await
    );
    // Too many centers for the region is refused.
    let fresh = TestDb::empty(backend).await;
    let too_many = Options {
        centers: 16,
        ..opts
    };
    assert!(
        synthetic::seed_synthetic(&fresh.db, &keys(), now(), too_many)
            .await
            .is_err()
    );
    fresh.close().await;
    demo.close().await;
    t.close().await;
}

on_both_databases!(
    demo_region_has_fifteen_centers,
    synthetic_region_uses_the_demo_names,
    synthetic_region_follows_the_rules,
    a_small_synthetic_region_is_generated,
    demo_history_fills_the_past_only,
    space_direction_is_a_rule_directors_set,
);
