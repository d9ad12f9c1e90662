//! The demo centers (the region of `region.rs`) and the spaces they have:
//! one seed per kind of space, with the rules a center runs by.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbErr, Set};

use app::domain::direction::Direction;
use app::domain::space::SpaceKind;
use app::model::space;

use super::region::{insert_center, REGION};

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
    /// What is in it, kk / ru / en.
    about: [&'static str; 3],
}

/// One space of each kind a demo center may have, with its rules.
const SPACES: [SpaceSeed; 8] = [
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
        about: [
            "Wi-Fi, розеткалар және 20 жұмыс орны: оқуға және жобамен жұмыс істеуге.",
            "Wi-Fi, розетки и 20 рабочих мест для учёбы и работы над проектами.",
            "Wi-Fi, power sockets and 20 desks for study and project work.",
        ],
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
        about: [
            "Төрт микрофон, пульт және дыбыс оқшаулау: подкаст пен сұхбат жазуға.",
            "Четыре микрофона, пульт и звукоизоляция для записи подкастов и интервью.",
            "Four microphones, a mixing desk and sound insulation for podcasts and interviews.",
        ],
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
        about: [
            "Вокал мен аспаптарды жазуға арналған студия; алдымен нұсқамадан өту керек.",
            "Студия для записи вокала и инструментов; сначала нужно пройти инструктаж.",
            "A studio for recording vocals and instruments; an induction comes first.",
        ],
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
        about: [
            "Жарық, фондар және штативтер: портрет пен заттарды түсіруге.",
            "Свет, фоны и штативы для портретной и предметной съёмки.",
            "Lights, backdrops and tripods for portraits and product shots.",
        ],
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
        about: [
            "Графикалық планшеттері мен дизайн бағдарламалары бар жұмыс станциялары.",
            "Рабочие станции с графическими планшетами и программами для дизайна.",
            "Workstations with drawing tablets and design software.",
        ],
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
        about: [
            "Проекторы мен дыбыс жүйесі бар 60 орындық зал; іс-шараға сұраныс бір күн бұрын жіберіледі.",
            "Зал на 60 мест с проектором и звуком; запрос на мероприятие отправляется за день.",
            "A 60-seat hall with a projector and sound; requests for events a day ahead.",
        ],
    },
    SpaceSeed {
        kind: SpaceKind::MeetingRoom,
        names: ["Келіссөз залы", "Переговорная", "Meeting room"],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 180),
        max_party: 12,
        buffer_minutes: 0,
        min_notice_minutes: 60,
        max_advance_days: 30,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: None,
        about: [
            "Үстел, экран және 12 орын: жоба командаларына және дөңгелек үстелдерге.",
            "Стол, экран и 12 мест для проектных команд и круглых столов.",
            "A table, a screen and 12 seats for project teams and round tables.",
        ],
    },
    SpaceSeed {
        kind: SpaceKind::SportsHall,
        names: ["Спорт залы", "Спортивный зал", "Sports hall"],
        capacity: 1,
        slot_minutes: 60,
        span: (60, 120),
        max_party: 20,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_advance_days: 14,
        requires_approval: false,
        requires_induction: false,
        min_age: 0,
        direction: Some("sport"),
        about: [
            "Мини-футбол, волейбол және үстел теннисі; спорт құрал-жабдығын орталық береді.",
            "Мини-футбол, волейбол и настольный теннис; инвентарь выдаёт центр.",
            "Five-a-side football, volleyball and table tennis; the center lends the equipment.",
        ],
    },
];

/// The seed of a space of this kind.
pub(super) fn space_seed(kind: SpaceKind) -> &'static SpaceSeed {
    SPACES.iter().find(|s| s.kind == kind).unwrap_or(&SPACES[0])
}

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
        description_kk: Set(s.about[0].into()),
        description_ru: Set(s.about[1].into()),
        description_en: Set(s.about[2].into()),
        ..Default::default()
    }
}

/// The demo centers (the regional one first, the districts under it), their
/// opening hours and spaces. Returns each center's id by slug.
pub(super) async fn insert_demo_centers(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
) -> Result<HashMap<&'static str, i32>, DbErr> {
    let mut ids = HashMap::new();
    let mut regional_id = None;
    for c in &REGION {
        let row = insert_center(txn, c, regional_id, now).await?;
        regional_id.get_or_insert(row.id);
        ids.insert(c.slug, row.id);
    }
    Ok(ids)
}
