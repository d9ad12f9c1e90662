//! A region set up from the app (issue 21): centers carry their district,
//! contacts, descriptions and an `active` flag; spaces carry descriptions;
//! directions and the holiday calendar become data; a center may open on a
//! holiday; an event may happen outside the building (no room, a place
//! written out) and record a head count instead of registrations.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
    District,
    Settlement,
    Address,
    Phone,
    Email,
    DescriptionKk,
    DescriptionRu,
    DescriptionEn,
    Active,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    DescriptionKk,
    DescriptionRu,
    DescriptionEn,
}

#[derive(DeriveIden)]
enum Directions {
    Table,
    Code,
    NameKk,
    NameRu,
    NameEn,
    Position,
    Retired,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Id,
    Year,
    Month,
    Day,
    NameKk,
    NameRu,
    NameEn,
}

#[derive(DeriveIden)]
enum HolidayOpenings {
    Table,
    Id,
    CenterId,
    Day,
    Reason,
    CreatedBy,
    CreatedAt,
}

/// The directions the Almaty and Karaganda reports use. Existing codes keep
/// their meaning (law and order became law and anti-corruption, IT took AI).
const DIRECTIONS: [(&str, &str, &str, &str); 12] = [
    (
        "working_professions",
        "Жұмысшы мамандықтар",
        "Рабочие профессии",
        "Working professions",
    ),
    (
        "law_and_order",
        "Құқық және сыбайлас жемқорлыққа қарсы іс-қимыл",
        "Право и противодействие коррупции",
        "Law and anti-corruption",
    ),
    ("ecology", "Экология", "Экология", "Ecology"),
    ("media", "Медиа", "Медиа", "Media"),
    (
        "culture",
        "Мәдениет және өнер",
        "Культура и искусство",
        "Culture and art",
    ),
    (
        "international",
        "Халықаралық ынтымақтастық",
        "Международное сотрудничество",
        "International cooperation",
    ),
    (
        "volunteering",
        "Волонтерлік",
        "Волонтёрство",
        "Volunteering",
    ),
    (
        "health",
        "Нашақорлықтың алдын алу және денсаулық",
        "Профилактика наркомании и здоровье",
        "Drug prevention and health",
    ),
    ("sport", "Спорт", "Спорт", "Sport"),
    (
        "it",
        "IT және жасанды интеллект",
        "IT и искусственный интеллект",
        "IT and AI",
    ),
    (
        "entrepreneurship",
        "Бизнес және кәсіпкерлік",
        "Бизнес и предпринимательство",
        "Business",
    ),
    (
        "patriotism",
        "Патриоттық тәрбие",
        "Патриотическое воспитание",
        "Patriotism",
    ),
];

/// Kazakhstan's public holidays with fixed dates (every year).
const FIXED_HOLIDAYS: [(i16, i16, &str, &str, &str); 13] = [
    (1, 1, "Жаңа жыл", "Новый год", "New Year"),
    (1, 2, "Жаңа жыл", "Новый год", "New Year"),
    (
        3,
        8,
        "Халықаралық әйелдер күні",
        "Международный женский день",
        "International Women's Day",
    ),
    (3, 21, "Наурыз мейрамы", "Наурыз мейрамы", "Nauryz"),
    (3, 22, "Наурыз мейрамы", "Наурыз мейрамы", "Nauryz"),
    (3, 23, "Наурыз мейрамы", "Наурыз мейрамы", "Nauryz"),
    (
        5,
        1,
        "Қазақстан халқының бірлігі мерекесі",
        "Праздник единства народа Казахстана",
        "Unity Day of the People of Kazakhstan",
    ),
    (
        5,
        7,
        "Отан қорғаушы күні",
        "День защитника Отечества",
        "Defender of the Fatherland Day",
    ),
    (5, 9, "Жеңіс күні", "День Победы", "Victory Day"),
    (7, 6, "Астана күні", "День столицы", "Capital City Day"),
    (
        8,
        30,
        "Конституция күні",
        "День Конституции",
        "Constitution Day",
    ),
    (10, 25, "Республика күні", "День Республики", "Republic Day"),
    (
        12,
        16,
        "Тәуелсіздік күні",
        "День Независимости",
        "Independence Day",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        centers_and_spaces(m).await?;
        directions(m).await?;
        holidays(m).await?;
        events_outside(m).await
    }

    /// Drops what `up` added. `events.space_id` stays optional (making it
    /// required again could not hold events outside the building).
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["holiday_openings", "holidays", "directions"] {
            m.drop_table(Table::drop().table(Alias::new(t)).take())
                .await?;
        }
        let columns: [(&str, &[&str]); 3] = [
            (
                "centers",
                &[
                    "district",
                    "settlement",
                    "address",
                    "phone",
                    "email",
                    "description_kk",
                    "description_ru",
                    "description_en",
                    "active",
                ],
            ),
            (
                "spaces",
                &["description_kk", "description_ru", "description_en"],
            ),
            ("events", &["place", "head_count"]),
        ];
        for (table, cols) in columns {
            for col in cols {
                m.alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(*col))
                        .take(),
                )
                .await?;
            }
        }
        Ok(())
    }
}

async fn add(m: &SchemaManager<'_>, table: impl IntoIden, col: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(col).take())
        .await
}

