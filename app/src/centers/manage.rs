//! Staff settings of centers and spaces: closures, space rules, inductions,
//! opening hours and quotas.

use crate::model::opening_hours;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::dto::*;
use super::service::*;
use crate::access::{staff_covers, CurrentUser};
use crate::error::AppError;
use crate::i18n::{day_label, pick, Locale};
use crate::model::{self, center, space};

/// Upcoming closures of the centers a staff user manages (`None`: all).
pub async fn list_closures(
    db: &DatabaseConnection,
    centers: Option<Vec<i32>>,
    today: NaiveDate,
    l: Locale,
) -> Result<Vec<ClosureDto>, AppError> {
    use crate::model::closure;
    let mut q = closure::Entity::find().filter(closure::Column::Day.gte(today));
    if let Some(cs) = centers {
        q = q.filter(closure::Column::CenterId.is_in(cs));
    }
    let rows = q.order_by_asc(closure::Column::Day).all(db).await?;
    let all_centers = center::Entity::find().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|c| ClosureDto {
            id: c.id,
            center: all_centers
                .iter()
                .find(|x| x.id == c.center_id)
                .map(|x| pick(l, &x.name_kk, &x.name_ru, &x.name_en).to_string())
                .unwrap_or_default(),
            day: day_label(l, c.day),
            iso_day: c.day.to_string(),
            reason: c.reason,
        })
        .collect())
}

/// Reopen a closed day.
pub async fn remove_closure(
    db: &DatabaseConnection,
    user: &CurrentUser,
    closure_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::model::closure;
    let c = closure::Entity::find_by_id(closure_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, user, c.center_id).await? {
        return Err(AppError::NotFound);
    }
    let txn = model::begin_write(db).await?;
    closure::Entity::delete_by_id(closure_id).exec(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.center_id),
        crate::audit::dto::AuditKind::ClosureRemoved,
        format!("day {}", c.day.format("%d.%m.%Y")),
        c.reason.clone(),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, c.center_id);
    Ok(())
}

