//! The Telegram bot, part of the server (issue 24).
//!
//! Telegram's Bot API is spoken by `teloxide-core` (teloxide's client and
//! types, on our reqwest and rustls); the conversation is ours: updates come
//! from long polling ([`poll_once`], the default) or from Telegram posting
//! them to `/telegram/webhook` ([`webhook_router`]) and go to
//! [`handle_update`]. A chat is linked to a member with the one-time code
//! (or deep link) from `/account` (`app::telegram::service::redeem`); every
//! later action runs as that member through the same services the web
//! pages call, and is audited as done through Telegram. Outbox rows of kind
//! `telegram` are sent by the dispatcher through [`BotApi::deliver`].
//!
//! The bot token is part of every Bot API URL: no error text that may hold
//! a URL is logged or stored, and [`BotApi`] never prints the token.

mod activities;
mod book;
mod mentors;
mod register;

use std::sync::Arc;

use app::access::session::CurrentUser;
use app::i18n::{Locale, Msg};
use app::model::outbox;
use app::notify::outbox::TgText;
use app::state::AppState;
use app::telegram::service::{self as tg, Refusal};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use teloxide_core::prelude::*;
use teloxide_core::types::{
    AllowedUpdate, CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    Message, ReplyMarkup, Update, UpdateKind,
};
use teloxide_core::{ApiError, RequestError};

use crate::dispatch::Failure;

/// How long one `getUpdates` waits for news (below the client's 17 s
/// timeout).
pub const POLL_TIMEOUT_SECS: u32 = 10;

/// The Bot API client for one bot. Never prints its token.
#[derive(Clone)]
pub struct BotApi {
    bot: Bot,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BotApi({})", self.bot.api_url())
    }
}

/// A request error as text that cannot hold the token: network errors are
/// named by their kind only (their text carries the URL).
pub fn describe(e: &RequestError) -> String {
    match e {
        RequestError::Api(api) => format!("telegram: {api}"),
        RequestError::RetryAfter(s) => format!("telegram: retry after {} s", s.seconds()),
        RequestError::MigrateToChatId(_) => "telegram: the chat moved".into(),
        RequestError::Network(n) if n.is_timeout() => "timeout".into(),
        RequestError::Network(n) if n.is_connect() => "connection failed".into(),
        RequestError::Network(_) => "request failed".into(),
        RequestError::InvalidJson { .. } => "telegram: an answer that cannot be read".into(),
        RequestError::Io(_) => "telegram: I/O error".into(),
    }
}

/// Whether retrying cannot help: the member blocked the bot, deleted their
/// account, or the chat is gone.
fn permanent(e: &RequestError) -> bool {
    match e {
        RequestError::Api(api) => {
            matches!(
                api,
                ApiError::BotBlocked
                    | ApiError::ChatNotFound
                    | ApiError::UserDeactivated
                    | ApiError::BotKicked
                    | ApiError::BotKickedFromSupergroup
                    | ApiError::BotKickedFromChannel
            ) || api.to_string().starts_with("Forbidden")
        }
        RequestError::MigrateToChatId(_) => true,
        _ => false,
    }
}

impl BotApi {
    /// A client for the bot with `token`, at `api_url` (a stand-in in
    /// tests, a local Bot API server) or Telegram's own.
    pub fn new(token: &str, api_url: Option<&str>) -> Result<BotApi, String> {
        let mut bot = Bot::new(token);
        if let Some(url) = api_url {
            let url =
                reqwest::Url::parse(url).map_err(|e| format!("ORTALYQ_TELEGRAM_API_URL: {e}"))?;
            bot = bot.set_api_url(url);
        }
        Ok(BotApi { bot })
    }

    /// The bot's username (`getMe`).
    pub async fn username(&self) -> Result<String, String> {
        self.bot
            .get_me()
            .await
            .map(|me| me.username().to_string())
            .map_err(|e| describe(&e))
    }

    /// Send one outbox row of kind `telegram`; `Ok(Some(200))` when
    /// Telegram took it. A blocked bot or a gone chat fails at once, the
    /// rest is retried with the outbox's backoff.
    pub(crate) async fn deliver(&self, row: &outbox::Model) -> Result<Option<i32>, Failure> {
        let msg: TgText = serde_json::from_str(&row.payload).map_err(Failure::permanent)?;
        let text: String = msg.text.chars().take(4000).collect();
        match self.bot.send_message(ChatId(msg.chat_id), text).await {
            Ok(_) => Ok(Some(200)),
            Err(e) if permanent(&e) => Err(Failure::permanent(describe(&e))),
            Err(e) => Err(Failure::retry(describe(&e))),
        }
    }
}

