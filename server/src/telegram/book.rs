//! Booking from the bot: centers → spaces → days → free times → book (the
//! pass comes as a QR image), "My bookings" with each pass and a cancel
//! button. Every step calls the service the web page calls, as the linked
//! member; bookings and cancellations are audited as done through Telegram.
//!
//! Buttons carry short data (Telegram allows 64 bytes): `k` centers,
//! `c:<center>` its spaces, `s:<space>:<week>` days with free time,
//! `d:<space>:<week>:<date>` that day's free times, `b:<space>:<unix>`
//! book, `m` my bookings, `p:<pass>` a pass, `x:<booking>` cancel, `cd`
//! the membership card (and
//! `f…`, `t:<slot>`, `tx:<slot>` for mentors, in `mentors.rs`; `cl`,
//! `j:<club>`, `lv:<club>`, `ev`, `e:<event>`, `ue:<event>` for clubs and
//! events, in `activities.rs`).

use app::access::session::CurrentUser;
use app::booking::dto::{AvailabilityDto, BookingDto};
use app::booking::service::BookingRequest;
use app::domain::codes::BookingStatus;
use app::error::AppError;
use app::i18n::Msg;
use app::telegram::texts;
use chrono::TimeZone;
use sea_orm::EntityTrait;
use teloxide_core::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::{button, menu, BotCtx};

/// Free times shown for one day (Telegram shows buttons, not a grid).
const MAX_TIMES: usize = 24;
/// Bookings listed by "My bookings".
const MAX_LISTED: usize = 10;

/// Route a button press of a linked member.
pub(super) async fn on_button(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    data: &str,
    token: &str,
) -> Result<(), AppError> {
    let parts: Vec<&str> = data.split(':').collect();
    let num = |i: usize| -> Result<i64, AppError> {
        parts
            .get(i)
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or(AppError::NotFound)
    };
    let id = |i: usize| -> Result<i32, AppError> {
        i32::try_from(num(i)?).map_err(|_| AppError::NotFound)
    };
    match parts.first().copied().unwrap_or_default() {
        "k" => centers(ctx, chat, user).await,
        "c" => spaces(ctx, chat, user, id(1)?).await,
        "s" => days(ctx, chat, user, id(1)?, num(2)?.clamp(0, 52) as u32).await,
        "d" => {
            let day = parts.get(3).copied().unwrap_or_default();
            times(ctx, chat, user, id(1)?, num(2)?.clamp(0, 52) as u32, day).await
        }
        "b" => book(ctx, chat, user, id(1)?, num(2)?, token).await,
        "m" => my_bookings(ctx, chat, user).await,
        "p" => pass(ctx, chat, user, id(1)?).await,
        "x" => cancel(ctx, chat, user, id(1)?).await,
        "f" if parts.len() == 1 => super::mentors::fields(ctx, chat, user).await,
        "f" => {
            let field = parts.get(1).copied().unwrap_or_default();
            super::mentors::mentors(ctx, chat, user, field).await
        }
        "t" => super::mentors::book(ctx, chat, user, id(1)?).await,
        "cd" => card(ctx, chat, user).await,
        "cl" => super::activities::clubs(ctx, chat, user).await,
        "j" => super::activities::join(ctx, chat, user, id(1)?).await,
        "ev" => super::activities::events(ctx, chat, user).await,
        "e" => super::activities::register(ctx, chat, user, id(1)?).await,
        "lv" => super::activities::leave(ctx, chat, user, id(1)?).await,
        "ue" => super::activities::unregister(ctx, chat, user, id(1)?).await,
        "tx" => super::mentors::cancel(ctx, chat, user, id(1)?).await,
        _ => {
            ctx.say(chat, Msg::TgMenu.text(user.lang), Some(menu(user.lang)))
                .await;
            Ok(())
        }
    }
}

fn column(buttons: Vec<InlineKeyboardButton>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.into_iter().map(|b| vec![b]))
}

/// The region's active centers.
pub(super) async fn centers(ctx: &BotCtx, chat: i64, user: &CurrentUser) -> Result<(), AppError> {
    let l = user.lang;
    let list = app::centers::service::list_centers(&ctx.state.db, l).await?;
    let buttons = list
        .into_iter()
        .filter(|c| c.active)
        .map(|c| button(c.name, format!("c:{}", c.id)))
        .collect();
    ctx.say(chat, Msg::TgChooseCenter.text(l), Some(column(buttons)))
        .await;
    Ok(())
}

