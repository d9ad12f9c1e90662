use serde::{Deserialize, Serialize};

/// The answer the scan station shows in full screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanVerdictDto {
    pub admitted: bool,
    /// Machine code: `admitted`, `malformed`, `bad_signature`, `unknown_key`,
    /// `unknown`, `revoked`, `other_center`, `not_today`, `too_early`,
    /// `expired`, `already_checked_in`.
    pub code: String,
    /// Localized reason, with times in the center's zone.
    pub reason: String,
    /// First name and last initial of the holder, once the pass is genuine.
    pub holder: Option<String>,
    /// What the pass is for: space and time.
    pub what: Option<String>,
    /// `14–17`, `18–24`…: the desk sees an age band, never a birth date.
    #[serde(default)]
    pub age_band: Option<String>,
    /// A minor whose guardian's consent is not on record yet.
    #[serde(default)]
    pub consent_missing: bool,
}

/// The desk's day at one center: each space's bookings with their state
/// and who is inside now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodayBoardDto {
    /// Centers the staff user can switch between.
    pub centers: Vec<crate::booking::dto::CenterDto>,
    pub center_id: i32,
    /// `Tue 01.12`.
    pub date: String,
    /// Everyone inside the center now (bookings and membership cards).
    pub inside_total: u32,
    pub spaces: Vec<BoardSpaceDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardSpaceDto {
    pub space_id: i32,
    pub name: String,
    pub capacity: i32,
    pub inside: u32,
    /// The next start a walk-in could take now (Unix seconds, `HH:MM–HH:MM`).
    pub next_free: Option<(i64, String)>,
    pub bookings: Vec<BoardBookingDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardBookingDto {
    pub booking_id: i32,
    /// First name and last initial.
    pub member: String,
    /// `11:00–12:00`.
    pub when: String,
    pub party_size: i32,
    pub status: BoardStatus,
    /// The live check-in, which staff may undo.
    pub check_in_id: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoardStatus {
    Upcoming,
    Inside,
    Done,
    NoShow,
    Cancelled,
    Pending,
    Denied,
}

impl BoardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BoardStatus::Upcoming => "upcoming",
            BoardStatus::Inside => "inside",
            BoardStatus::Done => "done",
            BoardStatus::NoShow => "no_show",
            BoardStatus::Cancelled => "cancelled",
            BoardStatus::Pending => "pending",
            BoardStatus::Denied => "denied",
        }
    }
}

/// A pass found by the scan station's search (name, phone or booking
/// number), to admit without scanning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorMatchDto {
    /// First name and last initial.
    pub member: String,
    /// `Podcast studio, 11:00–12:00` or `Membership card`.
    pub what: String,
    /// The pass code to check in with.
    pub code: String,
}
