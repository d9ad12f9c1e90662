//! What the regional admin's center and holiday pages exchange (wasm-safe).

use serde::{Deserialize, Serialize};

use super::dto::CenterSettingsForm;

/// A center as the admin's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterRowDto {
    pub id: i32,
    pub name: String,
    pub district: String,
    pub timezone: String,
    pub is_regional: bool,
    pub active: bool,
}

/// A center's card as the admin's form sends it. Hours are `HH:MM` as in
/// [`CenterSettingsForm`] (a closing time before the opening time is after
/// midnight); phone and email may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterForm {
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub district: String,
    /// `city` or `rural`.
    #[serde(default)]
    pub settlement: String,
    #[serde(default)]
    pub address: String,
    /// IANA name, e.g. `Asia/Almaty`.
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub description_kk: String,
    #[serde(default)]
    pub description_ru: String,
    #[serde(default)]
    pub description_en: String,
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
}

/// The region's time zones a form suggests (any IANA name is accepted).
pub const KZ_TIME_ZONES: [&str; 7] = [
    "Asia/Almaty",
    "Asia/Qostanay",
    "Asia/Aqtobe",
    "Asia/Aqtau",
    "Asia/Atyrau",
    "Asia/Oral",
    "Asia/Qyzylorda",
];

impl CenterForm {
    /// The weekly hours as the settings form holds them (to validate them
    /// the same way).
    pub fn hours(&self) -> CenterSettingsForm {
        CenterSettingsForm {
            mon_opens: self.mon_opens.clone(),
            mon_closes: self.mon_closes.clone(),
            tue_opens: self.tue_opens.clone(),
            tue_closes: self.tue_closes.clone(),
            wed_opens: self.wed_opens.clone(),
            wed_closes: self.wed_closes.clone(),
            thu_opens: self.thu_opens.clone(),
            thu_closes: self.thu_closes.clone(),
            fri_opens: self.fri_opens.clone(),
            fri_closes: self.fri_closes.clone(),
            sat_opens: self.sat_opens.clone(),
            sat_closes: self.sat_closes.clone(),
            sun_opens: self.sun_opens.clone(),
            sun_closes: self.sun_closes.clone(),
            ..Default::default()
        }
    }

    pub fn set_hours(&mut self, h: &CenterSettingsForm) {
        self.mon_opens = h.mon_opens.clone();
        self.mon_closes = h.mon_closes.clone();
        self.tue_opens = h.tue_opens.clone();
        self.tue_closes = h.tue_closes.clone();
        self.wed_opens = h.wed_opens.clone();
        self.wed_closes = h.wed_closes.clone();
        self.thu_opens = h.thu_opens.clone();
        self.thu_closes = h.thu_closes.clone();
        self.fri_opens = h.fri_opens.clone();
        self.fri_closes = h.fri_closes.clone();
        self.sat_opens = h.sat_opens.clone();
        self.sat_closes = h.sat_closes.clone();
        self.sun_opens = h.sun_opens.clone();
        self.sun_closes = h.sun_closes.clone();
    }
}

/// One center for the admin's edit page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterAdminDto {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub is_regional: bool,
    pub active: bool,
    pub form: CenterForm,
}

/// A holiday of the chosen year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRowDto {
    pub id: i32,
    pub iso_day: String,
    /// `Sun 16.05.2027`.
    pub day: String,
    pub name: String,
    /// Entered for this year only (Oraza ait, Kurban ait).
    pub movable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidaysDto {
    pub year: i32,
    pub holidays: Vec<HolidayRowDto>,
}

/// A movable holiday as the admin's form sends it (`day` is `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayForm {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
}

/// A center open on a holiday for an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayOpeningDto {
    pub id: i32,
    pub center: String,
    pub day: String,
    pub iso_day: String,
    /// The holiday's name.
    pub holiday: String,
    pub reason: String,
}

/// The holiday openings section of the closures page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayOpeningsDto {
    /// Directors and admins open a center on a holiday; the desk only sees.
    pub may_edit: bool,
    pub openings: Vec<HolidayOpeningDto>,
}
