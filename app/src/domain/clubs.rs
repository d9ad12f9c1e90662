//! Rules of clubs and events: weekly sessions over a term, places and the
//! first-come waitlist, attendance streaks, age ranges. Plain functions, no
//! clock or database of their own.

use chrono::{Datelike, Duration, NaiveDate};

/// The dates a club meeting on `weekday` (0 = Monday) falls on within its
/// term, inclusive, split into the ones it meets and the ones the center is
/// closed (`closed` says which: a public holiday or a staff closure).
pub fn session_dates(
    term_start: NaiveDate,
    term_end: NaiveDate,
    weekday: u32,
    closed: impl Fn(NaiveDate) -> bool,
) -> Vec<(NaiveDate, bool)> {
    let mut out = Vec::new();
    let offset = (7 + weekday as i64 - term_start.weekday().num_days_from_monday() as i64) % 7;
    let mut d = term_start + Duration::days(offset);
    while d <= term_end {
        out.push((d, !closed(d)));
        d += Duration::weeks(1);
    }
    out
}

/// Where a new joiner lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A place is free.
    Member,
    /// Full: queued, `position` 1 is next in line.
    Waiting { position: u32 },
}

/// Place a joiner given the capacity, the places taken and the queue length.
pub fn place(capacity: u32, taken: u32, queued: u32) -> Placement {
    if taken < capacity && queued == 0 {
        Placement::Member
    } else {
        Placement::Waiting {
            position: queued + 1,
        }
    }
}

/// Who moves up from the waitlist: the first `capacity - taken` entries of
/// the queue, which must be in arrival order.
pub fn promotions<T>(capacity: u32, taken: u32, queue: &[T]) -> &[T] {
    let free = capacity.saturating_sub(taken) as usize;
    &queue[..free.min(queue.len())]
}

/// Attendance streaks over the sessions a member could attend, oldest first
/// (`true` = attended): the current run up to the latest session, and the
/// best run ever.
pub fn streaks(attended: &[bool]) -> (u32, u32) {
    let mut best = 0;
    let mut run = 0;
    for &a in attended {
        run = if a { run + 1 } else { 0 };
        best = best.max(run);
    }
    (run, best)
}

/// Why an age range refuses someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeMiss {
    Below(u32),
    Above(u32),
}

/// Check an age against a range; 0 means no bound on that side.
pub fn age_fits(min_age: u32, max_age: u32, age: u32) -> Result<(), AgeMiss> {
    if min_age > 0 && age < min_age {
        return Err(AgeMiss::Below(min_age));
    }
    if max_age > 0 && age > max_age {
        return Err(AgeMiss::Above(max_age));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekly_sessions_skip_nothing_but_mark_the_holiday_closed() {
        // Wednesdays from Tue 1 Dec to Wed 23 Dec 2026; 16 Dec is
        // Independence Day.
        let got = session_dates(d(2026, 12, 1), d(2026, 12, 23), 2, |x| x == d(2026, 12, 16));
        assert_eq!(
            got,
            vec![
                (d(2026, 12, 2), true),
                (d(2026, 12, 9), true),
                (d(2026, 12, 16), false),
                (d(2026, 12, 23), true),
            ]
        );
    }

    #[test]
    fn a_term_starting_on_the_weekday_includes_its_first_day() {
        let got = session_dates(d(2026, 12, 7), d(2026, 12, 7), 0, |_| false);
        assert_eq!(got, vec![(d(2026, 12, 7), true)]);
        assert!(session_dates(d(2026, 12, 8), d(2026, 12, 13), 0, |_| false).is_empty());
    }

    #[test]
    fn joiners_queue_once_full_and_never_jump_the_queue() {
        assert_eq!(place(2, 1, 0), Placement::Member);
        assert_eq!(place(2, 2, 0), Placement::Waiting { position: 1 });
        assert_eq!(place(2, 2, 3), Placement::Waiting { position: 4 });
        // A place is free but people are waiting: they come first.
        assert_eq!(place(2, 1, 1), Placement::Waiting { position: 2 });
    }

    #[test]
    fn freed_places_go_to_the_earliest_in_line() {
        let queue = ["Aru", "Bek", "Dana"];
        assert_eq!(promotions(10, 8, &queue), &["Aru", "Bek"]);
        assert_eq!(promotions(10, 10, &queue), &[] as &[&str]);
        assert_eq!(promotions(10, 2, &queue), &queue);
        assert_eq!(promotions(1, 3, &queue), &[] as &[&str]);
    }

    #[test]
    fn streaks_count_consecutive_attendance() {
        assert_eq!(streaks(&[]), (0, 0));
        assert_eq!(streaks(&[true, true, false, true]), (1, 2));
        assert_eq!(streaks(&[false, true, true, true]), (3, 3));
        assert_eq!(streaks(&[true, false]), (0, 1));
    }

    #[test]
    fn age_ranges_bound_both_sides_and_zero_is_open() {
        assert_eq!(age_fits(16, 25, 16), Ok(()));
        assert_eq!(age_fits(16, 25, 25), Ok(()));
        assert_eq!(age_fits(16, 25, 15), Err(AgeMiss::Below(16)));
        assert_eq!(age_fits(16, 25, 26), Err(AgeMiss::Above(25)));
        assert_eq!(age_fits(0, 0, 35), Ok(()));
    }
}
