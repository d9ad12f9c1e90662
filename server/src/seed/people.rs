//! The demo logins and the people behind them, and people with accounts
//! but no printed login.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, Set,
};

use app::domain::people::Role;
use app::model::{account, account_center, person};

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
            preferred_lang: Set(app::i18n::Locale::parse(langs[i]).expect("a known code")),
            created_at: Set(now),
            iin: Set(None),
            settlement: Set(if i == 4 {
                app::domain::people::Settlement::Rural
            } else {
                app::domain::people::Settlement::City
            }),
            occupation: Set(if i == 4 {
                app::domain::people::Occupation::Pupil
            } else {
                app::domain::people::Occupation::Employed
            }),
            education: Set(if i == 4 {
                app::domain::people::Education::Basic
            } else {
                app::domain::people::Education::Bachelor
            }),
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
            role: Set(d.role),
            home_center_id: Set(regional_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(visitor_person)
}

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
        preferred_lang: Set(app::i18n::Locale::Kk),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set(app::domain::people::Settlement::City),
        occupation: Set(app::domain::people::Occupation::Employed),
        education: Set(app::domain::people::Education::Bachelor),
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
        role: Set(role),
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

/// A staff account (director, front desk) working at one center.
pub(super) async fn staff<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
    role: Role,
    name: &str,
    email: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let (_, a) = extra_person(db, name, email, role, center_id, password_hash, now).await?;
    account_center::ActiveModel {
        account_id: Set(a.id),
        center_id: Set(center_id),
    }
    .insert(db)
    .await?;
    Ok(a.id)
}

/// The director and the front desk of some district and city centers:
/// (center slug, director, desk). Their logins are `director.<slug>@…` and
/// `desk.<slug>@demo.ortalyq.kz`, password the demo password.
pub(super) const DISTRICT_STAFF: [(&str, &str, &str); 5] = [
    ("temirtau", "Ерлан Тоқтаров", "Ольга Ковалёва"),
    ("balkhash", "Жанар Исабекова", "Нұрлан Серікбаев"),
    ("abay-district", "Самат Бекенов", "Айгүл Жүсіпова"),
    (
        "karkaraly-district",
        "Гүлмира Сәдуақасова",
        "Бекзат Нұрғали",
    ),
    ("kazybek-bi-district", "Тимур Ахметов", "Камила Ли"),
];

/// The district staff of [`DISTRICT_STAFF`]. Returns each center's director
/// account by slug.
pub(super) async fn insert_district_staff<C: ConnectionTrait>(
    db: &C,
    centers: &std::collections::HashMap<&'static str, i32>,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<&'static str, i32>, DbErr> {
    let mut directors = std::collections::HashMap::new();
    for (slug, director, desk) in DISTRICT_STAFF {
        let Some(&center_id) = centers.get(slug) else {
            continue;
        };
        let d = staff(
            db,
            center_id,
            Role::Director,
            director,
            &format!("director.{slug}@demo.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        staff(
            db,
            center_id,
            Role::FrontDesk,
            desk,
            &format!("desk.{slug}@demo.ortalyq.kz"),
            password_hash,
            now,
        )
        .await?;
        directors.insert(slug, d);
    }
    Ok(directors)
}
