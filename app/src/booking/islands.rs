//! The booking pages' two interactive bits, woken in the browser; the rest
//! of these pages is plain server HTML and works without script.

use leptos::prelude::*;

/// The booking length. The server marks the starts that fit the first
/// length; in the browser, choosing another length re-marks them at once
/// (without script the server refuses a start that does not fit).
#[island]
pub fn LengthSelect(label: String, durations: Vec<i32>, first_len: i32) -> impl IntoView {
    view! {
        <label class="field-inline">
            {label}
            <select name="minutes" data-testid="length" on:change=move |ev| {
                if let Ok(minutes) = event_target_value(&ev).parse::<i32>() {
                    #[cfg(feature = "hydrate")]
                    mark_fitting_starts(&ev, minutes);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = minutes;
                }
            }>
                {durations.into_iter().map(|d| view! {
                    <option value=d selected=d == first_len>{format!("{}:{:02}", d / 60, d % 60)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// Enable the form's start buttons where `minutes` fit (`data-max`) and a
/// place is left (no `data-full`).
#[cfg(feature = "hydrate")]
fn mark_fitting_starts(ev: &leptos::ev::Event, minutes: i32) {
    use wasm_bindgen::JsCast;
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("form").ok().flatten())
    else {
        return;
    };
    let Ok(buttons) = form.query_selector_all("button.slot") else {
        return;
    };
    for i in 0..buttons.length() {
        let Some(b) = buttons.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let max: i32 = b.get_attribute("data-max").and_then(|m| m.parse().ok()).unwrap_or(0);
        let fits = !b.has_attribute("data-full") && max >= minutes;
        let _ = if fits {
            b.remove_attribute("disabled")
        } else {
            b.set_attribute("disabled", "")
        };
        let _ = b.class_list().toggle_with_force("full", !fits);
    }
}

/// Shows a pass's QR code full screen, on white: easiest for a scanner.
#[island]
pub fn QrFullscreen(label: String) -> impl IntoView {
    view! {
        <button type="button" class="link-button needs-js" data-testid="qr-full"
            on:click=move |ev| {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    if let Some(fig) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest("li").ok().flatten())
                        .and_then(|li| li.query_selector(".qr").ok().flatten())
                    {
                        let _ = fig.request_fullscreen();
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>{label}</button>
    }
}
