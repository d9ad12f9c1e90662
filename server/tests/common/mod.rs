//! Test support: a fresh database per test on SQLite or PostgreSQL, the demo
//! data, and helpers to make members. By concern: `callers` (sessions, the
//! role matrix, seeded users), `fixtures` (bookings and passes), `http`
//! (requests to the router and their answers).

#![allow(dead_code)]

pub mod callers;
pub mod fixtures;
pub mod http;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use app::access::session::CurrentUser;
use app::domain::people::Role;
use app::model::{account, center, person, space};
use app::state::{AppState, Clock, PassKeyRing};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use leptos::prelude::LeptosOptions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub backend: Backend,
    /// The database's URL (for a second connection or a server process).
    pub url: String,
    /// A scratch folder of this test's own (the SQLite file lives here);
    /// removed by `close`.
    pub dir: std::path::PathBuf,
    pg_name: Option<String>,
}

fn pg_admin_url() -> String {
    std::env::var("ORTALYQ_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("ortalyq_t_{}_{}_{}", std::process::id(), n, nanos)
}

impl TestDb {
    /// Create, migrate and seed a fresh database.
    pub async fn new(backend: Backend) -> TestDb {
        Self::create(backend, true).await
    }

    /// Create and migrate a fresh database without the demo data.
    pub async fn empty(backend: Backend) -> TestDb {
        Self::create(backend, false).await
    }

    async fn create(backend: Backend, seed: bool) -> TestDb {
        let name = unique_name();
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let (url, pg_name) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.join("t.db").display()),
                None,
            ),
            Backend::Postgres => {
                let admin = server::db::connect(&format!("{}/postgres", pg_admin_url()))
                    .await
                    .expect("PostgreSQL must be running at 127.0.0.1:5432 (see README)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                (format!("{}/{name}", pg_admin_url()), Some(name))
            }
        };
        let db = server::db::connect(&url).await.unwrap();
        server::db::migrate(&db).await.unwrap();
        if seed {
            assert!(server::seed::seed_demo(&db, now()).await.unwrap());
        }
        TestDb {
            db,
            backend,
            url,
            dir,
            pg_name,
        }
    }

    /// Drop the database (PostgreSQL) or its folder (SQLite).
    pub async fn close(self) {
        self.db.close().await.unwrap();
        if let Some(name) = self.pg_name {
            let admin = server::db::connect(&format!("{}/postgres", pg_admin_url()))
                .await
                .unwrap();
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .unwrap();
            admin.close().await.unwrap();
        }
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

/// The tests' "now": Tuesday 1 December 2026, 10:50 in Karaganda (UTC+5).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 5, 50, 0).unwrap()
}

/// Local wall-clock time in Karaganda on a given day of December 2026.
pub fn local(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
    tz.with_ymd_and_hms(2026, 12, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn keys() -> PassKeyRing {
    PassKeyRing::single(1, SigningKey::from_bytes(&[42u8; 32]))
}

pub fn state(db: &DatabaseConnection) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("ortalyq")
        .site_root("target/site")
        .build();
    AppState {
        leptos_options: Arc::new(options),
        db: db.clone(),
        keys: Arc::new(keys()),
        secure_cookies: false,
        clock: Clock::Frozen(now()),
        trust_proxy: false,
        public_url: None,
        webhook_egress: Default::default(),
        sessions: Default::default(),
        telegram_bot: None,
    }
}

/// The text messages queued in the outbox (kind `sms`), oldest first.
pub async fn queued_texts(db: &DatabaseConnection) -> Vec<app::notify::outbox::Text> {
    use sea_orm::QueryOrder;
    app::model::outbox::Entity::find()
        .filter(app::model::outbox::Column::Kind.eq(app::domain::codes::OutboxKind::Sms))
        .order_by_asc(app::model::outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| serde_json::from_str(&o.payload).unwrap())
        .collect()
}

/// The texts of the messages queued to one phone number, oldest first.
pub async fn texts_to(db: &DatabaseConnection, phone: &str) -> Vec<String> {
    queued_texts(db)
        .await
        .into_iter()
        .filter(|t| t.to == phone)
        .map(|t| t.text)
        .collect()
}

/// Make a member (or staff) account directly; the password is not usable.
pub async fn make_user(
    db: &DatabaseConnection,
    role: Role,
    center_id: Option<i32>,
    name: &str,
) -> CurrentUser {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let p = person::ActiveModel {
        full_name: Set(name.into()),
        birth_date: Set(NaiveDate::from_ymd_opt(2005, 5, 5).unwrap()),
        phone: Set(None),
        email: Set(Some(format!("user{n}@test.ortalyq.kz"))),
        preferred_lang: Set(app::i18n::Locale::En),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let a = account::ActiveModel {
        person_id: Set(p.id),
        password_hash: Set("!".into()),
        role: Set(role),
        home_center_id: Set(center_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    CurrentUser {
        account_id: a.id,
        person_id: p.id,
        full_name: name.into(),
        role,
        home_center_id: center_id,
        lang: app::i18n::Locale::En,
    }
}

/// Run an async test body once on SQLite and once on PostgreSQL, as two
/// test functions `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            }
        )*
    };
}

/// The id of a seeded center by slug (`karaganda-regional`, `temirtau`, …).
pub async fn center_id(db: &DatabaseConnection, slug: &str) -> i32 {
    center::Entity::find()
        .filter(center::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A seeded center's space of one kind (`coworking`, `photo_studio`, …).
pub async fn space_of(db: &DatabaseConnection, center: i32, kind: &str) -> space::Model {
    space::Entity::find()
        .filter(space::Column::CenterId.eq(center))
        .filter(space::Column::Kind.eq(kind))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}
