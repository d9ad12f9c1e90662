//! Webhooks: regional admins (any center) and directors (their center)
//! register URLs that receive signed JSON about bookings (made, moved,
//! cancelled), check-ins, waitlist promotions and no-shows;
//! `/director/webhooks` lists them with their delivery log. Deliveries go
//! through the outbox (`notify::outbox`), sent by the server's dispatcher.

pub mod api;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
