//! Operations, against SQLite and PostgreSQL: health and readiness probes,
//! Prometheus metrics, the audit log, backup and restore, and two app
//! instances sharing one database (sessions, sign-in limits).

#[macro_use]
mod common;

use app::audit::dto::{AuditKind, AuditQuery};
use app::audit::service as audit;
use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use app::membership::dto::StaffForm;
use app::passes::scan as passes;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::Duration;
use common::callers::session_cookie;
use common::fixtures::{book_one, pass_of};
use common::http::{answer, send};
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn post(path: &str, body: &str, cookie: Option<&str>, ip: &str) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", ip);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body.to_owned())).unwrap()
}

/// The sum of a metric's samples whose labels include all of `labels`
/// (Prometheus text format; other tests in this process count too, so
/// callers compare before and after).
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (key, value) = l.rsplit_once(' ')?;
            let (metric, rest) = match key.split_once('{') {
                Some((m, r)) => (m, r.trim_end_matches('}')),
                None => (key, ""),
            };
            if metric != name {
                return None;
            }
            let ok = labels
                .iter()
                .all(|(k, v)| rest.split(',').any(|p| p == format!("{k}=\"{v}\"")));
            ok.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

async fn probes_answer_json_and_readiness_follows_migrations(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(common::state(&t.db));
    let (s, body, _) = send(&app, get("/healthz")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["status"],
        "ok"
    );
    let (s, body, _) = send(&app, get("/readyz")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["database"].as_str(), v["migrations"].as_str()),
        (Some("ok"), Some("applied"))
    );
    // Roll the newest migration back: not ready (503) until it is applied.
    Migrator::down(&t.db, Some(1)).await.unwrap();
    let (s, body, _) = send(&app, get("/readyz")).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("1 migration(s) pending"), "{body}");
    // Alive all the same.
    assert_eq!(send(&app, get("/healthz")).await.0, StatusCode::OK);
    server::db::migrate(&t.db).await.unwrap();
    assert_eq!(send(&app, get("/readyz")).await.0, StatusCode::OK);
    t.close().await;
}

