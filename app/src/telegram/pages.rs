//! The Telegram card of `/account`: link a chat with a one-time code or
//! deep link, unlink it, and choose how notifications arrive. Shown only
//! when the server runs a bot.

use leptos::prelude::*;

use super::api::{telegram_card, SetNotifyChannel, TelegramLinkCode, UnlinkTelegram};
use super::dto::{LinkCodeDto, TelegramCardDto};
use crate::domain::codes::NotifyChannel;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

/// `/account`'s Telegram card (nothing without a bot).
#[component]
pub fn TelegramCard() -> impl IntoView {
    let code = ServerAction::<TelegramLinkCode>::new();
    let unlink = crate::access::flash::form_action::<UnlinkTelegram>();
    let channel = crate::access::flash::form_action::<SetNotifyChannel>();
    let card = Resource::new(
        move || (unlink.version().get(), channel.version().get()),
        |_| telegram_card(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                card.await.ok().filter(|c| c.enabled).map(|c| view! {
                    <section class="card no-print" data-testid="telegram-card" aria-labelledby="tg-title">
                        <h2 id="tg-title">{t(Msg::TgCardTitle)}</h2>
                        <LinkPart card=c.clone() code=code unlink=unlink/>
                        <ChannelForm card=c channel=channel/>
                    </section>
                })
            })}
        </Transition>
    }
}

#[component]
fn LinkPart(
    card: TelegramCardDto,
    code: ServerAction<TelegramLinkCode>,
    unlink: ServerAction<UnlinkTelegram>,
) -> impl IntoView {
    if card.linked {
        return view! {
            <p data-testid="telegram-linked">{t(Msg::TgIsLinked)}</p>
            <ActionForm action=unlink>
                <button type="submit" class="small" data-testid="telegram-unlink">{t(Msg::TgUnlink)}</button>
            </ActionForm>
        }
        .into_any();
    }
    if !card.may_link {
        return ().into_any();
    }
    view! {
        <p class="muted">{t(Msg::TgCardHint)}</p>
        {move || match code.value().get() {
            Some(Ok(c)) => view! { <FreshCode code=c/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <ActionForm action=code>
            <button type="submit" class="primary" data-testid="telegram-get-code">{t(Msg::TgGetCode)}</button>
        </ActionForm>
        {move || matches!(unlink.value().get(), Some(Ok(()))).then(|| view! {
            <div class="alert ok" role="status"><p>{t(Msg::TgUnlinked)}</p></div>
        })}
    }
    .into_any()
}

#[component]
fn FreshCode(code: LinkCodeDto) -> impl IntoView {
    let valid = crate::i18n::tg_code_valid(use_locale(), code.minutes);
    view! {
        <div class="alert ok" role="status">
            <p>{t(Msg::TgCodeLabel)} ": " <strong class="code" data-testid="telegram-code">{code.code.clone()}</strong></p>
            <p class="muted">{valid}</p>
            {code.deep_link.clone().map(|href| view! {
                <p><a href=href rel="external noopener" data-testid="telegram-deep-link">{t(Msg::TgOpenBot)}</a></p>
            })}
        </div>
    }
}

/// The channel choice: only what the member can receive is offered.
#[component]
fn ChannelForm(card: TelegramCardDto, channel: ServerAction<SetNotifyChannel>) -> impl IntoView {
    let current = card.channel;
    let options: Vec<(&'static str, Msg, bool)> = vec![
        ("default", Msg::TgChannelDefault, current.is_none()),
        (
            "email",
            Msg::TgChannelEmail,
            current == Some(NotifyChannel::Email),
        ),
        (
            "sms",
            Msg::TgChannelSms,
            current == Some(NotifyChannel::Sms),
        ),
        (
            "telegram",
            Msg::TgChannelTelegram,
            current == Some(NotifyChannel::Telegram),
        ),
    ];
    let offered = move |code: &str| match code {
        "email" => card.has_email,
        "sms" => card.has_phone,
        "telegram" => card.linked,
        _ => true,
    };
    let err = Signal::derive(move || channel.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=channel attr:class="form" attr:data-testid="telegram-channel">
            <fieldset>
                <legend>{t(Msg::TgChannelTitle)}</legend>
                {options.into_iter().filter(|o| offered(o.0)).map(|(c, m, checked)| view! {
                    <label class="choice">
                        <input type="radio" name="channel" value=c checked=checked/>
                        " " {t(m)}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="field-error" role="alert">{move || crate::membership::account_pages::field_message(err.get(), "channel")}</p>
            <button type="submit" class="primary">{t(Msg::Save)}</button>
        </ActionForm>
        {move || matches!(channel.value().get(), Some(Ok(()))).then(|| view! {
            <div class="alert ok" role="status" data-testid="telegram-channel-saved"><p>{t(Msg::TgChannelSaved)}</p></div>
        })}
    }
}
