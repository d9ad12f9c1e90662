//! Passes: issuing signed QR codes and checking them in at the door.

pub mod api;
#[cfg(feature = "ssr")]
pub mod attendance;
#[cfg(feature = "ssr")]
pub mod bundle;
#[cfg(feature = "ssr")]
pub mod door;
pub mod dto;
pub mod offline;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod scan;
pub mod scan_pages;
#[cfg(feature = "ssr")]
pub mod service;
