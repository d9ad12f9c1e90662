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

/// The most capacity units held at the same time by `(start, end, units)`
/// intervals (half-open: one ending as another starts do not overlap).
pub fn peak_load<T: Ord + Copy>(items: &[(T, T, i32)]) -> i32 {
    let mut edges: Vec<(T, i32)> = items
        .iter()
        .flat_map(|&(a, b, u)| [(a, u), (b, -u)])
        .collect();
    // At the same instant, ends (negative) come before starts.
    edges.sort();
    let (mut now, mut peak) = (0, 0);
    for (_, d) in edges {
        now += d;
        peak = peak.max(now);
    }
    peak
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_counts_only_overlaps() {
        assert_eq!(peak_load::<i32>(&[]), 0);
        assert_eq!(peak_load(&[(0, 10, 3), (10, 20, 4)]), 4);
        assert_eq!(peak_load(&[(0, 10, 3), (5, 20, 4), (8, 9, 2)]), 9);
        assert_eq!(peak_load(&[(0, 10, 3), (12, 20, 4), (15, 30, 1)]), 5);
    }

    #[test]
    fn kinds_round_trip() {
        for k in SpaceKind::ALL {
            assert_eq!(SpaceKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(SpaceKind::parse("garage"), None);
    }
}
