use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpaceKind {
    Coworking,
    PodcastStudio,
    SoundStudio,
    PhotoStudio,
    DesignStudio,
    LectureHall,
}

impl SpaceKind {
    pub const ALL: [SpaceKind; 6] = [
        SpaceKind::Coworking,
        SpaceKind::PodcastStudio,
        SpaceKind::SoundStudio,
        SpaceKind::PhotoStudio,
        SpaceKind::DesignStudio,
        SpaceKind::LectureHall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SpaceKind::Coworking => "coworking",
            SpaceKind::PodcastStudio => "podcast_studio",
            SpaceKind::SoundStudio => "sound_studio",
            SpaceKind::PhotoStudio => "photo_studio",
            SpaceKind::DesignStudio => "design_studio",
            SpaceKind::LectureHall => "lecture_hall",
        }
    }

    pub fn parse(s: &str) -> Option<SpaceKind> {
        SpaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (SpaceKind::Coworking, Locale::En) => "Coworking",
            (SpaceKind::Coworking, Locale::Ru) => "Коворкинг",
            (SpaceKind::Coworking, Locale::Kk) => "Коворкинг",
            (SpaceKind::PodcastStudio, Locale::En) => "Podcast studio",
            (SpaceKind::PodcastStudio, Locale::Ru) => "Подкаст-студия",
            (SpaceKind::PodcastStudio, Locale::Kk) => "Подкаст студиясы",
            (SpaceKind::SoundStudio, Locale::En) => "Sound-recording studio",
            (SpaceKind::SoundStudio, Locale::Ru) => "Студия звукозаписи",
            (SpaceKind::SoundStudio, Locale::Kk) => "Дыбыс жазу студиясы",
            (SpaceKind::PhotoStudio, Locale::En) => "Photo studio",
            (SpaceKind::PhotoStudio, Locale::Ru) => "Фотостудия",
            (SpaceKind::PhotoStudio, Locale::Kk) => "Фотостудия",
            (SpaceKind::DesignStudio, Locale::En) => "Design studio",
            (SpaceKind::DesignStudio, Locale::Ru) => "Дизайн-студия",
            (SpaceKind::DesignStudio, Locale::Kk) => "Дизайн студиясы",
            (SpaceKind::LectureHall, Locale::En) => "Lecture hall",
            (SpaceKind::LectureHall, Locale::Ru) => "Лекционный зал",
            (SpaceKind::LectureHall, Locale::Kk) => "Дәріс залы",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterDto {
    pub id: i32,
    pub name: String,
    pub city: String,
    pub is_regional: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpaceDto {
    pub id: i32,
    pub kind: SpaceKind,
    pub name: String,
    pub capacity: i32,
    pub slot_minutes: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterDetailDto {
    pub center: CenterDto,
    pub spaces: Vec<SpaceDto>,
}

/// One bookable slot; times are preformatted in the center's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotDto {
    /// Start as Unix seconds (UTC): the value the booking form submits.
    pub starts_at: i64,
    /// `09:00–10:00`, center-local.
    pub label: String,
    pub remaining: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayDto {
    /// `Tue 01.12`, center-local.
    pub label: String,
    pub iso_date: String,
    pub closed: bool,
    /// Why the center is closed this day (a public holiday or a closure).
    pub closed_reason: Option<String>,
    /// Slots that have not started yet, full ones included (remaining 0).
    pub slots: Vec<SlotDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityDto {
    pub center: CenterDto,
    pub space: SpaceDto,
    pub timezone: String,
    pub days: Vec<DayDto>,
    /// Random per page render; the booking form sends it back so that a
    /// resubmitted form finds the booking it already made.
    pub form_token: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingDto {
    pub id: i32,
    pub center_name: String,
    pub space_name: String,
    /// `Tue 01.12, 15:00–16:00`, center-local.
    pub when: String,
    pub party_size: i32,
    pub pass_code: Option<String>,
    /// Server-rendered QR code of `pass_code` (SVG markup).
    pub qr_svg: Option<String>,
    /// Center-local `HH:MM` of the check-in, if admitted.
    pub checked_in_at: Option<String>,
    /// Until when the member may cancel online (`Tue 01.12, 10:00`), while
    /// that is still possible.
    pub cancel_until: Option<String>,
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
