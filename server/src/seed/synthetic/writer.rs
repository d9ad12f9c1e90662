//! The writer of the synthetic rows: ids handed out here, multi-row
//! inserts in batches, and the members and bookings it makes from the
//! seeded random number generator.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QuerySelect, Set,
};

use app::domain::codes::BookingStatus;
use app::domain::pass::{sign, PassClaims, PassKind};
use app::domain::people::Role;
use app::domain::slots::local_to_utc;
use app::model::{
    account, booking, center, check_in, club_attendance, club_member, club_session, pass, person,
    space,
};
use app::state::PassKeyRing;

use super::names::{FIRST_NAMES, LAST_NAMES};
use super::Counts;

/// Rows waiting for a multi-row insert.
pub(super) struct Batch<A: ActiveModelTrait> {
    rows: Vec<A>,
}

/// Rows per INSERT: below SQLite's 32,766 bound variables for the widest
/// table (bookings, 18 columns).
const BATCH: usize = 1000;

impl<A> Batch<A>
where
    A: ActiveModelTrait + Send,
{
    fn new() -> Self {
        Batch {
            rows: Vec::with_capacity(BATCH),
        }
    }

    pub(super) fn push(&mut self, row: A) {
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        self.rows.len() >= BATCH
    }

    async fn flush(&mut self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        <A::Entity as EntityTrait>::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
        Ok(())
    }
}

/// Next free id of a table (ids are assigned here for multi-row inserts).
async fn next_id<E: EntityTrait>(txn: &DatabaseTransaction, id: E::Column) -> Result<i32, DbErr> {
    let max: Option<Option<i32>> = E::find()
        .select_only()
        .column_as(
            sea_orm::sea_query::Expr::from(sea_orm::sea_query::Func::max(
                sea_orm::sea_query::Expr::col(id),
            )),
            "m",
        )
        .into_tuple()
        .one(txn)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// PostgreSQL: move a table's id sequence past the ids written here.
async fn fix_sequence(txn: &DatabaseTransaction, table: &str) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}

/// A member who can book: person and account ids, registration time.
#[derive(Clone, Copy)]
pub(super) struct Member {
    pub(super) person: i32,
    account: i32,
    pub(super) registered: DateTime<Utc>,
}

/// Ids handed out in this run.
pub(super) struct Ids {
    pub(super) person: i32,
    pub(super) account: i32,
    pub(super) booking: i32,
    pub(super) pass: i32,
    pub(super) check_in: i32,
    pub(super) session: i32,
    pub(super) attendance: i32,
    pub(super) club_member: i32,
}

pub(super) struct Writer<'a> {
    pub(super) txn: &'a DatabaseTransaction,
    keys: &'a PassKeyRing,
    pub(super) rng: StdRng,
    pub(super) ids: Ids,
    pub(super) counts: Counts,
    people: Batch<person::ActiveModel>,
    accounts: Batch<account::ActiveModel>,
    bookings: Batch<booking::ActiveModel>,
    passes: Batch<pass::ActiveModel>,
    check_ins: Batch<check_in::ActiveModel>,
    pub(super) sessions: Batch<club_session::ActiveModel>,
    pub(super) attendance: Batch<club_attendance::ActiveModel>,
    pub(super) club_members: Batch<club_member::ActiveModel>,
}

