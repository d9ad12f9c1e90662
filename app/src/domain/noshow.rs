//! No-shows and strikes: when an unattended booking becomes a no-show, and
//! when repeated no-shows block a member from booking for a while.

use chrono::{DateTime, Duration, Utc};

/// A center's strike rule: `limit` no-shows within `window_days` block new
/// bookings for `block_days` after the last of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrikeRules {
    pub limit: usize,
    pub window_days: i64,
    pub block_days: i64,
}

/// Whether a booking nobody checked in for is a no-show at `now`: its start
/// plus the space's grace minutes has passed.
pub fn is_no_show(
    starts_at: DateTime<Utc>,
    grace_minutes: i32,
    checked_in: bool,
    now: DateTime<Utc>,
) -> bool {
    !checked_in && now >= starts_at + Duration::minutes(i64::from(grace_minutes.max(0)))
}

/// Until when a member with these (unpardoned) no-shows may not book, or
/// `None` when they may.
pub fn blocked_until(
    no_shows: &[DateTime<Utc>],
    rules: StrikeRules,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if rules.limit == 0 {
        return None;
    }
    let since = now - Duration::days(rules.window_days);
    let recent: Vec<&DateTime<Utc>> = no_shows
        .iter()
        .filter(|t| **t > since && **t <= now)
        .collect();
    if recent.len() < rules.limit {
        return None;
    }
    let last = **recent.iter().max()?;
    let until = last + Duration::days(rules.block_days);
    (until > now).then_some(until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, 6, 0, 0).unwrap()
    }

    const RULES: StrikeRules = StrikeRules {
        limit: 3,
        window_days: 30,
        block_days: 7,
    };

    #[test]
    fn grace_minutes_then_no_show() {
        let start = day(1);
        assert!(!is_no_show(start, 15, false, start + Duration::minutes(14)));
        assert!(is_no_show(start, 15, false, start + Duration::minutes(15)));
        assert!(!is_no_show(start, 15, true, start + Duration::hours(3)));
    }

    #[test]
    fn three_in_thirty_days_block_for_a_week_after_the_last() {
        let shows = [day(1), day(5), day(9)];
        assert_eq!(blocked_until(&shows[..2], RULES, day(9)), None);
        assert_eq!(blocked_until(&shows, RULES, day(9)), Some(day(16)));
        assert_eq!(blocked_until(&shows, RULES, day(15)), Some(day(16)));
        // The block ends a week after the last no-show.
        assert_eq!(blocked_until(&shows, RULES, day(16)), None);
        // No-shows older than the window no longer count.
        let old = [day(1) - Duration::days(40), day(5), day(9)];
        assert_eq!(blocked_until(&old, RULES, day(10)), None);
        // A limit of 0 switches strikes off.
        let off = StrikeRules { limit: 0, ..RULES };
        assert_eq!(blocked_until(&shows, off, day(9)), None);
    }
}
