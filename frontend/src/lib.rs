//! Browser entry point: wakes the interactive islands of the server-rendered
//! Ortalyq pages. Everything else on a page is plain HTML from the server.

// The wasm build lays out the islands' view types here; the scan station
// and the lending desk nest deeper than the default limit (as in `app`).
#![recursion_limit = "256"]

// Links app's islands (each a `#[wasm_bindgen]` export named after the
// component) into this bundle; nothing else of app is called from here.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Server fns redirect only after signing in or out. Load the target page
    // in full, so the interface language and navigation of the new session
    // apply everywhere.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|loc: &str| {
        let _ = leptos::prelude::window().location().assign(loc);
    });
    leptos::mount::hydrate_islands();
}
