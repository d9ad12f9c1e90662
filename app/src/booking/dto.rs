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

    /// A seat pool: every person takes a seat. Other spaces are taken whole
    /// by one booking.
    pub fn is_pool(self) -> bool {
        matches!(self, SpaceKind::Coworking)
    }

    /// Studios: their bookings count against the weekly studio-hours quota
    /// and ask for party size and purpose.
    pub fn is_studio(self) -> bool {
        matches!(
            self,
            SpaceKind::PodcastStudio
                | SpaceKind::SoundStudio
                | SpaceKind::PhotoStudio
                | SpaceKind::DesignStudio
        )
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
    /// Longest booking that can start here now (0: none fits).
    pub max_minutes: i32,
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
    /// Which week is shown (0 = starting today) of how many bookable weeks.
    pub week: u32,
    pub weeks: u32,
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
    pub space_id: i32,
    pub minutes: i32,
    pub status: BookingStatus,
    pub purpose: Option<String>,
    /// Staff's reason for a denial (or a note on approval).
    pub decision_reason: Option<String>,
    pub pass_code: Option<String>,
    /// Server-rendered QR code of `pass_code` (SVG markup).
    pub qr_svg: Option<String>,
    /// Center-local `HH:MM` of the check-in, if admitted.
    pub checked_in_at: Option<String>,
    /// Until when the member may cancel or move online (`Tue 01.12,
    /// 10:00`), while that is still possible.
    pub cancel_until: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingStatus {
    Confirmed,
    /// Waiting for staff approval; holds its place, has no pass yet.
    Pending,
    Denied,
}

/// What a booking form made: the bookings, and for a weekly series the
/// dates that were skipped and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookResultDto {
    pub booking_ids: Vec<i32>,
    /// The bookings wait for staff approval.
    pub pending: bool,
    /// `Tue 15.12` and the localized reason.
    pub skipped: Vec<SkippedDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDto {
    pub date: String,
    pub reason: String,
}

/// A request in the approval queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDto {
    pub id: i32,
    /// First name and last initial.
    pub member: String,
    pub space_name: String,
    pub center_name: String,
    pub when: String,
    pub party_size: i32,
    pub purpose: String,
    /// When the request was made, center-local.
    pub requested: String,
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
    #[serde(default)]
    pub requires_approval: bool,
    #[serde(default)]
    pub requires_induction: bool,
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
