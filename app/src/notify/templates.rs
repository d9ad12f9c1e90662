//! Email and text-message templates in the member's language. Their words
//! live in the locale files (`mail_*`, `sms_*` keys); this module fills them in.

use crate::i18n::{td_string, Locale, Msg};

/// Subject and body of the email that brings a guardian the consent code:
/// the child's first name, what consent means, the code and the link to
/// the consent page.
pub fn mail_guardian(l: Locale, name: &str, code: &str, url: &str) -> (String, String) {
    let g = l.catalog();
    (
        td_string!(g, mail_guardian_subject, name = name),
        td_string!(g, mail_guardian_body, name = name, code = code, url = url),
    )
}

/// The text message that brings a guardian the consent code.
pub fn guardian_sms(l: Locale, name: &str, code: &str) -> String {
    let g = l.catalog();
    td_string!(g, sms_guardian_code, name = name, code = code)
}

/// The text message with a registration code.
pub fn signup_sms(l: Locale, code: &str) -> String {
    let g = l.catalog();
    td_string!(g, sms_signup_code, code = code)
}

/// Subject and body of the email with a registration code; `url` is the
/// page where it is entered.
pub fn mail_signup(l: Locale, code: &str, url: &str) -> (String, String) {
    let g = l.catalog();
    (
        Msg::MailSignupSubject.text(l).to_string(),
        td_string!(g, mail_signup_body, code = code, url = url),
    )
}

/// The text message to a member whose phone was given on the registration
/// form again: how to sign in (`url`: the sign-in page).
pub fn already_member_sms(l: Locale, url: &str) -> String {
    let g = l.catalog();
    td_string!(g, sms_already_member, url = url)
}

/// Subject and body of the same note by email.
pub fn mail_already_member(l: Locale, url: &str) -> (String, String) {
    let g = l.catalog();
    (
        Msg::MailAlreadyMemberSubject.text(l).to_string(),
        td_string!(g, mail_already_member_body, url = url),
    )
}

/// An email to someone whose name Ortalyq does not use (the registration
/// form's messages: the name on the form is not proven yet).
pub fn mail_text_plain(l: Locale, body: &str) -> String {
    format!(
        "{}\n\n{body}\n\n-- \n{}\n",
        Msg::MailGreetingPlain.text(l),
        Msg::MailSignature.text(l)
    )
}

/// Emails (`notify::outbox`): a greeting, the text, the signature.
pub fn mail_text(l: Locale, name: &str, body: &str) -> String {
    let g = l.catalog();
    let greeting = td_string!(g, mail_greeting, name = name);
    format!(
        "{greeting}\n\n{body}\n\n-- \n{}\n",
        Msg::MailSignature.text(l)
    )
}

/// Subject and body of the booking confirmation, request approval,
/// check-in reminder and moved-booking emails (`kind`: `booking`,
/// `approved`, `reminder`, `moved`, `moved_pending` — moved, the new time
/// waiting for approval).
pub fn mail_booking(
    l: Locale,
    kind: &str,
    space: &str,
    center: &str,
    when: &str,
) -> (String, String) {
    let g = l.catalog();
    match kind {
        "approved" => (
            td_string!(g, mail_approved_subject, space = space),
            td_string!(
                g,
                mail_approved_body,
                space = space,
                center = center,
                when = when
            ),
        ),
        "moved" => (
            td_string!(g, mail_moved_subject, space = space),
            td_string!(
                g,
                mail_moved_body,
                space = space,
                center = center,
                when = when
            ),
        ),
        "moved_pending" => (
            td_string!(g, mail_moved_subject, space = space),
            td_string!(
                g,
                mail_moved_pending_body,
                space = space,
                center = center,
                when = when
            ),
        ),
        "reminder" => (
            td_string!(g, mail_reminder_subject, space = space),
            td_string!(
                g,
                mail_reminder_body,
                space = space,
                center = center,
                when = when
            ),
        ),
        _ => (
            td_string!(g, mail_booking_subject, space = space),
            td_string!(
                g,
                mail_booking_body,
                space = space,
                center = center,
                when = when
            ),
        ),
    }
}

/// Subject and body of a denied booking request.
pub fn mail_denied(
    l: Locale,
    space: &str,
    center: &str,
    when: &str,
    reason: &str,
) -> (String, String) {
    let g = l.catalog();
    (
        td_string!(g, mail_denied_subject, space = space),
        td_string!(
            g,
            mail_denied_body,
            space = space,
            center = center,
            when = when,
            reason = reason
        ),
    )
}

/// Subject of a waitlist promotion (the body is the notice's text).
pub fn mail_promoted_subject(l: Locale, name: &str) -> String {
    let g = l.catalog();
    td_string!(g, mail_promoted_subject, name = name)
}

