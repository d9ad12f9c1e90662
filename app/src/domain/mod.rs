//! Pure domain rules: no database, no clock, no randomness. The caller passes
//! time and keys in, so every rule is unit-tested in isolation and compiles to
//! wasm as well (the scan page can verify passes in the browser).

pub mod apitoken;
pub mod checkin;
pub mod clubs;
pub mod codes;
pub mod consultation;
pub mod direction;
pub mod egress;
pub mod eligibility;
pub mod holidays;
pub mod lang;
pub mod lending;
pub mod login;
pub mod membership;
pub mod metrics;
pub mod noshow;
pub mod occupancy;
pub mod pass;
pub mod people;
pub mod qrscan;
pub mod quota;
pub mod ratelimit;
pub mod sessions;
pub mod slots;
pub mod sms;
pub mod space;
pub mod webhook;