/// Spaces a director may edit, by center.
pub async fn managed_spaces(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<Vec<ManagedCenterDto>, AppError> {
    user.require(|r| r.can_report())?;
    let scope = crate::access::staff_centers(db, user).await?;
    let book = super::directions::DirectionBook::load(db).await?;
    let mut out = Vec::new();
    for c in list_centers(db, l).await? {
        if scope.as_ref().is_some_and(|cs| !cs.contains(&c.id)) {
            continue;
        }
        let spaces = space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .order_by_asc(space::Column::Id)
            .all(db)
            .await?
            .iter()
            .map(|s| SpaceDto {
                direction_name: s.direction.as_ref().map(|d| book.name(d.as_str(), l)),
                ..space_dto(s, l)
            })
            .collect();
        out.push(ManagedCenterDto { center: c, spaces });
    }
    Ok(out)
}

/// The editable rules of a space.
pub async fn space_rules(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    l: Locale,
) -> Result<SpaceRulesDto, AppError> {
    let s = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_rules_editor(db, user, s.center_id).await?;
    let c = center::Entity::find_by_id(s.center_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let directions = super::directions::DirectionBook::load(db)
        .await?
        .options(l, s.direction.as_ref().map(|d| d.as_str()));
    Ok(SpaceRulesDto {
        directions,
        space: space_dto(&s, l),
        center: center_dto(&c, l),
        form: SpaceRulesForm {
            capacity: s.capacity,
            max_party: s.max_party,
            slot_minutes: s.slot_minutes,
            min_minutes: s.min_minutes,
            max_minutes: s.max_minutes,
            buffer_minutes: s.buffer_minutes,
            min_notice_minutes: s.min_notice_minutes,
            max_advance_days: s.max_advance_days,
            cancel_notice_minutes: s.cancel_notice_minutes,
            min_age: s.min_age,
            checkin_open_minutes: s.checkin_open_minutes,
            no_show_minutes: s.no_show_minutes,
            requires_approval: s.requires_approval,
            requires_induction: s.requires_induction,
            direction: s
                .direction
                .as_ref()
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
        },
    })
}

/// Save a space's rules after validating every field. Existing bookings
/// keep their times; the rules apply to new requests.
pub async fn update_space_rules(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    form: SpaceRulesForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::IntoActiveModel;
    let s = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_rules_editor(db, user, s.center_id).await?;
    let pooled = s.kind.is_pool();
    form.validate(pooled)?;
    super::spaces::ensure_capacity_holds(db, &s, form.capacity, now).await?;
    let direction = match form.direction.trim() {
        "" => None,
        code => Some(super::directions::DirectionBook::load(db).await?.check(
            code,
            "direction",
            s.direction.as_ref().map(|d| d.as_str()),
        )?),
    };
    let changes = rule_changes(&s, &form);
    let center_id = s.center_id;
    let subject = format!("space {} ({})", s.id, s.name_en);
    let txn = model::begin_write(db).await?;
    let mut am = s.into_active_model();
    am.capacity = Set(form.capacity);
    am.max_party = Set(form.max_party);
    am.slot_minutes = Set(form.slot_minutes);
    am.min_minutes = Set(form.min_minutes);
    am.max_minutes = Set(form.max_minutes);
    am.buffer_minutes = Set(form.buffer_minutes);
    am.min_notice_minutes = Set(form.min_notice_minutes);
    am.max_advance_days = Set(form.max_advance_days);
    am.cancel_notice_minutes = Set(form.cancel_notice_minutes);
    am.min_age = Set(form.min_age);
    am.checkin_open_minutes = Set(form.checkin_open_minutes);
    am.no_show_minutes = Set(form.no_show_minutes);
    am.requires_approval = Set(form.requires_approval);
    am.requires_induction = Set(form.requires_induction);
    am.direction = Set(direction);
    am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        crate::audit::dto::AuditKind::SpaceRulesChanged,
        subject,
        if changes.is_empty() {
            "no change".to_string()
        } else {
            changes.join(", ")
        },
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, center_id);
    Ok(())
}

/// What a rules form changes, for the audit log: `capacity 10→20`, one entry
/// per changed field.
fn rule_changes(s: &space::Model, form: &SpaceRulesForm) -> Vec<String> {
    macro_rules! field {
        ($f:ident) => {
            (stringify!($f), s.$f.to_string(), form.$f.to_string())
        };
    }
    let direction = s
        .direction
        .as_ref()
        .map(|d| d.as_str().to_string())
        .unwrap_or_default();
    [
        field!(capacity),
        field!(max_party),
        field!(slot_minutes),
        field!(min_minutes),
        field!(max_minutes),
        field!(buffer_minutes),
        field!(min_notice_minutes),
        field!(max_advance_days),
        field!(cancel_notice_minutes),
        field!(min_age),
        field!(checkin_open_minutes),
        field!(no_show_minutes),
        field!(requires_approval),
        field!(requires_induction),
        ("direction", direction, form.direction.clone()),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(name, old, new)| format!("{name} {old}→{new}"))
    .collect()
}

/// Spaces needing an induction in the staff user's centers.
pub async fn induction_spaces(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<Vec<SpaceDto>, AppError> {
    user.require(|r| r.can_scan())?;
    let scope = crate::access::staff_centers(db, user).await?;
    let mut q = space::Entity::find().filter(space::Column::RequiresInduction.eq(true));
    if let Some(cs) = scope {
        q = q.filter(space::Column::CenterId.is_in(cs));
    }
    Ok(q.order_by_asc(space::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|s| space_dto(s, l))
        .collect())
}

/// Record (or withdraw) that a member passed a space's induction; staff of
/// the space's center only.
pub async fn set_induction(
    db: &DatabaseConnection,
    user: &CurrentUser,
    person_id: i32,
    space_id: i32,
    passed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::model::induction;
    user.require(|r| r.can_scan())?;
    let s = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, user, s.center_id).await? {
        return Err(AppError::NotFound);
    }
    crate::model::person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let existing = induction::Entity::find()
        .filter(induction::Column::PersonId.eq(person_id))
        .filter(induction::Column::SpaceId.eq(space_id))
        .one(db)
        .await?;
    let txn = model::begin_write(db).await?;
    let changed = match (passed, existing) {
        (true, None) => {
            induction::ActiveModel {
                person_id: Set(person_id),
                space_id: Set(space_id),
                recorded_by: Set(user.account_id),
                recorded_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            true
        }
        (false, Some(row)) => {
            induction::Entity::delete_by_id(row.id).exec(&txn).await?;
            true
        }
        _ => false,
    };
    if changed {
        crate::audit::service::record(
            &txn,
            user,
            Some(s.center_id),
            crate::audit::dto::AuditKind::InductionSet,
            crate::audit::service::member_subject(person_id),
            format!(
                "space {} ({}): {}",
                s.id,
                s.name_en,
                if passed { "passed" } else { "withdrawn" }
            ),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A center's opening hours and fair-share limits for the director's form.
pub async fn center_settings(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    l: Locale,
) -> Result<CenterSettingsDto, AppError> {
    ensure_rules_editor(db, user, center_id).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hours = opening_hours_of(db, center_id).await?;
    let mut form = CenterSettingsForm {
        max_future_bookings: c.max_future_bookings,
        max_studio_hours: c.max_studio_minutes_week / 60,
        strike_limit: c.strike_limit,
        strike_window_days: c.strike_window_days,
        strike_block_days: c.strike_block_days,
        ..Default::default()
    };
    for i in 0..7 {
        if let Some(h) = hours.get(&(i as i16)) {
            form.set_day(i, fmt_hhmm(h.opens_min), fmt_hhmm(h.closes_min));
        }
    }
    Ok(CenterSettingsDto {
        center: center_dto(&c, l),
        form,
    })
}

/// Replace a center's weekly opening hours and its quotas, all or nothing.
/// Existing bookings keep their times.
pub async fn save_center_settings(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    form: CenterSettingsForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::IntoActiveModel;
    ensure_rules_editor(db, user, center_id).await?;
    let hours = form.validate()?;
    let txn = model::begin_write(db).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    opening_hours::Entity::delete_many()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .exec(&txn)
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
            .insert(&txn)
            .await?;
        }
    }
    let mut am = c.into_active_model();
    am.max_future_bookings = Set(form.max_future_bookings);
    am.max_studio_minutes_week = Set(form.max_studio_hours * 60);
    am.strike_limit = Set(form.strike_limit);
    am.strike_window_days = Set(form.strike_window_days);
    am.strike_block_days = Set(form.strike_block_days);
    am.update(&txn).await?;
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let hours_text = hours
        .iter()
        .enumerate()
        .map(|(i, h)| match h {
            Some((o, c)) => format!(
                "{} {:02}:{:02}-{:02}:{:02}",
                days[i % 7],
                o / 60,
                o % 60,
                c / 60 % 24,
                c % 60
            ),
            None => format!("{} closed", days[i % 7]),
        })
        .collect::<Vec<_>>()
        .join(", ");
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        crate::audit::dto::AuditKind::CenterSettingsChanged,
        format!("center {center_id}"),
        format!(
            "{hours_text}; max {} bookings, {} studio h/week; {} no-shows in {} d block {} d",
            form.max_future_bookings,
            form.max_studio_hours,
            form.strike_limit,
            form.strike_window_days,
            form.strike_block_days
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    super::schedule::forget(db, center_id);
    Ok(())
}

/// Directors (of the space's center) and admins edit space rules.
async fn ensure_rules_editor<C: ConnectionTrait>(
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
