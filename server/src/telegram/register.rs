//! Registering from the bot, step by step, with the web's rules: name,
//! birth date (14–35; 14–17 give a guardian), home center, settlement,
//! occupation, education, then the phone from Telegram's contact button
//! (only the sender's own: `contact.user_id == from.id`, so the number is
//! confirmed by Telegram). The answers wait in the chat's draft; nothing
//! else is written until the last step passes `registration::validate` and
//! `signup::register_confirmed` (duplicates, a guardian who is a member).
//! A minor's guardian then gets the consent code by text message.
//!
//! Buttons: `r:c:<center>`, `r:s:<settlement>`, `r:o:<occupation>`,
//! `r:e:<education>`.

use app::access::session::CurrentUser;
use app::domain::membership::{eligibility, Eligibility};
use app::domain::people::{Education, Occupation, Settlement};
use app::error::AppError;
use app::i18n::{Locale, Msg};
use app::membership::registration::RegisterForm;
use app::telegram::service as tg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use teloxide_core::types::{
    ButtonRequest, Contact, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, ReplyMarkup,
};

use super::{button, menu, BotCtx};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum Step {
    #[default]
    Name,
    BirthDate,
    Center,
    Settlement,
    Occupation,
    Education,
    GuardianName,
    GuardianPhone,
    Contact,
}

/// The answers so far.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Draft {
    step: Step,
    full_name: String,
    /// `YYYY-MM-DD`.
    birth_date: String,
    minor: bool,
    center: i32,
    settlement: String,
    occupation: String,
    education: String,
    guardian_name: String,
    guardian_phone: String,
}

