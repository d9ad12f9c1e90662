//! How people sign in: a Kazakhstan mobile number or an email address,
//! normalised so one person has one login.

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
