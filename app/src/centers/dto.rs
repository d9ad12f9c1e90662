//! Centers and spaces as the browser sees them (wasm-safe).

use serde::{Deserialize, Serialize};

use crate::domain::space::SpaceKind;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterDto {
    pub id: i32,
    pub name: String,
    pub city: String,
    pub is_regional: bool,
    /// Deactivated centers take nothing new; staff lists mark them.
    /// (Left out of the JSON while true, so earlier answers read the same.)
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpaceDto {
    pub id: i32,
    pub kind: SpaceKind,
    pub name: String,
    pub capacity: i32,
    pub slot_minutes: i32,
    /// People one booking may bring.
    pub max_party: i32,
    /// Allowed booking lengths in minutes, shortest first.
    pub durations: Vec<i32>,
    pub requires_approval: bool,
    pub requires_induction: bool,
    /// 0: no age rule beyond membership.
    pub min_age: i32,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub max_advance_days: i32,
    pub cancel_notice_minutes: i32,
    /// The direction the space serves; none for every direction.
    #[serde(default)]
    pub direction: Option<crate::domain::direction::Direction>,
    /// The direction's name, where the page shows it (staff lists).
    #[serde(default)]
    pub direction_name: Option<String>,
    /// The description in the reader's language (may be empty).
    #[serde(default)]
    pub description: String,
    /// Deactivated spaces take no bookings; staff lists still show them.
    #[serde(default)]
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterDetailDto {
    pub center: CenterDto,
    pub spaces: Vec<SpaceDto>,
}

/// A center and its spaces, for the director's space list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedCenterDto {
    pub center: CenterDto,
    pub spaces: Vec<SpaceDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpaceRulesDto {
    pub space: SpaceDto,
    pub center: CenterDto,
    pub form: SpaceRulesForm,
    /// The region's directions a space may serve.
    pub directions: Vec<DirectionOption>,
}

/// Space rules as the director's form sends them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceRulesForm {
    pub capacity: i32,
    pub max_party: i32,
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub max_advance_days: i32,
    pub cancel_notice_minutes: i32,
    pub min_age: i32,
    /// The door opens this many minutes before the start.
    pub checkin_open_minutes: i32,
    /// No check-in by start + this: a no-show.
    pub no_show_minutes: i32,
    #[serde(default)]
    pub requires_approval: bool,
    #[serde(default)]
    pub requires_induction: bool,
    /// `Direction::as_str`, or empty: the space serves every direction.
    #[serde(default)]
    pub direction: String,
}

/// Slot lengths a director can choose.
pub const SLOT_CHOICES: [i32; 8] = [15, 30, 45, 60, 90, 120, 180, 240];

impl SpaceRulesForm {
    /// Every rule within its range; the first field that is not is named.
    pub fn validate(&self, pooled: bool) -> Result<(), crate::error::AppError> {
        use crate::error::{AppError, Problem};
        let bad = |field: &str, problem: Problem| {
            Err(AppError::Invalid {
                field: field.into(),
                problem,
            })
        };
        let range = |v: i32, lo: i32, hi: i32| v >= lo && v <= hi;
        if !range(self.capacity, 1, 500) {
            return bad("capacity", Problem::Range);
        }
        if !SLOT_CHOICES.contains(&self.slot_minutes) {
            return bad("slot_minutes", Problem::Range);
        }
        if !range(self.min_minutes, self.slot_minutes, 720)
            || self.min_minutes % self.slot_minutes != 0
        {
            return bad("min_minutes", Problem::SlotMultiple);
        }
        if !range(self.max_minutes, self.min_minutes, 720)
            || self.max_minutes % self.slot_minutes != 0
        {
            return bad("max_minutes", Problem::SlotMultiple);
        }
        if !range(self.buffer_minutes, 0, 240) {
            return bad("buffer_minutes", Problem::Range);
        }
        if !range(self.min_notice_minutes, 0, 20_160) {
            return bad("min_notice_minutes", Problem::Range);
        }
        if !range(self.max_advance_days, 1, 365) {
            return bad("max_advance_days", Problem::Range);
        }
        if !range(self.cancel_notice_minutes, 0, 20_160) {
            return bad("cancel_notice_minutes", Problem::Range);
        }
        if self.min_age != 0 && !range(self.min_age, 14, 35) {
            return bad("min_age", Problem::Range);
        }
        if !range(self.checkin_open_minutes, 0, 120) {
            return bad("checkin_open_minutes", Problem::Range);
        }
        if !range(self.no_show_minutes, 5, 240) {
            return bad("no_show_minutes", Problem::Range);
        }
        let party_max = if pooled { self.capacity } else { 500 };
        if !range(self.max_party, 1, party_max) {
            return bad("max_party", Problem::Range);
        }
        Ok(())
    }
}

/// A day a center is closed (besides public holidays).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureDto {
    pub id: i32,
    pub center: String,
    /// `Wed 16.12`.
    pub day: String,
    pub iso_day: String,
    pub reason: String,
}

