//! The lending desk: finding the member and the item, checking out and
//! taking back, the overdue list, labels, and the center's inventory.

use super::dto::*;
use super::service::{
    center_of, condition_of, ensure_inducted, ensure_no_overdue, holding_loan, loan_dto,
    loan_facts, moment, open_loans, status_of, MAX_NOTE_CHARS,
};
use crate::access::session::CurrentUser;
use crate::access::{ensure_may_book, staff_centers, staff_covers};
use crate::centers::service::{center_dto, center_tz};
use crate::domain::lending::{can_borrow, due_at, Condition, ItemKind, LoanStatus};
use crate::domain::membership::member_number;
use crate::domain::membership::short_name;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::{self, equipment_item as item, equipment_loan as loan, person, space};
use crate::state::PassKeyRing;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

/// Who a scanned or typed code names for a desk: a member's pass
/// (membership card or booking pass: signature checked, not revoked, not
/// expired) — valid at any center, as the member shows it — or the
/// six-digit member number printed on the card, which only the desk of the
/// member's home center may type.
pub async fn resolve_member<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    desk: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
) -> Result<person::Model, AppError> {
    let code = code.trim();
    let by_number = !code.is_empty() && code.len() <= 9 && code.chars().all(|c| c.is_ascii_digit());
    let person_id = if by_number {
        code.parse::<i32>().map_err(|_| AppError::InvalidPass)?
    } else {
        let claims =
            crate::domain::pass::verify(code, &keys.trusted).map_err(|_| AppError::InvalidPass)?;
        let p = model::pass::Entity::find_by_id(claims.pass_id as i32)
            .one(db)
            .await?
            .filter(|p| {
                p.person_id as u32 == claims.holder_id
                    && p.revoked_at.is_none()
                    && p.valid_until > now
            })
            .ok_or(AppError::InvalidPass)?;
        p.person_id
    };
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::InvalidPass)?;
    // Only people with an account are members.
    let acc = model::account::Entity::find()
        .filter(model::account::Column::PersonId.eq(p.id))
        .one(db)
        .await?
        .ok_or(AppError::InvalidPass)?;
    if by_number {
        let home_covered = match acc.home_center_id {
            Some(c) => staff_covers(db, desk, c).await?,
            None => desk.role.is_admin(),
        };
        if !home_covered {
            return Err(AppError::NotFound);
        }
    }
    Ok(p)
}

fn ensure_desk(user: &CurrentUser) -> Result<(), AppError> {
    if user.role.can_scan() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The member at the desk: open reservations and loans, and overdue items.
pub async fn desk_member(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<DeskMemberDto, AppError> {
    ensure_desk(user)?;
    let p = resolve_member(db, keys, user, code, now).await?;
    let loans = open_loans(db, p.id, now, l).await?;
    let overdue = can_borrow(&loan_facts(db, p.id).await?, now)
        .err()
        .unwrap_or_default();
    Ok(DeskMemberDto {
        person_id: p.id,
        name: short_name(&p.full_name),
        member_number: member_number(p.id),
        overdue,
        loans,
    })
}

/// An item by its label code or serial number (as typed or scanned).
async fn find_item<C: ConnectionTrait>(db: &C, code: &str) -> Result<item::Model, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::Invalid {
            field: "item_code".into(),
            problem: Problem::Required,
        });
    }
    let by_label = item::Entity::find()
        .filter(item::Column::LabelCode.eq(code.to_ascii_uppercase()))
        .one(db)
        .await?;
    match by_label {
        Some(i) => Ok(i),
        None => item::Entity::find()
            .filter(item::Column::Serial.eq(code))
            .one(db)
            .await?
            .ok_or(AppError::NotFound),
    }
}

