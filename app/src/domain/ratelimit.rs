//! Sign-in rate limiting: how long a login (or a client address) must wait
//! after repeated failures.

use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins allowed per login within the window before a lockout.
pub const MAX_FAILURES_PER_LOGIN: usize = 5;
/// Failed sign-ins allowed per client address within the window (a desk PC
/// or a school network may carry several people).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window, and how long a lockout lasts after the last counted failure.
pub const WINDOW_MINUTES: i64 = 15;

/// Given a subject's attempts inside the window, newest first, return the
/// minutes left to wait, or `None` when another attempt is allowed. Only
/// failures since the last success count.
pub fn wait_minutes(
    attempts: &[(DateTime<Utc>, bool)],
    now: DateTime<Utc>,
    max_failures: usize,
) -> Option<u32> {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    let failures: Vec<DateTime<Utc>> = attempts
        .iter()
        .take_while(|(_, ok)| !ok)
        .map(|(at, _)| *at)
        .filter(|at| *at > window_start)
        .collect();
    if failures.len() < max_failures {
        return None;
    }
    // Unlocks when the oldest failure that keeps the count at the limit
    // leaves the window.
    let pivot = failures[max_failures - 1];
    let unlock = pivot + Duration::minutes(WINDOW_MINUTES);
    let secs = (unlock - now).num_seconds().max(1);
    Some(((secs + 59) / 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap() + Duration::minutes(min)
    }

    #[test]
    fn five_failures_lock_for_the_rest_of_the_window() {
        let now = t(10);
        let four: Vec<_> = (0..4).map(|i| (t(9 - i), false)).collect();
        assert_eq!(wait_minutes(&four, now, 5), None);
        let five: Vec<_> = (0..5).map(|i| (t(9 - i), false)).collect();
        // Oldest counted failure at t(5): unlocks at t(20), 10 minutes from now.
        assert_eq!(wait_minutes(&five, now, 5), Some(10));
        assert_eq!(wait_minutes(&five, t(19), 5), Some(1));
        assert_eq!(wait_minutes(&five, t(21), 5), None);
    }

    #[test]
    fn a_success_resets_the_count() {
        let now = t(10);
        let mut a: Vec<_> = (0..3).map(|i| (t(9 - i), false)).collect();
        a.push((t(6), true));
        a.extend((0..3).map(|i| (t(5 - i), false)));
        assert_eq!(wait_minutes(&a, now, 5), None);
    }
}
