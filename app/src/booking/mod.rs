//! Bookings: free slots, booking and weekly series, moving and cancelling,
//! approvals, calendar feeds and the no-show sweep. Centers and spaces
//! themselves are in `crate::centers`.

pub mod api;
pub mod dto;
pub mod manage_pages;
#[cfg(feature = "ssr")]
pub mod noshow;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
