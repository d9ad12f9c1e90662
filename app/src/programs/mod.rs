//! Programs: multi-week courses members apply to. Eligibility rules per
//! program (checked with reasons), a staff review queue, cohort capacity,
//! sessions, attendance and a verifiable completion certificate.

pub mod api;
#[cfg(feature = "ssr")]
pub mod certificates;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod staff;
