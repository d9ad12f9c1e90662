//! Equipment lending (server only). Every step that changes a loan locks
//! the item row first, so an item is never handed to two people.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::dto::*;
use crate::access::session::CurrentUser;
use crate::access::{ensure_may_book, staff_covers};
use crate::centers::service::{center_dto, center_tz};
use crate::domain::lending::{
    can_borrow, is_overdue, reservation_lapsed, Condition, ItemState, LoanFact, LoanStatus,
    MAX_PICKUP_DAYS,
};
use crate::domain::membership::short_name;
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{
    self, center, equipment_item as item, equipment_loan as loan, induction, person, space,
};

/// Return notes are short.
pub const MAX_NOTE_CHARS: usize = 500;

pub(super) fn status_of(l: &loan::Model) -> LoanStatus {
    l.status
}

pub(super) fn condition_of(i: &item::Model) -> Condition {
    i.condition
}

/// `Sony camera (EQ-0001)`.
fn item_title(i: &item::Model) -> String {
    format!("{} ({})", i.name, i.label_code)
}

/// `Thu 03.12, 19:00`.
pub(super) fn moment(l: Locale, tz: Tz, t: DateTime<Utc>) -> String {
    format!(
        "{}, {}",
        day_label(l, t.with_timezone(&tz).date_naive()),
        hhmm(t, tz)
    )
}

pub(super) async fn center_of<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<center::Model, AppError> {
    center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The loan that holds an item now: out, or reserved and not lapsed.
pub(super) async fn holding_loan<C: ConnectionTrait>(
    db: &C,
    item_id: i32,
    today: NaiveDate,
) -> Result<Option<loan::Model>, AppError> {
    let open = loan::Entity::find()
        .filter(loan::Column::ItemId.eq(item_id))
        .filter(
            loan::Column::Status.is_in([LoanStatus::Reserved.as_str(), LoanStatus::Out.as_str()]),
        )
        .all(db)
        .await?;
    Ok(open
        .into_iter()
        .find(|l| status_of(l) == LoanStatus::Out || !reservation_lapsed(l.pickup_on, today)))
}

/// A member's loans still out, for the borrowing rule.
pub(super) async fn loan_facts<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<Vec<LoanFact>, AppError> {
    let out = loan::Entity::find()
        .filter(loan::Column::PersonId.eq(person_id))
        .filter(loan::Column::Status.eq(LoanStatus::Out.as_str()))
        .all(db)
        .await?;
    let mut facts = Vec::new();
    for l in out {
        let title = item::Entity::find_by_id(l.item_id)
            .one(db)
            .await?
            .map(|i| item_title(&i))
            .unwrap_or_default();
        facts.push(LoanFact {
            item: title,
            status: LoanStatus::Out,
            due_at: l.due_at,
        });
    }
    Ok(facts)
}

/// Refuse a member with overdue items, naming them.
pub(super) async fn ensure_no_overdue<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    can_borrow(&loan_facts(db, person_id).await?, now).map_err(|items| AppError::OverdueItems {
        items: items.join(", "),
    })
}

/// Refuse an item whose induction the member has not had.
pub(super) async fn ensure_inducted<C: ConnectionTrait>(
    db: &C,
    i: &item::Model,
    person_id: i32,
    l: Locale,
) -> Result<(), AppError> {
    let Some(space_id) = i.induction_space_id else {
        return Ok(());
    };
    let done = induction::Entity::find()
        .filter(induction::Column::PersonId.eq(person_id))
        .filter(induction::Column::SpaceId.eq(space_id))
        .one(db)
        .await?
        .is_some();
    if done {
        return Ok(());
    }
    let name = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .map(|s| pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string())
        .unwrap_or_default();
    Err(AppError::ItemInductionRequired { space: name })
}

