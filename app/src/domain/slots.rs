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
    pub party_size: i32,
}

/// Seats (or the one studio) still free during `slot`: capacity minus the
/// largest number of people present at any moment of the slot.
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

/// Why a booking request cannot be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotRefusal {
    /// The slot has already started or lies in the past.
    InPast,
    /// Not one of the slots the space offers (wrong alignment or closed).
    NotOffered,
    /// Party size below 1 or above the space capacity.
    BadPartySize,
    /// Not enough capacity left.
    Full,
}

/// Decide whether `party_size` people can take `slot`. `offered` is the list of
/// slots the space offers (see [`day_slots`]).
pub fn check_request(
    now: DateTime<Utc>,
    slot: &Interval,
    party_size: i32,
    capacity: i32,
    offered: &[Interval],
    occupants: &[Occupant],
) -> Result<(), SlotRefusal> {
    if party_size < 1 || party_size > capacity {
        return Err(SlotRefusal::BadPartySize);
    }
    if slot.start <= now {
        return Err(SlotRefusal::InPast);
    }
    if !offered.contains(slot) {
        return Err(SlotRefusal::NotOffered);
    }
    if remaining_capacity(capacity, slot, occupants) < party_size {
        return Err(SlotRefusal::Full);
    }
    Ok(())
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

    #[test]
    fn single_capacity_studio_refuses_second_booking() {
        let slot = iv((10, 0), (11, 0));
        let offered = [slot];
        let now = at(8, 0);
        assert_eq!(check_request(now, &slot, 1, 1, &offered, &[]), Ok(()));
        let taken = [Occupant {
            interval: slot,
            party_size: 1,
        }];
        assert_eq!(
            check_request(now, &slot, 1, 1, &offered, &taken),
            Err(SlotRefusal::Full)
        );
    }

    #[test]
    fn request_rules() {
        let slot = iv((10, 0), (11, 0));
        let offered = [slot];
        assert_eq!(
            check_request(at(10, 0), &slot, 1, 1, &offered, &[]),
            Err(SlotRefusal::InPast)
        );
        assert_eq!(
            check_request(at(8, 0), &iv((10, 30), (11, 30)), 1, 1, &offered, &[]),
            Err(SlotRefusal::NotOffered)
        );
        assert_eq!(
            check_request(at(8, 0), &slot, 0, 1, &offered, &[]),
            Err(SlotRefusal::BadPartySize)
        );
        assert_eq!(
            check_request(at(8, 0), &slot, 21, 20, &offered, &[]),
            Err(SlotRefusal::BadPartySize)
        );
        let pool = [Occupant {
            interval: slot,
            party_size: 18,
        }];
        assert_eq!(
            check_request(at(8, 0), &slot, 2, 20, &offered, &pool),
            Ok(())
        );
        assert_eq!(
            check_request(at(8, 0), &slot, 3, 20, &offered, &pool),
            Err(SlotRefusal::Full)
        );
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
            /// Book `party` people into offered slot number `slot`.
            Book { slot: usize, party: i32 },
            /// Cancel the n-th accepted booking still held.
            Cancel { nth: usize },
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                3 => (0usize..20, 1i32..6).prop_map(|(slot, party)| Op::Book { slot, party }),
                1 => (0usize..50).prop_map(|nth| Op::Cancel { nth }),
            ]
        }

        proptest! {
            /// Whatever sequence of bookings and cancellations arrives, what
            /// the rules accept never exceeds capacity at any moment, only
            /// offered (opening-hours) slots are used, and a request is only
            /// refused as full when it really would not fit.
            #[test]
            fn accepted_bookings_never_exceed_capacity(
                capacity in 1i32..25,
                slot_minutes in prop_oneof![Just(30), Just(60), Just(90), Just(120)],
                ops in proptest::collection::vec(op(), 1..120),
            ) {
                let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
                let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
                let offered = day_slots(tz, date, DayHours { opens_min: 540, closes_min: 1260 }, slot_minutes);
                let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
                let mut held: Vec<Occupant> = Vec::new();
                for op in ops {
                    match op {
                        Op::Book { slot, party } => {
                            let Some(iv) = offered.get(slot % offered.len()).copied() else { continue };
                            let before = remaining_capacity(capacity, &iv, &held);
                            match check_request(now, &iv, party, capacity, &offered, &held) {
                                Ok(()) => held.push(Occupant { interval: iv, party_size: party }),
                                Err(SlotRefusal::Full) => prop_assert!(before < party),
                                Err(SlotRefusal::BadPartySize) => prop_assert!(party > capacity),
                                Err(other) => prop_assert!(false, "unexpected refusal {:?}", other),
                            }
                        }
                        Op::Cancel { nth } => {
                            if !held.is_empty() {
                                held.remove(nth % held.len());
                            }
                        }
                    }
                    for iv in &offered {
                        let load: i32 = held.iter().filter(|o| o.interval.overlaps(iv)).map(|o| o.party_size).sum();
                        prop_assert!(load <= capacity, "load {} > capacity {}", load, capacity);
                    }
                    for o in &held {
                        prop_assert!(offered.contains(&o.interval));
                        let hours = DayHours { opens_min: 540, closes_min: 1260 };
                        prop_assert!(o.interval.start >= local_to_utc(tz, date, hours.opens_min));
                        prop_assert!(o.interval.end <= local_to_utc(tz, date, hours.closes_min));
                    }
                }
            }
        }
    }
}
