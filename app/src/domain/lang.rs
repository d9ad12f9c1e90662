//! The interface languages, as data: which ones exist and how a request
//! names them. Their texts live in `crate::i18n`.

use crate::domain::codes::stored;
use serde::{Deserialize, Serialize};

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
    pub enum Locale {
        #[default]
        Kk,
        Ru,
        En,
    }
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Kk, Locale::Ru, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Kk => "kk",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().get(..2)? {
            "kk" | "kz" => Some(Locale::Kk),
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Pick the first supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut langs: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        langs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        langs.into_iter().find_map(|(_, tag)| Locale::parse(tag))
    }
}
