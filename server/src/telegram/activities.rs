//! Clubs and events from the bot: the member's home center's clubs and
//! events (the region's when they have none), joining a club and
//! registering for an event through the web's services (a full one puts
//! them on the waitlist), leaving a club and cancelling a registration the
//! same way, audited as via Telegram. Anonymous groups take no sign-ups, as
//! on the web.
//!
//! Buttons: `cl` clubs, `j:<club>` join, `lv:<club>` leave, `ev` events,
//! `e:<event>` register, `ue:<event>` cancel the registration.

use app::access::session::CurrentUser;
use app::clubs::dto::{JoinDto, Standing};
use app::error::AppError;
use app::i18n::{Locale, Msg};
use teloxide_core::types::InlineKeyboardMarkup;

use super::{button, menu, BotCtx};

/// Clubs or events listed at once.
const MAX_LISTED: usize = 10;

fn standing_text(l: Locale, s: Standing) -> String {
    match s {
        Standing::In => Msg::YouAreIn.text(l).to_string(),
        Standing::Waiting { position } => app::i18n::waitlist_position(l, position),
    }
}

pub(super) async fn clubs(ctx: &BotCtx, chat: i64, user: &CurrentUser) -> Result<(), AppError> {
    let (db, now, l) = (&ctx.state.db, ctx.state.now(), user.lang);
    let mut list = app::clubs::service::list(db, user.home_center_id, Some(user), now, l).await?;
    if list.is_empty() {
        list = app::clubs::service::list(db, None, Some(user), now, l).await?;
    }
    for c in list.into_iter().take(MAX_LISTED) {
        let mut text = format!("{}\n{}\n{}, {}", c.name, c.schedule, c.center, c.space);
        let kb = match (c.standing, c.anonymous) {
            (Some(s), _) => {
                text.push_str(&format!("\n{}", standing_text(l, s)));
                let leave = match s {
                    Standing::In => Msg::LeaveClub,
                    Standing::Waiting { .. } => Msg::LeaveWaitlist,
                };
                Some(InlineKeyboardMarkup::new(vec![vec![button(
                    leave.text(l),
                    format!("lv:{}", c.id),
                )]]))
            }
            (None, true) => None,
            (None, false) => Some(InlineKeyboardMarkup::new(vec![vec![button(
                Msg::JoinClub.text(l),
                format!("j:{}", c.id),
            )]])),
        };
        ctx.say(chat, text, kb).await;
    }
    Ok(())
}

pub(super) async fn events(ctx: &BotCtx, chat: i64, user: &CurrentUser) -> Result<(), AppError> {
    let (db, now, l) = (&ctx.state.db, ctx.state.now(), user.lang);
    let mut list = app::clubs::events::list(db, user.home_center_id, Some(user), now, l).await?;
    if list.is_empty() {
        list = app::clubs::events::list(db, None, Some(user), now, l).await?;
    }
    for e in list.into_iter().filter(|e| !e.past).take(MAX_LISTED) {
        let mut text = format!("{}\n{}\n{}, {}", e.name, e.when, e.center, e.space);
        let kb = match e.standing {
            Some(s) => {
                text.push_str(&format!("\n{}", standing_text(l, s)));
                Some(InlineKeyboardMarkup::new(vec![vec![button(
                    Msg::CancelRegistration.text(l),
                    format!("ue:{}", e.id),
                )]]))
            }
            None => Some(InlineKeyboardMarkup::new(vec![vec![button(
                Msg::RegisterEvent.text(l),
                format!("e:{}", e.id),
            )]])),
        };
        ctx.say(chat, text, kb).await;
    }
    Ok(())
}

async fn answer(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    joined: JoinDto,
    detail: String,
) -> Result<(), AppError> {
    let now = ctx.state.now();
    app::telegram::service::record_action(&ctx.state.db, user, None, &detail, now).await?;
    let l = user.lang;
    ctx.say(chat, standing_text(l, joined.standing), Some(menu(l)))
        .await;
    Ok(())
}

pub(super) async fn join(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    club: i32,
) -> Result<(), AppError> {
    let (db, keys, now) = (&ctx.state.db, &ctx.state.keys, ctx.state.now());
    let joined = app::clubs::service::join(db, keys, user, club, now).await?;
    answer(ctx, chat, user, joined, format!("joined club {club}")).await
}

pub(super) async fn register(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    event: i32,
) -> Result<(), AppError> {
    let (db, keys, now) = (&ctx.state.db, &ctx.state.keys, ctx.state.now());
    let joined = app::clubs::events::register(db, keys, user, event, now).await?;
    answer(
        ctx,
        chat,
        user,
        joined,
        format!("registered for event {event}"),
    )
    .await
}

/// Leave a club (or its waitlist) through the web's service: the first in
/// line moves up.
pub(super) async fn leave(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    club: i32,
) -> Result<(), AppError> {
    let (db, keys, now, l) = (&ctx.state.db, &ctx.state.keys, ctx.state.now(), user.lang);
    let was = app::clubs::service::leave(db, keys, user, club, now).await?;
    app::telegram::service::record_action(db, user, None, &format!("left club {club}"), now)
        .await?;
    let done = match was {
        app::domain::codes::ClubPlace::Waiting => Msg::LeftWaitlist,
        _ => Msg::LeftClub,
    };
    ctx.say(chat, done.text(l), Some(menu(l))).await;
    Ok(())
}

/// Cancel a registration for an event (or leave its waitlist) through the
/// web's service, before the event starts.
pub(super) async fn unregister(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    event: i32,
) -> Result<(), AppError> {
    let (db, keys, now, l) = (&ctx.state.db, &ctx.state.keys, ctx.state.now(), user.lang);
    app::clubs::events::cancel(db, keys, user, event, now).await?;
    let detail = format!("cancelled registration for event {event}");
    app::telegram::service::record_action(db, user, None, &detail, now).await?;
    ctx.say(chat, Msg::CancelledRegistration.text(l), Some(menu(l)))
        .await;
    Ok(())
}
