//! Members: registration, guardian consent, the membership card, the
//! desk's member list, staff accounts and the member's own account pages.
//! (Sessions, roles and guards are in `crate::access`.)

pub mod account_pages;
#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
pub mod desk_pages;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod members;
#[cfg(feature = "ssr")]
pub mod offboarding;
pub mod pages;
pub mod registration;
#[cfg(feature = "ssr")]
pub mod signup;
#[cfg(feature = "ssr")]
pub mod staff;
pub mod staff_pages;
