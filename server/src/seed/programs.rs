//! The demo programs of the regional center: sessions, applications, and
//! the demo visitor's certificate.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};

use app::domain::direction::Direction;
use app::domain::people::Education;
use app::domain::people::Role;
use app::model::{
    account, person, program, program_application, program_attendance, program_session,
};

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

/// What the demo shows with a program besides its sessions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shows {
    /// The desk applicant with this index waits for review.
    Applicant(usize),
    /// Finished: the demo visitor attended and holds the certificate.
    VisitorCertificate,
}

struct ProgramSeed {
    /// The slug of the center that runs it.
    center: &'static str,
    shows: Shows,
    names: [&'static str; 3],
    descriptions: [&'static str; 3],
    direction: &'static str,
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

/// Only these three: the browser tests count the programs on `/programs`
/// and open them by id (1–3; the media school's first session is 10).
const PROGRAMS: [ProgramSeed; 3] = [
    ProgramSeed {
        center: "karaganda-regional",
        shows: Shows::Applicant(0),
        names: ["Аналитика мектебі", "Школа аналитики", "School of Analytics"],
        descriptions: [
            "Бұрын тек Парламент Сенаты жанында жұмыс істеген пилоттық алаң. Магистр дәрежесінен төмен емес білімі бар қатысушылар бес апта бойы өзекті мәселелер бойынша талдау және ұсыныстар дайындау әдістерін тереңдетіп оқиды.",
            "Пилотная площадка, которая ранее работала только при Сенате Парламента. Участники с образованием не ниже степени магистра в течение пяти недель углублённо изучают методы анализа и подготовки рекомендаций по актуальным вопросам.",
            "A pilot school that used to run only at the Senate of Parliament. For five weeks, participants holding at least a master's degree study in depth how to analyse current issues and prepare policy recommendations.",
        ],
        direction: "it",
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
        center: "karaganda-regional",
        shows: Shows::Applicant(1),
        names: ["Ұлт қазынасы (ауыл жастары)", "Ұлт қазынасы (сельская молодёжь)", "Ult Qazynasy (rural youth)"],
        descriptions: [
            "Ауыл жастарына арналған бағдарлама. Мақсаты — жастардың әлеуетін өз жерінде ашу, олардың қалаға көшіп кетуінің алдын алу және туған ауылында өзін-өзі жүзеге асыруына жағдай жасау. Тәлімгерлер — түрлі саланың мамандары.",
            "Программа для сельской молодёжи: раскрыть потенциал молодых людей на местах, предотвратить их отток в города и создать условия для самореализации в родных сёлах. Наставниками выступают специалисты из разных сфер.",
            "A program for rural youth: to unlock young people's potential where they live, keep them from leaving for the cities and help them build their lives in their home villages. Mentors are specialists from many fields.",
        ],
        direction: "entrepreneurship",
        ages: (Some(18), Some(35)),
        min_education: None,
        rural_only: true,
        capacity: 15,
        first_day: 4,
        hour: 11,
        sessions: 4,
        minutes: 180,
        title: "Тәлімгермен сабақ / Занятие с наставником",
    },
    ProgramSeed {
        center: "karaganda-regional",
        shows: Shows::VisitorCertificate,
        names: ["Жас журналист мектебі", "Школа юного журналиста", "Young Journalists' School"],
        descriptions: [
            "Подкаст студиясында үш апталық курс: сұхбат алу, мәтін жазу, монтаж.",
            "Трёхнедельный курс в подкаст-студии: интервью, тексты, монтаж.",
            "A three-week course in the podcast studio: interviews, writing, editing.",
        ],
        direction: "media",
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

/// The programs of the regional center: the School of Analytics and the
/// rural-youth program ahead (with applications waiting for review), and a
/// finished media school whose certificate the demo visitor holds. A
/// program of a district center is created by its director (`directors`,
/// by slug) when it has one.
pub(super) async fn seed_programs(
    txn: &DatabaseTransaction,
    centers: &HashMap<&'static str, i32>,
    directors: &HashMap<&'static str, i32>,
    visitor: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let regional_creator = program_creator(txn).await?;
    // Applicants waiting for review (people without accounts of their own:
    // applications taken at the desk).
    let pending = desk_applicants(txn, now).await?;
    for ps in &PROGRAMS {
        let Some(&center_id) = centers.get(ps.center) else {
            return Err(DbErr::Custom(format!("no center {}", ps.center)));
        };
        let creator = directors
            .get(ps.center)
            .copied()
            .unwrap_or(regional_creator);
        let p = program_row(ps, center_id, creator, today, now)
            .insert(txn)
            .await?;
        let session_ids = insert_sessions(txn, p.id, ps, today).await?;
        let application =
            |person_id: i32, status: &str, motivation: &str| program_application::ActiveModel {
                program_id: Set(p.id),
                person_id: Set(person_id),
                status: Set(app::domain::codes::AppStatus::parse(status).expect("a known code")),
                motivation: Set(motivation.into()),
                decision_reason: Set(None),
                decided_by: Set(None),
                decided_at: Set(None),
                created_at: Set(now - chrono::Duration::days(2)),
                completed_at: Set(None),
                certificate_code: Set(None),
                ..Default::default()
            };
        if let Shows::Applicant(i) = ps.shows {
            let (person_id, motivation) = pending[i];
            application(person_id, "submitted", motivation)
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

/// The demo director's account, who created the regional center's
/// programs (0: none).
async fn program_creator(txn: &DatabaseTransaction) -> Result<i32, DbErr> {
    let Some(p) = person::Entity::find()
        .filter(person::Column::Email.eq("director@demo.ortalyq.kz"))
        .one(txn)
        .await?
    else {
        return Ok(0);
    };
    let creator = account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
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
        preferred_lang: Set(app::i18n::Locale::Ru),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set(app::domain::people::Settlement::City),
        occupation: Set(app::domain::people::Occupation::Employed),
        education: Set(app::domain::people::Education::Master),
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
        preferred_lang: Set(app::i18n::Locale::Kk),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set(app::domain::people::Settlement::Rural),
        occupation: Set(app::domain::people::Occupation::Neet),
        education: Set(app::domain::people::Education::Vocational),
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
        direction: Set(Direction::of(ps.direction)),
        min_age: Set(ps.ages.0),
        max_age: Set(ps.ages.1),
        min_education: Set(ps.min_education),
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
            // "Аналитика 1 / Аналитика 1": the number in each language's half.
            title: Set(ps
                .title
                .split(" / ")
                .map(|part| format!("{part} {}", w + 1))
                .collect::<Vec<_>>()
                .join(" / ")),
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
