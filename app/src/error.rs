//! The one error type every server fn returns: a machine code the UI and tests
//! match on, plus a localized message. Internal details are logged on the
//! server and never sent to the client.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg, RuleText};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("not_authenticated")]
    NotAuthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid_credentials")]
    InvalidCredentials,
    #[error("not_found")]
    NotFound,
    /// A named input field is missing or invalid.
    #[error("invalid_input: {0}")]
    InvalidInput(String),
    #[error("slot_full")]
    SlotFull,
    #[error("slot_in_past")]
    SlotInPast,
    #[error("slot_not_offered")]
    SlotNotOffered,
    /// Party size below 1 or above what one booking may bring.
    #[error("bad_party_size")]
    BadPartySize { max: u32 },
    /// Starts sooner than the space's minimum notice.
    #[error("too_soon")]
    TooSoon { notice_minutes: u32 },
    /// Starts past the space's advance booking window.
    #[error("too_far_ahead")]
    TooFarAhead { days: u32 },
    /// A booking length the space does not allow.
    #[error("bad_duration")]
    BadDuration { min: u32, max: u32, step: u32 },
    /// The member is younger than the space's minimum age.
    #[error("below_min_age")]
    BelowMinAge { min_age: u32 },
    /// The member is older than a club's age range.
    #[error("above_max_age")]
    AboveMaxAge { max_age: u32 },
    /// A club or event would collide with bookings, another club or an
    /// event in its room on these dates (`02.12.2026, 09.12.2026`).
    #[error("space_taken")]
    SpaceTaken { dates: String },
    /// The space needs an induction the member has not had.
    #[error("induction_required")]
    InductionRequired,
    /// Another staff member approved or denied the request first.
    #[error("already_decided")]
    AlreadyDecided,
    /// Repeated no-shows: the member may book again after `until`
    /// (center-local `01.12.2026 15:00`).
    #[error("no_show_blocked")]
    NoShowBlocked { until: String },
    /// Cancelled, denied, checked in or over: the booking cannot change.
    #[error("booking_closed")]
    BookingClosed,
    /// A form field failed validation.
    #[error("invalid: {field}")]
    Invalid { field: String, problem: Problem },
    /// Younger than 14 on the day of registration.
    #[error("too_young")]
    TooYoung,
    /// Older than 35 on the day of registration.
    #[error("too_old")]
    TooOld,
    /// The phone, email or IIN already belongs to an account (whose is not said).
    #[error("already_registered")]
    AlreadyRegistered,
    /// Right password, but the registration's phone or email is not
    /// confirmed yet (the code sent to it was never entered).
    #[error("contact_unconfirmed")]
    ContactUnconfirmed,
    /// A member aged 14–17 has no guardian consent on record yet.
    #[error("consent_required")]
    ConsentRequired,
    /// A fair-share quota is used up. `studio_hours` names the weekly studio
    /// rule (with its hours); otherwise the upcoming-bookings rule (`limit`).
    /// `retry_at` is center-local (`Tue 01.12, 15:00`).
    #[error("quota_exceeded")]
    QuotaExceeded {
        studio_hours: Option<u32>,
        limit: u32,
        retry_at: String,
    },
    /// The cancellation deadline of the space has passed.
    #[error("too_late_to_cancel")]
    TooLateToCancel { notice_minutes: u32 },
    /// Too many failed sign-ins; try again after the given minutes.
    #[error("rate_limited")]
    RateLimited { retry_after_minutes: u32 },
    /// The applicant fails some of a program's eligibility rules (every one
    /// is listed).
    #[error("ineligible")]
    Ineligible {
        reasons: Vec<crate::domain::eligibility::Ineligible>,
    },
    /// Every place in the program's cohort is taken.
    #[error("cohort_full")]
    CohortFull,
    /// The member already has a live application to this program.
    #[error("already_applied")]
    AlreadyApplied,
    /// The program takes no more applications.
    #[error("applications_closed")]
    ApplicationsClosed,
    /// Attendance is only marked once a session has started.
    #[error("session_not_held")]
    SessionNotHeld,
    /// Certificates are issued once the program's last session has started.
    #[error("program_not_over")]
    ProgramNotOver,
    /// The member has overdue equipment (named) and may not borrow more.
    #[error("overdue_items")]
    OverdueItems { items: String },
    /// The item is reserved, out, damaged or withdrawn.
    #[error("item_unavailable")]
    ItemUnavailable,
    /// The item needs the induction of a space (named) first.
    #[error("item_induction_required")]
    ItemInductionRequired { space: String },
    /// Someone else booked this consultation time first.
    #[error("consultation_taken")]
    ConsultationTaken,
    /// The scanned or typed code is not a valid member pass.
    #[error("invalid_pass")]
    InvalidPass,
    /// Something failed on the server; details are in the server log only.
    #[error("internal")]
    Internal,
    /// The request never reached the server function or its answer could not
    /// be read (network, serialization).
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotAuthenticated => "not_authenticated",
            AppError::Forbidden => "forbidden",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::NotFound => "not_found",
            AppError::InvalidInput(_) => "invalid_input",
            AppError::SlotFull => "slot_full",
            AppError::SlotInPast => "slot_in_past",
            AppError::SlotNotOffered => "slot_not_offered",
            AppError::BadPartySize { .. } => "bad_party_size",
            AppError::TooSoon { .. } => "too_soon",
            AppError::TooFarAhead { .. } => "too_far_ahead",
            AppError::BadDuration { .. } => "bad_duration",
            AppError::BelowMinAge { .. } => "below_min_age",
            AppError::InductionRequired => "induction_required",
            AppError::AboveMaxAge { .. } => "above_max_age",
            AppError::SpaceTaken { .. } => "space_taken",
            AppError::AlreadyDecided => "already_decided",
            AppError::BookingClosed => "booking_closed",
            AppError::NoShowBlocked { .. } => "no_show_blocked",
            AppError::Invalid { .. } => "invalid",
            AppError::TooYoung => "too_young",
            AppError::TooOld => "too_old",
            AppError::AlreadyRegistered => "already_registered",
            AppError::ContactUnconfirmed => "contact_unconfirmed",
            AppError::ConsentRequired => "consent_required",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::TooLateToCancel { .. } => "too_late_to_cancel",
            AppError::QuotaExceeded { .. } => "quota_exceeded",
            AppError::Ineligible { .. } => "ineligible",
            AppError::CohortFull => "cohort_full",
            AppError::AlreadyApplied => "already_applied",
            AppError::ApplicationsClosed => "applications_closed",
            AppError::SessionNotHeld => "session_not_held",
            AppError::ProgramNotOver => "program_not_over",
            AppError::OverdueItems { .. } => "overdue_items",
            AppError::ItemUnavailable => "item_unavailable",
            AppError::ItemInductionRequired { .. } => "item_induction_required",
            AppError::ConsultationTaken => "consultation_taken",
            AppError::InvalidPass => "invalid_pass",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        let msg = match self {
            AppError::NotAuthenticated => Msg::ErrNotAuthenticated,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::InvalidInput(_) => Msg::ErrInvalidInput,
            AppError::SlotFull => Msg::ErrSlotFull,
            AppError::SlotInPast => Msg::ErrSlotInPast,
            AppError::SlotNotOffered => Msg::ErrSlotNotOffered,
            AppError::BadPartySize { max } => {
                return crate::i18n::rule_text(locale, RuleText::PartyTooBig(*max));
            }
            AppError::TooSoon { notice_minutes } => {
                return crate::i18n::rule_text(locale, RuleText::TooSoon(*notice_minutes));
            }
            AppError::TooFarAhead { days } => {
                return crate::i18n::rule_text(locale, RuleText::TooFarAhead(*days));
            }
            AppError::BadDuration { min, max, step } => {
                return crate::i18n::rule_text(
                    locale,
                    RuleText::BadDuration {
                        min: *min,
                        max: *max,
                        step: *step,
                    },
                );
            }
            AppError::BelowMinAge { min_age } => {
                return crate::i18n::rule_text(locale, RuleText::BelowMinAge(*min_age));
            }
            AppError::InductionRequired => Msg::ErrInductionRequired,
            AppError::AboveMaxAge { max_age } => {
                return crate::i18n::above_max_age(locale, *max_age);
            }
            AppError::SpaceTaken { dates } => {
                return crate::i18n::space_taken(locale, dates);
            }
            AppError::AlreadyDecided => Msg::ErrAlreadyDecided,
            AppError::BookingClosed => Msg::ErrBookingClosed,
            AppError::NoShowBlocked { until } => {
                return crate::i18n::no_show_blocked(locale, until);
            }
            AppError::Invalid { problem, .. } => problem.msg(),
            AppError::TooYoung => Msg::ErrTooYoung,
            AppError::TooOld => Msg::ErrTooOld,
            AppError::AlreadyRegistered => Msg::ErrAlreadyRegistered,
            AppError::ContactUnconfirmed => Msg::ErrContactUnconfirmed,
            AppError::ConsentRequired => Msg::ErrConsentRequired,
            AppError::QuotaExceeded {
                studio_hours,
                limit,
                retry_at,
            } => {
                return crate::i18n::quota_refusal(locale, *studio_hours, *limit, retry_at);
            }
            AppError::TooLateToCancel { notice_minutes } => {
                return crate::i18n::cancel_too_late(locale, *notice_minutes);
            }
            AppError::RateLimited {
                retry_after_minutes,
            } => {
                return crate::i18n::rate_limited(locale, *retry_after_minutes);
            }
            AppError::Ineligible { reasons } => {
                let list: Vec<String> = reasons.iter().map(|r| r.text(locale)).collect();
                return format!("{} {}", Msg::ErrIneligible.text(locale), list.join(" "));
            }
            AppError::CohortFull => Msg::ErrCohortFull,
            AppError::AlreadyApplied => Msg::ErrAlreadyApplied,
            AppError::ApplicationsClosed => Msg::ErrApplicationsClosed,
            AppError::SessionNotHeld => Msg::ErrSessionNotHeld,
            AppError::ProgramNotOver => Msg::ErrProgramNotOver,
            AppError::OverdueItems { items } => {
                return format!("{} {items}", Msg::ErrOverdueItems.text(locale));
            }
            AppError::ItemUnavailable => Msg::ErrItemUnavailable,
            AppError::ItemInductionRequired { space } => {
                return format!("{} {space}", Msg::ErrItemInduction.text(locale));
            }
            AppError::ConsultationTaken => Msg::ErrConsultationTaken,
            AppError::InvalidPass => Msg::ErrInvalidPass,
            AppError::Internal => Msg::ErrInternal,
            AppError::Transport(_) => Msg::ErrNetwork,
        };
        msg.text(locale).to_string()
    }

    /// The HTTP status a server fn answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotAuthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::SlotFull => 409,
            AppError::InvalidInput(_)
            | AppError::SlotInPast
            | AppError::SlotNotOffered
            | AppError::BadPartySize { .. }
            | AppError::TooSoon { .. }
            | AppError::TooFarAhead { .. }
            | AppError::BadDuration { .. }
            | AppError::Invalid { .. }
            | AppError::TooYoung
            | AppError::TooOld => 422,
            AppError::AlreadyRegistered => 409,
            AppError::ContactUnconfirmed => 403,
            AppError::ConsentRequired
            | AppError::BelowMinAge { .. }
            | AppError::AboveMaxAge { .. }
            | AppError::InductionRequired
            | AppError::NoShowBlocked { .. } => 403,
            AppError::AlreadyDecided | AppError::BookingClosed => 409,
            AppError::SpaceTaken { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::TooLateToCancel { .. } => 409,
            AppError::QuotaExceeded { .. } => 409,
            AppError::Ineligible { .. } => 403,
            AppError::CohortFull
            | AppError::AlreadyApplied
            | AppError::ApplicationsClosed
            | AppError::SessionNotHeld
            | AppError::ProgramNotOver => 409,
            AppError::OverdueItems { .. } | AppError::ItemInductionRequired { .. } => 403,
            AppError::ItemUnavailable | AppError::ConsultationTaken => 409,
            AppError::InvalidPass => 422,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }
}

