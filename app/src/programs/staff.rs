//! The staff side of a program: planning it (the program and its sessions),
//! its participants, the session roster and attendance marks.

use super::dto::*;
use super::review::scoped_programs;
use super::service::{
    card, center_name, centers_by_id, counts_of, dates_of, invalid, load_program, name_of, percent,
    reached, sessions_of, spaces_of, when_of,
};
use crate::access::session::CurrentUser;
use crate::access::{staff_centers, staff_covers};
use crate::centers::service::center_tz;
use crate::domain::codes::AppStatus;
use crate::domain::eligibility::occupations_to_str;
use crate::domain::people::{Education, Occupation};
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{
    self, center, person, program, program_application as application, program_attendance,
    program_session,
};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use std::collections::{HashMap, HashSet};

/// Programs of the caller's centers (staff), and where a director or admin
/// may create one.
pub async fn managed_programs(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<ManagedProgramsDto, AppError> {
    user.require(|r| r.can_scan())?;
    let programs = scoped_programs(db, user).await?;
    let ids: Vec<i32> = programs.iter().map(|p| p.id).collect();
    let centers = centers_by_id(db).await?;
    let sessions = sessions_of(db, ids.clone()).await?;
    let counts = counts_of(db, ids).await?;
    let scope = staff_centers(db, user).await?;
    let mut own: Vec<&center::Model> = centers
        .values()
        .filter(|c| scope.as_ref().is_none_or(|s| s.contains(&c.id)))
        .collect();
    own.sort_by_key(|c| c.id);
    Ok(ManagedProgramsDto {
        programs: programs
            .iter()
            .filter_map(|p| {
                let c = centers.get(&p.center_id)?;
                let s = sessions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
                let (accepted, submitted) = counts.get(&p.id).copied().unwrap_or((0, 0));
                Some(ManagedProgramDto {
                    id: p.id,
                    name: name_of(p, l),
                    center_name: center_name(c, l),
                    dates: dates_of(s, center_tz(c)),
                    accepted,
                    capacity: p.capacity,
                    submitted,
                    sessions: s.len() as u32,
                })
            })
            .collect(),
        centers: if user.role.can_report() {
            own.into_iter()
                .map(|c| Choice {
                    id: c.id,
                    name: center_name(c, l),
                })
                .collect()
        } else {
            Vec::new()
        },
        directions: crate::centers::directions::DirectionBook::load(db)
            .await?
            .options(l, None),
    })
}

/// Directors (of the center) and admins create and plan programs.
pub(super) async fn ensure_planner<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: i32,
) -> Result<(), AppError> {
    user.require(|r| r.can_report())?;
    if staff_covers(db, user, center_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn optional_number(raw: &str, field: &str, min: i32, max: i32) -> Result<Option<i32>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(invalid(field, Problem::Range)),
    }
}

pub(super) fn number(raw: &str, field: &str, min: i32, max: i32) -> Result<i32, AppError> {
    optional_number(raw, field, min, max)?.ok_or(invalid(field, Problem::Required))
}

pub(super) fn text_field(
    raw: &str,
    field: &str,
    max: usize,
    required: bool,
) -> Result<String, AppError> {
    let s = raw.trim();
    if required && s.is_empty() {
        return Err(invalid(field, Problem::Required));
    }
    if s.chars().count() > max {
        return Err(invalid(field, Problem::TooLong));
    }
    Ok(s.to_string())
}

