//! The member's own pages: card, password, data; password reset by code;
//! a guardian's consent page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{
    my_card, ChangePassword, ConfirmGuardianConsent, ResetPassword, SendGuardianCode,
};
use super::dto::CardDto;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::privacy::api::DeleteMyAccount;
use crate::telegram::pages::TelegramCard;
use crate::ui::{t, use_locale, Auth, ErrorBox, PrintButton};

/// The message of a failed action, if it concerns `field`.
pub(crate) fn field_message(error: Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(e @ AppError::Invalid { .. }) if matches!(&e, AppError::Invalid { field: f, .. } if f == field) => {
            Some(e.message(use_locale()))
        }
        _ => None,
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let card = Resource::new(|| (), |_| my_card());
    let change = crate::access::flash::form_action::<ChangePassword>();
    let delete = crate::access::flash::form_action::<DeleteMyAccount>();
    let auth = expect_context::<Auth>();
    let send = crate::access::flash::form_action::<SendGuardianCode>();
    let new_link = ServerAction::<crate::booking::api::NewCalendarLink>::new();
    let revoke_link = ServerAction::<crate::booking::api::RevokeCalendarLink>::new();
    view! {
        <h1>{t(Msg::NavAccount)}</h1>
        <GuardianConsentCard auth=auth send=send/>
        <MemberCard card=card/>
        <TelegramCard/>

        <PasswordCard change=change/>

        <CalendarFeedCard new_link=new_link revoke_link=revoke_link/>

        <MyDataCard delete=delete/>
    }
}

/// A minor awaiting a guardian's consent: send the guardian a code.
#[component]
fn GuardianConsentCard(auth: Auth, send: ServerAction<SendGuardianCode>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let needs = auth.user.await.ok().flatten().is_some_and(|u| u.needs_consent);
                needs.then(|| view! {
                    <section class="card no-print" data-testid="guardian-section" aria-labelledby="guardian-title">
                        <h2 id="guardian-title">{t(Msg::GuardianConsentTitle)}</h2>
                        <p class="muted">{t(Msg::GuardianCodeHint)}</p>
                        <ActionForm action=send>
                            <button type="submit" class="primary" disabled=move || send.pending().get() data-testid="send-guardian-code">
                                {t(Msg::SendGuardianCode)}
                            </button>
                        </ActionForm>
                        {move || match send.value().get() {
                            Some(Ok(masked)) => view! {
                                <div class="alert ok" role="status" data-testid="guardian-code-sent">
                                    <p>{t(Msg::GuardianCodeSent)} " " {masked}</p>
                                </div>
                            }.into_any(),
                            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                            None => ().into_any(),
                        }}
                    </section>
                })
            })}
        </Transition>
    }
}

