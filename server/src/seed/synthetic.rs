//! Synthetic history for volume tests, benchmarks and the demo dashboard.
//!
//! `ortalyq seed-synthetic --centers 15 --days 365` fills an empty database
//! with a region (one regional center and district centers with the demo
//! spaces), members of every age band, and a year of bookings with their
//! signed passes, check-ins, no-shows and cancellations, plus weekly club
//! sessions with attendance. [`history`] adds the same kind of past activity
//! to the demo centers so the demo dashboard is not empty.
//!
//! Everything is generated from a seeded random number generator (the same
//! seed gives the same data), follows the booking rules (no double booking,
//! bookings inside opening hours, no activity on public holidays and
//! closures), and is written in one transaction with multi-row inserts:
//! ids are assigned here, and PostgreSQL's id sequences are moved past them
//! at the end.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};

use app::access::session::hash_password;
use app::centers::service::{center_tz, rules_of};
use app::domain::direction::Direction;
use app::domain::holidays::public_holiday;
use app::domain::pass::{sign, PassClaims, PassKind};
use app::domain::people::Role;
use app::domain::slots::local_to_utc;
use app::model::booking::{STATUS_CANCELLED, STATUS_CONFIRMED, STATUS_NO_SHOW};
use app::model::{
    account, account_center, booking, center, check_in, closure, club, club_attendance,
    club_member, club_session, opening_hours, pass, person, space,
};
use app::state::PassKeyRing;

use super::{
    extra_person, space_row, CENTERS, DEMO_PASSWORD, DISTRICT_HOURS, REGIONAL_HOURS, SPACES,
};

/// What `seed-synthetic` makes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Centers in the region (the first is the regional center).
    pub centers: usize,
    /// Days of history, ending yesterday (center time).
    pub days: u32,
    /// Members registered at each center.
    pub members_per_center: usize,
    /// Random seed: the same seed gives the same data.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            centers: 15,
            days: 365,
            members_per_center: 1500,
            seed: 2026,
        }
    }
}

/// Rows written, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub centers: u64,
    pub people: u64,
    pub bookings: u64,
    pub passes: u64,
    pub check_ins: u64,
    pub no_shows: u64,
    pub cancelled: u64,
    pub club_sessions: u64,
    pub club_attendance: u64,
}

impl Counts {
    /// Rows in the activity tables (bookings, passes, check-ins, club
    /// sessions and attendance).
    pub fn activity_rows(&self) -> u64 {
        self.bookings + self.passes + self.check_ins + self.club_sessions + self.club_attendance
    }
}

/// District names for synthetic centers (Karaganda region), kk / ru / en.
pub(super) const DISTRICTS: [[&str; 3]; 14] = [
    ["Теміртау", "Темиртау", "Temirtau"],
    ["Балқаш", "Балхаш", "Balkhash"],
    ["Саран", "Сарань", "Saran"],
    ["Шахтинск", "Шахтинск", "Shakhtinsk"],
    ["Приозерск", "Приозерск", "Priozersk"],
    ["Абай ауданы", "Абайский район", "Abay District"],
    [
        "Бұқар жырау ауданы",
        "Район Бухар-Жырау",
        "Bukhar-Zhyrau District",
    ],
    [
        "Қарқаралы ауданы",
        "Каркаралинский район",
        "Karkaraly District",
    ],
    [
        "Осакаров ауданы",
        "Осакаровский район",
        "Osakarovka District",
    ],
    ["Нұра ауданы", "Нуринский район", "Nura District"],
    ["Шет ауданы", "Шетский район", "Shet District"],
    ["Ақтоғай ауданы", "Актогайский район", "Aktogay District"],
    [
        "Қазыбек би ауданы",
        "Район Казыбек би",
        "Kazybek Bi District",
    ],
    [
        "Әлихан Бөкейхан ауданы",
        "Район Алихана Букейхана",
        "Alikhan Bokeikhan District",
    ],
];

