use serde::{Deserialize, Serialize};

use crate::domain::membership::ConsentState;
use crate::domain::people::Role;

/// One row of the desk's member list: no birth date, no IIN, no contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRowDto {
    pub person_id: i32,
    /// First name and last initial.
    pub name: String,
    pub age_band: crate::domain::membership::AgeBand,
    pub consent: ConsentState,
    pub guardian_name: Option<String>,
    /// The member's home center (where the desk books for them).
    pub home_center_id: Option<i32>,
    /// Spaces whose induction the member has passed.
    pub inductions: Vec<i32>,
    /// Unpardoned no-shows of the last 30 days.
    pub no_shows: u32,
    /// Booking blocked by strikes until (center-local), if so.
    pub blocked_until: Option<String>,
}

/// The member's card as shown on the phone and printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardDto {
    pub member_number: String,
    pub full_name: String,
    pub home_center: String,
    /// `dd.mm.yyyy`, center-local.
    pub valid_until: String,
    pub qr_svg: String,
    pub code: String,
}

/// A staff account as admins (and directors, their centers') see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRowDto {
    pub account_id: i32,
    pub full_name: String,
    pub login: String,
    pub role: Role,
    pub centers: Vec<String>,
    pub center_ids: Vec<i32>,
    /// Disabled: no sign-in, no sessions.
    pub disabled: bool,
    /// Whether the viewer may disable it, change its role or centers and
    /// end its sessions.
    pub manageable: bool,
}

/// A center the viewer may assign staff to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterChoiceDto {
    pub id: i32,
    pub name: String,
}

/// The staff page: the accounts the viewer sees, and what they may grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPageDto {
    pub rows: Vec<StaffRowDto>,
    /// Roles the viewer may give (a director: front desk and mentor).
    pub roles: Vec<Role>,
    /// Centers the viewer may assign (a director: their own).
    pub centers: Vec<CenterChoiceDto>,
    /// New accounts are created by admins only.
    pub can_create: bool,
}

/// A staff account's new role and centers (`form[field]` names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffEditForm {
    /// `mentor`, `front_desk`, `director`, `admin` or `visitor`.
    pub role: String,
    /// Center ids; the first is the home center.
    pub centers: Vec<String>,
}

/// The admin's form for a new account (`form[field]` names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// `visitor`, `mentor`, `front_desk`, `director` or `admin`.
    pub role: String,
    /// Center ids; the first is the home center.
    pub centers: Vec<String>,
    /// `YYYY-MM-DD`, optional for staff.
    pub birth_date: String,
    /// Required when the person is outside ages 14–35.
    pub override_reason: String,
}
