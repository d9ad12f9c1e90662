//! The regional admin's centers (server only): create, edit, deactivate
//! and reactivate a center, with its names, contacts, time zone and weekly
//! hours. Every field is checked before anything is written.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::admin_dto::{CenterAdminDto, CenterForm, CenterRowDto};
use super::dto::fmt_hhmm;
use crate::access::CurrentUser;
use crate::audit::dto::AuditKind;
use crate::domain::login::LoginId;
use crate::domain::people::Settlement;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, center, opening_hours};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// A center's card, checked: trimmed texts, the parsed settlement, the
/// normalised phone and email, and the weekly hours.
struct Checked {
    names: [String; 3],
    district: String,
    settlement: Settlement,
    address: String,
    timezone: String,
    phone: String,
    email: String,
    descriptions: [String; 3],
    hours: [Option<(i32, i32)>; 7],
}

/// A trimmed text of at most `max` characters (`required`: not empty).
fn text(field: &str, v: &str, max: usize, required: bool) -> Result<String, AppError> {
    let v = v.trim();
    if required && v.is_empty() {
        return Err(invalid(field, Problem::Required));
    }
    if v.chars().count() > max {
        return Err(invalid(field, Problem::TooLong));
    }
    Ok(v.to_string())
}

/// Every field of the form, the first bad one named; names are compared
/// with `others` (every other center) per language, ignoring case.
fn check(f: &CenterForm, others: &[center::Model]) -> Result<Checked, AppError> {
    let mut names: [String; 3] = Default::default();
    for (i, (field, v)) in [
        ("name_kk", &f.name_kk),
        ("name_ru", &f.name_ru),
        ("name_en", &f.name_en),
    ]
    .into_iter()
    .enumerate()
    {
        let v = text(field, v, 120, true)?;
        let lower = v.to_lowercase();
        if others.iter().any(|o| {
            [&o.name_kk, &o.name_ru, &o.name_en][i]
                .trim()
                .to_lowercase()
                == lower
        }) {
            return Err(invalid(field, Problem::Taken));
        }
        names[i] = v;
    }
    let district = text("district", &f.district, 120, true)?;
    let settlement = Settlement::parse(f.settlement.trim())
        .ok_or_else(|| invalid("settlement", Problem::Required))?;
    let address = text("address", &f.address, 200, true)?;
    let timezone = text("timezone", &f.timezone, 64, true)?;
    if chrono_tz::Tz::from_str(&timezone).is_err() {
        return Err(invalid("timezone", Problem::TimeZone));
    }
    let phone = match text("phone", &f.phone, 40, false)?.as_str() {
        "" => String::new(),
        p => match LoginId::parse(p) {
            Some(LoginId::Phone(p)) => p,
            _ => return Err(invalid("phone", Problem::Phone)),
        },
    };
    let email = match text("email", &f.email, 120, false)?.as_str() {
        "" => String::new(),
        e => match LoginId::parse(e) {
            Some(LoginId::Email(e)) => e,
            _ => return Err(invalid("email", Problem::Email)),
        },
    };
    let descriptions = [
        text("description_kk", &f.description_kk, 1000, false)?,
        text("description_ru", &f.description_ru, 1000, false)?,
        text("description_en", &f.description_en, 1000, false)?,
    ];
    let hours = f.hours().validate_hours()?;
    Ok(Checked {
        names,
        district,
        settlement,
        address,
        timezone,
        phone,
        email,
        descriptions,
        hours,
    })
}

/// `karaganda-youth-center` from an English name; `center` when nothing
/// Latin is left.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(60).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "center".into()
    } else {
        out
    }
}

/// A slug no other center has: `base`, `base-2`, `base-3`…
fn unique_slug(base: &str, all: &[center::Model]) -> String {
    let taken = |s: &str| all.iter().any(|c| c.slug == s);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken(s))
        .unwrap_or_default()
}

/// Every center, deactivated ones too: the regional center first.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<Vec<CenterRowDto>, AppError> {
    user.require(|r| r.is_admin())?;
    let mut rows = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|c| {
        (
            c.parent_id.is_some(),
            pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        )
    });
    Ok(rows
        .iter()
        .map(|c| CenterRowDto {
            id: c.id,
            name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
            district: c.district.clone(),
            timezone: c.timezone.clone(),
            is_regional: c.parent_id.is_none(),
            active: c.active,
        })
        .collect())
}

/// One center's card and hours for the edit form.
pub async fn get(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    l: Locale,
) -> Result<CenterAdminDto, AppError> {
    user.require(|r| r.is_admin())?;
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hours = super::service::opening_hours_of(db, c.id).await?;
    let mut week = super::dto::CenterSettingsForm::default();
    for i in 0..7 {
        if let Some(h) = hours.get(&(i as i16)) {
            week.set_day(i, fmt_hhmm(h.opens_min), fmt_hhmm(h.closes_min));
        }
    }
    let mut form = CenterForm {
        name_kk: c.name_kk.clone(),
        name_ru: c.name_ru.clone(),
        name_en: c.name_en.clone(),
        district: c.district.clone(),
        settlement: c.settlement.as_str().into(),
        address: c.address.clone(),
        timezone: c.timezone.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        description_kk: c.description_kk.clone(),
        description_ru: c.description_ru.clone(),
        description_en: c.description_en.clone(),
        ..Default::default()
    };
    form.set_hours(&week);
    Ok(CenterAdminDto {
        id: c.id,
        name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        slug: c.slug.clone(),
        is_regional: c.parent_id.is_none(),
        active: c.active,
        form,
    })
}

