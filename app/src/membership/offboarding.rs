//! Offboarding (server only): disabling and enabling staff accounts,
//! changing their role and centers, ending their sessions. Admins manage
//! every account but their own; a director manages the front desk and
//! mentors of their own centers, never admins or other directors. Every
//! change is audited in its own transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::dto::{CenterChoiceDto, StaffEditForm, StaffPageDto, StaffRowDto};
use crate::access::session::{end_all_sessions, CurrentUser};
use crate::audit::dto::AuditKind;
use crate::domain::people::Role;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{account, account_center, api_token, center, person, reset_code};

/// Centers an account works for: its center rows, else its home center.
async fn centers_of<C: ConnectionTrait>(
    db: &C,
    acc: &account::Model,
) -> Result<Vec<i32>, AppError> {
    let mut ids: Vec<i32> = account_center::Entity::find()
        .filter(account_center::Column::AccountId.eq(acc.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.center_id)
        .collect();
    if ids.is_empty() {
        ids.extend(acc.home_center_id);
    }
    Ok(ids)
}

/// Whether `actor` (with center `scope`, `None`: every center) may manage
/// an account of `role` working for `centers`. A director learns nothing
/// of accounts outside their centers (`NotFound`); nobody manages their
/// own account here, so an admin cannot lock themselves out.
fn reach(
    actor: &CurrentUser,
    scope: Option<&[i32]>,
    account_id: i32,
    role: Role,
    centers: &[i32],
) -> Result<(), AppError> {
    match actor.role {
        Role::Admin if account_id != actor.account_id => Ok(()),
        Role::Director => {
            let mine = scope.unwrap_or_default();
            if centers.is_empty() || !centers.iter().all(|c| mine.contains(c)) {
                Err(AppError::NotFound)
            } else if matches!(role, Role::FrontDesk | Role::Mentor) {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        _ => Err(AppError::Forbidden),
    }
}

/// Staff accounts (integrations' accounts aside), oldest first. With a
/// viewer: a director sees the accounts of their centers; rows are marked
/// as the viewer may manage them.
pub async fn staff_rows(
    db: &DatabaseConnection,
    viewer: Option<&CurrentUser>,
    l: Locale,
) -> Result<Vec<StaffRowDto>, AppError> {
    let scope = match viewer {
        Some(v) => crate::access::staff_centers(db, v).await?,
        None => None,
    };
    let centers = center::Entity::find().all(db).await?;
    let name_of = |id: i32| {
        centers
            .iter()
            .find(|c| c.id == id)
            .map(|c| marked_name(c, l))
            .unwrap_or_default()
    };
    let accounts = account::Entity::find()
        .filter(account::Column::Role.ne(Role::Visitor))
        // Integrations act through accounts of their own; they are listed
        // with their tokens, not as staff.
        .filter(account::Column::Id.not_in_subquery(crate::access::token_accounts()))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(accounts.len());
    for a in accounts {
        let ids = centers_of(db, &a).await?;
        if let Some(mine) = &scope {
            if !ids.iter().any(|c| mine.contains(c)) {
                continue;
            }
        }
        let Some(p) = person::Entity::find_by_id(a.person_id).one(db).await? else {
            continue;
        };
        let manageable =
            viewer.is_some_and(|v| reach(v, scope.as_deref(), a.id, a.role, &ids).is_ok());
        out.push(StaffRowDto {
            account_id: a.id,
            full_name: p.full_name,
            login: p.email.or(p.phone).unwrap_or_default(),
            role: a.role,
            centers: ids.iter().copied().map(name_of).collect(),
            center_ids: ids,
            disabled: a.disabled_at.is_some(),
            manageable,
        });
    }
    Ok(out)
}

/// The staff page of an admin (every account) or a director (their
/// centers' accounts; they may grant front desk and mentor roles in their
/// centers).
pub async fn staff_page(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    l: Locale,
) -> Result<StaffPageDto, AppError> {
    let scope = crate::access::staff_centers(db, viewer).await?;
    let rows = staff_rows(db, Some(viewer), l).await?;
    let centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| scope.as_ref().is_none_or(|s| s.contains(&c.id)))
        .map(|c| CenterChoiceDto {
            id: c.id,
            name: marked_name(&c, l),
        })
        .collect();
    let admin = viewer.role == Role::Admin;
    Ok(StaffPageDto {
        rows,
        roles: grantable(viewer.role).to_vec(),
        centers,
        can_create: admin,
    })
}

/// Roles an actor may give.
fn grantable(actor: Role) -> &'static [Role] {
    match actor {
        Role::Admin => &[
            Role::FrontDesk,
            Role::Director,
            Role::Mentor,
            Role::Admin,
            Role::Visitor,
        ],
        Role::Director => &[Role::FrontDesk, Role::Mentor],
        _ => &[],
    }
}

/// The account `actor` wants to manage, its centers and its person, or
/// why not (see [`reach`]). Integrations' accounts are not staff.
async fn target<C: ConnectionTrait>(
    db: &C,
    actor: &CurrentUser,
    account_id: i32,
) -> Result<(account::Model, Vec<i32>, person::Model), AppError> {
    let acc = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let integration = api_token::Entity::find()
        .filter(api_token::Column::AccountId.eq(acc.id))
        .one(db)
        .await?
        .is_some();
    if integration {
        return Err(AppError::NotFound);
    }
    let centers = centers_of(db, &acc).await?;
    let scope = crate::access::staff_centers(db, actor).await?;
    reach(actor, scope.as_deref(), acc.id, acc.role, &centers)?;
    let p = person::Entity::find_by_id(acc.person_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((acc, centers, p))
}

/// `member 000042 (Full Name)` for the audit log.
fn subject(p: &person::Model) -> String {
    format!(
        "{} ({})",
        crate::audit::service::member_subject(p.id),
        p.full_name
    )
}

/// Disable (or enable again) an account. Disabling ends every session of
/// it, voids unused reset codes and its calendar link, in one transaction:
/// its open pages stop working on their next request.
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    account_id: i32,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::model::begin_write(db).await?;
    let (acc, _, p) = target(&txn, actor, account_id).await?;
    if acc.disabled_at.is_some() == disabled {
        return Ok(());
    }
    let (id, home, role) = (acc.id, acc.home_center_id, acc.role);
    let mut a = acc.into_active_model();
    a.disabled_at = Set(disabled.then_some(now));
    if disabled {
        a.calendar_token_hash = Set(None);
    }
    a.update(&txn).await?;
    let detail = if disabled {
        let ended = end_all_sessions(&txn, id).await?;
        reset_code::Entity::delete_many()
            .filter(reset_code::Column::AccountId.eq(id))
            .filter(reset_code::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        format!("role {}, {ended} sessions ended", role.as_str())
    } else {
        format!("role {}", role.as_str())
    };
    let kind = if disabled {
        AuditKind::AccountDisabled
    } else {
        AuditKind::AccountEnabled
    };
    crate::audit::service::record(&txn, actor, home, kind, subject(&p), detail, now).await?;
    txn.commit().await?;
    Ok(())
}

/// End every session of an account (a lost phone, a shared computer left
/// signed in).
pub async fn end_sessions(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::model::begin_write(db).await?;
    let (acc, _, p) = target(&txn, actor, account_id).await?;
    let ended = end_all_sessions(&txn, acc.id).await?;
    crate::audit::service::record(
        &txn,
        actor,
        acc.home_center_id,
        AuditKind::SessionsEnded,
        subject(&p),
        format!("{ended} sessions ended"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// The form's role and distinct centers (in order), checked against what
/// `actor` may grant: roles and centers outside it are refused.
fn parse_edit(
    actor: &CurrentUser,
    scope: Option<&[i32]>,
    f: &StaffEditForm,
) -> Result<(Role, Vec<i32>), AppError> {
    let role = Role::parse(f.role.trim()).ok_or_else(|| invalid("role", Problem::Required))?;
    let mut centers: Vec<i32> = Vec::new();
    for c in &f.centers {
        let id = c
            .trim()
            .parse::<i32>()
            .map_err(|_| invalid("centers", Problem::Required))?;
        if !centers.contains(&id) {
            centers.push(id);
        }
    }
    if !grantable(actor.role).contains(&role) {
        return Err(AppError::Forbidden);
    }
    if role != Role::Admin && centers.is_empty() {
        return Err(invalid("centers", Problem::Required));
    }
    if let Some(mine) = scope {
        if !centers.iter().all(|c| mine.contains(c)) {
            return Err(AppError::Forbidden);
        }
    }
    Ok((role, centers))
}

/// Give an account a new role and centers (the first is its home center).
pub async fn update_staff(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    account_id: i32,
    f: &StaffEditForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let scope = crate::access::staff_centers(db, actor).await?;
    let (role, centers) = parse_edit(actor, scope.as_deref(), f)?;
    let txn = crate::model::begin_write(db).await?;
    let known = center::Entity::find()
        .filter(center::Column::Id.is_in(centers.clone()))
        .all(&txn)
        .await?;
    if known.len() != centers.len() {
        return Err(invalid("centers", Problem::Required));
    }
    let (acc, before, p) = target(&txn, actor, account_id).await?;
    if acc.role == role && before == centers {
        return Ok(());
    }
    // Nobody is newly assigned to a deactivated center.
    for c in known.iter().filter(|c| !before.contains(&c.id)) {
        crate::centers::service::ensure_active_center(c, "centers")?;
    }
    let detail = format!(
        "role {} -> {}, centers {:?} -> {:?}",
        acc.role.as_str(),
        role.as_str(),
        before,
        centers
    );
    let id = acc.id;
    let mut a = acc.into_active_model();
    a.role = Set(role);
    a.home_center_id = Set(centers.first().copied());
    a.update(&txn).await?;
    account_center::Entity::delete_many()
        .filter(account_center::Column::AccountId.eq(id))
        .exec(&txn)
        .await?;
    for c in &centers {
        account_center::ActiveModel {
            account_id: Set(id),
            center_id: Set(*c),
        }
        .insert(&txn)
        .await?;
    }
    crate::audit::service::record(
        &txn,
        actor,
        centers.first().copied(),
        AuditKind::AccountChanged,
        subject(&p),
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A center's name, marked when it is deactivated (staff lists keep it).
fn marked_name(c: &center::Model, l: Locale) -> String {
    let name = pick(l, &c.name_kk, &c.name_ru, &c.name_en);
    if c.active {
        name.to_string()
    } else {
        format!("{name} ({})", crate::i18n::Msg::CenterDeactivated.text(l))
    }
}
