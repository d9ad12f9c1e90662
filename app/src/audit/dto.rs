//! Audit log DTOs (wasm-safe).

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};

/// What kind of action a log row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditKind {
    /// A pass was admitted at the door (scan or offline upload).
    CheckIn,
    /// Staff undid a mistaken admission.
    CheckInUndone,
    /// An admin created a staff (or exceptional member) account with a role.
    AccountCreated,
    /// Staff recorded a guardian's paper consent.
    ConsentRecorded,
    /// Staff issued a password reset code after checking identity.
    ResetCodeIssued,
    /// Staff recorded or withdrew an induction.
    InductionSet,
    /// Staff pardoned a member's no-shows.
    NoShowsPardoned,
    ClosureAdded,
    ClosureRemoved,
    /// A director changed a space's booking rules.
    SpaceRulesChanged,
    /// A director changed a center's opening hours or quotas.
    CenterSettingsChanged,
    /// A booking request was approved or denied.
    RequestDecided,
    /// A regional admin created an API token for an integration.
    ApiTokenCreated,
    /// A regional admin revoked an API token.
    ApiTokenRevoked,
}

impl AuditKind {
    pub const ALL: [AuditKind; 14] = [
        AuditKind::CheckIn,
        AuditKind::CheckInUndone,
        AuditKind::AccountCreated,
        AuditKind::ConsentRecorded,
        AuditKind::ResetCodeIssued,
        AuditKind::InductionSet,
        AuditKind::NoShowsPardoned,
        AuditKind::ClosureAdded,
        AuditKind::ClosureRemoved,
        AuditKind::SpaceRulesChanged,
        AuditKind::CenterSettingsChanged,
        AuditKind::RequestDecided,
        AuditKind::ApiTokenCreated,
        AuditKind::ApiTokenRevoked,
    ];

    /// The code stored in `audit_log.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::CheckIn => "check_in",
            AuditKind::CheckInUndone => "check_in_undone",
            AuditKind::AccountCreated => "account_created",
            AuditKind::ConsentRecorded => "consent_recorded",
            AuditKind::ResetCodeIssued => "reset_code_issued",
            AuditKind::InductionSet => "induction_set",
            AuditKind::NoShowsPardoned => "no_shows_pardoned",
            AuditKind::ClosureAdded => "closure_added",
            AuditKind::ClosureRemoved => "closure_removed",
            AuditKind::SpaceRulesChanged => "space_rules_changed",
            AuditKind::CenterSettingsChanged => "center_settings_changed",
            AuditKind::RequestDecided => "request_decided",
            AuditKind::ApiTokenCreated => "api_token_created",
            AuditKind::ApiTokenRevoked => "api_token_revoked",
        }
    }

    pub fn parse(s: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match self {
            AuditKind::CheckIn => Msg::AuditCheckIn,
            AuditKind::CheckInUndone => Msg::AuditCheckInUndone,
            AuditKind::AccountCreated => Msg::AuditAccountCreated,
            AuditKind::ConsentRecorded => Msg::AuditConsentRecorded,
            AuditKind::ResetCodeIssued => Msg::AuditResetCodeIssued,
            AuditKind::InductionSet => Msg::AuditInductionSet,
            AuditKind::NoShowsPardoned => Msg::AuditNoShowsPardoned,
            AuditKind::ClosureAdded => Msg::AuditClosureAdded,
            AuditKind::ClosureRemoved => Msg::AuditClosureRemoved,
            AuditKind::SpaceRulesChanged => Msg::AuditSpaceRulesChanged,
            AuditKind::CenterSettingsChanged => Msg::AuditCenterSettingsChanged,
            AuditKind::RequestDecided => Msg::AuditRequestDecided,
            AuditKind::ApiTokenCreated => Msg::AuditApiTokenCreated,
            AuditKind::ApiTokenRevoked => Msg::AuditApiTokenRevoked,
        }
        .text(l)
    }
}

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
