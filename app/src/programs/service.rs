//! Programs: applications, review, sessions, attendance and certificates
//! (server only). Every write is one transaction; accepting locks the
//! program row so two staff cannot both take the cohort's last place.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::dto::*;
use crate::access::session::CurrentUser;
use crate::centers::service::center_tz;
use crate::domain::codes::AppStatus;
use crate::domain::eligibility::{self, occupations_from_str, Applicant, ProgramRules};
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

pub(super) fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

pub(super) fn name_of(p: &program::Model, l: Locale) -> String {
    pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string()
}

pub(super) fn center_name(c: &center::Model, l: Locale) -> String {
    pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string()
}

pub(super) fn date_str(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(super) fn stamp(t: DateTime<Utc>, tz: Tz) -> String {
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

pub(super) fn applicant_of(p: &person::Model) -> Applicant {
    Applicant {
        birth_date: p.birth_date,
        education: p.education,
        settlement: p.settlement,
        occupation: p.occupation,
    }
}

pub(super) async fn centers_by_id<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<i32, center::Model>, AppError> {
    Ok(center::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

pub(super) async fn sessions_of<C: ConnectionTrait>(
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
pub(super) async fn counts_of<C: ConnectionTrait>(
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

pub(super) fn dates_of(sessions: &[program_session::Model], tz: Tz) -> String {
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

pub(super) fn card(
    book: &crate::centers::directions::DirectionBook,
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
        direction: book.name(p.direction.as_str(), l),
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

pub(super) fn when_of(s: &program_session::Model, tz: Tz, l: Locale) -> String {
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
    let book = crate::centers::directions::DirectionBook::load(db).await?;
    Ok(programs
        .iter()
        .filter_map(|p| {
            let c = centers.get(&p.center_id)?;
            Some(card(
                &book,
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

pub(super) async fn load_program<C: ConnectionTrait>(
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

pub(super) async fn spaces_of<C: ConnectionTrait>(
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
    let book = crate::centers::directions::DirectionBook::load(db).await?;
    Ok(ProgramDetailDto {
        card: card(&book, &p, &c, &sessions, accepted, now, l),
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

pub(super) fn percent(attended: u32, held: u32) -> u32 {
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
    // A deactivated center takes no new applications.
    crate::centers::service::ensure_active_center(&c, "program_id")?;
    let today = now.with_timezone(&center_tz(&c)).date_naive();
    if !is_open(&p, today) {
        return Err(AppError::ApplicationsClosed);
    }
    // A minor needs a guardian's consent, as for booking.
    crate::access::ensure_may_book(&txn, user.person_id, today).await?;
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

/// A member's program applications and attendance for the data export
/// (sections `program_applications` and `program_attendance`).
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    let rows: Vec<serde_json::Value> = application::Entity::find()
        .filter(application::Column::PersonId.eq(person_id))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "program_id": a.program_id,
                "status": a.status.as_str(),
                "motivation": a.motivation,
                "decision_reason": a.decision_reason,
                "created_at": a.created_at,
                "decided_at": a.decided_at,
                "completed_at": a.completed_at,
                "certificate_code": a.certificate_code,
            })
        })
        .collect();
    let attendance: Vec<serde_json::Value> = program_attendance::Entity::find()
        .filter(program_attendance::Column::PersonId.eq(person_id))
        .order_by_asc(program_attendance::Column::MarkedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| serde_json::json!({ "session_id": a.session_id, "marked_at": a.marked_at }))
        .collect();
    let mut out = serde_json::Map::new();
    out.insert(
        "program_applications".into(),
        serde_json::Value::Array(rows),
    );
    out.insert(
        "program_attendance".into(),
        serde_json::Value::Array(attendance),
    );
    Ok(out)
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
    use crate::programs::certificates::certificate_code;

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
