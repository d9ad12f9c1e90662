//! Programs: applications, review, sessions, attendance and certificates
//! (server only). Every write is one transaction; accepting locks the
//! program row so two staff cannot both take the cohort's last place.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::dto::*;
use crate::access::session::CurrentUser;
use crate::access::{staff_centers, staff_covers};
use crate::centers::service::center_tz;
use crate::domain::codes::AppStatus;
use crate::domain::direction::Direction;
use crate::domain::eligibility::{
    self, occupations_from_str, occupations_to_str, Applicant, ProgramRules,
};
use crate::domain::membership::age_on;
use crate::domain::people::{Education, Occupation, Settlement};
use crate::error::{AppError, Problem};
use crate::i18n::occupation_list;
use crate::i18n::{day_label, hhmm, pick, program_text, Locale, Msg, ProgramText};
use crate::model::{
    self, center, person, program, program_application as application, program_attendance,
    program_session, space,
};

/// Applications that hold the member's place in line or in the cohort.
const LIVE: [AppStatus; 2] = [AppStatus::Submitted, AppStatus::Accepted];

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

fn name_of(p: &program::Model, l: Locale) -> String {
    pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string()
}

fn center_name(c: &center::Model, l: Locale) -> String {
    pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string()
}

fn date_str(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn stamp(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

/// The pure rules a program declares.
pub fn rules_of(p: &program::Model) -> ProgramRules {
    ProgramRules {
        min_age: p.min_age,
        max_age: p.max_age,
        min_education: p.min_education,
        rural_only: p.rural_only,
        occupations: occupations_from_str(&p.occupations),
    }
}

/// The rules in words, one line each.
pub fn rule_lines(p: &program::Model, l: Locale) -> Vec<String> {
    let r = rules_of(p);
    let mut out = Vec::new();
    match (r.min_age, r.max_age) {
        (Some(min), Some(max)) => out.push(program_text(l, ProgramText::AgeRange { min, max })),
        (Some(min), None) => out.push(program_text(l, ProgramText::AgeFrom(min))),
        (None, Some(max)) => out.push(program_text(l, ProgramText::AgeUpTo(max))),
        (None, None) => {}
    }
    if let Some(e) = r.min_education {
        out.push(program_text(l, ProgramText::EducationAtLeast(e.label(l))));
    }
    if r.rural_only {
        out.push(Msg::ProgRuralOnly.text(l).to_string());
    }
    if !r.occupations.is_empty() {
        out.push(program_text(
            l,
            ProgramText::OccupationsOnly(&occupation_list(&r.occupations, l)),
        ));
    }
    out
}

fn applicant_of(p: &person::Model) -> Applicant {
    Applicant {
        birth_date: p.birth_date,
        education: p.education,
        settlement: p.settlement,
        occupation: p.occupation,
    }
}

async fn centers_by_id<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<i32, center::Model>, AppError> {
    Ok(center::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

async fn sessions_of<C: ConnectionTrait>(
    db: &C,
    program_ids: Vec<i32>,
) -> Result<HashMap<i32, Vec<program_session::Model>>, AppError> {
    let mut out: HashMap<i32, Vec<program_session::Model>> = HashMap::new();
    for s in program_session::Entity::find()
        .filter(program_session::Column::ProgramId.is_in(program_ids))
        .order_by_asc(program_session::Column::StartsAt)
        .order_by_asc(program_session::Column::Id)
        .all(db)
        .await?
    {
        out.entry(s.program_id).or_default().push(s);
    }
    Ok(out)
}

/// Applications of these programs by status: (accepted, submitted).
async fn counts_of<C: ConnectionTrait>(
    db: &C,
    program_ids: Vec<i32>,
) -> Result<HashMap<i32, (u32, u32)>, AppError> {
    let mut out: HashMap<i32, (u32, u32)> = HashMap::new();
    for a in application::Entity::find()
        .filter(application::Column::ProgramId.is_in(program_ids))
        .filter(application::Column::Status.is_in(LIVE))
        .all(db)
        .await?
    {
        let e = out.entry(a.program_id).or_default();
        if a.status == AppStatus::Accepted {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    Ok(out)
}

fn dates_of(sessions: &[program_session::Model], tz: Tz) -> String {
    match (sessions.first(), sessions.last()) {
        (Some(a), Some(b)) => format!(
            "{} – {}",
            date_str(a.starts_at.with_timezone(&tz).date_naive()),
            date_str(b.starts_at.with_timezone(&tz).date_naive())
        ),
        _ => String::new(),
    }
}

fn is_open(p: &program::Model, today: NaiveDate) -> bool {
    p.active && p.applications_close_on.is_none_or(|d| today <= d)
}

fn card(
    p: &program::Model,
    c: &center::Model,
    sessions: &[program_session::Model],
    accepted: u32,
    now: DateTime<Utc>,
    l: Locale,
) -> ProgramCardDto {
    let tz = center_tz(c);
    let today = now.with_timezone(&tz).date_naive();
    ProgramCardDto {
        id: p.id,
        name: name_of(p, l),
        center_name: center_name(c, l),
        direction: p.direction,
        dates: dates_of(sessions, tz),
        sessions: sessions.len() as u32,
        capacity: p.capacity,
        places_left: (p.capacity - accepted as i32).max(0),
        closes: p
            .applications_close_on
            .map(|d| program_text(l, ProgramText::ClosesOn(&date_str(d)))),
        open: is_open(p, today),
    }
}

fn session_dto(
    s: &program_session::Model,
    tz: Tz,
    spaces: &HashMap<i32, space::Model>,
    now: DateTime<Utc>,
    l: Locale,
) -> SessionDto {
    SessionDto {
        id: s.id,
        when: when_of(s, tz, l),
        title: s.title.clone(),
        place: s
            .space_id
            .and_then(|id| spaces.get(&id))
            .map(|sp| pick(l, &sp.name_kk, &sp.name_ru, &sp.name_en).to_string()),
        held: s.starts_at <= now,
    }
}

fn when_of(s: &program_session::Model, tz: Tz, l: Locale) -> String {
    let date = s.starts_at.with_timezone(&tz).date_naive();
    format!(
        "{}.{}, {}–{}",
        day_label(l, date),
        date.format("%Y"),
        hhmm(s.starts_at, tz),
        hhmm(s.ends_at, tz)
    )
}

/// Active programs of every center, newest first (public).
pub async fn list_programs(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<ProgramCardDto>, AppError> {
    let programs = program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .order_by_desc(program::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = programs.iter().map(|p| p.id).collect();
    let centers = centers_by_id(db).await?;
    let sessions = sessions_of(db, ids.clone()).await?;
    let counts = counts_of(db, ids).await?;
    Ok(programs
        .iter()
        .filter_map(|p| {
            let c = centers.get(&p.center_id)?;
            Some(card(
                p,
                c,
                sessions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                counts.get(&p.id).map(|c| c.0).unwrap_or(0),
                now,
                l,
            ))
        })
        .collect())
}

async fn load_program<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<(program::Model, center::Model), AppError> {
    let p = program::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = center::Entity::find_by_id(p.center_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((p, c))
}

async fn spaces_of<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
) -> Result<HashMap<i32, space::Model>, AppError> {
    Ok(space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// A program's page; for a signed-in member also what stands in the way of
/// applying today and their latest application.
pub async fn program_detail(
    db: &DatabaseConnection,
    user: Option<&CurrentUser>,
    program_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ProgramDetailDto, AppError> {
    let (p, c) = load_program(db, program_id).await?;
    if !p.active {
        return Err(AppError::NotFound);
    }
    let tz = center_tz(&c);
    let sessions = sessions_of(db, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    let accepted = counts_of(db, vec![p.id])
        .await?
        .get(&p.id)
        .map(|c| c.0)
        .unwrap_or(0);
    let spaces = spaces_of(db, c.id).await?;
    let me = match user {
        Some(u) => {
            let person = person::Entity::find_by_id(u.person_id)
                .one(db)
                .await?
                .ok_or(AppError::NotAuthenticated)?;
            let today = now.with_timezone(&tz).date_naive();
            let latest = application::Entity::find()
                .filter(application::Column::ProgramId.eq(p.id))
                .filter(application::Column::PersonId.eq(u.person_id))
                .order_by_desc(application::Column::Id)
                .one(db)
                .await?;
            let application = match latest {
                Some(a) => Some(my_application(db, &a, &p, &c, now, l).await?),
                None => None,
            };
            Some(MyStandingDto {
                reasons: eligibility::check(&rules_of(&p), &applicant_of(&person), today),
                profile: ProfileFacts {
                    education: person.education.as_str().to_string(),
                    occupation: person.occupation.as_str().to_string(),
                    settlement: person.settlement.as_str().to_string(),
                },
                application,
            })
        }
        None => None,
    };
    Ok(ProgramDetailDto {
        card: card(&p, &c, &sessions, accepted, now, l),
        description: pick(l, &p.description_kk, &p.description_ru, &p.description_en).to_string(),
        rules: rule_lines(&p, l),
        completion: program_text(l, ProgramText::CompletionRule(p.completion_percent)),
        sessions: sessions
            .iter()
            .map(|s| session_dto(s, tz, &spaces, now, l))
            .collect(),
        me,
    })
}

/// Attendance of one person over the held sessions of a program:
/// (attended, held).
async fn attendance_of<C: ConnectionTrait>(
    db: &C,
    program_id: i32,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(u32, u32), AppError> {
    let held: Vec<i32> = program_session::Entity::find()
        .filter(program_session::Column::ProgramId.eq(program_id))
        .filter(program_session::Column::StartsAt.lte(now))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let attended = program_attendance::Entity::find()
        .filter(program_attendance::Column::SessionId.is_in(held.clone()))
        .filter(program_attendance::Column::PersonId.eq(person_id))
        .count(db)
        .await? as u32;
    Ok((attended, held.len() as u32))
}

fn percent(attended: u32, held: u32) -> u32 {
    (attended * 100).checked_div(held).unwrap_or(0)
}

/// Completed: at least `needed` percent of the held sessions attended
/// (compared exactly, without rounding).
pub fn reached(attended: u32, held: u32, needed: i32) -> bool {
    held > 0 && (attended as i64) * 100 >= (needed as i64) * (held as i64)
}

async fn my_application<C: ConnectionTrait>(
    db: &C,
    a: &application::Model,
    p: &program::Model,
    c: &center::Model,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<MyApplicationDto, AppError> {
    let status = a.status;
    let attendance = if status == AppStatus::Accepted {
        let (n, held) = attendance_of(db, p.id, a.person_id, now).await?;
        (held > 0).then(|| {
            program_text(
                l,
                ProgramText::Attended {
                    n,
                    held,
                    percent: percent(n, held),
                },
            )
        })
    } else {
        None
    };
    Ok(MyApplicationDto {
        id: a.id,
        program_id: p.id,
        program_name: name_of(p, l),
        center_name: center_name(c, l),
        status,
        decision_reason: a.decision_reason.clone(),
        submitted: stamp(a.created_at, center_tz(c)),
        attendance,
        certificate_code: a.certificate_code.clone(),
    })
}

/// Apply to a program: the profile facts on the form are confirmed (and
/// updated), every eligibility rule is checked as of today in the program's
/// center, and the application is recorded. An ineligible applicant is told
/// every reason and nothing is written.
pub async fn apply(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    form: &ApplyForm,
    now: DateTime<Utc>,
) -> Result<application::Model, AppError> {
    let education =
        Education::parse(form.education.trim()).ok_or(invalid("education", Problem::Required))?;
    let occupation = Occupation::parse(form.occupation.trim())
        .ok_or(invalid("occupation", Problem::Required))?;
    let settlement = Settlement::parse(form.settlement.trim())
        .ok_or(invalid("settlement", Problem::Required))?;
    let motivation = form.motivation.trim();
    if motivation.is_empty() {
        return Err(invalid("motivation", Problem::Required));
    }
    if motivation.chars().count() > MAX_MOTIVATION {
        return Err(invalid("motivation", Problem::TooLong));
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let p = model::for_update(program::Entity::find_by_id(program_id), backend)
        .one(&txn)
        .await?
        .filter(|p| p.active)
        .ok_or(AppError::NotFound)?;
    let c = center::Entity::find_by_id(p.center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let today = now.with_timezone(&center_tz(&c)).date_naive();
    if !is_open(&p, today) {
        return Err(AppError::ApplicationsClosed);
    }
    let live = application::Entity::find()
        .filter(application::Column::ProgramId.eq(p.id))
        .filter(application::Column::PersonId.eq(user.person_id))
        .filter(application::Column::Status.is_in(LIVE))
        .count(&txn)
        .await?;
    if live > 0 {
        return Err(AppError::AlreadyApplied);
    }
    let person = person::Entity::find_by_id(user.person_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    let facts = Applicant {
        birth_date: person.birth_date,
        education,
        settlement,
        occupation,
    };
    let reasons = eligibility::check(&rules_of(&p), &facts, today);
    if !reasons.is_empty() {
        return Err(AppError::Ineligible { reasons });
    }
    if person.education != education
        || person.occupation != occupation
        || person.settlement != settlement
    {
        let mut pm = person.into_active_model();
        pm.education = Set(education);
        pm.occupation = Set(occupation);
        pm.settlement = Set(settlement);
        pm.update(&txn).await?;
    }
    let a = application::ActiveModel {
        program_id: Set(p.id),
        person_id: Set(user.person_id),
        status: Set(AppStatus::Submitted),
        motivation: Set(motivation.into()),
        decision_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        created_at: Set(now),
        completed_at: Set(None),
        certificate_code: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// The member's applications, newest first.
pub async fn my_applications(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<MyApplicationDto>, AppError> {
    let apps = application::Entity::find()
        .filter(application::Column::PersonId.eq(user.person_id))
        .order_by_desc(application::Column::Id)
        .all(db)
        .await?;
    let programs: HashMap<i32, program::Model> = program::Entity::find()
        .filter(program::Column::Id.is_in(apps.iter().map(|a| a.program_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let centers = centers_by_id(db).await?;
    let mut out = Vec::with_capacity(apps.len());
    for a in &apps {
        let Some(p) = programs.get(&a.program_id) else {
            continue;
        };
        let Some(c) = centers.get(&p.center_id) else {
            continue;
        };
        out.push(my_application(db, a, p, c, now, l).await?);
    }
    Ok(out)
}

/// The member withdraws an own submitted or accepted application (an
/// accepted one frees its place).
pub async fn withdraw(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let a = model::for_update(application::Entity::find_by_id(application_id), backend)
        .one(&txn)
        .await?
        .filter(|a| a.person_id == user.person_id)
        .ok_or(AppError::NotFound)?;
    if !LIVE.contains(&a.status) || a.completed_at.is_some() {
        return Err(AppError::AlreadyDecided);
    }
    let mut am = a.into_active_model();
    am.status = Set(AppStatus::Withdrawn);
    am.decided_at = Set(Some(now));
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Programs of the centers a staff user works for.
async fn scoped_programs<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Vec<program::Model>, AppError> {
    let scope = staff_centers(db, user).await?;
    let mut q = program::Entity::find().order_by_desc(program::Column::Id);
    if let Some(cs) = scope {
        q = q.filter(program::Column::CenterId.is_in(cs));
    }
    Ok(q.all(db).await?)
}

/// Submitted applications to programs of the caller's centers, oldest first.
pub async fn review_queue(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<ReviewRowDto>, AppError> {
    user.require(|r| r.can_scan())?;
    let programs: HashMap<i32, program::Model> = scoped_programs(db, user)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let ids: Vec<i32> = programs.keys().copied().collect();
    let apps = application::Entity::find()
        .filter(application::Column::ProgramId.is_in(ids.clone()))
        .filter(application::Column::Status.eq(AppStatus::Submitted))
        .order_by_asc(application::Column::CreatedAt)
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(apps.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let centers = centers_by_id(db).await?;
    let counts = counts_of(db, ids).await?;
    let mut out = Vec::with_capacity(apps.len());
    for a in apps {
        let (Some(p), Some(person)) = (programs.get(&a.program_id), people.get(&a.person_id))
        else {
            continue;
        };
        let Some(c) = centers.get(&p.center_id) else {
            continue;
        };
        let tz = center_tz(c);
        let accepted = counts.get(&p.id).map(|c| c.0).unwrap_or(0) as i32;
        let left = (p.capacity - accepted).max(0);
        let facts = applicant_of(person);
        out.push(ReviewRowDto {
            id: a.id,
            program_id: p.id,
            program_name: name_of(p, l),
            center_name: center_name(c, l),
            applicant: person.full_name.clone(),
            age: age_on(person.birth_date, now.with_timezone(&tz).date_naive()),
            education: facts.education.label(l).into(),
            occupation: facts.occupation.label(l).into(),
            settlement: facts.settlement.label(l).into(),
            motivation: a.motivation.clone(),
            submitted: stamp(a.created_at, tz),
            places: program_text(
                l,
                ProgramText::Places {
                    left,
                    total: p.capacity,
                },
            ),
            full: left == 0,
        });
    }
    Ok(out)
}

/// Accept or reject a submitted application (front desk, director of the
/// program's center, admin). Accepting takes a cohort place: the program
/// row is locked, so of two staff accepting the last place at once one wins
/// and the other is told the cohort is full. A rejection needs a reason,
/// which the applicant sees.
pub async fn decide(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    accept: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<application::Model, AppError> {
    user.require(|r| r.can_scan())?;
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let program_id = application::Entity::find_by_id(application_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .program_id;
    // Lock order: the program first, then the application.
    let p = model::for_update(program::Entity::find_by_id(program_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(&txn, user, p.center_id).await? {
        return Err(AppError::NotFound);
    }
    let a = model::for_update(application::Entity::find_by_id(application_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.status != AppStatus::Submitted {
        return Err(AppError::AlreadyDecided);
    }
    if accept {
        let taken = application::Entity::find()
            .filter(application::Column::ProgramId.eq(p.id))
            .filter(application::Column::Status.eq(AppStatus::Accepted))
            .count(&txn)
            .await?;
        if taken >= p.capacity.max(0) as u64 {
            return Err(AppError::CohortFull);
        }
    }
    let mut am = a.into_active_model();
    am.status = Set(if accept {
        AppStatus::Accepted
    } else {
        AppStatus::Rejected
    }
    .into());
    am.decided_by = Set(Some(user.account_id));
    am.decided_at = Set(Some(now));
    am.decision_reason = Set((!reason.is_empty()).then(|| reason.chars().take(300).collect()));
    let a = am.update(&txn).await?;
    crate::notify::outbox::email_person(
        &txn,
        a.person_id,
        Some(p.center_id),
        if accept {
            "email.application_accepted"
        } else {
            "email.application_rejected"
        },
        None,
        now,
        |who, l| {
            let (subject, body) = crate::notify::templates::mail_application(
                l,
                accept,
                crate::i18n::pick(l, &p.name_kk, &p.name_ru, &p.name_en),
                reason,
            );
            crate::notify::outbox::Rendered {
                subject,
                text: crate::notify::templates::mail_text(
                    l,
                    who.full_name.split_whitespace().next().unwrap_or_default(),
                    &body,
                ),
                attachment: None,
            }
        },
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

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
    })
}

/// Directors (of the center) and admins create and plan programs.
async fn ensure_planner<C: ConnectionTrait>(
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

fn number(raw: &str, field: &str, min: i32, max: i32) -> Result<i32, AppError> {
    optional_number(raw, field, min, max)?.ok_or(invalid(field, Problem::Required))
}

fn text_field(raw: &str, field: &str, max: usize, required: bool) -> Result<String, AppError> {
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
    let name_kk = text_field(&f.name_kk, "name_kk", 200, false)?;
    let name_ru = text_field(&f.name_ru, "name_ru", 200, false)?;
    let name_en = text_field(&f.name_en, "name_en", 200, false)?;
    if name_kk.is_empty() && name_ru.is_empty() && name_en.is_empty() {
        return Err(invalid("name_kk", Problem::Required));
    }
    let description_kk = text_field(&f.description_kk, "description_kk", 4000, false)?;
    let description_ru = text_field(&f.description_ru, "description_ru", 4000, false)?;
    let description_en = text_field(&f.description_en, "description_en", 4000, false)?;
    let direction =
        Direction::parse(f.direction.trim()).ok_or(invalid("direction", Problem::Required))?;
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
async fn ensure_staff<C: ConnectionTrait>(
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
async fn participants<C: ConnectionTrait>(
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
async fn attendance_pairs<C: ConnectionTrait>(
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
    Ok(ProgramStaffDto {
        card: card(&p, &c, &sessions, people.len() as u32, now, l),
        completion_percent: p.completion_percent,
        can_edit: ensure_planner(db, user, p.center_id).await.is_ok(),
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

/// A fresh unguessable certificate code: 20 characters of base32 (100 bits).
fn certificate_code() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[(*b & 31) as usize] as char)
        .collect()
}

/// Once every session has started, issue certificates to the participants
/// who attended at least the program's completion share of them (staff of
/// the center). Certificates already issued stay; returns how many are new.
pub async fn issue_certificates(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let (p, _) = load_program(db, program_id).await?;
    ensure_staff(db, user, p.center_id).await?;
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    // Serialize with other issuers of this program.
    model::for_update(program::Entity::find_by_id(p.id), backend)
        .one(&txn)
        .await?;
    let sessions = sessions_of(&txn, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    if sessions.is_empty() || sessions.iter().any(|s| s.starts_at > now) {
        return Err(AppError::ProgramNotOver);
    }
    let pairs = attendance_pairs(&txn, sessions.iter().map(|s| s.id).collect()).await?;
    let held = sessions.len() as u32;
    let mut issued = 0;
    for (a, person) in participants(&txn, p.id).await? {
        if a.certificate_code.is_some() {
            continue;
        }
        let attended = pairs.iter().filter(|(_, pid)| *pid == person.id).count() as u32;
        if !reached(attended, held, p.completion_percent) {
            continue;
        }
        let mut am = a.into_active_model();
        am.completed_at = Set(Some(now));
        am.certificate_code = Set(Some(certificate_code()));
        am.update(&txn).await?;
        issued += 1;
    }
    txn.commit().await?;
    Ok(issued)
}

/// A certificate by its code (public): who completed which program, when,
/// with a QR pointing back to this verification page. Unknown codes are not
/// found.
pub async fn certificate(
    db: &DatabaseConnection,
    code: &str,
    base_url: &str,
    l: Locale,
) -> Result<CertificateDto, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 20 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let a = application::Entity::find()
        .filter(application::Column::CertificateCode.eq(code.clone()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (Some(completed), AppStatus::Accepted) = (a.completed_at, a.status) else {
        return Err(AppError::NotFound);
    };
    let (p, c) = load_program(db, a.program_id).await?;
    let person = person::Entity::find_by_id(a.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let sessions = sessions_of(db, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    let pairs = attendance_pairs(db, sessions.iter().map(|s| s.id).collect()).await?;
    let attended = pairs.iter().filter(|(_, pid)| *pid == person.id).count() as u32;
    let held = sessions.len() as u32;
    let verify_url = format!("{}/certificates/{}", base_url.trim_end_matches('/'), code);
    Ok(CertificateDto {
        qr_svg: crate::passes::service::qr_svg(&verify_url),
        verify_url,
        code,
        holder: person.full_name,
        program_name: name_of(&p, l),
        center_name: center_name(&c, l),
        dates: dates_of(&sessions, tz),
        issued: date_str(completed.with_timezone(&tz).date_naive()),
        attended: program_text(
            l,
            ProgramText::Attended {
                n: attended,
                held,
                percent: percent(attended, held),
            },
        ),
    })
}

/// A member's program applications for the data export.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Value, AppError> {
    let rows: Vec<serde_json::Value> = application::Entity::find()
        .filter(application::Column::PersonId.eq(person_id))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "program_id": a.program_id,
                "status": a.status,
                "motivation": a.motivation,
                "decision_reason": a.decision_reason,
                "created_at": a.created_at,
                "decided_at": a.decided_at,
                "completed_at": a.completed_at,
                "certificate_code": a.certificate_code,
            })
        })
        .collect();
    Ok(serde_json::Value::Array(rows))
}

/// On account deletion: live applications are withdrawn (an accepted
/// participant's place is freed), motivations
/// erased, and certificates (which name the member) no longer verify.
/// Attendance stays as anonymous figures.
pub async fn erase_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(AppStatus::Withdrawn),
        )
        .col_expr(application::Column::DecidedAt, Expr::value(Some(now)))
        .filter(application::Column::PersonId.eq(person_id))
        .filter(application::Column::Status.is_in(LIVE))
        .filter(application::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    application::Entity::update_many()
        .col_expr(application::Column::Motivation, Expr::value(""))
        .col_expr(
            application::Column::CertificateCode,
            Expr::value(Option::<String>::None),
        )
        .filter(application::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_share_is_compared_exactly() {
        // 80% of 5 sessions: 4 attended is enough, 3 is not.
        assert!(reached(4, 5, 80));
        assert!(!reached(3, 5, 80));
        // 2 of 3 is 66.6…%, below 67%.
        assert!(!reached(2, 3, 67));
        assert!(reached(2, 3, 66));
        // Nothing held: nothing completed.
        assert!(!reached(0, 0, 1));
    }

    #[test]
    fn certificate_codes_are_long_and_distinct() {
        let a = certificate_code();
        let b = certificate_code();
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
