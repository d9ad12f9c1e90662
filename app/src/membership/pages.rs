use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{ConfirmSignup, Register, ResendSignupCode};
use crate::centers::api::list_centers;
use crate::domain::people::{Education, Occupation, Settlement};
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::ui::{t, use_locale, Auth, ErrorBox};

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let login = auth.login;
    let error = move || login.value().get().and_then(|r| r.err());
    view! {
        <section class="card narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <label>
                    {t(Msg::LoginField)}
                    <input type="text" name="login" required autocomplete="username" inputmode="email"
                        placeholder="+7 701 000 00 01"/>
                </label>
                <label>
                    {t(Msg::PasswordField)}
                    <input type="password" name="password" required autocomplete="current-password"/>
                </label>
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {t(Msg::LoginButton)}
                </button>
            </ActionForm>
            {move || error().map(|e| {
                let unconfirmed = e == AppError::ContactUnconfirmed;
                view! {
                    <ErrorBox error=e/>
                    {unconfirmed.then(|| view! { <p><A href="/verify">{t(Msg::VerifyTitle)}</A></p> })}
                }
            })}
            <p class="muted">{t(Msg::NoAccountYet)} " " <A href="/register">{t(Msg::NavRegister)}</A></p>
            <p class="muted">{t(Msg::ForgotPassword)} " " <A href="/reset">{t(Msg::ResetTitle)}</A></p>
        </section>
    }
}

