//! Compiles `locales/{kk,ru,en}.json` into the `i18n` module with
//! leptos_i18n. A key that is missing from, or extra in, any locale fails
//! the build (leptos_i18n alone would only warn). It also writes `msg.rs`:
//! one `Msg` variant per plain (uninterpolated) key, so adding a string means
//! editing the three locale files only.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use leptos_i18n_parser::parse_locales::error::Warning;
use leptos_i18n_parser::parse_locales::parse_locales;

fn config() -> Result<Config, Box<dyn Error>> {
    Ok(Config::new("kk")?
        .add_locales(["ru", "en"])?
        .parse_options(ParseOptions::default().interpolate_display(true)))
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");

    let strict = parse_locales(None, config()?)?;
    let problems: Vec<String> = strict
        .diag
        .warnings()
        .iter()
        .filter(|w| matches!(w, Warning::MissingKey { .. } | Warning::SurplusKey { .. }))
        .map(|w| w.to_string())
        .collect();
    if !problems.is_empty() {
        return Err(format!("locale files disagree:\n{}", problems.join("\n")).into());
    }

    let infos = TranslationsInfos::parse(config()?)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    write_msg_names()
}

/// `messages! { AppName => app_name, … }` for every key of the default
/// locale whose text has no `{{ value }}` (those have typed functions).
fn write_msg_names() -> Result<(), Box<dyn Error>> {
    let kk: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string("locales/kk.json")?)?;
    let mut out = String::from("messages! {\n");
    for (key, text) in &kk {
        if text.as_str().is_some_and(|t| !t.contains("{{")) {
            let name: String = key
                .split('_')
                .map(|part| {
                    let mut c = part.chars();
                    c.next()
                        .map(|first| first.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect();
            out.push_str(&format!("    {name} => {key},\n"));
        }
    }
    out.push_str("}\n");
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    std::fs::write(dir.join("msg.rs"), out)?;
    Ok(())
}
