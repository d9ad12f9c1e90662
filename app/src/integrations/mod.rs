//! Integrations: API tokens for outside programs (a Telegram bot, a kiosk,
//! the akimat's systems). Regional admins create, list and revoke tokens at
//! `/admin/api-tokens`; the REST API itself (`/api/v1`) lives in the server
//! crate and authenticates through [`service::authenticate`].

pub mod api;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
