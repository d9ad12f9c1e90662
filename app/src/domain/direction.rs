//! The direction (field of youth policy) a club, program, event or space
//! serves. Directors report participants by direction to the akimat, so
//! every activity carries one. The list is the region's data (table
//! `directions`, names in kk/ru/en); here is only the code's shape.

use serde::{Deserialize, Serialize};

/// A direction's code, e.g. `ecology`: 2–40 characters of `a-z`, `0-9` and
/// `_`, starting with a letter. Whether it exists is the database's answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
pub struct Direction(String);

impl Direction {
    /// The longest code accepted.
    pub const MAX_LEN: usize = 40;

    /// The value stored in the database and sent in forms.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A code written in source (seeds, tests). Panics if malformed.
    pub fn of(code: &'static str) -> Direction {
        Direction::parse(code).unwrap_or_else(|| panic!("malformed direction code {code}"))
    }

    /// A well-formed code, or none.
    pub fn parse(s: &str) -> Option<Direction> {
        let ok = (2..=Self::MAX_LEN).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        ok.then(|| Direction(s.to_string()))
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_lowercase_words() {
        for ok in ["it", "ecology", "law_and_order", "media2"] {
            assert_eq!(
                Direction::parse(ok).map(|d| d.as_str().to_string()),
                Some(ok.into())
            );
        }
        for bad in [
            "",
            "a",
            "Ecology",
            "2d",
            "eco logy",
            "экология",
            "a;drop",
            &"x".repeat(41),
        ] {
            assert_eq!(Direction::parse(bad), None, "{bad}");
        }
    }
}