impl<'a> Writer<'a> {
    pub(super) async fn new(
        txn: &'a DatabaseTransaction,
        keys: &'a PassKeyRing,
        seed: u64,
    ) -> Result<Writer<'a>, DbErr> {
        let ids = Ids {
            person: next_id::<person::Entity>(txn, person::Column::Id).await?,
            account: next_id::<account::Entity>(txn, account::Column::Id).await?,
            booking: next_id::<booking::Entity>(txn, booking::Column::Id).await?,
            pass: next_id::<pass::Entity>(txn, pass::Column::Id).await?,
            check_in: next_id::<check_in::Entity>(txn, check_in::Column::Id).await?,
            session: next_id::<club_session::Entity>(txn, club_session::Column::Id).await?,
            attendance: next_id::<club_attendance::Entity>(txn, club_attendance::Column::Id)
                .await?,
            club_member: next_id::<club_member::Entity>(txn, club_member::Column::Id).await?,
        };
        Ok(Writer {
            txn,
            keys,
            rng: StdRng::seed_from_u64(seed),
            ids,
            counts: Counts::default(),
            people: Batch::new(),
            accounts: Batch::new(),
            bookings: Batch::new(),
            passes: Batch::new(),
            check_ins: Batch::new(),
            sessions: Batch::new(),
            attendance: Batch::new(),
            club_members: Batch::new(),
        })
    }

    /// Write every waiting row, parents before the rows that refer to them.
    async fn flush_all(&mut self) -> Result<(), DbErr> {
        let txn = self.txn;
        self.people.flush(txn).await?;
        self.accounts.flush(txn).await?;
        self.bookings.flush(txn).await?;
        self.passes.flush(txn).await?;
        self.check_ins.flush(txn).await?;
        self.sessions.flush(txn).await?;
        self.club_members.flush(txn).await?;
        self.attendance.flush(txn).await
    }

    /// Flush once any batch is full.
    pub(super) async fn tick(&mut self) -> Result<(), DbErr> {
        if self.people.full()
            || self.accounts.full()
            || self.bookings.full()
            || self.passes.full()
            || self.check_ins.full()
            || self.sessions.full()
            || self.club_members.full()
            || self.attendance.full()
        {
            self.flush_all().await?;
        }
        Ok(())
    }

    /// Flush every batch and fix the sequences.
    pub(super) async fn finish(mut self) -> Result<Counts, DbErr> {
        let txn = self.txn;
        self.flush_all().await?;
        for t in [
            "people",
            "accounts",
            "bookings",
            "passes",
            "check_ins",
            "club_sessions",
            "club_members",
            "club_attendance",
        ] {
            fix_sequence(txn, t).await?;
        }
        Ok(self.counts)
    }

    /// Members of one center: ages 14–35, a third from villages, about one
    /// in ten neither studying nor working; most registered before the
    /// history starts, the rest during it.
    pub(super) async fn members(
        &mut self,
        center_id: i32,
        n: usize,
        first_day: NaiveDate,
        days: u32,
        password_hash: &str,
    ) -> Result<Vec<Member>, DbErr> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let (pid, aid) = (self.ids.person, self.ids.account);
            self.ids.person += 1;
            self.ids.account += 1;
            let age_days = self.rng.gen_range(14 * 365 + 30..36 * 365 - 30);
            let birth = first_day - Duration::days(age_days);
            let registered_day = if self.rng.gen_bool(0.6) {
                first_day - Duration::days(self.rng.gen_range(1..400))
            } else {
                first_day + Duration::days(self.rng.gen_range(0..i64::from(days.max(1))))
            };
            let registered = local_to_utc(chrono_tz::Asia::Almaty, registered_day, 12 * 60);
            let age = (first_day - birth).num_days() / 365;
            let occupation = match (age, self.rng.gen_range(0..100)) {
                (..=17, _) => "pupil",
                (_, 0..=9) => "neet",
                (18..=22, _) => "student",
                (_, 10..=24) => "student",
                _ => "employed",
            };
            let education = match age {
                ..=16 => "basic",
                17..=19 => "secondary",
                20..=22 => "vocational",
                _ if self.rng.gen_bool(0.15) => "master",
                _ => "bachelor",
            };
            let name = format!(
                "{} {}",
                FIRST_NAMES[self.rng.gen_range(0..FIRST_NAMES.len())],
                LAST_NAMES[self.rng.gen_range(0..LAST_NAMES.len())]
            );
            let lang = ["kk", "kk", "ru", "ru", "en"][self.rng.gen_range(0..5)];
            self.people.push(person::ActiveModel {
                id: Set(pid),
                full_name: Set(name),
                birth_date: Set(birth),
                phone: Set(Some(format!("+7705{:07}", pid))),
                email: Set(Some(format!("member{pid}@synthetic.ortalyq.kz"))),
                preferred_lang: Set(app::i18n::Locale::parse(lang).expect("a known code")),
                created_at: Set(registered),
                iin: Set(None),
                settlement: Set(if self.rng.gen_bool(0.33) {
                    app::domain::people::Settlement::Rural
                } else {
                    app::domain::people::Settlement::City
                }),
                occupation: Set(
                    app::domain::people::Occupation::parse(occupation).expect("a known code")
                ),
                education: Set(
                    app::domain::people::Education::parse(education).expect("a known code")
                ),
                guardian_name: Set((age < 18).then(|| "Қамқоршы / Опекун".to_string())),
                guardian_phone: Set((age < 18).then(|| format!("+7701{:07}", pid))),
                guardian_email: Set(None),
                eligibility_override: Set(None),
                notify_channel: Set(None),
            });
            self.accounts.push(account::ActiveModel {
                id: Set(aid),
                person_id: Set(pid),
                password_hash: Set(password_hash.to_string()),
                role: Set(Role::Visitor),
                home_center_id: Set(Some(center_id)),
                created_at: Set(registered),
                calendar_token_hash: Set(None),
                pending_since: Set(None),
                disabled_at: Set(None),
            });
            out.push(Member {
                person: pid,
                account: aid,
                registered,
            });
            self.tick().await?;
        }
        self.counts.people += n as u64;
        out.sort_by_key(|m| m.registered);
        Ok(out)
    }

    /// A member registered before `t`, regulars more often than others.
    pub(super) fn pick(&mut self, members: &[Member], t: DateTime<Utc>) -> Option<Member> {
        let n = members.partition_point(|m| m.registered < t);
        if n == 0 {
            return None;
        }
        // Squaring a uniform number favours the first (longest-registered)
        // members: a few regulars make many of the visits.
        let u: f64 = self.rng.gen();
        Some(members[((u * u) * n as f64) as usize % n])
    }

    /// One booking with its pass and what happened to it: checked in, a
    /// no-show, or cancelled in advance.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn booking(
        &mut self,
        c: &center::Model,
        s: &space::Model,
        who: Member,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
        party: i32,
        desk: i32,
        tz: Tz,
    ) -> Result<(), DbErr> {
        let (bid, pid) = (self.ids.booking, self.ids.pass);
        self.ids.booking += 1;
        self.ids.pass += 1;
        let created =
            (starts - Duration::minutes(self.rng.gen_range(30..4 * 24 * 60))).max(who.registered);
        let roll = self.rng.gen_range(0..100);
        let (status, cancelled_at, no_show_at) = match roll {
            0..=8 => {
                let at = created + (starts - created) / 2;
                (BookingStatus::Cancelled, Some(at), None)
            }
            9..=17 => (
                BookingStatus::NoShow,
                None,
                Some(starts + Duration::minutes(i64::from(s.no_show_minutes))),
            ),
            _ => (BookingStatus::Confirmed, None, None),
        };
        self.bookings.push(booking::ActiveModel {
            id: Set(bid),
            person_id: Set(who.person),
            space_id: Set(s.id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            party_size: Set(party),
            status: Set(status),
            created_by: Set(who.account),
            created_at: Set(created),
            cancelled_at: Set(cancelled_at),
            cancelled_by: Set(cancelled_at.map(|_| who.account)),
            request_key: Set(None),
            purpose: Set(None),
            decision_reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            series_key: Set(None),
            no_show_at: Set(no_show_at),
            pardoned_at: Set(None),
            pardoned_by: Set(None),
        });
        let claims = PassClaims {
            key_id: self.keys.key_id,
            pass_id: pid as u32,
            holder_id: who.person as u32,
            kind: PassKind::Booking,
            center_id: c.id as u32,
            valid_from: starts,
            valid_until: ends,
        };
        self.passes.push(pass::ActiveModel {
            id: Set(pid),
            person_id: Set(who.person),
            booking_id: Set(Some(bid)),
            kind: Set(PassKind::Booking),
            center_id: Set(c.id),
            valid_from: Set(starts),
            valid_until: Set(ends),
            key_id: Set(i16::from(self.keys.key_id)),
            code: Set(sign(&claims, &self.keys.signing)),
            revoked_at: Set(cancelled_at),
            issued_at: Set(created),
            club_id: Set(None),
            event_id: Set(None),
        });
        self.counts.bookings += 1;
        self.counts.passes += 1;
        self.tick().await?;
        match status {
            BookingStatus::Cancelled => self.counts.cancelled += 1,
            BookingStatus::NoShow => self.counts.no_shows += 1,
            _ => {
                let scanned = starts - Duration::minutes(self.rng.gen_range(0..15));
                let out = ends + Duration::minutes(self.rng.gen_range(-15..5));
                let id = self.ids.check_in;
                self.ids.check_in += 1;
                self.check_ins.push(check_in::ActiveModel {
                    id: Set(id),
                    pass_id: Set(pid),
                    person_id: Set(who.person),
                    center_id: Set(c.id),
                    space_id: Set(Some(s.id)),
                    scanned_at: Set(scanned),
                    scanned_by: Set(desk),
                    local_day: Set(scanned.with_timezone(&tz).date_naive()),
                    checked_out_at: Set(Some(out)),
                    checked_out_by: Set(Some(desk)),
                    undone_at: Set(None),
                    undone_by: Set(None),
                });
                self.counts.check_ins += 1;
            }
        }
        Ok(())
    }
}