/// What one message or press brings.
pub(super) enum Input<'a> {
    Text(&'a str),
    Button(&'a str),
    Contact { contact: &'a Contact, from: u64 },
}

fn today(ctx: &BotCtx) -> NaiveDate {
    ctx.state
        .now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
}

/// `/register`: a fresh draft, and the first question.
pub(super) async fn start(ctx: &BotCtx, chat: i64, l: Locale) -> Result<(), AppError> {
    save(ctx, chat, &Draft::default()).await?;
    ctx.say(chat, Msg::TgRegName.text(l), None).await;
    Ok(())
}

/// `/cancel`: the draft goes.
pub(super) async fn cancel(ctx: &BotCtx, chat: i64, l: Locale) -> Result<(), AppError> {
    tg::save_draft(&ctx.state.db, chat, None, ctx.state.now()).await?;
    ctx.say_with(chat, Msg::TgRegCancelled.text(l), ReplyMarkup::kb_remove())
        .await;
    Ok(())
}

async fn save(ctx: &BotCtx, chat: i64, d: &Draft) -> Result<(), AppError> {
    let json = serde_json::to_string(d).map_err(|_| AppError::Internal)?;
    tg::save_draft(&ctx.state.db, chat, Some(json), ctx.state.now()).await
}

/// One answer to the current step: saved and the next question asked, or
/// the question asked again.
pub(super) async fn advance(
    ctx: &BotCtx,
    chat: &app::model::telegram_chat::Model,
    input: Input<'_>,
    l: Locale,
) -> Result<(), AppError> {
    let chat_id = chat.chat_id;
    let Some(mut d) =
        tg::live_draft(chat, ctx.state.now()).and_then(|j| serde_json::from_str::<Draft>(j).ok())
    else {
        return Ok(());
    };
    let accepted = match (d.step, input) {
        (Step::Name, Input::Text(t)) => name(t).map(|n| d.full_name = n),
        (Step::BirthDate, Input::Text(t)) => match birth_date(t, today(ctx)) {
            Some((_, e @ (Eligibility::TooYoung | Eligibility::TooOld))) => {
                // Outside 14–35: told why, and nothing is kept.
                let e = if e == Eligibility::TooYoung {
                    AppError::TooYoung
                } else {
                    AppError::TooOld
                };
                tg::save_draft(&ctx.state.db, chat_id, None, ctx.state.now()).await?;
                ctx.say(chat_id, e.message(l), None).await;
                return Ok(());
            }
            Some((date, e)) => {
                d.birth_date = date.format("%Y-%m-%d").to_string();
                d.minor = e == Eligibility::MinorNeedsConsent;
                Some(())
            }
            None => None,
        },
        (Step::Center, Input::Button(b)) => b
            .strip_prefix("c:")
            .and_then(|c| c.parse().ok())
            .map(|c| d.center = c),
        (Step::Settlement, Input::Button(b)) => {
            pick(b, "s:", |c| Settlement::parse(c).is_some()).map(|c| d.settlement = c)
        }
        (Step::Occupation, Input::Button(b)) => {
            pick(b, "o:", |c| Occupation::parse(c).is_some()).map(|c| d.occupation = c)
        }
        (Step::Education, Input::Button(b)) => {
            pick(b, "e:", |c| Education::parse(c).is_some()).map(|c| d.education = c)
        }
        (Step::GuardianName, Input::Text(t)) => name(t).map(|n| d.guardian_name = n),
        (Step::GuardianPhone, Input::Text(t)) => {
            let t = t.trim();
            (!t.is_empty() && t.chars().count() <= 30).then(|| d.guardian_phone = t.into())
        }
        (Step::Contact, Input::Contact { contact, from }) => {
            if contact.user_id.map(|u| u.0) != Some(from) {
                ctx.say_with(chat_id, Msg::TgRegContactOwn.text(l), contact_keyboard(l))
                    .await;
                return Ok(());
            }
            return finish(ctx, chat_id, d, &contact.phone_number, l).await;
        }
        _ => None,
    };
    if accepted.is_none() {
        ctx.say(chat_id, Msg::TgRegAgain.text(l), None).await;
        return ask(ctx, chat_id, &d, l).await;
    }
    d.step = next(&d);
    save(ctx, chat_id, &d).await?;
    ask(ctx, chat_id, &d, l).await
}

fn name(t: &str) -> Option<String> {
    let n = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (n.chars().count() >= 2 && n.chars().count() <= 120 && !n.starts_with('/')).then_some(n)
}

fn pick(b: &str, prefix: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    b.strip_prefix(prefix)
        .filter(|c| known(c))
        .map(str::to_string)
}

/// `15.03.2009` or `2009-03-15`, not in the future, with its eligibility.
fn birth_date(t: &str, today: NaiveDate) -> Option<(NaiveDate, Eligibility)> {
    let t = t.trim();
    let date = NaiveDate::parse_from_str(t, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
        .filter(|d| *d <= today)?;
    Some((date, eligibility(date, today)))
}

fn next(d: &Draft) -> Step {
    match d.step {
        Step::Name => Step::BirthDate,
        Step::BirthDate => Step::Center,
        Step::Center => Step::Settlement,
        Step::Settlement => Step::Occupation,
        Step::Occupation => Step::Education,
        Step::Education if d.minor => Step::GuardianName,
        Step::Education => Step::Contact,
        Step::GuardianName => Step::GuardianPhone,
        Step::GuardianPhone | Step::Contact => Step::Contact,
    }
}

fn contact_keyboard(l: Locale) -> ReplyMarkup {
    ReplyMarkup::Keyboard(
        KeyboardMarkup::new(vec![vec![KeyboardButton::new(
            Msg::TgRegContactButton.text(l),
        )
        .request(ButtonRequest::Contact)]])
        .one_time_keyboard()
        .resize_keyboard(),
    )
}

fn choices<T: Copy>(
    all: &[T],
    prefix: &str,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(
        all.iter()
            .map(|v| vec![button(label(*v), format!("r:{prefix}:{}", code(*v)))]),
    )
}

/// Ask the question of the draft's step.
async fn ask(ctx: &BotCtx, chat: i64, d: &Draft, l: Locale) -> Result<(), AppError> {
    match d.step {
        Step::Name => ctx.say(chat, Msg::TgRegName.text(l), None).await,
        Step::BirthDate => ctx.say(chat, Msg::TgRegBirthDate.text(l), None).await,
        Step::Center => {
            let centers = app::centers::service::list_centers(&ctx.state.db, l).await?;
            let kb = InlineKeyboardMarkup::new(
                centers
                    .into_iter()
                    .filter(|c| c.active)
                    .map(|c| vec![button(c.name, format!("r:c:{}", c.id))]),
            );
            ctx.say(chat, Msg::HomeCenter.text(l), Some(kb)).await
        }
        Step::Settlement => {
            let kb = choices(Settlement::ALL, "s", Settlement::as_str, |v| v.label(l));
            ctx.say(chat, Msg::SettlementField.text(l), Some(kb)).await
        }
        Step::Occupation => {
            let kb = choices(Occupation::ALL, "o", Occupation::as_str, |v| v.label(l));
            ctx.say(chat, Msg::OccupationField.text(l), Some(kb)).await
        }
        Step::Education => {
            let kb = choices(Education::ALL, "e", Education::as_str, |v| v.label(l));
            ctx.say(chat, Msg::EducationField.text(l), Some(kb)).await
        }
        Step::GuardianName => ctx.say(chat, Msg::TgRegGuardianName.text(l), None).await,
        Step::GuardianPhone => ctx.say(chat, Msg::TgRegGuardianPhone.text(l), None).await,
        Step::Contact => {
            ctx.say_with(chat, Msg::TgRegContact.text(l), contact_keyboard(l))
                .await
        }
    }
    Ok(())
}

/// The step a refused field is asked again at.
fn step_of(field: &str) -> Step {
    match field {
        "full_name" => Step::Name,
        "birth_date" => Step::BirthDate,
        "home_center_id" => Step::Center,
        "settlement" => Step::Settlement,
        "occupation" => Step::Occupation,
        "education" => Step::Education,
        "guardian_name" => Step::GuardianName,
        "guardian_phone" | "guardian_email" => Step::GuardianPhone,
        _ => Step::Contact,
    }
}

/// A random password nobody knows: the member signs in on the website
/// after a reset at the front desk.
fn unknown_password() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

/// The last step: validate everything as the web form does, register, link
/// the chat and, for a minor, ask the guardian's consent.
async fn finish(
    ctx: &BotCtx,
    chat: i64,
    mut d: Draft,
    phone: &str,
    l: Locale,
) -> Result<(), AppError> {
    let now = ctx.state.now();
    let form = RegisterForm {
        full_name: d.full_name.clone(),
        birth_date: d.birth_date.clone(),
        phone: Some(phone.to_string()),
        email: None,
        password: unknown_password(),
        lang: l.code().to_string(),
        home_center_id: d.center.to_string(),
        settlement: d.settlement.clone(),
        occupation: d.occupation.clone(),
        education: d.education.clone(),
        iin: None,
        guardian_name: d.minor.then(|| d.guardian_name.clone()),
        guardian_phone: d.minor.then(|| d.guardian_phone.clone()),
        guardian_email: None,
    };
    let registered = match app::membership::registration::validate(&form, today(ctx)) {
        Ok(m) => app::membership::signup::register_confirmed(&ctx.state.db, &m, now).await,
        Err(e) => Err(e),
    };
    let user: CurrentUser = match registered {
        Ok(u) => u,
        Err(e @ AppError::Invalid { .. }) => {
            let AppError::Invalid { field, .. } = &e else {
                return Ok(());
            };
            d.step = step_of(field);
            save(ctx, chat, &d).await?;
            ctx.say_with(chat, e.message(l), ReplyMarkup::kb_remove())
                .await;
            return ask(ctx, chat, &d, l).await;
        }
        Err(AppError::AlreadyRegistered) => {
            tg::save_draft(&ctx.state.db, chat, None, now).await?;
            ctx.say_with(chat, Msg::TgAlreadyMember.text(l), ReplyMarkup::kb_remove())
                .await;
            return Ok(());
        }
        Err(e) => {
            tg::save_draft(&ctx.state.db, chat, None, now).await?;
            ctx.say_with(chat, e.message(l), ReplyMarkup::kb_remove())
                .await;
            return Ok(());
        }
    };
    tg::link_registered(&ctx.state.db, chat, &user, now).await?;
    let welcome = app::telegram::texts::registered(l, &user.first_name());
    ctx.say_with(chat, welcome, ReplyMarkup::kb_remove()).await;
    if d.minor {
        let base = ctx.state.public_url.clone().unwrap_or_default();
        let sent = app::membership::members::send_guardian_code(
            &ctx.state.db,
            &user,
            today(ctx),
            now,
            &base,
        )
        .await?;
        let text = app::telegram::texts::consent_requested(l, &sent);
        ctx.say(chat, text, Some(menu(l))).await;
    } else {
        ctx.say(chat, Msg::TgMenu.text(l), Some(menu(l))).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_are_read_in_both_spellings_and_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (d, e) = birth_date("15.03.2011", today).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2011, 3, 15).unwrap());
        assert_eq!(e, Eligibility::MinorNeedsConsent);
        assert_eq!(
            birth_date("2000-01-31", today).unwrap().1,
            Eligibility::Adult
        );
        assert_eq!(
            birth_date("2015-01-31", today).unwrap().1,
            Eligibility::TooYoung
        );
        assert!(birth_date("31.02.2010", today).is_none());
        assert!(birth_date("01.01.2030", today).is_none());
        assert!(birth_date("soon", today).is_none());
    }

    #[test]
    fn a_minor_is_asked_for_a_guardian_an_adult_is_not() {
        let mut d = Draft {
            step: Step::Education,
            minor: true,
            ..Draft::default()
        };
        assert_eq!(next(&d), Step::GuardianName);
        d.minor = false;
        assert_eq!(next(&d), Step::Contact);
        assert_eq!(step_of("guardian_phone"), Step::GuardianPhone);
        assert_eq!(name("  Аружан   Сейітова "), Some("Аружан Сейітова".into()));
        assert_eq!(name("/start"), None);
    }
}
