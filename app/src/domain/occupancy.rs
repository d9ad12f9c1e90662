//! Occupancy math for directors' views.

use super::slots::{Interval, Occupant};

/// `(booked, available)` capacity-minutes, for summing over spaces; `None`
/// when the space is closed.
pub fn capacity_minutes(
    capacity: i32,
    open: Option<Interval>,
    bookings: &[Occupant],
) -> Option<(i64, i64)> {
    let open = open?;
    let available = i64::from(capacity) * open.minutes();
    if available <= 0 {
        return None;
    }
    let booked: i64 = bookings
        .iter()
        .map(|b| i64::from(b.party_size) * b.interval.overlap_minutes(&open))
        .sum();
    Some((booked.min(available), available))
}

/// `booked / available`, clamped to `[0, 1]`; 0 when nothing is available.
pub fn share(booked: i64, available: i64) -> f64 {
    if available <= 0 {
        0.0
    } else {
        (booked as f64 / available as f64).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_of(capacity: i32, open: Option<Interval>, bookings: &[Occupant]) -> Option<f64> {
        capacity_minutes(capacity, open, bookings).map(|(b, a)| share(b, a))
    }
    use chrono::{TimeZone, Utc};

    fn iv(a: u32, b: u32) -> Interval {
        Interval::new(
            Utc.with_ymd_and_hms(2026, 12, 1, a, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 1, b, 0, 0).unwrap(),
        )
    }

    #[test]
    fn share_of_capacity_hours() {
        // Open 4:00–16:00 (12 h), a 20-seat pool: 240 seat-hours available.
        let open = Some(iv(4, 16));
        let b = [
            Occupant {
                interval: iv(5, 7),
                party_size: 3,
            }, // 6 seat-hours
            Occupant {
                interval: iv(15, 18),
                party_size: 2,
            }, // clipped to 1 h: 2
        ];
        let share = share_of(20, open, &b).unwrap();
        assert!((share - 8.0 / 240.0).abs() < 1e-9);
        assert_eq!(share_of(20, open, &[]), Some(0.0));
        assert_eq!(share_of(20, None, &b), None);
        assert_eq!(
            share_of(
                1,
                open,
                &[Occupant {
                    interval: iv(4, 16),
                    party_size: 1
                }]
            ),
            Some(1.0)
        );
    }
}
