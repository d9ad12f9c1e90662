//! Enums stored as short text codes (`confirmed`, `front_desk`, `email`…).
//!
//! `code_enum!` declares such an enum once: its variants, their codes, `ALL`,
//! `as_str` and `parse`. On the server (`ssr`) the same enum is also a SeaORM
//! active enum, so a model column has the enum as its type and a query or an
//! insert can only name a real status. The browser build never sees sea-orm:
//! the derive is an attribute of the `ssr` feature only, and no domain rule
//! calls the database.

/// Declare an enum stored as text. Variants carry their code:
/// `code_enum!(pub enum Foo { Bar = "bar", Baz = "baz" })`. The enum derives
/// `Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize` (serde
/// uses the variant names, as the DTOs always have).
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:tt ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "ssr",
            sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::None)")
        )]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[cfg_attr(feature = "ssr", sea_orm(string_value = $code))]
                $variant
            ),*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),*].len()] = [$($name::$variant),*];

            /// The code stored in the database and sent in forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The variant of a stored or submitted code.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

/// Mark an enum whose codes are the snake_case of its variant names
/// (`FrontDesk` ↔ `front_desk`) as stored: under `ssr` it is also a SeaORM
/// active enum, so a model column can have it as its type. The enum keeps
/// its own `as_str`/`parse` (and serde attributes); `model/mod.rs` tests that
/// the two spellings agree.
macro_rules! stored {
    ($(#[$meta:meta])* $vis:vis enum $name:ident $body:tt) => {
        $(#[$meta])*
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "ssr",
            sea_orm(
                rs_type = "String",
                db_type = "String(sea_orm::sea_query::StringLen::None)",
                rename_all = "snake_case"
            )
        )]
        $vis enum $name $body
    };
}
pub(crate) use stored;

code_enum!(
    /// Where a booking stands.
    pub enum BookingStatus {
        Confirmed = "confirmed",
        /// Waiting for staff approval; holds its place, has no pass yet.
        Pending = "pending",
        Denied = "denied",
        Cancelled = "cancelled",
        /// Nobody checked in by start + the space's grace minutes: kept on
        /// record, counts as a strike unless pardoned.
        NoShow = "no_show",
    }
);

impl BookingStatus {
    /// Statuses that take capacity.
    pub const HOLDING: [BookingStatus; 2] = [BookingStatus::Confirmed, BookingStatus::Pending];

    pub fn holds_place(self) -> bool {
        Self::HOLDING.contains(&self)
    }
}

code_enum!(
    /// A member's place in a club.
    pub enum ClubPlace {
        Member = "member",
        /// On the waitlist.
        Waiting = "waiting",
        Left = "left",
    }
);

