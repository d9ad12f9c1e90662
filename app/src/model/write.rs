//! Write transactions, and on SQLite the queue they wait in.
//!
//! SQLite has one writer at a time. A second `BEGIN IMMEDIATE` used to wait
//! in SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms between tries: at
//! the door, under a steady stream of scans, those sleeps were the slowest
//! admissions. Writers of this process now queue in memory instead, first
//! come first served, and each one starts the moment the one before it
//! commits. The busy handler still guards against other processes (a
//! backup, the command line).
//!
//! The wait in the queue is bounded ([`QUEUE_WAIT`]): a writer that waited
//! that long goes on to `BEGIN IMMEDIATE` without its turn, so SQLite's own
//! busy timeout decides. A write transaction opened inside another one
//! (a bug) then fails with "database is locked" instead of waiting forever
//! for itself.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::OwnedMutexGuard;

/// One queue per SQLite file, shared by every pool of this process that
/// opens it (sqlx names each in-memory database uniquely). An entry lives
/// while some writer holds or awaits it.
static QUEUES: LazyLock<Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Default::default);

fn queue_of(db: &DatabaseConnection) -> Arc<tokio::sync::Mutex<()>> {
    let file = super::db_key(db);
    let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(q) = queues.get(&file).and_then(Weak::upgrade) {
        return q;
    }
    queues.retain(|_, q| q.strong_count() > 0);
    let q = Arc::new(tokio::sync::Mutex::new(()));
    queues.insert(file, Arc::downgrade(&q));
    q
}

/// The longest a writer waits in the queue before it leaves the wait to
/// SQLite's busy handler. Writers here hold their turn for milliseconds; a
/// queue this slow means something holds a turn it will not give back.
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// A transaction that will write. On SQLite it holds its place at the head
/// of the file's writer queue until it commits, rolls back or is dropped.
pub struct WriteTxn {
    // Declared first so it is dropped (rolled back) before the queue moves on.
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

/// Begin a transaction that will write. On SQLite it waits its turn in the
/// process's writer queue, then runs `BEGIN IMMEDIATE`, so it never has to
/// upgrade a read lock; on PostgreSQL it is a plain transaction (callers lock
/// the rows they guard with `SELECT … FOR UPDATE`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    begin_write_within(db, QUEUE_WAIT).await
}

/// [`begin_write`] with the queue's wait bounded by `wait`.
async fn begin_write_within(db: &DatabaseConnection, wait: Duration) -> Result<WriteTxn, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let turn = match tokio::time::timeout(wait, queue_of(db).lock_owned()).await {
                Ok(turn) => Some(turn),
                Err(_) => {
                    tracing::warn!(?wait, "a SQLite writer waited too long for its turn");
                    None
                }
            };
            let txn = db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            Ok(WriteTxn { txn, _turn: turn })
        }
        // The one allowed plain `begin`: PostgreSQL locks rows as it goes.
        #[allow(clippy::disallowed_methods)]
        _ => Ok(WriteTxn {
            txn: db.begin().await?,
            _turn: None,
        }),
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

    use super::{begin_write, begin_write_within};

    /// A pool whose connections give up at once when the file is locked,
    /// as a busy handler would after its last sleep.
    async fn impatient(file: &std::path::Path) -> DatabaseConnection {
        let mut o = ConnectOptions::new(format!("sqlite://{}?mode=rwc", file.display()));
        o.max_connections(2)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(Duration::ZERO)
            });
        Database::connect(o).await.expect("sqlite opens")
    }

    /// Two pools of this process on one file (as the server and a command
    /// share it): a second writer waits for the first to commit instead of
    /// being refused with "database is locked", and then sees its row.
    #[tokio::test]
    async fn sqlite_writers_wait_their_turn() {
        let dir = std::env::temp_dir().join(format!("oq-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("queue.db");
        let _ = std::fs::remove_file(&file);
        let (a, b) = (impatient(&file).await, impatient(&file).await);
        a.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .unwrap();

        let first = begin_write(&a).await.unwrap();
        first
            .execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let second = tokio::spawn(async move {
            let txn = begin_write(&b).await?;
            let n = txn
                .query_one_raw(sea_orm::Statement::from_string(
                    txn.get_database_backend(),
                    "SELECT COUNT(*) AS n FROM t",
                ))
                .await?
                .map(|r| r.try_get::<i64>("", "n"))
                .transpose()?;
            txn.execute_unprepared("INSERT INTO t VALUES (2)").await?;
            txn.commit().await?;
            Ok::<_, sea_orm::DbErr>(n)
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!second.is_finished(), "the second writer waits");
        first.commit().await.unwrap();
        let seen = second.await.unwrap().expect("the second writer commits");
        assert_eq!(seen, Some(1), "it starts after the first one's commit");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A write transaction opened while the same task holds one (a bug)
    /// fails once its wait in the queue runs out, instead of hanging.
    #[tokio::test]
    async fn a_writer_inside_a_writer_fails_instead_of_hanging() {
        let dir = std::env::temp_dir().join(format!("oq-nested-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("nested.db");
        let _ = std::fs::remove_file(&file);
        let db = impatient(&file).await;
        db.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .unwrap();
        let outer = begin_write(&db).await.unwrap();
        let inner = tokio::time::timeout(
            Duration::from_secs(5),
            begin_write_within(&db, Duration::from_millis(50)),
        )
        .await
        .expect("the inner writer gives up instead of waiting for itself");
        let err = inner.err().expect("SQLite refuses the second writer");
        assert!(err.to_string().contains("locked"), "{err}");
        outer.rollback().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
