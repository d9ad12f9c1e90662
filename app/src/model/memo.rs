//! Rows that many requests read and few edits change, kept in this
//! process's memory per database (see [`super::db_key`]), so the test
//! suite's many databases never see each other's rows.
//!
//! An edit made by this process forgets what it changed after its commit.
//! An edit by another process (a second server, a command run beside it)
//! is seen once an entry is [`FRESH_FOR`] old. Only what is shown or
//! queued reads from a memo; a transaction that decides reads the database.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// How long an entry is trusted without an edit from this process.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

struct Kept<K, V> {
    /// Moved on by every forget, so a value read while an edit was
    /// committing is used once but not kept.
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            generation: 0,
            entries: HashMap::new(),
        }
    }
}

/// One kind of kept value, by key, per database.
pub struct Memo<K, V> {
    all: LazyLock<Mutex<HashMap<String, Kept<K, V>>>>,
}

impl<K: Eq + Hash + Copy, V: Clone> Memo<K, V> {
    pub const fn new() -> Self {
        Memo {
            all: LazyLock::new(Default::default),
        }
    }

    fn with<T>(&self, db: &DatabaseConnection, f: impl FnOnce(&mut Kept<K, V>) -> T) -> T {
        let mut all = self.all.lock().unwrap_or_else(|e| e.into_inner());
        f(all.entry(super::db_key(db)).or_default())
    }

    /// The kept value of `key`, or what `read` gives (kept unless an edit
    /// was forgotten meanwhile).
    pub async fn get_or_read<F>(
        &self,
        db: &DatabaseConnection,
        key: K,
        read: impl FnOnce() -> F,
    ) -> Result<V, AppError>
    where
        F: Future<Output = Result<V, AppError>>,
    {
        let (hit, generation) = self.with(db, |k| {
            let hit = k
                .entries
                .get(&key)
                .filter(|(at, _)| at.elapsed() < FRESH_FOR)
                .map(|(_, v)| v.clone());
            (hit, k.generation)
        });
        if let Some(v) = hit {
            return Ok(v);
        }
        let v = read().await?;
        self.with(db, |k| {
            if k.generation == generation {
                k.entries.insert(key, (Instant::now(), v.clone()));
            }
        });
        Ok(v)
    }

    /// What `key` stands for changed: read it again next time. Call it
    /// after the change commits.
    pub fn forget(&self, db: &DatabaseConnection, key: K) {
        self.with(db, |k| {
            k.generation += 1;
            k.entries.remove(&key);
        });
    }

    /// Every key's value may have changed.
    pub fn forget_all(&self, db: &DatabaseConnection) {
        self.with(db, |k| {
            k.generation += 1;
            k.entries.clear();
        });
    }
}

impl<K: Eq + Hash + Copy, V: Clone> Default for Memo<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SEEN: Memo<i32, u32> = Memo::new();

    async fn memory_db() -> DatabaseConnection {
        sea_orm::Database::connect("sqlite::memory:").await.unwrap()
    }

    #[tokio::test]
    async fn a_value_is_read_once_until_it_is_forgotten() {
        let (db, other) = (memory_db().await, memory_db().await);
        let reads = std::sync::atomic::AtomicU32::new(0);
        let read = || async { Ok(reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1) };
        assert_eq!(SEEN.get_or_read(&db, 1, read).await.unwrap(), 1);
        assert_eq!(SEEN.get_or_read(&db, 1, read).await.unwrap(), 1, "kept");
        // Another key, and another database, are read for themselves.
        assert_eq!(SEEN.get_or_read(&db, 2, read).await.unwrap(), 2);
        assert_eq!(SEEN.get_or_read(&other, 1, read).await.unwrap(), 3);
        SEEN.forget(&db, 1);
        assert_eq!(SEEN.get_or_read(&db, 1, read).await.unwrap(), 4);
        assert_eq!(SEEN.get_or_read(&db, 2, read).await.unwrap(), 2, "kept");
        assert_eq!(SEEN.get_or_read(&other, 1, read).await.unwrap(), 3, "kept");
        SEEN.forget_all(&db);
        assert_eq!(SEEN.get_or_read(&db, 2, read).await.unwrap(), 5);
    }

    #[tokio::test]
    async fn a_value_read_during_an_edit_is_not_kept() {
        let db = memory_db().await;
        let got = SEEN
            .get_or_read(&db, 7, || async {
                // An edit commits and forgets while this read is under way.
                SEEN.forget(&db, 7);
                Ok(10)
            })
            .await
            .unwrap();
        assert_eq!(got, 10, "used once");
        let again = SEEN.get_or_read(&db, 7, || async { Ok(11) }).await.unwrap();
        assert_eq!(again, 11, "read again, not the value read during the edit");
    }
}
