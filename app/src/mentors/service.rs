//! Mentor consultations (server only): browsing, booking under a row lock,
//! the mentor's schedule, and counts for staff that never name the member
//! of a psychology consultation.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

use super::dto::*;
use crate::access::session::CurrentUser;
use crate::access::{ensure_may_book, staff_covers};
use crate::centers::service::{center_dto, center_tz};
use crate::domain::consultation::{
    can_see, parse_languages, ConsultationFacts, Field, Viewer, Visibility,
};
use crate::domain::membership::short_name;
use crate::domain::people::Role;
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{self, account, center, consultation_slot as slot, mentor, person};

/// Longest consultation a mentor may publish, minutes.
pub const MAX_SLOT_MINUTES: i32 = 180;
/// Longest weekly series, weeks.
pub const MAX_SERIES_WEEKS: u32 = 12;
/// Topics are short notes.
pub const MAX_TOPIC_CHARS: usize = 300;

/// `Wed 02.12, 15:00–15:45` in the center's zone.
pub fn when_label(l: Locale, tz: Tz, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    format!(
        "{}, {}–{}",
        day_label(l, starts.with_timezone(&tz).date_naive()),
        hhmm(starts, tz),
        hhmm(ends, tz)
    )
}

fn field_of(m: &mentor::Model) -> Field {
    m.field
}

/// The field that decides who sees a slot's booker and topic: the one it was
/// published under, unless the mentor works in a private field now (private
/// wins both ways, so re-saving a profile never exposes a consultation).
fn privacy_field(s: &slot::Model, m: &mentor::Model) -> Field {
    if m.field.is_private() {
        m.field
    } else {
        s.field
    }
}

/// A mentor with the person behind the account and the center.
struct MentorCtx {
    mentor: mentor::Model,
    person: person::Model,
    center: center::Model,
}

impl MentorCtx {
    fn tz(&self) -> Tz {
        center_tz(&self.center)
    }
}

