//! Membership rules: age, IIN, eligibility and guardian consent. Pure
//! functions with "today" passed in.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Youngest and oldest age (inclusive) at which membership is free.
pub const MIN_AGE: i32 = 14;
pub const MAX_AGE: i32 = 35;
/// Below this age a guardian's consent is needed to book.
pub const ADULT_AGE: i32 = 18;

/// Age in whole years on `today`. Someone born on 29 February becomes a
/// year older on 1 March in years without that day.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birth.year();
    let had_birthday = (today.month(), today.day()) >= (birth.month(), birth.day());
    if !had_birthday {
        age -= 1;
    }
    age
}

/// Age bands used in reports and shown to the front desk instead of birth dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AgeBand {
    Under14,
    B14to17,
    B18to24,
    B25to29,
    B30to35,
    Over35,
}

impl AgeBand {
    pub fn of(age: i32) -> AgeBand {
        match age {
            i32::MIN..=13 => AgeBand::Under14,
            14..=17 => AgeBand::B14to17,
            18..=24 => AgeBand::B18to24,
            25..=29 => AgeBand::B25to29,
            30..=35 => AgeBand::B30to35,
            _ => AgeBand::Over35,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under14 => "<14",
            AgeBand::B14to17 => "14–17",
            AgeBand::B18to24 => "18–24",
            AgeBand::B25to29 => "25–29",
            AgeBand::B30to35 => "30–35",
            AgeBand::Over35 => "35+",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eligibility {
    /// 18–35: a member at once.
    Adult,
    /// 14–17: a member who needs a guardian's consent before booking.
    MinorNeedsConsent,
    TooYoung,
    TooOld,
}

pub fn eligibility(birth: NaiveDate, today: NaiveDate) -> Eligibility {
    let age = age_on(birth, today);
    if age < MIN_AGE {
        Eligibility::TooYoung
    } else if age > MAX_AGE {
        Eligibility::TooOld
    } else if age < ADULT_AGE {
        Eligibility::MinorNeedsConsent
    } else {
        Eligibility::Adult
    }
}

/// Whether a member may book today: adults always; minors once a guardian's
/// consent is on record (turning 18 lifts the requirement).
pub fn may_book(birth: NaiveDate, today: NaiveDate, has_consent: bool) -> bool {
    age_on(birth, today) >= ADULT_AGE || has_consent
}

/// First name and last initial (`Аружан С.`): how staff screens name a
/// member without showing the full name.
pub fn short_name(full: &str) -> String {
    let mut parts = full.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(first), Some(last)) => {
            format!(
                "{first} {}.",
                last.chars().next().map(String::from).unwrap_or_default()
            )
        }
        (Some(first), None) => first.to_string(),
        _ => String::new(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IinError {
    /// Not exactly 12 digits.
    Format,
    /// The check digit does not match.
    Checksum,
    /// The first seven digits do not encode a real date.
    BadDate,
    /// The IIN's birth date differs from the one given.
    BirthDateMismatch,
}

/// Validate a Kazakhstan IIN (ИИН/ЖСН): 12 digits, `YYMMDD`, a century and
/// sex digit (1–6), a serial and a check digit computed with weights 1…11
/// (or 3…11, 1, 2 when the first pass gives 10). Returns the birth date.
pub fn parse_iin(raw: &str) -> Result<NaiveDate, IinError> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IinError::Format);
    }
    let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
    let check = |weights: [u32; 11]| (0..11).map(|i| d[i] * weights[i]).sum::<u32>() % 11;
    let mut c = check([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if c == 10 {
        c = check([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
        if c == 10 {
            return Err(IinError::Checksum);
        }
    }
    if c != d[11] {
        return Err(IinError::Checksum);
    }
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return Err(IinError::BadDate),
    };
    let year = century + (d[0] * 10 + d[1]) as i32;
    NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5]).ok_or(IinError::BadDate)
}

/// Validate an IIN against the birth date the member gave.
pub fn check_iin(raw: &str, birth: NaiveDate) -> Result<String, IinError> {
    let from_iin = parse_iin(raw)?;
    if from_iin != birth {
        return Err(IinError::BirthDateMismatch);
    }
    Ok(raw.chars().filter(|c| !c.is_whitespace()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Build a valid IIN for tests from the first 11 digits.
    fn with_check(first11: &str) -> Option<String> {
        let d: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        let check = |w: [u32; 11]| (0..11).map(|i| d[i] * w[i]).sum::<u32>() % 11;
        let mut c = check([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        if c == 10 {
            c = check([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
            if c == 10 {
                return None;
            }
        }
        Some(format!("{first11}{c}"))
    }

    #[test]
    fn age_boundaries() {
        let today = d(2026, 12, 1);
        assert_eq!(age_on(d(2012, 12, 1), today), 14); // 14th birthday today
        assert_eq!(age_on(d(2012, 12, 2), today), 13);
        assert_eq!(age_on(d(1990, 12, 1), today), 36); // 36th birthday today
        assert_eq!(age_on(d(1990, 12, 2), today), 35);
        assert_eq!(
            eligibility(d(2012, 12, 1), today),
            Eligibility::MinorNeedsConsent
        );
        assert_eq!(eligibility(d(2012, 12, 2), today), Eligibility::TooYoung);
        assert_eq!(eligibility(d(1990, 12, 1), today), Eligibility::TooOld);
        assert_eq!(eligibility(d(1990, 12, 2), today), Eligibility::Adult);
        assert_eq!(eligibility(d(2008, 12, 1), today), Eligibility::Adult); // 18 today
        assert_eq!(
            eligibility(d(2008, 12, 2), today),
            Eligibility::MinorNeedsConsent
        );
    }

    #[test]
    fn leap_day_births_age_on_first_of_march() {
        let born = d(2008, 2, 29);
        assert_eq!(age_on(born, d(2026, 2, 28)), 17);
        assert_eq!(age_on(born, d(2026, 3, 1)), 18);
        assert_eq!(age_on(born, d(2028, 2, 29)), 20);
        assert!(!may_book(born, d(2026, 2, 28), false));
        assert!(may_book(born, d(2026, 3, 1), false));
        assert!(may_book(born, d(2026, 2, 28), true));
    }

    #[test]
    fn short_names_hide_surnames() {
        assert_eq!(short_name("Аружан Сейткали"), "Аружан С.");
        assert_eq!(short_name("  Madina  "), "Madina");
        assert_eq!(short_name(""), "");
    }

    #[test]
    fn age_bands() {
        assert_eq!(AgeBand::of(14), AgeBand::B14to17);
        assert_eq!(AgeBand::of(17), AgeBand::B14to17);
        assert_eq!(AgeBand::of(18), AgeBand::B18to24);
        assert_eq!(AgeBand::of(29), AgeBand::B25to29);
        assert_eq!(AgeBand::of(35), AgeBand::B30to35);
        assert_eq!(AgeBand::of(36), AgeBand::Over35);
    }

    #[test]
    fn iin_checksum_and_date() {
        // 15 May 2010, century digit 5 (2000s, male), serial 0012.
        let iin = with_check("10051550012").unwrap();
        assert_eq!(parse_iin(&iin), Ok(d(2010, 5, 15)));
        assert_eq!(check_iin(&iin, d(2010, 5, 15)), Ok(iin.clone()));
        assert_eq!(
            check_iin(&iin, d(2010, 5, 16)),
            Err(IinError::BirthDateMismatch)
        );
        // Every wrong check digit fails.
        let good = iin.as_bytes()[11];
        for c in b'0'..=b'9' {
            if c != good {
                let mut bad = iin.clone().into_bytes();
                bad[11] = c;
                assert_eq!(
                    parse_iin(std::str::from_utf8(&bad).unwrap()),
                    Err(IinError::Checksum)
                );
            }
        }
        assert_eq!(parse_iin("12345"), Err(IinError::Format));
        assert_eq!(parse_iin("1005155001a2"), Err(IinError::Format));
        // A checksum-valid number with an impossible date.
        let bad_date = with_check("10023150012").unwrap(); // 31 Feb
        assert_eq!(parse_iin(&bad_date), Err(IinError::BadDate));
        // Century digit 3/4 means the 1900s.
        let old = with_check("90010140001").unwrap();
        assert_eq!(parse_iin(&old), Ok(d(1990, 1, 1)));
    }

    #[test]
    fn iin_second_weight_pass() {
        // Find a prefix whose first pass gives 10, and check it still validates.
        let mut found = false;
        for serial in 0..2000u32 {
            let first11 = format!("0001015{serial:04}");
            let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
            let first: u32 = (0..11).map(|i| digits[i] * (i as u32 + 1)).sum::<u32>() % 11;
            if first == 10 {
                if let Some(iin) = with_check(&first11) {
                    assert_eq!(parse_iin(&iin), Ok(d(2000, 1, 1)));
                    found = true;
                    break;
                }
            }
        }
        assert!(found);
    }
}

/// The number printed on a member's card.
pub fn member_number(person_id: i32) -> String {
    format!("{person_id:06}")
}

/// A minor's guardian consent, as the desk sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentState {
    /// 18 or older.
    NotNeeded,
    Awaiting,
    Given,
}

impl ConsentState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::NotNeeded => "not_needed",
            ConsentState::Awaiting => "awaiting",
            ConsentState::Given => "given",
        }
    }
}
