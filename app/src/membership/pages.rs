use leptos::prelude::*;

use crate::i18n::Msg;
use crate::ui::{t, Auth, ErrorBox};

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
            {move || error().map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}
