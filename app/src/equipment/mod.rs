//! Equipment lending: a center's items, members' reservations, the desk's
//! check-out and return by scanning, and the overdue list.

pub mod api;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