async fn centers_and_spaces(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    add(
        m,
        Centers::Table,
        string(Centers::District).default("").take(),
    )
    .await?;
    add(
        m,
        Centers::Table,
        string(Centers::Settlement).default("city").take(),
    )
    .await?;
    add(
        m,
        Centers::Table,
        string(Centers::Address).default("").take(),
    )
    .await?;
    add(m, Centers::Table, string(Centers::Phone).default("").take()).await?;
    add(m, Centers::Table, string(Centers::Email).default("").take()).await?;
    add(
        m,
        Centers::Table,
        text(Centers::DescriptionKk).default("").take(),
    )
    .await?;
    add(
        m,
        Centers::Table,
        text(Centers::DescriptionRu).default("").take(),
    )
    .await?;
    add(
        m,
        Centers::Table,
        text(Centers::DescriptionEn).default("").take(),
    )
    .await?;
    add(
        m,
        Centers::Table,
        boolean(Centers::Active).default(true).take(),
    )
    .await?;
    add(
        m,
        Spaces::Table,
        text(Spaces::DescriptionKk).default("").take(),
    )
    .await?;
    add(
        m,
        Spaces::Table,
        text(Spaces::DescriptionRu).default("").take(),
    )
    .await?;
    add(
        m,
        Spaces::Table,
        text(Spaces::DescriptionEn).default("").take(),
    )
    .await
}

async fn directions(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Directions::Table)
            .col(string(Directions::Code).primary_key())
            .col(string(Directions::NameKk))
            .col(string(Directions::NameRu))
            .col(string(Directions::NameEn))
            .col(integer(Directions::Position).default(0))
            .col(boolean(Directions::Retired).default(false))
            .take(),
    )
    .await?;
    let mut insert = Query::insert()
        .into_table(Directions::Table)
        .columns([
            Directions::Code,
            Directions::NameKk,
            Directions::NameRu,
            Directions::NameEn,
            Directions::Position,
        ])
        .to_owned();
    for (i, (code, kk, ru, en)) in DIRECTIONS.iter().enumerate() {
        insert.values_panic([
            (*code).into(),
            (*kk).into(),
            (*ru).into(),
            (*en).into(),
            (i as i32 * 10).into(),
        ]);
    }
    m.exec_stmt(insert).await
}

async fn holidays(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Holidays::Table)
            .col(pk_auto(Holidays::Id))
            // Empty: every year (a fixed holiday); else that year only.
            .col(integer_null(Holidays::Year))
            .col(small_integer(Holidays::Month))
            .col(small_integer(Holidays::Day))
            .col(string(Holidays::NameKk))
            .col(string(Holidays::NameRu))
            .col(string(Holidays::NameEn))
            .take(),
    )
    .await?;
    let mut insert = Query::insert()
        .into_table(Holidays::Table)
        .columns([
            Holidays::Month,
            Holidays::Day,
            Holidays::NameKk,
            Holidays::NameRu,
            Holidays::NameEn,
        ])
        .to_owned();
    for (mo, d, kk, ru, en) in FIXED_HOLIDAYS {
        insert.values_panic([mo.into(), d.into(), kk.into(), ru.into(), en.into()]);
    }
    m.exec_stmt(insert).await?;
    m.create_table(
        Table::create()
            .table(HolidayOpenings::Table)
            .col(pk_auto(HolidayOpenings::Id))
            .col(integer(HolidayOpenings::CenterId))
            .col(date(HolidayOpenings::Day))
            .col(string(HolidayOpenings::Reason))
            .col(integer(HolidayOpenings::CreatedBy))
            .col(timestamp_with_time_zone(HolidayOpenings::CreatedAt))
            .foreign_key(
                ForeignKey::create()
                    .name("fk_holiday_openings_center")
                    .from(HolidayOpenings::Table, HolidayOpenings::CenterId)
                    .to(Centers::Table, Centers::Id),
            )
            .take(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("ux_holiday_openings_center_day")
            .table(HolidayOpenings::Table)
            .col(HolidayOpenings::CenterId)
            .col(HolidayOpenings::Day)
            .unique()
            .take(),
    )
    .await
}

/// `events.space_id` becomes optional. SQLite cannot drop a NOT NULL, so
/// the table is rebuilt there (nothing references `events` by foreign key).
async fn events_outside(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // One call, so every statement runs on the same pooled connection
            // (another one may still hold the old schema in a read snapshot).
            db.execute_unprepared(
                "BEGIN IMMEDIATE; \
                 CREATE TABLE events_new (\
                 id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
                 center_id integer NOT NULL, space_id integer NULL, \
                 place varchar NOT NULL DEFAULT '', head_count integer NULL, \
                 name_kk varchar NOT NULL, name_ru varchar NOT NULL, name_en varchar NOT NULL, \
                 description_kk text NOT NULL, description_ru text NOT NULL, description_en text NOT NULL, \
                 direction varchar NOT NULL, starts_at timestamp_with_timezone_text NOT NULL, \
                 ends_at timestamp_with_timezone_text NOT NULL, capacity integer NOT NULL, \
                 min_age integer NOT NULL DEFAULT 0, active boolean NOT NULL DEFAULT TRUE, \
                 created_at timestamp_with_timezone_text NOT NULL); \
                 INSERT INTO events_new (id, center_id, space_id, name_kk, name_ru, name_en, \
                 description_kk, description_ru, description_en, direction, starts_at, ends_at, \
                 capacity, min_age, active, created_at) \
                 SELECT id, center_id, space_id, name_kk, name_ru, name_en, description_kk, \
                 description_ru, description_en, direction, starts_at, ends_at, capacity, min_age, \
                 active, created_at FROM events; \
                 DROP TABLE events; \
                 ALTER TABLE events_new RENAME TO events; \
                 CREATE INDEX ix_events_space_start ON events (space_id, starts_at); \
                 COMMIT;",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared("ALTER TABLE events ALTER COLUMN space_id DROP NOT NULL")
                .await?;
            db.execute_unprepared(
                "ALTER TABLE events ADD COLUMN place varchar NOT NULL DEFAULT ''",
            )
            .await?;
            db.execute_unprepared("ALTER TABLE events ADD COLUMN head_count integer NULL")
                .await?;
        }
    }
    Ok(())
}
