//! Audit log DTOs (wasm-safe).

use serde::{Deserialize, Serialize};

pub use crate::domain::codes::AuditKind;

/// Filters of the audit page (all optional; dates are `YYYY-MM-DD`, local).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub center: Option<i32>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    /// 1-based page number.
    #[serde(default)]
    pub page: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRowDto {
    pub id: i32,
    /// Local `dd.mm.yyyy HH:MM`.
    pub at: String,
    pub actor: String,
    pub center: Option<String>,
    pub kind: String,
    pub kind_label: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPageDto {
    pub rows: Vec<AuditRowDto>,
    /// Rows matching the filters (all pages).
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// The effective filters (defaults filled in).
    pub from: String,
    pub to: String,
    pub center: Option<i32>,
    pub kind: Option<String>,
    /// Centers the caller may filter by.
    pub centers: Vec<(i32, String)>,
}

/// Rows per page.
pub const PAGE_SIZE: u64 = 50;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn kinds_round_trip_and_have_labels_in_every_language() {
        for k in AuditKind::ALL {
            assert_eq!(AuditKind::parse(k.as_str()), Some(k));
            for l in Locale::ALL {
                assert!(!k.label(l).is_empty());
            }
        }
        assert_eq!(AuditKind::parse("dropped_tables"), None);
        let mut codes: Vec<_> = AuditKind::ALL.iter().map(|k| k.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), AuditKind::ALL.len());
    }
}
