//! Spaces run by their center's director (or an admin): create one with the
//! usual rules of its kind, edit its details, reactivate it, and the checks
//! every change passes (names unique within the center, a capacity that
//! still holds what members booked, only active centers the user manages).
//! Deactivating a space cancels bookings, so it lives with the booking
//! workflow (`booking::space_close`), as closures do.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::directions::DirectionBook;
use super::dto::{CenterDto, SpaceRulesForm};
use super::service::{center_dto, center_tz, rules_of, space_dto};
use super::spaces_dto::*;
use crate::access::{staff_centers, staff_covers, CurrentUser};
use crate::audit::dto::AuditKind;
use crate::domain::codes::BookingStatus;
use crate::domain::space::{peak_load, SpaceKind};
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{self, booking, center, person, space};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Active centers the user may put a space in (directors: theirs).
async fn open_centers<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    l: Locale,
) -> Result<Vec<CenterDto>, AppError> {
    user.require(|r| r.can_report())?;
    let scope = staff_centers(db, user).await?;
    let mut q = center::Entity::find().filter(center::Column::Active.eq(true));
    if let Some(cs) = scope {
        q = q.filter(center::Column::Id.is_in(cs));
    }
    Ok(q.order_by_asc(center::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|c| center_dto(c, l))
        .collect())
}

/// A space the user may edit (directors: of their centers; else not found).
pub async fn editable_space<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    space_id: i32,
) -> Result<space::Model, AppError> {
    user.require(|r| r.can_report())?;
    let s = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, user, s.center_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

/// The center a space is to be in: one the user manages (else refused) and
/// that operates (else `Inactive` on the center field).
async fn target_center<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: i32,
) -> Result<center::Model, AppError> {
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or_else(|| invalid("center_id", Problem::Required))?;
    if !staff_covers(db, user, c.id).await? {
        return Err(AppError::Forbidden);
    }
    if !c.active {
        return Err(invalid("center_id", Problem::Inactive));
    }
    Ok(c)
}

/// Refuse a name another space of the center already has (any case).
async fn ensure_names_free<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
    except: Option<i32>,
    d: &SpaceDetailsForm,
) -> Result<(), AppError> {
    let mut q = space::Entity::find().filter(space::Column::CenterId.eq(center_id));
    if let Some(id) = except {
        q = q.filter(space::Column::Id.ne(id));
    }
    let others = q.all(db).await?;
    for (field, name) in d.names() {
        let name = name.to_lowercase();
        let taken = others.iter().any(|o| {
            [&o.name_kk, &o.name_ru, &o.name_en]
                .iter()
                .any(|n| n.trim().to_lowercase() == name)
        });
        if taken {
            return Err(invalid(field, Problem::Taken));
        }
    }
    Ok(())
}

/// Holding bookings of a space that start after `now`, earliest first.
pub async fn future_bookings<C: ConnectionTrait>(
    db: &C,
    space_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<booking::Model>, AppError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(space_id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::StartsAt.gt(now))
        .order_by_asc(booking::Column::StartsAt)
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?)
}

/// Refuse a capacity below what members already hold at some time still to
/// come: a seat pool's largest sum of overlapping parties, a room's largest
/// party (`BelowBooked` on `capacity`).
pub async fn ensure_capacity_holds<C: ConnectionTrait>(
    db: &C,
    s: &space::Model,
    capacity: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if capacity >= s.capacity {
        return Ok(());
    }
    let rules = rules_of(s);
    let held: Vec<_> = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(s.id))
        .filter(booking::Column::Status.is_in(BookingStatus::HOLDING))
        .filter(booking::Column::EndsAt.gt(now))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.starts_at, b.ends_at, b.party_size))
        .collect();
    let needed = if rules.pooled {
        peak_load(&held)
    } else {
        held.iter().map(|h| h.2).max().unwrap_or(0)
    };
    if capacity < needed {
        return Err(invalid("capacity", Problem::BelowBooked));
    }
    Ok(())
}

