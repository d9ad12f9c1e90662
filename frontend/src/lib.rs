//! Browser entry point: hydrates the server-rendered Ortalyq pages.

// The wasm build lays out the pages' view types here; pages made of many
// components nest deeper than the default limit (as in `app`).
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Server fns redirect only after signing in or out. Load the target page
    // in full, so the interface language and navigation of the new session
    // apply everywhere (set before the router installs its client-side hook).
    let _ = leptos::server_fn::redirect::set_redirect_hook(|loc: &str| {
        let _ = leptos::prelude::window().location().assign(loc);
    });
    leptos::mount::hydrate_body(app::App);
}
