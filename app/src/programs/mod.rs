//! Programs: multi-week courses members apply to. Eligibility rules per
//! program (checked with reasons), a staff review queue, cohort capacity,
//! sessions, attendance and a verifiable completion certificate.

pub mod api;
#[cfg(feature = "ssr")]
pub mod certificates;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod edit;
pub mod edit_api;
pub mod edit_dto;
pub mod edit_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod staff;
