//! The region's directions as data (server only): names for display,
//! options for forms, the check every save makes, and the admin's list.
//! A direction in use is retired, never deleted, so reports keep it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::dto::{DirectionForm, DirectionOption, DirectionRowDto};
use crate::access::CurrentUser;
use crate::audit::dto::AuditKind;
use crate::domain::direction::Direction;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, club, direction, event, program, space};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Every direction, retired ones included, in the region's order.
#[derive(Clone, Debug, Default)]
pub struct DirectionBook {
    rows: Vec<direction::Model>,
    by_code: HashMap<String, usize>,
}

impl DirectionBook {
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<DirectionBook, AppError> {
        let rows = direction::Entity::find()
            .order_by_asc(direction::Column::Position)
            .order_by_asc(direction::Column::Code)
            .all(db)
            .await?;
        let by_code = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i))
            .collect();
        Ok(DirectionBook { rows, by_code })
    }

    /// The direction's name in `l` (its code if it is unknown).
    pub fn name(&self, code: &str, l: Locale) -> String {
        match self.by_code.get(code).map(|i| &self.rows[*i]) {
            Some(r) => pick(l, &r.name_kk, &r.name_ru, &r.name_en).to_string(),
            None => code.to_string(),
        }
    }

    /// What a form offers: every direction not retired, plus `keep` (the
    /// record's current one) even if it was retired since.
    pub fn options(&self, l: Locale, keep: Option<&str>) -> Vec<DirectionOption> {
        self.rows
            .iter()
            .filter(|r| !r.retired || Some(r.code.as_str()) == keep)
            .map(|r| DirectionOption {
                code: r.code.clone(),
                name: pick(l, &r.name_kk, &r.name_ru, &r.name_en).to_string(),
            })
            .collect()
    }

    /// Codes in the region's order (retired ones too), for reports.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.rows.iter().map(|r| r.code.as_str())
    }

    /// A direction a record may be saved with: known and not retired, or
    /// the record's current one (`keep`).
    pub fn check(
        &self,
        code: &str,
        field: &str,
        keep: Option<&str>,
    ) -> Result<Direction, AppError> {
        let code = code.trim();
        let row = self
            .by_code
            .get(code)
            .map(|i| &self.rows[*i])
            .ok_or_else(|| invalid(field, Problem::Required))?;
        if row.retired && Some(code) != keep {
            return Err(invalid(field, Problem::Retired));
        }
        Direction::parse(code).ok_or_else(|| invalid(field, Problem::Required))
    }
}

/// How many spaces, clubs, events and programs carry `code`.
async fn uses<C: ConnectionTrait>(db: &C, code: &str) -> Result<u64, AppError> {
    let d = Direction::parse(code);
    let n = space::Entity::find()
        .filter(space::Column::Direction.eq(d.clone()))
        .count(db)
        .await?
        + club::Entity::find()
            .filter(club::Column::Direction.eq(d.clone()))
            .count(db)
            .await?
        + event::Entity::find()
            .filter(event::Column::Direction.eq(d.clone()))
            .count(db)
            .await?
        + program::Entity::find()
            .filter(program::Column::Direction.eq(d))
            .count(db)
            .await?;
    Ok(n)
}

/// The admin's list of directions with how often each is used.
pub async fn admin_list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<Vec<DirectionRowDto>, AppError> {
    user.require(|r| r.is_admin())?;
    let book = DirectionBook::load(db).await?;
    let mut out = Vec::with_capacity(book.rows.len());
    for r in &book.rows {
        out.push(DirectionRowDto {
            code: r.code.clone(),
            name: pick(l, &r.name_kk, &r.name_ru, &r.name_en).to_string(),
            form: DirectionForm {
                code: r.code.clone(),
                name_kk: r.name_kk.clone(),
                name_ru: r.name_ru.clone(),
                name_en: r.name_en.clone(),
            },
            retired: r.retired,
            uses: uses(db, &r.code).await?,
        });
    }
    Ok(out)
}

/// Names: each 1–120 characters, none shared with another direction.
fn check_names(f: &DirectionForm, others: &[direction::Model]) -> Result<[String; 3], AppError> {
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
        let lower = v.to_lowercase();
        let taken = others.iter().any(|o| {
            [&o.name_kk, &o.name_ru, &o.name_en][i]
                .trim()
                .to_lowercase()
                == lower
        });
        if taken {
            return Err(invalid(field, Problem::Taken));
        }
        out[i] = v.to_string();
    }
    Ok(out)
}

/// Add a direction (`new`) or rename one; all or nothing, audited.
pub async fn save(
    db: &DatabaseConnection,
    user: &CurrentUser,
    form: DirectionForm,
    new: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.is_admin())?;
    let code = form.code.trim().to_string();
    if Direction::parse(&code).is_none() {
        return Err(invalid("code", Problem::Code));
    }
    let txn = model::begin_write(db).await?;
    let all = direction::Entity::find().all(&txn).await?;
    let existing = all.iter().find(|d| d.code == code).cloned();
    let others: Vec<_> = all.into_iter().filter(|d| d.code != code).collect();
    let [kk, ru, en] = check_names(&form, &others)?;
    let detail = format!("{code}: {kk} / {ru} / {en}");
    match (new, existing) {
        (true, Some(_)) => return Err(invalid("code", Problem::Taken)),
        (false, None) => return Err(AppError::NotFound),
        (true, None) => {
            let position = others.iter().map(|d| d.position).max().unwrap_or(0) + 10;
            direction::ActiveModel {
                code: Set(code.clone()),
                name_kk: Set(kk),
                name_ru: Set(ru),
                name_en: Set(en),
                position: Set(position),
                retired: Set(false),
            }
            .insert(&txn)
            .await?;
        }
        (false, Some(d)) => {
            let mut am: direction::ActiveModel = d.into();
            am.name_kk = Set(kk);
            am.name_ru = Set(ru);
            am.name_en = Set(en);
            am.update(&txn).await?;
        }
    }
    crate::audit::service::record(
        &txn,
        user,
        None,
        AuditKind::DirectionChanged,
        format!("direction {code}"),
        if new {
            format!("added {detail}")
        } else {
            format!("renamed {detail}")
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Retire a direction (no longer offered; kept where used) or restore it.
/// An unused direction is deleted instead of retired.
pub async fn set_retired(
    db: &DatabaseConnection,
    user: &CurrentUser,
    code: &str,
    retired: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.is_admin())?;
    let txn = model::begin_write(db).await?;
    let d = direction::Entity::find_by_id(code.to_string())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_use = uses(&txn, code).await? > 0;
    let what = if retired && !in_use {
        direction::Entity::delete_by_id(d.code.clone())
            .exec(&txn)
            .await?;
        "deleted (unused)"
    } else {
        let mut am: direction::ActiveModel = d.into();
        am.retired = Set(retired);
        am.update(&txn).await?;
        if retired {
            "retired"
        } else {
            "restored"
        }
    };
    crate::audit::service::record(
        &txn,
        user,
        None,
        AuditKind::DirectionChanged,
        format!("direction {code}"),
        what,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
