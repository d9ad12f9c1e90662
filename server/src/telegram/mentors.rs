//! Mentors by field from the bot: the fields, a field's mentors with their
//! free times, booking one through the web's consultation service, the
//! member's upcoming consultations (under "My bookings") and cancelling
//! one. Psychology stays private: its bookings and cancellations are not
//! written to the audit log (which directors read); the service keeps them
//! between the member and the consultant, as on the web.
//!
//! Buttons: `f` fields, `f:<field>` its mentors, `t:<slot>` book the time,
//! `tx:<slot>` cancel it.

use app::access::session::CurrentUser;
use app::domain::consultation::Field;
use app::error::AppError;
use app::i18n::Msg;
use teloxide_core::types::InlineKeyboardMarkup;

use super::{button, menu, BotCtx};

/// Mentors listed at once, and free times offered for each.
const MAX_MENTORS: usize = 8;
/// Upcoming consultations listed under "My bookings".
const MAX_LISTED: usize = 10;
const MAX_TIMES: usize = 6;

pub(super) async fn fields(ctx: &BotCtx, chat: i64, user: &CurrentUser) -> Result<(), AppError> {
    let l = user.lang;
    let kb = InlineKeyboardMarkup::new(
        Field::ALL
            .iter()
            .map(|f| vec![button(f.label(l), format!("f:{}", f.as_str()))]),
    );
    ctx.say(chat, Msg::TgChooseField.text(l), Some(kb)).await;
    Ok(())
}

pub(super) async fn mentors(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    field: &str,
) -> Result<(), AppError> {
    let l = user.lang;
    let field = Field::parse(field).ok_or(AppError::NotFound)?;
    let list = app::mentors::service::list_mentors(
        &ctx.state.db,
        None,
        Some(field),
        None,
        ctx.state.now(),
        l,
    )
    .await?;
    if list.is_empty() {
        ctx.say(chat, Msg::TgNoMentors.text(l), Some(menu(l))).await;
        return Ok(());
    }
    for m in list.into_iter().take(MAX_MENTORS) {
        let mut text = format!("{} · {}\n{}", m.name, field.label(l), m.center_name);
        if !m.bio.trim().is_empty() {
            text.push_str(&format!("\n{}", m.bio.trim()));
        }
        if m.free_slots.is_empty() {
            text.push_str(&format!("\n{}", Msg::TgMentorBusy.text(l)));
        }
        let rows: Vec<_> = m
            .free_slots
            .iter()
            .take(MAX_TIMES)
            .map(|s| vec![button(s.when.clone(), format!("t:{}", s.id))])
            .collect();
        let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
        ctx.say(chat, text, kb).await;
    }
    Ok(())
}

/// Book a mentor's free time for the member (of two racing, one gets it).
pub(super) async fn book(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    slot: i32,
) -> Result<(), AppError> {
    let l = user.lang;
    let now = ctx.state.now();
    app::mentors::service::book(&ctx.state.db, user, slot, None, now).await?;
    let mine = app::mentors::service::my_consultations(&ctx.state.db, user, now, l)
        .await?
        .into_iter()
        .find(|c| c.slot_id == slot)
        .ok_or(AppError::Internal)?;
    if !mine.field.is_private() {
        app::telegram::service::record_action(
            &ctx.state.db,
            user,
            None,
            &format!("consultation {slot}"),
            now,
        )
        .await?;
    }
    let text = app::telegram::texts::consultation_booked(l, &mine.mentor_name, &mine.when);
    let mut kb = menu(l);
    kb.inline_keyboard.insert(0, vec![cancel_button(l, slot)]);
    ctx.say(chat, text, Some(kb)).await;
    Ok(())
}

fn cancel_button(l: app::i18n::Locale, slot: i32) -> teloxide_core::types::InlineKeyboardButton {
    button(Msg::CancelConsultation.text(l), format!("tx:{slot}"))
}

/// The member's upcoming consultations, each with a cancel button; how
/// many there were.
pub(super) async fn upcoming(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
) -> Result<usize, AppError> {
    let l = user.lang;
    let mine =
        app::mentors::service::my_consultations(&ctx.state.db, user, ctx.state.now(), l).await?;
    let ahead: Vec<_> = mine
        .into_iter()
        .filter(|c| c.upcoming)
        .take(MAX_LISTED)
        .collect();
    for c in &ahead {
        let text = format!("{}: {}\n{}", c.field.label(l), c.mentor_name, c.when);
        let kb = InlineKeyboardMarkup::new(vec![vec![cancel_button(l, c.slot_id)]]);
        ctx.say(chat, text, Some(kb)).await;
    }
    Ok(ahead.len())
}

/// Cancel the member's own consultation through the web's service, before
/// it starts; the time is free again.
pub(super) async fn cancel(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    slot: i32,
) -> Result<(), AppError> {
    let (db, now, l) = (&ctx.state.db, ctx.state.now(), user.lang);
    let mine = app::mentors::service::my_consultations(db, user, now, l)
        .await?
        .into_iter()
        .find(|c| c.slot_id == slot && c.upcoming)
        .ok_or(AppError::NotFound)?;
    app::mentors::service::cancel_booking(db, user, slot, now).await?;
    if !mine.field.is_private() {
        let detail = format!("cancelled consultation {slot}");
        app::telegram::service::record_action(db, user, None, &detail, now).await?;
    }
    let text = format!(
        "{}\n{}, {}",
        Msg::ConsultationCancelled.text(l),
        mine.mentor_name,
        mine.when
    );
    ctx.say(chat, text, Some(menu(l))).await;
    Ok(())
}
