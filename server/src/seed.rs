//! Demo data: the Karaganda regional youth resource center, two district
//! centers, their spaces and demo accounts (names and wording after the news
//! articles the project grew from).

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use app::access::session::hash_password;
use app::domain::consultation::Field;
use app::domain::direction::Direction;
use app::domain::lending::{self, Condition, ItemKind, LoanStatus};
use app::domain::people::Education;
use app::domain::people::Role;
use app::domain::space::SpaceKind;
use app::model::{
    account, center, consultation_slot, equipment_item, equipment_loan, mentor, opening_hours,
    person, program, program_application, program_attendance, program_session, space,
};

pub mod synthetic;

pub const DEMO_PASSWORD: &str = "ortalyq-demo";

/// A demo login printed at start.
pub struct DemoLogin {
    pub role: Role,
    pub login: &'static str,
    pub phone: &'static str,
    pub name: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 6] = [
    DemoLogin {
        role: Role::Visitor,
        login: "visitor@demo.ortalyq.kz",
        phone: "+77010000001",
        name: "Аружан Сейтқали",
    },
    DemoLogin {
        role: Role::FrontDesk,
        login: "desk@demo.ortalyq.kz",
        phone: "+77010000002",
        name: "Дана Ержанова",
    },
    DemoLogin {
        role: Role::Director,
        login: "director@demo.ortalyq.kz",
        phone: "+77010000003",
        name: "Асхат Қабиев",
    },
    DemoLogin {
        role: Role::Admin,
        login: "admin@demo.ortalyq.kz",
        phone: "+77010000004",
        name: "Гүлнар Әбенова",
    },
    // 15 years old, guardian's consent not yet recorded: browses but cannot book.
    DemoLogin {
        role: Role::Visitor,
        login: "minor@demo.ortalyq.kz",
        phone: "+77010000005",
        name: "Әлихан Серікұлы",
    },
    // The regional center's psychologist: publishes consultation times.
    DemoLogin {
        role: Role::Mentor,
        login: "psychologist@demo.ortalyq.kz",
        phone: "+77010000006",
        name: "Мадина Жақсылықова",
    },
];

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
    direction: Option<Direction>,
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
        direction: Some(Direction::Media),
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
        direction: Some(Direction::Culture),
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
        direction: Some(Direction::Media),
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
        direction: Some(Direction::It),
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
        kind: Set(s.kind.as_str().into()),
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
        direction: Set(s.direction.map(|d| d.as_str().into())),
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

/// Seed the demo data unless the database already has centers. Returns
/// whether anything was written. All or nothing: one transaction.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, DbErr> {
    if center::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = db.begin().await?;
    let regional_id = insert_demo_centers(&txn, now).await?;
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let visitor_person = insert_demo_logins(&txn, regional_id, &password_hash, today, now).await?;
    if let (Some(center_id), Some(visitor)) = (regional_id, visitor_person) {
        seed_programs(&txn, center_id, visitor, today, now).await?;
    }
    if let Some(regional) = regional_id {
        seed_mentors(&txn, regional, &password_hash, now).await?;
        seed_equipment(&txn, regional, &password_hash, now).await?;
    }
    txn.commit().await?;
    seed_activities(db, now).await?;
    Ok(true)
}

