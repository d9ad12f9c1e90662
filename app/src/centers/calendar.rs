//! The region's holiday calendar as data (server only): loading it once per
//! request, the admin's movable holidays, and the days a center opens on a
//! holiday for an event.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::admin_dto::{HolidayForm, HolidayOpeningDto, HolidayRowDto, HolidaysDto};
use crate::access::{staff_covers, CurrentUser};
use crate::audit::dto::AuditKind;
use crate::domain::holidays::{Holiday, HolidayCalendar};
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, pick, Locale};
use crate::model::{self, center, holiday, holiday_opening};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

fn to_domain(r: holiday::Model) -> Holiday {
    Holiday {
        id: r.id,
        year: r.year,
        month: r.month.max(0) as u32,
        day: r.day.max(0) as u32,
        name_kk: r.name_kk,
        name_ru: r.name_ru,
        name_en: r.name_en,
    }
}

/// Every holiday of the region (load once per request, then ask per date).
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<HolidayCalendar, AppError> {
    Ok(HolidayCalendar::new(
        holiday::Entity::find()
            .order_by_asc(holiday::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect(),
    ))
}

/// The holidays a center opens on (for an event).
pub async fn openings_of<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
) -> Result<HashSet<NaiveDate>, AppError> {
    Ok(holiday_opening::Entity::find()
        .filter(holiday_opening::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.day)
        .collect())
}

