//! Self-registration: the form, its choices and its validation (pure, so the
//! same rules can run in the browser and on the server).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::login::LoginId;
use crate::domain::membership::{self, Eligibility, IinError};
use crate::domain::people::{Education, Occupation, Settlement};
use crate::error::{AppError, Problem};
use crate::i18n::Locale;

pub const MIN_PASSWORD_LEN: usize = 8;

/// What the registration form posts (`form[field]` names). Empty optional
/// inputs arrive as empty strings and count as absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub full_name: String,
    /// `YYYY-MM-DD` from a date input.
    pub birth_date: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub password: String,
    pub lang: String,
    pub home_center_id: String,
    pub settlement: String,
    pub occupation: String,
    pub education: String,
    #[serde(default)]
    pub iin: Option<String>,
    #[serde(default)]
    pub guardian_name: Option<String>,
    #[serde(default)]
    pub guardian_phone: Option<String>,
    /// Optional: the consent code is emailed here as well.
    #[serde(default)]
    pub guardian_email: Option<String>,
}

/// A registration that passed every rule that needs no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMember {
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub password: String,
    pub lang: Locale,
    pub home_center_id: i32,
    pub settlement: Settlement,
    pub occupation: Occupation,
    pub education: Education,
    pub iin: Option<String>,
    /// Guardian (name, normalised phone) for members aged 14–17.
    pub guardian: Option<(String, String)>,
    /// The guardian's normalised email address, if given (minors only).
    pub guardian_email: Option<String>,
    pub eligibility: Eligibility,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

fn parse_phone(field: &str, raw: &str) -> Result<String, AppError> {
    match LoginId::parse(raw) {
        Some(LoginId::Phone(p)) => Ok(p),
        _ => Err(invalid(field, Problem::Phone)),
    }
}

/// An optional email input: absent when empty, else normalised like the
/// member's own address, or refused.
fn parse_email(field: &str, raw: &Option<String>) -> Result<Option<String>, AppError> {
    match present(raw) {
        Some(e) => match LoginId::parse(e) {
            Some(LoginId::Email(e)) => Ok(Some(e)),
            _ => Err(invalid(field, Problem::Email)),
        },
        None => Ok(None),
    }
}

