//! The events a webhook endpoint may subscribe to.

use serde::{Deserialize, Serialize};

/// What a webhook may be told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebhookEvent {
    BookingCreated,
    BookingCancelled,
    /// A booking moved to another time (by the member or staff).
    BookingRescheduled,
    CheckIn,
    WaitlistPromoted,
    NoShow,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 6] = [
        WebhookEvent::BookingCreated,
        WebhookEvent::BookingCancelled,
        WebhookEvent::BookingRescheduled,
        WebhookEvent::CheckIn,
        WebhookEvent::WaitlistPromoted,
        WebhookEvent::NoShow,
    ];

    /// The name in the body's `event` field and the `X-Ortalyq-Event` header.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::BookingCreated => "booking.created",
            WebhookEvent::BookingCancelled => "booking.cancelled",
            WebhookEvent::BookingRescheduled => "booking.rescheduled",
            WebhookEvent::CheckIn => "check_in",
            WebhookEvent::WaitlistPromoted => "waitlist.promoted",
            WebhookEvent::NoShow => "booking.no_show",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL
            .into_iter()
            .find(|e| e.as_str() == s.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Locale;

    #[test]
    fn events_round_trip_and_have_labels_in_every_language() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
            for l in Locale::ALL {
                assert!(!e.label(l).is_empty());
            }
        }
        assert_eq!(WebhookEvent::parse("booking.deleted"), None);
    }
}
