//! Clubs: creating one with its term of weekly sessions, joining and leaving
//! with a first-come waitlist, club passes, rosters and attendance, anonymous
//! head counts, and cancelling a session with notice to the members.

use crate::centers::occupancy::ensure_space_free;
use crate::domain::codes::ClubPlace;
use crate::model::club::name_of;
use crate::passes::attendance::record_attendance;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::dto::*;
use super::notices::{self, NoticeKind, Pending};
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::service::{center_tz, load_space};
use crate::domain::clubs::{self as rules, AgeMiss, Placement};
use crate::domain::direction::Direction;
use crate::domain::pass::PassKind;
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{
    self, account, center, club, club_attendance, club_member, club_session, person, space,
};
use crate::passes::service::PassLink;
use crate::state::PassKeyRing;

/// Longest club meeting or event, in minutes.
pub const MAX_MINUTES: u32 = 8 * 60;
/// Longest club term, in days.
pub const MAX_TERM_DAYS: i64 = 366;

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// `Wed 02.12, 18:00–19:30` in center time.
pub fn when_label(l: Locale, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    format!(
        "{}, {}–{}",
        day_label(l, from.with_timezone(&tz).date_naive()),
        hhmm(from, tz),
        hhmm(to, tz)
    )
}

/// Whether the user leads the club or is staff of its center.
pub async fn can_manage<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    c: &club::Model,
) -> Result<bool, AppError> {
    Ok(c.leader_account_id == Some(user.account_id) || staff_covers(db, user, c.center_id).await?)
}

async fn club_or_404<C: ConnectionTrait>(db: &C, id: i32) -> Result<club::Model, AppError> {
    club::Entity::find_by_id(id)
        .filter(club::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// (members, waiting) per club.
async fn counts<C: ConnectionTrait>(
    db: &C,
    club_ids: &[i32],
) -> Result<HashMap<i32, (u32, u32)>, AppError> {
    let mut out: HashMap<i32, (u32, u32)> = HashMap::new();
    for m in club_member::Entity::find()
        .filter(club_member::Column::ClubId.is_in(club_ids.to_vec()))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .all(db)
        .await?
    {
        let e = out.entry(m.club_id).or_default();
        if m.status == ClubPlace::Member {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    Ok(out)
}

/// The caller's standing in each club (members and waiting, with position).
async fn standings<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    club_ids: &[i32],
) -> Result<HashMap<i32, Standing>, AppError> {
    let mine = club_member::Entity::find()
        .filter(club_member::Column::PersonId.eq(person_id))
        .filter(club_member::Column::ClubId.is_in(club_ids.to_vec()))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for m in mine {
        let standing = if m.status == ClubPlace::Member {
            Standing::In
        } else {
            Standing::Waiting {
                position: queue_position(db, m.club_id, &m).await?,
            }
        };
        out.insert(m.club_id, standing);
    }
    Ok(out)
}

async fn queue_position<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
    me: &club_member::Model,
) -> Result<u32, AppError> {
    let ahead = waiting_queue(db, club_id)
        .await?
        .iter()
        .take_while(|w| w.id != me.id)
        .count();
    Ok(ahead as u32 + 1)
}

/// The waitlist in arrival order.
async fn waiting_queue<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
) -> Result<Vec<club_member::Model>, AppError> {
    Ok(club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(club_id))
        .filter(club_member::Column::Status.eq(ClubPlace::Waiting))
        .order_by_asc(club_member::Column::QueuedAt)
        .order_by_asc(club_member::Column::Id)
        .all(db)
        .await?)
}

