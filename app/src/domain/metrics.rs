//! Directors' metrics: the pure arithmetic behind every report figure, so
//! that the dashboard, the regional roll-up and the exports compute them the
//! same way. Definitions in docs/METRICS.md.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use super::slots::{Interval, Occupant};

/// Smallest count shown in a regional roll-up's breakdown cell; 1–4 could
/// single out a (minor) visitor of a small center.
pub const MIN_CELL: u64 = 5;

/// A breakdown cell as shown in a roll-up: `None` = suppressed (1–4).
pub fn suppress(n: u64) -> Option<u64> {
    if n > 0 && n < MIN_CELL {
        None
    } else {
        Some(n)
    }
}

/// `n / d`, or `None` when nothing could happen (`d == 0`).
pub fn rate(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// `(used, available)` capacity-minutes of one space over its opening
/// windows (one per open day; holidays and closures have none). Each
/// window's use is clipped to the window and capped at its capacity.
pub fn capacity_minutes_over(capacity: i32, open: &[Interval], used: &[Occupant]) -> (i64, i64) {
    let by_start = ByStart::new(used);
    open.iter()
        .filter_map(|w| {
            super::occupancy::capacity_minutes(capacity, Some(*w), by_start.overlapping(*w))
        })
        .fold((0, 0), |(u, a), (bu, ba)| (u + bu, a + ba))
}

/// Occupants sorted by start, so that each opening window looks only at
/// those that can overlap it (a year has hundreds of windows and tens of
/// thousands of bookings: all against all would be quadratic).
struct ByStart {
    sorted: Vec<Occupant>,
    longest: Duration,
}

impl ByStart {
    fn new(used: &[Occupant]) -> Self {
        let mut sorted = used.to_vec();
        sorted.sort_by_key(|o| o.interval.start);
        let longest = sorted
            .iter()
            .map(|o| o.interval.end - o.interval.start)
            .max()
            .unwrap_or_else(Duration::zero);
        ByStart { sorted, longest }
    }

    /// Every occupant overlapping `w` (and perhaps a few ending before it).
    fn overlapping(&self, w: Interval) -> &[Occupant] {
        let lo = self
            .sorted
            .partition_point(|o| o.interval.start < w.start - self.longest);
        let hi = self.sorted.partition_point(|o| o.interval.start < w.end);
        &self.sorted[lo..hi.max(lo)]
    }
}

/// Minutes of `[from, to)` split at the local hour boundaries of `tz`:
/// `(weekday 0 = Monday, local hour, minutes)`.
fn hour_pieces(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(usize, usize, i64)> {
    let mut out = Vec::new();
    let mut t = from;
    while t < to {
        let local = t.with_timezone(&tz);
        let into_hour = Duration::minutes(i64::from(local.minute()))
            + Duration::seconds(i64::from(local.second()));
        let next = (t - into_hour + Duration::hours(1)).min(to);
        out.push((
            local.weekday().num_days_from_monday() as usize,
            local.hour() as usize,
            (next - t).num_minutes(),
        ));
        t = next;
    }
    out
}

/// Weekday × local hour capacity-minutes, `[weekday][hour] = (used,
/// available)`, for one space. Summing cells of several spaces gives the
/// center's heatmap; `used / available` is the cell's utilization.
pub type Heat = [[(i64, i64); 24]; 7];

pub fn empty_heat() -> Heat {
    [[(0, 0); 24]; 7]
}

pub fn add_heat(heat: &mut Heat, tz: Tz, capacity: i32, open: &[Interval], used: &[Occupant]) {
    let by_start = ByStart::new(used);
    for w in open {
        for (d, h, m) in hour_pieces(tz, w.start, w.end) {
            heat[d][h].1 += i64::from(capacity) * m;
        }
        for o in by_start.overlapping(*w) {
            let start = o.interval.start.max(w.start);
            let end = o.interval.end.min(w.end);
            if start < end {
                for (d, h, m) in hour_pieces(tz, start, end) {
                    heat[d][h].0 += i64::from(o.party_size) * m;
                }
            }
        }
    }
    // A cell is never fuller than its capacity.
    for row in heat.iter_mut() {
        for c in row.iter_mut() {
            c.0 = c.0.min(c.1);
        }
    }
}

/// A no-show's freed time: from when it was recorded to its end.
/// Returns the minutes of it covered by bookings of the same space made
/// after it was recorded (overlaps counted once).
pub fn reclaimed_minutes(
    booking: Interval,
    no_show_at: DateTime<Utc>,
    later: &[(Interval, DateTime<Utc>)],
) -> i64 {
    let freed_start = booking.start.max(no_show_at);
    if freed_start >= booking.end {
        return 0;
    }
    let mut pieces: Vec<(DateTime<Utc>, DateTime<Utc>)> = later
        .iter()
        .filter(|(_, created)| *created >= no_show_at)
        .map(|(iv, _)| (iv.start.max(freed_start), iv.end.min(booking.end)))
        .filter(|(a, b)| a < b)
        .collect();
    pieces.sort();
    let (mut total, mut reach) = (0i64, freed_start);
    for (a, b) in pieces {
        let a = a.max(reach);
        if b > a {
            total += (b - a).num_minutes();
            reach = b;
        }
    }
    total
}

/// Age in whole years on `date`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let mut age = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The age bands of youth policy reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    Teen,
    Young,
    Adult,
    Older,
    /// Outside 14–35 (admitted by an override, e.g. a mentor).
    Other,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Teen,
        AgeBand::Young,
        AgeBand::Adult,
        AgeBand::Older,
        AgeBand::Other,
    ];

    pub fn of(age: i32) -> AgeBand {
        match age {
            14..=17 => AgeBand::Teen,
            18..=24 => AgeBand::Young,
            25..=29 => AgeBand::Adult,
            30..=35 => AgeBand::Older,
            _ => AgeBand::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Teen => "14–17",
            AgeBand::Young => "18–24",
            AgeBand::Adult => "25–29",
            AgeBand::Older => "30–35",
            AgeBand::Other => "—",
        }
    }
}

