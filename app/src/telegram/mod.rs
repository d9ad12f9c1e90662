//! Telegram: a member links a chat with the bot to their account (a
//! one-time code or deep link from `/account`), unlinks it, and chooses how
//! notifications reach them (Telegram, text message or email). The bot
//! itself runs in the server (`server::telegram`) and calls this
//! workflow's service for the chat's member, then the same services the
//! web pages call.

pub mod api;
pub mod dto;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod texts;
