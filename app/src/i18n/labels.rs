//! Labels of the domain's types in the reader's language: the domain stays
//! pure data and rules; its words live in the locale files.

use super::{program_text, Locale, Msg, ProgramText};
use crate::domain::codes::{AppStatus, AuditKind};
use crate::domain::consultation::Field;
use crate::domain::eligibility::Ineligible;
use crate::domain::lending::{Condition, ItemKind, ItemState};
use crate::domain::membership::ConsentState;
use crate::domain::people::{Education, Occupation, Settlement};
use crate::domain::space::SpaceKind;
use crate::domain::webhook::WebhookEvent;

impl ItemKind {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            ItemKind::Camera => Msg::KindCamera,
            ItemKind::LightKit => Msg::KindLightKit,
            ItemKind::Microphone => Msg::KindMicrophone,
            ItemKind::SoundKit => Msg::KindSoundKit,
            ItemKind::Tripod => Msg::KindTripod,
        }
        .text(l)
    }
}

impl Condition {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Condition::Good => Msg::CondGood,
            Condition::Worn => Msg::CondWorn,
            Condition::Damaged => Msg::CondDamaged,
            Condition::OutOfService => Msg::CondOutOfService,
        }
        .text(l)
    }
}

impl ItemState {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            ItemState::Available => Msg::ItemAvailable,
            ItemState::Reserved => Msg::ItemReserved,
            ItemState::Out => Msg::ItemOut,
            ItemState::Unavailable => Msg::ItemUnavailable,
        }
        .text(l)
    }
}

impl Field {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Field::It => Msg::FieldIt,
            Field::Media => Msg::FieldMedia,
            Field::Business => Msg::FieldBusiness,
            Field::Sport => Msg::FieldSport,
            Field::Art => Msg::FieldArt,
            Field::Politics => Msg::FieldPolitics,
            Field::Psychology => Msg::FieldPsychology,
        }
        .text(l)
    }
}

impl Ineligible {
    /// The reason in the applicant's language.
    pub fn text(&self, l: Locale) -> String {
        match self {
            Ineligible::TooYoung { min_age, age } => program_text(
                l,
                ProgramText::TooYoung {
                    min: *min_age,
                    age: *age,
                },
            ),
            Ineligible::TooOld { max_age, age } => program_text(
                l,
                ProgramText::TooOld {
                    max: *max_age,
                    age: *age,
                },
            ),
            Ineligible::Education { required } => {
                program_text(l, ProgramText::EducationBelow(required.label(l)))
            }
            Ineligible::NotRural => Msg::ProgIneligibleNotRural.text(l).to_string(),
            Ineligible::Occupation { allowed } => program_text(
                l,
                ProgramText::OccupationNotAllowed(&occupation_list(allowed, l)),
            ),
        }
    }
}

/// `Student, Employed` in the given language.
pub fn occupation_list(list: &[Occupation], l: Locale) -> String {
    list.iter()
        .map(|o| o.label(l))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SpaceKind {
    pub fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (SpaceKind::Coworking, Locale::En) => "Coworking",
            (SpaceKind::Coworking, Locale::Ru) => "Коворкинг",
            (SpaceKind::Coworking, Locale::Kk) => "Коворкинг",
            (SpaceKind::PodcastStudio, Locale::En) => "Podcast studio",
            (SpaceKind::PodcastStudio, Locale::Ru) => "Подкаст-студия",
            (SpaceKind::PodcastStudio, Locale::Kk) => "Подкаст студиясы",
            (SpaceKind::SoundStudio, Locale::En) => "Sound-recording studio",
            (SpaceKind::SoundStudio, Locale::Ru) => "Студия звукозаписи",
            (SpaceKind::SoundStudio, Locale::Kk) => "Дыбыс жазу студиясы",
            (SpaceKind::PhotoStudio, Locale::En) => "Photo studio",
            (SpaceKind::PhotoStudio, Locale::Ru) => "Фотостудия",
            (SpaceKind::PhotoStudio, Locale::Kk) => "Фотостудия",
            (SpaceKind::DesignStudio, Locale::En) => "Design studio",
            (SpaceKind::DesignStudio, Locale::Ru) => "Дизайн-студия",
            (SpaceKind::DesignStudio, Locale::Kk) => "Дизайн студиясы",
            (SpaceKind::LectureHall, Locale::En) => "Lecture hall",
            (SpaceKind::LectureHall, Locale::Ru) => "Лекционный зал",
            (SpaceKind::MeetingRoom, Locale::En) => "Meeting room",
            (SpaceKind::MeetingRoom, Locale::Ru) => "Переговорная",
            (SpaceKind::MeetingRoom, Locale::Kk) => "Келіссөз залы",
            (SpaceKind::SportsHall, Locale::En) => "Sports hall",
            (SpaceKind::SportsHall, Locale::Ru) => "Спортивный зал",
            (SpaceKind::SportsHall, Locale::Kk) => "Спорт залы",
            (SpaceKind::Other, Locale::En) => "Other space",
            (SpaceKind::Other, Locale::Ru) => "Другое пространство",
            (SpaceKind::Other, Locale::Kk) => "Басқа кеңістік",
            (SpaceKind::LectureHall, Locale::Kk) => "Дәріс залы",
        }
    }
}