async fn spaces(ctx: &BotCtx, chat: i64, user: &CurrentUser, center: i32) -> Result<(), AppError> {
    let l = user.lang;
    let detail = app::centers::service::center_detail(&ctx.state.db, center, l).await?;
    if !detail.center.active {
        return Err(AppError::BookingClosed);
    }
    let buttons = detail
        .spaces
        .into_iter()
        .map(|s| button(s.name, format!("s:{}:0", s.id)))
        .collect();
    ctx.say(chat, Msg::TgChooseSpace.text(l), Some(column(buttons)))
        .await;
    Ok(())
}

async fn week(
    ctx: &BotCtx,
    user: &CurrentUser,
    space: i32,
    week: u32,
) -> Result<AvailabilityDto, AppError> {
    app::booking::service::availability(&ctx.state.db, space, week, ctx.state.now(), user.lang)
        .await
}

/// Free times that a booking of the space's shortest length can start at.
fn free(slots: &[app::booking::dto::SlotDto]) -> impl Iterator<Item = &app::booking::dto::SlotDto> {
    slots
        .iter()
        .filter(|s| s.remaining > 0 && s.max_minutes > 0)
}

async fn days(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    space: i32,
    n: u32,
) -> Result<(), AppError> {
    let l = user.lang;
    let a = week(ctx, user, space, n).await?;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = a
        .days
        .iter()
        .filter(|d| !d.closed && free(&d.slots).next().is_some())
        .map(|d| {
            vec![button(
                d.label.clone(),
                format!("d:{space}:{}:{}", a.week, d.iso_date),
            )]
        })
        .collect();
    let found = !rows.is_empty();
    if a.week + 1 < a.weeks {
        rows.push(vec![button(
            format!("{} →", Msg::TgNextWeek.text(l)),
            format!("s:{space}:{}", a.week + 1),
        )]);
    }
    let text = if found {
        format!("{}\n{}", a.space.name, Msg::TgChooseDay.text(l))
    } else {
        format!("{}\n{}", a.space.name, Msg::TgNoFreeTime.text(l))
    };
    ctx.say(chat, text, Some(InlineKeyboardMarkup::new(rows)))
        .await;
    Ok(())
}

async fn times(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    space: i32,
    n: u32,
    day: &str,
) -> Result<(), AppError> {
    let l = user.lang;
    let a = week(ctx, user, space, n).await?;
    let d = a
        .days
        .iter()
        .find(|d| d.iso_date == day)
        .ok_or(AppError::NotFound)?;
    let buttons: Vec<InlineKeyboardButton> = free(&d.slots)
        .take(MAX_TIMES)
        .map(|s| button(s.label.clone(), format!("b:{space}:{}", s.starts_at)))
        .collect();
    if buttons.is_empty() {
        ctx.say(chat, Msg::TgNoFreeTime.text(l), None).await;
        return Ok(());
    }
    let rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(3).map(<[_]>::to_vec).collect();
    let text = format!(
        "{}, {}\n{}",
        a.space.name,
        d.label,
        Msg::TgChooseTime.text(l)
    );
    ctx.say(chat, text, Some(InlineKeyboardMarkup::new(rows)))
        .await;
    Ok(())
}

/// The member's booking as "My bookings" shows it.
async fn booking_dto(
    ctx: &BotCtx,
    user: &CurrentUser,
    pick: impl Fn(&BookingDto) -> bool,
) -> Result<Option<BookingDto>, AppError> {
    let list = app::booking::listing::my_bookings(
        &ctx.state.db,
        user.person_id,
        ctx.state.now(),
        user.lang,
    )
    .await?;
    Ok(list.into_iter().find(|b| pick(b)))
}

/// The center a space belongs to (for the audit log).
async fn center_of(ctx: &BotCtx, space: i32) -> Result<Option<i32>, AppError> {
    Ok(app::model::space::Entity::find_by_id(space)
        .one(&ctx.state.db)
        .await?
        .map(|s| s.center_id))
}

