//! The space editor as the browser sees it: a space's details (center,
//! kind, names, descriptions), the usual rules of each kind, and the
//! bookings a deactivation would cancel (wasm-safe).

use serde::{Deserialize, Serialize};

use super::dto::{CenterDto, DirectionOption, SpaceDto, SpaceRulesForm};
use crate::domain::space::SpaceKind;
use crate::error::{AppError, Problem};

/// Longest space name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 1000;
/// Longest reason for a deactivation, in characters.
pub const MAX_REASON: usize = 300;

/// A space's details as the director's form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDetailsForm {
    pub center_id: i32,
    /// `SpaceKind::as_str`.
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    #[serde(default)]
    pub description_kk: String,
    #[serde(default)]
    pub description_ru: String,
    #[serde(default)]
    pub description_en: String,
}

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

impl SpaceDetailsForm {
    /// The kind, names and descriptions within their limits (trimmed);
    /// the first bad field is named.
    pub fn validate(&self) -> Result<(SpaceKind, SpaceDetailsForm), AppError> {
        let kind =
            SpaceKind::parse(self.kind.trim()).ok_or_else(|| invalid("kind", Problem::Required))?;
        let clean = SpaceDetailsForm {
            center_id: self.center_id,
            kind: kind.as_str().into(),
            name_kk: self.name_kk.trim().into(),
            name_ru: self.name_ru.trim().into(),
            name_en: self.name_en.trim().into(),
            description_kk: self.description_kk.trim().into(),
            description_ru: self.description_ru.trim().into(),
            description_en: self.description_en.trim().into(),
        };
        for (field, v) in clean.names() {
            if v.is_empty() {
                return Err(invalid(field, Problem::Required));
            }
            if v.chars().count() > MAX_NAME {
                return Err(invalid(field, Problem::TooLong));
            }
        }
        for (field, v) in [
            ("description_kk", &clean.description_kk),
            ("description_ru", &clean.description_ru),
            ("description_en", &clean.description_en),
        ] {
            if v.chars().count() > MAX_DESCRIPTION {
                return Err(invalid(field, Problem::TooLong));
            }
        }
        Ok((kind, clean))
    }

    /// The three names with their field names.
    pub fn names(&self) -> [(&'static str, &str); 3] {
        [
            ("name_kk", self.name_kk.as_str()),
            ("name_ru", self.name_ru.as_str()),
            ("name_en", self.name_en.as_str()),
        ]
    }
}

/// The usual rules of a new space of a kind; the director adjusts them.
pub fn default_rules(kind: SpaceKind) -> SpaceRulesForm {
    let base = SpaceRulesForm {
        capacity: 1,
        max_party: 1,
        slot_minutes: 60,
        min_minutes: 60,
        max_minutes: 180,
        buffer_minutes: 0,
        min_notice_minutes: 60,
        max_advance_days: 14,
        cancel_notice_minutes: 120,
        min_age: 0,
        checkin_open_minutes: 15,
        no_show_minutes: 15,
        requires_approval: false,
        requires_induction: false,
        direction: String::new(),
    };
    match kind {
        SpaceKind::Coworking => SpaceRulesForm {
            capacity: 20,
            max_party: 4,
            max_minutes: 480,
            min_notice_minutes: 0,
            cancel_notice_minutes: 30,
            ..base
        },
        SpaceKind::PodcastStudio | SpaceKind::PhotoStudio | SpaceKind::DesignStudio => {
            SpaceRulesForm {
                capacity: 4,
                max_party: 4,
                buffer_minutes: 15,
                ..base
            }
        }
        SpaceKind::SoundStudio => SpaceRulesForm {
            capacity: 4,
            max_party: 4,
            buffer_minutes: 15,
            requires_induction: true,
            ..base
        },
        SpaceKind::LectureHall => SpaceRulesForm {
            capacity: 60,
            max_party: 60,
            max_minutes: 240,
            min_notice_minutes: 1440,
            max_advance_days: 60,
            cancel_notice_minutes: 1440,
            requires_approval: true,
            ..base
        },
        SpaceKind::MeetingRoom => SpaceRulesForm {
            capacity: 10,
            max_party: 10,
            slot_minutes: 30,
            min_minutes: 30,
            max_minutes: 120,
            ..base
        },
        SpaceKind::SportsHall => SpaceRulesForm {
            capacity: 30,
            max_party: 30,
            max_minutes: 120,
            buffer_minutes: 15,
            requires_approval: true,
            ..base
        },
        SpaceKind::Other => SpaceRulesForm {
            capacity: 10,
            max_party: 10,
            ..base
        },
    }
}

/// A future booking a deactivation would cancel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedBookingDto {
    pub id: i32,
    /// `Tue 08.12, 14:00–15:00`, in the center's time zone.
    pub when: String,
    pub member: String,
    /// Awaiting approval (else confirmed).
    pub pending: bool,
}

/// Everything the new-space and space editor pages show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpaceEditorDto {
    /// None on the new-space page.
    pub space: Option<SpaceDto>,
    /// Active centers the user manages (where a space may be or move).
    pub centers: Vec<CenterDto>,
    pub details: SpaceDetailsForm,
    pub rules: SpaceRulesForm,
    pub directions: Vec<DirectionOption>,
    /// Future bookings that hold the space.
    pub affected: Vec<AffectedBookingDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_starts_with_valid_rules() {
        for k in SpaceKind::ALL {
            assert_eq!(default_rules(k).validate(k.is_pool()), Ok(()), "{k:?}");
        }
    }

    #[test]
    fn details_name_their_bad_field() {
        let f = SpaceDetailsForm {
            center_id: 1,
            kind: "podcast_studio".into(),
            name_kk: " Подкаст ".into(),
            name_ru: "Подкаст".into(),
            name_en: "".into(),
            ..Default::default()
        };
        assert!(
            matches!(f.validate(), Err(AppError::Invalid { field, problem: Problem::Required }) if field == "name_en")
        );
        let ok = SpaceDetailsForm {
            name_en: "Podcast".into(),
            ..f.clone()
        };
        assert_eq!(ok.validate().unwrap().1.name_kk, "Подкаст");
        let long = SpaceDetailsForm {
            description_ru: "я".repeat(MAX_DESCRIPTION + 1),
            ..ok.clone()
        };
        assert!(
            matches!(long.validate(), Err(AppError::Invalid { field, problem: Problem::TooLong }) if field == "description_ru")
        );
        let kind = SpaceDetailsForm {
            kind: "garage".into(),
            ..ok
        };
        assert!(matches!(kind.validate(), Err(AppError::Invalid { field, .. }) if field == "kind"));
    }
}
