//! Sign-in rate limiting: how long a login (or a client address) must wait
//! after repeated failures.

use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins allowed per login within the window before a lockout.
pub const MAX_FAILURES_PER_LOGIN: usize = 5;
/// Failed sign-ins allowed per client address within the window (a desk PC
/// or a school network may carry several people).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// Registrations (and code resends) one client address may start within
/// the window: enough for a class registering together behind one school
/// network, too few to spam or to load the server with password hashing.
pub const MAX_SIGNUPS_PER_ADDRESS: usize = 30;
/// The window, and how long a lockout lasts after the last counted failure.
pub const WINDOW_MINUTES: i64 = 15;

/// Given a subject's attempts inside the window, newest first, return the
/// minutes left to wait, or `None` when another attempt is allowed. Every
/// failure in the window counts: a success in between (an attacker signing
/// in to an account of their own from the same address) resets nothing.
pub fn wait_minutes(
    attempts: &[(DateTime<Utc>, bool)],
    now: DateTime<Utc>,
    max_failures: usize,
) -> Option<u32> {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    let failures: Vec<DateTime<Utc>> = attempts
        .iter()
        .filter(|(_, ok)| !ok)
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

/// The key a client address is counted under: an IPv4 host, or the /64
/// network of an IPv6 address (a single subscriber holds a whole /64 and can
/// pick any address in it). Anything unparsable is kept as given.
pub fn address_key(ip: &str) -> String {
    use std::net::IpAddr;
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
        Err(_) => ip.to_string(),
    }
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
    fn a_success_does_not_reset_the_count() {
        let now = t(10);
        let mut a: Vec<_> = (0..3).map(|i| (t(9 - i), false)).collect();
        a.push((t(6), true));
        a.extend((0..2).map(|i| (t(5 - i), false)));
        // Five failures with a success among them: locked until t(4) + 15.
        assert_eq!(wait_minutes(&a, now, 5), Some(9));
        assert_eq!(wait_minutes(&a[..4], now, 5), None);
    }

    #[test]
    fn addresses_are_counted_per_ipv4_host_and_per_ipv6_network() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        // One home or phone gets a whole /64: rotating inside it changes nothing.
        assert_eq!(address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::/64"
        );
        assert_ne!(
            address_key("2001:db8:1:3::1"),
            address_key("2001:db8:1:2::1")
        );
        // IPv4 carried in IPv6 is the IPv4 host.
        assert_eq!(address_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("unknown"), "unknown");
    }
}