/// The bookings a deactivation would cancel, as the page lists them.
pub async fn affected_bookings<C: ConnectionTrait>(
    db: &C,
    s: &space::Model,
    l: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<AffectedBookingDto>, AppError> {
    let rows = future_bookings(db, s.id, now).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let c = center::Entity::find_by_id(s.center_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let tz = center_tz(&c);
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|b| b.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .map(|b| AffectedBookingDto {
            id: b.id,
            when: format!(
                "{}, {}–{}",
                day_label(l, b.starts_at.with_timezone(&tz).date_naive()),
                hhmm(b.starts_at, tz),
                hhmm(b.ends_at, tz)
            ),
            member: people
                .iter()
                .find(|p| p.id == b.person_id)
                .map(|p| p.full_name.clone())
                .unwrap_or_default(),
            pending: b.status == BookingStatus::Pending,
        })
        .collect())
}

/// The new-space form: the user's centers and the usual rules of `kind`.
pub async fn new_space_form(
    db: &DatabaseConnection,
    user: &CurrentUser,
    kind: Option<String>,
    l: Locale,
) -> Result<SpaceEditorDto, AppError> {
    let centers = open_centers(db, user, l).await?;
    let kind = kind
        .as_deref()
        .and_then(SpaceKind::parse)
        .unwrap_or(SpaceKind::Coworking);
    Ok(SpaceEditorDto {
        space: None,
        details: SpaceDetailsForm {
            center_id: centers.first().map(|c| c.id).unwrap_or_default(),
            kind: kind.as_str().into(),
            ..Default::default()
        },
        centers,
        rules: default_rules(kind),
        directions: DirectionBook::load(db).await?.options(l, None),
        affected: Vec::new(),
    })
}

/// One space's editor: details, rules and the bookings it holds.
pub async fn space_editor(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    l: Locale,
    now: DateTime<Utc>,
) -> Result<SpaceEditorDto, AppError> {
    let s = editable_space(db, user, space_id).await?;
    let mut centers = open_centers(db, user, l).await?;
    if !centers.iter().any(|c| c.id == s.center_id) {
        // Its own center stays listed even when that center is deactivated.
        if let Some(c) = center::Entity::find_by_id(s.center_id).one(db).await? {
            centers.insert(0, center_dto(&c, l));
        }
    }
    let direction = s.direction.as_ref().map(|d| d.as_str().to_string());
    let rules = super::manage::space_rules(db, user, space_id, l)
        .await?
        .form;
    Ok(SpaceEditorDto {
        details: SpaceDetailsForm {
            center_id: s.center_id,
            kind: s.kind.as_str().into(),
            name_kk: s.name_kk.clone(),
            name_ru: s.name_ru.clone(),
            name_en: s.name_en.clone(),
            description_kk: s.description_kk.clone(),
            description_ru: s.description_ru.clone(),
            description_en: s.description_en.clone(),
        },
        directions: DirectionBook::load(db)
            .await?
            .options(l, direction.as_deref()),
        affected: affected_bookings(db, &s, l, now).await?,
        space: Some(space_dto(&s, l)),
        centers,
        rules,
    })
}

/// Create a space in a center the user manages; returns its id.
pub async fn create_space(
    db: &DatabaseConnection,
    user: &CurrentUser,
    details: SpaceDetailsForm,
    rules: SpaceRulesForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    user.require(|r| r.can_report())?;
    // Where first: another center's staff learn nothing from the form.
    target_center(db, user, details.center_id).await?;
    let (kind, d) = details.validate()?;
    rules.validate(kind.is_pool())?;
    let direction = match rules.direction.trim() {
        "" => None,
        code => Some(
            DirectionBook::load(db)
                .await?
                .check(code, "direction", None)?,
        ),
    };
    let txn = model::begin_write(db).await?;
    let c = target_center(&txn, user, d.center_id).await?;
    ensure_names_free(&txn, c.id, None, &d).await?;
    let s = space::ActiveModel {
        center_id: Set(c.id),
        kind: Set(kind),
        name_kk: Set(d.name_kk.clone()),
        name_ru: Set(d.name_ru.clone()),
        name_en: Set(d.name_en.clone()),
        description_kk: Set(d.description_kk.clone()),
        description_ru: Set(d.description_ru.clone()),
        description_en: Set(d.description_en.clone()),
        active: Set(true),
        capacity: Set(rules.capacity),
        max_party: Set(rules.max_party),
        slot_minutes: Set(rules.slot_minutes),
        min_minutes: Set(rules.min_minutes),
        max_minutes: Set(rules.max_minutes),
        buffer_minutes: Set(rules.buffer_minutes),
        min_notice_minutes: Set(rules.min_notice_minutes),
        max_advance_days: Set(rules.max_advance_days),
        cancel_notice_minutes: Set(rules.cancel_notice_minutes),
        min_age: Set(rules.min_age),
        checkin_open_minutes: Set(rules.checkin_open_minutes),
        no_show_minutes: Set(rules.no_show_minutes),
        requires_approval: Set(rules.requires_approval),
        requires_induction: Set(rules.requires_induction),
        direction: Set(direction),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.id),
        AuditKind::SpaceCreated,
        format!("space {} ({})", s.id, s.name_en),
        format!(
            "{}, capacity {}, slot {} min",
            kind.as_str(),
            s.capacity,
            s.slot_minutes
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, c.id);
    Ok(s.id)
}

/// Save a space's details: kind, names, descriptions, and its center (a
/// move only to another active center the user manages).
pub async fn save_space_details(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    details: SpaceDetailsForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    editable_space(db, user, space_id).await?;
    let (kind, d) = details.validate()?;
    let txn = model::begin_write(db).await?;
    let s = editable_space(&txn, user, space_id).await?;
    if d.center_id != s.center_id {
        target_center(&txn, user, d.center_id).await?;
    }
    ensure_names_free(&txn, d.center_id, Some(s.id), &d).await?;
    if kind.is_pool() != s.kind.is_pool() && !future_bookings(&txn, s.id, now).await?.is_empty() {
        // A seat pool counts people, a room whole bookings: switching
        // between them would change what members already hold.
        return Err(invalid("kind", Problem::BelowBooked));
    }
    let mut changes = Vec::new();
    for (name, old, new) in [
        ("center", s.center_id.to_string(), d.center_id.to_string()),
        ("kind", s.kind.as_str().to_string(), d.kind.clone()),
        ("name_kk", s.name_kk.clone(), d.name_kk.clone()),
        ("name_ru", s.name_ru.clone(), d.name_ru.clone()),
        ("name_en", s.name_en.clone(), d.name_en.clone()),
    ] {
        if old != new {
            changes.push(format!("{name} {old}→{new}"));
        }
    }
    if (&s.description_kk, &s.description_ru, &s.description_en)
        != (&d.description_kk, &d.description_ru, &d.description_en)
    {
        changes.push("description".into());
    }
    let from_center = s.center_id;
    let mut am = s.into_active_model();
    am.center_id = Set(d.center_id);
    am.kind = Set(kind);
    am.name_kk = Set(d.name_kk.clone());
    am.name_ru = Set(d.name_ru.clone());
    am.name_en = Set(d.name_en.clone());
    am.description_kk = Set(d.description_kk.clone());
    am.description_ru = Set(d.description_ru.clone());
    am.description_en = Set(d.description_en.clone());
    let s = am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(from_center),
        AuditKind::SpaceChanged,
        format!("space {} ({})", s.id, s.name_en),
        if changes.is_empty() {
            "no change".into()
        } else {
            changes.join(", ")
        },
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, from_center);
    super::schedule::forget(db, s.center_id);
    Ok(())
}

