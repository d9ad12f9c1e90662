//! Slot generation, overlap and capacity rules.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A half-open interval `[start, end)` in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Interval {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        debug_assert!(start < end, "interval must not be empty");
        Self { start, end }
    }

    /// Half-open intervals overlap when each starts before the other ends;
    /// back-to-back bookings (10:00–11:00 and 11:00–12:00) do not overlap.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// Length of the intersection with `other`, in minutes (0 when disjoint).
    pub fn overlap_minutes(&self, other: &Interval) -> i64 {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        if start < end {
            (end - start).num_minutes()
        } else {
            0
        }
    }
}

/// An existing booking as far as capacity is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occupant {
    pub interval: Interval,
    /// Capacity units it takes: seats in a pool, 1 for a whole room.
    pub party_size: i32,
}

/// Units still free during `slot`: capacity minus the largest number of
/// units in use at any moment of the slot.
pub fn remaining_capacity(capacity: i32, slot: &Interval, occupants: &[Occupant]) -> i32 {
    // Peak load inside the slot: walk the start points of overlapping bookings.
    let overlapping: Vec<&Occupant> = occupants
        .iter()
        .filter(|o| o.interval.overlaps(slot))
        .collect();
    let mut peak = 0;
    for probe in overlapping.iter().map(|o| o.interval.start.max(slot.start)) {
        let load: i32 = overlapping
            .iter()
            .filter(|o| o.interval.start <= probe && probe < o.interval.end)
            .map(|o| o.party_size)
            .sum();
        peak = peak.max(load);
    }
    (capacity - peak).max(0)
}

/// The booking rules of one space, as directors set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpaceRules {
    /// Seats in a pool, or parallel bookings of a room (normally 1).
    pub capacity: i32,
    /// A seat pool (coworking): every person takes a seat. Otherwise one
    /// booking takes the room whole, however many people it brings.
    pub pooled: bool,
    /// People one booking may bring.
    pub max_party: i32,
    /// The grid bookings start on, from opening time.
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    /// Kept free after each booking (studio reset).
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
}

impl SpaceRules {
    /// Capacity units a booking of `party` people takes.
    pub fn units(&self, party: i32) -> i32 {
        if self.pooled {
            party
        } else {
            1
        }
    }

    /// The durations a booking may have, shortest first.
    pub fn durations(&self) -> Vec<i32> {
        if self.slot_minutes <= 0 {
            return Vec::new();
        }
        (1..=(self.max_minutes / self.slot_minutes))
            .map(|k| k * self.slot_minutes)
            .filter(|m| *m >= self.min_minutes)
            .collect()
    }

    fn buffer(&self) -> Duration {
        Duration::minutes(i64::from(self.buffer_minutes.max(0)))
    }

    /// A booking's interval with the buffer after it: the time it keeps from
    /// other bookings.
    pub fn blocked(&self, iv: &Interval) -> Interval {
        Interval::new(iv.start, iv.end + self.buffer())
    }
}

/// A booking request: start, length and people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub start: DateTime<Utc>,
    pub minutes: i32,
    pub party: i32,
}

/// Why a booking request cannot be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotRefusal {
    /// The slot has already started or lies in the past.
    InPast,
    /// Starts sooner than the space's minimum notice.
    TooSoon { notice_minutes: i32 },
    /// Starts after the last day members may book.
    TooFarAhead,
    /// Length not allowed: between `min` and `max`, in steps of `step`.
    BadDuration { min: i32, max: i32, step: i32 },
    /// Not on the space's grid, or not inside opening hours that day.
    NotOffered,
    /// Party size below 1 or above what one booking may bring.
    BadPartySize { max: i32 },
    /// Not enough capacity left (buffers after bookings included).
    Full,
}

