//! Mentor consultations: the fields mentors work in, and who may see whose
//! consultation. Psychology is private: only the member and the consultant
//! see who booked and why; staff see counts.

use crate::domain::codes::stored;
use serde::{Deserialize, Serialize};

use crate::domain::lang::Locale;
use crate::domain::people::Role;

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Field {
        It,
        Media,
        Business,
        Sport,
        Art,
        Politics,
        Psychology,
    }
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::It,
        Field::Media,
        Field::Business,
        Field::Sport,
        Field::Art,
        Field::Politics,
        Field::Psychology,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::It => "it",
            Field::Media => "media",
            Field::Business => "business",
            Field::Sport => "sport",
            Field::Art => "art",
            Field::Politics => "politics",
            Field::Psychology => "psychology",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Consultations whose booker and topic only the two people involved see.
    pub fn is_private(self) -> bool {
        matches!(self, Field::Psychology)
    }
}

/// The languages of a mentor, stored as `kk,ru`.
pub fn parse_languages(s: &str) -> Vec<Locale> {
    let mut out = Vec::new();
    for part in s.split(',') {
        if let Some(l) = Locale::parse(part) {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    out
}

/// Who is looking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub person_id: i32,
    pub role: Role,
    /// Staff whose centers include the mentor's center.
    pub covers_center: bool,
}

/// The consultation being looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsultationFacts {
    pub field: Field,
    pub mentor_person_id: i32,
    pub booker_person_id: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Who booked, and the topic.
    Full,
    /// Only that it exists, as a number in a count.
    CountOnly,
    /// Nothing.
    None,
}

/// What `viewer` may learn about a consultation.
pub fn can_see(viewer: Viewer, c: ConsultationFacts) -> Visibility {
    if c.booker_person_id == Some(viewer.person_id) || c.mentor_person_id == viewer.person_id {
        return Visibility::Full;
    }
    match viewer.role {
        Role::Director | Role::Admin if viewer.covers_center => {
            if c.field.is_private() {
                Visibility::CountOnly
            } else {
                Visibility::Full
            }
        }
        Role::FrontDesk if viewer.covers_center => Visibility::CountOnly,
        _ => Visibility::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MENTOR: i32 = 10;
    const BOOKER: i32 = 20;

    fn facts(field: Field) -> ConsultationFacts {
        ConsultationFacts {
            field,
            mentor_person_id: MENTOR,
            booker_person_id: Some(BOOKER),
        }
    }

    fn v(person_id: i32, role: Role, covers_center: bool) -> Viewer {
        Viewer {
            person_id,
            role,
            covers_center,
        }
    }

    #[test]
    fn psychology_is_seen_by_the_two_people_only() {
        let c = facts(Field::Psychology);
        assert_eq!(
            can_see(v(BOOKER, Role::Visitor, false), c),
            Visibility::Full
        );
        assert_eq!(can_see(v(MENTOR, Role::Mentor, false), c), Visibility::Full);
        assert_eq!(can_see(v(30, Role::Visitor, false), c), Visibility::None);
        assert_eq!(can_see(v(31, Role::Mentor, false), c), Visibility::None);
        assert_eq!(
            can_see(v(32, Role::FrontDesk, true), c),
            Visibility::CountOnly
        );
        assert_eq!(
            can_see(v(33, Role::Director, true), c),
            Visibility::CountOnly
        );
        assert_eq!(can_see(v(34, Role::Admin, true), c), Visibility::CountOnly);
        assert_eq!(can_see(v(35, Role::Director, false), c), Visibility::None);
    }

    #[test]
    fn directors_see_names_in_other_fields() {
        let c = facts(Field::It);
        assert_eq!(can_see(v(33, Role::Director, true), c), Visibility::Full);
        assert_eq!(can_see(v(34, Role::Admin, true), c), Visibility::Full);
        assert_eq!(
            can_see(v(32, Role::FrontDesk, true), c),
            Visibility::CountOnly
        );
        assert_eq!(can_see(v(30, Role::Visitor, false), c), Visibility::None);
    }

    #[test]
    fn languages_parse_and_dedupe() {
        assert_eq!(
            parse_languages("kk, ru,kk,xx"),
            vec![Locale::Kk, Locale::Ru]
        );
        assert!(parse_languages("").is_empty());
    }
}
