//! The booking pages' browser-side bits. Everything else on these pages is
//! plain server HTML and works without script.

use leptos::prelude::*;

/// Re-marks the starts that fit when another length is chosen: a start is
/// enabled where the length fits (`data-max`, minutes) and a place is left
/// (no `data-full`). A dozen lines of script rather than an island: it is
/// the booking page's only interactive control, and an island would add the
/// bundle's script and main module (about 72 KB compressed) to a visitor's
/// first visit, four times the page itself. Without script the server
/// refuses a start that does not fit, with a clear error.
const LENGTH_SCRIPT: &str = r#"document.querySelectorAll("select[data-length]").forEach((s) =>
  s.addEventListener("change", () => {
    const m = Number(s.value);
    s.form.querySelectorAll("button.slot").forEach((b) => {
      const fits = !b.hasAttribute("data-full") && Number(b.dataset.max) >= m;
      b.disabled = !fits;
      b.classList.toggle("full", !fits);
    });
  }));"#;

/// The booking length. The server marks the starts that fit the first
/// length; choosing another one re-marks them at once.
#[component]
pub fn LengthSelect(label: String, durations: Vec<i32>, first_len: i32) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <label class="field-inline">
            {label}
            <select name="minutes" data-testid="length" data-length="">
                {durations.into_iter().map(|d| view! {
                    <option value=d selected=d == first_len>{format!("{}:{:02}", d / 60, d % 60)}</option>
                }).collect_view()}
            </select>
        </label>
        <script nonce=nonce>{LENGTH_SCRIPT}</script>
    }
}

/// Shows a pass's QR code full screen, on white: easiest for a scanner.
#[island]
pub fn QrFullscreen(label: String) -> impl IntoView {
    crate::ui::uses_islands();
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
