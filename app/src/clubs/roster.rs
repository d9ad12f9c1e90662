//! Running a club's sessions: the roster, attendance marks, the head
//! count of an anonymous club, and cancelling a session.

use super::dto::*;
use super::notices::{self, NoticeKind, Pending};
use super::service::{can_manage, club_or_404, history, invalid, session_dtos, sessions_of};
use crate::access::session::CurrentUser;
use crate::centers::service::center_tz;
use crate::domain::codes::ClubPlace;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::club::name_of;
use crate::model::{self, center, club, club_attendance, club_member, club_session, person};
use crate::passes::attendance::record_attendance;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};

/// The session a roster opens on: today's, else the next, else the last.
fn default_session(sessions: &[club_session::Model], now: DateTime<Utc>, tz: Tz) -> Option<i32> {
    let today = now.with_timezone(&tz).date_naive();
    sessions
        .iter()
        .filter(|s| s.cancelled_at.is_none())
        .find(|s| s.starts_at.with_timezone(&tz).date_naive() >= today)
        .or_else(|| sessions.iter().rfind(|s| s.cancelled_at.is_none()))
        .map(|s| s.id)
}

/// The roster of one session, for the leader or the center's staff.
pub async fn roster(
    db: &DatabaseConnection,
    user: &CurrentUser,
    club_id: i32,
    session_id: Option<i32>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<RosterDto, AppError> {
    let c = club_or_404(db, club_id).await?;
    if !can_manage(db, user, &c).await? {
        return Err(AppError::Forbidden);
    }
    let center = center::Entity::find_by_id(c.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&center);
    let sessions = sessions_of(db, c.id).await?;
    let chosen = session_id
        .or_else(|| default_session(&sessions, now, tz))
        .ok_or(AppError::NotFound)?;
    let s = sessions
        .iter()
        .find(|s| s.id == chosen)
        .ok_or(AppError::NotFound)?;
    let session_list = session_dtos(db, &sessions, tz, c.center_id, None, now, l).await?;
    let session = session_list
        .iter()
        .find(|x| x.id == s.id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if c.anonymous {
        return Ok(RosterDto {
            club_id: c.id,
            club: name_of(&c, l),
            anonymous: true,
            session,
            sessions: session_list,
            rows: Vec::new(),
            head_count: Some(s.anonymous_count.unwrap_or(0).max(0) as u32),
            waiting: Vec::new(),
        });
    }
    let members = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .order_by_asc(club_member::Column::QueuedAt)
        .order_by_asc(club_member::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(members.iter().map(|m| m.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let marks = club_attendance::Entity::find()
        .filter(
            club_attendance::Column::SessionId
                .is_in(sessions.iter().map(|s| s.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let mut by_person: HashMap<i32, HashSet<i32>> = HashMap::new();
    for a in &marks {
        by_person
            .entry(a.person_id)
            .or_default()
            .insert(a.session_id);
    }
    let before: Vec<club_session::Model> = sessions
        .iter()
        .filter(|x| x.starts_at < s.starts_at)
        .cloned()
        .collect();
    let mut rows = Vec::new();
    let mut waiting = Vec::new();
    for m in &members {
        let name = people.get(&m.person_id).cloned().unwrap_or_default();
        if m.status == ClubPlace::Waiting {
            waiting.push(name);
            continue;
        }
        let attended = by_person.get(&m.person_id).cloned().unwrap_or_default();
        let h = history(
            &before,
            m.joined_at.unwrap_or(m.queued_at),
            &attended,
            s.starts_at,
        );
        rows.push(RosterRowDto {
            person_id: m.person_id,
            name,
            present: attended.contains(&s.id),
            streak: h.streak,
        });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(RosterDto {
        club_id: c.id,
        club: name_of(&c, l),
        anonymous: false,
        session,
        sessions: session_list,
        rows,
        head_count: None,
        waiting,
    })
}

/// A session and its club, for someone allowed to manage it.
async fn managed_session<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    session_id: i32,
) -> Result<(club_session::Model, club::Model), AppError> {
    let s = club_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = club_or_404(db, s.club_id).await?;
    if !can_manage(db, user, &c).await? {
        return Err(AppError::Forbidden);
    }
    Ok((s, c))
}

/// Tick (or untick) a member on a session's roster.
pub async fn mark(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    person_id: i32,
    present: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (s, c) = managed_session(db, user, session_id).await?;
    if c.anonymous {
        return Err(AppError::Forbidden);
    }
    if s.cancelled_at.is_some() || s.starts_at > now + Duration::hours(1) {
        // Nobody attends a cancelled session or one that has not begun.
        return Err(AppError::BookingClosed);
    }
    let is_member = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::PersonId.eq(person_id))
        .filter(club_member::Column::Status.eq(ClubPlace::Member))
        .one(db)
        .await?
        .is_some();
    if !is_member {
        return Err(AppError::NotFound);
    }
    if present {
        record_attendance(
            db,
            s.id,
            person_id,
            user.account_id,
            crate::domain::codes::AttendanceVia::Roster,
            now,
        )
        .await
    } else {
        club_attendance::Entity::delete_many()
            .filter(club_attendance::Column::SessionId.eq(s.id))
            .filter(club_attendance::Column::PersonId.eq(person_id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Largest head count a session may record.
pub const MAX_HEAD_COUNT: u32 = 500;

/// Record how many came to an anonymous club's session (no names).
pub async fn head_count(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    count: u32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let (s, c) = managed_session(db, user, session_id).await?;
    if !c.anonymous {
        return Err(AppError::Forbidden);
    }
    if count > MAX_HEAD_COUNT {
        return Err(invalid("count", Problem::Range));
    }
    if s.cancelled_at.is_some() || s.starts_at > now + Duration::hours(1) {
        return Err(AppError::BookingClosed);
    }
    let mut a = s.into_active_model();
    a.anonymous_count = Set(Some(count as i32));
    a.update(db).await?;
    Ok(count)
}

/// Longest cancellation reason.
pub const MAX_REASON: usize = 200;

/// Cancel one session (a holiday, the leader is ill) and tell the members.
pub async fn cancel_session(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let (s, c) = managed_session(&txn, user, session_id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(invalid("reason", Problem::TooLong));
    }
    if s.cancelled_at.is_some() || s.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let mut a = s.clone().into_active_model();
    a.cancelled_at = Set(Some(now));
    a.cancel_reason = Set(Some(reason.to_string()));
    a.update(&txn).await?;
    let pending: Vec<Pending> = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::Status.eq(ClubPlace::Member))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| Pending {
            person_id: m.person_id,
            kind: NoticeKind::SessionCancelled,
            subject_id: s.id,
            detail: Some(reason.to_string()),
        })
        .collect();
    notices::store(&txn, &pending, now).await?;
    txn.commit().await?;
    Ok(())
}
