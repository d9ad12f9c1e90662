//! The region's centers and holiday calendar as an attacker sees them:
//! staff who are not the regional admin open or edit a center, a director
//! opens another center on a holiday, and huge input. Nothing is written.

use app::centers::admin_dto::{CenterForm, HolidayForm};
use app::centers::{admin, calendar};
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::model::{audit_log, center, holiday, holiday_opening, opening_hours};
use axum::body::Body;
use axum::http::{header, Request};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::common::callers::session_cookie;
use crate::common::http::answer;
use crate::common::{center_id, make_user, now, Backend, TestDb};

/// Centers, hours, holidays, openings and audit rows.
async fn footprint(db: &DatabaseConnection) -> [u64; 5] {
    [
        center::Entity::find().count(db).await.unwrap(),
        opening_hours::Entity::find().count(db).await.unwrap(),
        holiday::Entity::find().count(db).await.unwrap(),
        holiday_opening::Entity::find().count(db).await.unwrap(),
        audit_log::Entity::find().count(db).await.unwrap(),
    ]
}

fn form() -> CenterForm {
    CenterForm {
        name_kk: "Жаңа орталық".into(),
        name_ru: "Новый центр".into(),
        name_en: "New Center".into(),
        district: "Нұра ауданы".into(),
        settlement: "rural".into(),
        address: "Киевка ауылы".into(),
        timezone: "Asia/Almaty".into(),
        mon_opens: "09:00".into(),
        mon_closes: "18:00".into(),
        ..Default::default()
    }
}

async fn post(app: &axum::Router, path: &str, body: String, cookie: &str) -> (u16, String) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let a = answer(app, req).await;
    (a.status.as_u16(), a.text())
}

async fn only_the_regional_admin_opens_or_edits_centers(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(crate::common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let before = footprint(db).await;
    let body = "form[name_kk]=X&form[name_ru]=Y&form[name_en]=Z&form[district]=D\
                &form[settlement]=city&form[address]=A&form[timezone]=Asia/Almaty"
        .to_string();
    for (role, home) in [
        (Role::Director, Some(regional)),
        (Role::FrontDesk, Some(regional)),
        (Role::Visitor, Some(regional)),
        (Role::Mentor, Some(regional)),
    ] {
        let u = make_user(db, role, home, "Not Admin").await;
        let cookie = session_cookie(db, u.account_id).await;
        for (path, body) in [
            ("/api/create_center", body.clone()),
            ("/api/save_center", format!("center_id={temirtau}&{body}")),
            (
                "/api/set_center_active",
                format!("center_id={temirtau}&active=false"),
            ),
            (
                "/api/add_holiday",
                "holiday[day]=2026-12-10&holiday[name_kk]=a&holiday[name_ru]=b&holiday[name_en]=c"
                    .into(),
            ),
        ] {
            let (status, text) = post(&app, path, body, &cookie).await;
            assert_eq!(status, 403, "{role:?} {path}: {text}");
        }
        // The services refuse the same, whoever calls them.
        assert_eq!(
            admin::create(db, &u, form(), now()).await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            admin::update(db, &u, temirtau, form(), now()).await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            admin::list(db, &u, app::i18n::Locale::En).await.err(),
            Some(AppError::Forbidden)
        );
    }
    // Anonymous: not signed in.
    let req = Request::post("/api/create_center")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(answer(&app, req).await.status.as_u16(), 401);
    assert_eq!(footprint(db).await, before);
    let c = center::Entity::find_by_id(temirtau)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(c.active);
    t.close().await;
}

async fn a_director_opens_only_the_own_center_on_a_holiday(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router(crate::common::state(db));
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(temirtau), "Temirtau Director").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Regional Desk").await;
    let boss = make_user(db, Role::Director, Some(regional), "Regional Director").await;
    let before = footprint(db).await;
    // 16 December is Independence Day.
    assert_eq!(
        calendar::add_opening(db, &director, regional, "2026-12-16", "Concert", now()).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        calendar::add_opening(db, &desk, regional, "2026-12-16", "Concert", now()).await,
        Err(AppError::Forbidden)
    );
    let cookie = session_cookie(db, director.account_id).await;
    let (status, text) = post(
        &app,
        "/api/add_holiday_opening",
        format!("center_id={regional}&day=2026-12-16&reason=Concert"),
        &cookie,
    )
    .await;
    assert_eq!(status, 404, "{text}");
    assert_eq!(footprint(db).await, before);
    // Nor may the director close again what the regional center opened.
    calendar::add_opening(db, &boss, regional, "2026-12-16", "Concert", now())
        .await
        .unwrap();
    let opening = holiday_opening::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        calendar::remove_opening(db, &director, opening.id, now()).await,
        Err(AppError::NotFound)
    );
    assert!(holiday_opening::Entity::find_by_id(opening.id)
        .one(db)
        .await
        .unwrap()
        .is_some());
    // …and the own center opens.
    calendar::add_opening(db, &director, temirtau, "2026-12-16", "Concert", now())
        .await
        .unwrap();
    t.close().await;
}

async fn huge_input_is_refused_and_nothing_written(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let admin = make_user(db, Role::Admin, None, "Region Admin").await;
    let regional = center_id(db, "karaganda-regional").await;
    let before = footprint(db).await;
    let huge = "Ж".repeat(100_000);
    for (field, f) in [
        (
            "name_en",
            CenterForm {
                name_en: huge.clone(),
                ..form()
            },
        ),
        (
            "address",
            CenterForm {
                address: huge.clone(),
                ..form()
            },
        ),
        (
            "description_ru",
            CenterForm {
                description_ru: huge.clone(),
                ..form()
            },
        ),
        (
            "timezone",
            CenterForm {
                timezone: huge.clone(),
                ..form()
            },
        ),
        (
            "email",
            CenterForm {
                email: huge.clone(),
                ..form()
            },
        ),
        (
            "mon_opens",
            CenterForm {
                mon_opens: huge.clone(),
                ..form()
            },
        ),
    ] {
        match admin::create(db, &admin, f, now()).await {
            Err(AppError::Invalid {
                field: got,
                problem,
            }) => {
                assert_eq!(got, field);
                assert!(
                    matches!(problem, Problem::TooLong | Problem::Time),
                    "{problem:?}"
                );
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    let h = HolidayForm {
        day: "2028-05-04".into(),
        name_kk: huge.clone(),
        name_ru: "Курбан айт".into(),
        name_en: "Kurban ait".into(),
    };
    assert_eq!(
        calendar::add_holiday(db, &admin, h, now()).await,
        Err(AppError::Invalid {
            field: "name_kk".into(),
            problem: Problem::TooLong
        })
    );
    let bad_day = HolidayForm {
        day: "16.05.2027".into(),
        ..HolidayForm::default()
    };
    assert!(calendar::add_holiday(db, &admin, bad_day, now())
        .await
        .is_err());
    assert_eq!(
        calendar::add_opening(db, &admin, regional, "2026-12-16", &huge, now()).await,
        Err(AppError::Invalid {
            field: "reason".into(),
            problem: Problem::TooLong
        })
    );
    assert_eq!(footprint(db).await, before);
    t.close().await;
}

on_both_databases!(
    only_the_regional_admin_opens_or_edits_centers,
    a_director_opens_only_the_own_center_on_a_holiday,
    huge_input_is_refused_and_nothing_written,
);
