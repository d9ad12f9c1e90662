//! The bot's texts that carry values (the plain ones are `Msg::Tg*`).

use crate::i18n::{td_string, Locale};

/// "Done! The chat is linked to your account: Aruzhan."
pub fn linked(l: Locale, name: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_linked, name = name)
}

/// "Booked: Podcast studio, Tue 01.12, 15:00–16:00. Show this QR pass…"
pub fn booked(l: Locale, space: &str, when: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_booked, space = space, when = when)
}

/// "Request sent: Lecture hall, …. We will tell you once staff approve it."
pub fn requested(l: Locale, space: &str, when: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_requested, space = space, when = when)
}

/// "Booking cancelled: Podcast studio, Tue 01.12, 15:00–16:00."
pub fn cancelled(l: Locale, space: &str, when: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_cancelled, space = space, when = when)
}

/// "Welcome, Aruzhan! You are a member now…"
pub fn registered(l: Locale, name: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_registered, name = name)
}

/// "A consent code was sent to your parent or guardian: +7 701 *** ** 33…"
pub fn consent_requested(l: Locale, phone: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_consent_requested, phone = phone)
}

/// "Consultation booked: Aigerim Bekova, Wed 02.12, 15:00–15:45."
pub fn consultation_booked(l: Locale, mentor: &str, when: &str) -> String {
    let g = l.catalog();
    td_string!(g, tg_consultation_booked, mentor = mentor, when = when)
}