/// Book one free time for one person, the space's shortest length, through
/// the web's booking service. `token` names the button's message, so a
/// press delivered twice (or pressed twice) books once.
async fn book(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
    space: i32,
    unix: i64,
    token: &str,
) -> Result<(), AppError> {
    let l = user.lang;
    let now = ctx.state.now();
    let starts_at = chrono::Utc
        .timestamp_opt(unix, 0)
        .single()
        .ok_or(AppError::NotFound)?;
    let req = BookingRequest::single(space, starts_at, 1, Some(token));
    let outcome =
        app::booking::service::book_request(&ctx.state.db, &ctx.state.keys, user, None, req, now)
            .await?;
    let b = outcome
        .bookings
        .into_iter()
        .next()
        .ok_or(AppError::Internal)?;
    app::telegram::service::record_action(
        &ctx.state.db,
        user,
        center_of(ctx, space).await?,
        &format!("booked {}", b.id),
        now,
    )
    .await?;
    let Some(dto) = booking_dto(ctx, user, |d| d.id == b.id).await? else {
        return Ok(());
    };
    match (dto.status, dto.pass_id) {
        (BookingStatus::Confirmed, Some(pass_id)) => {
            let png = app::passes::service::pass_png(&ctx.state.db, user, pass_id).await?;
            ctx.photo(chat, png, texts::booked(l, &dto.space_name, &dto.when))
                .await;
        }
        _ => {
            let text = texts::requested(l, &dto.space_name, &dto.when);
            ctx.say(chat, text, Some(menu(l))).await;
        }
    }
    Ok(())
}

/// "My bookings": each upcoming consultation and booking, a booking with
/// its pass, each with a cancel button (while it may still be cancelled).
pub(super) async fn my_bookings(
    ctx: &BotCtx,
    chat: i64,
    user: &CurrentUser,
) -> Result<(), AppError> {
    let l = user.lang;
    let now = ctx.state.now();
    let list: Vec<BookingDto> =
        app::booking::listing::my_bookings(&ctx.state.db, user.person_id, now, l)
            .await?
            .into_iter()
            .filter(|b| matches!(b.status, BookingStatus::Confirmed | BookingStatus::Pending))
            .filter(|b| b.checked_in_at.is_none())
            .take(MAX_LISTED)
            .collect();
    let consultations = super::mentors::upcoming(ctx, chat, user).await?;
    if list.is_empty() && consultations == 0 {
        ctx.say(chat, Msg::TgNoBookings.text(l), Some(menu(l)))
            .await;
        return Ok(());
    }
    for b in list {
        let mut row = Vec::new();
        if let Some(pass) = b.pass_id {
            row.push(button(Msg::TgBtnPass.text(l), format!("p:{pass}")));
        }
        if b.cancel_until.is_some() {
            row.push(button(Msg::TgBtnCancel.text(l), format!("x:{}", b.id)));
        }
        let text = format!("{}, {}\n{}", b.center_name, b.space_name, b.when);
        let kb = (!row.is_empty()).then(|| InlineKeyboardMarkup::new(vec![row]));
        ctx.say(chat, text, kb).await;
    }
    Ok(())
}

/// A pass as a QR image: only the holder's own (the service checks).
async fn pass(ctx: &BotCtx, chat: i64, user: &CurrentUser, pass_id: i32) -> Result<(), AppError> {
    let png = app::passes::service::pass_png(&ctx.state.db, user, pass_id).await?;
    let caption = booking_dto(ctx, user, |d| d.pass_id == Some(pass_id))
        .await?
        .map(|d| format!("{}, {}", d.space_name, d.when))
        .unwrap_or_default();
    ctx.photo(chat, png, caption).await;
    Ok(())
}

/// Cancel the member's own booking through the web's cancel service.
async fn cancel(ctx: &BotCtx, chat: i64, user: &CurrentUser, id: i32) -> Result<(), AppError> {
    let l = user.lang;
    let now = ctx.state.now();
    let Some(dto) = booking_dto(ctx, user, |d| d.id == id).await? else {
        return Err(AppError::NotFound);
    };
    if !dto.status.holds_place() {
        return Err(AppError::NotFound);
    }
    app::booking::changes::cancel(&ctx.state.db, user, id, now).await?;
    app::telegram::service::record_action(
        &ctx.state.db,
        user,
        center_of(ctx, dto.space_id).await?,
        &format!("cancelled {id}"),
        now,
    )
    .await?;
    ctx.say(
        chat,
        texts::cancelled(l, &dto.space_name, &dto.when),
        Some(menu(l)),
    )
    .await;
    Ok(())
}

/// The membership card: its QR pass (the same signed code the door scans
/// for free coworking seats) as a photo, with the member number.
async fn card(ctx: &BotCtx, chat: i64, user: &CurrentUser) -> Result<(), AppError> {
    let l = user.lang;
    let c = app::membership::members::membership_card(
        &ctx.state.db,
        &ctx.state.keys,
        user,
        ctx.state.now(),
        l,
    )
    .await?;
    let png = app::passes::service::qr_png(&c.code)?;
    let caption = format!(
        "{}\n{}: {}\n{}: {}",
        c.full_name,
        Msg::MemberNumber.text(l),
        c.member_number,
        Msg::ValidUntil.text(l),
        c.valid_until
    );
    ctx.photo(chat, png, caption).await;
    Ok(())
}
