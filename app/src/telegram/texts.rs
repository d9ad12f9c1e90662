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
