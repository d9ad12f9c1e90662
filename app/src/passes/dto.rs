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
}