/// What the bot needs: the app (database, keys, clock) and the client.
#[derive(Clone, Debug)]
pub struct BotCtx {
    pub state: AppState,
    pub api: BotApi,
}

impl BotCtx {
    fn bot(&self) -> &Bot {
        &self.api.bot
    }

    /// Send a text (with buttons); a failure is logged, the conversation
    /// goes on.
    async fn say(&self, chat: i64, text: impl Into<String>, kb: Option<InlineKeyboardMarkup>) {
        let mut req = self.bot().send_message(ChatId(chat), text.into());
        if let Some(kb) = kb {
            req = req.reply_markup(kb);
        }
        if let Err(e) = req.await {
            tracing::warn!(error = %describe(&e), "telegram: a message was not sent");
        }
    }

    /// Send a text with a reply keyboard (the contact button) or with the
    /// keyboard taken away.
    async fn say_with(&self, chat: i64, text: impl Into<String>, markup: ReplyMarkup) {
        let req = self
            .bot()
            .send_message(ChatId(chat), text.into())
            .reply_markup(markup);
        if let Err(e) = req.await {
            tracing::warn!(error = %describe(&e), "telegram: a message was not sent");
        }
    }

    /// Send a PNG (a pass) with a caption.
    async fn photo(&self, chat: i64, png: Vec<u8>, caption: String) {
        let file = InputFile::memory(png).file_name("pass.png");
        if let Err(e) = self
            .bot()
            .send_photo(ChatId(chat), file)
            .caption(caption)
            .await
        {
            tracing::warn!(error = %describe(&e), "telegram: a pass was not sent");
        }
    }
}

/// One button that answers with `data`.
fn button(text: impl Into<String>, data: impl Into<String>) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text.into(), data.into())
}

/// The member's main menu: book, their bookings, the membership card,
/// clubs, events, mentors.
fn menu(l: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![
        vec![button(Msg::TgBtnBook.text(l), "k")],
        vec![button(Msg::NavMyBookings.text(l), "m")],
        vec![button(Msg::CardTitle.text(l), "cd")],
        vec![
            button(Msg::NavClubs.text(l), "cl"),
            button(Msg::NavEvents.text(l), "ev"),
        ],
        vec![button(Msg::NavMentors.text(l), "f")],
    ])
}

/// The language of a chat: the linked member's, else the Telegram app's
/// when Ortalyq speaks it, else Kazakh.
fn chat_locale(user: Option<&CurrentUser>, telegram_lang: Option<&str>) -> Locale {
    user.map(|u| u.lang)
        .or_else(|| telegram_lang.and_then(Locale::parse))
        .unwrap_or(Locale::Kk)
}

/// Get and handle one batch of updates from `offset` on; returns the next
/// offset. `timeout`: seconds Telegram may wait for news (0 in tests).
pub async fn poll_once(ctx: &BotCtx, offset: i32, timeout: u32) -> Result<i32, RequestError> {
    let updates = ctx
        .bot()
        .get_updates()
        .offset(offset)
        .timeout(timeout)
        .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
        .await?;
    let mut next = offset;
    for u in updates {
        next = next.max(u.id.0 as i32 + 1);
        handle_update(ctx, u).await;
    }
    Ok(next)
}