/// A center's equipment with each item's state; staff of the center also
/// see who holds what. `center_id` defaults to the caller's home center.
pub async fn center_equipment(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: Option<i32>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<CenterEquipmentDto, AppError> {
    let centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    let c = match center_id.or(user.home_center_id) {
        Some(id) => centers.iter().find(|c| c.id == id),
        None => centers.first(),
    }
    .ok_or(AppError::NotFound)?
    .clone();
    let tz = center_tz(&c);
    let today = now.with_timezone(&tz).date_naive();
    let staff = staff_covers(db, user, c.id).await?;
    let items = item::Entity::find()
        .filter(item::Column::CenterId.eq(c.id))
        .filter(item::Column::Active.eq(true))
        .order_by_asc(item::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for i in items {
        let holding = holding_loan(db, i.id, today).await?;
        let holder = match (&holding, staff) {
            (Some(h), true) => person::Entity::find_by_id(h.person_id)
                .one(db)
                .await?
                .map(|p| short_name(&p.full_name)),
            _ => None,
        };
        let needs_induction = match i.induction_space_id {
            Some(sid) => space::Entity::find_by_id(sid)
                .one(db)
                .await?
                .map(|s| pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string()),
            None => None,
        };
        out.push(ItemDto {
            id: i.id,
            kind: i.kind,
            name: i.name.clone(),
            serial: i.serial.clone(),
            label_code: i.label_code.clone(),
            condition: condition_of(&i),
            state: ItemState::of(i.active, condition_of(&i), holding.as_ref().map(status_of)),
            needs_induction,
            notes: i.notes.clone(),
            loan_days: i.loan_days,
            holder,
        });
    }
    let induction_spaces = if staff {
        space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .filter(space::Column::RequiresInduction.eq(true))
            .order_by_asc(space::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CenterEquipmentDto {
        center: center_dto(&c, l),
        centers: centers.iter().map(|c| center_dto(c, l)).collect(),
        items: out,
        staff,
        can_add: staff && user.role.can_report(),
        induction_spaces,
    })
}

/// Reserve an available item for pickup on `pickup_on` (center-local,
/// today up to a week ahead; default today).
pub async fn reserve(
    db: &DatabaseConnection,
    user: &CurrentUser,
    item_id: i32,
    pickup_on: Option<NaiveDate>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<loan::Model, AppError> {
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let i = model::for_update(item::Entity::find_by_id(item_id), backend)
        .one(&txn)
        .await?
        .filter(|i| i.active)
        .ok_or(AppError::NotFound)?;
    let c = center_of(&txn, i.center_id).await?;
    // A deactivated center lends nothing new.
    crate::centers::service::ensure_active_center(&c, "item_id")?;
    let today = now.with_timezone(&center_tz(&c)).date_naive();
    let pickup = pickup_on.unwrap_or(today);
    if pickup < today || pickup > today + Duration::days(MAX_PICKUP_DAYS) {
        return Err(AppError::Invalid {
            field: "pickup_on".into(),
            problem: Problem::Range,
        });
    }
    ensure_may_book(&txn, user.person_id, today).await?;
    ensure_no_overdue(&txn, user.person_id, now).await?;
    ensure_inducted(&txn, &i, user.person_id, l).await?;
    if !condition_of(&i).lendable() || holding_loan(&txn, i.id, today).await?.is_some() {
        return Err(AppError::ItemUnavailable);
    }
    let row = loan::ActiveModel {
        item_id: Set(i.id),
        person_id: Set(user.person_id),
        status: Set(LoanStatus::Reserved),
        reserved_at: Set(now),
        pickup_on: Set(Some(pickup)),
        due_at: Set(None),
        checked_out_at: Set(None),
        checked_out_by: Set(None),
        returned_at: Set(None),
        returned_by: Set(None),
        return_condition: Set(None),
        return_note: Set(None),
        cancelled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Cancel a reservation: the member's own, or by staff of the item's center.
pub async fn cancel_reservation(
    db: &DatabaseConnection,
    user: &CurrentUser,
    loan_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let ln = model::for_update(loan::Entity::find_by_id(loan_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = item::Entity::find_by_id(ln.item_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if ln.person_id != user.person_id && !staff_covers(&txn, user, i.center_id).await? {
        return Err(AppError::NotFound);
    }
    if status_of(&ln) != LoanStatus::Reserved {
        return Err(AppError::BookingClosed);
    }
    let mut a = ln.into_active_model();
    a.status = Set(LoanStatus::Cancelled);
    a.cancelled_at = Set(Some(now));
    a.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn loan_dto<C: ConnectionTrait>(
    db: &C,
    ln: &loan::Model,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<LoanDto, AppError> {
    let i = item::Entity::find_by_id(ln.item_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = center_of(db, i.center_id).await?;
    let tz = center_tz(&c);
    Ok(LoanDto {
        id: ln.id,
        item_id: i.id,
        item: i.name.clone(),
        label_code: i.label_code.clone(),
        status: status_of(ln),
        pickup_on: ln.pickup_on.map(|d| day_label(l, d)),
        due: ln.due_at.map(|d| moment(l, tz, d)),
        overdue: is_overdue(status_of(ln), ln.due_at, now),
        center_name: center_dto(&c, l).name,
    })
}

/// A person's reservations that still hold and loans still out.
pub(super) async fn open_loans<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<LoanDto>, AppError> {
    let rows = loan::Entity::find()
        .filter(loan::Column::PersonId.eq(person_id))
        .filter(
            loan::Column::Status.is_in([LoanStatus::Reserved.as_str(), LoanStatus::Out.as_str()]),
        )
        .order_by_asc(loan::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for ln in rows {
        if status_of(&ln) == LoanStatus::Reserved {
            let i = item::Entity::find_by_id(ln.item_id).one(db).await?;
            let tz = match i {
                Some(i) => center_tz(&center_of(db, i.center_id).await?),
                None => chrono_tz::Asia::Almaty,
            };
            if reservation_lapsed(ln.pickup_on, now.with_timezone(&tz).date_naive()) {
                continue;
            }
        }
        out.push(loan_dto(db, &ln, now, l).await?);
    }
    Ok(out)
}

/// The signed-in member's reservations and loans.
pub async fn my_loans(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<LoanDto>, AppError> {
    open_loans(db, user.person_id, now, l).await
}

/// The member's reservations and loans, for their data export.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Value, AppError> {
    let rows: Vec<serde_json::Value> = loan::Entity::find()
        .filter(loan::Column::PersonId.eq(person_id))
        .order_by_asc(loan::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|ln| {
            serde_json::json!({
                "item_id": ln.item_id,
                "status": ln.status.as_str(),
                "reserved_at": ln.reserved_at,
                "pickup_on": ln.pickup_on,
                "due_at": ln.due_at,
                "checked_out_at": ln.checked_out_at,
                "returned_at": ln.returned_at,
                "return_condition": ln.return_condition.map(|c| c.as_str()),
                "return_note": ln.return_note,
                "cancelled_at": ln.cancelled_at,
            })
        })
        .collect();
    Ok(serde_json::Value::Array(rows))
}

/// On account deletion: reservations are cancelled (the item is free for
/// others) and the desk's return notes about the member erased. An item
/// still out stays on loan, under the anonymised member, until returned.
pub async fn erase_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    loan::Entity::update_many()
        .col_expr(loan::Column::Status, Expr::value(LoanStatus::Cancelled))
        .col_expr(loan::Column::CancelledAt, Expr::value(Some(now)))
        .filter(loan::Column::PersonId.eq(person_id))
        .filter(loan::Column::Status.eq(LoanStatus::Reserved))
        .exec(db)
        .await?;
    loan::Entity::update_many()
        .col_expr(
            loan::Column::ReturnNote,
            Expr::value(Option::<String>::None),
        )
        .filter(loan::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}
