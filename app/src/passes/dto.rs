use serde::{Deserialize, Serialize};

/// The answer the scan station shows in full screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanVerdictDto {
    pub admitted: bool,
    /// Machine code: `admitted`, `malformed`, `bad_signature`, `unknown_key`,
    /// `unknown`, `revoked`, `other_center`, `not_today`, `too_early`,
    /// `expired`, `already_checked_in` (and on an offline upload
    /// `stale_bundle`: dated outside the bundle it was decided with).
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
    pub centers: Vec<crate::centers::dto::CenterDto>,
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

/// What a scan station downloads to keep deciding without a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfflineBundleDto {
    /// Trusted public keys: key id and the 32-byte Ed25519 key, base32.
    pub keys: Vec<(u8, String)>,
    /// Pass ids revoked (cancelled, moved, no-show) that could otherwise
    /// still be valid today.
    pub revoked: Vec<i32>,
    /// Today's passes of the desk's centers with what the door needs.
    pub passes: Vec<OfflinePassDto>,
    /// The desk's centers (`None`: every center, for an admin).
    pub centers: Option<Vec<i32>>,
    /// IANA zone used for "today" (shown; the station itself carries no
    /// time-zone database).
    pub timezone: String,
    /// The zone's offset from UTC in seconds at the bundle's making: what
    /// the station uses for "today" (a bundle lives one day at most).
    #[serde(default = "default_utc_offset")]
    pub utc_offset_secs: i32,
    /// Unix seconds when the bundle was made.
    pub generated_at: i64,
    /// The desk account it was made for: a station signed out, or signed
    /// in as someone else, forgets the bundle and its queue.
    #[serde(default)]
    pub account_id: i32,
    /// The server's signed word for who got the bundle and when; every
    /// scan decided with it carries it up, and a scan dated outside
    /// [`OFFLINE_WINDOW_SECS`] from it is refused.
    #[serde(default)]
    pub stamp: String,
}

/// A bundle stored before offsets were sent: Kazakhstan's single zone,
/// UTC+5 since 1 March 2024.
fn default_utc_offset() -> i32 {
    5 * 3600
}

/// How long a bundle decides offline, and how long a station keeps a scan
/// it could not upload: a scan dated before its bundle, or later than this
/// after it, is refused on upload.
pub const OFFLINE_WINDOW_SECS: i64 = 24 * 60 * 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflinePassDto {
    pub pass_id: i32,
    /// The pass code's [`crate::domain::pass::fingerprint`]: the station
    /// recognises this very code without checking its signature.
    #[serde(default)]
    pub fingerprint: String,
    /// First name and last initial: no more than a verdict shows.
    pub holder: String,
    /// `14–17`, `18–24`…, as the verdict shows it.
    #[serde(default)]
    pub age_band: Option<String>,
    /// A minor whose guardian's consent is not on record yet.
    #[serde(default)]
    pub consent_missing: bool,
    pub what: String,
    /// Minutes before the start at which the door opens.
    pub early_minutes: i32,
    /// Unix seconds of today's admission, if already admitted.
    pub checked_in_at: Option<i64>,
    /// A club pass admits only during today's session (Unix seconds);
    /// a club pass without one is not valid today.
    #[serde(default)]
    pub window: Option<(i64, i64)>,
}

/// Maximum scans one upload may carry (the station splits longer queues).
pub const MAX_SYNC_BATCH: usize = 500;

/// One scan made offline, as the station queued it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineScanDto {
    /// Random per scan; uploading the same scan again is harmless.
    pub nonce: String,
    pub code: String,
    /// Unix seconds when it was scanned.
    pub scanned_at: i64,
    #[serde(default)]
    pub exit: bool,
    /// The `stamp` of the bundle the scan was decided with.
    #[serde(default)]
    pub bundle: String,
}

/// What the server made of an upload.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReportDto {
    /// Applied now (admissions and check-outs).
    pub applied: u32,
    /// Already uploaded before (same nonce).
    pub duplicates: u32,
    /// Passes another desk had already admitted: both let the person in.
    pub conflicts: Vec<SyncProblemDto>,
    /// Scans the server would not have admitted (revoked, forged…).
    pub denied: Vec<SyncProblemDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProblemDto {
    pub holder: Option<String>,
    /// The server's reason, localized.
    pub reason: String,
    /// `HH:MM` of the offline scan, center-local.
    pub scanned_at: String,
}
