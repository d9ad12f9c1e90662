//! API tokens for integrations: their format, scopes and the per-minute
//! rate window. Pure: the caller brings the random bytes and the clock.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Every token starts with this, so a leaked one is easy to recognise
/// (secret scanners, logs) and a session cookie is never mistaken for it.
pub const PREFIX: &str = "oqk_";
/// Random bytes in a token (160 bits).
pub const RANDOM_BYTES: usize = 20;
/// Characters of a token shown in lists to tell tokens apart.
pub const SHOWN_CHARS: usize = PREFIX.len() + 6;
/// Requests per minute a token gets unless the admin chooses otherwise.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 120;
pub const MAX_RATE_PER_MINUTE: u32 = 6000;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiScope {
    /// Centers, spaces and availability of the token's center.
    Read,
    /// Find members, book and cancel for them, see their passes.
    Book,
    /// Admit passes at the token's center (a kiosk at the door).
    CheckIn,
}

impl ApiScope {
    pub const ALL: [ApiScope; 3] = [ApiScope::Read, ApiScope::Book, ApiScope::CheckIn];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::Read => "read",
            ApiScope::Book => "book",
            ApiScope::CheckIn => "check_in",
        }
    }

    pub fn parse(s: &str) -> Option<ApiScope> {
        ApiScope::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// Scopes as stored: `read,book`, in the canonical order, no duplicates.
pub fn join_scopes(scopes: &[ApiScope]) -> String {
    ApiScope::ALL
        .into_iter()
        .filter(|s| scopes.contains(s))
        .map(ApiScope::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// Stored scopes back; unknown names are dropped (never widen access).
pub fn split_scopes(stored: &str) -> Vec<ApiScope> {
    stored.split(',').filter_map(ApiScope::parse).collect()
}

/// A new token from fresh random bytes.
pub fn format_token(random: &[u8; RANDOM_BYTES]) -> String {
    format!(
        "{PREFIX}{}",
        data_encoding::BASE32_NOPAD.encode(random).to_lowercase()
    )
}

/// The token in an `Authorization: Bearer …` header value, when it has the
/// shape of one of ours.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim();
    let body = token.strip_prefix(PREFIX)?;
    let expected = data_encoding::BASE32_NOPAD.encode_len(RANDOM_BYTES);
    (body.len() == expected && body.bytes().all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7')))
        .then_some(token)
}

/// The first characters of a token, shown in the admin list.
pub fn shown_part(token: &str) -> String {
    token.chars().take(SHOWN_CHARS).collect()
}

/// Start of the fixed one-minute rate window `now` falls in.
pub fn rate_window(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now)
}

/// Seconds until the next window opens (the `Retry-After` of a refusal).
pub fn retry_after_secs(now: DateTime<Utc>) -> u32 {
    let next = rate_window(now) + TimeDelta::minutes(1);
    (next - now).num_seconds().clamp(1, 60) as u32
}

/// Whether the `count`-th request of a window is over the token's limit.
pub fn over_limit(count: i64, limit_per_minute: u32) -> bool {
    count > i64::from(limit_per_minute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_formatted_token_is_recognised_in_a_bearer_header() {
        let t = format_token(&[7u8; RANDOM_BYTES]);
        assert!(t.starts_with("oqk_"));
        assert_eq!(bearer_token(&format!("Bearer {t}")), Some(t.as_str()));
        assert_eq!(bearer_token(&format!("bearer  {t} ")), Some(t.as_str()));
        assert_eq!(shown_part(&t).len(), SHOWN_CHARS);
    }

    #[test]
    fn other_credentials_are_not_taken_for_tokens() {
        let t = format_token(&[7u8; RANDOM_BYTES]);
        assert_eq!(bearer_token(&format!("Basic {t}")), None);
        assert_eq!(bearer_token(&t), None);
        assert_eq!(bearer_token("Bearer oqk_short"), None);
        // Upper case and padding are not ours.
        assert_eq!(bearer_token(&format!("Bearer {}", t.to_uppercase())), None);
        assert_eq!(bearer_token(&format!("Bearer {t}=")), None);
        assert_eq!(bearer_token("Bearer "), None);
    }

    #[test]
    fn scopes_round_trip_in_canonical_order_and_unknown_ones_are_dropped() {
        let s = join_scopes(&[ApiScope::CheckIn, ApiScope::Read, ApiScope::CheckIn]);
        assert_eq!(s, "read,check_in");
        assert_eq!(split_scopes(&s), vec![ApiScope::Read, ApiScope::CheckIn]);
        assert_eq!(split_scopes("admin,book,"), vec![ApiScope::Book]);
        assert_eq!(split_scopes(""), vec![]);
    }

    #[test]
    fn the_rate_window_is_the_current_minute() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 15, 42).unwrap();
        assert_eq!(
            rate_window(now),
            Utc.with_ymd_and_hms(2026, 12, 1, 10, 15, 0).unwrap()
        );
        assert_eq!(retry_after_secs(now), 18);
        assert_eq!(retry_after_secs(rate_window(now)), 60);
        assert!(!over_limit(120, 120));
        assert!(over_limit(121, 120));
    }
}