/// The printable membership card with its QR pass.
#[component]
fn MemberCard(card: Resource<Result<CardDto, AppError>>) -> impl IntoView {
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match card.await {
                    Ok(c) => view! {
                        <section class="card member-card" data-testid="member-card" aria-labelledby="card-title">
                            <h2 id="card-title">{t(Msg::CardTitle)}</h2>
                            <p class="card-name">{c.full_name.clone()}</p>
                            <p>{t(Msg::MemberNumber)} ": " <strong data-testid="member-number">{c.member_number.clone()}</strong></p>
                            <p class="muted">{c.home_center.clone()}</p>
                            <figure class="qr">
                                <div class="qr-img" inner_html=c.qr_svg.clone()></div>
                                <figcaption>{t(Msg::CardHint)}</figcaption>
                            </figure>
                            <p>{t(Msg::ValidUntil)} ": " {c.valid_until.clone()}</p>
                            <details class="no-print">
                                <summary>{t(Msg::PassCode)}</summary>
                                <code class="code" data-testid="card-code">{c.code.clone()}</code>
                            </details>
                            <PrintButton label=t(Msg::PrintCard).to_string() class="primary no-print".to_string()/>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Change the password (the current one is asked for).
#[component]
fn PasswordCard(change: ServerAction<ChangePassword>) -> impl IntoView {
    let change_err = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    view! {
        <section class="card no-print" aria-labelledby="pw-title">
            <h2 id="pw-title">{t(Msg::ChangePasswordTitle)}</h2>
            <ActionForm action=change attr:class="form" attr:data-testid="change-password">
                <div class="field">
                    <label for="current_password">{t(Msg::CurrentPassword)}</label>
                    <input id="current_password" type="password" name="current_password" required autocomplete="current-password"
                        aria-describedby="err-current_password"/>
                    <p class="field-error" id="err-current_password" role="alert">{move || field_message(change_err.get(), "current_password")}</p>
                </div>
                <div class="field">
                    <label for="new_password">{t(Msg::NewPassword)}</label>
                    <input id="new_password" type="password" name="new_password" required minlength="8" autocomplete="new-password"
                        aria-describedby="err-new_password"/>
                    <small class="muted">{t(Msg::PasswordHint)}</small>
                    <p class="field-error" id="err-new_password" role="alert">{move || field_message(change_err.get(), "new_password")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || change.pending().get()>{t(Msg::Save)}</button>
            </ActionForm>
            {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                <div class="alert ok" role="status" data-testid="password-changed"><p>{t(Msg::PasswordChanged)}</p></div>
            })}
        </section>
    }
}

/// The private calendar feed: a new link (the old one stops), or none.
#[component]
fn CalendarFeedCard(
    new_link: ServerAction<crate::booking::api::NewCalendarLink>,
    revoke_link: ServerAction<crate::booking::api::RevokeCalendarLink>,
) -> impl IntoView {
    view! {
        <section class="card no-print" aria-labelledby="feed-title">
            <h2 id="feed-title">{t(Msg::CalendarFeedTitle)}</h2>
            <p class="muted">{t(Msg::CalendarFeedHint)}</p>
            {move || match new_link.value().get() {
                Some(Ok(path)) => view! {
                    <p><a href=path.clone() rel="external" class="code" data-testid="calendar-link">{path.clone()}</a></p>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
            {move || matches!(revoke_link.value().get(), Some(Ok(()))).then(|| view! {
                <div class="alert ok" role="status" data-testid="calendar-revoked"><p>{t(Msg::CalendarLinkRevoked)}</p></div>
            })}
            <div class="button-row">
                <ActionForm action=new_link>
                    <button type="submit" class="primary" data-testid="new-calendar-link">{t(Msg::NewCalendarLink)}</button>
                </ActionForm>
                <ActionForm action=revoke_link>
                    <button type="submit" class="small" data-testid="revoke-calendar-link">{t(Msg::RevokeCalendarLink)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The member's data: download it, or delete the account.
#[component]
fn MyDataCard(delete: ServerAction<DeleteMyAccount>) -> impl IntoView {
    let delete_err = Signal::derive(move || delete.value().get().and_then(|r| r.err()));
    view! {
        <section class="card no-print" aria-labelledby="data-title">
            <h2 id="data-title">{t(Msg::MyDataTitle)}</h2>
            <p><a href="/account/my-data.json" download="ortalyq-my-data.json" rel="external" data-testid="download-data">{t(Msg::DownloadData)}</a></p>
            <h3>{t(Msg::DeleteAccountTitle)}</h3>
            <p class="muted">{t(Msg::DeleteAccountHint)}</p>
            <ActionForm action=delete attr:class="form" attr:data-testid="delete-account">
                <div class="field">
                    <label for="confirm">{t(Msg::DeleteConfirmLabel)}</label>
                    <input id="confirm" type="text" name="confirm" autocomplete="off" aria-describedby="err-confirm"/>
                    <p class="field-error" id="err-confirm" role="alert">{move || field_message(delete_err.get(), "confirm")}</p>
                </div>
                <button type="submit" class="danger" disabled=move || delete.pending().get()>{t(Msg::DeleteAccountTitle)}</button>
            </ActionForm>
            {move || delete_err.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}

/// Set a new password with the code the front desk gave.
#[component]
pub fn ResetPage() -> impl IntoView {
    let reset = crate::access::flash::form_action::<ResetPassword>();
    let err = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    view! {
        <section class="card narrow">
            <h1>{t(Msg::ResetTitle)}</h1>
            <ActionForm action=reset attr:class="form" attr:data-testid="reset-form">
                <div class="field">
                    <label for="reset-login">{t(Msg::LoginField)}</label>
                    <input id="reset-login" type="text" name="login" required autocomplete="username"/>
                </div>
                <div class="field">
                    <label for="reset-code">{t(Msg::ResetCode)}</label>
                    <input id="reset-code" type="text" name="code" required inputmode="numeric" autocomplete="one-time-code"/>
                </div>
                <div class="field">
                    <label for="reset-new">{t(Msg::NewPassword)}</label>
                    <input id="reset-new" type="password" name="new_password" required minlength="8" autocomplete="new-password"
                        aria-describedby="err-new_password"/>
                    <small class="muted">{t(Msg::PasswordHint)}</small>
                    <p class="field-error" id="err-new_password" role="alert">{move || field_message(err.get(), "new_password")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || reset.pending().get()>{t(Msg::Save)}</button>
            </ActionForm>
            {move || match reset.value().get() {
                Some(Ok(())) => view! {
                    <div class="alert ok" role="status" data-testid="reset-done">
                        <p>{t(Msg::ResetDone)} " " <A href="/login">{t(Msg::NavLogin)}</A></p>
                    </div>
                }.into_any(),
                Some(Err(AppError::Invalid { .. })) | None => ().into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            }}
        </section>
    }
}

/// For guardians: confirm consent with the code from the text message.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let confirm = crate::access::flash::form_action::<ConfirmGuardianConsent>();
    view! {
        <section class="card narrow">
            <h1>{t(Msg::GuardianConsentTitle)}</h1>
            <p class="muted">{t(Msg::ConsentPageIntro)}</p>
            <ActionForm action=confirm attr:class="form" attr:data-testid="consent-form">
                <div class="field">
                    <label for="child_login">{t(Msg::ChildLoginField)}</label>
                    <input id="child_login" type="text" name="child_login" required autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="consent_code">{t(Msg::ConsentCodeField)}</label>
                    <input id="consent_code" type="text" name="code" required inputmode="numeric" autocomplete="one-time-code"/>
                </div>
                <button type="submit" class="primary" disabled=move || confirm.pending().get()>{t(Msg::GiveConsent)}</button>
            </ActionForm>
            {move || match confirm.value().get() {
                Some(Ok(())) => view! {
                    <div class="alert ok" role="status" data-testid="consent-confirmed"><p>{t(Msg::ConsentConfirmed)}</p></div>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
