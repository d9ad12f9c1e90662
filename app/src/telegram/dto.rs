//! What the `/account` page shows of Telegram (wasm-safe).

use serde::{Deserialize, Serialize};

use crate::domain::codes::NotifyChannel;

/// The Telegram card of `/account`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramCardDto {
    /// The server runs a bot; without one the card is not shown.
    pub enabled: bool,
    /// The bot's username (for the `t.me` link), when known.
    pub bot_username: Option<String>,
    /// Only members (visitors) link a chat; staff accounts do not.
    pub may_link: bool,
    pub linked: bool,
    /// The member's choice; `None`: the default (email, else text message).
    pub channel: Option<NotifyChannel>,
    pub has_phone: bool,
    pub has_email: bool,
}

/// A fresh link code: typed into the bot, or followed as a deep link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCodeDto {
    /// 8 digits.
    pub code: String,
    /// `https://t.me/<bot>?start=<token>` when the bot's name is known.
    pub deep_link: Option<String>,
    /// How long the code works.
    pub minutes: u32,
}
