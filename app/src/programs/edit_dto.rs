//! Wasm-safe shapes of changing a program after creation.

use serde::{Deserialize, Serialize};

/// What can change in a program (`form[field]`); numbers as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgramEditForm {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    /// `YYYY-MM-DD`, optional.
    pub applications_close_on: String,
    pub capacity: String,
}

/// An upcoming program session that may be moved or cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSessionEditDto {
    pub id: i32,
    pub when: String,
    pub title: String,
    /// `2026-12-20`, `18:00` (center-local), to prefill the move form.
    pub date: String,
    pub start_time: String,
}

/// The edit part of a program's staff page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramEditDto {
    pub id: i32,
    pub accepted: u32,
    pub form: ProgramEditForm,
    pub sessions: Vec<ProgramSessionEditDto>,
}
