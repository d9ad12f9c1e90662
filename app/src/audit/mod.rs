//! The audit log: admin actions and door check-ins, recorded inside the
//! transaction of the action, viewable by directors (their centers) and
//! regional admins (all centers) at `/director/audit`.

pub mod api;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