/// Decide a request. `offered` are the grid slots of the request's local day
/// (see [`day_slots`]), `window_end` the first instant no longer bookable and
/// `occupants` the space's bookings (without buffers; they are added here).
/// Returns the booking's interval.
pub fn check_booking(
    rules: &SpaceRules,
    now: DateTime<Utc>,
    req: Request,
    window_end: DateTime<Utc>,
    offered: &[Interval],
    occupants: &[Occupant],
) -> Result<Interval, SlotRefusal> {
    let max_party = if rules.pooled {
        rules.max_party.min(rules.capacity)
    } else {
        rules.max_party
    };
    if req.party < 1 || req.party > max_party {
        return Err(SlotRefusal::BadPartySize { max: max_party });
    }
    if !rules.durations().contains(&req.minutes) {
        return Err(SlotRefusal::BadDuration {
            min: rules.min_minutes,
            max: rules.max_minutes,
            step: rules.slot_minutes,
        });
    }
    if req.start <= now {
        return Err(SlotRefusal::InPast);
    }
    if req.start < now + Duration::minutes(i64::from(rules.min_notice_minutes)) {
        return Err(SlotRefusal::TooSoon {
            notice_minutes: rules.min_notice_minutes,
        });
    }
    if req.start >= window_end {
        return Err(SlotRefusal::TooFarAhead);
    }
    let end = req.start + Duration::minutes(i64::from(req.minutes));
    if !grid_covers(offered, req.start, end) {
        return Err(SlotRefusal::NotOffered);
    }
    let interval = Interval::new(req.start, end);
    let blocked: Vec<Occupant> = occupants
        .iter()
        .map(|o| Occupant {
            interval: rules.blocked(&o.interval),
            party_size: o.party_size,
        })
        .collect();
    if remaining_capacity(rules.capacity, &rules.blocked(&interval), &blocked)
        < rules.units(req.party)
    {
        return Err(SlotRefusal::Full);
    }
    Ok(interval)
}

/// Whether back-to-back offered slots run from `start` to exactly `end`
/// (so a booking never spans a closed gap, e.g. the night between two
/// days' grids).
pub fn grid_covers(offered: &[Interval], start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let mut at = start;
    while at < end {
        match offered.iter().find(|s| s.start == at) {
            Some(s) => at = s.end,
            None => return false,
        }
    }
    at == end
}

/// The longest booking for one person that could start at `offered[idx]`
/// (0 when none of the allowed durations fits). Notice and the advance
/// window are the caller's concern.
pub fn longest_from(
    rules: &SpaceRules,
    offered: &[Interval],
    idx: usize,
    occupants: &[Occupant],
) -> i32 {
    let Some(first) = offered.get(idx) else {
        return 0;
    };
    let blocked: Vec<Occupant> = occupants
        .iter()
        .map(|o| Occupant {
            interval: rules.blocked(&o.interval),
            party_size: o.party_size,
        })
        .collect();
    let mut best = 0;
    for minutes in rules.durations() {
        let end = first.start + Duration::minutes(i64::from(minutes));
        if !grid_covers(offered, first.start, end) {
            break;
        }
        let iv = rules.blocked(&Interval::new(first.start, end));
        if remaining_capacity(rules.capacity, &iv, &blocked) < 1 {
            break;
        }
        best = minutes;
    }
    best
}

/// Opening hours of one local day, as minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayHours {
    pub opens_min: i32,
    pub closes_min: i32,
}

/// Resolve a local wall-clock time to UTC. Gaps (spring-forward) move to the
/// first valid instant after; ambiguous times take the earlier instant.
pub fn local_to_utc(tz: Tz, date: NaiveDate, minute_of_day: i32) -> DateTime<Utc> {
    let base = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute_of_day));
    let mut probe = base;
    for _ in 0..180 {
        if let Some(dt) = tz.from_local_datetime(&probe).earliest() {
            return dt.with_timezone(&Utc);
        }
        probe += Duration::minutes(1);
    }
    // Unreachable with real tz data; fall back to treating the time as UTC.
    Utc.from_utc_datetime(&base)
}

