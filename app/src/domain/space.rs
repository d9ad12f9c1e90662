//! The kinds of space a center offers, and what follows from the kind.

use crate::domain::codes::stored;
use serde::{Deserialize, Serialize};

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SpaceKind {
        Coworking,
        PodcastStudio,
        SoundStudio,
        PhotoStudio,
        DesignStudio,
        LectureHall,
        MeetingRoom,
        SportsHall,
        Other,
    }
}

impl SpaceKind {
    pub const ALL: [SpaceKind; 9] = [
        SpaceKind::Coworking,
        SpaceKind::PodcastStudio,
        SpaceKind::SoundStudio,
        SpaceKind::PhotoStudio,
        SpaceKind::DesignStudio,
        SpaceKind::LectureHall,
        SpaceKind::MeetingRoom,
        SpaceKind::SportsHall,
        SpaceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SpaceKind::Coworking => "coworking",
            SpaceKind::PodcastStudio => "podcast_studio",
            SpaceKind::SoundStudio => "sound_studio",
            SpaceKind::PhotoStudio => "photo_studio",
            SpaceKind::DesignStudio => "design_studio",
            SpaceKind::LectureHall => "lecture_hall",
            SpaceKind::MeetingRoom => "meeting_room",
            SpaceKind::SportsHall => "sports_hall",
            SpaceKind::Other => "other",
        }
    }

    /// A seat pool: every person takes a seat. Other spaces are taken whole
    /// by one booking.
    pub fn is_pool(self) -> bool {
        matches!(self, SpaceKind::Coworking)
    }

    /// Studios: their bookings count against the weekly studio-hours quota
    /// and ask for party size and purpose.
    pub fn is_studio(self) -> bool {
        matches!(
            self,
            SpaceKind::PodcastStudio
                | SpaceKind::SoundStudio
                | SpaceKind::PhotoStudio
                | SpaceKind::DesignStudio
        )
    }

    pub fn parse(s: &str) -> Option<SpaceKind> {
        SpaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}
