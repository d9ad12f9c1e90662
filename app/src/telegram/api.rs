//! Telegram server fns of `/account`: thin wrappers (authorize, call the
//! service).

use leptos::prelude::*;

use super::dto::{LinkCodeDto, TelegramCardDto};
use crate::error::AppError;

/// The Telegram card: is a chat linked, which channel is chosen.
#[server(endpoint = "telegram_card")]
pub async fn telegram_card() -> Result<TelegramCardDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let bot = cx.telegram_bot.clone();
            super::service::card(&cx.db, &user, bot.is_some(), bot.as_deref()).await
        },
    )
    .await
}

/// A one-time code (and deep link) to link a chat: members only.
#[server(endpoint = "telegram_link_code")]
pub async fn telegram_link_code() -> Result<LinkCodeDto, AppError> {
    crate::access::signed_in(
        |r| r == crate::domain::people::Role::Visitor,
        |cx, user| async move {
            let bot = cx.telegram_bot.clone();
            super::service::issue_link_code(&cx.db, &user, bot.as_deref(), cx.now()).await
        },
    )
    .await
}

/// Unlink the caller's chat (nothing happens when none is linked).
#[server(endpoint = "unlink_telegram")]
pub async fn unlink_telegram() -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::unlink_person(&cx.db, user.person_id).await },
    )
    .await
}

/// Choose how notifications reach the caller: `default`, `email`, `sms`
/// or `telegram`.
#[server(endpoint = "set_notify_channel")]
pub async fn set_notify_channel(channel: String) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::service::set_channel(&cx.db, &user, &channel).await },
    )
    .await
}