/// The slots a space offers on one local date: consecutive `slot_minutes`
/// blocks from opening; a last block that would run past closing is dropped.
pub fn day_slots(tz: Tz, date: NaiveDate, hours: DayHours, slot_minutes: i32) -> Vec<Interval> {
    let mut out = Vec::new();
    if slot_minutes <= 0 || hours.closes_min <= hours.opens_min {
        return out;
    }
    let mut start = hours.opens_min;
    while start + slot_minutes <= hours.closes_min {
        out.push(Interval::new(
            local_to_utc(tz, date, start),
            local_to_utc(tz, date, start + slot_minutes),
        ));
        start += slot_minutes;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn iv(a: (u32, u32), b: (u32, u32)) -> Interval {
        Interval::new(at(a.0, a.1), at(b.0, b.1))
    }

    #[test]
    fn back_to_back_intervals_do_not_overlap() {
        assert!(!iv((10, 0), (11, 0)).overlaps(&iv((11, 0), (12, 0))));
        assert!(iv((10, 0), (11, 0)).overlaps(&iv((10, 59), (12, 0))));
        assert!(iv((10, 0), (12, 0)).overlaps(&iv((10, 30), (11, 0))));
        assert_eq!(
            iv((10, 0), (12, 0)).overlap_minutes(&iv((11, 30), (13, 0))),
            30
        );
        assert_eq!(
            iv((10, 0), (11, 0)).overlap_minutes(&iv((11, 0), (13, 0))),
            0
        );
    }

    #[test]
    fn remaining_capacity_counts_peak_not_sum() {
        let slot = iv((10, 0), (12, 0));
        let occ = [
            Occupant {
                interval: iv((10, 0), (11, 0)),
                party_size: 3,
            },
            Occupant {
                interval: iv((11, 0), (12, 0)),
                party_size: 4,
            },
            Occupant {
                interval: iv((9, 0), (10, 0)),
                party_size: 10,
            },
        ];
        // 3 and 4 never overlap each other, the 10 is outside the slot.
        assert_eq!(remaining_capacity(20, &slot, &occ), 16);
        let occ2 = [
            Occupant {
                interval: iv((10, 0), (12, 0)),
                party_size: 3,
            },
            Occupant {
                interval: iv((11, 0), (12, 0)),
                party_size: 4,
            },
        ];
        assert_eq!(remaining_capacity(20, &slot, &occ2), 13);
        assert_eq!(remaining_capacity(5, &slot, &occ2), 0);
    }

    fn hall_grid() -> Vec<Interval> {
        // 09:00–13:00 local in UTC+5, 30-minute grid.
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        day_slots(
            tz,
            date,
            DayHours {
                opens_min: 540,
                closes_min: 780,
            },
            30,
        )
    }

    fn studio() -> SpaceRules {
        SpaceRules {
            capacity: 1,
            pooled: false,
            max_party: 4,
            slot_minutes: 30,
            min_minutes: 60,
            max_minutes: 120,
            buffer_minutes: 30,
            min_notice_minutes: 60,
        }
    }

    fn req(h: u32, m: u32, minutes: i32, party: i32) -> Request {
        Request {
            start: at(h, m),
            minutes,
            party,
        }
    }

    #[test]
    fn durations_follow_min_max_and_grid() {
        assert_eq!(studio().durations(), vec![60, 90, 120]);
        let r = SpaceRules {
            min_minutes: 50,
            ..studio()
        };
        assert_eq!(r.durations(), vec![60, 90, 120]);
    }

    #[test]
    fn studio_rules_refuse_with_the_rule_that_failed() {
        let r = studio();
        let grid = hall_grid();
        let now = at(2, 0); // 07:00 local
        let far = at(23, 0);
        assert_eq!(
            check_booking(&r, now, req(4, 0, 60, 4), far, &grid, &[]),
            Ok(iv((4, 0), (5, 0)))
        );
        assert_eq!(
            check_booking(&r, now, req(4, 0, 60, 5), far, &grid, &[]),
            Err(SlotRefusal::BadPartySize { max: 4 })
        );
        assert_eq!(
            check_booking(&r, now, req(4, 0, 30, 1), far, &grid, &[]),
            Err(SlotRefusal::BadDuration {
                min: 60,
                max: 120,
                step: 30
            })
        );
        assert_eq!(
            check_booking(&r, now, req(4, 0, 150, 1), far, &grid, &[]),
            Err(SlotRefusal::BadDuration {
                min: 60,
                max: 120,
                step: 30
            })
        );
        // 12:30 + 60 min runs past the 13:00 closing.
        assert_eq!(
            check_booking(&r, now, req(7, 30, 60, 1), far, &grid, &[]),
            Err(SlotRefusal::NotOffered)
        );
        // Off the grid.
        assert_eq!(
            check_booking(&r, now, req(4, 10, 60, 1), far, &grid, &[]),
            Err(SlotRefusal::NotOffered)
        );
        // Minimum notice of an hour: 07:30 local is too soon at 07:00.
        assert_eq!(
            check_booking(
                &r,
                at(2, 0),
                req(2, 30, 60, 1),
                far,
                &day_grid_from_7(),
                &[]
            ),
            Err(SlotRefusal::TooSoon { notice_minutes: 60 })
        );
        assert_eq!(
            check_booking(&r, at(4, 0), req(4, 0, 60, 1), far, &grid, &[]),
            Err(SlotRefusal::InPast)
        );
        assert_eq!(
            check_booking(&r, now, req(4, 0, 60, 1), at(4, 0), &grid, &[]),
            Err(SlotRefusal::TooFarAhead)
        );
    }

    fn day_grid_from_7() -> Vec<Interval> {
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        day_slots(
            tz,
            date,
            DayHours {
                opens_min: 420,
                closes_min: 780,
            },
            30,
        )
    }

    #[test]
    fn buffer_keeps_the_studio_free_after_a_booking() {
        let r = studio();
        let grid = hall_grid();
        let now = at(2, 0);
        let far = at(23, 0);
        // 10:00–11:00 local is taken; the reset runs to 11:30.
        let taken = [Occupant {
            interval: iv((5, 0), (6, 0)),
            party_size: 1,
        }];
        assert_eq!(
            check_booking(&r, now, req(6, 0, 60, 1), far, &grid, &taken),
            Err(SlotRefusal::Full)
        );
        assert_eq!(
            check_booking(&r, now, req(6, 30, 60, 1), far, &grid, &taken),
            Ok(iv((6, 30), (7, 30)))
        );
        // A booking before it must leave room for its own reset: 08:30–09:30
        // plus 30 minutes ends exactly at 10:00 and fits; 09:00–10:00 does not.
        assert_eq!(
            check_booking(&r, now, req(3, 30, 60, 1), far, &day_grid_from_7(), &taken),
            Ok(iv((3, 30), (4, 30)))
        );
        assert_eq!(
            check_booking(&r, now, req(4, 0, 60, 1), far, &grid, &taken),
            Err(SlotRefusal::Full)
        );
        // Without a buffer, back-to-back is fine.
        let r0 = SpaceRules {
            buffer_minutes: 0,
            ..r
        };
        assert!(check_booking(&r0, now, req(6, 0, 60, 1), far, &grid, &taken).is_ok());
        assert!(check_booking(&r0, now, req(4, 0, 60, 1), far, &grid, &taken).is_ok());
    }

    #[test]
    fn longest_from_stops_at_the_next_booking_and_closing() {
        let r = studio();
        let grid = hall_grid(); // 09:00..13:00 local, 04:00..08:00 UTC
        let taken = [Occupant {
            interval: iv((6, 0), (7, 0)),
            party_size: 1,
        }];
        // From 09:00: up to 10:30 (+30 buffer = 11:00) fits, so 90 minutes.
        assert_eq!(longest_from(&r, &grid, 0, &taken), 90);
        // From 10:30 nothing fits before 11:00.
        assert_eq!(longest_from(&r, &grid, 3, &taken), 0);
        // From 12:30 to closing is only 30 minutes, below the minimum.
        assert_eq!(longest_from(&r, &grid, 7, &[]), 0);
        assert_eq!(longest_from(&r, &grid, 4, &[]), 120);
        // From 11:30 the day ends after 90 minutes.
        assert_eq!(longest_from(&r, &grid, 5, &[]), 90);
    }

    #[test]
    fn seat_pool_counts_people_and_studio_counts_bookings() {
        let pool = SpaceRules {
            capacity: 20,
            pooled: true,
            max_party: 5,
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 240,
            buffer_minutes: 0,
            min_notice_minutes: 0,
        };
        let grid = hall_grid();
        let now = at(2, 0);
        let far = at(23, 0);
        let held = [Occupant {
            interval: iv((4, 0), (6, 0)),
            party_size: 18,
        }];
        assert!(check_booking(&pool, now, req(4, 0, 60, 2), far, &grid, &held).is_ok());
        assert_eq!(
            check_booking(&pool, now, req(5, 0, 60, 3), far, &grid, &held),
            Err(SlotRefusal::Full)
        );
        assert_eq!(
            check_booking(&pool, now, req(4, 0, 60, 6), far, &grid, &held),
            Err(SlotRefusal::BadPartySize { max: 5 })
        );
        // A studio with four people still takes one unit of its capacity 1.
        assert_eq!(studio().units(4), 1);
        assert_eq!(pool.units(4), 4);
    }

    #[test]
    fn day_slots_follow_local_opening_hours() {
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let slots = day_slots(
            tz,
            date,
            DayHours {
                opens_min: 9 * 60,
                closes_min: 21 * 60,
            },
            90,
        );
        // 09:00..21:00 holds eight 90-minute slots.
        assert_eq!(slots.len(), 8);
        // Almaty is UTC+5: 09:00 local is 04:00 UTC.
        assert_eq!(slots[0].start, at(4, 0));
        assert_eq!(slots[7].end, at(16, 0));
        assert!(day_slots(
            tz,
            date,
            DayHours {
                opens_min: 600,
                closes_min: 600
            },
            60
        )
        .is_empty());
    }

    #[test]
    fn late_hours_run_past_midnight_and_never_span_the_closed_night() {
        // A center open 18:00–02:00 (closing 26 h after midnight) in UTC+5:
        // the local evening crosses both local and UTC midnight.
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let tue = mon.succ_opt().unwrap();
        let hours = DayHours {
            opens_min: 18 * 60,
            closes_min: 26 * 60,
        };
        let mut grid = day_slots(tz, mon, hours, 60);
        assert_eq!(grid.len(), 8);
        assert_eq!(grid.last().unwrap().end, local_to_utc(tz, tue, 120));
        grid.extend(day_slots(tz, tue, hours, 60));
        let r = SpaceRules {
            capacity: 1,
            pooled: false,
            max_party: 2,
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 240,
            buffer_minutes: 0,
            min_notice_minutes: 0,
        };
        let now = local_to_utc(tz, mon, 600);
        let far = now + Duration::days(3);
        // 23:00–01:00 across local midnight (18:00–20:00 UTC).
        let late = Request {
            start: local_to_utc(tz, mon, 23 * 60),
            minutes: 120,
            party: 1,
        };
        assert_eq!(
            check_booking(&r, now, late, far, &grid, &[]),
            Ok(Interval::new(
                Utc.with_ymd_and_hms(2026, 11, 30, 18, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 11, 30, 20, 0, 0).unwrap()
            ))
        );
        // 01:00–05:00 would run through the closed night into nothing.
        let night = Request {
            start: local_to_utc(tz, tue, 60),
            minutes: 240,
            party: 1,
        };
        assert_eq!(
            check_booking(&r, now, night, far, &grid, &[]),
            Err(SlotRefusal::NotOffered)
        );
        // Monday 01:00–02:00 → Tuesday 18:00 would span the gap; the grid
        // ends at 02:00, so the longest booking from 01:00 is one hour.
        let idx = grid
            .iter()
            .position(|s| s.start == local_to_utc(tz, tue, 60))
            .unwrap();
        assert_eq!(longest_from(&r, &grid, idx, &[]), 60);
    }

    #[test]
    fn local_time_in_dst_gap_moves_forward() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        // 02:30 does not exist that night; it becomes 03:00 CEST = 01:00 UTC.
        let t = local_to_utc(tz, date, 150);
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap());
    }

    mod properties {
        use super::super::*;
        use chrono::{NaiveDate, TimeZone};
        use proptest::prelude::*;

        #[derive(Clone, Debug)]
        enum Op {
            /// Book `party` people from grid slot `slot` for `len` slots.
            Book { slot: usize, len: i32, party: i32 },
            /// Cancel the n-th accepted booking still held.
            Cancel { nth: usize },
            /// Move the n-th held booking to another start, keeping its
            /// length and party: all or nothing.
            Move { nth: usize, slot: usize },
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                4 => (0usize..30, 1i32..5, 1i32..6).prop_map(|(slot, len, party)| Op::Book { slot, len, party }),
                1 => (0usize..50).prop_map(|nth| Op::Cancel { nth }),
                2 => (0usize..50, 0usize..30).prop_map(|(nth, slot)| Op::Move { nth, slot }),
            ]
        }

        #[derive(Clone, Copy, Debug)]
        struct Held {
            occ: Occupant,
            party: i32,
        }

        proptest! {
            /// Whatever sequence of bookings, cancellations and moves
            /// arrives, what the rules accept never exceeds capacity at any
            /// moment (buffers after bookings included), stays inside
            /// opening hours on the grid, and a request is only refused as
            /// full when it really would not fit.
            #[test]
            fn accepted_bookings_never_exceed_capacity(
                capacity in 1i32..25,
                pooled in any::<bool>(),
                slot_minutes in prop_oneof![Just(30), Just(60), Just(90)],
                buffer_minutes in prop_oneof![Just(0), Just(15), Just(30)],
                ops in proptest::collection::vec(op(), 1..120),
            ) {
                let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
                let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
                let hours = DayHours { opens_min: 540, closes_min: 1260 };
                let rules = SpaceRules {
                    capacity,
                    pooled,
                    max_party: if pooled { capacity } else { 5 },
                    slot_minutes,
                    min_minutes: slot_minutes,
                    max_minutes: slot_minutes * 4,
                    buffer_minutes,
                    min_notice_minutes: 0,
                };
                let offered = day_slots(tz, date, hours, slot_minutes);
                let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
                let far = now + Duration::days(2);
                let mut held: Vec<Held> = Vec::new();
                let occs = |h: &[Held]| h.iter().map(|h| h.occ).collect::<Vec<_>>();
                for op in ops {
                    match op {
                        Op::Book { slot, len, party } => {
                            let start = offered[slot % offered.len()].start;
                            let req = Request { start, minutes: len * slot_minutes, party };
                            match check_booking(&rules, now, req, far, &offered, &occs(&held)) {
                                Ok(iv) => held.push(Held { occ: Occupant { interval: iv, party_size: rules.units(party) }, party }),
                                Err(SlotRefusal::Full) => {
                                    let end = start + Duration::minutes(i64::from(req.minutes));
                                    let blocked: Vec<Occupant> = held.iter().map(|h| Occupant { interval: rules.blocked(&h.occ.interval), party_size: h.occ.party_size }).collect();
                                    prop_assert!(remaining_capacity(capacity, &rules.blocked(&Interval::new(start, end)), &blocked) < rules.units(party));
                                }
                                Err(SlotRefusal::BadPartySize { max }) => prop_assert!(party > max && max == rules.max_party),
                                Err(SlotRefusal::NotOffered) => {
                                    let end = start + Duration::minutes(i64::from(req.minutes));
                                    prop_assert!(end > local_to_utc(tz, date, hours.closes_min));
                                }
                                Err(other) => prop_assert!(false, "unexpected refusal {:?}", other),
                            }
                        }
                        Op::Cancel { nth } => {
                            if !held.is_empty() {
                                held.remove(nth % held.len());
                            }
                        }
                        Op::Move { nth, slot } => {
                            if held.is_empty() {
                                continue;
                            }
                            let i = nth % held.len();
                            let moving = held.remove(i);
                            let req = Request {
                                start: offered[slot % offered.len()].start,
                                minutes: moving.occ.interval.minutes() as i32,
                                party: moving.party,
                            };
                            match check_booking(&rules, now, req, far, &offered, &occs(&held)) {
                                Ok(iv) => held.insert(i, Held { occ: Occupant { interval: iv, ..moving.occ }, ..moving }),
                                // Refused: the booking stays where it was.
                                Err(_) => held.insert(i, moving),
                            }
                        }
                    }
                    // Capacity at every instant a blocked interval starts.
                    let blocked: Vec<Interval> = held.iter().map(|h| rules.blocked(&h.occ.interval)).collect();
                    for probe in blocked.iter().map(|b| b.start) {
                        let load: i32 = held
                            .iter()
                            .zip(&blocked)
                            .filter(|(_, b)| b.start <= probe && probe < b.end)
                            .map(|(h, _)| h.occ.party_size)
                            .sum();
                        prop_assert!(load <= capacity, "load {} > capacity {}", load, capacity);
                    }
                    for h in &held {
                        let iv = h.occ.interval;
                        prop_assert!(offered.iter().any(|s| s.start == iv.start));
                        prop_assert!(offered.iter().any(|s| s.end == iv.end));
                        prop_assert!(iv.start >= local_to_utc(tz, date, hours.opens_min));
                        prop_assert!(iv.end <= local_to_utc(tz, date, hours.closes_min));
                    }
                }
            }
        }
    }
}
