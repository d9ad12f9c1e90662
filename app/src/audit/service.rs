//! Writing and reading the audit log (server only).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::dto::{AuditKind, AuditPageDto, AuditQuery, AuditRowDto, PAGE_SIZE};
use crate::access::session::CurrentUser;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{audit_log, center};

/// Who acted, for a log row.
#[derive(Clone, Debug)]
pub struct Actor {
    pub account_id: Option<i32>,
    pub name: String,
}

impl From<&CurrentUser> for Actor {
    fn from(u: &CurrentUser) -> Self {
        Actor {
            account_id: Some(u.account_id),
            name: u.full_name.clone(),
        }
    }
}

/// Append one row. Call it with the action's transaction, so the row is
/// written exactly when the action is.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: impl Into<Actor>,
    center_id: Option<i32>,
    kind: AuditKind,
    subject: impl Into<String>,
    detail: impl Into<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let actor = actor.into();
    audit_log::ActiveModel {
        at: Set(now),
        actor_account_id: Set(actor.account_id),
        actor_name: Set(actor.name),
        center_id: Set(center_id),
        kind: Set(kind),
        subject: Set(subject.into()),
        detail: Set(detail.into()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How a member is named in the log: by member number, never by birth date
/// or IIN.
pub fn member_subject(person_id: i32) -> String {
    format!(
        "member {}",
        crate::domain::membership::member_number(person_id)
    )
}

fn parse_day(field: &str, s: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    crate::error::optional_form_date(field, s.as_deref())
}

/// One page of the log for a director (their centers) or a regional admin
/// (every center, and region-wide rows such as staff accounts). Newest
/// first; dates are days in the region's time zone, both ends included;
/// the default range is the last 7 days.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    q: AuditQuery,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<AuditPageDto, AppError> {
    user.require(|r| r.can_report())?;
    let allowed = crate::access::staff_centers(db, user).await?;
    if let (Some(c), Some(ids)) = (q.center, &allowed) {
        if !ids.contains(&c) {
            return Err(AppError::Forbidden);
        }
    }
    let tz = chrono_tz::Asia::Almaty;
    let today = now.with_timezone(&tz).date_naive();
    let to = parse_day("to", &q.to)?.unwrap_or(today);
    let from = parse_day("from", &q.from)?.unwrap_or(to - Duration::days(6));
    if from > to {
        return Err(AppError::Invalid {
            field: "from".into(),
            problem: Problem::Range,
        });
    }
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(AuditKind::parse(k).ok_or_else(|| AppError::Invalid {
            field: "kind".into(),
            problem: Problem::Range,
        })?),
    };
    let start = tz
        .from_local_datetime(&from.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let end = tz
        .from_local_datetime(
            &(to + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        )
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);

    let mut cond = Condition::all()
        .add(audit_log::Column::At.gte(start))
        .add(audit_log::Column::At.lt(end));
    match (q.center, &allowed) {
        (Some(c), _) => cond = cond.add(audit_log::Column::CenterId.eq(c)),
        (None, Some(ids)) => cond = cond.add(audit_log::Column::CenterId.is_in(ids.clone())),
        (None, None) => {}
    }
    if let Some(k) = kind {
        cond = cond.add(audit_log::Column::Kind.eq(k.as_str()));
    }
    let base = audit_log::Entity::find().filter(cond);
    let total = base.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let rows = base
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;

    let all_centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    let name = |c: &center::Model| pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string();
    let centers: Vec<(i32, String)> = all_centers
        .iter()
        .filter(|c| allowed.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .map(|c| (c.id, name(c)))
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| AuditRowDto {
            id: r.id,
            at: r.at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string(),
            actor: r.actor_name,
            center: r
                .center_id
                .and_then(|id| all_centers.iter().find(|c| c.id == id))
                .map(name),
            kind_label: r.kind.label(l).to_string(),
            kind: r.kind.as_str().to_string(),
            subject: r.subject,
            detail: r.detail,
        })
        .collect();
    Ok(AuditPageDto {
        rows,
        total,
        page,
        pages,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        center: q.center,
        kind: kind.map(|k| k.as_str().to_string()),
        centers,
    })
}