/// Hand an item to the member whose pass was scanned: their reservation of
/// it, or a walk-up loan of an available item. Refused while the member
/// has overdue items, lacks the item's induction, or the item is held by
/// someone else or not lendable.
pub async fn check_out(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    member_code: &str,
    item_code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<LoanDto, AppError> {
    ensure_desk(user)?;
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let found = find_item(&txn, item_code).await?;
    if !staff_covers(&txn, user, found.center_id).await? {
        return Err(AppError::NotFound);
    }
    let i = model::for_update(item::Entity::find_by_id(found.id), backend)
        .one(&txn)
        .await?
        .filter(|i| i.active)
        .ok_or(AppError::NotFound)?;
    let p = resolve_member(&txn, keys, user, member_code, now).await?;
    let c = center_of(&txn, i.center_id).await?;
    // A deactivated center lends nothing new.
    crate::centers::service::ensure_active_center(&c, "item_code")?;
    let tz = center_tz(&c);
    let today = now.with_timezone(&tz).date_naive();
    ensure_may_book(&txn, p.id, today).await?;
    ensure_no_overdue(&txn, p.id, now).await?;
    ensure_inducted(&txn, &i, p.id, l).await?;
    if !condition_of(&i).lendable() {
        return Err(AppError::ItemUnavailable);
    }
    let due = due_at(now, tz, u32::try_from(i.loan_days.max(0)).unwrap_or(0));
    let row = match holding_loan(&txn, i.id, today).await? {
        Some(h) if h.person_id == p.id && status_of(&h) == LoanStatus::Reserved => {
            let mut a = h.into_active_model();
            a.status = Set(LoanStatus::Out);
            a.checked_out_at = Set(Some(now));
            a.checked_out_by = Set(Some(user.account_id));
            a.due_at = Set(Some(due));
            a.update(&txn).await?
        }
        Some(_) => return Err(AppError::ItemUnavailable),
        None => {
            loan::ActiveModel {
                item_id: Set(i.id),
                person_id: Set(p.id),
                status: Set(LoanStatus::Out),
                reserved_at: Set(now),
                pickup_on: Set(Some(today)),
                due_at: Set(Some(due)),
                checked_out_at: Set(Some(now)),
                checked_out_by: Set(Some(user.account_id)),
                returned_at: Set(None),
                returned_by: Set(None),
                return_condition: Set(None),
                return_note: Set(None),
                cancelled_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let dto = loan_dto(&txn, &row, now, l).await?;
    txn.commit().await?;
    Ok(dto)
}

/// Take an item back: the loan closes with the condition found and a note,
/// and the item's condition becomes that condition (damaged or out of
/// service items are no longer lent).
pub async fn return_item(
    db: &DatabaseConnection,
    user: &CurrentUser,
    item_code: &str,
    condition: &str,
    note: Option<String>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<LoanDto, AppError> {
    ensure_desk(user)?;
    let condition = Condition::parse(condition.trim()).ok_or(AppError::Invalid {
        field: "condition".into(),
        problem: Problem::Required,
    })?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(AppError::Invalid {
            field: "note".into(),
            problem: Problem::TooLong,
        });
    }
    if !condition.lendable() && note.is_none() {
        // Say what is wrong, for whoever repairs it.
        return Err(AppError::Invalid {
            field: "note".into(),
            problem: Problem::Required,
        });
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let found = find_item(&txn, item_code).await?;
    if !staff_covers(&txn, user, found.center_id).await? {
        return Err(AppError::NotFound);
    }
    let i = model::for_update(item::Entity::find_by_id(found.id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let ln = loan::Entity::find()
        .filter(loan::Column::ItemId.eq(i.id))
        .filter(loan::Column::Status.eq(LoanStatus::Out.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = ln.into_active_model();
    a.status = Set(LoanStatus::Returned);
    a.returned_at = Set(Some(now));
    a.returned_by = Set(Some(user.account_id));
    a.return_condition = Set(Some(condition));
    a.return_note = Set(note.clone());
    let ln = a.update(&txn).await?;
    let mut ia = i.into_active_model();
    ia.condition = Set(condition);
    if note.is_some() {
        ia.notes = Set(note);
    }
    ia.update(&txn).await?;
    let dto = loan_dto(&txn, &ln, now, l).await?;
    txn.commit().await?;
    Ok(dto)
}

/// Loans past due at the caller's centers (all for an admin), longest
/// overdue first.
pub async fn overdue_list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<OverdueDto>, AppError> {
    ensure_desk(user)?;
    let centers = staff_centers(db, user).await?;
    let rows = loan::Entity::find()
        .filter(loan::Column::Status.eq(LoanStatus::Out.as_str()))
        .filter(loan::Column::DueAt.lt(now))
        .order_by_asc(loan::Column::DueAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for ln in rows {
        let Some(i) = item::Entity::find_by_id(ln.item_id).one(db).await? else {
            continue;
        };
        if centers
            .as_ref()
            .is_some_and(|cs| !cs.contains(&i.center_id))
        {
            continue;
        }
        let tz = center_tz(&center_of(db, i.center_id).await?);
        let Some(due) = ln.due_at else { continue };
        let member = person::Entity::find_by_id(ln.person_id)
            .one(db)
            .await?
            .map(|p| short_name(&p.full_name))
            .unwrap_or_default();
        out.push(OverdueDto {
            loan_id: ln.id,
            item: i.name.clone(),
            label_code: i.label_code.clone(),
            member,
            member_number: member_number(ln.person_id),
            due: moment(l, tz, due),
            days_late: (now.with_timezone(&tz).date_naive() - due.with_timezone(&tz).date_naive())
                .num_days(),
        });
    }
    Ok(out)
}

/// An item's printable label (staff of its center).
pub async fn label(
    db: &DatabaseConnection,
    user: &CurrentUser,
    item_id: i32,
    l: Locale,
) -> Result<LabelDto, AppError> {
    ensure_desk(user)?;
    let i = item::Entity::find_by_id(item_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, user, i.center_id).await? {
        return Err(AppError::NotFound);
    }
    let c = center_of(db, i.center_id).await?;
    Ok(LabelDto {
        item: i.name.clone(),
        kind: i.kind,
        serial: i.serial.clone(),
        label_code: i.label_code.clone(),
        center_name: center_dto(&c, l).name,
        svg: crate::passes::service::qr_svg(&i.label_code),
    })
}

/// A new item for a center's shelf (directors of the center, admins). Its
/// label code (`EQ-0007`) follows from its id. Returns the label code.
#[allow(clippy::too_many_arguments)]
pub async fn add_item(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: i32,
    kind: &str,
    name: &str,
    serial: &str,
    loan_days: i32,
    induction_space_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if !user.role.can_report() {
        return Err(AppError::Forbidden);
    }
    if !staff_covers(db, user, center_id).await? {
        return Err(AppError::NotFound);
    }
    let invalid = |field: &str, problem| AppError::Invalid {
        field: field.into(),
        problem,
    };
    let kind = ItemKind::parse(kind.trim()).ok_or(invalid("kind", Problem::Required))?;
    let (name, serial) = (name.trim(), serial.trim());
    for (field, v) in [("name", name), ("serial", serial)] {
        if v.is_empty() {
            return Err(invalid(field, Problem::Required));
        }
        if v.chars().count() > 120 {
            return Err(invalid(field, Problem::TooLong));
        }
    }
    if !(0..=30).contains(&loan_days) {
        return Err(invalid("loan_days", Problem::Range));
    }
    if let Some(sid) = induction_space_id {
        space::Entity::find_by_id(sid)
            .one(db)
            .await?
            .filter(|s| s.center_id == center_id)
            .ok_or(invalid("induction_space_id", Problem::Required))?;
    }
    let txn = model::begin_write(db).await?;
    let taken = item::Entity::find()
        .filter(item::Column::Serial.eq(serial))
        .one(&txn)
        .await?
        .is_some();
    if taken {
        return Err(invalid("serial", Problem::Taken));
    }
    let row = item::ActiveModel {
        center_id: Set(center_id),
        kind: Set(kind),
        name: Set(name.into()),
        serial: Set(serial.into()),
        // Unique until the id is known.
        label_code: Set(format!("NEW-{serial}")),
        condition: Set(Condition::Good),
        notes: Set(None),
        induction_space_id: Set(induction_space_id),
        loan_days: Set(loan_days),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let label = format!("EQ-{:04}", row.id);
    let mut a = row.into_active_model();
    a.label_code = Set(label.clone());
    a.update(&txn).await?;
    txn.commit().await?;
    Ok(label)
}

/// Staff of the item's center record its condition outside a return (a
/// repair done, a fault found on the shelf). Not while it is out.
pub async fn set_condition(
    db: &DatabaseConnection,
    user: &CurrentUser,
    item_id: i32,
    condition: &str,
    note: Option<String>,
) -> Result<(), AppError> {
    ensure_desk(user)?;
    let condition = Condition::parse(condition.trim()).ok_or(AppError::Invalid {
        field: "condition".into(),
        problem: Problem::Required,
    })?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(AppError::Invalid {
            field: "note".into(),
            problem: Problem::TooLong,
        });
    }
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let i = model::for_update(item::Entity::find_by_id(item_id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(&txn, user, i.center_id).await? {
        return Err(AppError::NotFound);
    }
    let out = loan::Entity::find()
        .filter(loan::Column::ItemId.eq(i.id))
        .filter(loan::Column::Status.eq(LoanStatus::Out.as_str()))
        .one(&txn)
        .await?
        .is_some();
    if out {
        return Err(AppError::ItemUnavailable);
    }
    let mut a = i.into_active_model();
    a.condition = Set(condition);
    a.notes = Set(note);
    a.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}