/// Form field with its label and an error message tied to it.
#[component]
fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let err_id = format!("err-{name}");
    let message = move || {
        error.get().and_then(|e| match &e {
            AppError::Invalid { field, .. } if field == name => Some(e.message(use_locale())),
            _ => None,
        })
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=name>{label}</label>
            {children()}
            {hint.map(|h| view! { <small class="muted">{h}</small> })}
            <p class="field-error" id=err_id role="alert">{message}</p>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = crate::access::flash::form_action::<Register>();
    let centers = Resource::new(|| (), |_| list_centers());
    let l = use_locale();
    let error = Signal::derive(move || register.value().get().and_then(|r| r.err()));
    let field_error = move |name: &'static str| crate::ui::aria_invalid(error, name);
    view! {
        <section class="card narrow wide-form">
            <h1>{t(Msg::RegisterTitle)}</h1>
            <p class="muted">{t(Msg::RegisterIntro)}</p>
            <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
            let centers = centers.await.unwrap_or_default();
            view! {
            <ActionForm action=register attr:class="form" attr:data-testid="register-form" attr:novalidate=true>
                <Field name="full_name" label=t(Msg::FullName) error=error>
                    <input id="full_name" type="text" name="form[full_name]" required autocomplete="name"
                        aria-invalid=field_error("full_name") aria-describedby="err-full_name"/>
                </Field>
                <Field name="birth_date" label=t(Msg::BirthDate) hint=t(Msg::AgeRule) error=error>
                    <input id="birth_date" type="date" name="form[birth_date]" required autocomplete="bday"
                        aria-invalid=field_error("birth_date") aria-describedby="err-birth_date"/>
                </Field>
                <Field name="phone" label=t(Msg::Phone) hint=t(Msg::PhoneOrEmailHint) error=error>
                    <input id="phone" type="tel" name="form[phone]" autocomplete="tel" inputmode="tel" placeholder="+7 7__ ___ __ __"
                        aria-invalid=field_error("phone") aria-describedby="err-phone"/>
                </Field>
                <Field name="email" label=t(Msg::Email) error=error>
                    <input id="email" type="email" name="form[email]" autocomplete="email"
                        aria-invalid=field_error("email") aria-describedby="err-email"/>
                </Field>
                <Field name="password" label=t(Msg::PasswordField) hint=t(Msg::PasswordHint) error=error>
                    <input id="password" type="password" name="form[password]" required minlength="8" autocomplete="new-password"
                        aria-invalid=field_error("password") aria-describedby="err-password"/>
                </Field>
                <Field name="lang" label=t(Msg::Language) error=error>
                    <select id="lang" name="form[lang]">
                        {Locale::ALL.into_iter().map(|x| view! {
                            <option value=x.code() selected=x == l>{x.native_name()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field name="home_center_id" label=t(Msg::HomeCenter) error=error>
                    <select id="home_center_id" name="form[home_center_id]" required>
                        {centers.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                    </select>
                </Field>
                <Field name="settlement" label=t(Msg::SettlementField) error=error>
                    <select id="settlement" name="form[settlement]">
                        {Settlement::ALL.iter().map(|x| view! { <option value=x.as_str()>{x.label(l)}</option> }).collect_view()}
                    </select>
                </Field>
                <Field name="occupation" label=t(Msg::OccupationField) error=error>
                    <select id="occupation" name="form[occupation]">
                        {Occupation::ALL.iter().map(|x| view! { <option value=x.as_str()>{x.label(l)}</option> }).collect_view()}
                    </select>
                </Field>
                <Field name="education" label=t(Msg::EducationField) error=error>
                    <select id="education" name="form[education]">
                        {Education::ALL.iter().map(|x| view! {
                            <option value=x.as_str() selected=*x == Education::Secondary>{x.label(l)}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field name="iin" label=t(Msg::IinField) hint=t(Msg::IinHint) error=error>
                    <input id="iin" type="text" name="form[iin]" inputmode="numeric" maxlength="12" autocomplete="off"
                        aria-invalid=field_error("iin") aria-describedby="err-iin"/>
                </Field>
                <fieldset class="guardian">
                    <legend>{t(Msg::GuardianLegend)}</legend>
                    <p class="muted">{t(Msg::GuardianHint)}</p>
                    <Field name="guardian_name" label=t(Msg::GuardianName) error=error>
                        <input id="guardian_name" type="text" name="form[guardian_name]" autocomplete="off"
                            aria-invalid=field_error("guardian_name") aria-describedby="err-guardian_name"/>
                    </Field>
                    <Field name="guardian_phone" label=t(Msg::GuardianPhone) error=error>
                        <input id="guardian_phone" type="tel" name="form[guardian_phone]" inputmode="tel" autocomplete="off"
                            aria-invalid=field_error("guardian_phone") aria-describedby="err-guardian_phone"/>
                    </Field>
                    <Field name="guardian_email" label=t(Msg::GuardianEmail) hint=t(Msg::GuardianEmailHint) error=error>
                        <input id="guardian_email" type="email" name="form[guardian_email]" autocomplete="off"
                            aria-invalid=field_error("guardian_email") aria-describedby="err-guardian_email"/>
                    </Field>
                </fieldset>
                <button type="submit" class="primary" disabled=move || register.pending().get()>{t(Msg::RegisterButton)}</button>
            </ActionForm>
            }
            })}
            </Suspense>
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}

/// Finish registering with the code sent to the phone or email; the login
/// comes filled in from the registration (`?login=`).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let confirm = crate::access::flash::form_action::<ConfirmSignup>();
    let resend = crate::access::flash::form_action::<ResendSignupCode>();
    let query = leptos_router::hooks::use_query_map();
    let login = move || query.read().get("login").unwrap_or_default();
    let error = move || confirm.value().get().and_then(|r| r.err());
    view! {
        <section class="card narrow">
            <h1>{t(Msg::VerifyTitle)}</h1>
            <p data-testid="verify-sent">{t(Msg::VerifySent)}</p>
            <ActionForm action=confirm attr:class="form" attr:data-testid="verify-form">
                <div class="field">
                    <label for="verify-login">{t(Msg::LoginField)}</label>
                    <input id="verify-login" type="text" name="login" required autocomplete="username" value=login/>
                </div>
                <div class="field">
                    <label for="verify-code">{t(Msg::VerifyCode)}</label>
                    <input id="verify-code" type="text" name="code" required inputmode="numeric" maxlength="8"
                        autocomplete="one-time-code"/>
                </div>
                <button type="submit" class="primary" disabled=move || confirm.pending().get()>{t(Msg::VerifyButton)}</button>
            </ActionForm>
            {move || error().map(|e| view! { <ErrorBox error=e/> })}
            <ActionForm action=resend attr:class="form inline" attr:data-testid="resend-form">
                <input type="hidden" name="login" value=login/>
                <button type="submit" disabled=move || resend.pending().get()>{t(Msg::VerifyResend)}</button>
            </ActionForm>
            {move || match resend.value().get() {
                Some(Ok(())) => view! { <p class="alert ok" role="status" data-testid="resent">{t(Msg::VerifyResent)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
