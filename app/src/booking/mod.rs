//! Centers, spaces, free slots and bookings.

pub mod api;
pub mod dto;
pub mod manage_pages;
#[cfg(feature = "ssr")]
pub mod noshow;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
