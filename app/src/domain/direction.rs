//! The direction (field of youth policy) a club, program, event or space
//! serves. Directors report participants by direction to the akimat, so
//! every activity carries one.

use crate::domain::codes::stored;
use serde::{Deserialize, Serialize};

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Direction {
        Media,
        Culture,
        Ecology,
        LawAndOrder,
        Volunteering,
        Sport,
        It,
        Entrepreneurship,
    }
}

impl Direction {
    pub const ALL: [Direction; 8] = [
        Direction::Media,
        Direction::Culture,
        Direction::Ecology,
        Direction::LawAndOrder,
        Direction::Volunteering,
        Direction::Sport,
        Direction::It,
        Direction::Entrepreneurship,
    ];

    /// The value stored in the database and sent in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Media => "media",
            Direction::Culture => "culture",
            Direction::Ecology => "ecology",
            Direction::LawAndOrder => "law_and_order",
            Direction::Volunteering => "volunteering",
            Direction::Sport => "sport",
            Direction::It => "it",
            Direction::Entrepreneurship => "entrepreneurship",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Locale;

    #[test]
    fn stored_names_round_trip_and_unknown_is_refused() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Some(d));
        }
        assert_eq!(Direction::parse("politics"), None);
    }

    #[test]
    fn every_direction_has_a_label_in_every_language() {
        for l in Locale::ALL {
            let labels: std::collections::HashSet<_> =
                Direction::ALL.iter().map(|d| d.label(l)).collect();
            assert_eq!(labels.len(), Direction::ALL.len(), "{l:?}");
        }
    }
}
