//! Clubs: creating one with its term of weekly sessions, joining and leaving
//! with a first-come waitlist, club passes, rosters and attendance, anonymous
//! head counts, and cancelling a session with notice to the members.

use crate::domain::codes::ClubPlace;
use crate::model::club::name_of;
use std::collections::{HashMap, HashSet};

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
use crate::centers::service::center_tz;
use crate::domain::clubs::{self as rules, AgeMiss, Placement};
use crate::domain::pass::PassKind;
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{
    self, account, center, club, club_attendance, club_member, club_session, person, space,
};
use crate::passes::service::PassLink;
use crate::state::PassKeyRing;

pub(super) fn invalid(field: &str, problem: Problem) -> AppError {
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

pub(super) async fn club_or_404<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<club::Model, AppError> {
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

#[allow(clippy::too_many_arguments)]
fn club_dto(
    c: &club::Model,
    center: &center::Model,
    space_name: String,
    (leader, direction): (Option<String>, String),
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
        direction,
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
    directions: crate::centers::directions::DirectionBook,
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
        directions: crate::centers::directions::DirectionBook::load(db).await?,
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
            (
                c.leader_account_id
                    .and_then(|a| self.leaders.get(&a).cloned()),
                self.directions.name(c.direction.as_str(), l),
            ),
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

pub(super) async fn sessions_of<C: ConnectionTrait>(
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
    holidays: &crate::domain::holidays::HolidayCalendar,
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
    if let Some(h) = holidays.holiday(day) {
        return Ok(Some(crate::i18n::holiday_name(l, h).to_string()));
    }
    Ok(crate::model::closure::Entity::find()
        .filter(crate::model::closure::Column::CenterId.eq(center_id))
        .filter(crate::model::closure::Column::Day.eq(day))
        .one(db)
        .await?
        .map(|c| c.reason))
}

pub(super) async fn session_dtos<C: ConnectionTrait>(
    db: &C,
    sessions: &[club_session::Model],
    tz: Tz,
    center_id: i32,
    attended: Option<&HashSet<i32>>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<SessionDto>, AppError> {
    let mut out = Vec::with_capacity(sessions.len());
    let holidays = crate::centers::calendar::load(db).await?;
    for s in sessions {
        let past = s.ends_at <= now;
        out.push(SessionDto {
            id: s.id,
            label: when_label(l, tz, s.starts_at, s.ends_at),
            past,
            cancelled: s.cancelled_at.is_some(),
            cancel_reason: cancel_reason(db, &holidays, s, tz, center_id, l).await?,
            attended: attended
                .filter(|_| past && s.cancelled_at.is_none())
                .map(|a| a.contains(&s.id)),
        });
    }
    Ok(out)
}

/// Attended and held sessions and streaks of one member, counted over the
/// held sessions since they joined.
pub(super) fn history(
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
        can_edit: can && viewer.is_some_and(|u| u.role.can_report()),
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
pub(super) async fn lock_club<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<club::Model, AppError> {
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
pub(super) async fn issue_club_pass<C: ConnectionTrait>(
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

pub(super) async fn revoke_club_pass<C: ConnectionTrait>(
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
    // A deactivated center takes no new members or registrations.
    crate::centers::service::ensure_active_center(&center, "club_id")?;
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
            a.status = Set(status);
            a.queued_at = Set(now);
            a.joined_at = Set(joined_at);
            a.left_at = Set(None);
            a.update(&txn).await?;
        }
        None => {
            club_member::ActiveModel {
                club_id: Set(c.id),
                person_id: Set(user.person_id),
                status: Set(status),
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
/// who gets a pass and a notice. Returns the place that was left.
pub async fn leave(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    club_id: i32,
    now: DateTime<Utc>,
) -> Result<ClubPlace, AppError> {
    let txn = model::begin_write(db).await?;
    let c = lock_club(&txn, club_id).await?;
    let m = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(c.id))
        .filter(club_member::Column::PersonId.eq(user.person_id))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = m.status;
    let mut a = m.into_active_model();
    a.status = Set(ClubPlace::Left);
    a.left_at = Set(Some(now));
    a.update(&txn).await?;
    revoke_club_pass(&txn, c.id, user.person_id, now).await?;
    promote(&txn, keys, &c, now).await?;
    txn.commit().await?;
    Ok(was)
}

/// Fill free places from the waitlist, first come first served (inside the
/// transaction that holds the club's lock).
pub(super) async fn promote<C: ConnectionTrait>(
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
