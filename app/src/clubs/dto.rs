//! Wasm-safe data shapes of the clubs and events workflow.

use serde::{Deserialize, Serialize};

/// The caller's place in a club or event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Has a place (club member, registered for an event).
    In,
    /// On the waitlist; 1 is next in line.
    Waiting { position: u32 },
}

/// A club in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClubDto {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub center: String,
    pub space: String,
    pub direction: String,
    /// `Wed 18:00–19:30`.
    pub schedule: String,
    /// `02.12.2026 – 24.02.2027`.
    pub term: String,
    /// `16–25`, or empty when open to every member.
    pub ages: String,
    pub capacity: u32,
    pub members: u32,
    pub waiting: u32,
    pub anonymous: bool,
    pub leader: Option<String>,
    pub standing: Option<Standing>,
    /// The caller leads the club or is staff of its center.
    pub can_manage: bool,
}

/// One meeting of a club.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    /// `Wed 02.12, 18:00–19:30`.
    pub label: String,
    pub past: bool,
    pub cancelled: bool,
    /// Why it does not meet (holiday name, closure or staff's reason).
    pub cancel_reason: Option<String>,
    /// Whether the caller attended (members, past sessions).
    pub attended: Option<bool>,
}

/// A club's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClubDetailDto {
    pub club: ClubDto,
    pub sessions: Vec<SessionDto>,
    /// The caller leads the club or manages its center.
    pub can_manage: bool,
    /// The caller may edit or cancel the club (director of its center, admin).
    #[serde(default)]
    pub can_edit: bool,
    /// The member's club pass (valid at session times).
    pub pass_code: Option<String>,
    pub qr_svg: Option<String>,
    pub history: Option<HistoryDto>,
}

/// A member's attendance in one club.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDto {
    pub attended: u32,
    pub held: u32,
    pub streak: u32,
    pub best_streak: u32,
}

/// What joining did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinDto {
    pub standing: Standing,
}

/// A member on a session's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRowDto {
    pub person_id: i32,
    pub name: String,
    pub present: bool,
    /// Consecutive sessions attended before this one.
    pub streak: u32,
}

/// The leader's roster of one session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterDto {
    pub club_id: i32,
    pub club: String,
    pub anonymous: bool,
    pub session: SessionDto,
    /// Sessions to switch between (this term).
    pub sessions: Vec<SessionDto>,
    pub rows: Vec<RosterRowDto>,
    /// Head count of an anonymous club.
    pub head_count: Option<u32>,
    pub waiting: Vec<String>,
}

/// An in-app notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDto {
    pub id: i32,
    pub text: String,
    /// Center-local `01.12 10:50`.
    pub at: String,
    pub unread: bool,
    /// Where it leads (`/clubs/3`).
    pub href: String,
}

/// An event in a list or on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub center: String,
    pub space: String,
    pub direction: String,
    /// `Sat 12.12, 18:00–20:00`.
    pub when: String,
    pub past: bool,
    pub capacity: u32,
    pub registered: u32,
    pub waiting: u32,
    pub min_age: u32,
    pub standing: Option<Standing>,
    pub pass_code: Option<String>,
    pub qr_svg: Option<String>,
    pub can_manage: bool,
    /// People checked in (staff only).
    pub checked_in: Option<u32>,
    /// Outside the building: `space` is the place written out.
    #[serde(default)]
    pub outside: bool,
    /// People counted by staff (staff only).
    #[serde(default)]
    pub head_count: Option<u32>,
    /// The caller may edit or cancel it (director of its center, admin).
    #[serde(default)]
    pub can_edit: bool,
}

/// A choice in a staff form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionDto {
    pub id: i32,
    pub label: String,
}

/// A center with its rooms, for the club and event forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormCenterDto {
    pub id: i32,
    pub name: String,
    pub spaces: Vec<OptionDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptionsDto {
    pub centers: Vec<FormCenterDto>,
    /// Mentor accounts that can lead a club.
    pub leaders: Vec<OptionDto>,
    /// The region's directions (not retired).
    pub directions: Vec<crate::centers::dto::DirectionOption>,
}

/// A new club (director). Times are center-local.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubForm {
    pub space_id: i32,
    /// 0: no leader yet.
    #[serde(default)]
    pub leader_account_id: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: String,
    /// 0 = Monday.
    pub weekday: u32,
    /// `18:00`.
    pub start_time: String,
    pub duration_minutes: u32,
    /// `2026-12-01`.
    pub term_start: String,
    pub term_end: String,
    pub capacity: u32,
    pub min_age: u32,
    pub max_age: u32,
    /// A checkbox: absent when unticked.
    #[serde(default)]
    pub anonymous: bool,
}

/// A new event (director). Times are center-local.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub space_id: i32,
    /// A checkbox: outside the building (no room), at `place`, run by
    /// `center_id`.
    #[serde(default)]
    pub outside: bool,
    #[serde(default)]
    pub center_id: i32,
    #[serde(default)]
    pub place: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: String,
    /// `2026-12-12`.
    pub date: String,
    /// `18:00`.
    pub start_time: String,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub min_age: u32,
}
