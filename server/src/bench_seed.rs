//! Benchmark accounts (`ortalyq bench-sessions`, hidden): many adult
//! visitors of the regional demo center, each with a session, so the load
//! generator under `bench/` can act as hundreds of distinct signed-in
//! members without paying for hundreds of password hashes. The sessions are
//! the same rows `/api/login` creates.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use app::access::session::create_session;
use app::domain::people::Role;
use app::error::AppError;
use app::model::{account, center, person};

/// Session tokens: the demo front desk's, then one per new visitor.
pub struct BenchSessions {
    pub desk: String,
    pub visitors: Vec<String>,
}

/// Create `visitors` adult members of the regional demo center (emails
/// `bench-<run>-<n>@bench.ortalyq.kz`, no usable password) and a session for
/// each, plus a session for the demo front desk. Needs the demo data.
pub async fn bench_sessions(
    db: &DatabaseConnection,
    visitors: usize,
    now: DateTime<Utc>,
) -> Result<BenchSessions, AppError> {
    let regional = center::Entity::find()
        .filter(center::Column::Slug.eq("karaganda-regional"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let desk_person = person::Entity::find()
        .filter(person::Column::Email.eq("desk@demo.ortalyq.kz"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let desk_account = account::Entity::find()
        .filter(account::Column::PersonId.eq(desk_person.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // Several runs against one database must not collide on the email.
    let run = now.timestamp_micros() ^ i64::from(rand::random::<u32>());
    let txn = app::model::begin_write(db).await?;
    let desk = create_session(&txn, desk_account.id, now).await?;
    let mut tokens = Vec::with_capacity(visitors);
    for n in 0..visitors {
        let p = person::ActiveModel {
            full_name: Set(format!("Bench Member {n}")),
            birth_date: Set(NaiveDate::from_ymd_opt(2000, 3, 8).expect("valid date")),
            phone: Set(None),
            email: Set(Some(format!("bench-{run:x}-{n}@bench.ortalyq.kz"))),
            preferred_lang: Set(app::i18n::Locale::En),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let a = account::ActiveModel {
            person_id: Set(p.id),
            // Not a valid hash: nobody can sign in as a bench member.
            password_hash: Set("!".into()),
            role: Set(Role::Visitor),
            home_center_id: Set(Some(regional.id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        tokens.push(create_session(&txn, a.id, now).await?);
    }
    txn.commit().await?;
    Ok(BenchSessions {
        desk,
        visitors: tokens,
    })
}
