//! Database connection and migrations.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
};

/// Connect to SQLite or PostgreSQL. For SQLite the file's folder is created,
/// WAL journaling is on (readers do not block the writer) and writers wait up
/// to 10 s for the lock instead of failing. A pooled connection is pinged
/// before use only after 30 s idle (pinging on every checkout cost a round
/// trip per query), and replaced after 30 minutes, so one the database or a
/// proxy dropped is not handed out. PostgreSQL on this machine (a loopback
/// address or a socket) is spoken to without TLS unless the URL or
/// `PGSSLMODE` asks for it: the bytes never leave the host, and the
/// encryption cost every query CPU (5 % of a signed-in page's samples).
/// SQLite's checkpoints run in the background, not in a commit (see
/// [`spawn_checkpointer`]).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, CHECKPOINT_EVERY).await
}

async fn connect_with(url: &str, checkpoint_every: Duration) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
    }
    let tls_asked = asks_for_tls(url) || std::env::var_os("PGSSLMODE").is_some();
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(15))
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .max_lifetime(Duration::from_secs(30 * 60))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("wal_autocheckpoint", "0")
        })
        .map_sqlx_sqlite_pool_opts(|o| {
            o.after_connect(|conn, _| Box::pin(async move { stable_plans(conn).await }))
        })
        .map_sqlx_postgres_opts(move |o| {
            if !tls_asked && is_local_host(o.get_host()) {
                o.ssl_mode(sea_orm::sqlx::postgres::PgSslMode::Disable)
            } else {
                o
            }
        });
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        spawn_checkpointer(db.clone(), checkpoint_every);
    }
    Ok(db)
}

/// Turn on SQLite's query planner stability guarantee for a new connection.
/// Without it SQLite plans `LIMIT ?` with the bound number (3.51 does), and
/// a statement planned with a bound value expires whenever that parameter
/// is bound again: every `.one()` (`LIMIT 1`, bound) was parsed and planned
/// anew on each run, though sqlx keeps it prepared. At the door that was a
/// fifth of the server's CPU (perf, 200 scans/s). With the guarantee a
/// statement's plan never depends on bound values; the plans it forgoes
/// rely on `ANALYZE` statistics, which this database does not gather.
async fn stable_plans(
    conn: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    use libsqlite3_sys::{sqlite3_db_config, SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK};
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is locked out of sqlx's worker thread for this
    // call, and ENABLE_QPSG takes (int, int*) with a null pointer allowed.
    let rc = unsafe {
        sqlite3_db_config(
            db,
            SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc == SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("SQLite refused the planner stability setting ({rc})").into(),
        ))
    }
}

/// How often [`spawn_checkpointer`] copies the write-ahead log back.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// SQLite copies its write-ahead log back into the database file in a
/// checkpoint, and with `synchronous=NORMAL` that is where its only fsyncs
/// happen. By default the commit that grows the log past 1,000 pages runs
/// it before it returns: at the door that commit, and every writer queued
/// behind it, waited for the copy and the disk. Here no connection
/// checkpoints on commit (`wal_autocheckpoint=0`); this task runs a PASSIVE
/// checkpoint every `every` instead, which copies what it can without
/// waiting for readers or writers and without blocking them. It ends when
/// the pool is closed (or with the runtime).
fn spawn_checkpointer(db: DatabaseConnection, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if db.get_sqlite_connection_pool().is_closed() {
                return;
            }
            if let Err(e) = db
                .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                .await
            {
                tracing::warn!(error = %e, "SQLite checkpoint failed");
            }
        }
    });
}

/// The URL names an SSL mode, in either spelling sqlx reads (`sslmode`,
/// `ssl-mode`).
fn asks_for_tls(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes()).any(|(k, _)| matches!(&*k, "sslmode" | "ssl-mode"))
}

/// A loopback address or a Unix socket folder: a connection that stays on
/// this machine.
fn is_local_host(host: &str) -> bool {
    host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sea_orm::ConnectionTrait;

    use super::{asks_for_tls, connect_with, is_local_host};

    /// A commit does not wait for a checkpoint: commits that write twice
    /// SQLite's default threshold (1,000 pages) into the log leave the
    /// database file as it was, and the background checkpoint copies them
    /// in soon after.
    #[tokio::test]
    async fn commits_leave_checkpoints_to_the_background() {
        let dir = std::env::temp_dir().join(format!("oq-checkpoint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let db = connect_with(&url, Duration::from_secs(3)).await.unwrap();
        let size = || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        db.execute_unprepared("CREATE TABLE t (b BLOB)")
            .await
            .unwrap();
        let before = size();
        for _ in 0..4 {
            db.execute_unprepared("INSERT INTO t VALUES (randomblob(2000000))")
                .await
                .unwrap();
        }
        assert!(
            size() < before + 1_000_000,
            "a commit copied the log into the file: {} → {} bytes",
            before,
            size()
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while size() < 8_000_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "the log was not copied into the file: {} bytes",
                size()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        db.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Every connection of the pool plans without looking at bound values
    /// (see `stable_plans`), the second one opened as well as the first.
    #[tokio::test]
    async fn every_sqlite_connection_keeps_its_plans() {
        use libsqlite3_sys::{sqlite3_db_config, SQLITE_DBCONFIG_ENABLE_QPSG};
        let db = connect_with("sqlite::memory:", Duration::from_secs(60))
            .await
            .unwrap();
        let pool = db.get_sqlite_connection_pool();
        let (mut a, mut b) = (pool.acquire().await.unwrap(), pool.acquire().await.unwrap());
        for conn in [&mut a, &mut b] {
            let mut handle = conn.lock_handle().await.unwrap();
            let mut on: std::ffi::c_int = -1;
            // SAFETY: the handle is locked; -1 asks for the current value.
            let rc = unsafe {
                sqlite3_db_config(
                    handle.as_raw_handle().as_ptr(),
                    SQLITE_DBCONFIG_ENABLE_QPSG,
                    -1 as std::ffi::c_int,
                    &mut on as *mut std::ffi::c_int,
                )
            };
            assert_eq!((rc, on), (0, 1));
        }
    }

    #[test]
    fn an_ssl_mode_in_the_url_is_heard_in_either_spelling() {
        for u in [
            "postgres://u@127.0.0.1/db?sslmode=require",
            "postgres://u@127.0.0.1/db?application_name=x&ssl-mode=verify-full",
        ] {
            assert!(asks_for_tls(u), "{u}");
        }
        for u in [
            "postgres://u@127.0.0.1/db",
            "postgres://u@127.0.0.1/db?application_name=sslmode",
        ] {
            assert!(!asks_for_tls(u), "{u}");
        }
    }

    #[test]
    fn only_this_machine_is_local() {
        for h in [
            "127.0.0.1",
            "127.0.0.2",
            "localhost",
            "::1",
            "[::1]",
            "/var/run/postgresql",
        ] {
            assert!(is_local_host(h), "{h}");
        }
        for h in [
            "db.example.kz",
            "10.0.0.5",
            "192.168.1.2",
            "localhost.example.kz",
            "",
        ] {
            assert!(!is_local_host(h), "{h}");
        }
    }
}