/// Poll until the process ends (one instance only: Telegram answers a
/// second poller with a conflict).
pub fn spawn_polling(ctx: BotCtx) {
    tokio::spawn(async move {
        let mut offset = 0;
        loop {
            match poll_once(&ctx, offset, POLL_TIMEOUT_SECS).await {
                Ok(next) => offset = next,
                Err(e) => {
                    if matches!(e, RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) {
                        tracing::warn!("telegram: another instance polls this bot; run polling on one instance only, or use ORTALYQ_TELEGRAM_WEBHOOK_URL");
                    } else {
                        tracing::warn!(error = %describe(&e), "telegram: polling failed");
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
            }
        }
    });
}

/// Handle one update; failures are logged (the member is told what they
/// can do about it where they can).
pub async fn handle_update(ctx: &BotCtx, update: Update) {
    let result = match update.kind {
        UpdateKind::Message(m) => on_message(ctx, m).await,
        UpdateKind::CallbackQuery(q) => on_callback(ctx, q).await,
        _ => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!(error = ?e, "telegram: an update failed");
    }
}

async fn on_message(ctx: &BotCtx, m: Message) -> Result<(), app::error::AppError> {
    if !m.chat.is_private() {
        return Ok(());
    }
    let chat_id = m.chat.id.0;
    let db = &ctx.state.db;
    let now = ctx.state.now();
    let user = tg::chat_user(db, chat_id).await?;
    let lang = m.from.as_ref().and_then(|u| u.language_code.as_deref());
    let l = chat_locale(user.as_ref(), lang);
    let chat = tg::touch_chat(db, chat_id, l, now).await?;
    let text = m.text().unwrap_or_default().trim();
    let (command, arg) = match text.split_once(char::is_whitespace) {
        Some((c, rest)) => (c, rest.trim()),
        None => (text, ""),
    };
    // `/start@bot_name` in some clients.
    let command = command.split('@').next().unwrap_or_default();
    // A registration in progress takes the chat's answers.
    if user.is_none() && tg::live_draft(&chat, now).is_some() {
        match command {
            "/cancel" => return register::cancel(ctx, chat_id, l).await,
            "/register" => return register::start(ctx, chat_id, l).await,
            "/start" if !arg.is_empty() => {}
            _ => {
                let from = m.from.as_ref().map(|u| u.id.0).unwrap_or_default();
                let input = match m.contact() {
                    Some(contact) => register::Input::Contact { contact, from },
                    None => register::Input::Text(text),
                };
                return register::advance(ctx, &chat, input, l).await;
            }
        }
    }
    match (command, user) {
        ("/start", _) if !arg.is_empty() => link(ctx, &chat, arg, l).await,
        ("/register", None) => register::start(ctx, chat_id, l).await,
        (c, _) if c.len() == 8 && c.bytes().all(|b| b.is_ascii_digit()) && arg.is_empty() => {
            link(ctx, &chat, c, l).await
        }
        ("/unlink", Some(u)) => {
            tg::unlink_person(db, u.person_id).await?;
            ctx.say(chat_id, Msg::TgUnlinked.text(l), None).await;
            Ok(())
        }
        ("/book", Some(u)) => book::centers(ctx, chat_id, &u).await,
        ("/my", Some(u)) => book::my_bookings(ctx, chat_id, &u).await,
        (_, Some(_)) => {
            ctx.say(chat_id, Msg::TgMenu.text(l), Some(menu(l))).await;
            Ok(())
        }
        (_, None) => {
            help(ctx, chat_id, l).await;
            Ok(())
        }
    }
}

/// What an unlinked chat is told: how to link it (with the site's address
/// when it is configured), or to register here.
pub fn help_text(l: Locale, site: Option<&str>) -> String {
    let mut text = Msg::TgHelp.text(l).to_string();
    if let Some(site) = site {
        text.push_str(&format!("\n{site}/account"));
    }
    text.push_str("\n\n");
    text.push_str(Msg::TgHelpRegister.text(l));
    text
}

async fn help(ctx: &BotCtx, chat_id: i64, l: Locale) {
    let text = help_text(l, ctx.state.public_url.as_deref());
    ctx.say(chat_id, text, None).await;
}

async fn link(
    ctx: &BotCtx,
    chat: &app::model::telegram_chat::Model,
    input: &str,
    l: Locale,
) -> Result<(), app::error::AppError> {
    let now = ctx.state.now();
    let chat_id = chat.chat_id;
    match tg::redeem(&ctx.state.db, chat, input, now).await? {
        Ok(user) => {
            let l = user.lang;
            let text = app::telegram::texts::linked(l, &user.first_name());
            ctx.say(chat_id, text, Some(menu(l))).await;
        }
        Err(Refusal::Invalid) => ctx.say(chat_id, Msg::TgCodeInvalid.text(l), None).await,
        Err(Refusal::Locked { minutes }) => {
            ctx.say(chat_id, app::i18n::rate_limited(l, minutes), None)
                .await
        }
        Err(Refusal::ChatTaken) => ctx.say(chat_id, Msg::TgChatTaken.text(l), None).await,
        Err(Refusal::AccountUnusable) => {
            ctx.say(chat_id, Msg::TgAccountUnusable.text(l), None).await
        }
    }
    Ok(())
}

async fn on_callback(ctx: &BotCtx, q: CallbackQuery) -> Result<(), app::error::AppError> {
    // Always answered, so the member's button stops spinning.
    if let Err(e) = ctx.bot().answer_callback_query(q.id.clone()).await {
        tracing::debug!(error = %describe(&e), "telegram: callback not answered");
    }
    let Some(message) = &q.message else {
        return Ok(());
    };
    if !message.chat().is_private() {
        return Ok(());
    }
    let chat_id = message.chat().id.0;
    let db = &ctx.state.db;
    let user = tg::chat_user(db, chat_id).await?;
    let l = chat_locale(user.as_ref(), q.from.language_code.as_deref());
    let data = q.data.as_deref().unwrap_or_default();
    let Some(user) = user else {
        let chat = tg::touch_chat(db, chat_id, l, ctx.state.now()).await?;
        match data.strip_prefix("r:") {
            Some(choice) if tg::live_draft(&chat, ctx.state.now()).is_some() => {
                register::advance(ctx, &chat, register::Input::Button(choice), l).await?
            }
            _ => help(ctx, chat_id, l).await,
        }
        return Ok(());
    };
    let token = format!("tg{}m{}", chat_id.unsigned_abs(), message.id().0);
    let result = book::on_button(ctx, chat_id, &user, data, &token).await;
    if let Err(e) = result {
        ctx.say(chat_id, e.message(user.lang), Some(menu(user.lang)))
            .await;
    }
    Ok(())
}

/// The secret Telegram sends with every webhook post
/// (`X-Telegram-Bot-Api-Secret-Token`): derived from the token, so every
/// instance knows it without another setting.
pub fn webhook_secret(token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("ortalyq-webhook:{token}").as_bytes());
    data_encoding::HEXLOWER.encode(&digest)
}

/// Register the webhook with Telegram (`setWebhook` with the secret).
pub async fn set_webhook(api: &BotApi, url: &str, secret: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(url).map_err(|e| format!("ORTALYQ_TELEGRAM_WEBHOOK_URL: {e}"))?;
    api.bot
        .set_webhook(url)
        .secret_token(secret.to_string())
        .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Stop a webhook set earlier, so polling gets the updates.
pub async fn delete_webhook(api: &BotApi) -> Result<(), String> {
    api.bot
        .delete_webhook()
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// `POST /telegram/webhook`: Telegram's posts, checked by their secret
/// header (compared in constant time); the update is handled after the
/// answer, so Telegram never waits on a booking.
/// Merged into the application router (`Ops::telegram_webhook`), so it runs
/// under the same request log, security headers and body limit as every
/// other route.
pub fn webhook_router<S: Clone + Send + Sync + 'static>(
    ctx: BotCtx,
    secret: String,
) -> axum::Router<S> {
    let secret: Arc<str> = secret.into();
    axum::Router::new()
        .route(
            "/telegram/webhook",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let ctx = ctx.clone();
                let secret = secret.clone();
                async move { webhook(ctx, &secret, &headers, &body) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES))
}

fn webhook(ctx: BotCtx, secret: &str, headers: &HeaderMap, body: &[u8]) -> Response {
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !secret_matches(given, secret) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(update) = serde_json::from_slice::<Update>(body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    tokio::spawn(async move { handle_update(&ctx, update).await });
    StatusCode::OK.into_response()
}

/// The header equals the secret, compared in time that depends only on the
/// lengths (`subtle`; a truncated guess is simply unequal).
fn secret_matches(given: &[u8], secret: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.ct_eq(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_printed() {
        let api = BotApi::new("123456:SECRET-TOKEN", Some("http://127.0.0.1:9/")).unwrap();
        let shown = format!("{api:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn a_chat_speaks_the_members_language_else_telegrams_else_kazakh() {
        assert_eq!(chat_locale(None, Some("ru")), Locale::Ru);
        assert_eq!(chat_locale(None, Some("en-GB")), Locale::En);
        assert_eq!(chat_locale(None, Some("de")), Locale::Kk);
        assert_eq!(chat_locale(None, None), Locale::Kk);
    }

    #[test]
    fn the_webhook_secret_is_fixed_by_the_token_and_compared_whole() {
        let a = webhook_secret("1:a");
        assert_eq!(a, webhook_secret("1:a"));
        assert_ne!(a, webhook_secret("1:b"));
        assert_eq!(a.len(), 64);
        assert!(secret_matches(a.as_bytes(), &a));
        assert!(!secret_matches(&a.as_bytes()[..63], &a));
        assert!(!secret_matches(b"", &a));
    }
}
