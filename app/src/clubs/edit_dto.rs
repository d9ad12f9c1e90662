//! Wasm-safe shapes of editing and cancelling clubs and events after
//! creation (directors of the center, admins).

use serde::{Deserialize, Serialize};

use super::dto::OptionDto;
use crate::centers::dto::DirectionOption;

/// What can change in a club. Times are center-local; a new day, time,
/// length or room applies to the future sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubEditForm {
    /// 0: no leader.
    #[serde(default)]
    pub leader_account_id: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: String,
    pub space_id: i32,
    /// 0 = Monday.
    pub weekday: u32,
    /// `18:00`.
    pub start_time: String,
    pub duration_minutes: u32,
    /// `2027-02-24`.
    pub term_end: String,
    pub capacity: u32,
    pub min_age: u32,
    pub max_age: u32,
}

/// An upcoming session of a club that may be moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovableSessionDto {
    pub id: i32,
    /// `Wed 02.12, 18:00–19:30`.
    pub label: String,
    /// `2026-12-02`, `18:00` (center-local), to prefill the move form.
    pub date: String,
    pub start_time: String,
    pub space_id: i32,
}

/// A club's edit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClubEditDto {
    pub id: i32,
    pub name: String,
    pub anonymous: bool,
    pub members: u32,
    pub form: ClubEditForm,
    /// Rooms of the club's center.
    pub spaces: Vec<OptionDto>,
    pub leaders: Vec<OptionDto>,
    pub directions: Vec<DirectionOption>,
    pub sessions: Vec<MovableSessionDto>,
}

/// What can change in an event. Times are center-local.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEditForm {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: String,
    /// A checkbox: outside the building, at `place`, with no room.
    #[serde(default)]
    pub outside: bool,
    #[serde(default)]
    pub space_id: i32,
    #[serde(default)]
    pub place: String,
    /// `2026-12-12`.
    pub date: String,
    /// `18:00`.
    pub start_time: String,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub min_age: u32,
}

/// An event's edit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventEditDto {
    pub id: i32,
    pub name: String,
    pub registered: u32,
    pub form: EventEditForm,
    /// Rooms of the event's center.
    pub spaces: Vec<OptionDto>,
    pub directions: Vec<DirectionOption>,
}
