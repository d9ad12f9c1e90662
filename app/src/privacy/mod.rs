//! A member's own data across every workflow: the full export and the
//! erasure of an account. It sits above the workflows (like reporting),
//! because it must reach every table that holds a person.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
