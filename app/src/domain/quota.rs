//! Fair-share quotas: how much a member may hold at once.

use chrono::{DateTime, Duration, Utc};

/// A center's fair-share limits for members (staff are exempt).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Upcoming (not yet ended) bookings a member may hold.
    pub max_future_bookings: usize,
    /// Studio minutes a member may book within any rolling 7 days.
    pub max_studio_minutes_week: i64,
}

/// A member's booking as far as quotas are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub studio: bool,
}

/// Which rule refused, and from when the member can book again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaRefusal {
    FutureBookings {
        limit: usize,
        retry_at: DateTime<Utc>,
    },
    StudioHours {
        limit_minutes: i64,
        retry_at: DateTime<Utc>,
    },
}

/// Check a new booking against the member's confirmed bookings.
pub fn check(
    held: &[Held],
    new: Held,
    limits: Limits,
    now: DateTime<Utc>,
) -> Result<(), QuotaRefusal> {
    let mut upcoming: Vec<&Held> = held.iter().filter(|h| h.end > now).collect();
    if upcoming.len() >= limits.max_future_bookings {
        upcoming.sort_by_key(|h| h.end);
        // A place frees when enough upcoming bookings have ended.
        let idx = upcoming.len() - limits.max_future_bookings;
        return Err(QuotaRefusal::FutureBookings {
            limit: limits.max_future_bookings,
            retry_at: upcoming[idx].end,
        });
    }
    if new.studio {
        let week = Duration::days(7);
        let minutes = |h: &Held| (h.end - h.start).num_minutes();
        let mut studio: Vec<Held> = held.iter().filter(|h| h.studio).copied().collect();
        studio.push(new);
        // Every 7-day window that contains the new booking's start and
        // begins at some booking's start: the sum must stay within the limit.
        for w in studio
            .iter()
            .map(|h| h.start)
            .filter(|w| *w <= new.start && new.start < *w + week)
        {
            let total: i64 = studio
                .iter()
                .filter(|h| h.start >= w && h.start < w + week)
                .map(minutes)
                .sum();
            if total > limits.max_studio_minutes_week {
                return Err(QuotaRefusal::StudioHours {
                    limit_minutes: limits.max_studio_minutes_week,
                    retry_at: w + week,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, h, 0, 0).unwrap()
    }

    fn b(day: u32, h: u32, hours: i64, studio: bool) -> Held {
        Held {
            start: t(day, h),
            end: t(day, h) + Duration::hours(hours),
            studio,
        }
    }

    const LIMITS: Limits = Limits {
        max_future_bookings: 3,
        max_studio_minutes_week: 240,
    };

    #[test]
    fn at_most_three_upcoming_bookings() {
        let held = [b(2, 10, 1, false), b(3, 10, 1, false), b(4, 10, 1, false)];
        assert_eq!(
            check(&held, b(5, 10, 1, false), LIMITS, t(1, 0)),
            Err(QuotaRefusal::FutureBookings {
                limit: 3,
                retry_at: t(2, 11)
            })
        );
        // Past bookings do not count.
        assert_eq!(check(&held, b(5, 10, 1, false), LIMITS, t(2, 12)), Ok(()));
    }

    #[test]
    fn four_studio_hours_in_any_seven_days() {
        let held = [b(1, 10, 2, true), b(3, 10, 1, true)];
        assert_eq!(check(&held, b(5, 10, 1, true), LIMITS, t(1, 0)), Ok(()));
        // 2 + 1 + 2 hours inside one week: refused until the first leaves it.
        assert_eq!(
            check(&held, b(5, 10, 2, true), LIMITS, t(1, 0)),
            Err(QuotaRefusal::StudioHours {
                limit_minutes: 240,
                retry_at: t(8, 10)
            })
        );
        // A week later the first booking no longer counts; coworking never does.
        assert_eq!(check(&held, b(8, 10, 2, true), LIMITS, t(1, 0)), Ok(()));
        assert_eq!(check(&held, b(5, 10, 8, false), LIMITS, t(1, 0)), Ok(()));
    }

    #[test]
    fn window_boundary_is_exclusive() {
        // Exactly seven days apart: different windows.
        let held = [b(1, 10, 4, true)];
        assert_eq!(check(&held, b(8, 10, 1, true), LIMITS, t(1, 0)), Ok(()));
        assert!(check(&held, b(8, 9, 1, true), LIMITS, t(1, 0)).is_err());
    }
}
