use crate::centers::dto::CenterDto;
use crate::centers::dto::SpaceDto;
use serde::{Deserialize, Serialize};

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
    /// For the PNG download (`/passes/{id}.png`).
    pub pass_id: Option<i32>,
    /// Server-rendered QR code of `pass_code` (SVG markup).
    pub qr_svg: Option<String>,
    /// Center-local `HH:MM` of the check-in, if admitted.
    pub checked_in_at: Option<String>,
    /// Until when the member may cancel or move online (`Tue 01.12,
    /// 10:00`), while that is still possible.
    pub cancel_until: Option<String>,
}

pub use crate::domain::codes::BookingStatus;

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
