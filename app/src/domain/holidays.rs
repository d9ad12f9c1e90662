//! Kazakhstan's public holidays with fixed dates: centers are closed.

use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holiday {
    NewYear,
    WomensDay,
    Nauryz,
    UnityDay,
    DefenderDay,
    VictoryDay,
    CapitalDay,
    ConstitutionDay,
    RepublicDay,
    IndependenceDay,
}

/// The public holiday on `date`, if any (1–2 Jan, 8 Mar, 21–23 Mar, 1 May,
/// 7 May, 9 May, 6 Jul, 30 Aug, 25 Oct, 16 Dec).
pub fn public_holiday(date: NaiveDate) -> Option<Holiday> {
    use Holiday::*;
    Some(match (date.month(), date.day()) {
        (1, 1) | (1, 2) => NewYear,
        (3, 8) => WomensDay,
        (3, 21..=23) => Nauryz,
        (5, 1) => UnityDay,
        (5, 7) => DefenderDay,
        (5, 9) => VictoryDay,
        (7, 6) => CapitalDay,
        (8, 30) => ConstitutionDay,
        (10, 25) => RepublicDay,
        (12, 16) => IndependenceDay,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn fixed_holidays() {
        assert_eq!(public_holiday(d(3, 21)), Some(Holiday::Nauryz));
        assert_eq!(public_holiday(d(3, 23)), Some(Holiday::Nauryz));
        assert_eq!(public_holiday(d(3, 24)), None);
        assert_eq!(public_holiday(d(12, 16)), Some(Holiday::IndependenceDay));
        assert_eq!(public_holiday(d(1, 2)), Some(Holiday::NewYear));
        assert_eq!(public_holiday(d(12, 1)), None);
        let days = (1..=365)
            .filter_map(|i| NaiveDate::from_yo_opt(2026, i))
            .filter(|x| public_holiday(*x).is_some());
        assert_eq!(days.count(), 13);
    }
}
