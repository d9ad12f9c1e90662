//! The region's public holidays as data: fixed ones recur every year,
//! movable ones (Oraza ait, Kurban ait) hold for one year only. Centers are
//! closed on them unless a center opens for an event.

use chrono::{Datelike, NaiveDate};

use crate::domain::lang::Locale;

/// One holiday as stored: `year` empty for every year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub id: i32,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

impl Holiday {
    /// Whether the holiday falls on `date`.
    pub fn on(&self, date: NaiveDate) -> bool {
        self.month == date.month()
            && self.day == date.day()
            && self.year.is_none_or(|y| y == date.year())
    }

    /// Its name in `l`.
    pub fn name(&self, l: Locale) -> &str {
        match l {
            Locale::Kk => &self.name_kk,
            Locale::Ru => &self.name_ru,
            Locale::En => &self.name_en,
        }
    }

    /// Its date in `year` (none for another year's movable holiday or
    /// 29 February in a common year).
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if self.year.is_some_and(|y| y != year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

/// Every holiday of the region, built once from the stored rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    rows: Vec<Holiday>,
}

impl HolidayCalendar {
    pub fn new(rows: Vec<Holiday>) -> HolidayCalendar {
        HolidayCalendar { rows }
    }

    /// The holiday on `date`, if any (a movable one before a fixed one).
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.rows
            .iter()
            .filter(|h| h.on(date))
            .min_by_key(|h| h.year.is_none())
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holiday(date).is_some()
    }

    /// The holidays of one year (fixed ones and that year's movable ones)
    /// with their dates, in date order.
    pub fn of_year(&self, year: i32) -> Vec<(NaiveDate, &Holiday)> {
        let mut out: Vec<_> = self
            .rows
            .iter()
            .filter_map(|h| h.date_in(year).map(|d| (d, h)))
            .collect();
        out.sort_by_key(|(d, h)| (*d, h.year.is_none(), h.id));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row(id: i32, year: Option<i32>, month: u32, day: u32, en: &str) -> Holiday {
        Holiday {
            id,
            year,
            month,
            day,
            name_kk: format!("{en} kk"),
            name_ru: format!("{en} ru"),
            name_en: en.into(),
        }
    }

    fn calendar() -> HolidayCalendar {
        HolidayCalendar::new(vec![
            row(1, None, 1, 1, "New Year"),
            row(2, None, 3, 21, "Nauryz"),
            row(3, None, 12, 16, "Independence Day"),
            row(4, Some(2027), 5, 16, "Kurban ait"),
        ])
    }

    #[test]
    fn fixed_holidays_recur_every_year() {
        let c = calendar();
        for y in [2026, 2027, 2030] {
            assert_eq!(c.holiday(d(y, 3, 21)).unwrap().name_en, "Nauryz");
            assert!(c.is_holiday(d(y, 12, 16)));
            assert!(!c.is_holiday(d(y, 12, 17)));
        }
        assert_eq!(
            c.holiday(d(2026, 1, 1)).unwrap().name(Locale::Ru),
            "New Year ru"
        );
    }

    #[test]
    fn movable_holidays_hold_one_year_only() {
        let c = calendar();
        assert!(c.is_holiday(d(2027, 5, 16)));
        assert!(!c.is_holiday(d(2026, 5, 16)));
        assert!(!c.is_holiday(d(2028, 5, 16)));
        let y27: Vec<_> = c.of_year(2027).iter().map(|(d, _)| *d).collect();
        assert_eq!(
            y27,
            [
                d(2027, 1, 1),
                d(2027, 3, 21),
                d(2027, 5, 16),
                d(2027, 12, 16)
            ]
        );
        assert_eq!(c.of_year(2026).len(), 3);
    }

    #[test]
    fn an_empty_calendar_closes_nothing() {
        let c = HolidayCalendar::default();
        assert!(!c.is_holiday(d(2026, 1, 1)));
        assert!(c.of_year(2026).is_empty());
    }
}