/// A `YYYY-MM-DD` form field (a date input), or `Invalid { field, Date }`.
pub fn form_date(field: &str, s: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| AppError::Invalid {
        field: field.into(),
        problem: Problem::Date,
    })
}

/// An optional date field: absent or blank is `None`.
pub fn optional_form_date(
    field: &str,
    s: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => form_date(field, s).map(Some),
    }
}

/// Finish a server fn: a failure answers with its own HTTP status (401, 403,
/// 404, 409, 422…) instead of a blanket 500, so API clients, logs and
/// monitoring can tell a full slot from a crash.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let (Some(opts), Ok(code)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(e.status()),
        ) {
            opts.set_status(code);
        }
    }
    result
}

/// What is wrong with a form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    Date,
    Phone,
    Email,
    PhoneOrEmail,
    PasswordTooShort,
    IinFormat,
    IinChecksum,
    IinBirthDate,
    GuardianRequired,
    /// The guardian's phone or email is the member's own or another member's.
    GuardianIsMember,
    WrongPassword,
    ConfirmDelete,
    /// A number outside the field's range.
    Range,
    /// Not a whole number of slots (or longest below shortest).
    SlotMultiple,
    /// Not a time of day as `HH:MM`.
    Time,
    /// Already used by another record (e.g. a serial number).
    Taken,
    /// Not an `http(s)://` address.
    Url,
    /// Plain `http://` to a host the operator did not allow.
    UrlHttp,
    /// An address inside a private network (loopback, private, link-local…).
    UrlPrivate,
    /// A direction (or other list entry) no longer offered.
    Retired,
    /// Not a code of 2–40 lowercase Latin letters, digits or `_`.
    Code,
    /// Not an IANA time zone name.
    TimeZone,
    /// Two periods overlap (opening hours, sessions).
    Overlap,
    /// Lower than what members already hold (capacity below bookings).
    BelowBooked,
    /// The chosen center or space is deactivated.
    Inactive,
    /// Telegram chosen for notifications without a linked chat.
    NotLinked,
}