/// The previous period of the same length, ending the day before `from`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (to - from).num_days() + 1;
    (from - Duration::days(days), from - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Almaty;

    /// UTC instant of a local (UTC+5) time on December `day`, 2026.
    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(2026, 12, day, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn occ(a: DateTime<Utc>, b: DateTime<Utc>, party: i32) -> Occupant {
        Occupant {
            interval: Interval::new(a, b),
            party_size: party,
        }
    }

    #[test]
    fn utilization_over_days_clips_to_opening_hours_and_skips_closed_days() {
        // A studio (capacity 1) open 10:00–20:00 on Dec 1 and Dec 3; Dec 2
        // is a closure, so it has no window. Available: 2 × 600 = 1200 min.
        let open = [
            Interval::new(at(1, 10, 0), at(1, 20, 0)),
            Interval::new(at(3, 10, 0), at(3, 20, 0)),
        ];
        let used = [
            occ(at(1, 9, 0), at(1, 11, 0), 1),   // 60 min inside
            occ(at(1, 14, 30), at(1, 16, 0), 1), // 90
            occ(at(2, 12, 0), at(2, 14, 0), 1),  // closed day: 0
            occ(at(3, 19, 0), at(3, 21, 0), 1),  // 60
        ];
        assert_eq!(capacity_minutes_over(1, &open, &used), (210, 1200));
        assert_eq!(capacity_minutes_over(1, &[], &used), (0, 0));
    }

    #[test]
    fn heatmap_splits_a_booking_at_the_hour_in_local_time() {
        // Dec 1 2026 is a Tuesday (weekday 1). Open 10:00–12:00, a booking
        // 10:30–11:30: 30 min in the 10 o'clock cell, 30 in the 11.
        let mut heat = empty_heat();
        let open = [Interval::new(at(1, 10, 0), at(1, 12, 0))];
        add_heat(
            &mut heat,
            TZ,
            2,
            &open,
            &[occ(at(1, 10, 30), at(1, 11, 30), 1)],
        );
        assert_eq!(heat[1][10], (30, 120));
        assert_eq!(heat[1][11], (30, 120));
        assert_eq!(heat[1][9], (0, 0));
        assert_eq!(heat[0][10], (0, 0));
    }

    #[test]
    fn reclaimed_time_is_only_what_later_bookings_cover() {
        // No-show 14:00–16:00 recorded at 14:15. A booking made at 14:20
        // for 15:00–17:00 reclaims 15:00–16:00 (60 min); one made before
        // the no-show was recorded does not count; overlaps count once.
        let b = Interval::new(at(1, 14, 0), at(1, 16, 0));
        let later = [
            (Interval::new(at(1, 15, 0), at(1, 17, 0)), at(1, 14, 20)),
            (Interval::new(at(1, 15, 30), at(1, 16, 0)), at(1, 14, 40)),
            (Interval::new(at(1, 14, 0), at(1, 15, 0)), at(1, 9, 0)),
        ];
        assert_eq!(reclaimed_minutes(b, at(1, 14, 15), &later), 60);
        assert_eq!(reclaimed_minutes(b, at(1, 14, 15), &[]), 0);
        // Recorded after the end: nothing freed.
        assert_eq!(reclaimed_minutes(b, at(1, 16, 30), &later), 0);
    }

    #[test]
    fn age_band_is_the_age_on_the_visit_day() {
        let birth = NaiveDate::from_ymd_opt(2008, 12, 10).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(age_on(birth, d(9)), 17);
        assert_eq!(AgeBand::of(age_on(birth, d(9))), AgeBand::Teen);
        assert_eq!(AgeBand::of(age_on(birth, d(10))), AgeBand::Young);
        assert_eq!(AgeBand::of(13), AgeBand::Other);
        assert_eq!(AgeBand::of(35), AgeBand::Older);
        assert_eq!(AgeBand::of(36), AgeBand::Other);
    }

    #[test]
    fn small_counts_are_suppressed_but_zero_is_not() {
        assert_eq!(suppress(0), Some(0));
        assert_eq!(suppress(1), None);
        assert_eq!(suppress(4), None);
        assert_eq!(suppress(5), Some(5));
    }

    #[test]
    fn rates_and_previous_period() {
        assert_eq!(rate(1, 4), Some(0.25));
        assert_eq!(rate(0, 0), None);
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(previous_period(d(12, 1), d(12, 31)), (d(10, 31), d(11, 30)));
    }
}
