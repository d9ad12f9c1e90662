//! The page's stylesheet and island loader, with the built files' names
//! read once per process (cargo-leptos `hash-files` lists their content
//! hashes in `hash.txt` beside the server binary).
//!
//! Our own loader instead of leptos's `HydrationScripts`/`HashedStylesheet`:
//! those read `hash.txt` again on every page; ours loads the bundle only on
//! pages that have islands, and marks the page live (`body[data-hydrated]`)
//! once every island, lazy ones included, has woken up, which the browser
//! tests and the `.needs-js` buttons wait for.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use leptos::prelude::*;

/// Built file names under the site's package directory.
#[derive(Debug, PartialEq, Eq)]
pub struct AssetNames {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

impl AssetNames {
    /// Names for `output` given the contents of `hash.txt` (`None`: files
    /// are not hashed). `bg_suffix`: wasm-bindgen's `_bg` on the wasm file,
    /// which cargo-leptos drops when it names the output itself.
    pub fn from_hashes(output: &str, hashes: Option<&str>, bg_suffix: bool) -> Self {
        let hash = |kind: &str| {
            hashes
                .into_iter()
                .flat_map(str::lines)
                .filter_map(|l| l.trim().split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map(|(_, h)| format!(".{}", h.trim()))
                .unwrap_or_default()
        };
        let bg = if hashes.is_none() && bg_suffix {
            "_bg"
        } else {
            ""
        };
        Self {
            css: format!("{output}{}.css", hash("css")),
            js: format!("{output}{}.js", hash("js")),
            wasm: format!("{output}{bg}{}.wasm", hash("wasm")),
        }
    }
}

fn asset_names(options: &LeptosOptions) -> &'static AssetNames {
    static NAMES: OnceLock<AssetNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let hashes = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten();
        if options.hash_files && hashes.is_none() {
            tracing::warn!("file hashing is on but no hash file was found");
        }
        AssetNames::from_hashes(
            &options.output_name,
            hashes.as_deref(),
            option_env!("LEPTOS_OUTPUT_NAME").is_none(),
        )
    })
}

/// Loads the bundle when the browser is idle, wakes each `<leptos-island>`
/// in document order (awaiting lazy ones, which fetch their own chunk), then
/// marks the page live.
const LOADER: &str = r#"((pkg, js, wasm) => {
  const idle = (f) => ("requestIdleCallback" in window ? requestIdleCallback(f) : setTimeout(f, 0));
  async function wake(node, mod) {
    for (const el of node.children) {
      if (el.tagName === "LEPTOS-ISLAND") {
        const fn = mod[el.dataset.component];
        if (fn) { await fn(el); } else { console.warn("no code for island", el.dataset.component); }
      }
      await wake(el, mod);
    }
  }
  idle(async () => {
    const mod = await import(`${pkg}/${js}`);
    await mod.default({ module_or_path: `${pkg}/${wasm}` });
    mod.hydrate();
    await wake(document.body, mod);
    document.body.dataset.hydrated = "true";
  });
})"#;

/// Whether this page has islands: `wanted` is set by [`uses_islands`],
/// `decided` once the end of `<body>` is written.
#[derive(Clone, Default)]
pub struct PageIslands(Arc<(AtomicBool, AtomicBool)>);

/// Called by every island when the server renders it, and by a page whose
/// islands render inside a `Suspense` (those render after the end of the
/// body is decided): the page then loads the bundle. A page without islands
/// loads no WebAssembly at all.
pub fn uses_islands() {
    if let Some(p) = use_context::<PageIslands>() {
        let was = p.0 .0.swap(true, Ordering::Relaxed);
        if !was && p.0 .1.load(Ordering::Relaxed) {
            tracing::error!(
                "an island rendered after the page's scripts were written: \
                 call crate::ui::uses_islands() at the top of its page"
            );
        }
    }
}

/// The stylesheet, in `<head>`. A plain function, not a component: the
/// options are only read, never cloned, on every page.
pub fn page_head(options: &LeptosOptions) -> impl IntoView + use<> {
    // Only islands hydrate; the rest of the page is never walked.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let names = asset_names(options);
    view! { <link rel="stylesheet" id="leptos" href=format!("/{}/{}", options.site_pkg_dir, names.css)/> }
}

/// The end of `<body>`, rendered after the page: a refused form's fields put
/// back, then the island loader when the page has islands (scripts carry
/// this response's nonce), else a line that marks the page live.
pub fn page_scripts(options: &LeptosOptions) -> impl IntoView + use<> {
    let names = asset_names(options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let islands = use_context::<PageIslands>().unwrap_or_default();
    let nonce = leptos::nonce::use_nonce();
    // A refused form's fields go back into it first.
    let restore = use_context::<crate::access::flash::Flash>()
        .and_then(|f| crate::access::flash::restore_script(&f))
        .map(|js| view! { <script nonce=nonce.clone()>{js}</script> });
    let scripts = move || {
        let nonce = nonce.clone();
        islands.0 .1.store(true, Ordering::Relaxed);
        if !islands.0 .0.load(Ordering::Relaxed) {
            return view! { <script nonce=nonce>"document.body.dataset.hydrated = \"true\";"</script> }
                .into_any();
        }
        let call = format!("{LOADER}({pkg:?}, {:?}, {:?});", names.js, names.wasm);
        view! {
            <link rel="modulepreload" href=format!("{pkg}/{}", names.js)/>
            <link rel="preload" href=format!("{pkg}/{}", names.wasm) r#as="fetch" r#type="application/wasm" crossorigin=""/>
            <script type="module" nonce=nonce>{call}</script>
        }
        .into_any()
    };
    (restore, scripts)
}

#[cfg(test)]
mod tests {
    use super::AssetNames;

    #[test]
    fn hashed_names_follow_hash_txt() {
        let n = AssetNames::from_hashes("ortalyq", Some("js: aa1\nwasm: bb2\ncss: cc3\n"), true);
        assert_eq!(n.js, "ortalyq.aa1.js");
        assert_eq!(n.wasm, "ortalyq.bb2.wasm");
        assert_eq!(n.css, "ortalyq.cc3.css");
    }

    #[test]
    fn unhashed_names_keep_wasm_bindgens_suffix_when_asked() {
        let n = AssetNames::from_hashes("ortalyq", None, true);
        assert_eq!(n.wasm, "ortalyq_bg.wasm");
        assert_eq!(n.js, "ortalyq.js");
        assert_eq!(
            AssetNames::from_hashes("ortalyq", None, false).wasm,
            "ortalyq.wasm"
        );
    }
}
