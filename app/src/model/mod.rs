//! SeaORM entities: the one data model shared by scheduling, passes and
//! reporting. Server-only; the browser never compiles sea-orm.

pub mod account;
pub mod account_center;
pub mod api_token;
pub mod audit_log;
pub mod booking;
pub mod center;
pub mod check_in;
pub mod closure;
pub mod club;
pub mod club_attendance;
pub mod club_member;
pub mod club_session;
pub mod consent;
pub mod consultation_slot;
pub mod direction;
pub mod equipment_item;
pub mod equipment_loan;
pub mod event;
pub mod event_registration;
pub mod guardian_code;
pub mod holiday;
pub mod holiday_opening;
pub mod induction;
pub mod login_attempt;
pub mod mentor;
pub mod notice;
pub mod offline_scan;
pub mod opening_hours;
pub mod outbox;
pub mod pass;
pub mod person;
pub mod program;
pub mod program_application;
pub mod program_attendance;
pub mod program_session;
pub mod reset_code;
pub mod session;
pub mod space;
pub mod telegram_chat;
pub mod telegram_link_code;
pub mod webhook_endpoint;

pub mod memo;
mod write;
pub use write::{begin_write, WriteTxn};

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// Which database a connection pool reaches, as this process names it: the
/// key of what the process keeps per database (the SQLite writer queue, the
/// centers' schedules). Every pool on one database has the same key; sqlx
/// gives each in-memory SQLite database a name of its own.
pub fn db_key(db: &DatabaseConnection) -> String {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let o = db.get_sqlite_connection_pool().connect_options();
            format!("sqlite:{}", o.get_filename().display())
        }
        DatabaseBackend::Postgres => {
            let o = db.get_postgres_connection_pool().connect_options();
            let place = match o.get_socket() {
                Some(dir) => dir.display().to_string(),
                None => format!("{}:{}", o.get_host(), o.get_port()),
            };
            format!("postgres:{place}/{}", o.get_database().unwrap_or_default())
        }
        other => format!("{other:?}"),
    }
}

/// `FOR UPDATE` where the database has row locks (PostgreSQL); SQLite's
/// immediate transaction already holds the write lock.
pub fn for_update<S: sea_orm::QuerySelect>(q: S, backend: DatabaseBackend) -> S {
    match backend {
        DatabaseBackend::Postgres => q.lock_exclusive(),
        _ => q,
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;

    /// A stored enum's database code (from its SeaORM derive) is the code its
    /// `as_str` sends in forms and DTOs: the two can never drift apart.
    macro_rules! same_codes {
        ($($t:ty),* $(,)?) => {$(
            for v in <$t>::ALL.iter().copied() {
                assert_eq!(v.to_value(), v.as_str(), "{v:?}");
                assert_eq!(<$t>::try_from_value(&v.as_str().to_string()).ok(), Some(v));
            }
        )*};
    }

    #[test]
    fn stored_enums_use_their_codes() {
        use crate::domain::codes::*;
        use crate::domain::{
            consultation::Field, lang::Locale, lending::*, people::*, space::SpaceKind,
        };
        same_codes!(
            BookingStatus,
            ClubPlace,
            EventPlace,
            AppStatus,
            AttendanceVia,
            OutboxKind,
            OutboxStatus,
            NotifyChannel,
            NoticeKind,
            ConsentMethod,
            AuditKind,
            SpaceKind,
            ItemKind,
            Condition,
            Field,
            Settlement,
            Occupation,
            Education,
        );
        for s in [
            LoanStatus::Reserved,
            LoanStatus::Out,
            LoanStatus::Returned,
            LoanStatus::Cancelled,
        ] {
            assert_eq!(s.to_value(), s.as_str());
        }
        for r in [
            Role::Visitor,
            Role::Mentor,
            Role::FrontDesk,
            Role::Director,
            Role::Admin,
        ] {
            assert_eq!(r.to_value(), r.as_str());
        }
        for l in Locale::ALL {
            assert_eq!(l.to_value(), l.code());
        }
        for k in [
            crate::domain::pass::PassKind::Booking,
            crate::domain::pass::PassKind::Membership,
            crate::domain::pass::PassKind::ClubSession,
            crate::domain::pass::PassKind::Event,
            crate::domain::pass::PassKind::EquipmentLoan,
        ] {
            assert_eq!(k.to_value(), k.as_str());
        }
    }
}
