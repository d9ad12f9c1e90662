//! Checks that keep the texts as `docs/GLOSSARY.md` wants them: the
//! glossary's forbidden variants, nothing glued to an inserted value, no
//! Kazakh postposition after a value, counts as plural messages, the same
//! values in every language, and no key written twice. The glossary's
//! table is the single list of forbidden words, so a row added there is
//! enforced at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

const LANGS: [&str; 3] = ["kk", "ru", "en"];
const PLURAL: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];
/// Placeholders that hold a number.
const NUMERIC: [&str; 18] = [
    "count", "n", "total", "min", "max", "age", "hours", "limit", "minutes", "days", "percent",
    "position", "left", "held", "step", "max_age", "page", "pages",
];
/// Words that may follow a number in an ordinary message: none of them
/// agrees with it («3 из 5», "3 of 5", units written short).
const AFTER_NUMBER: [&str; 10] = ["из", "of", "до", "to", "мин", "min", "ч", "h", "out", "жас"];
/// Kazakh postpositions that need a case ending on the word before them.
const CASE_POSTPOSITIONS: [&str; 9] = [
    "кейін",
    "бұрын",
    "соң",
    "бері",
    "бастап",
    "гөрі",
    "дейін",
    "шейін",
    "қарай",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn catalog(lang: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("app/locales/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn base(key: &str) -> &str {
    PLURAL
        .iter()
        .find_map(|p| key.strip_suffix(p))
        .unwrap_or(key)
}

fn is_plural(key: &str) -> bool {
    base(key) != key
}

/// One row of the glossary's "Forbidden variants" table.
struct Forbidden {
    lang: String,
    pattern: Regex,
    instead: String,
    except: BTreeSet<String>,
}

fn forbidden() -> Vec<Forbidden> {
    let text = std::fs::read_to_string(root().join("docs/GLOSSARY.md")).unwrap();
    let table = text
        .split("## Forbidden variants")
        .nth(1)
        .expect("GLOSSARY.md has a Forbidden variants section");
    let rows: Vec<Forbidden> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells = table_cells(line);
            let pattern = cells[1].trim_matches('`');
            Forbidden {
                lang: cells[0].clone(),
                pattern: Regex::new(&format!("(?i){pattern}"))
                    .unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}")),
                instead: cells[2].clone(),
                except: cells
                    .get(3)
                    .map(|c| c.split(',').map(|k| k.trim().to_string()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    assert!(
        rows.len() >= 20,
        "only {} forbidden variants read",
        rows.len()
    );
    rows
}

/// The cells of a Markdown table row; `\|` is a `|` inside a cell.
fn table_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells.pop(); // after the closing `|`
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let re = Regex::new(r"\{\{\s*(\w+)\s*\}\}").unwrap();
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

fn fail_if(problems: Vec<String>, what: &str) {
    assert!(
        problems.is_empty(),
        "{} {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// serde_json and leptos_i18n both keep the last of two equal keys, so a
/// key added a second time would silently replace its text.
#[test]
fn no_key_is_written_twice() {
    let key = Regex::new(r#"^\s*"([^"]+)"\s*:"#).unwrap();
    let mut problems = Vec::new();
    for lang in LANGS {
        let path = root().join(format!("app/locales/{lang}.json"));
        let mut seen = BTreeSet::new();
        for (n, line) in std::fs::read_to_string(path).unwrap().lines().enumerate() {
            if let Some(c) = key.captures(line) {
                if !seen.insert(c[1].to_string()) {
                    problems.push(format!("{lang}.json:{}: {}", n + 1, &c[1]));
                }
            }
        }
    }
    fail_if(problems, "keys written twice");
}

#[test]
fn glossary_forbids_variants() {
    let rules = forbidden();
    let mut problems = Vec::new();
    for lang in LANGS {
        for (key, text) in catalog(lang) {
            for r in rules.iter().filter(|r| r.lang == lang) {
                if r.pattern.is_match(&text) && !r.except.contains(base(&key)) {
                    problems.push(format!("{lang} {key}: «{text}» — use «{}»", r.instead));
                }
            }
        }
    }
    fail_if(problems, "strings use a variant the glossary forbids");
}

/// The demo data speaks the glossary's words too.
#[test]
fn demo_data_uses_the_glossary() {
    let rules = forbidden();
    let literal = Regex::new(r#""((?:\\.|[^"\\])*)""#).unwrap();
    let kazakh = Regex::new(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]").unwrap();
    let cyrillic = Regex::new(r"\p{Cyrillic}").unwrap();
    let mut problems = Vec::new();
    let mut files = vec![];
    let mut dirs = vec![root().join("server/src/seed")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 5, "seed sources not found");
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for lit in literal.captures_iter(&source) {
            let text = &lit[1];
            if !cyrillic.is_match(text) {
                continue;
            }
            let lang = if kazakh.is_match(text) { "kk" } else { "ru" };
            for r in rules.iter().filter(|r| r.lang == lang) {
                if r.pattern.is_match(text) {
                    problems.push(format!(
                        "{}: «{text}» — use «{}»",
                        file.display(),
                        r.instead
                    ));
                }
            }
        }
    }
    fail_if(problems, "demo texts use a variant the glossary forbids");
}

#[test]
fn nothing_is_glued_to_an_inserted_value() {
    let glued = Regex::new(r"\}\}(?:\p{L}|\d|[-'’]\p{L})").unwrap();
    let mut problems = Vec::new();
    for lang in LANGS {
        for (key, text) in catalog(lang) {
            if glued.is_match(&text) {
                problems.push(format!("{lang} {key}: «{text}»"));
            }
        }
    }
    fail_if(problems, "strings glue a suffix to an inserted value");
}

#[test]
fn no_kazakh_postposition_governs_an_inserted_value() {
    let after = Regex::new(&format!(
        r"\}}\}}[»”]?\s+({})\b",
        CASE_POSTPOSITIONS.join("|")
    ))
    .unwrap();
    let problems: Vec<String> = catalog("kk")
        .into_iter()
        .filter(|(_, text)| after.is_match(text))
        .map(|(key, text)| format!("kk {key}: «{text}»"))
        .collect();
    fail_if(
        problems,
        "Kazakh strings put a case-governing postposition after a value",
    );
}

#[test]
fn counts_are_plural_messages() {
    let number = Regex::new(&format!(
        r"\{{\{{\s*({})\s*\}}\}}\s*([\p{{L}}]+)",
        NUMERIC.join("|")
    ))
    .unwrap();
    let mut problems = Vec::new();
    // Kazakh nouns do not agree with numerals; English and Russian do.
    for lang in ["ru", "en"] {
        for (key, text) in catalog(lang) {
            for c in number.captures_iter(&text) {
                let counted = is_plural(&key) && &c[1] == "count";
                if !counted && !AFTER_NUMBER.contains(&c[2].to_lowercase().as_str()) {
                    problems.push(format!("{lang} {key}: «{text}» ({} {})", &c[1], &c[2]));
                }
            }
        }
    }
    fail_if(problems, "strings show a count outside a plural message");
}

#[test]
fn every_language_inserts_the_same_values() {
    let mut by_lang: Vec<BTreeMap<String, BTreeSet<String>>> = Vec::new();
    for lang in LANGS {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, text) in catalog(lang) {
            m.entry(base(&key).to_string())
                .or_default()
                .extend(placeholders(&text));
        }
        by_lang.push(m);
    }
    let mut problems = Vec::new();
    for (key, kk) in &by_lang[0] {
        for (i, other) in by_lang.iter().enumerate().skip(1) {
            if other.get(key) != Some(kk) {
                problems.push(format!(
                    "{key}: kk {kk:?}, {} {:?}",
                    LANGS[i],
                    other.get(key)
                ));
            }
        }
    }
    fail_if(problems, "messages insert different values per language");
}

/// An email, a text message or a hint that names a screen, menu item or
/// button («Менің брондауларым», “My bookings”) quotes its label exactly, so
/// the reader finds it.
#[test]
fn texts_name_screens_by_their_labels() {
    let quoted = Regex::new(r"[«“](\p{Lu}[\p{L} ]*)[»”]").unwrap();
    let mut problems = Vec::new();
    for lang in LANGS {
        let texts = catalog(lang);
        let labels: BTreeSet<&str> = texts.values().map(String::as_str).collect();
        for (key, text) in &texts {
            for q in quoted.captures_iter(text) {
                if !labels.contains(&q[1]) {
                    problems.push(format!("{lang} {key}: «{}» is no label", &q[1]));
                }
            }
        }
    }
    fail_if(problems, "texts quote a screen name that no screen shows");
}

#[test]
fn the_checks_catch_what_they_should() {
    let glued = Regex::new(r"\}\}(?:\p{L}|\d|[-'’]\p{L})").unwrap();
    assert!(glued.is_match("{{ total }}-ден"));
    assert!(!glued.is_match("{{ total }} күн"));
    let rules = forbidden();
    let kk = |t: &str| {
        rules
            .iter()
            .any(|r| r.lang == "kk" && r.pattern.is_match(t))
    };
    assert!(kk("Бронь болдырылмады"));
    assert!(kk("Менің броньдарым"));
    assert!(!kk("Менің брондауларым"));
    assert!(!kk("Брондалды"));
    let ru = |t: &str| {
        rules
            .iter()
            .any(|r| r.lang == "ru" && r.pattern.is_match(t))
    };
    assert!(ru("Отменить бронь"));
    assert!(!ru("Отменить бронирование"));
    assert!(ru("Кружки"));
}
