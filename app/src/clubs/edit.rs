//! Changing a club after creation (director of its center, admin): names,
//! leader, direction, capacity, ages, its weekly day, time, length and room
//! (the future sessions follow), the end of its term; moving one session;
//! cancelling the whole club. Members are told of every change of time or
//! room, and of a cancellation, in their own language.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::edit_dto::*;
use super::manage::{check_names, managed_space, MAX_MINUTES, MAX_TERM_DAYS};
use super::roster::{MAX_HEAD_COUNT, MAX_REASON};
use super::service::{
    club_or_404, invalid, issue_club_pass, lock_club, promote, revoke_club_pass, sessions_of,
    when_label,
};
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::directions::DirectionBook;
use crate::centers::occupancy_moves::{ensure_free_except, Own};
use crate::centers::service::{center_tz, load_space, SpaceCtx};
use crate::domain::clubs as rules;
use crate::domain::codes::{AuditKind, ClubPlace, NoticeKind};
use crate::domain::slots::local_to_utc;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, account, center, club, club_attendance, club_member, club_session};
use crate::notify::changes::{self, tell};
use crate::state::PassKeyRing;

/// The club a director of its center or an admin may change.
async fn editable<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    club: club::Model,
) -> Result<club::Model, AppError> {
    user.require(|r| r.can_report())?;
    if !staff_covers(db, user, club.center_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(club)
}

fn hhmm_of(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The members (with a place) of a club.
async fn member_ids<C: ConnectionTrait>(
    db: &C,
    club_id: i32,
    places: &[ClubPlace],
) -> Result<Vec<i32>, AppError> {
    Ok(club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(club_id))
        .filter(club_member::Column::Status.is_in(places.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect())
}

/// The club's edit page: its values, the rooms of its center, leaders,
/// directions and its upcoming sessions.
pub async fn edit_data(
    db: &DatabaseConnection,
    user: &CurrentUser,
    club_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ClubEditDto, AppError> {
    let c = editable(db, user, club_or_404(db, club_id).await?).await?;
    let center = center::Entity::find_by_id(c.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&center);
    let options = super::manage::form_options(db, user, l).await?;
    let spaces = options
        .centers
        .into_iter()
        .find(|x| x.id == c.center_id)
        .map(|x| x.spaces)
        .unwrap_or_default();
    let members = member_ids(db, c.id, &[ClubPlace::Member]).await?.len() as u32;
    let sessions = sessions_of(db, c.id)
        .await?
        .into_iter()
        .filter(|s| s.starts_at > now && s.cancelled_at.is_none())
        .map(|s| {
            let local = s.starts_at.with_timezone(&tz);
            MovableSessionDto {
                id: s.id,
                label: when_label(l, tz, s.starts_at, s.ends_at),
                date: local.format("%Y-%m-%d").to_string(),
                start_time: local.format("%H:%M").to_string(),
                space_id: s.space_id,
            }
        })
        .collect();
    Ok(ClubEditDto {
        id: c.id,
        name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
        anonymous: c.anonymous,
        members,
        form: ClubEditForm {
            leader_account_id: c.leader_account_id.unwrap_or(0),
            name_kk: c.name_kk.clone(),
            name_ru: c.name_ru.clone(),
            name_en: c.name_en.clone(),
            description_kk: c.description_kk.clone(),
            description_ru: c.description_ru.clone(),
            description_en: c.description_en.clone(),
            direction: c.direction.as_str().to_string(),
            space_id: c.space_id,
            weekday: c.weekday.max(0) as u32,
            start_time: hhmm_of(c.starts_min),
            duration_minutes: c.duration_minutes.max(0) as u32,
            term_end: c.term_end.format("%Y-%m-%d").to_string(),
            capacity: c.capacity.max(0) as u32,
            min_age: c.min_age.max(0) as u32,
            max_age: c.max_age.max(0) as u32,
        },
        spaces,
        leaders: options.leaders,
        directions: DirectionBook::load(db)
            .await?
            .options(l, Some(c.direction.as_str())),
        sessions,
    })
}

/// What the form asks for, checked before anything is written.
struct Checked {
    starts_min: i32,
    minutes: i64,
    term_end: NaiveDate,
}

fn check_form(f: &ClubEditForm) -> Result<Checked, AppError> {
    check_names(
        [
            ("name_kk", &f.name_kk),
            ("name_ru", &f.name_ru),
            ("name_en", &f.name_en),
        ],
        [
            ("description_kk", &f.description_kk),
            ("description_ru", &f.description_ru),
            ("description_en", &f.description_en),
        ],
    )?;
    if f.weekday > 6 {
        return Err(invalid("weekday", Problem::Range));
    }
    let starts_min = crate::centers::dto::parse_hhmm(&f.start_time)
        .ok_or_else(|| invalid("start_time", Problem::Time))?;
    if !(15..=MAX_MINUTES).contains(&f.duration_minutes) {
        return Err(invalid("duration_minutes", Problem::Range));
    }
    let term_end = crate::error::form_date("term_end", &f.term_end)?;
    if f.max_age > 0 && f.min_age > f.max_age || f.min_age > 35 || f.max_age > 35 {
        return Err(invalid("max_age", Problem::Range));
    }
    Ok(Checked {
        starts_min,
        minutes: i64::from(f.duration_minutes),
        term_end,
    })
}

/// The new weekly plan of a club from today to the end of its term.
struct Plan<'a> {
    ctx: &'a SpaceCtx,
    weekday: u32,
    starts_min: i32,
    minutes: i64,
    term_end: NaiveDate,
}

/// Move the club's future sessions to the new day, time, length and room
/// (one per week, matched by week), add the weeks a longer term brings and
/// remove those past a shorter one. Holidays and closures stay cancelled;
/// so do sessions staff cancelled with a reason. Refused, with nothing
/// written, when a meeting would fall outside opening hours or collide
/// with anything else in the room.
async fn reschedule<C: ConnectionTrait>(
    db: &C,
    c: &club::Model,
    plan: &Plan<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let ctx = plan.ctx;
    let tz = ctx.tz;
    let today = now.with_timezone(&tz).date_naive();
    let week = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let mut existing: HashMap<NaiveDate, club_session::Model> = sessions_of(db, c.id)
        .await?
        .into_iter()
        .filter(|s| s.starts_at > now)
        .map(|s| (week(s.starts_at.with_timezone(&tz).date_naive()), s))
        .collect();
    let dates = rules::session_dates(c.term_start.max(today), plan.term_end, plan.weekday, |d| {
        ctx.hours_on(d).is_none()
    });
    // (session to update or none, start, end, cancelled)
    let mut steps = Vec::new();
    for (d, meets) in dates {
        let a = local_to_utc(tz, d, plan.starts_min);
        if a <= now {
            continue;
        }
        let old = existing.remove(&week(d));
        let kept_cancelled = old
            .as_ref()
            .is_some_and(|s| s.cancelled_at.is_some() && s.cancel_reason.is_some());
        let meets = meets && !kept_cancelled;
        if meets {
            let h = ctx.hours_on(d).ok_or(AppError::Internal)?;
            if plan.starts_min < h.opens_min
                || i64::from(plan.starts_min) + plan.minutes > i64::from(h.closes_min)
            {
                return Err(invalid("start_time", Problem::Range));
            }
        }
        steps.push((old, a, a + Duration::minutes(plan.minutes), meets));
    }
    let meetings: Vec<_> = steps.iter().filter(|s| s.3).map(|s| (s.1, s.2)).collect();
    ensure_free_except(
        db,
        ctx.space.id,
        &meetings,
        tz,
        Own {
            club_id: Some(c.id),
            event_id: None,
        },
    )
    .await?;
    for (old, a, b, meets) in steps {
        match old {
            Some(s) => {
                let was_cancelled = s.cancelled_at;
                let keep_reason = s.cancel_reason.clone();
                let mut m = s.into_active_model();
                m.space_id = Set(ctx.space.id);
                m.starts_at = Set(a);
                m.ends_at = Set(b);
                if meets {
                    m.cancelled_at = Set(None);
                    m.cancel_reason = Set(None);
                } else {
                    m.cancelled_at = Set(was_cancelled.or(Some(now)));
                    m.cancel_reason = Set(keep_reason);
                }
                m.update(db).await?;
            }
            None => {
                club_session::ActiveModel {
                    club_id: Set(c.id),
                    space_id: Set(ctx.space.id),
                    starts_at: Set(a),
                    ends_at: Set(b),
                    cancelled_at: Set((!meets).then_some(now)),
                    cancel_reason: Set(None),
                    anonymous_count: Set(None),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    // Weeks the new plan no longer has (a shorter term): nobody attended
    // a session still to come.
    let gone: Vec<i32> = existing.values().map(|s| s.id).collect();
    if !gone.is_empty() {
        club_attendance::Entity::delete_many()
            .filter(club_attendance::Column::SessionId.is_in(gone.clone()))
            .exec(db)
            .await?;
        club_session::Entity::delete_many()
            .filter(club_session::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Check the leader is a mentor account (0: none).
async fn leader_of<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<i32>, AppError> {
    if id <= 0 {
        return Ok(None);
    }
    let ok = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|a| a.role == crate::domain::people::Role::Mentor);
    if ok {
        Ok(Some(id))
    } else {
        Err(invalid("leader_account_id", Problem::Required))
    }
}

/// Save a club's changes. A new day, time, length or room moves the future
/// sessions (collisions refused as at creation) and every member is told;
/// more places go to the waitlist first in line; fewer places than members
/// is refused.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    club_id: i32,
    f: &ClubEditForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Who may, before what is wrong with the form.
    editable(db, user, club_or_404(db, club_id).await?).await?;
    let checked = check_form(f)?;
    let book = DirectionBook::load(db).await?;
    let txn = model::begin_write(db).await?;
    let c = editable(&txn, user, lock_club(&txn, club_id).await?).await?;
    let direction = book.check(&f.direction, "direction", Some(c.direction.as_str()))?;
    let most = if c.anonymous { MAX_HEAD_COUNT } else { 200 };
    if !(1..=most).contains(&f.capacity) {
        return Err(invalid("capacity", Problem::Range));
    }
    let leader = leader_of(&txn, f.leader_account_id).await?;
    let room = managed_space(&txn, user, f.space_id).await?;
    if room.center_id != c.center_id {
        return Err(invalid("space_id", Problem::Required));
    }
    let ctx = load_space(&txn, room).await?;
    let today = now.with_timezone(&ctx.tz).date_naive();
    if checked.term_end < c.term_start
        || checked.term_end < today
        || (checked.term_end - c.term_start).num_days() > MAX_TERM_DAYS
    {
        return Err(invalid("term_end", Problem::Range));
    }
    let members = member_ids(&txn, c.id, &[ClubPlace::Member]).await?;
    if !c.anonymous && (f.capacity as usize) < members.len() {
        return Err(invalid("capacity", Problem::BelowBooked));
    }
    let moved = f.weekday as i16 != c.weekday
        || checked.starts_min != c.starts_min
        || checked.minutes != i64::from(c.duration_minutes)
        || ctx.space.id != c.space_id;
    let term_changed = checked.term_end != c.term_end;
    if moved || term_changed {
        let plan = Plan {
            ctx: &ctx,
            weekday: f.weekday,
            starts_min: checked.starts_min,
            minutes: checked.minutes,
            term_end: checked.term_end,
        };
        reschedule(&txn, &c, &plan, now).await?;
    }
    let more = f.capacity as i32 > c.capacity;
    let mut m = c.clone().into_active_model();
    m.leader_account_id = Set(leader);
    m.name_kk = Set(f.name_kk.trim().into());
    m.name_ru = Set(f.name_ru.trim().into());
    m.name_en = Set(f.name_en.trim().into());
    m.description_kk = Set(f.description_kk.trim().into());
    m.description_ru = Set(f.description_ru.trim().into());
    m.description_en = Set(f.description_en.trim().into());
    m.direction = Set(direction);
    m.space_id = Set(ctx.space.id);
    m.weekday = Set(f.weekday as i16);
    m.starts_min = Set(checked.starts_min);
    m.duration_minutes = Set(checked.minutes as i32);
    m.term_end = Set(checked.term_end);
    m.capacity = Set(f.capacity as i32);
    m.min_age = Set(f.min_age as i32);
    m.max_age = Set(f.max_age as i32);
    let updated = m.update(&txn).await?;
    if term_changed {
        // A club pass is valid for the term: passes follow its new end.
        for p in &members {
            revoke_club_pass(&txn, c.id, *p, now).await?;
            issue_club_pass(&txn, keys, &updated, *p, ctx.tz, now).await?;
        }
    }
    if more {
        promote(&txn, keys, &updated, now).await?;
    }
    let told = if moved {
        tell(&members, NoticeKind::ClubChanged, c.id, None)
    } else {
        Vec::new()
    };
    changes::store(&txn, &told, c.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.center_id),
        AuditKind::ActivityChanged,
        format!("club {}", c.id),
        format!(
            "{}; capacity {}; {} members told",
            f.name_en.trim(),
            f.capacity,
            told.len()
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Move one upcoming session to another date, time or room of the club's
/// center (the same length); the members are told.
#[allow(clippy::too_many_arguments)]
pub async fn move_session(
    db: &DatabaseConnection,
    user: &CurrentUser,
    session_id: i32,
    date: &str,
    start_time: &str,
    space_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user.require(|r| r.can_report())?;
    let txn = model::begin_write(db).await?;
    let s = club_session::Entity::find_by_id(session_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = editable(&txn, user, lock_club(&txn, s.club_id).await?).await?;
    let day = crate::error::form_date("date", date)?;
    let starts_min = crate::centers::dto::parse_hhmm(start_time)
        .ok_or_else(|| invalid("start_time", Problem::Time))?;
    if s.cancelled_at.is_some() || s.starts_at <= now {
        return Err(AppError::BookingClosed);
    }
    let room = managed_space(&txn, user, space_id).await?;
    if room.center_id != c.center_id {
        return Err(invalid("space_id", Problem::Required));
    }
    let ctx = load_space(&txn, room).await?;
    let a = local_to_utc(ctx.tz, day, starts_min);
    let b = a + (s.ends_at - s.starts_at);
    if a <= now {
        return Err(AppError::SlotInPast);
    }
    let Some(h) = ctx.hours_on(day) else {
        return Err(AppError::SlotNotOffered);
    };
    let minutes = (b - a).num_minutes();
    if starts_min < h.opens_min || i64::from(starts_min) + minutes > i64::from(h.closes_min) {
        return Err(AppError::SlotNotOffered);
    }
    if a == s.starts_at && ctx.space.id == s.space_id {
        return Ok(());
    }
    ensure_free_except(
        &txn,
        ctx.space.id,
        &[(a, b)],
        ctx.tz,
        Own {
            club_id: Some(c.id),
            event_id: None,
        },
    )
    .await?;
    let old = s.starts_at;
    let mut m = s.into_active_model();
    m.starts_at = Set(a);
    m.ends_at = Set(b);
    m.space_id = Set(ctx.space.id);
    m.update(&txn).await?;
    let members = member_ids(&txn, c.id, &[ClubPlace::Member]).await?;
    let told = tell(
        &members,
        NoticeKind::SessionMoved,
        session_id,
        Some(changes::old_start(old)),
    );
    changes::store(&txn, &told, c.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.center_id),
        AuditKind::ActivityChanged,
        format!("club {} session {session_id}", c.id),
        format!("moved from {old} to {a}, space {}", ctx.space.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancel a whole club: its future sessions are cancelled with the reason
/// (the room is free again), the club passes stop working and every member
/// and everyone waiting is told. Needs the confirmation ticked.
pub async fn cancel_club(
    db: &DatabaseConnection,
    user: &CurrentUser,
    club_id: i32,
    reason: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    editable(db, user, club_or_404(db, club_id).await?).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(invalid("reason", Problem::TooLong));
    }
    if !confirm {
        return Err(invalid("confirm", Problem::Required));
    }
    let txn = model::begin_write(db).await?;
    let c = editable(&txn, user, lock_club(&txn, club_id).await?).await?;
    let cancelled = club_session::Entity::update_many()
        .col_expr(
            club_session::Column::CancelledAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            club_session::Column::CancelReason,
            sea_orm::sea_query::Expr::value(reason.to_string()),
        )
        .filter(club_session::Column::ClubId.eq(c.id))
        .filter(club_session::Column::StartsAt.gt(now))
        .filter(club_session::Column::CancelledAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    model::pass::Entity::update_many()
        .col_expr(
            model::pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(model::pass::Column::ClubId.eq(c.id))
        .filter(model::pass::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let mut m = c.clone().into_active_model();
    m.active = Set(false);
    m.update(&txn).await?;
    let people = member_ids(&txn, c.id, &[ClubPlace::Member, ClubPlace::Waiting]).await?;
    let told = tell(
        &people,
        NoticeKind::ClubCancelled,
        c.id,
        Some(reason.to_string()),
    );
    changes::store(&txn, &told, c.center_id, now).await?;
    crate::audit::service::record(
        &txn,
        user,
        Some(c.center_id),
        AuditKind::ActivityCancelled,
        format!("club {}", c.id),
        format!("{reason}; {cancelled} sessions cancelled"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
