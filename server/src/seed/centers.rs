//! The demo centers: the regional center and two district centers, their
//! opening hours, and the spaces every center has.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, Set};

use app::domain::direction::Direction;
use app::domain::space::SpaceKind;
use app::model::{center, opening_hours, space};

pub(super) struct SpaceSeed {
    kind: SpaceKind,
    names: [&'static str; 3],
    capacity: i32,
    slot_minutes: i32,
    /// Shortest and longest booking, minutes.
    span: (i32, i32),
    max_party: i32,
    buffer_minutes: i32,
    min_notice_minutes: i32,
    max_advance_days: i32,
    requires_approval: bool,
    requires_induction: bool,
    min_age: i32,
    /// None: the space serves every direction.
    direction: Option<&'static str>,
}

/// The spaces every demo center has, with the rules a center runs by.
pub(super) const SPACES: [SpaceSeed; 6] = [
    SpaceSeed {
        kind: SpaceKind::Coworking,
        names: ["Коворкинг аймағы", "Коворкинг-зона", "Coworking zone"],
        capacity: 20,
        slot_minutes: 60,
        span: (60, 240),
        max_party: 20,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_advance_days: 14,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: None,
    },
    SpaceSeed {
        kind: SpaceKind::PodcastStudio,
        names: ["Подкаст студиясы", "Подкаст-студия", "Podcast studio"],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 120),
        max_party: 4,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_advance_days: 21,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: Some("media"),
    },
    SpaceSeed {
        kind: SpaceKind::SoundStudio,
        names: [
            "Дыбыс жазу студиясы",
            "Студия звукозаписи",
            "Sound-recording studio",
        ],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 180),
        max_party: 3,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_advance_days: 21,
        requires_approval: false,
        // The mixing desk and microphones: staff brief every member first.
        requires_induction: true,
        min_age: 0,
        direction: Some("culture"),
    },
    SpaceSeed {
        kind: SpaceKind::PhotoStudio,
        names: ["Фотостудия", "Фотостудия", "Photo studio"],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 180),
        max_party: 5,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_advance_days: 21,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: Some("media"),
    },
    SpaceSeed {
        kind: SpaceKind::DesignStudio,
        names: ["Дизайн студиясы", "Дизайн-студия", "Design studio"],
        capacity: 1,
        slot_minutes: 30,
        span: (60, 180),
        max_party: 3,
        // Half an hour to reset the workstations after each booking.
        buffer_minutes: 30,
        min_notice_minutes: 60,
        max_advance_days: 21,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: Some("it"),
    },
    SpaceSeed {
        kind: SpaceKind::LectureHall,
        names: ["Дәріс залы", "Лекционный зал", "Lecture hall"],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 240),
        max_party: 60,
        buffer_minutes: 0,
        // Events are planned: a day's notice, staff approve, organisers 18+.
        min_notice_minutes: 1440,
        max_advance_days: 60,
        requires_approval: true,
        requires_induction: false,
        min_age: 18,
        direction: None,
    },
];

pub(super) struct CenterSeed {
    pub(super) slug: &'static str,
    pub(super) names: [&'static str; 3],
    pub(super) city: &'static str,
    /// (weekday 0 = Monday, opens, closes) in minutes after midnight.
    hours: &'static [(i16, i32, i32)],
}

pub(super) const REGIONAL_HOURS: &[(i16, i32, i32)] = &[
    (0, 540, 1260),
    (1, 540, 1260),
    (2, 540, 1260),
    (3, 540, 1260),
    (4, 540, 1260),
    (5, 540, 1260),
    (6, 600, 1080),
];
pub(super) const DISTRICT_HOURS: &[(i16, i32, i32)] = &[
    (0, 540, 1140),
    (1, 540, 1140),
    (2, 540, 1140),
    (3, 540, 1140),
    (4, 540, 1140),
    (5, 600, 960),
];

pub(super) const CENTERS: [CenterSeed; 3] = [
    CenterSeed {
        slug: "karaganda-regional",
        names: [
            "Қарағанды облыстық жастар ресурстық орталығы",
            "Карагандинский областной молодёжный ресурсный центр",
            "Karaganda Regional Youth Resource Center",
        ],
        city: "Қарағанды / Караганда",
        hours: REGIONAL_HOURS,
    },
    CenterSeed {
        slug: "temirtau",
        names: [
            "Теміртау қалалық жастар ресурстық орталығы",
            "Темиртауский городской молодёжный ресурсный центр",
            "Temirtau Youth Resource Center",
        ],
        city: "Теміртау / Темиртау",
        hours: DISTRICT_HOURS,
    },
    CenterSeed {
        slug: "abay-district",
        names: [
            "Абай ауданының жастар ресурстық орталығы",
            "Молодёжный ресурсный центр Абайского района",
            "Abay District Youth Resource Center",
        ],
        city: "Абай",
        hours: DISTRICT_HOURS,
    },
];

/// A center's space made from its seed (demo and synthetic data).
pub(super) fn space_row(center_id: i32, s: &SpaceSeed) -> space::ActiveModel {
    space::ActiveModel {
        center_id: Set(center_id),
        kind: Set(s.kind),
        name_kk: Set(s.names[0].into()),
        name_ru: Set(s.names[1].into()),
        name_en: Set(s.names[2].into()),
        capacity: Set(s.capacity),
        slot_minutes: Set(s.slot_minutes),
        active: Set(true),
        cancel_notice_minutes: Set(60),
        min_minutes: Set(s.span.0),
        max_minutes: Set(s.span.1),
        buffer_minutes: Set(s.buffer_minutes),
        min_notice_minutes: Set(s.min_notice_minutes),
        max_advance_days: Set(s.max_advance_days),
        requires_approval: Set(s.requires_approval),
        requires_induction: Set(s.requires_induction),
        min_age: Set(s.min_age),
        max_party: Set(s.max_party),
        checkin_open_minutes: Set(15),
        no_show_minutes: Set(15),
        direction: Set(s.direction.map(Direction::of)),
        ..Default::default()
    }
}

/// The demo centers (the regional one first, the districts under it), their
/// opening hours and spaces. Returns the regional center's id.
pub(super) async fn insert_demo_centers(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let mut regional_id = None;
    for c in &CENTERS {
        let row = center::ActiveModel {
            parent_id: Set(regional_id),
            slug: Set(c.slug.into()),
            name_kk: Set(c.names[0].into()),
            name_ru: Set(c.names[1].into()),
            name_en: Set(c.names[2].into()),
            city: Set(c.city.into()),
            timezone: Set("Asia/Almaty".into()),
            created_at: Set(now),
            // Fair share: 3 upcoming bookings, 4 studio hours a week.
            max_future_bookings: Set(3),
            max_studio_minutes_week: Set(240),
            // Three no-shows in 30 days block booking for a week.
            strike_limit: Set(3),
            strike_window_days: Set(30),
            strike_block_days: Set(7),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        regional_id.get_or_insert(row.id);
        for (weekday, opens, closes) in c.hours {
            opening_hours::ActiveModel {
                center_id: Set(row.id),
                weekday: Set(*weekday),
                opens_min: Set(*opens),
                closes_min: Set(*closes),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        for s in &SPACES {
            space_row(row.id, s).insert(txn).await?;
        }
    }
    Ok(regional_id)
}
