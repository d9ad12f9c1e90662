//! The demo mentors and their consultation times.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use app::domain::consultation::Field;
use app::domain::people::Role;
use app::model::{consultation_slot, mentor};

use super::people::{account_by_email, extra_person};

type MentorSeed = (
    &'static str,
    Field,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 3],
);

/// (center slug, field, languages, name, email, bio kk / ru / en): one or
/// more in each of the seven fields. The first is the demo mentor login
/// (the psychologist).
const MENTORS: [MentorSeed; 7] = [
    (
        "karaganda-regional",
        Field::Psychology,
        "kk,ru",
        "Мадина Жақсылықова",
        "psychologist@demo.ortalyq.kz",
        [
            "Психолог. Емтихан алдындағы мазасыздық, отбасы мен достармен қарым-қатынас, өзіне деген сенім. Кеңестер құпия сақталады.",
            "Психолог. Тревога перед экзаменами, отношения с семьёй и друзьями, уверенность в себе. Консультации конфиденциальны.",
            "Psychologist. Exam anxiety, relationships with family and friends, self-confidence. Consultations are confidential.",
        ],
    ),
    (
        "karaganda-regional",
        Field::It,
        "kk,ru,en",
        "Данияр Омаров",
        "it.mentor@demo.ortalyq.kz",
        [
            "Бағдарламашы. Алғашқы жоба, GitHub портфолиосы, IT-мамандыққа жол.",
            "Разработчик. Первый проект, портфолио на GitHub, путь в IT.",
            "Software developer. A first project, a GitHub portfolio, the way into an IT career.",
        ],
    ),
    (
        "karaganda-regional",
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
        "karaganda-regional",
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
        "karaganda-regional",
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
    (
        "karaganda-regional",
        Field::Art,
        "kk,ru",
        "Сәуле Бекқожина",
        "art.mentor@demo.ortalyq.kz",
        [
            "Суретші-иллюстратор. Портфолио, көрмеге дайындық, шығармашылық гранттар.",
            "Художник-иллюстратор. Портфолио, подготовка к выставке, творческие гранты.",
            "Illustrator. Portfolios, preparing for an exhibition, grants for artists.",
        ],
    ),
    (
        "abay-district",
        Field::Politics,
        "kk,ru",
        "Нұрбол Жақыпов",
        "politics.mentor@demo.ortalyq.kz",
        [
            "Мәслихат депутаты, Жас депутаттар корпусының мүшесі. Жастар бастамалары, жергілікті өзін-өзі басқару, дебат.",
            "Депутат маслихата, член Корпуса молодых депутатов. Молодёжные инициативы, местное самоуправление, дебаты.",
            "A district council (maslikhat) member in the Young Deputies Corps. Youth initiatives, local self-government, debating.",
        ],
    ),
];

/// Mentors of every field (most at the regional center) with 45-minute
/// times on the next five days; the demo visitor has booked the
/// psychologist.
pub(super) async fn seed_mentors<C: ConnectionTrait>(
    db: &C,
    centers: &HashMap<&'static str, i32>,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let tz = chrono_tz::Asia::Almaty;
    let today = now.with_timezone(&tz).date_naive();
    let (visitor, _) = account_by_email(db, "visitor@demo.ortalyq.kz").await?;
    for (i, (slug, field, langs, name, email, bio)) in MENTORS.iter().enumerate() {
        let center_id = centers
            .get(slug)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("no center {slug}")))?;
        let acc = if i == 0 {
            account_by_email(db, email).await?.1
        } else {
            extra_person(db, name, email, Role::Mentor, center_id, password_hash, now)
                .await?
                .1
        };
        let m = mentor::ActiveModel {
            account_id: Set(acc.id),
            center_id: Set(center_id),
            field: Set(*field),
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
                    field: Set(m.field),
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