code_enum!(
    /// A person's registration for an event.
    pub enum EventPlace {
        Registered = "registered",
        /// On the waitlist.
        Waiting = "waiting",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// Where a program application stands.
    pub enum AppStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// How a club session's attendance tick was recorded.
    pub enum AttendanceVia {
        /// The member's pass was admitted at the door.
        Door = "door",
        /// The club leader ticked the roster.
        Roster = "roster",
    }
);

code_enum!(
    /// What an outbox row delivers.
    pub enum OutboxKind {
        Email = "email",
        Webhook = "webhook",
        /// A text message to a phone (`notify::outbox::Text`).
        Sms = "sms",
        /// A message to a member's linked Telegram chat
        /// (`notify::outbox::TgText`).
        Telegram = "telegram",
    }
);

code_enum!(
    /// How a member wants to be told things (`people.notify_channel`; no
    /// value: email when they have an address, else a text message).
    pub enum NotifyChannel {
        Email = "email",
        Sms = "sms",
        Telegram = "telegram",
    }
);

code_enum!(
    /// Where an outbox row is in its delivery.
    pub enum OutboxStatus {
        Pending = "pending",
        Sent = "sent",
        /// Gave up after the last retry.
        Failed = "failed",
    }
);

code_enum!(
    /// What a notice to a member is about; its `subject_id` names the club,
    /// session or event.
    pub enum NoticeKind {
        /// A place in a club freed up and the member got it.
        ClubPromoted = "club_promoted",
        /// One session of a club will not meet.
        SessionCancelled = "session_cancelled",
        /// A place at an event freed up and the member got it.
        EventPromoted = "event_promoted",
        /// Staff cancelled the member's booking (its space was deactivated).
        BookingCancelled = "booking_cancelled",
        /// One session of a club moved (time or room); the detail is the old start.
        SessionMoved = "session_moved",
        /// A club's weekly time or room changed for its future sessions.
        ClubChanged = "club_changed",
        /// A whole club was cancelled; the detail is the reason.
        ClubCancelled = "club_cancelled",
        /// An event's time or place changed.
        EventChanged = "event_changed",
        /// An event was cancelled; the detail is the reason.
        EventCancelled = "event_cancelled",
        /// One program session moved; the detail is the old start.
        ProgramSessionMoved = "program_session_moved",
        /// One program session will not take place (subject: the program;
        /// the detail is its start).
        ProgramSessionCancelled = "program_session_cancelled",
        /// A program was cancelled; the detail is the reason.
        ProgramCancelled = "program_cancelled",
    }
);

code_enum!(
    /// How a guardian's consent was given.
    pub enum ConsentMethod {
        /// Signed on paper at the desk; staff recorded it.
        Paper = "paper",
        /// The guardian entered the code sent to their phone or email.
        Code = "code",
    }
);

code_enum!(
    /// What kind of action an audit log row records.
    pub enum AuditKind {
        /// A pass was admitted at the door (scan or offline upload).
        CheckIn = "check_in",
        /// Staff undid a mistaken admission.
        CheckInUndone = "check_in_undone",
        /// An admin created a staff (or exceptional member) account with a role.
        AccountCreated = "account_created",
        /// Staff recorded a guardian's paper consent.
        ConsentRecorded = "consent_recorded",
        /// Staff issued a password reset code after checking identity.
        ResetCodeIssued = "reset_code_issued",
        /// Staff recorded or withdrew an induction.
        InductionSet = "induction_set",
        /// Staff pardoned a member's no-shows.
        NoShowsPardoned = "no_shows_pardoned",
        ClosureAdded = "closure_added",
        ClosureRemoved = "closure_removed",
        /// A director changed a space's booking rules.
        SpaceRulesChanged = "space_rules_changed",
        /// A director changed a center's opening hours or quotas.
        CenterSettingsChanged = "center_settings_changed",
        /// A booking request was approved or denied.
        RequestDecided = "request_decided",
        /// A regional admin created an API token for an integration.
        ApiTokenCreated = "api_token_created",
        /// A regional admin revoked an API token.
        ApiTokenRevoked = "api_token_revoked",
        /// A director or admin registered a webhook endpoint.
        WebhookCreated = "webhook_created",
        /// A webhook endpoint was switched off or back on.
        WebhookSwitched = "webhook_switched",
        /// Staff had a webhook endpoint's signing secret shown.
        WebhookSecretShown = "webhook_secret_shown",
        /// A staff account was disabled (its sessions ended with it).
        AccountDisabled = "account_disabled",
        /// A disabled account was enabled again.
        AccountEnabled = "account_enabled",
        /// A staff account's role or centers changed.
        AccountChanged = "account_changed",
        /// Every session of an account was ended by an admin or director.
        SessionsEnded = "sessions_ended",
        /// A regional admin opened a new center.
        CenterCreated = "center_created",
        /// A center's names, contacts or hours changed.
        CenterChanged = "center_changed",
        /// A center was deactivated or reactivated.
        CenterDeactivated = "center_deactivated",
        /// A director or admin added a space.
        SpaceCreated = "space_created",
        /// A space's names, kind or capacity changed.
        SpaceChanged = "space_changed",
        /// A space was deactivated or reactivated.
        SpaceDeactivated = "space_deactivated",
        /// A holiday was added to or removed from the region's calendar.
        HolidayChanged = "holiday_changed",
        /// A center opens on a holiday, or no longer does.
        HolidayOpening = "holiday_opening",
        /// A direction was added, renamed, retired or restored.
        DirectionChanged = "direction_changed",
        /// A club, event or program (or a session of one) was edited or moved.
        ActivityChanged = "activity_changed",
        /// A club, event or program (or a session of one) was cancelled.
        ActivityCancelled = "activity_cancelled",
        /// Staff recorded how many people came to an event.
        HeadCountRecorded = "head_count_recorded",
        /// A member linked a Telegram chat to their account.
        TelegramLinked = "telegram_linked",
        /// A member booked or cancelled through the Telegram bot.
        TelegramAction = "telegram_action",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(BookingStatus::parse("no_show"), Some(BookingStatus::NoShow));
        assert_eq!(BookingStatus::parse("Confirmed"), None);
        assert!(BookingStatus::Pending.holds_place());
        assert!(!BookingStatus::Cancelled.holds_place());
        assert_eq!(AppStatus::ALL.len(), 4);
    }
}