/// The admin's view of one year: its holidays (fixed and movable).
pub async fn year_view(
    db: &DatabaseConnection,
    user: &CurrentUser,
    year: Option<i32>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<HolidaysDto, AppError> {
    use chrono::Datelike;
    user.require(|r| r.is_admin())?;
    let year = match year {
        Some(y) => y,
        None => super::service::region_today(db, now).await?.year(),
    };
    if !(2000..=2100).contains(&year) {
        return Err(invalid("year", Problem::Range));
    }
    let cal = load(db).await?;
    let holidays = cal
        .of_year(year)
        .into_iter()
        .map(|(d, h)| HolidayRowDto {
            id: h.id,
            iso_day: d.to_string(),
            day: format!("{}.{year}", day_label(l, d)),
            name: h.name(l).to_string(),
            movable: h.year.is_some(),
        })
        .collect();
    Ok(HolidaysDto { year, holidays })
}

/// Names: each 1–120 characters.
fn names(f: &HolidayForm) -> Result<[String; 3], AppError> {
    let mut out: [String; 3] = Default::default();
    for (i, (field, v)) in [
        ("name_kk", &f.name_kk),
        ("name_ru", &f.name_ru),
        ("name_en", &f.name_en),
    ]
    .into_iter()
    .enumerate()
    {
        let v = v.trim();
        if v.is_empty() {
            return Err(invalid(field, Problem::Required));
        }
        if v.chars().count() > 120 {
            return Err(invalid(field, Problem::TooLong));
        }
        out[i] = v.to_string();
    }
    Ok(out)
}

/// Add a movable holiday (one year only); audited. Returns its year.
pub async fn add_holiday(
    db: &DatabaseConnection,
    user: &CurrentUser,
    form: HolidayForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    use chrono::Datelike;
    user.require(|r| r.is_admin())?;
    let day = crate::error::form_date("day", &form.day)?;
    if !(2000..=2100).contains(&day.year()) {
        return Err(invalid("day", Problem::Date));
    }
    let [kk, ru, en] = names(&form)?;
    let txn = model::begin_write(db).await?;
    if load(&txn).await?.is_holiday(day) {
        return Err(invalid("day", Problem::Taken));
    }
    holiday::ActiveModel {
        year: Set(Some(day.year())),
        month: Set(day.month() as i16),
        day: Set(day.day() as i16),
        name_kk: Set(kk),
        name_ru: Set(ru),
        name_en: Set(en.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        user,
        None,
        AuditKind::HolidayChanged,
        format!("holiday {}", day.format("%d.%m.%Y")),
        format!("added {en}"),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget_all(db);
    Ok(day.year())
}

/// Remove a movable holiday (fixed ones are the law's and stay); audited.
/// Openings on that day stay harmless.
pub async fn remove_holiday(
    db: &DatabaseConnection,
    user: &CurrentUser,
    holiday_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.is_admin())?;
    let txn = model::begin_write(db).await?;
    let h = holiday::Entity::find_by_id(holiday_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if h.year.is_none() {
        return Err(AppError::Forbidden);
    }
    holiday::Entity::delete_by_id(h.id).exec(&txn).await?;
    let when = format!("{:02}.{:02}.{}", h.day, h.month, h.year.unwrap_or_default());
    crate::audit::service::record(
        &txn,
        user,
        None,
        AuditKind::HolidayChanged,
        format!("holiday {when}"),
        format!("removed {}", h.name_en),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget_all(db);
    Ok(())
}

/// Directors of the center and admins decide holiday openings.
async fn ensure_opener<C: ConnectionTrait>(
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

/// Open a center on a holiday for an event (the weekday's usual hours).
pub async fn add_opening(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    day: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    ensure_opener(db, user, center_id).await?;
    let day = crate::error::form_date("day", day)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > 200 {
        return Err(invalid("reason", Problem::TooLong));
    }
    let txn = model::begin_write(db).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    super::service::ensure_active_center(&c, "center_id")?;
    let today = now
        .with_timezone(&super::service::center_tz(&c))
        .date_naive();
    if day < today || !load(&txn).await?.is_holiday(day) {
        return Err(invalid("day", Problem::Date));
    }
    if openings_of(&txn, center_id).await?.contains(&day) {
        return Err(invalid("day", Problem::Taken));
    }
    holiday_opening::ActiveModel {
        center_id: Set(center_id),
        day: Set(day),
        reason: Set(reason.to_string()),
        created_by: Set(user.account_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        AuditKind::HolidayOpening,
        format!("day {}", day.format("%d.%m.%Y")),
        format!("opens: {reason}"),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, center_id);
    Ok(())
}

/// Close the holiday again (remove the opening).
pub async fn remove_opening(
    db: &DatabaseConnection,
    user: &CurrentUser,
    opening_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let o = holiday_opening::Entity::find_by_id(opening_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_opener(db, user, o.center_id).await?;
    let txn = model::begin_write(db).await?;
    holiday_opening::Entity::delete_by_id(o.id)
        .exec(&txn)
        .await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(o.center_id),
        AuditKind::HolidayOpening,
        format!("day {}", o.day.format("%d.%m.%Y")),
        format!("closed again (was: {})", o.reason),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, o.center_id);
    Ok(())
}

/// Upcoming holiday openings of the centers a staff user works for
/// (`None`: all).
pub async fn list_openings(
    db: &DatabaseConnection,
    centers: Option<Vec<i32>>,
    today: NaiveDate,
    l: Locale,
) -> Result<Vec<HolidayOpeningDto>, AppError> {
    let mut q = holiday_opening::Entity::find().filter(holiday_opening::Column::Day.gte(today));
    if let Some(cs) = centers {
        q = q.filter(holiday_opening::Column::CenterId.is_in(cs));
    }
    let rows = q.order_by_asc(holiday_opening::Column::Day).all(db).await?;
    let all_centers = center::Entity::find().all(db).await?;
    let cal = load(db).await?;
    Ok(rows
        .into_iter()
        .map(|o| HolidayOpeningDto {
            id: o.id,
            center: all_centers
                .iter()
                .find(|x| x.id == o.center_id)
                .map(|x| pick(l, &x.name_kk, &x.name_ru, &x.name_en).to_string())
                .unwrap_or_default(),
            day: day_label(l, o.day),
            iso_day: o.day.to_string(),
            holiday: cal
                .holiday(o.day)
                .map(|h| h.name(l).to_string())
                .unwrap_or_default(),
            reason: o.reason,
        })
        .collect())
}
