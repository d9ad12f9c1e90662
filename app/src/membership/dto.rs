use serde::{Deserialize, Serialize};

use crate::domain::people::Role;
use crate::i18n::Locale;

/// The signed-in user as the browser sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub first_name: String,
    pub role: Role,
    pub home_center_id: Option<i32>,
    pub lang: Locale,
    /// A member aged 14–17 whose guardian's consent is not on record yet.
    pub needs_consent: bool,
}

/// A minor's guardian consent, as the desk sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentState {
    /// 18 or older.
    NotNeeded,
    Awaiting,
    Given,
}

impl ConsentState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::NotNeeded => "not_needed",
            ConsentState::Awaiting => "awaiting",
            ConsentState::Given => "given",
        }
    }

    pub fn msg(self) -> crate::i18n::Msg {
        match self {
            ConsentState::NotNeeded => crate::i18n::Msg::ConsentNotNeeded,
            ConsentState::Awaiting => crate::i18n::Msg::ConsentAwaiting,
            ConsentState::Given => crate::i18n::Msg::ConsentGiven,
        }
    }
}

/// One row of the desk's member list: no birth date, no IIN, no contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRowDto {
    pub person_id: i32,
    /// First name and last initial.
    pub name: String,
    pub age_band: crate::domain::membership::AgeBand,
    pub consent: ConsentState,
    pub guardian_name: Option<String>,
    /// The member's home center (where the desk books for them).
    pub home_center_id: Option<i32>,
    /// Spaces whose induction the member has passed.
    pub inductions: Vec<i32>,
    /// Unpardoned no-shows of the last 30 days.
    pub no_shows: u32,
    /// Booking blocked by strikes until (center-local), if so.
    pub blocked_until: Option<String>,
}

/// A login identifier: an email address or a Kazakhstan mobile number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginId {
    Email(String),
    /// Normalised as `+7XXXXXXXXXX`.
    Phone(String),
}

impl LoginId {
    /// Accepts `Name@Example.kz` (lower-cased) or phone numbers written as
    /// `+7 701 000 00 01`, `8 (701) 000-00-01` or `87010000001`.
    pub fn parse(raw: &str) -> Option<LoginId> {
        let s = raw.trim();
        if s.contains('@') {
            let lower = s.to_lowercase();
            let (local, domain) = lower.split_once('@')?;
            if local.is_empty()
                || !domain.contains('.')
                || domain.starts_with('.')
                || lower.contains(char::is_whitespace)
            {
                return None;
            }
            return Some(LoginId::Email(lower));
        }
        if !s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            return None;
        }
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        let national = match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            10 => &digits[..],
            _ => return None,
        };
        // Kazakhstan numbers: mobile (7xx) and landline (7xx area codes too).
        if !national.starts_with('7') {
            return None;
        }
        Some(LoginId::Phone(format!("+7{national}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_and_email_normalisation() {
        let want = Some(LoginId::Phone("+77010000001".into()));
        assert_eq!(LoginId::parse("+7 701 000 00 01"), want);
        assert_eq!(LoginId::parse("8 (701) 000-00-01"), want);
        assert_eq!(LoginId::parse("87010000001"), want);
        assert_eq!(LoginId::parse("7010000001"), want);
        assert_eq!(LoginId::parse("+1 202 555 0100"), None);
        assert_eq!(LoginId::parse("12345"), None);
        assert_eq!(
            LoginId::parse(" Aruzhan@Demo.Ortalyq.KZ "),
            Some(LoginId::Email("aruzhan@demo.ortalyq.kz".into()))
        );
        assert_eq!(LoginId::parse("a@b"), None);
        assert_eq!(LoginId::parse(""), None);
    }
}

/// The member's card as shown on the phone and printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardDto {
    pub member_number: String,
    pub full_name: String,
    pub home_center: String,
    /// `dd.mm.yyyy`, center-local.
    pub valid_until: String,
    pub qr_svg: String,
    pub code: String,
}

/// A staff account as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRowDto {
    pub account_id: i32,
    pub full_name: String,
    pub login: String,
    pub role: Role,
    pub centers: Vec<String>,
}

/// The admin's form for a new account (`form[field]` names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// `visitor`, `mentor`, `front_desk`, `director` or `admin`.
    pub role: String,
    /// Center ids; the first is the home center.
    pub centers: Vec<String>,
    /// `YYYY-MM-DD`, optional for staff.
    pub birth_date: String,
    /// Required when the person is outside ages 14–35.
    pub override_reason: String,
}
