use serde::{Deserialize, Serialize};

use crate::domain::consultation::Field;
use crate::i18n::Locale;

/// A free consultation time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDto {
    pub id: i32,
    /// Center-local, e.g. `Wed 02.12, 15:00–15:45`.
    pub when: String,
}

/// A mentor as members browse them, with the free times ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorDto {
    pub id: i32,
    pub name: String,
    pub field: Field,
    pub languages: Vec<Locale>,
    pub bio: String,
    pub center_name: String,
    pub free_slots: Vec<SlotDto>,
}

/// A consultation the signed-in member booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyConsultationDto {
    pub slot_id: i32,
    pub mentor_name: String,
    pub field: Field,
    pub when: String,
    pub topic: Option<String>,
    /// Still ahead (it can be cancelled).
    pub upcoming: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotState {
    Free,
    Booked,
    Cancelled,
    /// Over without a booking.
    Past,
}

/// One of the mentor's own slots, with who booked it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorSlotDto {
    pub id: i32,
    pub when: String,
    pub state: SlotState,
    pub upcoming: bool,
    pub member: Option<String>,
    pub topic: Option<String>,
}

/// The mentor's own page: profile in short and slots from today on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorScheduleDto {
    pub mentor_id: i32,
    pub field: Field,
    pub center_name: String,
    pub profile: MentorProfileDto,
    pub slots: Vec<MentorSlotDto>,
}

/// The mentor's public profile as they edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorProfileDto {
    pub field: Field,
    pub languages: Vec<Locale>,
    pub bio_kk: String,
    pub bio_ru: String,
    pub bio_en: String,
}

/// A booked consultation as staff may see it (never for psychology).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBookingDto {
    pub when: String,
    pub member: String,
    pub topic: Option<String>,
}

/// Per mentor: counts, and the bookings themselves where the viewer may see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRowDto {
    pub mentor_name: String,
    pub field: Field,
    pub free: u32,
    pub booked_upcoming: u32,
    pub booked_past: u32,
    /// Names are hidden (psychology, or a front-desk viewer).
    pub counts_only: bool,
    pub bookings: Vec<ReportBookingDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationReportDto {
    pub center: crate::centers::dto::CenterDto,
    pub rows: Vec<ReportRowDto>,
}

/// The languages whose checkbox was ticked (a form sends a value only for a
/// ticked box), in the order kk, ru, en.
pub fn ticked_languages(boxes: [Option<String>; 3]) -> Vec<crate::i18n::Locale> {
    use crate::i18n::Locale;
    boxes
        .into_iter()
        .zip([Locale::Kk, Locale::Ru, Locale::En])
        .filter_map(|(on, l)| on.map(|_| l))
        .collect()
}
