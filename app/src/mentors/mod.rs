//! Mentors and their consultations: profiles by field and language,
//! bookable slots, the mentor's own schedule and the directors' counts.
//! Psychology consultations stay private (see `domain::consultation`).

pub mod api;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod personal;
#[cfg(feature = "ssr")]
pub mod service;
