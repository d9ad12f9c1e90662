//! `ortalyq backup` and `ortalyq restore` for SQLite; advice for PostgreSQL.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is a
//! consistent snapshot even while the server keeps writing (WAL mode), and a
//! compact, self-contained file (no `-wal` beside it).
//!
//! A restore replaces the database file, so no server may hold it: `serve`
//! keeps a shared lock on `<database>.lock` for as long as it runs, and
//! `restore` takes that lock exclusively or refuses. The replaced file is
//! kept beside it as `<database>.before-restore-<time>`.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// What to do on PostgreSQL, where `pg_dump` is the right tool.
pub const POSTGRES_ADVICE: &str = "\
This database is PostgreSQL: back it up with pg_dump, which takes a consistent
snapshot while the servers keep running:

  pg_dump --format=custom --file=ortalyq-$(date +%F).dump \"$DATABASE_URL\"

Restore into an empty database (stop the servers first), then start them:

  createdb ortalyq_restored
  pg_restore --no-owner --exit-on-error --dbname=postgres://…/ortalyq_restored ortalyq-YYYY-MM-DD.dump

See docs/DEPLOY.md (\"Backups\").";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{POSTGRES_ADVICE}")]
    Postgres,
    #[error("{0} already exists; choose a new file name")]
    Exists(PathBuf),
    #[error("the database file {0} does not exist")]
    NoDatabase(PathBuf),
    #[error("{0} is not an Ortalyq SQLite backup: {1}")]
    NotABackup(PathBuf, String),
    #[error(
        "a running Ortalyq server holds {0}; stop it (systemctl stop ortalyq) and run restore again"
    )]
    InUse(PathBuf),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// The SQLite file of a `sqlite://…` URL; `None` for other databases.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn lock_path(db_file: &Path) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn open_lock(db_file: &Path) -> Result<File, BackupError> {
    Ok(OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(db_file))?)
}

/// Held by `serve` while it runs (several servers may share a file; a
/// restore may not). Released when the returned file is dropped or the
/// process ends, also on a crash.
pub fn hold_serve_lock(db_file: &Path) -> Result<File, BackupError> {
    if let Some(dir) = db_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let f = open_lock(db_file)?;
    match f.try_lock_shared() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::InUse(db_file.to_owned())),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Tables and their row counts, in name order.
pub async fn table_counts(db: &DatabaseConnection) -> Result<Vec<(String, i64)>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let names: Vec<String> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ))
        .await?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect();
    let mut out = Vec::new();
    for name in names {
        let n = db
            .query_one_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT COUNT(*) AS n FROM \"{}\"",
                    name.replace('"', "\"\"")
                ),
            ))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        out.push((name, n));
    }
    Ok(out)
}

async fn open_readonly(file: &Path) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut opts = sea_orm::ConnectOptions::new(format!("sqlite://{}?mode=ro", file.display()));
    opts.max_connections(1).sqlx_logging(false);
    sea_orm::Database::connect(opts).await
}

/// Check that `file` is a sound SQLite database with Ortalyq's migration
/// table; returns its table row counts.
pub async fn verify(file: &Path) -> Result<Vec<(String, i64)>, BackupError> {
    let bad = |why: String| BackupError::NotABackup(file.to_owned(), why);
    if !file.is_file() {
        return Err(bad("no such file".into()));
    }
    let db = open_readonly(file).await.map_err(|e| bad(e.to_string()))?;
    let check = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| bad(e.to_string()))?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    if check != "ok" {
        db.close().await?;
        return Err(bad(format!("integrity check: {check}")));
    }
    let counts = table_counts(&db).await.map_err(|e| bad(e.to_string()))?;
    db.close().await?;
    if !counts.iter().any(|(t, _)| t == "seaql_migrations") {
        return Err(bad("it has no migrations table".into()));
    }
    Ok(counts)
}

/// Write a consistent copy of the SQLite database at `url` to `dest` (which
/// must not exist). Safe while servers run. Returns the copy's row counts.
pub async fn backup(url: &str, dest: &Path) -> Result<Vec<(String, i64)>, BackupError> {
    let Some(file) = sqlite_file(url) else {
        return Err(BackupError::Postgres);
    };
    if !file.is_file() {
        return Err(BackupError::NoDatabase(file));
    }
    if dest.exists() {
        return Err(BackupError::Exists(dest.to_owned()));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let db = crate::db::connect(&format!("sqlite://{}", file.display())).await?;
    let target = dest.to_string_lossy().replace('\'', "''");
    let result = db
        .execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await;
    db.close().await?;
    result?;
    // A backup holds every member's data: owner-only, whatever the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dest, std::fs::Permissions::from_mode(0o600))?;
    }
    verify(dest).await
}

/// Replace the SQLite database at `url` with the backup `src`. Refuses while
/// a server holds the database. The old file is kept beside it; returns its
/// new name (if there was one).
pub async fn restore(
    url: &str,
    src: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<PathBuf>, BackupError> {
    let Some(file) = sqlite_file(url) else {
        return Err(BackupError::Postgres);
    };
    verify(src).await?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let lock = open_lock(&file)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(BackupError::InUse(file)),
        Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
    }
    let with_suffix = |p: &Path, suffix: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    // Copy first, next to the target, so the swap below is a rename.
    let incoming = with_suffix(&file, ".restoring");
    std::fs::copy(src, &incoming)?;
    File::open(&incoming)?.sync_all()?;
    let kept = if file.exists() {
        let old = with_suffix(
            &file,
            &format!(".before-restore-{}", now.format("%Y%m%dT%H%M%SZ")),
        );
        std::fs::rename(&file, &old)?;
        // The old database's write-ahead log belongs to the old file: keep
        // it with it, or SQLite would apply it to the restored one.
        for ext in ["-wal", "-shm"] {
            let side = with_suffix(&file, ext);
            if side.exists() {
                std::fs::rename(&side, with_suffix(&old, ext))?;
            }
        }
        Some(old)
    } else {
        None
    };
    std::fs::rename(&incoming, &file)?;
    drop(lock);
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_file_comes_from_the_url() {
        assert_eq!(
            sqlite_file("sqlite://data/ortalyq.db?mode=rwc"),
            Some(PathBuf::from("data/ortalyq.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/ortalyq/o.db"),
            Some(PathBuf::from("/var/lib/ortalyq/o.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://postgres@127.0.0.1/ortalyq"), None);
    }
}