pub(super) const FIRST_NAMES: [&str; 24] = [
    "Аружан",
    "Нұрсұлтан",
    "Айдана",
    "Ерасыл",
    "Мадина",
    "Әлихан",
    "Дана",
    "Бекзат",
    "Томирис",
    "Алмас",
    "Жансая",
    "Санжар",
    "Анна",
    "Дмитрий",
    "Камила",
    "Ернар",
    "Аяулым",
    "Данияр",
    "Мария",
    "Арман",
    "Асель",
    "Тимур",
    "Диляра",
    "Ислам",
];
pub(super) const LAST_NAMES: [&str; 20] = [
    "Сейтқали",
    "Жұмабаев",
    "Ахметова",
    "Омаров",
    "Касымова",
    "Нұрланов",
    "Иванова",
    "Ким",
    "Әбілқасым",
    "Төлеген",
    "Смагулова",
    "Байжанов",
    "Петров",
    "Мұратова",
    "Серікбай",
    "Ли",
    "Оспанова",
    "Қайратұлы",
    "Есенова",
    "Бекова",
];

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
    registered: DateTime<Utc>,
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
                preferred_lang: Set(lang.into()),
                created_at: Set(registered),
                iin: Set(None),
                settlement: Set(if self.rng.gen_bool(0.33) {
                    "rural"
                } else {
                    "city"
                }
                .into()),
                occupation: Set(occupation.into()),
                education: Set(education.into()),
                guardian_name: Set((age < 18).then(|| "Қамқоршы / Опекун".to_string())),
                guardian_phone: Set((age < 18).then(|| format!("+7701{:07}", pid))),
                guardian_email: Set(None),
                eligibility_override: Set(None),
            });
            self.accounts.push(account::ActiveModel {
                id: Set(aid),
                person_id: Set(pid),
                password_hash: Set(password_hash.to_string()),
                role: Set(Role::Visitor.as_str().into()),
                home_center_id: Set(Some(center_id)),
                created_at: Set(registered),
                calendar_token_hash: Set(None),
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
                (STATUS_CANCELLED, Some(at), None)
            }
            9..=17 => (
                STATUS_NO_SHOW,
                None,
                Some(starts + Duration::minutes(i64::from(s.no_show_minutes))),
            ),
            _ => (STATUS_CONFIRMED, None, None),
        };
        self.bookings.push(booking::ActiveModel {
            id: Set(bid),
            person_id: Set(who.person),
            space_id: Set(s.id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            party_size: Set(party),
            status: Set(status.into()),
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
            kind: Set(PassKind::Booking.as_str().into()),
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
            STATUS_CANCELLED => self.counts.cancelled += 1,
            STATUS_NO_SHOW => self.counts.no_shows += 1,
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

/// How busy a center is at a local hour: quiet mornings, busy after school
/// and work, busier on Saturdays, quieter in the summer holidays.
fn demand(day: NaiveDate, minute: i32, size: f64) -> f64 {
    let hour = minute / 60;
    let by_hour = match hour {
        ..=10 => 0.25,
        11..=13 => 0.4,
        14..=16 => 0.6,
        _ => 0.75,
    };
    let by_day = match day.weekday() {
        Weekday::Sat => 1.2,
        Weekday::Sun => 0.8,
        _ => 1.0,
    };
    let by_month = match day.month() {
        6..=8 => 0.75,
        12 | 1 => 0.9,
        _ => 1.0,
    };
    (by_hour * by_day * by_month * size).min(0.95)
}

/// Bookings of one space on one open day (local minutes `opens..closes`),
/// avoiding `blocked` (club sessions) and never over capacity.
#[allow(clippy::too_many_arguments)]
async fn day_of_space(
    w: &mut Writer<'_>,
    c: &center::Model,
    s: &space::Model,
    members: &[Member],
    day: NaiveDate,
    (opens, closes): (i32, i32),
    blocked: &[(i32, i32)],
    size: f64,
    desk: i32,
) -> Result<(), DbErr> {
    let tz = center_tz(c);
    let rules = rules_of(s);
    let durations = rules.durations();
    let slot = s.slot_minutes.max(15);
    let free = |a: i32, b: i32| blocked.iter().all(|(x, y)| b <= *x || a >= *y);
    if rules.units(2) > 1 {
        // A seat pool: people arrive through the day, each takes a seat for
        // one to three slots; seats in use never exceed the capacity.
        let slots = ((closes - opens) / slot).max(0) as usize;
        let mut used = vec![0i32; slots];
        for i in 0..slots {
            let t = opens + i as i32 * slot;
            let arrivals =
                (f64::from(s.capacity) * demand(day, t, size) * 0.9 * w.rng.gen_range(0.6..1.4))
                    .round() as usize;
            for _ in 0..arrivals {
                // Mostly a slot or two at a desk.
                let len = durations[w.rng.gen_range(0..durations.len().min(2))];
                let n = (len / slot) as usize;
                if i + n > slots || used[i..i + n].iter().any(|u| *u >= s.capacity) {
                    continue;
                }
                let starts = local_to_utc(tz, day, t);
                let Some(who) = w.pick(members, starts) else {
                    continue;
                };
                for u in &mut used[i..i + n] {
                    *u += 1;
                }
                let ends = starts + Duration::minutes(i64::from(len));
                w.booking(c, s, who, starts, ends, 1, desk, tz).await?;
            }
        }
    } else {
        // A room taken whole: walk the day, book or skip each slot.
        let mut t = opens;
        while t + durations[0] <= closes {
            if w.rng.gen_bool(demand(day, t, size)) {
                let mut len = durations[w.rng.gen_range(0..durations.len().min(3))];
                if t + len > closes {
                    len = durations[0];
                }
                if free(t, t + len) {
                    let starts = local_to_utc(tz, day, t);
                    if let Some(who) = w.pick(members, starts) {
                        let ends = starts + Duration::minutes(i64::from(len));
                        let party = w.rng.gen_range(1..=s.max_party.clamp(1, 4));
                        w.booking(c, s, who, starts, ends, party, desk, tz).await?;
                        t += len + s.buffer_minutes;
                        continue;
                    }
                }
            }
            t += slot;
        }
    }
    Ok(())
}

/// A weekly club in a center's lecture hall for the whole history, with
/// members and attendance ticked on the roster.
#[allow(clippy::too_many_arguments)]
async fn club_history(
    w: &mut Writer<'_>,
    c: &center::Model,
    hall: &space::Model,
    leader: i32,
    members: &[Member],
    (weekday, starts_min, minutes): (Weekday, i32, i32),
    names: [&str; 3],
    direction: Direction,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let tz = center_tz(c);
    let k = club::ActiveModel {
        center_id: Set(c.id),
        space_id: Set(hall.id),
        leader_account_id: Set(Some(leader)),
        name_kk: Set(names[0].into()),
        name_ru: Set(names[1].into()),
        name_en: Set(names[2].into()),
        description_kk: Set(String::new()),
        description_ru: Set(String::new()),
        description_en: Set(String::new()),
        direction: Set(direction.as_str().into()),
        weekday: Set(weekday.num_days_from_monday() as i16),
        starts_min: Set(starts_min),
        duration_minutes: Set(minutes),
        term_start: Set(first),
        term_end: Set(last),
        capacity: Set(20),
        min_age: Set(0),
        max_age: Set(0),
        anonymous: Set(false),
        active: Set(true),
        created_at: Set(local_to_utc(tz, first, 9 * 60)),
        ..Default::default()
    }
    .insert(w.txn)
    .await?;
    let joined = local_to_utc(tz, first, 9 * 60);
    let mut roster = Vec::new();
    while roster.len() < 15.min(members.len()) {
        if let Some(m) = w.pick(members, joined) {
            if roster.iter().all(|r: &Member| r.person != m.person) {
                roster.push(m);
            }
        } else {
            break;
        }
    }
    for m in &roster {
        let id = w.ids.club_member;
        w.ids.club_member += 1;
        w.club_members.push(club_member::ActiveModel {
            id: Set(id),
            club_id: Set(k.id),
            person_id: Set(m.person),
            status: Set("member".into()),
            queued_at: Set(joined),
            joined_at: Set(Some(joined)),
            left_at: Set(None),
        });
    }
    let mut day = first;
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    while day <= last {
        let starts = local_to_utc(tz, day, starts_min);
        let ends = starts + Duration::minutes(i64::from(minutes));
        let sid = w.ids.session;
        w.ids.session += 1;
        let cancelled = closed(day);
        w.sessions.push(club_session::ActiveModel {
            id: Set(sid),
            club_id: Set(k.id),
            space_id: Set(hall.id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            cancelled_at: Set(cancelled.then_some(starts - Duration::days(3))),
            cancel_reason: Set(cancelled.then(|| "Орталық жабық / Центр закрыт".into())),
            anonymous_count: Set(None),
        });
        w.counts.club_sessions += 1;
        w.tick().await?;
        if !cancelled && ends < now {
            for m in &roster {
                if w.rng.gen_bool(0.7) {
                    let id = w.ids.attendance;
                    w.ids.attendance += 1;
                    w.attendance.push(club_attendance::ActiveModel {
                        id: Set(id),
                        session_id: Set(sid),
                        person_id: Set(m.person),
                        marked_at: Set(starts + Duration::minutes(5)),
                        marked_by: Set(leader),
                        via: Set("roster".into()),
                    });
                    w.counts.club_attendance += 1;
                }
            }
        }
        day += Duration::days(7);
    }
    Ok(())
}

/// Staff account (director, desk) of a center.
pub(super) async fn staff(
    txn: &DatabaseTransaction,
    center_id: i32,
    role: Role,
    name: &str,
    email: String,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let (_, a) = extra_person(txn, name, &email, role, center_id, password_hash, now).await?;
    account_center::ActiveModel {
        account_id: Set(a.id),
        center_id: Set(center_id),
    }
    .insert(txn)
    .await?;
    Ok(a.id)
}

/// The activity of existing centers over `first..=last`: members, bookings
/// with passes, check-ins, no-shows and cancellations, closures, and two
/// weekly clubs per center (`with_clubs`).
#[allow(clippy::too_many_arguments)]
pub(super) async fn activity(
    w: &mut Writer<'_>,
    centers: &[(center::Model, i32)],
    members_per_center: usize,
    (first, last): (NaiveDate, NaiveDate),
    with_clubs: bool,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let days = u32::try_from((last - first).num_days() + 1).unwrap_or(0);
    for (i, (c, desk)) in centers.iter().enumerate() {
        let desk = *desk;
        // The regional center is the busiest; districts vary.
        let size = if i == 0 {
            1.0
        } else {
            0.45 + 0.4 * w.rng.gen::<f64>()
        };
        let hours = opening_hours_of(w.txn, c.id).await?;
        let spaces = space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .filter(space::Column::Active.eq(true))
            .all(w.txn)
            .await?;
        let members = w
            .members(c.id, members_per_center, first, days, password_hash)
            .await?;
        let closures = quarterly_closures(w.txn, c, desk, (first, last)).await?;
        let closed = |d: NaiveDate| public_holiday(d).is_some() || closures.contains(&d);
        // Clubs meet in the lecture hall in the evening; bookings there keep
        // clear of them.
        let hall = spaces
            .iter()
            .find(|s| s.kind == app::domain::space::SpaceKind::LectureHall.as_str());
        let club_blocks = match (with_clubs, hall) {
            (true, Some(hall)) => {
                weekly_clubs(
                    w,
                    c,
                    hall,
                    desk,
                    &members,
                    &hours,
                    (first, last),
                    &closed,
                    now,
                )
                .await?
            }
            _ => HashMap::new(),
        };
        bookings_by_day(
            w,
            c,
            &spaces,
            hall,
            &members,
            &hours,
            &club_blocks,
            (first, last),
            &closed,
            size,
            desk,
        )
        .await?;
    }
    Ok(())
}

/// A center's opening hours: weekday (0 = Monday) to (opens, closes) in
/// minutes after midnight.
async fn opening_hours_of(
    txn: &DatabaseTransaction,
    center_id: i32,
) -> Result<HashMap<u32, (i32, i32)>, DbErr> {
    let hours: HashMap<u32, (i32, i32)> = opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|h| (h.weekday as u32, (h.opens_min, h.closes_min)))
        .collect();
    Ok(hours)
}

/// A sanitary day each quarter, on the first Friday it is open. Returns the
/// days closed.
async fn quarterly_closures(
    txn: &DatabaseTransaction,
    c: &center::Model,
    desk: i32,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<Vec<NaiveDate>, DbErr> {
    let tz = center_tz(c);
    let mut closures = Vec::new();
    let mut d = first;
    while d <= last {
        if d.weekday() == Weekday::Fri
            && d.day() <= 7
            && matches!(d.month(), 1 | 4 | 7 | 10)
            && public_holiday(d).is_none()
        {
            closure::ActiveModel {
                center_id: Set(c.id),
                day: Set(d),
                reason: Set("Санитарлық күн / Санитарный день".into()),
                created_by: Set(desk),
                created_at: Set(local_to_utc(tz, d - Duration::days(14), 10 * 60)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            closures.push(d);
        }
        d += Duration::days(1);
    }
    Ok(closures)
}

/// Two weekly evening clubs in the lecture hall, each ending half an hour
/// before closing. Returns the (start, end) minutes they block by weekday.
#[allow(clippy::too_many_arguments)]
async fn weekly_clubs(
    w: &mut Writer<'_>,
    c: &center::Model,
    hall: &space::Model,
    desk: i32,
    members: &[Member],
    hours: &HashMap<u32, (i32, i32)>,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    now: DateTime<Utc>,
) -> Result<HashMap<u32, (i32, i32)>, DbErr> {
    let mut club_blocks: HashMap<u32, (i32, i32)> = HashMap::new();
    let plan: [(Weekday, [&str; 3], Direction); 2] = [
        (
            Weekday::Tue,
            [
                "Шешендік өнер клубы",
                "Клуб ораторского искусства",
                "Public speaking club",
            ],
            Direction::Culture,
        ),
        (
            Weekday::Thu,
            [
                "Жас кәсіпкерлер клубы",
                "Клуб молодых предпринимателей",
                "Young entrepreneurs club",
            ],
            Direction::Entrepreneurship,
        ),
    ];
    for (weekday, names, direction) in plan {
        let Some(&(_, closes)) = hours.get(&weekday.num_days_from_monday()) else {
            continue;
        };
        let start = closes - 120;
        club_blocks.insert(weekday.num_days_from_monday(), (start, start + 90));
        club_history(
            w,
            c,
            hall,
            desk,
            members,
            (weekday, start, 90),
            names,
            direction,
            (first, last),
            closed,
            now,
        )
        .await?;
    }
    Ok(club_blocks)
}

/// Bookings of every space on every open day of `first..=last`; the
/// lecture hall keeps clear of the clubs and takes a few daytime bookings.
#[allow(clippy::too_many_arguments)]
async fn bookings_by_day(
    w: &mut Writer<'_>,
    c: &center::Model,
    spaces: &[space::Model],
    hall: Option<&space::Model>,
    members: &[Member],
    hours: &HashMap<u32, (i32, i32)>,
    club_blocks: &HashMap<u32, (i32, i32)>,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    size: f64,
    desk: i32,
) -> Result<(), DbErr> {
    let mut day = first;
    while day <= last {
        let wd = day.weekday().num_days_from_monday();
        if let (false, Some(&open)) = (closed(day), hours.get(&wd)) {
            for s in spaces {
                let is_hall = Some(s.id) == hall.map(|h| h.id);
                // Halls host events and clubs: a few daytime bookings.
                let blocked: Vec<(i32, i32)> = if is_hall {
                    club_blocks.get(&wd).copied().into_iter().collect()
                } else {
                    Vec::new()
                };
                let s_size = if is_hall { size * 0.3 } else { size };
                day_of_space(w, c, s, members, day, open, &blocked, s_size, desk).await?;
            }
        }
        day += Duration::days(1);
    }
    Ok(())
}

/// `seed-synthetic`: an empty database gets a region of `opts.centers`
/// centers with the demo spaces and opening hours, a director and a front
/// desk per center (password: the demo password), and `opts.days` of
/// history ending yesterday. Refuses a database that already has centers.
pub async fn seed_synthetic(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    now: DateTime<Utc>,
    opts: Options,
) -> Result<(Counts, std::time::Duration), DbErr> {
    let started = Instant::now();
    refuse_unless_fresh(db, &opts).await?;
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = db.begin().await?;
    let centers = insert_region(&txn, opts.centers, &password_hash, now).await?;
    let tz = centers
        .first()
        .map(|(c, _)| center_tz(c))
        .unwrap_or(chrono_tz::Asia::Almaty);
    let today = now.with_timezone(&tz).date_naive();
    let range = (
        today - Duration::days(i64::from(opts.days)),
        today - Duration::days(1),
    );
    let mut w = Writer::new(&txn, keys, opts.seed).await?;
    w.counts.centers = centers.len() as u64;
    activity(
        &mut w,
        &centers,
        opts.members_per_center,
        range,
        true,
        &password_hash,
        now,
    )
    .await?;
    let counts = w.finish().await?;
    txn.commit().await?;
    Ok((counts, started.elapsed()))
}

/// Refuse a database that already has centers, and a region or history
/// out of range.
async fn refuse_unless_fresh(db: &DatabaseConnection, opts: &Options) -> Result<(), DbErr> {
    if center::Entity::find().count(db).await? > 0 {
        return Err(DbErr::Custom(
            "the database already has centers; seed-synthetic fills an empty database".into(),
        ));
    }
    if opts.centers == 0 || opts.centers > 1 + DISTRICTS.len() || opts.days == 0 {
        return Err(DbErr::Custom(format!(
            "--centers must be 1..={} and --days at least 1",
            1 + DISTRICTS.len()
        )));
    }
    Ok(())
}

/// A center of the region: slug, names (kk, ru, en), city, opening hours.
type RegionCenter = (String, [String; 3], String, &'static [(i16, i32, i32)]);

/// The slug, names (kk, ru, en), city and opening hours of the region's
/// `i`-th center: the demo regional center first, then the districts.
fn region_center(i: usize) -> RegionCenter {
    if i == 0 {
        let r = &CENTERS[0];
        (
            r.slug.to_string(),
            r.names.map(String::from),
            r.city.to_string(),
            REGIONAL_HOURS,
        )
    } else {
        let d = DISTRICTS[i - 1];
        (
            format!("district-{i}"),
            [
                format!("{} жастар ресурстық орталығы", d[0]),
                format!("Молодёжный ресурсный центр: {}", d[1]),
                format!("{} Youth Resource Center", d[2]),
            ],
            format!("{} / {}", d[0], d[1]),
            DISTRICT_HOURS,
        )
    }
}

/// The region's centers with their opening hours, the demo spaces, a
/// director (the regional center's is an admin) and a front desk each.
/// Returns each center with its desk account's id.
pub(super) async fn insert_region(
    txn: &DatabaseTransaction,
    n: usize,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(center::Model, i32)>, DbErr> {
    let mut centers = Vec::new();
    let mut regional = None;
    for i in 0..n {
        let (slug, names, city, hours) = region_center(i);
        let c = center::ActiveModel {
            parent_id: Set(regional),
            slug: Set(slug),
            name_kk: Set(names[0].clone()),
            name_ru: Set(names[1].clone()),
            name_en: Set(names[2].clone()),
            city: Set(city),
            timezone: Set("Asia/Almaty".into()),
            created_at: Set(now),
            max_future_bookings: Set(3),
            max_studio_minutes_week: Set(240),
            strike_limit: Set(3),
            strike_window_days: Set(30),
            strike_block_days: Set(7),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        regional.get_or_insert(c.id);
        for (weekday, opens, closes) in hours {
            opening_hours::ActiveModel {
                center_id: Set(c.id),
                weekday: Set(*weekday),
                opens_min: Set(*opens),
                closes_min: Set(*closes),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        for s in &SPACES {
            space_row(c.id, s).insert(txn).await?;
        }
        staff(
            txn,
            c.id,
            if i == 0 { Role::Admin } else { Role::Director },
            "Директор / Director",
            format!("director{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        let desk = staff(
            txn,
            c.id,
            Role::FrontDesk,
            "Ресепшн / Front desk",
            format!("desk{i}@synthetic.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        centers.push((c, desk));
    }
    Ok(centers)
}

/// Past activity for the demo centers (`days` ending yesterday) with their
/// own synthetic members, so the demo dashboard has figures to show. The
/// demo accounts' own bookings are left as the demo seed made them. Does
/// nothing if the centers already have bookings before today.
pub async fn history(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    now: DateTime<Utc>,
    days: u32,
) -> Result<Counts, DbErr> {
    let centers = center::Entity::find().all(db).await?;
    let Some(first_center) = centers.first() else {
        return Ok(Counts::default());
    };
    let tz = center_tz(first_center);
    let today = now.with_timezone(&tz).date_naive();
    let past = booking::Entity::find()
        .filter(booking::Column::StartsAt.lt(local_to_utc(tz, today, 0)))
        .count(db)
        .await?;
    if past > 0 || days == 0 {
        return Ok(Counts::default());
    }
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = db.begin().await?;
    // A desk account per center scans the history's passes.
    let mut with_desk = Vec::new();
    for c in centers {
        let desk = staff(
            &txn,
            c.id,
            Role::FrontDesk,
            "Ресепшн (тарих) / Front desk (history)",
            format!("history-desk{}@demo.ortalyq.kz", c.id),
            &password_hash,
            now,
        )
        .await?;
        with_desk.push((c, desk));
    }
    let mut w = Writer::new(&txn, keys, 7).await?;
    let range = (
        today - Duration::days(i64::from(days)),
        today - Duration::days(1),
    );
    activity(&mut w, &with_desk, 150, range, false, &password_hash, now).await?;
    let counts = w.finish().await?;
    txn.commit().await?;
    Ok(counts)
}