async fn mentor_ctx<C: ConnectionTrait>(db: &C, m: mentor::Model) -> Result<MentorCtx, AppError> {
    let acc = account::Entity::find_by_id(m.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let center = center::Entity::find_by_id(m.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MentorCtx {
        mentor: m,
        person,
        center,
    })
}

/// Active mentors, optionally of one center, field and language, each with
/// the free times of the next weeks. Public: names and bios only.
pub async fn list_mentors(
    db: &DatabaseConnection,
    center_id: Option<i32>,
    field: Option<Field>,
    lang: Option<Locale>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<MentorDto>, AppError> {
    let mut q = mentor::Entity::find().filter(mentor::Column::Active.eq(true));
    if let Some(c) = center_id {
        q = q.filter(mentor::Column::CenterId.eq(c));
    }
    if let Some(f) = field {
        q = q.filter(mentor::Column::Field.eq(f.as_str()));
    }
    let mentors = q.order_by_asc(mentor::Column::Id).all(db).await?;
    let mut out = Vec::new();
    for m in mentors {
        let langs = parse_languages(&m.languages);
        if lang.is_some_and(|x| !langs.contains(&x)) {
            continue;
        }
        let ctx = mentor_ctx(db, m).await?;
        let tz = ctx.tz();
        let free = slot::Entity::find()
            .filter(slot::Column::MentorId.eq(ctx.mentor.id))
            .filter(slot::Column::BookedBy.is_null())
            .filter(slot::Column::CancelledAt.is_null())
            .filter(slot::Column::StartsAt.gt(now))
            .filter(slot::Column::StartsAt.lt(now + Duration::days(28)))
            .order_by_asc(slot::Column::StartsAt)
            .all(db)
            .await?;
        out.push(MentorDto {
            id: ctx.mentor.id,
            name: ctx.person.full_name.clone(),
            field: field_of(&ctx.mentor),
            languages: langs,
            bio: pick(
                l,
                &ctx.mentor.bio_kk,
                &ctx.mentor.bio_ru,
                &ctx.mentor.bio_en,
            )
            .to_string(),
            center_name: center_dto(&ctx.center, l).name,
            free_slots: free
                .into_iter()
                .map(|s| SlotDto {
                    id: s.id,
                    when: when_label(l, tz, s.starts_at, s.ends_at),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// Book a free slot for the signed-in member. The slot row is locked, so of
/// two members racing for one time exactly one gets it.
pub async fn book(
    db: &DatabaseConnection,
    user: &CurrentUser,
    slot_id: i32,
    topic: Option<String>,
    now: DateTime<Utc>,
) -> Result<slot::Model, AppError> {
    let topic = topic
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if topic
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TOPIC_CHARS)
    {
        return Err(AppError::Invalid {
            field: "topic".into(),
            problem: Problem::TooLong,
        });
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let s = model::for_update(slot::Entity::find_by_id(slot_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = mentor::Entity::find_by_id(s.mentor_id)
        .one(&txn)
        .await?
        .filter(|m| m.active)
        .ok_or(AppError::NotFound)?;
    let ctx = mentor_ctx(&txn, m).await?;
    if s.cancelled_at.is_some() {
        return Err(AppError::NotFound);
    }
    // A deactivated center takes no new consultations.
    crate::centers::service::ensure_active_center(&ctx.center, "slot_id")?;
    if s.starts_at <= now {
        return Err(AppError::SlotInPast);
    }
    if s.booked_by.is_some() {
        return Err(AppError::ConsultationTaken);
    }
    if ctx.person.id == user.person_id {
        return Err(AppError::Forbidden);
    }
    ensure_may_book(
        &txn,
        user.person_id,
        now.with_timezone(&ctx.tz()).date_naive(),
    )
    .await?;
    let mut a = s.into_active_model();
    a.booked_by = Set(Some(user.person_id));
    a.booked_at = Set(Some(now));
    a.topic = Set(topic);
    let s = a.update(&txn).await?;
    txn.commit().await?;
    Ok(s)
}

/// The member cancels their own booking before it starts; the time is free
/// again. Someone else's booking is not found.
pub async fn cancel_booking(
    db: &DatabaseConnection,
    user: &CurrentUser,
    slot_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let s = model::for_update(slot::Entity::find_by_id(slot_id), backend)
        .one(&txn)
        .await?
        .filter(|s| s.booked_by == Some(user.person_id))
        .ok_or(AppError::NotFound)?;
    if s.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let mut a = s.into_active_model();
    a.booked_by = Set(None);
    a.booked_at = Set(None);
    a.topic = Set(None);
    a.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The member's consultations, upcoming first then the last month's.
pub async fn my_consultations(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<MyConsultationDto>, AppError> {
    let slots = slot::Entity::find()
        .filter(slot::Column::BookedBy.eq(user.person_id))
        .filter(slot::Column::CancelledAt.is_null())
        .filter(slot::Column::StartsAt.gt(now - Duration::days(30)))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    let mut cache: HashMap<i32, MentorCtx> = HashMap::new();
    let mut out = Vec::new();
    for s in slots {
        let ctx = match cache.entry(s.mentor_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let Some(m) = mentor::Entity::find_by_id(s.mentor_id).one(db).await? else {
                    continue;
                };
                e.insert(mentor_ctx(db, m).await?)
            }
        };
        out.push(MyConsultationDto {
            slot_id: s.id,
            mentor_name: ctx.person.full_name.clone(),
            field: s.field,
            when: when_label(l, ctx.tz(), s.starts_at, s.ends_at),
            topic: s.topic.clone(),
            upcoming: s.starts_at > now,
        });
    }
    out.sort_by_key(|c| !c.upcoming);
    Ok(out)
}

/// The mentor profile of the signed-in mentor.
async fn own_mentor<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<mentor::Model, AppError> {
    if user.role != Role::Mentor {
        return Err(AppError::Forbidden);
    }
    mentor::Entity::find()
        .filter(mentor::Column::AccountId.eq(user.account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The mentor's own slots from today on (and the last week's), with who
/// booked each: the mentor is the consultant, so sees names and topics.
/// `None`: a mentor without a profile yet (the page asks for one).
pub async fn mentor_schedule(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Option<MentorScheduleDto>, AppError> {
    let m = match own_mentor(db, user).await {
        Ok(m) => m,
        Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let ctx = mentor_ctx(db, m).await?;
    let tz = ctx.tz();
    let slots = slot::Entity::find()
        .filter(slot::Column::MentorId.eq(ctx.mentor.id))
        .filter(slot::Column::StartsAt.gt(now - Duration::days(7)))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for s in slots {
        let viewer = Viewer {
            person_id: user.person_id,
            role: user.role,
            covers_center: false,
        };
        let facts = ConsultationFacts {
            field: privacy_field(&s, &ctx.mentor),
            mentor_person_id: ctx.person.id,
            booker_person_id: s.booked_by,
        };
        let full = can_see(viewer, facts) == Visibility::Full;
        let member = match (s.booked_by, full) {
            (Some(pid), true) => person::Entity::find_by_id(pid)
                .one(db)
                .await?
                .map(|p| p.full_name),
            _ => None,
        };
        let state = if s.cancelled_at.is_some() {
            SlotState::Cancelled
        } else if s.booked_by.is_some() {
            SlotState::Booked
        } else if s.starts_at <= now {
            SlotState::Past
        } else {
            SlotState::Free
        };
        rows.push(MentorSlotDto {
            id: s.id,
            when: when_label(l, tz, s.starts_at, s.ends_at),
            state,
            upcoming: s.starts_at > now,
            member,
            topic: if full { s.topic.clone() } else { None },
        });
    }
    Ok(Some(MentorScheduleDto {
        mentor_id: ctx.mentor.id,
        field: field_of(&ctx.mentor),
        center_name: center_dto(&ctx.center, l).name,
        profile: MentorProfileDto {
            field: field_of(&ctx.mentor),
            languages: parse_languages(&ctx.mentor.languages),
            bio_kk: ctx.mentor.bio_kk.clone(),
            bio_ru: ctx.mentor.bio_ru.clone(),
            bio_en: ctx.mentor.bio_en.clone(),
        },
        slots: rows,
    }))
}

/// Longest bio, characters per language.
pub const MAX_BIO_CHARS: usize = 1000;

/// A mentor creates or updates their own profile (field, languages, bio);
/// it belongs to the mentor's home center.
pub async fn save_profile(
    db: &DatabaseConnection,
    user: &CurrentUser,
    field: &str,
    languages: &[Locale],
    bios: [String; 3],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if user.role != Role::Mentor {
        return Err(AppError::Forbidden);
    }
    let field = Field::parse(field.trim()).ok_or(AppError::Invalid {
        field: "field".into(),
        problem: Problem::Required,
    })?;
    if languages.is_empty() {
        return Err(AppError::Invalid {
            field: "languages".into(),
            problem: Problem::Required,
        });
    }
    let bios = bios.map(|b| b.trim().to_string());
    if bios.iter().all(|b| b.is_empty()) {
        return Err(AppError::Invalid {
            field: "bio_kk".into(),
            problem: Problem::Required,
        });
    }
    for (b, name) in bios.iter().zip(["bio_kk", "bio_ru", "bio_en"]) {
        if b.chars().count() > MAX_BIO_CHARS {
            return Err(AppError::Invalid {
                field: name.into(),
                problem: Problem::TooLong,
            });
        }
    }
    let center_id = match user.home_center_id {
        Some(c) => c,
        None => {
            center::Entity::find()
                .order_by_asc(center::Column::Id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
                .id
        }
    };
    let langs = languages
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(",");
    let [bio_kk, bio_ru, bio_en] = bios;
    let txn = model::begin_write(db).await?;
    let existing = mentor::Entity::find()
        .filter(mentor::Column::AccountId.eq(user.account_id))
        .one(&txn)
        .await?;
    match existing {
        Some(m) => {
            let mut a = m.into_active_model();
            a.field = Set(field);
            a.languages = Set(langs);
            a.bio_kk = Set(bio_kk);
            a.bio_ru = Set(bio_ru);
            a.bio_en = Set(bio_en);
            a.update(&txn).await?;
        }
        None => {
            mentor::ActiveModel {
                account_id: Set(user.account_id),
                center_id: Set(center_id),
                field: Set(field),
                languages: Set(langs),
                bio_kk: Set(bio_kk),
                bio_ru: Set(bio_ru),
                bio_en: Set(bio_en),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Publish one slot, or the same time weekly for `weeks` weeks. Times that
/// overlap one of the mentor's own open slots are skipped. Returns how many
/// slots were published.
pub async fn publish_slots(
    db: &DatabaseConnection,
    user: &CurrentUser,
    date: &str,
    time: &str,
    minutes: i32,
    weeks: u32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let date = crate::error::form_date("date", date)?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| AppError::Invalid {
        field: "time".into(),
        problem: Problem::Time,
    })?;
    if !(15..=MAX_SLOT_MINUTES).contains(&minutes) {
        return Err(AppError::Invalid {
            field: "minutes".into(),
            problem: Problem::Range,
        });
    }
    if !(1..=MAX_SERIES_WEEKS).contains(&weeks) {
        return Err(AppError::Invalid {
            field: "weeks".into(),
            problem: Problem::Range,
        });
    }
    let txn = model::begin_write(db).await?;
    let m = own_mentor(&txn, user).await?;
    let backend = txn.get_database_backend();
    // Lock the mentor row so two publishes do not interleave.
    let m = model::for_update(mentor::Entity::find_by_id(m.id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = mentor_ctx(&txn, m).await?;
    let tz = ctx.tz();
    let mut made = 0;
    for w in 0..weeks {
        let day = date + Duration::weeks(i64::from(w));
        let Some(starts) = tz
            .from_local_datetime(&day.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
        else {
            continue;
        };
        let ends = starts + Duration::minutes(i64::from(minutes));
        if starts <= now {
            if w == 0 {
                return Err(AppError::SlotInPast);
            }
            continue;
        }
        let clash = slot::Entity::find()
            .filter(slot::Column::MentorId.eq(ctx.mentor.id))
            .filter(slot::Column::CancelledAt.is_null())
            .filter(slot::Column::StartsAt.lt(ends))
            .filter(slot::Column::EndsAt.gt(starts))
            .one(&txn)
            .await?;
        if clash.is_some() {
            continue;
        }
        slot::ActiveModel {
            mentor_id: Set(ctx.mentor.id),
            field: Set(ctx.mentor.field),
            starts_at: Set(starts),
            ends_at: Set(ends),
            booked_by: Set(None),
            booked_at: Set(None),
            topic: Set(None),
            cancelled_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        made += 1;
    }
    txn.commit().await?;
    Ok(made)
}

/// The mentor withdraws one of their own slots (booked or not) before it
/// starts; the member sees it disappear from their consultations.
pub async fn withdraw_slot(
    db: &DatabaseConnection,
    user: &CurrentUser,
    slot_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let m = own_mentor(&txn, user).await?;
    let backend = txn.get_database_backend();
    let s = model::for_update(slot::Entity::find_by_id(slot_id), backend)
        .one(&txn)
        .await?
        .filter(|s| s.mentor_id == m.id && s.cancelled_at.is_none())
        .ok_or(AppError::NotFound)?;
    if s.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let mut a = s.into_active_model();
    a.cancelled_at = Set(Some(now));
    a.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Consultations per mentor of a center for staff: counts always; who and
/// why only where [`can_see`] says `Full` (never for psychology).
pub async fn report(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: Option<i32>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ConsultationReportDto, AppError> {
    if !user.role.can_scan() {
        return Err(AppError::Forbidden);
    }
    let center_id = match center_id.or(user.home_center_id) {
        Some(id) => id,
        None => {
            center::Entity::find()
                .order_by_asc(center::Column::Id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
                .id
        }
    };
    if !staff_covers(db, user, center_id).await? {
        return Err(AppError::NotFound);
    }
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let mentors = mentor::Entity::find()
        .filter(mentor::Column::CenterId.eq(center_id))
        .order_by_asc(mentor::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for m in mentors {
        let ctx = mentor_ctx(db, m).await?;
        let field = field_of(&ctx.mentor);
        let viewer = Viewer {
            person_id: user.person_id,
            role: user.role,
            covers_center: true,
        };
        let slots = slot::Entity::find()
            .filter(slot::Column::MentorId.eq(ctx.mentor.id))
            .filter(slot::Column::CancelledAt.is_null())
            .filter(slot::Column::StartsAt.gt(now - Duration::days(30)))
            .order_by_asc(slot::Column::StartsAt)
            .all(db)
            .await?;
        let general = ConsultationFacts {
            field,
            mentor_person_id: ctx.person.id,
            booker_person_id: None,
        };
        let mut row = ReportRowDto {
            mentor_name: ctx.person.full_name.clone(),
            field,
            free: 0,
            booked_upcoming: 0,
            booked_past: 0,
            counts_only: can_see(viewer, general) != Visibility::Full,
            bookings: Vec::new(),
        };
        for s in slots {
            let Some(booker) = s.booked_by else {
                if s.starts_at > now {
                    row.free += 1;
                }
                continue;
            };
            if s.starts_at > now {
                row.booked_upcoming += 1;
            } else {
                row.booked_past += 1;
            }
            let facts = ConsultationFacts {
                field: privacy_field(&s, &ctx.mentor),
                mentor_person_id: ctx.person.id,
                booker_person_id: Some(booker),
            };
            match can_see(viewer, facts) {
                Visibility::Full => {
                    let name = person::Entity::find_by_id(booker)
                        .one(db)
                        .await?
                        .map(|p| short_name(&p.full_name))
                        .unwrap_or_default();
                    row.bookings.push(ReportBookingDto {
                        when: when_label(l, tz, s.starts_at, s.ends_at),
                        member: name,
                        topic: s.topic.clone(),
                    });
                }
                // Some bookings of this mentor are counted without names.
                Visibility::CountOnly | Visibility::None => row.counts_only = true,
            }
        }
        rows.push(row);
    }
    Ok(ConsultationReportDto {
        center: center_dto(&c, l),
        rows,
    })
}