fn club_dto(
    c: &club::Model,
    center: &center::Model,
    space_name: String,
    leader: Option<String>,
    (members, waiting): (u32, u32),
    standing: Option<Standing>,
    l: Locale,
) -> ClubDto {
    let tz = center_tz(center);
    let start = crate::domain::slots::local_to_utc(tz, c.term_start, c.starts_min);
    let end = start + Duration::minutes(i64::from(c.duration_minutes));
    ClubDto {
        id: c.id,
        name: name_of(c, l),
        description: pick(l, &c.description_kk, &c.description_ru, &c.description_en).to_string(),
        center: pick(l, &center.name_kk, &center.name_ru, &center.name_en).to_string(),
        space: space_name,
        direction: c.direction.label(l).to_string(),
        schedule: format!(
            "{} {}–{}",
            l.weekday(chrono::Weekday::try_from(c.weekday as u8).unwrap_or(chrono::Weekday::Mon)),
            hhmm(start, tz),
            hhmm(end, tz)
        ),
        term: format!(
            "{} – {}",
            c.term_start.format("%d.%m.%Y"),
            c.term_end.format("%d.%m.%Y")
        ),
        ages: match (c.min_age, c.max_age) {
            (0, 0) => String::new(),
            (a, 0) => format!("{a}+"),
            (0, b) => format!("≤ {b}"),
            (a, b) => format!("{a}–{b}"),
        },
        capacity: c.capacity.max(0) as u32,
        members,
        waiting,
        anonymous: c.anonymous,
        leader,
        standing,
        can_manage: false,
    }
}

/// Context to describe clubs: centers, spaces and leaders by id.
struct Names {
    centers: HashMap<i32, center::Model>,
    spaces: HashMap<i32, String>,
    leaders: HashMap<i32, String>,
}