/// The closures page: centers the user manages and their upcoming closures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosuresDto {
    pub centers: Vec<CenterDto>,
    pub closures: Vec<ClosureDto>,
}

/// A center's opening hours and fair-share limits, as the director's form
/// sends them. Times are `HH:MM`; both empty means closed that day; a
/// closing time before the opening time is after midnight.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterSettingsForm {
    #[serde(default)]
    pub mon_opens: String,
    #[serde(default)]
    pub mon_closes: String,
    #[serde(default)]
    pub tue_opens: String,
    #[serde(default)]
    pub tue_closes: String,
    #[serde(default)]
    pub wed_opens: String,
    #[serde(default)]
    pub wed_closes: String,
    #[serde(default)]
    pub thu_opens: String,
    #[serde(default)]
    pub thu_closes: String,
    #[serde(default)]
    pub fri_opens: String,
    #[serde(default)]
    pub fri_closes: String,
    #[serde(default)]
    pub sat_opens: String,
    #[serde(default)]
    pub sat_closes: String,
    #[serde(default)]
    pub sun_opens: String,
    #[serde(default)]
    pub sun_closes: String,
    pub max_future_bookings: i32,
    pub max_studio_hours: i32,
    /// No-shows within `strike_window_days` that block booking for
    /// `strike_block_days` (0: strikes off).
    pub strike_limit: i32,
    pub strike_window_days: i32,
    pub strike_block_days: i32,
}

/// Weekday field prefixes of [`CenterSettingsForm`], Monday first.
pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Latest closing: six hours past midnight.
pub const LATEST_CLOSE_MIN: i32 = 24 * 60 + 6 * 60;