/// Check the form against the membership rules as of `today` (the center's
/// local date). Returns the first problem, field by field in form order.
pub fn validate(f: &RegisterForm, today: NaiveDate) -> Result<NewMember, AppError> {
    let full_name = f.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.chars().count() < 2 {
        return Err(invalid("full_name", Problem::Required));
    }
    if full_name.chars().count() > 120 {
        return Err(invalid("full_name", Problem::TooLong));
    }
    let birth_date = NaiveDate::parse_from_str(f.birth_date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d <= today)
        .ok_or_else(|| invalid("birth_date", Problem::Date))?;
    let eligibility = membership::eligibility(birth_date, today);
    match eligibility {
        Eligibility::TooYoung => return Err(AppError::TooYoung),
        Eligibility::TooOld => return Err(AppError::TooOld),
        _ => {}
    }
    let phone = present(&f.phone)
        .map(|p| parse_phone("phone", p))
        .transpose()?;
    let email = parse_email("email", &f.email)?;
    if phone.is_none() && email.is_none() {
        return Err(invalid("phone", Problem::PhoneOrEmail));
    }
    if f.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(invalid("password", Problem::PasswordTooShort));
    }
    let lang = Locale::parse(&f.lang).ok_or_else(|| invalid("lang", Problem::Required))?;
    let home_center_id = f
        .home_center_id
        .trim()
        .parse::<i32>()
        .map_err(|_| invalid("home_center_id", Problem::Required))?;
    let settlement =
        Settlement::parse(&f.settlement).ok_or_else(|| invalid("settlement", Problem::Required))?;
    let occupation =
        Occupation::parse(&f.occupation).ok_or_else(|| invalid("occupation", Problem::Required))?;
    let education =
        Education::parse(&f.education).ok_or_else(|| invalid("education", Problem::Required))?;
    let iin = match present(&f.iin) {
        Some(raw) => Some(membership::check_iin(raw, birth_date).map_err(|e| {
            invalid(
                "iin",
                match e {
                    IinError::Format => Problem::IinFormat,
                    IinError::Checksum | IinError::BadDate => Problem::IinChecksum,
                    IinError::BirthDateMismatch => Problem::IinBirthDate,
                },
            )
        })?),
        None => None,
    };
    let own_email = email.clone();
    let own_phone = phone.clone();
    let phone_is_own = |p: &String| own_phone.as_ref() == Some(p);
    let (guardian, guardian_email) = if eligibility == Eligibility::MinorNeedsConsent {
        let name = present(&f.guardian_name)
            .ok_or_else(|| invalid("guardian_name", Problem::GuardianRequired))?;
        let ph = present(&f.guardian_phone)
            .ok_or_else(|| invalid("guardian_phone", Problem::GuardianRequired))?;
        let phone = parse_phone("guardian_phone", ph)?;
        let email = parse_email("guardian_email", &f.guardian_email)?;
        // The guardian's contact must be the guardian's, not the minor's own.
        if phone_is_own(&phone) {
            return Err(invalid("guardian_phone", Problem::GuardianIsMember));
        }
        if email.is_some() && email == own_email {
            return Err(invalid("guardian_email", Problem::GuardianIsMember));
        }
        (Some((name.to_string(), phone)), email)
    } else {
        (None, None)
    };
    Ok(NewMember {
        full_name,
        birth_date,
        phone,
        email,
        password: f.password.clone(),
        lang,
        home_center_id,
        settlement,
        occupation,
        education,
        iin,
        guardian,
        guardian_email,
        eligibility,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn adult() -> RegisterForm {
        RegisterForm {
            full_name: "  Айбат   Жанахов ".into(),
            birth_date: "2001-04-12".into(),
            phone: Some("8 701 555 12 34".into()),
            email: Some(String::new()),
            password: "dombra-2026".into(),
            lang: "kk".into(),
            home_center_id: "1".into(),
            settlement: "rural".into(),
            occupation: "student".into(),
            education: "secondary".into(),
            iin: Some(String::new()),
            guardian_name: Some(String::new()),
            guardian_phone: None,
            guardian_email: None,
        }
    }

    #[test]
    fn valid_adult_is_normalised() {
        let m = validate(&adult(), today()).unwrap();
        assert_eq!(m.full_name, "Айбат Жанахов");
        assert_eq!(m.phone.as_deref(), Some("+77015551234"));
        assert_eq!(m.email, None);
        assert_eq!(m.iin, None);
        assert_eq!(m.guardian, None);
        assert_eq!(m.eligibility, Eligibility::Adult);
        assert_eq!(m.settlement, Settlement::Rural);
    }

    #[test]
    fn age_limits_are_clear_refusals() {
        let mut f = adult();
        f.birth_date = "2012-12-02".into(); // 13, turns 14 tomorrow
        assert_eq!(validate(&f, today()), Err(AppError::TooYoung));
        f.birth_date = "1990-12-01".into(); // 36 today
        assert_eq!(validate(&f, today()), Err(AppError::TooOld));
        f.birth_date = "2030-01-01".into();
        assert!(
            matches!(validate(&f, today()), Err(AppError::Invalid { field, .. }) if field == "birth_date")
        );
    }

    #[test]
    fn minors_need_a_guardian() {
        let mut f = adult();
        f.birth_date = "2011-05-05".into(); // 15
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid { field, problem: Problem::GuardianRequired }) if field == "guardian_name"
        ));
        f.guardian_name = Some("Гүлмира Жанахова".into());
        f.guardian_phone = Some("+7 777 123 45 67".into());
        let m = validate(&f, today()).unwrap();
        assert_eq!(
            m.guardian,
            Some(("Гүлмира Жанахова".into(), "+77771234567".into()))
        );
        assert_eq!(m.eligibility, Eligibility::MinorNeedsConsent);
        assert_eq!(m.guardian_email, None);
    }

    #[test]
    fn guardian_email_is_optional_checked_and_normalised() {
        let mut f = adult();
        f.birth_date = "2011-05-05".into(); // 15
        f.guardian_name = Some("Гүлмира Жанахова".into());
        f.guardian_phone = Some("+7 777 123 45 67".into());
        f.guardian_email = Some("   ".into());
        assert_eq!(validate(&f, today()).unwrap().guardian_email, None);
        f.guardian_email = Some("gulmira-at-mail.kz".into());
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid { field, problem: Problem::Email }) if field == "guardian_email"
        ));
        f.guardian_email = Some(" Gulmira@Mail.KZ ".into());
        let m = validate(&f, today()).unwrap();
        assert_eq!(m.guardian_email.as_deref(), Some("gulmira@mail.kz"));
        // An email does not replace the phone: the phone stays required.
        f.guardian_phone = None;
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid { field, problem: Problem::GuardianRequired }) if field == "guardian_phone"
        ));
    }

    #[test]
    fn the_guardians_contact_is_not_the_minors_own() {
        let mut f = adult();
        f.birth_date = "2011-05-05".into(); // 15
        f.email = Some("aruzhan@mail.kz".into());
        f.guardian_name = Some("Гүлмира Жанахова".into());
        // Her own phone, written another way.
        f.guardian_phone = Some("87015551234".into());
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid { field, problem: Problem::GuardianIsMember }) if field == "guardian_phone"
        ));
        f.guardian_phone = Some("+7 777 123 45 67".into());
        f.guardian_email = Some("Aruzhan@Mail.kz".into());
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid { field, problem: Problem::GuardianIsMember }) if field == "guardian_email"
        ));
        f.guardian_email = Some("gulmira@mail.kz".into());
        assert!(validate(&f, today()).is_ok());
    }

    #[test]
    fn adults_guardian_email_is_ignored() {
        // Adults have no guardian: whatever the hidden fields hold is dropped.
        let mut f = adult();
        f.guardian_email = Some("someone@mail.kz".into());
        assert_eq!(validate(&f, today()).unwrap().guardian_email, None);
    }

    #[test]
    fn contact_password_and_choices() {
        let mut f = adult();
        f.phone = None;
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid {
                problem: Problem::PhoneOrEmail,
                ..
            })
        ));
        f.email = Some("not-an-email".into());
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid {
                problem: Problem::Email,
                ..
            })
        ));
        f.email = Some("aibat@mail.kz".into());
        f.password = "short".into();
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid {
                problem: Problem::PasswordTooShort,
                ..
            })
        ));
        f.password = "long enough".into();
        f.occupation = "astronaut".into();
        assert!(
            matches!(validate(&f, today()), Err(AppError::Invalid { field, .. }) if field == "occupation")
        );
    }

    #[test]
    fn iin_must_agree_with_birth_date() {
        let mut f = adult();
        // 12 April 2001, century digit 5; check digit computed by hand below.
        let first11 = "01041250123";
        let d: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        let mut c = (0..11).map(|i| d[i] * (i as u32 + 1)).sum::<u32>() % 11;
        if c == 10 {
            let w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
            c = (0..11).map(|i| d[i] * w[i]).sum::<u32>() % 11;
        }
        f.iin = Some(format!("{first11}{c}"));
        assert_eq!(
            validate(&f, today()).unwrap().iin,
            Some(format!("{first11}{c}"))
        );
        f.birth_date = "2001-04-13".into();
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid {
                problem: Problem::IinBirthDate,
                ..
            })
        ));
        f.iin = Some("123".into());
        assert!(matches!(
            validate(&f, today()),
            Err(AppError::Invalid {
                problem: Problem::IinFormat,
                ..
            })
        ));
    }
}
