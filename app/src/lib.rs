//! Ortalyq application crate: pages, server fns, services and domain rules.
//!
//! Workflows live in their own folders (`booking`, `passes`, `membership`,
//! `reporting`), each with wasm-safe DTOs, thin `#[server]` fns, an ssr-only
//! service and its pages. `domain` holds the pure rules; `model` the SeaORM
//! entities (server only).

#![recursion_limit = "256"]

pub mod access;
pub mod audit;
pub mod booking;
pub mod centers;
pub mod clubs;
pub mod domain;
pub mod equipment;
pub mod error;
pub mod i18n;
pub mod integrations;
pub mod membership;
pub mod mentors;
#[cfg(feature = "ssr")]
pub mod notify;
pub mod passes;
pub mod privacy;
pub mod programs;
pub mod reporting;
pub mod telegram;
pub mod ui;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "ssr")]
pub use ui::shell;
pub use ui::App;
