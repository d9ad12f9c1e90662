use leptos::html;
use leptos::prelude::*;

use super::api::ScanPass;
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

/// How long a verdict stays on screen before the station resets itself.
const VERDICT_MS: u64 = 8000;

#[component]
pub fn ScanPage() -> impl IntoView {
    let scan = ServerAction::<ScanPass>::new();
    let input: NodeRef<html::Input> = NodeRef::new();

    // After each answer: empty the field and give it focus again, so a USB
    // scanner (a keyboard that types the code and Enter) can go on; clear
    // the verdict after a while so the next person sees a neutral screen.
    Effect::new(move |_| {
        let version = scan.version().get();
        if let Some(el) = input.get() {
            if version > 0 {
                el.set_value("");
            }
            let _ = el.focus();
        }
        if version > 0 {
            set_timeout(
                move || {
                    if scan.version().get_untracked() == version {
                        scan.value().set(None);
                    }
                },
                std::time::Duration::from_millis(VERDICT_MS),
            );
        }
    });

    view! {
        <h1>{t(Msg::ScanTitle)}</h1>
        <ActionForm action=scan attr:class="form scan-form" attr:data-testid="scan-form">
            <label>
                {t(Msg::ScanHint)}
                <input node_ref=input type="text" name="code" required autofocus autocomplete="off"
                    autocapitalize="characters" spellcheck="false" data-testid="scan-input"/>
            </label>
            <button type="submit" class="primary" disabled=move || scan.pending().get()>{t(Msg::ScanButton)}</button>
        </ActionForm>
        {move || scan.value().get().map(|r| match r {
            Ok(v) => {
                let class = if v.admitted { "verdict ok" } else { "verdict deny" };
                view! {
                    <section class=class role="status" aria-live="assertive" data-testid="verdict" data-code=v.code.clone()>
                        <p class="verdict-title">{if v.admitted { t(Msg::Admitted) } else { t(Msg::Denied) }}</p>
                        <p class="verdict-reason" data-testid="verdict-reason">{v.reason.clone()}</p>
                        {v.holder.clone().map(|h| view! { <p class="verdict-holder">{h}</p> })}
                        {v.what.clone().map(|w| view! { <p class="verdict-what">{w}</p> })}
                    </section>
                }.into_any()
            }
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
    }
}
