//! The centers core: centers, spaces and their booking rules, opening hours,
//! closures and holidays, time zones, inductions and per-center settings,
//! and what occupies a room at a time (bookings, club sessions, events).
//! Every workflow builds on it; it calls only `access` and below.

#[cfg(feature = "ssr")]
pub mod admin;
pub mod admin_api;
pub mod admin_dto;
pub mod admin_pages;
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod directions;
pub mod directions_pages;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod occupancy;
#[cfg(feature = "ssr")]
pub mod occupancy_moves;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod spaces;
pub mod spaces_api;
pub mod spaces_dto;
pub mod spaces_pages;
#[cfg(feature = "ssr")]
pub mod strikes;
