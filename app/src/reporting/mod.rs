//! Directors' views: occupancy, attendance and reach.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
mod figures;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
