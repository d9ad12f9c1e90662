//! Changing a program after creation (director of its center, admin): names,
//! descriptions, the last day to apply and the cohort size; moving or
//! cancelling one of its sessions; cancelling the program. Accepted
//! participants are told of every change of time and of a cancellation, in
//! their own language.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::edit_dto::*;
use super::service::{invalid, load_program, sessions_of, when_of};
use super::staff::{ensure_planner, number, text_field};
use crate::access::session::CurrentUser;
use crate::centers::service::center_tz;
use crate::domain::codes::{AppStatus, AuditKind, NoticeKind};
use crate::domain::slots::local_to_utc;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::{
    self, program, program_application as application, program_attendance, program_session,
};
use crate::notify::changes::{self, tell};

/// Longest cancellation reason.
pub const MAX_REASON: usize = 200;

async fn applicants<C: ConnectionTrait>(
    db: &C,
    program_id: i32,
    statuses: &[AppStatus],
) -> Result<Vec<i32>, AppError> {
    Ok(application::Entity::find()
        .filter(application::Column::ProgramId.eq(program_id))
        .filter(application::Column::Status.is_in(statuses.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect())
}

/// A program (active) that the caller plans: director of its center, admin.
async fn planned<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    program_id: i32,
) -> Result<(program::Model, crate::model::center::Model), AppError> {
    user.require(|r| r.can_report())?;
    let (p, c) = load_program(db, program_id).await?;
    ensure_planner(db, user, p.center_id).await?;
    if !p.active {
        return Err(AppError::NotFound);
    }
    Ok((p, c))
}

async fn lock_program<C: ConnectionTrait>(db: &C, id: i32) -> Result<program::Model, AppError> {
    model::for_update(program::Entity::find_by_id(id), db.get_database_backend())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The program's values and upcoming sessions, for its staff page.
pub async fn edit_data(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ProgramEditDto, AppError> {
    let (p, c) = planned(db, user, program_id).await?;
    let tz = center_tz(&c);
    let sessions = sessions_of(db, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.starts_at > now)
        .map(|s| {
            let local = s.starts_at.with_timezone(&tz);
            ProgramSessionEditDto {
                id: s.id,
                when: when_of(&s, tz, l),
                title: s.title.clone(),
                date: local.format("%Y-%m-%d").to_string(),
                start_time: local.format("%H:%M").to_string(),
            }
        })
        .collect();
    Ok(ProgramEditDto {
        id: p.id,
        accepted: applicants(db, p.id, &[AppStatus::Accepted]).await?.len() as u32,
        form: ProgramEditForm {
            name_kk: p.name_kk.clone(),
            name_ru: p.name_ru.clone(),
            name_en: p.name_en.clone(),
            description_kk: p.description_kk.clone(),
            description_ru: p.description_ru.clone(),
            description_en: p.description_en.clone(),
            applications_close_on: p
                .applications_close_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            capacity: p.capacity.to_string(),
        },
        sessions,
    })
}

/// Save a program's names, descriptions, last day to apply and cohort
/// size; fewer places than accepted participants is refused.
pub async fn update(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    f: &ProgramEditForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Who may, before what is wrong with the form.
    planned(db, user, program_id).await?;
    let name_kk = text_field(&f.name_kk, "name_kk", 200, false)?;
    let name_ru = text_field(&f.name_ru, "name_ru", 200, false)?;
    let name_en = text_field(&f.name_en, "name_en", 200, false)?;
    if name_kk.is_empty() && name_ru.is_empty() && name_en.is_empty() {
        return Err(invalid("name_kk", Problem::Required));
    }
    let description_kk = text_field(&f.description_kk, "description_kk", 4000, false)?;
    let description_ru = text_field(&f.description_ru, "description_ru", 4000, false)?;
    let description_en = text_field(&f.description_en, "description_en", 4000, false)?;
    let capacity = number(&f.capacity, "capacity", 1, 1000)?;
    let close_on = match f.applications_close_on.trim() {
        "" => None,
        s => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| invalid("applications_close_on", Problem::Date))?,
        ),
    };
    let txn = model::begin_write(db).await?;
    // Lock order as in deciding an application: the program first.
    let p = lock_program(&txn, program_id).await?;
    ensure_planner(&txn, user, p.center_id).await?;
    let accepted = applicants(&txn, p.id, &[AppStatus::Accepted]).await?.len();
    if (capacity as usize) < accepted {
        return Err(invalid("capacity", Problem::BelowBooked));
    }
    let center_id = p.center_id;
    let mut m = p.into_active_model();
    m.name_kk = Set(name_kk);
    m.name_ru = Set(name_ru);
    m.name_en = Set(name_en.clone());
    m.description_kk = Set(description_kk);
    m.description_ru = Set(description_ru);
    m.description_en = Set(description_en);
    m.capacity = Set(capacity);
    m.applications_close_on = Set(close_on);
    m.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        AuditKind::ActivityChanged,
        format!("program {program_id}"),
        format!("{name_en}; capacity {capacity}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An upcoming session of a program the caller plans.
async fn upcoming_session<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<(program_session::Model, program::Model, chrono_tz::Tz), AppError> {
    user.require(|r| r.can_report())?;
    let s = program_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (p, c) = planned(db, user, s.program_id).await?;
    if s.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    Ok((s, p, center_tz(&c)))
}

/// Move one upcoming session to another date and time (the same length);
/// accepted participants are told.
pub async fn move_session(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    date: &str,
    start_time: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let (s, p, tz) = upcoming_session(&txn, user, session_id, now).await?;
    let day = crate::error::form_date("date", date)?;
    let starts_min = crate::centers::dto::parse_hhmm(start_time)
        .ok_or_else(|| invalid("start_time", Problem::Time))?;
    let a = local_to_utc(tz, day, starts_min);
    if a <= now {
        return Err(AppError::SlotInPast);
    }
    if a == s.starts_at {
        return Ok(());
    }
    let old = s.starts_at;
    let length = s.ends_at - s.starts_at;
    let mut m = s.into_active_model();
    m.starts_at = Set(a);
    m.ends_at = Set(a + length.max(Duration::minutes(15)));
    m.update(&txn).await?;
    let people = applicants(&txn, p.id, &[AppStatus::Accepted]).await?;
    let told = tell(
        &people,
        NoticeKind::ProgramSessionMoved,
        session_id,
        Some(changes::old_start(old)),
    );
    changes::store(&txn, &told, p.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(p.center_id),
        AuditKind::ActivityChanged,
        format!("program {} session {session_id}", p.id),
        format!("moved from {old} to {a}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancel one upcoming session (the confirmation ticked): it is removed and
/// accepted participants are told.
pub async fn cancel_session(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    confirm: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let (s, p, _) = upcoming_session(&txn, user, session_id, now).await?;
    if !confirm {
        return Err(invalid("confirm", Problem::Required));
    }
    program_attendance::Entity::delete_many()
        .filter(program_attendance::Column::SessionId.eq(s.id))
        .exec(&txn)
        .await?;
    program_session::Entity::delete_by_id(s.id)
        .exec(&txn)
        .await?;
    let people = applicants(&txn, p.id, &[AppStatus::Accepted]).await?;
    let told = tell(
        &people,
        NoticeKind::ProgramSessionCancelled,
        p.id,
        Some(changes::old_start(s.starts_at)),
    );
    changes::store(&txn, &told, p.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(p.center_id),
        AuditKind::ActivityCancelled,
        format!("program {} session {session_id}", p.id),
        format!("{} at {}", s.title, s.starts_at),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancel a program (the confirmation ticked): it takes no more
/// applications, its upcoming sessions are removed, and accepted
/// participants and waiting applicants are told the reason.
pub async fn cancel_program(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    reason: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    planned(db, user, program_id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(invalid("reason", Problem::TooLong));
    }
    if !confirm {
        return Err(invalid("confirm", Problem::Required));
    }
    let txn = model::begin_write(db).await?;
    let p = lock_program(&txn, program_id).await?;
    ensure_planner(&txn, user, p.center_id).await?;
    if !p.active {
        return Err(AppError::NotFound);
    }
    let upcoming: Vec<i32> = program_session::Entity::find()
        .filter(program_session::Column::ProgramId.eq(p.id))
        .filter(program_session::Column::StartsAt.gt(now))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if !upcoming.is_empty() {
        program_attendance::Entity::delete_many()
            .filter(program_attendance::Column::SessionId.is_in(upcoming.clone()))
            .exec(&txn)
            .await?;
        program_session::Entity::delete_many()
            .filter(program_session::Column::Id.is_in(upcoming.clone()))
            .exec(&txn)
            .await?;
    }
    let center_id = p.center_id;
    let mut m = p.into_active_model();
    m.active = Set(false);
    m.update(&txn).await?;
    let people = applicants(
        &txn,
        program_id,
        &[AppStatus::Accepted, AppStatus::Submitted],
    )
    .await?;
    let told = tell(
        &people,
        NoticeKind::ProgramCancelled,
        program_id,
        Some(reason.to_string()),
    );
    changes::store(&txn, &told, center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        AuditKind::ActivityCancelled,
        format!("program {program_id}"),
        format!("{reason}; {} sessions removed", upcoming.len()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