async fn metrics_count_requests_bookings_check_ins_and_jobs(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let app = server::router_with(
        common::state(db),
        server::ops::Ops {
            metrics_token: Some("scrape-secret".into()),
            ..Default::default()
        },
    );
    let scrape = |auth: Option<&'static str>| {
        let app = app.clone();
        async move {
            let mut req = Request::get("/metrics");
            if let Some(a) = auth {
                req = req.header(header::AUTHORIZATION, a);
            }
            send(&app, req.body(Body::empty()).unwrap()).await
        }
    };
    // Without the token (or with a wrong one) there is no such page.
    assert_eq!(scrape(None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        scrape(Some("Bearer scrape-secreT")).await.0,
        StatusCode::NOT_FOUND
    );
    let (s, before, _) = scrape(Some("Bearer scrape-secret")).await;
    assert_eq!(s, StatusCode::OK);

    // A request, a booking, a check-in and a sweep.
    assert_eq!(send(&app, get("/readyz")).await.0, StatusCode::OK);
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Metric Member").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Metric Desk").await;
    book_one(db, &member, pool.id, local(2, 12, 0)).await;
    let card = app::membership::members::membership_card(db, &keys(), &member, now(), Locale::En)
        .await
        .unwrap();
    let v = passes::scan(db, &keys(), &desk, &card.code, now(), Locale::En)
        .await
        .unwrap();
    assert!(v.admitted, "{v:?}");
    let v = passes::scan(db, &keys(), &desk, "NOT-A-PASS", now(), Locale::En)
        .await
        .unwrap();
    assert!(!v.admitted);
    server::ops::run_no_show_sweep(db, app::state::Clock::Frozen(now()))
        .await
        .unwrap();

    let (_, after, _) = scrape(Some("Bearer scrape-secret")).await;
    assert!(after.contains("# TYPE ortalyq_http_request_duration_seconds histogram"));
    let grew = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    // By route template, with method and status.
    assert!(
        grew(
            "ortalyq_http_request_duration_seconds_count",
            &[("route", "/readyz"), ("method", "GET"), ("status", "200")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        grew(
            "ortalyq_bookings_created_total",
            &[("space_kind", "coworking"), ("status", "confirmed")]
        ) >= 1.0
    );
    assert!(grew("ortalyq_check_ins_total", &[("outcome", "admitted")]) >= 1.0);
    assert!(grew("ortalyq_check_ins_total", &[("outcome", "malformed")]) >= 1.0);
    assert!(
        grew(
            "ortalyq_job_runs_total",
            &[("job", "no_show_sweep"), ("result", "ok")]
        ) >= 1.0
    );
    // Concrete paths never become labels (a feed token would leak).
    let _ = send(&app, get("/calendar/secret-token-123.ics")).await;
    let (_, text, _) = scrape(Some("Bearer scrape-secret")).await;
    assert!(!text.contains("secret-token-123"));
    assert!(text.contains("route=\"/calendar/{file}\""));
    t.close().await;
}

async fn audit_log_records_admin_actions_and_check_ins_per_center(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(regional), "Dana Director").await;
    let far_director = make_user(db, Role::Director, Some(temirtau), "Far Director").await;
    let admin = make_user(db, Role::Admin, None, "Regional Admin").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk Daulet").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Member Mira").await;

    // A closure, a space rule change, a staff account, a check-in, an undo.
    app::booking::changes::add_closure(
        db,
        &director,
        regional,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
        "Repairs",
        now(),
    )
    .await
    .unwrap();
    let hall = space_of(db, regional, "lecture_hall").await;
    let mut rules = app::centers::manage::space_rules(db, &director, hall.id, Locale::En)
        .await
        .unwrap()
        .form;
    rules.min_age = 21;
    app::centers::manage::update_space_rules(db, &director, hall.id, rules, now())
        .await
        .unwrap();
    app::membership::staff::create_account(
        db,
        &admin,
        &StaffForm {
            full_name: "Aigerim Desk".into(),
            email: "aigerim@demo.ortalyq.kz".into(),
            phone: String::new(),
            role: "front_desk".into(),
            centers: vec![temirtau.to_string()],
            birth_date: "1994-04-04".into(),
            override_reason: String::new(),
        },
        now().date_naive(),
        now(),
    )
    .await
    .unwrap();
    let card = app::membership::members::membership_card(db, &keys(), &member, now(), Locale::En)
        .await
        .unwrap();
    assert!(
        passes::scan(db, &keys(), &desk, &card.code, now(), Locale::En)
            .await
            .unwrap()
            .admitted
    );
    // A refused action leaves no trace: the far director may not close
    // the regional center.
    assert_eq!(
        app::booking::changes::add_closure(
            db,
            &far_director,
            regional,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
            "No",
            now(),
        )
        .await,
        Err(AppError::Forbidden)
    );

    let q = AuditQuery::default();
    let mine = audit::list(db, &director, q.clone(), now(), Locale::En)
        .await
        .unwrap();
    let kinds: Vec<&str> = mine.rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["check_in", "space_rules_changed", "closure_added"],
        "newest first; the Temirtau account is not the regional director's"
    );
    let check_in = &mine.rows[0];
    assert_eq!(check_in.actor, "Desk Daulet");
    assert_eq!(check_in.kind_label, "Door check-in");
    assert!(check_in.subject.starts_with("member "));
    assert_eq!(check_in.at, "01.12.2026 10:50");
    assert!(
        mine.rows[1].detail.contains("min_age 18→21"),
        "{:?}",
        mine.rows[1]
    );
    assert!(mine.rows[2].detail.contains("Repairs"));
    // The other center's director sees the account made for Temirtau only.
    let far = audit::list(db, &far_director, q.clone(), now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(
        far.rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        ["account_created"]
    );
    assert!(far.rows[0].detail.contains("role front_desk"));
    assert_eq!(
        audit::list(
            db,
            &far_director,
            AuditQuery {
                center: Some(regional),
                ..q.clone()
            },
            now(),
            Locale::En
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    // The admin sees everything; filters by kind and center.
    let all = audit::list(db, &admin, q.clone(), now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    let only = audit::list(
        db,
        &admin,
        AuditQuery {
            kind: Some("closure_added".into()),
            ..q.clone()
        },
        now(),
        Locale::Ru,
    )
    .await
    .unwrap();
    assert_eq!(only.total, 1);
    assert_eq!(only.rows[0].kind_label, "Добавлен день закрытия");
    // Desk and members cannot read the log.
    assert_eq!(
        audit::list(db, &desk, q.clone(), now(), Locale::En)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // Dates: a range before today is empty; a reversed range is refused.
    let yesterday = (now() - Duration::days(1)).date_naive().to_string();
    let before = audit::list(
        db,
        &admin,
        AuditQuery {
            from: Some("2026-11-01".into()),
            to: Some(yesterday),
            ..q.clone()
        },
        now(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(before.total, 0);
    assert!(matches!(
        audit::list(
            db,
            &admin,
            AuditQuery {
                from: Some("2026-12-05".into()),
                to: Some("2026-12-01".into()),
                ..q.clone()
            },
            now(),
            Locale::En
        )
        .await,
        Err(AppError::Invalid { field, .. }) if field == "from"
    ));

    // Paging: 50 rows a page.
    for i in 0..60 {
        audit::record(
            db,
            &desk,
            Some(regional),
            AuditKind::InductionSet,
            format!("member {i:06}"),
            "space 1: passed",
            now() - Duration::minutes(i64::from(i) + 1),
        )
        .await
        .unwrap();
    }
    let p1 = audit::list(db, &director, q.clone(), now(), Locale::En)
        .await
        .unwrap();
    assert_eq!((p1.total, p1.pages, p1.rows.len()), (63, 2, 50));
    let p2 = audit::list(
        db,
        &director,
        AuditQuery {
            page: Some(2),
            ..q.clone()
        },
        now(),
        Locale::En,
    )
    .await
    .unwrap();
    assert_eq!(p2.rows.len(), 13);
    assert!(p1.rows.iter().all(|a| p2.rows.iter().all(|b| a.id != b.id)));
    t.close().await;
}

async fn audit_page_renders_in_three_languages(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Page Director").await;
    app::booking::changes::add_closure(
        db,
        &director,
        regional,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 22).unwrap(),
        "Inventory",
        now(),
    )
    .await
    .unwrap();
    let cookie = session_cookie(db, director.account_id).await;
    let app = server::router(common::state(db));
    for (lang, title, kind) in [
        ("kk", "Аудит журналы", "Жабылу күні қосылды"),
        ("ru", "Журнал аудита", "Добавлен день закрытия"),
        ("en", "Audit log", "Closure added"),
    ] {
        let req = Request::get("/director/audit?kind=closure_added")
            .header(header::COOKIE, format!("{cookie}; oq_lang={lang}"))
            .body(Body::empty())
            .unwrap();
        let (s, html, _) = send(&app, req).await;
        let html = html.replace("<!>", "");
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains(title), "{lang}: title");
        assert!(
            html.contains(kind) && html.contains("Inventory"),
            "{lang}: row"
        );
    }
    t.close().await;
}

async fn backup_and_restore_round_trip_loses_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    if backend == Backend::Postgres {
        // pg_dump's job: the command says so instead of copying anything.
        let dir = std::env::temp_dir().join(format!("ortalyq-pgbackup-{}", std::process::id()));
        let err = server::backup::backup("postgres://postgres@127.0.0.1/x", &dir.join("b.db"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("pg_dump --format=custom"));
        assert!(!dir.join("b.db").exists());
        t.close().await;
        return;
    }
    let regional = center_id(db, "karaganda-regional").await;
    let pool = space_of(db, regional, "coworking").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Backup Member").await;
    let b = book_one(db, &member, pool.id, local(2, 12, 0)).await;
    let sample_booking = app::model::booking::Entity::find_by_id(b.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let sample_pass = pass_of(db, b.id).await;
    let counts = server::backup::table_counts(db).await.unwrap();
    assert!(counts.iter().any(|(t, n)| t == "bookings" && *n > 0));

    // The live file (WAL mode, connections open) is backed up.
    let dir = std::env::temp_dir().join(format!("ortalyq-backup-{}-{}", std::process::id(), b.id));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("ortalyq-backup.db");
    let url = db_url(db).await;
    let copied = server::backup::backup(&url, &file).await.unwrap();
    assert_eq!(copied, counts);
    // Every member's data: readable by the owner only.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // A second backup to the same name is refused, not overwritten.
    assert!(matches!(
        server::backup::backup(&url, &file).await,
        Err(server::backup::BackupError::Exists(_))
    ));

    // Restore into a fresh location; then compare everything.
    let target = dir.join("restored").join("ortalyq.db");
    let target_url = format!("sqlite://{}?mode=rwc", target.display());
    assert_eq!(
        server::backup::restore(&target_url, &file, now())
            .await
            .unwrap(),
        None
    );
    let restored = server::db::connect(&target_url).await.unwrap();
    server::db::migrate(&restored).await.unwrap();
    assert_eq!(
        server::backup::table_counts(&restored).await.unwrap(),
        counts
    );
    assert_eq!(
        app::model::booking::Entity::find_by_id(b.id)
            .one(&restored)
            .await
            .unwrap(),
        Some(sample_booking.clone())
    );
    assert_eq!(
        app::model::pass::Entity::find_by_id(sample_pass.id)
            .one(&restored)
            .await
            .unwrap(),
        Some(sample_pass)
    );
    // The restored database serves: the member's session works there.
    let token = app::access::session::create_session(&restored, member.account_id, now())
        .await
        .unwrap();
    assert_eq!(
        app::access::session::session_user(&restored, &token, now())
            .await
            .unwrap()
            .map(|u| u.account_id),
        Some(member.account_id)
    );

    // While a server holds the database, restore refuses and changes nothing.
    let lock = server::backup::hold_serve_lock(&target).unwrap();
    assert!(matches!(
        server::backup::restore(&target_url, &file, now()).await,
        Err(server::backup::BackupError::InUse(_))
    ));
    drop(lock);
    // Stopped: restoring over it keeps the replaced file beside it.
    restored.close().await.unwrap();
    let kept = server::backup::restore(&target_url, &file, now())
        .await
        .unwrap()
        .expect("the replaced database is kept");
    assert!(kept.is_file());
    let again = server::db::connect(&target_url).await.unwrap();
    assert_eq!(server::backup::table_counts(&again).await.unwrap(), counts);
    again.close().await.unwrap();
    // Not a backup: refused before anything is touched.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(matches!(
        server::backup::restore(&target_url, &junk, now()).await,
        Err(server::backup::BackupError::NotABackup(..))
    ));
    let _ = std::fs::remove_dir_all(&dir);
    t.close().await;
}

/// The SQLite URL of a test database (its file).
async fn db_url(db: &sea_orm::DatabaseConnection) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await
        .unwrap()
        .unwrap();
    format!("sqlite://{}", row.try_get_by_index::<String>(0).unwrap())
}

async fn two_instances_share_sessions_and_sign_in_limits(backend: Backend) {
    let t = TestDb::new(backend).await;
    // Two app instances: their own connection pools and states on one
    // database, as two processes behind a reverse proxy would have.
    let url = match backend {
        Backend::Sqlite => db_url(&t.db).await,
        Backend::Postgres => {
            use sea_orm::{ConnectionTrait, Statement};
            let name: String =
                t.db.query_one_raw(Statement::from_string(
                    t.db.get_database_backend(),
                    "SELECT current_database()",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index(0)
                .unwrap();
            let admin = std::env::var("ORTALYQ_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            format!("{admin}/{name}")
        }
    };
    let db_a = server::db::connect(&url).await.unwrap();
    let db_b = server::db::connect(&url).await.unwrap();
    let mut state_a = common::state(&db_a);
    let mut state_b = common::state(&db_b);
    state_a.trust_proxy = true;
    state_b.trust_proxy = true;
    let a = server::router(state_a);
    let b = server::router(state_b);

    // Sign in through A; B accepts the session.
    let (s, body, cookies) = send(
        &a,
        post(
            "/api/login",
            "login=visitor%40demo.ortalyq.kz&password=ortalyq-demo",
            None,
            "10.1.0.1",
        ),
    )
    .await;
    assert!(s.is_success() || s.is_redirection(), "{s} {body}");
    let session = cookies
        .iter()
        .find_map(|c| {
            c.split(';')
                .next()
                .filter(|kv| kv.starts_with("oq_session="))
        })
        .expect("session cookie")
        .to_owned();
    let (s, body, _) = send(&b, post("/api/whoami", "", Some(&session), "10.1.0.1")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("\"role\":\"Visitor\""), "{body}");
    // Signing out on B ends it on A too.
    let (s, _, _) = send(&b, post("/api/logout", "", Some(&session), "10.1.0.1")).await;
    assert!(s.is_success() || s.is_redirection());
    let (_, body, _) = send(&a, post("/api/my_bookings", "", Some(&session), "10.1.0.1")).await;
    assert!(body.contains("not_authenticated"), "{body}");

    // Failed sign-ins count across instances: alternate A and B.
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        let (_, body, _) = send(
            app,
            post(
                "/api/login",
                "login=director%40demo.ortalyq.kz&password=wrong",
                None,
                &format!("10.2.0.{i}"),
            ),
        )
        .await;
        assert!(body.contains("invalid_credentials"), "{body}");
    }
    let (s, body, _) = send(
        &b,
        post(
            "/api/login",
            "login=director%40demo.ortalyq.kz&password=ortalyq-demo",
            None,
            "10.2.0.9",
        ),
    )
    .await;
    assert_eq!(s.as_u16(), 429, "{body}");
    assert!(body.contains("rate_limited"), "{body}");

    // The sweep on both instances at once marks each no-show once.
    let regional = center_id(&t.db, "karaganda-regional").await;
    let pool = space_of(&t.db, regional, "coworking").await;
    let member = make_user(&t.db, Role::Visitor, Some(regional), "Sweep Member").await;
    book_one(&t.db, &member, pool.id, local(1, 11, 0)).await;
    let no_shows = || async {
        app::model::booking::Entity::find()
            .filter(app::model::booking::Column::Status.eq("no_show"))
            .count(&t.db)
            .await
            .unwrap()
    };
    let before = no_shows().await;
    let later = app::state::Clock::Frozen(local(1, 11, 30));
    let (x, y) = tokio::join!(
        server::ops::run_no_show_sweep(&db_a, later),
        server::ops::run_no_show_sweep(&db_b, later)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x + y >= 1);
    assert_eq!(no_shows().await - before, x + y, "no booking swept twice");
    assert_eq!(
        app::model::booking::Entity::find()
            .filter(app::model::booking::Column::PersonId.eq(member.person_id))
            .filter(app::model::booking::Column::Status.eq("no_show"))
            .count(&t.db)
            .await
            .unwrap(),
        1
    );
    db_a.close().await.unwrap();
    db_b.close().await.unwrap();
    t.close().await;
}

/// Build files named by their content (cargo-leptos `hash-files`) are
/// cached by browsers for a year and sent compressed; files without a
/// hash and the pages themselves are not cached like that.
async fn hashed_build_files_are_immutable_and_compressed(backend: Backend) {
    let t = TestDb::new(backend).await;
    let site = t.dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let script = "export function hydrate() { /* the browser bundle */ }\n".repeat(40);
    for name in ["ortalyq.Hk2ZyHcU8cBNDPkHWmkmAA.js", "ortalyq.js"] {
        std::fs::write(site.join("pkg").join(name), &script).unwrap();
    }
    let mut state = common::state(&t.db);
    std::sync::Arc::make_mut(&mut state.leptos_options).site_root = site.to_string_lossy().into();
    let app = server::router(state);
    let fetch = |path: &str, encoding: &str| {
        let req = Request::get(path)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let app = app.clone();
        async move {
            let resp = answer(&app, req).await;
            let header = |h| {
                resp.headers
                    .get(h)
                    .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
            };
            (
                resp.status,
                header(header::CACHE_CONTROL),
                header(header::CONTENT_ENCODING),
            )
        }
    };
    let year = Some("public, max-age=31536000, immutable".to_owned());
    for (encoding, expected) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let (status, cache, enc) = fetch("/pkg/ortalyq.Hk2ZyHcU8cBNDPkHWmkmAA.js", encoding).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cache, year);
        assert_eq!(enc.as_deref(), Some(expected));
    }
    let (status, cache, _) = fetch("/pkg/ortalyq.js", "br").await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        cache, year,
        "an unhashed name changes content with each build"
    );
    let (status, cache, enc) = fetch("/spaces/1", "br, gzip").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !cache.unwrap_or_default().contains("max-age=31536000"),
        "pages are not cached for long"
    );
    assert_eq!(enc.as_deref(), Some("br"));
    // A missing hashed name is a plain 404, not cached.
    let (status, cache, _) = fetch("/pkg/ortalyq.AAAAAAAAAAAAAAAAAAAAAA.js", "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_ne!(cache, year);

    // A release build's files compressed ahead of time (`cargo leptos build
    // --release --precompress`) are sent as stored, not compressed again
    // for each request; a browser without brotli gets the gzip file.
    let wasm = "ortalyq.Xw3ZyHcU8cBNDPkHWmkmAA.wasm";
    std::fs::write(site.join("pkg").join(wasm), vec![0u8; 4096]).unwrap();
    std::fs::write(
        site.join("pkg").join(format!("{wasm}.br")),
        b"stored brotli",
    )
    .unwrap();
    std::fs::write(site.join("pkg").join(format!("{wasm}.gz")), b"stored gzip").unwrap();
    for (accepts, encoding, stored) in [
        ("gzip, deflate, br", "br", &b"stored brotli"[..]),
        ("gzip", "gzip", &b"stored gzip"[..]),
    ] {
        let req = Request::get(format!("/pkg/{wasm}"))
            .header(header::ACCEPT_ENCODING, accepts)
            .body(Body::empty())
            .unwrap();
        let resp = answer(&app, req).await;
        assert_eq!(resp.status, StatusCode::OK);
        assert_eq!(resp.headers[header::CONTENT_ENCODING], encoding);
        assert_eq!(
            resp.headers[header::CACHE_CONTROL],
            year.as_deref().unwrap()
        );
        assert_eq!(resp.body, stored, "the precompressed file itself");
    }
    t.close().await;
}

on_both_databases!(
    hashed_build_files_are_immutable_and_compressed,
    probes_answer_json_and_readiness_follows_migrations,
    metrics_count_requests_bookings_check_ins_and_jobs,
    audit_log_records_admin_actions_and_check_ins_per_center,
    audit_page_renders_in_three_languages,
    backup_and_restore_round_trip_loses_nothing,
    two_instances_share_sessions_and_sign_in_limits,
);