/// Subject and body of a program application decision.
pub fn mail_application(
    l: Locale,
    accepted: bool,
    program: &str,
    reason: &str,
) -> (String, String) {
    let g = l.catalog();
    if accepted {
        (
            td_string!(g, mail_app_accepted_subject, program = program),
            td_string!(g, mail_app_accepted_body, program = program),
        )
    } else {
        (
            td_string!(g, mail_app_rejected_subject, program = program),
            td_string!(
                g,
                mail_app_rejected_body,
                program = program,
                reason = reason
            ),
        )
    }
}

/// Characters of a staff-written reason kept in a text message (the whole
/// reason is in the app and the email).
pub const SMS_REASON_CHARS: usize = 30;

/// `reason` cut to `max` characters, with `…` when cut.
fn clip(reason: &str, max: usize) -> String {
    let reason = reason.trim();
    if reason.chars().count() <= max {
        return reason.to_string();
    }
    let mut s: String = reason.chars().take(max - 1).collect();
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}

/// The text message of a booking event, sent instead of the email to a
/// member without an address (`kind` as in [`mail_booking`]).
pub fn sms_booking(l: Locale, kind: &str, space: &str, when: &str) -> String {
    let g = l.catalog();
    match kind {
        "approved" => td_string!(g, sms_approved, space = space, when = when),
        "moved" => td_string!(g, sms_moved, space = space, when = when),
        "moved_pending" => td_string!(g, sms_moved_pending, space = space, when = when),
        "reminder" => td_string!(g, sms_reminder, space = space, when = when),
        _ => td_string!(g, sms_booking, space = space, when = when),
    }
}

/// The text message of a denied booking request (the reason cut short).
pub fn sms_denied(l: Locale, space: &str, when: &str, reason: &str) -> String {
    let g = l.catalog();
    let reason = clip(reason, SMS_REASON_CHARS);
    td_string!(g, sms_denied, space = space, when = when, reason = reason)
}

/// The text message of a program application decision.
pub fn sms_application(l: Locale, accepted: bool, program: &str, reason: &str) -> String {
    let g = l.catalog();
    if accepted {
        td_string!(g, sms_app_accepted, program = program)
    } else {
        let reason = clip(reason, SMS_REASON_CHARS);
        td_string!(g, sms_app_rejected, program = program, reason = reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sms::{segments, MAX_SEGMENTS};

    /// Every text message in every language, filled with long realistic
    /// values: a 30-character space, a weekday with a time range and more
    /// weeks, a long program name and reason, a long first name.
    fn all_texts(l: Locale) -> Vec<(&'static str, String)> {
        let space = match l {
            Locale::Kk => "Подкаст және дыбыс студиясы №2",
            Locale::Ru => "Студия подкастов и звукозаписи",
            Locale::En => "Podcast and sound studio no. 2",
        };
        let program = match l {
            Locale::Kk => "Деректер аналитикасы мектебі: көктем",
            Locale::Ru => "Школа аналитики данных: весенний поток",
            Locale::En => "Data analytics school: the spring cohort",
        };
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let when = format!("{}, 18:00–19:30 (+3)", crate::i18n::day_label(l, day));
        let reason = "Зал на ремонте до конца месяца, выберите другой день";
        let url = "https://ortalyq.karaganda-region.kz/login";
        let mut out = vec![
            ("guardian", guardian_sms(l, "Нұрсұлтан", "123456")),
            ("signup", signup_sms(l, "12345678")),
            ("already_member", already_member_sms(l, url)),
            ("denied", sms_denied(l, space, &when, reason)),
            ("accepted", sms_application(l, true, program, "")),
            ("rejected", sms_application(l, false, program, reason)),
        ];
        for kind in ["booking", "approved", "reminder", "moved", "moved_pending"] {
            out.push((kind, sms_booking(l, kind, space, &when)));
        }
        out
    }

    #[test]
    fn every_text_message_fits_two_segments() {
        for l in [Locale::Kk, Locale::Ru, Locale::En] {
            for (what, text) in all_texts(l) {
                let n = segments(&text);
                assert!(
                    n <= MAX_SEGMENTS,
                    "{l:?} {what}: {n} segments, {} chars: {text}",
                    text.chars().count()
                );
            }
        }
    }

    #[test]
    fn codes_fit_one_segment_and_reasons_are_cut() {
        for l in [Locale::Kk, Locale::Ru, Locale::En] {
            let text = signup_sms(l, "12345678");
            assert_eq!(segments(&text), 1, "{text}");
        }
        let text = sms_denied(Locale::En, "Studio", "Wed 02.12", &"x".repeat(100));
        assert!(text.ends_with(&format!("{}…", "x".repeat(SMS_REASON_CHARS - 1))));
        assert_eq!(clip("  short  ", 30), "short");
    }
}