/// Create a program (director of its center, admin). Names in at least one
/// language (the others fall back); rules are optional.
pub async fn create_program(
    db: &DatabaseConnection,
    user: &CurrentUser,
    f: &ProgramForm,
    now: DateTime<Utc>,
) -> Result<program::Model, AppError> {
    user.require(|r| r.can_report())?;
    let center_id = f
        .center_id
        .trim()
        .parse::<i32>()
        .map_err(|_| invalid("center_id", Problem::Required))?;
    ensure_planner(db, user, center_id).await?;
    // A deactivated center takes no new programs.
    crate::centers::service::ensure_active(db, center_id, "center_id").await?;
    let name_kk = text_field(&f.name_kk, "name_kk", 200, false)?;
    let name_ru = text_field(&f.name_ru, "name_ru", 200, false)?;
    let name_en = text_field(&f.name_en, "name_en", 200, false)?;
    if name_kk.is_empty() && name_ru.is_empty() && name_en.is_empty() {
        return Err(invalid("name_kk", Problem::Required));
    }
    let description_kk = text_field(&f.description_kk, "description_kk", 4000, false)?;
    let description_ru = text_field(&f.description_ru, "description_ru", 4000, false)?;
    let description_en = text_field(&f.description_en, "description_en", 4000, false)?;
    let direction = crate::centers::directions::DirectionBook::load(db)
        .await?
        .check(&f.direction, "direction", None)?;
    let min_age = optional_number(&f.min_age, "min_age", 0, 100)?;
    let max_age = optional_number(&f.max_age, "max_age", 0, 100)?;
    if let (Some(a), Some(b)) = (min_age, max_age) {
        if b < a {
            return Err(invalid("max_age", Problem::Range));
        }
    }
    let min_education = match f.min_education.trim() {
        "" => None,
        s => Some(Education::parse(s).ok_or(invalid("min_education", Problem::Required))?),
    };
    let mut occupations = Vec::new();
    for (on, o) in [
        (f.occ_pupil, Occupation::Pupil),
        (f.occ_student, Occupation::Student),
        (f.occ_employed, Occupation::Employed),
        (f.occ_neet, Occupation::Neet),
    ] {
        if on {
            occupations.push(o);
        }
    }
    // Every occupation ticked is the same as none: no rule.
    if occupations.len() == Occupation::ALL.len() {
        occupations.clear();
    }
    let capacity = number(&f.capacity, "capacity", 1, 1000)?;
    let completion_percent = number(&f.completion_percent, "completion_percent", 1, 100)?;
    let close_on = match f.applications_close_on.trim() {
        "" => None,
        s => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| invalid("applications_close_on", Problem::Date))?,
        ),
    };
    let p = program::ActiveModel {
        center_id: Set(center_id),
        name_kk: Set(name_kk),
        name_ru: Set(name_ru),
        name_en: Set(name_en),
        description_kk: Set(description_kk),
        description_ru: Set(description_ru),
        description_en: Set(description_en),
        direction: Set(direction),
        min_age: Set(min_age),
        max_age: Set(max_age),
        min_education: Set(min_education),
        rural_only: Set(f.rural_only),
        occupations: Set(occupations_to_str(&occupations)),
        capacity: Set(capacity),
        completion_percent: Set(completion_percent),
        applications_close_on: Set(close_on),
        active: Set(true),
        created_by: Set(user.account_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(p)
}

/// Add a session, or a weekly series of them, to a program (director of its
/// center, admin). Times are the center's local time; the first session may
/// not lie in the past.
pub async fn add_sessions(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    f: &SessionsForm,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let (p, c) = load_program(db, program_id).await?;
    ensure_planner(db, user, p.center_id).await?;
    let tz = center_tz(&c);
    let first = NaiveDate::parse_from_str(f.first_date.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("first_date", Problem::Date))?;
    let start = NaiveTime::parse_from_str(f.start_time.trim(), "%H:%M")
        .map_err(|_| invalid("start_time", Problem::Time))?;
    let minutes = number(&f.minutes, "minutes", 15, 720)?;
    let weeks = number(&f.weeks, "weeks", 1, MAX_SERIES as i32)?;
    let title = text_field(&f.title, "title", 200, true)?;
    let space_id = match f.space_id.trim() {
        "" => None,
        s => {
            let id = s
                .parse::<i32>()
                .map_err(|_| invalid("space_id", Problem::Required))?;
            if !spaces_of(db, c.id).await?.contains_key(&id) {
                return Err(invalid("space_id", Problem::Required));
            }
            Some(id)
        }
    };
    let mut starts = Vec::new();
    for w in 0..weeks {
        let date = first + Duration::weeks(w as i64);
        let at = tz
            .from_local_datetime(&date.and_time(start))
            .earliest()
            .ok_or(invalid("start_time", Problem::Time))?
            .with_timezone(&Utc);
        starts.push(at);
    }
    if starts.first().is_some_and(|s| *s < now) {
        return Err(AppError::SlotInPast);
    }
    let txn = model::begin_write(db).await?;
    for at in &starts {
        program_session::ActiveModel {
            program_id: Set(p.id),
            starts_at: Set(*at),
            ends_at: Set(*at + Duration::minutes(minutes as i64)),
            title: Set(title.clone()),
            space_id: Set(space_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(starts.len() as u32)
}

/// Staff of a program's center (front desk, director, admin).
pub(super) async fn ensure_staff<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: i32,
) -> Result<(), AppError> {
    user.require(|r| r.can_scan())?;
    if staff_covers(db, user, center_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Accepted participants of a program with their people.
pub(super) async fn participants<C: ConnectionTrait>(
    db: &C,
    program_id: i32,
) -> Result<Vec<(application::Model, person::Model)>, AppError> {
    let apps = application::Entity::find()
        .filter(application::Column::ProgramId.eq(program_id))
        .filter(application::Column::Status.eq(AppStatus::Accepted))
        .all(db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(apps.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out: Vec<_> = apps
        .into_iter()
        .filter_map(|a| {
            let p = people.get(&a.person_id)?.clone();
            Some((a, p))
        })
        .collect();
    out.sort_by(|a, b| a.1.full_name.cmp(&b.1.full_name));
    Ok(out)
}

/// Attendance rows of these sessions: (session, person) pairs.
pub(super) async fn attendance_pairs<C: ConnectionTrait>(
    db: &C,
    session_ids: Vec<i32>,
) -> Result<HashSet<(i32, i32)>, AppError> {
    Ok(program_attendance::Entity::find()
        .filter(program_attendance::Column::SessionId.is_in(session_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.session_id, r.person_id))
        .collect())
}

/// The staff page of a program: sessions with attendance counts and each
/// participant's progress towards completion.
pub async fn program_staff(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ProgramStaffDto, AppError> {
    let (p, c) = load_program(db, program_id).await?;
    ensure_staff(db, user, p.center_id).await?;
    let tz = center_tz(&c);
    let sessions = sessions_of(db, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    let pairs = attendance_pairs(db, sessions.iter().map(|s| s.id).collect()).await?;
    let held: Vec<i32> = sessions
        .iter()
        .filter(|s| s.starts_at <= now)
        .map(|s| s.id)
        .collect();
    let people = participants(db, p.id).await?;
    let spaces = spaces_of(db, c.id).await?;
    let mut space_list: Vec<Choice> = spaces
        .values()
        .map(|s| Choice {
            id: s.id,
            name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
        })
        .collect();
    space_list.sort_by_key(|s| s.id);
    let book = crate::centers::directions::DirectionBook::load(db).await?;
    Ok(ProgramStaffDto {
        card: card(&book, &p, &c, &sessions, people.len() as u32, now, l),
        completion_percent: p.completion_percent,
        can_edit: p.active && ensure_planner(db, user, p.center_id).await.is_ok(),
        over: !sessions.is_empty() && held.len() == sessions.len(),
        sessions: sessions
            .iter()
            .map(|s| StaffSessionDto {
                id: s.id,
                when: when_of(s, tz, l),
                title: s.title.clone(),
                held: s.starts_at <= now,
                present: pairs.iter().filter(|(sid, _)| *sid == s.id).count() as u32,
            })
            .collect(),
        participants: people
            .iter()
            .map(|(a, person)| {
                let attended = held
                    .iter()
                    .filter(|sid| pairs.contains(&(**sid, person.id)))
                    .count() as u32;
                let n = held.len() as u32;
                ParticipantDto {
                    application_id: a.id,
                    name: person.full_name.clone(),
                    attended,
                    held: n,
                    percent: percent(attended, n),
                    reached: reached(attended, n, p.completion_percent),
                    certificate_code: a.certificate_code.clone(),
                }
            })
            .collect(),
        spaces: space_list,
    })
}

async fn load_session<C: ConnectionTrait>(
    db: &C,
    session_id: i32,
) -> Result<(program_session::Model, program::Model, center::Model), AppError> {
    let s = program_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (p, c) = load_program(db, s.program_id).await?;
    Ok((s, p, c))
}

/// One session's roster: the accepted participants, ticked when present.
pub async fn roster(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<RosterDto, AppError> {
    let (s, p, c) = load_session(db, session_id).await?;
    ensure_staff(db, user, p.center_id).await?;
    let pairs = attendance_pairs(db, vec![s.id]).await?;
    Ok(RosterDto {
        session_id: s.id,
        program_id: p.id,
        program_name: name_of(&p, l),
        when: when_of(&s, center_tz(&c), l),
        title: s.title.clone(),
        held: s.starts_at <= now,
        rows: participants(db, p.id)
            .await?
            .into_iter()
            .map(|(_, person)| RosterRowDto {
                person_id: person.id,
                name: person.full_name.clone(),
                present: pairs.contains(&(s.id, person.id)),
            })
            .collect(),
    })
}

/// Tick (or untick) a participant on a session that has started (staff of
/// the program's center). Ticking twice keeps one row.
pub async fn mark_attendance(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    person_id: i32,
    present: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (s, p, _) = load_session(db, session_id).await?;
    ensure_staff(db, user, p.center_id).await?;
    if s.starts_at > now {
        return Err(AppError::SessionNotHeld);
    }
    let txn = model::begin_write(db).await?;
    let participant = application::Entity::find()
        .filter(application::Column::ProgramId.eq(p.id))
        .filter(application::Column::PersonId.eq(person_id))
        .filter(application::Column::Status.eq(AppStatus::Accepted))
        .count(&txn)
        .await?;
    if participant == 0 {
        return Err(AppError::NotFound);
    }
    let existing = program_attendance::Entity::find()
        .filter(program_attendance::Column::SessionId.eq(s.id))
        .filter(program_attendance::Column::PersonId.eq(person_id))
        .one(&txn)
        .await?;
    match (present, existing) {
        (true, None) => {
            program_attendance::ActiveModel {
                session_id: Set(s.id),
                person_id: Set(person_id),
                marked_by: Set(user.account_id),
                marked_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        (false, Some(row)) => {
            program_attendance::Entity::delete_by_id(row.id)
                .exec(&txn)
                .await?;
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(())
}