/// Open a deactivated space for bookings again (its center must operate).
pub async fn reactivate_space(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let s = editable_space(&txn, user, space_id).await?;
    if s.active {
        return Ok(());
    }
    let c = center::Entity::find_by_id(s.center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    if !c.active {
        return Err(invalid("center_id", Problem::Inactive));
    }
    let subject = format!("space {} ({})", s.id, s.name_en);
    let mut am = s.into_active_model();
    am.active = Set(true);
    am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.id),
        AuditKind::SpaceChanged,
        subject,
        "reactivated",
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, c.id);
    Ok(())
}

/// A space's name in the reader's language (for messages).
pub fn space_name(s: &space::Model, l: Locale) -> String {
    pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string()
}

/// The text of a "your booking was cancelled" notice (in-app, SMS and
/// email) and the page it leads to: the space, the local time, the reason.
pub async fn booking_cancelled_notice<C: ConnectionTrait>(
    db: &C,
    booking_id: i32,
    reason: &str,
    l: Locale,
) -> Result<(String, String), AppError> {
    let b = booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = space::Entity::find_by_id(b.space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = center::Entity::find_by_id(s.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let when = format!(
        "{}, {}",
        day_label(l, b.starts_at.with_timezone(&tz).date_naive()),
        hhmm(b.starts_at, tz)
    );
    Ok((
        crate::i18n::notice_booking_cancelled(l, &space_name(&s, l), &when, reason),
        "/my".into(),
    ))
}