/// The people and accounts of the printed demo logins, at the regional
/// center. Returns the demo visitor's person id.
pub(super) async fn insert_demo_logins(
    txn: &DatabaseTransaction,
    regional_id: Option<i32>,
    password_hash: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let langs = ["ru", "ru", "kk", "en", "kk", "kk"];
    // The demo minor is 15 years and 40 days old on the day of seeding.
    let fifteen = today.with_year(today.year() - 15).unwrap_or(today) - chrono::Duration::days(40);
    let birth = [
        NaiveDate::from_ymd_opt(2006, 4, 12).expect("valid date"),
        NaiveDate::from_ymd_opt(1999, 9, 3).expect("valid date"),
        NaiveDate::from_ymd_opt(1988, 1, 20).expect("valid date"),
        NaiveDate::from_ymd_opt(1985, 6, 7).expect("valid date"),
        fifteen,
        NaiveDate::from_ymd_opt(1991, 11, 14).expect("valid date"),
    ];
    let mut visitor_person = None;
    for (i, d) in DEMO_LOGINS.iter().enumerate() {
        let p = person::ActiveModel {
            full_name: Set(d.name.into()),
            birth_date: Set(birth[i]),
            phone: Set(Some(d.phone.into())),
            email: Set(Some(d.login.into())),
            preferred_lang: Set(langs[i].into()),
            created_at: Set(now),
            iin: Set(None),
            settlement: Set(if i == 4 { "rural" } else { "city" }.into()),
            occupation: Set(if i == 4 { "pupil" } else { "employed" }.into()),
            education: Set(if i == 4 { "basic" } else { "bachelor" }.into()),
            guardian_name: Set((i == 4).then(|| "Серік Әлиханов".to_string())),
            guardian_phone: Set((i == 4).then(|| "+77010000015".to_string())),
            eligibility_override: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        if i == 0 {
            visitor_person = Some(p.id);
        }
        account::ActiveModel {
            person_id: Set(p.id),
            password_hash: Set(password_hash.to_string()),
            role: Set(d.role.as_str().into()),
            home_center_id: Set(regional_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(visitor_person)
}

/// A demo club: weekday (0 = Monday), start, minutes, room kind, center,
/// names and description (kk, ru, en).
struct ClubSeed {
    center: &'static str,
    room: SpaceKind,
    weekday: u32,
    time: &'static str,
    minutes: u32,
    capacity: u32,
    ages: (u32, u32),
    anonymous: bool,
    direction: &'static str,
    names: [&'static str; 3],
    about: [&'static str; 3],
}

const CLUBS: [ClubSeed; 5] = [
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 0,
        time: "19:00",
        minutes: 90,
        capacity: 15,
        ages: (0, 0),
        anonymous: false,
        direction: "culture",
        names: ["Домбыра үйірмесі", "Кружок игры на домбре", "Dombra club"],
        about: [
            "Күйлер мен әндерді бірге үйренеміз. Домбыраны орталық береді.",
            "Разучиваем кюи и песни вместе. Домбру выдаёт центр.",
            "Learn kuis and songs together. The center lends the dombras.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 2,
        time: "19:00",
        minutes: 90,
        capacity: 20,
        ages: (16, 35),
        anonymous: false,
        direction: "culture",
        names: ["Шешендік өнер клубы", "Клуб ораторского искусства", "Public speaking club"],
        about: [
            "Көпшілік алдында сөйлеуге, пікірталасқа дайындаламыз.",
            "Учимся выступать публично и вести дебаты.",
            "Practise speaking in public and debating.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 1,
        time: "19:00",
        minutes: 90,
        capacity: 12,
        ages: (0, 0),
        anonymous: false,
        direction: "culture",
        names: ["Ән студиясы", "Вокальная студия", "Singing studio"],
        about: [
            "Вокал, ансамбль және сахнаға шығу.",
            "Вокал, ансамбль и выступления на сцене.",
            "Voice, ensemble singing and performing on stage.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 6,
        time: "16:00",
        minutes: 90,
        capacity: 30,
        ages: (0, 0),
        anonymous: true,
        direction: "volunteering",
        names: [
            "Анонимді тең-көмек тобы",
            "Клуб анонимных созависимых",
            "Anonymous co-dependents group",
        ],
        about: [
            "Тәуелділігі бар адамдардың отбасыларына арналған қолдау тобы. Тіркелу жоқ, аты-жөніңіз жазылмайды.",
            "Группа поддержки для семей людей с зависимостями. Без записи, имена не записываются.",
            "A support group for families of people with addictions. No sign-up; names are never recorded.",
        ],
    },
    ClubSeed {
        center: "temirtau",
        room: SpaceKind::LectureHall,
        weekday: 3,
        time: "17:00",
        minutes: 90,
        capacity: 25,
        ages: (18, 35),
        anonymous: false,
        direction: "entrepreneurship",
        names: ["Бизнес-клуб", "Бизнес-клуб", "Business club"],
        about: [
            "«Атамекен» ҰКП-мен бірге: өз ісін бастағысы келетін жастарға кездесулер.",
            "Совместно с НПП «Атамекен»: встречи для молодёжи, которая хочет открыть своё дело.",
            "Run with the Atameken chamber: meetings for young people starting a business.",
        ],
    },
];

/// A demo event: days from today, start, minutes, room, capacity.
struct EventSeed {
    in_days: i64,
    time: &'static str,
    minutes: u32,
    room: SpaceKind,
    capacity: u32,
    direction: &'static str,
    names: [&'static str; 3],
    about: [&'static str; 3],
}

const EVENTS: [EventSeed; 3] = [
    EventSeed {
        in_days: 9,
        time: "16:00",
        minutes: 120,
        room: SpaceKind::PodcastStudio,
        capacity: 6,
        direction: "media",
        names: [
            "Подкаст жазу: қонақпен сұхбат",
            "Запись подкаста с гостем",
            "Podcast recording with a guest",
        ],
        about: [
            "Жергілікті кәсіпкермен тікелей жазба. Тыңдармандар студияда отырады.",
            "Запись в прямом эфире с местным предпринимателем. Слушатели сидят в студии.",
            "A live recording with a local entrepreneur; the audience sits in the studio.",
        ],
    },
    EventSeed {
        in_days: 10,
        time: "19:00",
        minutes: 120,
        room: SpaceKind::LectureHall,
        capacity: 60,
        direction: "culture",
        names: ["Стендап кеші", "Стендап-вечер", "Stand-up evening"],
        about: [
            "Стендап-әртістерді дайындау бағдарламасының түлектері сахнада.",
            "На сцене выпускники программы подготовки стендап-артистов.",
            "Graduates of the stand-up training programme on stage.",
        ],
    },
    EventSeed {
        in_days: 11,
        time: "17:00",
        minutes: 120,
        room: SpaceKind::LectureHall,
        capacity: 60,
        direction: "ecology",
        names: [
            "Кино көрсетілімі: Арал туралы деректі фильм",
            "Кинопоказ: документальный фильм об Арале",
            "Film screening: a documentary about the Aral Sea",
        ],
        about: [
            "Көрсетілімнен кейін экобелсенділермен талқылау.",
            "После показа — обсуждение с экоактивистами.",
            "A discussion with eco-activists follows the film.",
        ],
    },
];

/// Clubs (a 12-week term from today) and events, created through the same
/// services directors use, so the demo data passes the same rules.
pub(super) async fn seed_activities(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use app::clubs::dto::{ClubForm, EventForm};
    use sea_orm::{ColumnTrait, QueryFilter};
    let fail = |e: app::error::AppError| DbErr::Custom(format!("demo activity: {e}"));
    let admin = app::access::session::CurrentUser {
        account_id: 0,
        person_id: 0,
        full_name: String::new(),
        role: Role::Admin,
        home_center_id: None,
        lang: app::i18n::Locale::Kk,
    };
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let room = |slug: &'static str, kind: SpaceKind| async move {
        let c = center::Entity::find()
            .filter(center::Column::Slug.eq(slug))
            .one(db)
            .await?
            .ok_or_else(|| DbErr::Custom(format!("no center {slug}")))?;
        space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .filter(space::Column::Kind.eq(kind.as_str()))
            .one(db)
            .await?
            .map(|s| s.id)
            .ok_or_else(|| DbErr::Custom(format!("no {kind:?} in {slug}")))
    };
    // The psychologist leads the support group; the media mentor coaches
    // public speaking.
    let leader = |email: &'static str| async move {
        let Some(p) = person::Entity::find()
            .filter(person::Column::Email.eq(email))
            .one(db)
            .await?
        else {
            return Ok::<i32, DbErr>(0);
        };
        Ok(account::Entity::find()
            .filter(account::Column::PersonId.eq(p.id))
            .one(db)
            .await?
            .map_or(0, |a| a.id))
    };
    for c in &CLUBS {
        let leader_account_id = match (c.anonymous, c.names[2]) {
            (true, _) => leader("psychologist@demo.ortalyq.kz").await?,
            (_, "Public speaking club") => leader("media.mentor@demo.ortalyq.kz").await?,
            _ => 0,
        };
        let f = ClubForm {
            space_id: room(c.center, c.room).await?,
            leader_account_id,
            name_kk: c.names[0].into(),
            name_ru: c.names[1].into(),
            name_en: c.names[2].into(),
            description_kk: c.about[0].into(),
            description_ru: c.about[1].into(),
            description_en: c.about[2].into(),
            direction: c.direction.into(),
            weekday: c.weekday,
            start_time: c.time.into(),
            duration_minutes: c.minutes,
            term_start: today.to_string(),
            term_end: (today + chrono::Duration::weeks(12)).to_string(),
            capacity: c.capacity,
            min_age: c.ages.0,
            max_age: c.ages.1,
            anonymous: c.anonymous,
        };
        app::clubs::service::create(db, &admin, &f, now)
            .await
            .map_err(fail)?;
    }
    for e in &EVENTS {
        let mut f = EventForm {
            space_id: room("karaganda-regional", e.room).await?,
            name_kk: e.names[0].into(),
            name_ru: e.names[1].into(),
            name_en: e.names[2].into(),
            description_kk: e.about[0].into(),
            description_ru: e.about[1].into(),
            description_en: e.about[2].into(),
            direction: e.direction.into(),
            date: (today + chrono::Duration::days(e.in_days)).to_string(),
            start_time: e.time.into(),
            duration_minutes: e.minutes,
            capacity: e.capacity,
            min_age: 0,
        };
        // The first day on or after the wanted one when the center is open
        // then and the room is free (the clock decides which weekday).
        let mut created = false;
        for extra in 0..14 {
            f.date = (today + chrono::Duration::days(e.in_days + extra)).to_string();
            match app::clubs::events::create(db, &admin, &f, now).await {
                Ok(_) => {
                    created = true;
                    break;
                }
                Err(
                    app::error::AppError::SlotNotOffered | app::error::AppError::SpaceTaken { .. },
                ) => continue,
                Err(other) => return Err(fail(other)),
            }
        }
        if !created {
            return Err(DbErr::Custom(format!("no free day for {}", e.names[2])));
        }
    }
    Ok(())
}

/// A demo instant: `days` after `today` at `hour`:00 Almaty time.
fn local_at(today: NaiveDate, days: i64, hour: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    let date = today + chrono::Duration::days(days);
    chrono_tz::Asia::Almaty
        .from_local_datetime(&date.and_hms_opt(hour, 0, 0).expect("valid time"))
        .earliest()
        .expect("Almaty has no DST gaps")
        .with_timezone(&Utc)
}

struct ProgramSeed {
    names: [&'static str; 3],
    descriptions: [&'static str; 3],
    direction: Direction,
    ages: (Option<i32>, Option<i32>),
    min_education: Option<Education>,
    rural_only: bool,
    capacity: i32,
    /// First session (days from today), hour, sessions, minutes, title.
    first_day: i64,
    hour: u32,
    sessions: i64,
    minutes: i64,
    title: &'static str,
}

const PROGRAMS: [ProgramSeed; 3] = [
    ProgramSeed {
        names: ["Аналитика мектебі", "Школа аналитики", "School of Analytics"],
        descriptions: [
            "Бұрын тек Парламент Сенаты жанында жұмыс істеген пилоттық алаң. Магистр дәрежесінен төмен емес білімі бар қатысушылар бес апта бойы өзекті мәселелер бойынша талдау және ұсыныстар дайындау әдістерін тереңдетіп оқиды.",
            "Пилотная площадка, которая ранее работала только при Сенате Парламента. Участники с образованием не ниже степени магистра в течение пяти недель углублённо изучают методы анализа и подготовки рекомендаций по актуальным вопросам.",
            "A pilot school that used to run only at the Senate of Parliament. For five weeks, participants holding at least a master's degree study in depth how to analyse current issues and prepare policy recommendations.",
        ],
        direction: Direction::It,
        ages: (Some(21), Some(35)),
        min_education: Some(Education::Master),
        rural_only: false,
        capacity: 20,
        first_day: 6,
        hour: 18,
        sessions: 5,
        minutes: 120,
        title: "Аналитика / Аналитика",
    },
    ProgramSeed {
        names: ["Ұлт қазынасы", "Ұлт қазынасы (сельская молодёжь)", "Ult Qazynasy (rural youth)"],
        descriptions: [
            "Ауыл жастарына арналған бағдарлама: жергілікті жастардың әлеуетін ашып, олардың қалаға кетуінің алдын алу және туған ауылында өзін-өзі жүзеге асыруға жағдай жасау. Тәлімгерлер — түрлі саладағы мамандар.",
            "Программа для сельской молодёжи: раскрыть потенциал молодых людей на местах, предотвратить их отток в города и создать условия для самореализации в родных сёлах. Наставниками выступают специалисты из разных сфер.",
            "A program for rural youth: to unlock young people's potential where they live, keep them from leaving for the cities and help them build their lives in their home villages. Mentors are specialists from many fields.",
        ],
        direction: Direction::Entrepreneurship,
        ages: (Some(18), Some(35)),
        min_education: None,
        rural_only: true,
        capacity: 15,
        first_day: 4,
        hour: 11,
        sessions: 4,
        minutes: 180,
        title: "Тәлімгермен кездесу / Встреча с наставником",
    },
    ProgramSeed {
        names: ["Жас журналист мектебі", "Школа юного журналиста", "Young Journalists' School"],
        descriptions: [
            "Подкаст студиясында үш апталық курс: сұхбат алу, мәтін жазу, монтаж.",
            "Трёхнедельный курс в подкаст-студии: интервью, тексты, монтаж.",
            "A three-week course in the podcast studio: interviews, writing, editing.",
        ],
        direction: Direction::Media,
        ages: (Some(14), Some(35)),
        min_education: None,
        rural_only: false,
        capacity: 12,
        first_day: -30,
        hour: 17,
        sessions: 3,
        minutes: 120,
        title: "Медиа-сабақ / Медиа-занятие",
    },
];

/// Three programs of the regional center: the School of Analytics and the
/// rural-youth program ahead (with applications waiting for review), and a
/// finished media school whose certificate the demo visitor holds.
pub(super) async fn seed_programs(
    txn: &DatabaseTransaction,
    center_id: i32,
    visitor: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let creator = program_creator(txn).await?;
    // Applicants waiting for review (people without accounts of their own:
    // applications taken at the desk).
    let pending = desk_applicants(txn, now).await?;
    for (i, ps) in PROGRAMS.iter().enumerate() {
        let p = program_row(ps, center_id, creator, today, now)
            .insert(txn)
            .await?;
        let session_ids = insert_sessions(txn, p.id, ps, today).await?;
        let application =
            |person_id: i32, status: &str, motivation: &str| program_application::ActiveModel {
                program_id: Set(p.id),
                person_id: Set(person_id),
                status: Set(status.into()),
                motivation: Set(motivation.into()),
                decision_reason: Set(None),
                decided_by: Set(None),
                decided_at: Set(None),
                created_at: Set(now - chrono::Duration::days(2)),
                completed_at: Set(None),
                certificate_code: Set(None),
                ..Default::default()
            };
        if let Some((person_id, motivation)) = pending.get(i) {
            application(*person_id, "submitted", motivation)
                .insert(txn)
                .await?;
        } else {
            // The finished media school: the demo visitor attended every
            // session and holds its certificate.
            let mut a = application(visitor, "accepted", "Подкаст жүргізуді үйренгім келеді.");
            a.decided_by = Set(Some(creator));
            a.decided_at = Set(Some(local_at(today, ps.first_day - 5, 12)));
            a.completed_at = Set(Some(local_at(today, ps.first_day + 15, 12)));
            a.certificate_code = Set(Some(DEMO_CERTIFICATE.into()));
            a.insert(txn).await?;
            attend_every_session(
                txn,
                session_ids,
                visitor,
                creator,
                local_at(today, ps.first_day, 20),
            )
            .await?;
        }
    }
    Ok(())
}

/// The director's account, who created the demo programs (0: none).
async fn program_creator(txn: &DatabaseTransaction) -> Result<i32, DbErr> {
    let creator = account::Entity::find()
        .filter(account::Column::Role.eq(Role::Director.as_str()))
        .one(txn)
        .await?
        .map(|a| a.id)
        .unwrap_or(0);
    Ok(creator)
}

/// Applicants waiting for review, with their motivation letters.
async fn desk_applicants(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
) -> Result<[(i32, &'static str); 2], DbErr> {
    let dinara = person::ActiveModel {
        full_name: Set("Динара Оспанова".into()),
        birth_date: Set(NaiveDate::from_ymd_opt(1996, 3, 14).expect("valid date")),
        phone: Set(None),
        email: Set(None),
        preferred_lang: Set("ru".into()),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set("city".into()),
        occupation: Set("employed".into()),
        education: Set("master".into()),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let erlan = person::ActiveModel {
        full_name: Set("Ерлан Мұратов".into()),
        birth_date: Set(NaiveDate::from_ymd_opt(2002, 8, 30).expect("valid date")),
        phone: Set(None),
        email: Set(None),
        preferred_lang: Set("kk".into()),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set("rural".into()),
        occupation: Set("neet".into()),
        education: Set("vocational".into()),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok([
        (
            dinara.id,
            "Работаю аналитиком в акимате, хочу научиться готовить рекомендации по молодёжной политике.",
        ),
        (
            erlan.id,
            "Ауылымызда жастар орталығын ашқым келеді, тәлімгердің көмегі керек.",
        ),
    ])
}

/// A demo program's row: applications close the day before it starts.
fn program_row(
    ps: &ProgramSeed,
    center_id: i32,
    creator: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> program::ActiveModel {
    program::ActiveModel {
        center_id: Set(center_id),
        name_kk: Set(ps.names[0].into()),
        name_ru: Set(ps.names[1].into()),
        name_en: Set(ps.names[2].into()),
        description_kk: Set(ps.descriptions[0].into()),
        description_ru: Set(ps.descriptions[1].into()),
        description_en: Set(ps.descriptions[2].into()),
        direction: Set(ps.direction.as_str().into()),
        min_age: Set(ps.ages.0),
        max_age: Set(ps.ages.1),
        min_education: Set(ps.min_education.map(|e| e.as_str().to_string())),
        rural_only: Set(ps.rural_only),
        occupations: Set(String::new()),
        capacity: Set(ps.capacity),
        completion_percent: Set(80),
        applications_close_on: Set(Some(today + chrono::Duration::days(ps.first_day - 1))),
        active: Set(true),
        created_by: Set(creator),
        created_at: Set(now),
        ..Default::default()
    }
}

/// A program's weekly sessions. Returns their ids, first session first.
async fn insert_sessions(
    txn: &DatabaseTransaction,
    program_id: i32,
    ps: &ProgramSeed,
    today: NaiveDate,
) -> Result<Vec<i32>, DbErr> {
    let mut session_ids = Vec::new();
    for w in 0..ps.sessions {
        let starts = local_at(today, ps.first_day + 7 * w, ps.hour);
        let s = program_session::ActiveModel {
            program_id: Set(program_id),
            starts_at: Set(starts),
            ends_at: Set(starts + chrono::Duration::minutes(ps.minutes)),
            title: Set(format!("{} {}", ps.title, w + 1)),
            space_id: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        session_ids.push(s.id);
    }
    Ok(session_ids)
}

/// The demo visitor's attendance at every session of the finished school,
/// marked by `creator`.
async fn attend_every_session(
    txn: &DatabaseTransaction,
    session_ids: Vec<i32>,
    visitor: i32,
    creator: i32,
    marked_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    for sid in session_ids {
        program_attendance::ActiveModel {
            session_id: Set(sid),
            person_id: Set(visitor),
            marked_by: Set(creator),
            marked_at: Set(marked_at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The demo visitor's certificate of the finished media school
/// (`/certificates/<code>`).
pub const DEMO_CERTIFICATE: &str = "DEMQ7CERT2MEDIA4SCHL";

/// A person with a member (or mentor) account that has no printed login.
pub(super) async fn extra_person<C: ConnectionTrait>(
    db: &C,
    name: &str,
    email: &str,
    role: Role,
    center_id: i32,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(person::Model, account::Model), DbErr> {
    let p = person::ActiveModel {
        full_name: Set(name.into()),
        birth_date: Set(NaiveDate::from_ymd_opt(1996, 3, 8).expect("valid date")),
        phone: Set(None),
        email: Set(Some(email.into())),
        preferred_lang: Set("kk".into()),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set("city".into()),
        occupation: Set("employed".into()),
        education: Set("bachelor".into()),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let a = account::ActiveModel {
        person_id: Set(p.id),
        password_hash: Set(password_hash.into()),
        role: Set(role.as_str().into()),
        home_center_id: Set(Some(center_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((p, a))
}

pub(super) async fn account_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<(person::Model, account::Model), DbErr> {
    let p = person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(email.into()))?;
    let a = account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(email.into()))?;
    Ok((p, a))
}

/// (field, languages, name, email, bio kk / ru / en). The first is the
/// demo mentor login (the psychologist).
const MENTORS: [(Field, &str, &str, &str, [&str; 3]); 5] = [
    (
        Field::Psychology,
        "kk,ru",
        "Мадина Жақсылықова",
        "psychologist@demo.ortalyq.kz",
        [
            "Психолог. Емтихан алдындағы мазасыздық, отбасы мен достармен қарым-қатынас, өзіне сенімділік. Кеңес құпия.",
            "Психолог. Тревога перед экзаменами, отношения с семьёй и друзьями, уверенность в себе. Консультация конфиденциальна.",
            "Psychologist. Exam anxiety, relationships with family and friends, self-confidence. Consultations are confidential.",
        ],
    ),
    (
        Field::It,
        "kk,ru,en",
        "Данияр Омаров",
        "it.mentor@demo.ortalyq.kz",
        [
            "Бағдарламашы. Алғашқы жоба, GitHub портфолиосы, IT-мамандыққа жол.",
            "Разработчик. Первый проект, портфолио на GitHub, путь в IT-профессию.",
            "Software developer. A first project, a GitHub portfolio, the way into an IT career.",
        ],
    ),
    (
        Field::Media,
        "kk,ru",
        "Айгерім Нұрланқызы",
        "media.mentor@demo.ortalyq.kz",
        [
            "Журналист. Подкаст, сұхбат алу, әлеуметтік желілерге контент.",
            "Журналист. Подкасты, интервью, контент для соцсетей.",
            "Journalist. Podcasts, interviews, content for social media.",
        ],
    ),
    (
        Field::Business,
        "ru,en",
        "Сергей Ким",
        "business.mentor@demo.ortalyq.kz",
        [
            "Кәсіпкер. Бизнес-жоспар, гранттар, кейс-чемпионаттарға дайындық.",
            "Предприниматель. Бизнес-план, гранты, подготовка к кейс-чемпионатам.",
            "Entrepreneur. Business plans, grants, preparing for case championships.",
        ],
    ),
    (
        Field::Sport,
        "kk",
        "Бауыржан Сәрсенов",
        "sport.mentor@demo.ortalyq.kz",
        [
            "Жаттықтырушы. Жаттығу жоспары, жарыстарға дайындық, салауатты өмір салты.",
            "Тренер. План тренировок, подготовка к соревнованиям, здоровый образ жизни.",
            "Coach. Training plans, preparing for competitions, a healthy lifestyle.",
        ],
    ),
];

/// Mentors of several fields at the regional center with 45-minute times on
/// the next five days; the demo visitor has booked the psychologist.
pub(super) async fn seed_mentors<C: ConnectionTrait>(
    db: &C,
    regional: i32,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let tz = chrono_tz::Asia::Almaty;
    let today = now.with_timezone(&tz).date_naive();
    let (visitor, _) = account_by_email(db, "visitor@demo.ortalyq.kz").await?;
    for (i, (field, langs, name, email, bio)) in MENTORS.iter().enumerate() {
        let acc = if i == 0 {
            account_by_email(db, email).await?.1
        } else {
            extra_person(db, name, email, Role::Mentor, regional, password_hash, now)
                .await?
                .1
        };
        let m = mentor::ActiveModel {
            account_id: Set(acc.id),
            center_id: Set(regional),
            field: Set(field.as_str().into()),
            languages: Set((*langs).into()),
            bio_kk: Set(bio[0].into()),
            bio_ru: Set(bio[1].into()),
            bio_en: Set(bio[2].into()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for day in 1..=5 {
            for hour in [15, 16] {
                let local = (today + chrono::Duration::days(day))
                    .and_hms_opt(hour + i as u32 % 3, 0, 0)
                    .expect("valid time");
                let starts = tz
                    .from_local_datetime(&local)
                    .earliest()
                    .expect("no DST in Kazakhstan")
                    .with_timezone(&Utc);
                let booked = i == 0 && day == 2 && hour == 15;
                consultation_slot::ActiveModel {
                    mentor_id: Set(m.id),
                    starts_at: Set(starts),
                    ends_at: Set(starts + chrono::Duration::minutes(45)),
                    booked_by: Set(booked.then_some(visitor.id)),
                    booked_at: Set(booked.then_some(now)),
                    topic: Set(booked.then(|| "Емтихан алдындағы мазасыздық".to_string())),
                    cancelled_at: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// (kind, name, serial, label, condition, loan days, needs the sound-studio induction)
const EQUIPMENT: [(ItemKind, &str, &str, &str, Condition, i32, bool); 6] = [
    (
        ItemKind::Camera,
        "Sony Alpha a6400",
        "SN-A6400-3391027",
        "EQ-0001",
        Condition::Good,
        2,
        false,
    ),
    (
        ItemKind::LightKit,
        "Godox SL60W (2 шт.)",
        "GDX-SL60-18842",
        "EQ-0002",
        Condition::Good,
        2,
        false,
    ),
    (
        ItemKind::Microphone,
        "Rode VideoMic Pro+",
        "RODE-VMP-77120",
        "EQ-0003",
        Condition::Worn,
        3,
        false,
    ),
    (
        ItemKind::SoundKit,
        "Zoom H6 + Audio-Technica ATH-M50x",
        "ZOOM-H6-004519",
        "EQ-0004",
        Condition::Good,
        2,
        true,
    ),
    (
        ItemKind::Tripod,
        "Manfrotto 190X",
        "MF-190X-22017",
        "EQ-0005",
        Condition::Good,
        3,
        false,
    ),
    (
        ItemKind::Camera,
        "Canon EOS 250D",
        "CN-250D-55310",
        "EQ-0006",
        Condition::Good,
        2,
        false,
    ),
];

/// The regional center's lending shelf, and one loan two days overdue (the
/// Canon, borrowed by a member who is not a demo login).
pub(super) async fn seed_equipment<C: ConnectionTrait>(
    db: &C,
    regional: i32,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let sound = space::Entity::find()
        .filter(space::Column::CenterId.eq(regional))
        .filter(space::Column::Kind.eq(SpaceKind::SoundStudio.as_str()))
        .one(db)
        .await?
        .map(|s| s.id);
    let mut last = None;
    for (kind, name, serial, label, condition, days, induction) in EQUIPMENT {
        last = Some(
            equipment_item::ActiveModel {
                center_id: Set(regional),
                kind: Set(kind.as_str().into()),
                name: Set(name.into()),
                serial: Set(serial.into()),
                label_code: Set(label.into()),
                condition: Set(condition.as_str().into()),
                notes: Set(None),
                induction_space_id: Set(if induction { sound } else { None }),
                loan_days: Set(days),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let (borrower, _) = extra_person(
        db,
        "Ернар Бекболатов",
        "ernar@demo.ortalyq.kz",
        Role::Visitor,
        regional,
        password_hash,
        now,
    )
    .await?;
    let (_, desk) = account_by_email(db, "desk@demo.ortalyq.kz").await?;
    if let Some(canon) = last {
        let out = now - chrono::Duration::days(4);
        equipment_loan::ActiveModel {
            item_id: Set(canon.id),
            person_id: Set(borrower.id),
            status: Set(LoanStatus::Out.as_str().into()),
            reserved_at: Set(out),
            pickup_on: Set(Some(
                out.with_timezone(&chrono_tz::Asia::Almaty).date_naive(),
            )),
            due_at: Set(Some(lending::due_at(out, chrono_tz::Asia::Almaty, 2))),
            checked_out_at: Set(Some(out)),
            checked_out_by: Set(Some(desk.id)),
            returned_at: Set(None),
            returned_by: Set(None),
            return_condition: Set(None),
            return_note: Set(None),
            cancelled_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
