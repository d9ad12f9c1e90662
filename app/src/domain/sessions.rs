//! How long a sign-in lasts. Staff (front desk, directors, admins, mentors)
//! often sit at shared desk computers: their sessions end a fixed time after
//! signing in and after a spell without use. Visitors keep long sessions on
//! their own phones, and their cookie's token is replaced now and then, so a
//! copied cookie stops working once the real one moves on.

use chrono::{DateTime, Duration, Utc};

use crate::domain::people::Role;

/// A staff session ends this long after sign-in, however busy.
pub const STAFF_MAX_HOURS: i64 = 12;
/// A staff session ends after this long without a request, unless
/// `ORTALYQ_STAFF_IDLE_MINUTES` says otherwise.
pub const DEFAULT_STAFF_IDLE_MINUTES: i64 = 30;
/// The longest idle limit the setting accepts (the absolute limit).
pub const MAX_STAFF_IDLE_MINUTES: i64 = STAFF_MAX_HOURS * 60;
/// A visitor's session lasts this long after its token was issued.
pub const VISITOR_DAYS: i64 = 30;
/// A visitor's token is replaced by a new one once it is this old.
pub const ROTATE_AFTER_HOURS: i64 = 24;
/// A replaced token still works this long, so requests the browser sent
/// together with the one that got the new token go through.
pub const ROTATION_GRACE_SECONDS: i64 = 60;
/// `last_seen_at` is written at most this often.
pub const SEEN_EVERY_SECONDS: i64 = 60;

/// The configurable part of the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub staff_idle_minutes: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            staff_idle_minutes: DEFAULT_STAFF_IDLE_MINUTES,
        }
    }
}

/// The times of one session, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimes {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub rotated_at: Option<DateTime<Utc>>,
}

/// What to do with a session a request presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Over: delete it and treat the caller as signed out.
    Ended,
    /// Good. `touch`: record this request as its last use; `rotate`: issue
    /// a new token in its place.
    Live { touch: bool, rotate: bool },
}

/// Whether a role gets the short staff sessions.
pub fn is_staff_session(role: Role) -> bool {
    role != Role::Visitor
}

impl SessionPolicy {
    /// How long a new session of this role may last at most.
    pub fn lifetime(self, role: Role) -> Duration {
        if is_staff_session(role) {
            Duration::hours(STAFF_MAX_HOURS)
        } else {
            Duration::days(VISITOR_DAYS)
        }
    }

    /// The verdict on a session of an account with `role` at `now`.
    pub fn verdict(self, role: Role, t: SessionTimes, now: DateTime<Utc>) -> Verdict {
        let seen = t.last_seen_at.unwrap_or(t.created_at);
        if t.expires_at <= now {
            return Verdict::Ended;
        }
        let staff = is_staff_session(role);
        if staff
            && (now - t.created_at >= Duration::hours(STAFF_MAX_HOURS)
                || now - seen >= Duration::minutes(self.staff_idle_minutes))
        {
            return Verdict::Ended;
        }
        Verdict::Live {
            touch: now - seen >= Duration::seconds(SEEN_EVERY_SECONDS),
            rotate: !staff
                && t.rotated_at.is_none()
                && now - t.created_at >= Duration::hours(ROTATE_AFTER_HOURS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: i64, m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
            + Duration::hours(h)
            + Duration::minutes(m)
    }

    fn times(role: Role, seen: Option<DateTime<Utc>>) -> SessionTimes {
        SessionTimes {
            created_at: at(0, 0),
            expires_at: at(0, 0) + SessionPolicy::default().lifetime(role),
            last_seen_at: seen,
            rotated_at: None,
        }
    }

    #[test]
    fn staff_sessions_end_when_idle_or_after_twelve_hours() {
        let p = SessionPolicy::default();
        for role in [Role::FrontDesk, Role::Director, Role::Admin, Role::Mentor] {
            let fresh = times(role, None);
            assert_eq!(
                p.verdict(role, fresh, at(0, 29)),
                Verdict::Live {
                    touch: true,
                    rotate: false
                }
            );
            assert_eq!(p.verdict(role, fresh, at(0, 30)), Verdict::Ended);
            let busy = times(role, Some(at(11, 50)));
            assert!(matches!(
                p.verdict(role, busy, at(11, 59)),
                Verdict::Live { .. }
            ));
            assert_eq!(p.verdict(role, busy, at(12, 0)), Verdict::Ended);
        }
        let longer = SessionPolicy {
            staff_idle_minutes: 90,
        };
        let t = times(Role::FrontDesk, None);
        assert!(matches!(
            longer.verdict(Role::FrontDesk, t, at(1, 0)),
            Verdict::Live { .. }
        ));
    }

    #[test]
    fn visitor_sessions_last_and_rotate_once() {
        let p = SessionPolicy::default();
        let t = times(Role::Visitor, None);
        assert_eq!(
            p.verdict(Role::Visitor, t, at(0, 31)),
            Verdict::Live {
                touch: true,
                rotate: false
            }
        );
        assert_eq!(
            p.verdict(Role::Visitor, t, at(24, 0)),
            Verdict::Live {
                touch: true,
                rotate: true
            }
        );
        let rotated = SessionTimes {
            rotated_at: Some(at(24, 0)),
            ..t
        };
        assert!(matches!(
            p.verdict(Role::Visitor, rotated, at(24, 0)),
            Verdict::Live { rotate: false, .. }
        ));
        assert_eq!(
            p.verdict(Role::Visitor, t, at(0, 0) + Duration::days(VISITOR_DAYS)),
            Verdict::Ended
        );
    }

    #[test]
    fn last_use_is_written_at_most_once_a_minute() {
        let p = SessionPolicy::default();
        let t = times(Role::Visitor, Some(at(1, 0)));
        assert!(matches!(
            p.verdict(Role::Visitor, t, at(1, 0) + Duration::seconds(59)),
            Verdict::Live { touch: false, .. }
        ));
        assert!(matches!(
            p.verdict(Role::Visitor, t, at(1, 1)),
            Verdict::Live { touch: true, .. }
        ));
    }
}
