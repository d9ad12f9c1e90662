//! Accounts, roles and sessions.

pub mod account_pages;
#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
pub mod desk_pages;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod members;
pub mod pages;
pub mod registration;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod staff;