impl Problem {
    pub fn msg(self) -> Msg {
        match self {
            Problem::Required => Msg::ProbRequired,
            Problem::TooLong => Msg::ProbTooLong,
            Problem::Date => Msg::ProbDate,
            Problem::Phone => Msg::ProbPhone,
            Problem::Email => Msg::ProbEmail,
            Problem::PhoneOrEmail => Msg::ProbPhoneOrEmail,
            Problem::PasswordTooShort => Msg::ProbPasswordTooShort,
            Problem::IinFormat => Msg::ProbIinFormat,
            Problem::IinChecksum => Msg::ProbIinChecksum,
            Problem::IinBirthDate => Msg::ProbIinBirthDate,
            Problem::GuardianRequired => Msg::ProbGuardianRequired,
            Problem::GuardianIsMember => Msg::ProbGuardianIsMember,
            Problem::WrongPassword => Msg::ProbWrongPassword,
            Problem::ConfirmDelete => Msg::ProbConfirmDelete,
            Problem::Range => Msg::ProbRange,
            Problem::SlotMultiple => Msg::ProbSlotMultiple,
            Problem::Time => Msg::ProbTime,
            Problem::Taken => Msg::ProbTaken,
            Problem::Url => Msg::ProbUrl,
            Problem::UrlHttp => Msg::ProbUrlHttp,
            Problem::UrlPrivate => Msg::ProbUrlPrivate,
            Problem::Retired => Msg::ProbRetired,
            Problem::Code => Msg::ProbCode,
            Problem::TimeZone => Msg::ProbTimeZone,
            Problem::Overlap => Msg::ProbOverlap,
            Problem::BelowBooked => Msg::ProbBelowBooked,
            Problem::Inactive => Msg::ProbInactive,
            Problem::NotLinked => Msg::ProbNotLinked,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these three mean the request's arguments could not
        // be read (malformed body, wrong type, missing field): the caller's
        // mistake, answered like any other invalid input (422, localized),
        // not as a server failure (server_fn's default is 500).
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(m)
        | ServerFnErrorErr::MissingArg(m)
        | ServerFnErrorErr::Deserialization(m) = &value
        {
            let e = AppError::InvalidInput(m.chars().take(200).collect());
            return respond::<()>(Err(e)).unwrap_err();
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_machine_code() {
        let json = serde_json::to_string(&AppError::SlotFull).unwrap();
        assert_eq!(json, r#"{"code":"slot_full"}"#);
        let back: AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, AppError::SlotFull);
        assert_eq!(AppError::SlotFull.code(), "slot_full");
        assert!(AppError::SlotFull.message(Locale::Ru).contains("занято"));
    }
}