pub fn parse_hhmm(s: &str) -> Option<i32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// `HH:MM` of minutes after midnight (past 24 h wraps to the next day).
pub fn fmt_hhmm(min: i32) -> String {
    let m = min.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl CenterSettingsForm {
    pub fn day(&self, i: usize) -> (&str, &str) {
        match i {
            0 => (&self.mon_opens, &self.mon_closes),
            1 => (&self.tue_opens, &self.tue_closes),
            2 => (&self.wed_opens, &self.wed_closes),
            3 => (&self.thu_opens, &self.thu_closes),
            4 => (&self.fri_opens, &self.fri_closes),
            5 => (&self.sat_opens, &self.sat_closes),
            _ => (&self.sun_opens, &self.sun_closes),
        }
    }

    pub fn set_day(&mut self, i: usize, opens: String, closes: String) {
        let (o, c) = match i {
            0 => (&mut self.mon_opens, &mut self.mon_closes),
            1 => (&mut self.tue_opens, &mut self.tue_closes),
            2 => (&mut self.wed_opens, &mut self.wed_closes),
            3 => (&mut self.thu_opens, &mut self.thu_closes),
            4 => (&mut self.fri_opens, &mut self.fri_closes),
            5 => (&mut self.sat_opens, &mut self.sat_closes),
            _ => (&mut self.sun_opens, &mut self.sun_closes),
        };
        *o = opens;
        *c = closes;
    }

    /// Opening hours per weekday (Monday = 0) as minutes after midnight,
    /// `None` when closed; the first bad field is named.
    #[allow(clippy::type_complexity)]
    pub fn validate(&self) -> Result<[Option<(i32, i32)>; 7], crate::error::AppError> {
        let out = self.validate_hours()?;
        self.validate_quotas()?;
        Ok(out)
    }

    /// The weekly hours alone (see [`Self::validate`]). An evening past
    /// midnight must close before the next day opens.
    #[allow(clippy::type_complexity)]
    pub fn validate_hours(&self) -> Result<[Option<(i32, i32)>; 7], crate::error::AppError> {
        use crate::error::{AppError, Problem};
        let bad = |field: String, problem: Problem| AppError::Invalid { field, problem };
        let mut out = [None; 7];
        for (i, key) in WEEKDAY_KEYS.iter().enumerate() {
            let (o, c) = self.day(i);
            if o.trim().is_empty() && c.trim().is_empty() {
                continue;
            }
            let opens = parse_hhmm(o).ok_or_else(|| bad(format!("{key}_opens"), Problem::Time))?;
            let mut closes =
                parse_hhmm(c).ok_or_else(|| bad(format!("{key}_closes"), Problem::Time))?;
            if closes <= opens {
                closes += 24 * 60;
            }
            if closes == opens + 24 * 60 || closes > LATEST_CLOSE_MIN {
                return Err(bad(format!("{key}_closes"), Problem::Range));
            }
            out[i] = Some((opens, closes));
        }
        for (i, key) in WEEKDAY_KEYS.iter().enumerate() {
            if let (Some((_, closes)), Some((next_opens, _))) = (out[i], out[(i + 1) % 7]) {
                if closes > 24 * 60 + next_opens {
                    return Err(bad(format!("{key}_closes"), Problem::Overlap));
                }
            }
        }
        Ok(out)
    }

    /// The quotas alone (see [`Self::validate`]).
    fn validate_quotas(&self) -> Result<(), crate::error::AppError> {
        use crate::error::{AppError, Problem};
        let bad = |field: String, problem: Problem| AppError::Invalid { field, problem };
        if !(1..=50).contains(&self.max_future_bookings) {
            return Err(bad("max_future_bookings".into(), Problem::Range));
        }
        if !(1..=168).contains(&self.max_studio_hours) {
            return Err(bad("max_studio_hours".into(), Problem::Range));
        }
        if !(0..=20).contains(&self.strike_limit) {
            return Err(bad("strike_limit".into(), Problem::Range));
        }
        if !(1..=365).contains(&self.strike_window_days) {
            return Err(bad("strike_window_days".into(), Problem::Range));
        }
        if !(1..=90).contains(&self.strike_block_days) {
            return Err(bad("strike_block_days".into(), Problem::Range));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterSettingsDto {
    pub center: CenterDto,
    pub form: CenterSettingsForm,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AppError, Problem};

    fn week() -> CenterSettingsForm {
        let mut f = CenterSettingsForm {
            max_future_bookings: 3,
            max_studio_hours: 4,
            strike_limit: 3,
            strike_window_days: 30,
            strike_block_days: 7,
            ..Default::default()
        };
        for i in 0..5 {
            f.set_day(i, "09:00".into(), "21:00".into());
        }
        f
    }

    #[test]
    fn hours_parse_with_closed_days_and_late_closing() {
        let mut f = week();
        f.set_day(5, "18:00".into(), "02:00".into());
        let h = f.validate().unwrap();
        assert_eq!(h[0], Some((540, 1260)));
        assert_eq!(h[5], Some((1080, 1560)));
        assert_eq!(h[6], None);
        assert_eq!(fmt_hhmm(1560), "02:00");
    }

    #[test]
    fn bad_hours_name_their_field() {
        let mut f = week();
        f.set_day(2, "9".into(), "21:00".into());
        assert_eq!(
            f.validate(),
            Err(AppError::Invalid {
                field: "wed_opens".into(),
                problem: Problem::Time
            })
        );
        let mut f = week();
        f.set_day(3, "09:00".into(), "".into());
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, .. }) if field == "thu_closes")
        );
        let mut f = week();
        // Open until 07:00 next morning: past the latest closing.
        f.set_day(4, "20:00".into(), "07:00".into());
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, problem: Problem::Range }) if field == "fri_closes")
        );
        let mut f = week();
        // Friday until 02:00, Saturday from 01:00: the nights overlap.
        f.set_day(4, "18:00".into(), "02:00".into());
        f.set_day(5, "01:00".into(), "12:00".into());
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, problem: Problem::Overlap }) if field == "fri_closes")
        );
        // Sunday night into Monday's morning wraps around the week.
        let mut f = week();
        f.set_day(0, "04:00".into(), "21:00".into());
        f.set_day(6, "20:00".into(), "05:00".into());
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, problem: Problem::Overlap }) if field == "sun_closes")
        );
        let mut f = week();
        f.set_day(4, "18:00".into(), "02:00".into());
        f.set_day(5, "02:00".into(), "12:00".into());
        assert!(f.validate().is_ok());
        let f = CenterSettingsForm {
            max_studio_hours: 0,
            ..week()
        };
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, .. }) if field == "max_studio_hours")
        );
    }
}

/// A direction offered in a form's list (active ones only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionOption {
    pub code: String,
    pub name: String,
}

/// A direction as the regional admin manages it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionRowDto {
    pub code: String,
    pub name: String,
    pub form: DirectionForm,
    pub retired: bool,
    /// Spaces, clubs, events and programs that carry it.
    pub uses: u64,
}

/// A direction's names as the admin's form sends them (`code` only when
/// adding one; it never changes afterwards).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionForm {
    #[serde(default)]
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}
