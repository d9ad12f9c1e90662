//! Attack tests, each on SQLite and PostgreSQL: what an outsider, another
//! member, another center's staff or a cross-site page tries, and what
//! Ortalyq answers. One module per area; shared helpers live in `common`.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod centers_admin;
mod concurrency;
mod content_admin;
mod door_security;
mod privacy;
mod sessions;
mod signup;
mod spaces_admin;
mod web;
mod webhooks_ssrf;