impl WebhookEvent {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            WebhookEvent::BookingCreated => Msg::HookEvBookingCreated,
            WebhookEvent::BookingCancelled => Msg::HookEvBookingCancelled,
            WebhookEvent::BookingRescheduled => Msg::HookEvBookingRescheduled,
            WebhookEvent::CheckIn => Msg::HookEvCheckIn,
            WebhookEvent::WaitlistPromoted => Msg::HookEvWaitlistPromoted,
            WebhookEvent::NoShow => Msg::HookEvNoShow,
        }
        .text(l)
    }
}

impl ConsentState {
    pub fn msg(self) -> Msg {
        match self {
            ConsentState::NotNeeded => Msg::ConsentNotNeeded,
            ConsentState::Awaiting => Msg::ConsentAwaiting,
            ConsentState::Given => Msg::ConsentGiven,
        }
    }
}

impl Settlement {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Settlement::City => Msg::SettlementCity,
            Settlement::Rural => Msg::SettlementRural,
        }
        .text(l)
    }
}

impl Occupation {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Occupation::Pupil => Msg::OccupationPupil,
            Occupation::Student => Msg::OccupationStudent,
            Occupation::Employed => Msg::OccupationEmployed,
            Occupation::Neet => Msg::OccupationNeet,
        }
        .text(l)
    }
}

impl Education {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Education::Basic => Msg::EducationBasic,
            Education::Secondary => Msg::EducationSecondary,
            Education::Vocational => Msg::EducationVocational,
            Education::Bachelor => Msg::EducationBachelor,
            Education::Master => Msg::EducationMaster,
            Education::Doctorate => Msg::EducationDoctorate,
        }
        .text(l)
    }
}

impl AppStatus {
    pub fn msg(self) -> Msg {
        match self {
            AppStatus::Submitted => Msg::ProgStatusSubmitted,
            AppStatus::Accepted => Msg::ProgStatusAccepted,
            AppStatus::Rejected => Msg::ProgStatusRejected,
            AppStatus::Withdrawn => Msg::ProgStatusWithdrawn,
        }
    }
}

impl AuditKind {
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            AuditKind::CheckIn => Msg::AuditCheckIn,
            AuditKind::CheckInUndone => Msg::AuditCheckInUndone,
            AuditKind::AccountCreated => Msg::AuditAccountCreated,
            AuditKind::ConsentRecorded => Msg::AuditConsentRecorded,
            AuditKind::ResetCodeIssued => Msg::AuditResetCodeIssued,
            AuditKind::InductionSet => Msg::AuditInductionSet,
            AuditKind::NoShowsPardoned => Msg::AuditNoShowsPardoned,
            AuditKind::ClosureAdded => Msg::AuditClosureAdded,
            AuditKind::ClosureRemoved => Msg::AuditClosureRemoved,
            AuditKind::SpaceRulesChanged => Msg::AuditSpaceRulesChanged,
            AuditKind::CenterSettingsChanged => Msg::AuditCenterSettingsChanged,
            AuditKind::RequestDecided => Msg::AuditRequestDecided,
            AuditKind::ApiTokenCreated => Msg::AuditApiTokenCreated,
            AuditKind::ApiTokenRevoked => Msg::AuditApiTokenRevoked,
            AuditKind::WebhookCreated => Msg::AuditWebhookCreated,
            AuditKind::WebhookSwitched => Msg::AuditWebhookSwitched,
            AuditKind::WebhookSecretShown => Msg::AuditWebhookSecretShown,
            AuditKind::AccountDisabled => Msg::AuditAccountDisabled,
            AuditKind::AccountEnabled => Msg::AuditAccountEnabled,
            AuditKind::AccountChanged => Msg::AuditAccountChanged,
            AuditKind::SessionsEnded => Msg::AuditSessionsEnded,
            AuditKind::CenterCreated => Msg::AuditCenterCreated,
            AuditKind::CenterChanged => Msg::AuditCenterChanged,
            AuditKind::CenterDeactivated => Msg::AuditCenterDeactivated,
            AuditKind::SpaceCreated => Msg::AuditSpaceCreated,
            AuditKind::SpaceChanged => Msg::AuditSpaceChanged,
            AuditKind::SpaceDeactivated => Msg::AuditSpaceDeactivated,
            AuditKind::HolidayChanged => Msg::AuditHolidayChanged,
            AuditKind::HolidayOpening => Msg::AuditHolidayOpening,
            AuditKind::DirectionChanged => Msg::AuditDirectionChanged,
            AuditKind::ActivityChanged => Msg::AuditActivityChanged,
            AuditKind::ActivityCancelled => Msg::AuditActivityCancelled,
            AuditKind::HeadCountRecorded => Msg::AuditHeadCountRecorded,
            AuditKind::TelegramLinked => Msg::AuditTelegramLinked,
            AuditKind::TelegramAction => Msg::AuditTelegramAction,
        }
        .text(l)
    }
}
