//! Clubs that meet weekly (rosters, waitlists, attendance, anonymous groups),
//! one-off events with registration, and the notices members get about them.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod edit;
pub mod edit_api;
pub mod edit_dto;
pub mod edit_pages;
#[cfg(feature = "ssr")]
pub mod event_edit;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod manage;
pub mod manage_pages;
#[cfg(feature = "ssr")]
pub mod notices;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod personal;
#[cfg(feature = "ssr")]
pub mod roster;
#[cfg(feature = "ssr")]
pub mod service;
