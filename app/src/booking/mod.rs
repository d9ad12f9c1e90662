//! Bookings: free slots, booking and weekly series, moving and cancelling,
//! approvals, calendar feeds and the no-show sweep. Centers and spaces
//! themselves are in `crate::centers`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod changes;
pub mod dto;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod listing;
pub mod manage_pages;
#[cfg(feature = "ssr")]
pub mod messages;
#[cfg(feature = "ssr")]
pub mod noshow;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod space_close;