async fn names<C: ConnectionTrait>(
    db: &C,
    clubs: &[club::Model],
    l: Locale,
) -> Result<Names, AppError> {
    let centers = center::Entity::find()
        .filter(center::Column::Id.is_in(clubs.iter().map(|c| c.center_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let spaces = space::Entity::find()
        .filter(space::Column::Id.is_in(clubs.iter().map(|c| c.space_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            )
        })
        .collect();
    let accounts = account::Entity::find()
        .filter(
            account::Column::Id.is_in(
                clubs
                    .iter()
                    .filter_map(|c| c.leader_account_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?;
    let people: HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(accounts.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let leaders = accounts
        .into_iter()
        .filter_map(|a| people.get(&a.person_id).map(|n| (a.id, n.clone())))
        .collect();
    Ok(Names {
        centers,
        spaces,
        leaders,
    })
}

impl Names {
    fn dto(
        &self,
        c: &club::Model,
        counts: (u32, u32),
        standing: Option<Standing>,
        l: Locale,
    ) -> Option<ClubDto> {
        let center = self.centers.get(&c.center_id)?;
        Some(club_dto(
            c,
            center,
            self.spaces.get(&c.space_id).cloned().unwrap_or_default(),
            c.leader_account_id
                .and_then(|a| self.leaders.get(&a).cloned()),
            counts,
            standing,
            l,
        ))
    }
}

/// Clubs whose term has not ended, optionally of one center.
pub async fn list(
    db: &DatabaseConnection,
    center_id: Option<i32>,
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<ClubDto>, AppError> {
    let mut q = club::Entity::find()
        .filter(club::Column::Active.eq(true))
        // A day of slack for time zones; the term end is compared below.
        .filter(club::Column::TermEnd.gte(now.date_naive() - Duration::days(1)));
    if let Some(id) = center_id {
        q = q.filter(club::Column::CenterId.eq(id));
    }
    let clubs = q
        .order_by_asc(club::Column::CenterId)
        .order_by_asc(club::Column::Weekday)
        .order_by_asc(club::Column::StartsMin)
        .all(db)
        .await?;
    let ids: Vec<i32> = clubs.iter().map(|c| c.id).collect();
    let counts = counts(db, &ids).await?;
    let standing = match viewer {
        Some(u) => standings(db, u.person_id, &ids).await?,
        None => HashMap::new(),
    };
    let names = names(db, &clubs, l).await?;
    let mut covers: HashMap<i32, bool> = HashMap::new();
    if let Some(u) = viewer {
        for c in &clubs {
            if let std::collections::hash_map::Entry::Vacant(e) = covers.entry(c.center_id) {
                e.insert(staff_covers(db, u, c.center_id).await?);
            }
        }
    }
    Ok(clubs
        .iter()
        .filter_map(|c| {
            let mut dto = names.dto(
                c,
                counts.get(&c.id).copied().unwrap_or_default(),
                standing.get(&c.id).copied(),
                l,
            )?;
            dto.can_manage = viewer.is_some_and(|u| {
                c.leader_account_id == Some(u.account_id)
                    || covers.get(&c.center_id).copied().unwrap_or(false)
            });
            Some(dto)
        })
        .collect())
}

async fn sessions_of<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
) -> Result<Vec<club_session::Model>, AppError> {
    Ok(club_session::Entity::find()
        .filter(club_session::Column::ClubId.eq(club_id))
        .order_by_asc(club_session::Column::StartsAt)
        .all(db)
        .await?)
}

/// Why a cancelled session does not meet, in the reader's language.
async fn cancel_reason<C: ConnectionTrait>(
    db: &C,
    s: &club_session::Model,
    tz: Tz,
    center_id: i32,
    l: Locale,
) -> Result<Option<String>, AppError> {
    if s.cancelled_at.is_none() {
        return Ok(None);
    }
    if let Some(r) = &s.cancel_reason {
        return Ok(Some(r.clone()));
    }
    let day = s.starts_at.with_timezone(&tz).date_naive();
    if let Some(h) = crate::domain::holidays::public_holiday(day) {
        return Ok(Some(crate::i18n::holiday_name(l, h).to_string()));
    }
    Ok(crate::model::closure::Entity::find()
        .filter(crate::model::closure::Column::CenterId.eq(center_id))
        .filter(crate::model::closure::Column::Day.eq(day))
        .one(db)
        .await?
        .map(|c| c.reason))
}

async fn session_dtos<C: ConnectionTrait>(
    db: &C,
    sessions: &[club_session::Model],
    tz: Tz,
    center_id: i32,
    attended: Option<&HashSet<i32>>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<SessionDto>, AppError> {
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        let past = s.ends_at <= now;
        out.push(SessionDto {
            id: s.id,
            label: when_label(l, tz, s.starts_at, s.ends_at),
            past,
            cancelled: s.cancelled_at.is_some(),
            cancel_reason: cancel_reason(db, s, tz, center_id, l).await?,
            attended: attended
                .filter(|_| past && s.cancelled_at.is_none())
                .map(|a| a.contains(&s.id)),
        });
    }
    Ok(out)
}

/// Attended and held sessions and streaks of one member, counted over the
/// held sessions since they joined.
fn history(
    sessions: &[club_session::Model],
    joined: DateTime<Utc>,
    attended: &HashSet<i32>,
    now: DateTime<Utc>,
) -> HistoryDto {
    let held: Vec<bool> = sessions
        .iter()
        .filter(|s| s.cancelled_at.is_none() && s.ends_at <= now && s.ends_at > joined)
        .map(|s| attended.contains(&s.id))
        .collect();
    let (streak, best) = rules::streaks(&held);
    HistoryDto {
        attended: held.iter().filter(|a| **a).count() as u32,
        held: held.len() as u32,
        streak,
        best_streak: best,
    }
}

/// A club's page: schedule, sessions, and for a member their pass and
/// attendance history.
pub async fn detail(
    db: &DatabaseConnection,
    club_id: i32,
    viewer: Option<&CurrentUser>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ClubDetailDto, AppError> {
    let c = club_or_404(db, club_id).await?;
    let counts = counts(db, &[c.id]).await?;
    let names = names(db, std::slice::from_ref(&c), l).await?;
    let center = names.centers.get(&c.center_id).ok_or(AppError::NotFound)?;
    let tz = center_tz(center);
    let mut standing = None;
    let mut can = false;
    let mut pass = None;
    let mut attended = None;
    let mut joined = None;
    let sessions = sessions_of(db, c.id).await?;
    if let Some(u) = viewer {
        standing = standings(db, u.person_id, &[c.id])
            .await?
            .get(&c.id)
            .copied();
        can = can_manage(db, u, &c).await?;
        if standing == Some(Standing::In) {
            pass = model::pass::Entity::find()
                .filter(model::pass::Column::ClubId.eq(c.id))
                .filter(model::pass::Column::PersonId.eq(u.person_id))
                .filter(model::pass::Column::RevokedAt.is_null())
                .one(db)
                .await?;
            let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
            attended = Some(
                club_attendance::Entity::find()
                    .filter(club_attendance::Column::PersonId.eq(u.person_id))
                    .filter(club_attendance::Column::SessionId.is_in(ids))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|a| a.session_id)
                    .collect::<HashSet<i32>>(),
            );
            joined = club_member::Entity::find()
                .filter(club_member::Column::ClubId.eq(c.id))
                .filter(club_member::Column::PersonId.eq(u.person_id))
                .one(db)
                .await?
                .and_then(|m| m.joined_at);
        }
    }
    let history = match (&attended, joined) {
        (Some(a), Some(j)) => Some(history(&sessions, j, a, now)),
        _ => None,
    };
    let mut dto = names
        .dto(
            &c,
            counts.get(&c.id).copied().unwrap_or_default(),
            standing,
            l,
        )
        .ok_or(AppError::NotFound)?;
    dto.can_manage = can;
    Ok(ClubDetailDto {
        club: dto,
        sessions: session_dtos(db, &sessions, tz, c.center_id, attended.as_ref(), now, l).await?,
        can_manage: can,
        qr_svg: pass
            .as_ref()
            .map(|p| crate::passes::service::qr_svg(&p.code)),
        pass_code: pass.map(|p| p.code),
        history,
    })
}

/// The member's age on a date (their profile's birth date).
pub async fn age_of<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    today: NaiveDate,
) -> Result<u32, AppError> {
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::domain::membership::age_on(p.birth_date, today).max(0) as u32)
}

pub fn age_refusal(miss: AgeMiss) -> AppError {
    match miss {
        AgeMiss::Below(min_age) => AppError::BelowMinAge { min_age },
        AgeMiss::Above(max_age) => AppError::AboveMaxAge { max_age },
    }
}

/// Lock a club row for a join/leave/promotion so places are counted by one
/// transaction at a time.
async fn lock_club<C: ConnectionTrait>(db: &C, id: i32) -> Result<club::Model, AppError> {
    model::for_update(
        club::Entity::find_by_id(id).filter(club::Column::Active.eq(true)),
        db.get_database_backend(),
    )
    .one(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The member's club pass: valid at the club's center for the term; the
/// door admits it only at session times.
async fn issue_club_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    c: &club::Model,
    person_id: i32,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let from = crate::domain::slots::local_to_utc(tz, c.term_start, 0);
    let until = crate::domain::slots::local_to_utc(tz, c.term_end + Duration::days(1), 0);
    crate::passes::service::issue_pass(
        db,
        keys,
        person_id,
        PassLink::Club(c.id),
        PassKind::ClubSession,
        c.center_id,
        (from, until),
        now,
    )
    .await?;
    Ok(())
}

async fn revoke_club_pass<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    model::pass::Entity::update_many()
        .col_expr(
            model::pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(model::pass::Column::ClubId.eq(club_id))
        .filter(model::pass::Column::PersonId.eq(person_id))
        .filter(model::pass::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Join a club: a place if one is free and nobody is waiting, otherwise the
/// end of the waitlist.
pub async fn join(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    club_id: i32,
    now: DateTime<Utc>,
) -> Result<JoinDto, AppError> {
    let txn = model::begin_write(db).await?;
    let c = lock_club(&txn, club_id).await?;
    if c.anonymous {
        // Nobody signs up by name for an anonymous group.
        return Err(AppError::Forbidden);
    }
    let center = center::Entity::find_by_id(c.center_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&center);
    let today = now.with_timezone(&tz).date_naive();
    if c.term_end < today {
        return Err(AppError::BookingClosed);
    }
    let age = age_of(&txn, user.person_id, today).await?;
    rules::age_fits(c.min_age.max(0) as u32, c.max_age.max(0) as u32, age).map_err(age_refusal)?;
    // A minor needs a guardian's consent on record, as for booking.
    crate::access::ensure_may_book(&txn, user.person_id, today).await?;
    let existing = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::PersonId.eq(user.person_id))
        .one(&txn)
        .await?;
    if let Some(m) = &existing {
        if m.status == ClubPlace::Member {
            return Ok(JoinDto {
                standing: Standing::In,
            });
        }
        if m.status == ClubPlace::Waiting {
            let position = queue_position(&txn, c.id, m).await?;
            return Ok(JoinDto {
                standing: Standing::Waiting { position },
            });
        }
    }
    let (taken, queued) = counts(&txn, &[c.id])
        .await?
        .get(&c.id)
        .copied()
        .unwrap_or_default();
    let placement = rules::place(c.capacity.max(0) as u32, taken, queued);
    let status = match placement {
        Placement::Member => ClubPlace::Member,
        Placement::Waiting { .. } => ClubPlace::Waiting,
    };
    let joined_at = (status == ClubPlace::Member).then_some(now);
    match existing {
        Some(m) => {
            let mut a = m.into_active_model();
            a.status = Set(status.into());
            a.queued_at = Set(now);
            a.joined_at = Set(joined_at);
            a.left_at = Set(None);
            a.update(&txn).await?;
        }
        None => {
            club_member::ActiveModel {
                club_id: Set(c.id),
                person_id: Set(user.person_id),
                status: Set(status.into()),
                queued_at: Set(now),
                joined_at: Set(joined_at),
                left_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    if status == ClubPlace::Member {
        issue_club_pass(&txn, keys, &c, user.person_id, tz, now).await?;
    }
    txn.commit().await?;
    Ok(JoinDto {
        standing: match placement {
            Placement::Member => Standing::In,
            Placement::Waiting { position } => Standing::Waiting { position },
        },
    })
}

/// Leave a club (or its waitlist). A freed place goes to the first in line,
/// who gets a pass and a notice.
pub async fn leave(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    outbox: &Path,
    user: &CurrentUser,
    club_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = model::begin_write(db).await?;
    let c = lock_club(&txn, club_id).await?;
    let m = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::PersonId.eq(user.person_id))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = m.into_active_model();
    a.status = Set(ClubPlace::Left);
    a.left_at = Set(Some(now));
    a.update(&txn).await?;
    revoke_club_pass(&txn, c.id, user.person_id, now).await?;
    let pending = promote(&txn, keys, &c, now).await?;
    txn.commit().await?;
    notices::text_out(db, outbox, &pending, now).await
}

/// Fill free places from the waitlist, first come first served (inside the
/// transaction that holds the club's lock).
async fn promote<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    c: &club::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Pending>, AppError> {
    let (taken, _) = counts(db, &[c.id])
        .await?
        .get(&c.id)
        .copied()
        .unwrap_or_default();
    let queue = waiting_queue(db, c.id).await?;
    let up = rules::promotions(c.capacity.max(0) as u32, taken, &queue);
    if up.is_empty() {
        return Ok(Vec::new());
    }
    let center = center::Entity::find_by_id(c.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&center);
    let mut pending = Vec::new();
    for w in up {
        let mut a = w.clone().into_active_model();
        a.status = Set(ClubPlace::Member);
        a.joined_at = Set(Some(now));
        a.update(db).await?;
        issue_club_pass(db, keys, c, w.person_id, tz, now).await?;
        pending.push(Pending {
            person_id: w.person_id,
            kind: NoticeKind::ClubPromoted,
            subject_id: c.id,
            detail: None,
        });
    }
    notices::store(db, &pending, now).await?;
    Ok(pending)
}

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
    outbox: &Path,
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
    notices::text_out(db, outbox, &pending, now).await
}

/// Centers (with rooms) and leaders a director may choose in the forms.
pub async fn form_options(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<FormOptionsDto, AppError> {
    user.require(|r| r.can_report())?;
    let scope = crate::access::staff_centers(db, user).await?;
    let mut centers = Vec::new();
    for c in crate::centers::service::list_centers(db, l).await? {
        if scope.as_ref().is_some_and(|cs| !cs.contains(&c.id)) {
            continue;
        }
        let spaces = space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .filter(space::Column::Active.eq(true))
            .order_by_asc(space::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|s| OptionDto {
                id: s.id,
                label: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            })
            .collect();
        centers.push(FormCenterDto {
            id: c.id,
            name: c.name,
            spaces,
        });
    }
    let mentors = account::Entity::find()
        .filter(account::Column::Role.eq(crate::domain::people::Role::Mentor.as_str()))
        .all(db)
        .await?;
    let people: HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(mentors.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let mut leaders: Vec<OptionDto> = mentors
        .iter()
        .filter_map(|a| {
            people.get(&a.person_id).map(|n| OptionDto {
                id: a.id,
                label: n.clone(),
            })
        })
        .collect();
    leaders.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(FormOptionsDto { centers, leaders })
}

/// Names in three languages: at least one, none too long.
pub fn check_names(
    names: [(&str, &str); 3],
    descriptions: [(&str, &str); 3],
) -> Result<(), AppError> {
    if names.iter().all(|(_, n)| n.trim().is_empty()) {
        return Err(invalid(names[0].0, Problem::Required));
    }
    for (field, n) in names {
        if n.chars().count() > 120 {
            return Err(invalid(field, Problem::TooLong));
        }
    }
    for (field, d) in descriptions {
        if d.chars().count() > 2000 {
            return Err(invalid(field, Problem::TooLong));
        }
    }
    Ok(())
}

/// The space a director may put a club or event in.
pub async fn managed_space<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    space_id: i32,
) -> Result<space::Model, AppError> {
    user.require(|r| r.can_report())?;
    // Locked: bookings of the room queue behind the new club or event.
    let s = model::for_update(
        space::Entity::find_by_id(space_id).filter(space::Column::Active.eq(true)),
        db.get_database_backend(),
    )
    .one(db)
    .await?
    .ok_or_else(|| invalid("space_id", Problem::Required))?;
    if !staff_covers(db, user, s.center_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

fn parse_time(field: &str, s: &str) -> Result<i32, AppError> {
    crate::centers::dto::parse_hhmm(s).ok_or_else(|| invalid(field, Problem::Time))
}

fn check_minutes(field: &str, m: u32) -> Result<i64, AppError> {
    if !(15..=MAX_MINUTES).contains(&m) {
        return Err(invalid(field, Problem::Range));
    }
    Ok(i64::from(m))
}

fn check_direction(s: &str) -> Result<Direction, AppError> {
    Direction::parse(s).ok_or_else(|| invalid("direction", Problem::Required))
}

/// What club and event forms share: names and descriptions (kk, ru, en),
/// direction, local start time and length. Gives the direction, the start
/// in minutes after midnight and the length in minutes.
pub fn check_basics(
    names: [&str; 3],
    descriptions: [&str; 3],
    direction: &str,
    start_time: &str,
    duration_minutes: u32,
) -> Result<(Direction, i32, i64), AppError> {
    check_names(
        [
            ("name_kk", names[0]),
            ("name_ru", names[1]),
            ("name_en", names[2]),
        ],
        [
            ("description_kk", descriptions[0]),
            ("description_ru", descriptions[1]),
            ("description_en", descriptions[2]),
        ],
    )?;
    Ok((
        check_direction(direction)?,
        parse_time("start_time", start_time)?,
        check_minutes("duration_minutes", duration_minutes)?,
    ))
}

/// Create a club and its sessions for the whole term. Sessions on public
/// holidays and closure days are created cancelled (members see why); a
/// session that would collide with a booking, another club or an event is
/// refused with the dates.
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    f: &ClubForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    // Who may, before what is wrong with the form.
    managed_space(db, user, f.space_id).await?;
    let (direction, starts_min, minutes) = check_basics(
        [&f.name_kk, &f.name_ru, &f.name_en],
        [&f.description_kk, &f.description_ru, &f.description_en],
        &f.direction,
        &f.start_time,
        f.duration_minutes,
    )?;
    if f.weekday > 6 {
        return Err(invalid("weekday", Problem::Range));
    }
    let term_start = crate::error::form_date("term_start", &f.term_start)?;
    let term_end = crate::error::form_date("term_end", &f.term_end)?;
    if term_end < term_start || (term_end - term_start).num_days() > MAX_TERM_DAYS {
        return Err(invalid("term_end", Problem::Range));
    }
    if f.anonymous {
        if f.capacity > MAX_HEAD_COUNT {
            return Err(invalid("capacity", Problem::Range));
        }
    } else if !(1..=200).contains(&f.capacity) {
        return Err(invalid("capacity", Problem::Range));
    }
    if f.max_age > 0 && f.min_age > f.max_age || f.min_age > 35 || f.max_age > 35 {
        return Err(invalid("max_age", Problem::Range));
    }
    let txn = model::begin_write(db).await?;
    let s = managed_space(&txn, user, f.space_id).await?;
    let leader = (f.leader_account_id > 0).then_some(f.leader_account_id);
    if let Some(leader) = leader {
        let ok = account::Entity::find_by_id(leader)
            .one(&txn)
            .await?
            .is_some_and(|a| a.role == crate::domain::people::Role::Mentor);
        if !ok {
            return Err(invalid("leader_account_id", Problem::Required));
        }
    }
    let ctx = load_space(&txn, s.clone()).await?;
    let today = now.with_timezone(&ctx.tz).date_naive();
    if term_start < today {
        return Err(invalid("term_start", Problem::Date));
    }
    let dates = rules::session_dates(term_start, term_end, f.weekday, |d| {
        ctx.hours_on(d).is_none()
    });
    if !dates.iter().any(|(_, meets)| *meets) {
        return Err(invalid("term_end", Problem::Range));
    }
    let mut meetings = Vec::new();
    for (d, meets) in &dates {
        if !*meets {
            continue;
        }
        let h = ctx.hours_on(*d).ok_or(AppError::Internal)?;
        if starts_min < h.opens_min || i64::from(starts_min) + minutes > i64::from(h.closes_min) {
            // The center is not open for the whole meeting.
            return Err(invalid("start_time", Problem::Range));
        }
        let a = crate::domain::slots::local_to_utc(ctx.tz, *d, starts_min);
        meetings.push((a, a + Duration::minutes(minutes)));
    }
    ensure_space_free(&txn, s.id, &meetings, ctx.tz).await?;
    let c = club::ActiveModel {
        center_id: Set(s.center_id),
        space_id: Set(s.id),
        leader_account_id: Set(leader),
        name_kk: Set(f.name_kk.trim().into()),
        name_ru: Set(f.name_ru.trim().into()),
        name_en: Set(f.name_en.trim().into()),
        description_kk: Set(f.description_kk.trim().into()),
        description_ru: Set(f.description_ru.trim().into()),
        description_en: Set(f.description_en.trim().into()),
        direction: Set(direction),
        weekday: Set(f.weekday as i16),
        starts_min: Set(starts_min),
        duration_minutes: Set(minutes as i32),
        term_start: Set(term_start),
        term_end: Set(term_end),
        capacity: Set(f.capacity as i32),
        min_age: Set(f.min_age as i32),
        max_age: Set(f.max_age as i32),
        anonymous: Set(f.anonymous),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    club_session::Entity::insert_many(dates.iter().map(|(d, meets)| {
        let a = crate::domain::slots::local_to_utc(ctx.tz, *d, starts_min);
        club_session::ActiveModel {
            club_id: Set(c.id),
            space_id: Set(s.id),
            starts_at: Set(a),
            ends_at: Set(a + Duration::minutes(minutes)),
            cancelled_at: Set((!meets).then_some(now)),
            cancel_reason: Set(None),
            anonymous_count: Set(None),
            ..Default::default()
        }
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(c.id)
}
