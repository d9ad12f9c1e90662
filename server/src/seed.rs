//! Demo data: the Karaganda regional youth resource center, two district
//! centers, their spaces and demo accounts (names and wording after the news
//! articles the project grew from).

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use app::booking::dto::SpaceKind;
use app::domain::consultation::Field;
use app::domain::lending::{self, Condition, ItemKind, LoanStatus};
use app::membership::dto::Role;
use app::membership::service::hash_password;
use app::model::{
    account, center, consultation_slot, equipment_item, equipment_loan, mentor, opening_hours,
    person, space,
};

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

struct SpaceSeed {
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
}

/// The spaces every demo center has, with the rules a center runs by.
const SPACES: [SpaceSeed; 6] = [
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
    },
];

struct CenterSeed {
    slug: &'static str,
    names: [&'static str; 3],
    city: &'static str,
    /// (weekday 0 = Monday, opens, closes) in minutes after midnight.
    hours: &'static [(i16, i32, i32)],
}

const REGIONAL_HOURS: &[(i16, i32, i32)] = &[
    (0, 540, 1260),
    (1, 540, 1260),
    (2, 540, 1260),
    (3, 540, 1260),
    (4, 540, 1260),
    (5, 540, 1260),
    (6, 600, 1080),
];
const DISTRICT_HOURS: &[(i16, i32, i32)] = &[
    (0, 540, 1140),
    (1, 540, 1140),
    (2, 540, 1140),
    (3, 540, 1140),
    (4, 540, 1140),
    (5, 600, 960),
];

const CENTERS: [CenterSeed; 3] = [
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

/// Seed the demo data unless the database already has centers. Returns
/// whether anything was written. All or nothing: one transaction.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, DbErr> {
    if center::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let password_hash = hash_password(DEMO_PASSWORD);
    let txn = db.begin().await?;
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
        .insert(&txn)
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
            .insert(&txn)
            .await?;
        }
        for s in &SPACES {
            space::ActiveModel {
                center_id: Set(row.id),
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
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let langs = ["ru", "ru", "kk", "en", "kk", "kk"];
    // The demo minor is 15 years and 40 days old on the day of seeding.
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let fifteen = today.with_year(today.year() - 15).unwrap_or(today) - chrono::Duration::days(40);
    let birth = [
        NaiveDate::from_ymd_opt(2006, 4, 12).expect("valid date"),
        NaiveDate::from_ymd_opt(1999, 9, 3).expect("valid date"),
        NaiveDate::from_ymd_opt(1988, 1, 20).expect("valid date"),
        NaiveDate::from_ymd_opt(1985, 6, 7).expect("valid date"),
        fifteen,
        NaiveDate::from_ymd_opt(1991, 11, 14).expect("valid date"),
    ];
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
        .insert(&txn)
        .await?;
        account::ActiveModel {
            person_id: Set(p.id),
            password_hash: Set(password_hash.clone()),
            role: Set(d.role.as_str().into()),
            home_center_id: Set(regional_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if let Some(regional) = regional_id {
        seed_mentors(&txn, regional, &password_hash, now).await?;
        seed_equipment(&txn, regional, &password_hash, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// A person with a member (or mentor) account that has no printed login.
async fn extra_person<C: ConnectionTrait>(
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

async fn account_by_email<C: ConnectionTrait>(
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
async fn seed_mentors<C: ConnectionTrait>(
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
async fn seed_equipment<C: ConnectionTrait>(
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
