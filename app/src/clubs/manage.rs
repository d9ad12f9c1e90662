//! Setting up a club: the form's choices, checking what was entered, and
//! creating the club with its weekly sessions.

use super::dto::*;
use super::roster::MAX_HEAD_COUNT;
use super::service::invalid;
use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::centers::directions::DirectionBook;
use crate::centers::occupancy::ensure_space_free;
use crate::centers::service::load_space;
use crate::domain::clubs::{self as rules};
use crate::domain::direction::Direction;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{self, account, club, club_session, person, space};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

/// Longest club meeting or event, in minutes.
pub const MAX_MINUTES: u32 = 8 * 60;

/// Longest club term, in days.
pub const MAX_TERM_DAYS: i64 = 366;

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
    let directions = crate::centers::directions::DirectionBook::load(db)
        .await?
        .options(l, None);
    Ok(FormOptionsDto {
        centers,
        leaders,
        directions,
    })
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

/// What club and event forms share: names and descriptions (kk, ru, en),
/// direction, local start time and length. Gives the direction, the start
/// in minutes after midnight and the length in minutes.
pub fn check_basics(
    book: &DirectionBook,
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
        book.check(direction, "direction", None)?,
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
    let book = crate::centers::directions::DirectionBook::load(db).await?;
    let (direction, starts_min, minutes) = check_basics(
        &book,
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
    // A deactivated center takes no new activities.
    crate::centers::service::ensure_active(&txn, s.center_id, "space_id").await?;
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