/// Replace a center's weekly hours inside the transaction.
async fn write_hours<C: ConnectionTrait>(
    txn: &C,
    center_id: i32,
    hours: &[Option<(i32, i32)>; 7],
) -> Result<(), AppError> {
    opening_hours::Entity::delete_many()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .exec(txn)
        .await?;
    for (weekday, h) in hours.iter().enumerate() {
        if let Some((opens, closes)) = h {
            opening_hours::ActiveModel {
                center_id: Set(center_id),
                weekday: Set(weekday as i16),
                opens_min: Set(*opens),
                closes_min: Set(*closes),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// `mon 09:00-21:00, …, sun closed` for the audit log.
fn hours_text(hours: &[Option<(i32, i32)>; 7]) -> String {
    hours
        .iter()
        .zip(super::dto::WEEKDAY_KEYS)
        .map(|(h, d)| match h {
            Some((o, c)) => format!("{d} {}-{}", fmt_hhmm(*o), fmt_hhmm(*c)),
            None => format!("{d} closed"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Put the checked card on a center's row.
fn apply(am: &mut center::ActiveModel, c: Checked) {
    let [kk, ru, en] = c.names;
    let [dkk, dru, den] = c.descriptions;
    am.name_kk = Set(kk);
    am.name_ru = Set(ru);
    am.name_en = Set(en);
    am.district = Set(c.district);
    am.settlement = Set(c.settlement);
    am.address = Set(c.address);
    am.timezone = Set(c.timezone);
    am.phone = Set(c.phone);
    am.email = Set(c.email);
    am.description_kk = Set(dkk);
    am.description_ru = Set(dru);
    am.description_en = Set(den);
}

/// Open a new district center under the regional center; returns its id.
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    form: CenterForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    user.require(|r| r.is_admin())?;
    let txn = model::begin_write(db).await?;
    let all = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(&txn)
        .await?;
    let checked = check(&form, &all)?;
    // New centers start with the regional center's quotas.
    let regional = all
        .iter()
        .find(|c| c.parent_id.is_none())
        .ok_or(AppError::Internal)?;
    let slug = unique_slug(&slugify(&checked.names[2]), &all);
    let hours = checked.hours;
    let detail = format!(
        "{} ({}); {}",
        checked.names[2],
        checked.timezone,
        hours_text(&hours)
    );
    let mut am = center::ActiveModel {
        parent_id: Set(Some(regional.id)),
        slug: Set(slug.clone()),
        created_at: Set(now),
        max_future_bookings: Set(regional.max_future_bookings),
        max_studio_minutes_week: Set(regional.max_studio_minutes_week),
        strike_limit: Set(regional.strike_limit),
        strike_window_days: Set(regional.strike_window_days),
        strike_block_days: Set(regional.strike_block_days),
        active: Set(true),
        city: Set(checked.district.clone()),
        ..Default::default()
    };
    apply(&mut am, checked);
    let c = am.insert(&txn).await?;
    write_hours(&txn, c.id, &hours).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.id),
        AuditKind::CenterCreated,
        format!("center {} ({slug})", c.id),
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(c.id)
}

/// Save a center's card and weekly hours (existing bookings keep their
/// times).
pub async fn update(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    form: CenterForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.is_admin())?;
    let txn = model::begin_write(db).await?;
    let all = center::Entity::find().all(&txn).await?;
    let (mine, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.id == center_id);
    let c = mine.into_iter().next().ok_or(AppError::NotFound)?;
    let checked = check(&form, &others)?;
    let hours = checked.hours;
    let detail = format!(
        "{} / {} / {}; {}; {}",
        checked.names[0],
        checked.names[1],
        checked.names[2],
        checked.timezone,
        hours_text(&hours)
    );
    let mut am = c.into_active_model();
    apply(&mut am, checked);
    am.update(&txn).await?;
    write_hours(&txn, center_id, &hours).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        AuditKind::CenterChanged,
        format!("center {center_id}"),
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, center_id);
    Ok(())
}

/// Deactivate a center (no new bookings, members or activities; history
/// and reports stay) or reactivate it. The regional center stays open.
pub async fn set_active(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.is_admin())?;
    let txn = model::begin_write(db).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.parent_id.is_none() && !active {
        return Err(AppError::Forbidden);
    }
    if c.active == active {
        return Ok(());
    }
    let subject = format!("center {} ({})", c.id, c.slug);
    let mut am = c.into_active_model();
    am.active = Set(active);
    am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        if active {
            AuditKind::CenterChanged
        } else {
            AuditKind::CenterDeactivated
        },
        subject,
        if active { "reactivated" } else { "deactivated" },
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, center_id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_come_from_the_english_name() {
        assert_eq!(
            slugify("Shet District Youth Center"),
            "shet-district-youth-center"
        );
        assert_eq!(slugify("  Balkhash — city  "), "balkhash-city");
        assert_eq!(slugify("Қарқаралы"), "center");
    }
}
