//! The demo clubs and events.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use app::domain::people::Role;
use app::domain::space::SpaceKind;
use app::model::{account, center, person, space};

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

/// The regional center's seven interest clubs (dombra, public speaking,
/// singing, KVN, books, English, chess), its support group and the business
/// club run with Atameken, and a club at three district and city centers.
const CLUBS: [ClubSeed; 12] = [
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
        names: ["Домбыра клубы", "Клуб игры на домбре", "Dombra club"],
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
            "Көпшілік алдында сөйлеуге және пікірсайысқа жаттығамыз.",
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
            "Тәуелді адамдардың жақындарына арналған анонимді клуб",
            "Клуб анонимных созависимых",
            "Anonymous co-dependents group",
        ],
        about: [
            "Тәуелділігі бар адамдардың отбасыларына арналған қолдау тобы. Алдын ала жазылудың қажеті жоқ, есімдер ешқашан жазылмайды.",
            "Группа поддержки для семей людей с зависимостями. Без записи; имена нигде не сохраняются.",
            "A support group for families of people with addictions. No sign-up; names are never recorded.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
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
            "«Атамекен» ҰКП-мен бірге: өз ісін ашқысы келетін жастарға арналған сабақтар.",
            "Совместно с НПП «Атамекен»: занятия для молодёжи, которая хочет открыть своё дело.",
            "Run with the Atameken chamber: meetings for young people starting a business.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 4,
        time: "19:00",
        minutes: 90,
        capacity: 25,
        ages: (14, 35),
        anonymous: false,
        direction: "culture",
        names: ["КВН клубы", "Клуб КВН", "KVN comedy club"],
        about: [
            "Әзіл-сықақ нөмірлерін жазып, сахнада ойнаймыз; командалар облыстық ойындарға дайындалады.",
            "Пишем сценарии и шутки, играем на сцене; команды готовятся к областным играм.",
            "Write sketches and jokes and play them on stage; teams prepare for the regional games.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 5,
        time: "12:00",
        minutes: 90,
        capacity: 20,
        ages: (0, 0),
        anonymous: false,
        direction: "culture",
        names: ["Кітап клубы", "Книжный клуб", "Book club"],
        about: [
            "Айына бір кітап оқып, бірге талқылаймыз: қазақ әдебиеті де, әлем әдебиеті де.",
            "Одна книга в месяц и обсуждение вместе: казахская и мировая литература.",
            "One book a month, discussed together: Kazakh and world literature.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 5,
        time: "16:00",
        minutes: 90,
        capacity: 20,
        ages: (0, 0),
        anonymous: false,
        direction: "international",
        names: [
            "Ағылшын тілінде сөйлесу клубы",
            "Разговорный клуб английского языка",
            "English speaking club",
        ],
        about: [
            "Ағылшынша еркін сөйлеуге жаттығамыз: ойындар, пікірталас, шетелдік еріктілермен әңгімелесу.",
            "Практикуем свободную речь на английском: игры, дискуссии, общение с иностранными волонтёрами.",
            "Practise speaking English freely: games, discussions and meetings with volunteers from abroad.",
        ],
    },
    ClubSeed {
        center: "karaganda-regional",
        room: SpaceKind::LectureHall,
        weekday: 6,
        time: "12:00",
        minutes: 120,
        capacity: 16,
        ages: (0, 0),
        anonymous: false,
        direction: "sport",
        names: ["Шахмат клубы", "Шахматный клуб", "Chess club"],
        about: [
            "Жаңадан бастағандарға да, разрядтыларға да: партиялар, есептер, айына бір турнир.",
            "Для новичков и разрядников: партии, задачи, турнир раз в месяц.",
            "For beginners and rated players alike: games, puzzles and a tournament every month.",
        ],
    },
    ClubSeed {
        center: "temirtau",
        room: SpaceKind::LectureHall,
        weekday: 2,
        time: "16:00",
        minutes: 90,
        capacity: 24,
        ages: (14, 17),
        anonymous: false,
        direction: "law_and_order",
        names: [
            "Оқушылардың пікірсайыс клубы",
            "Дебатный клуб школьников",
            "School debate club",
        ],
        about: [
            "Мектеп оқушылары пікірсайыс чемпионатына дайындалады: дәлел келтіру, уақытпен жұмыс, сахнада сөйлеу.",
            "Школьники готовятся к чемпионату по дебатам: аргументация, работа со временем, выступление на сцене.",
            "Pupils prepare for the debate championship: building arguments, keeping to time, speaking on stage.",
        ],
    },
    ClubSeed {
        center: "nura-district",
        room: SpaceKind::SportsHall,
        weekday: 1,
        time: "16:00",
        minutes: 90,
        capacity: 20,
        ages: (14, 35),
        anonymous: false,
        direction: "sport",
        names: ["Волейбол клубы", "Волейбольный клуб", "Volleyball club"],
        about: [
            "Аптасына бір рет жаттығу, ауылдар арасындағы жарыстарға дайындық.",
            "Тренировка раз в неделю и подготовка к соревнованиям между сёлами.",
            "A weekly practice and preparation for matches between villages.",
        ],
    },
    ClubSeed {
        center: "karkaraly-district",
        room: SpaceKind::LectureHall,
        weekday: 5,
        time: "11:00",
        minutes: 90,
        capacity: 25,
        ages: (0, 0),
        anonymous: false,
        direction: "ecology",
        names: ["Экоклуб", "Экоклуб", "Eco club"],
        about: [
            "Қарқаралы ұлттық паркіндегі тазалық акцияларын және экологиялық жорықтарды жоспарлаймыз.",
            "Планируем акции по уборке и экологические походы в Каркаралинском национальном парке.",
            "Plan clean-ups and nature hikes in the Karkaraly National Park.",
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
            "Жергілікті кәсіпкермен сұхбатты тікелей жазамыз: тыңдармандар студияда отырады.",
            "Живая запись с местным предпринимателем: слушатели сидят прямо в студии.",
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
        app::clubs::manage::create(db, &admin, &f, now)
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
            ..Default::default()
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
