//! The history of existing centers: closures, weekly clubs with their
//! attendance, and the bookings of every space on every open day.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};

use app::centers::service::{center_tz, rules_of};
use app::domain::direction::Direction;
use app::domain::holidays::HolidayCalendar;
use app::domain::slots::local_to_utc;
use app::model::{
    center, closure, club, club_attendance, club_member, club_session, opening_hours, space,
};

use super::writer::{Member, Writer};

/// How busy a center is at a local hour: quiet mornings, busy after school
/// and work, busier on Saturdays, quieter in the summer holidays.
fn demand(day: NaiveDate, minute: i32, size: f64) -> f64 {
    let hour = minute / 60;
    let by_hour = match hour {
        ..=10 => 0.25,
        11..=13 => 0.4,
        14..=16 => 0.6,
        _ => 0.75,
    };
    let by_day = match day.weekday() {
        Weekday::Sat => 1.2,
        Weekday::Sun => 0.8,
        _ => 1.0,
    };
    let by_month = match day.month() {
        6..=8 => 0.75,
        12 | 1 => 0.9,
        _ => 1.0,
    };
    (by_hour * by_day * by_month * size).min(0.95)
}

/// Bookings of one space on one open day (local minutes `opens..closes`),
/// avoiding `blocked` (club sessions) and never over capacity.
#[allow(clippy::too_many_arguments)]
async fn day_of_space(
    w: &mut Writer<'_>,
    c: &center::Model,
    s: &space::Model,
    members: &[Member],
    day: NaiveDate,
    (opens, closes): (i32, i32),
    blocked: &[(i32, i32)],
    size: f64,
    desk: i32,
) -> Result<(), DbErr> {
    let tz = center_tz(c);
    let rules = rules_of(s);
    let durations = rules.durations();
    let slot = s.slot_minutes.max(15);
    let free = |a: i32, b: i32| blocked.iter().all(|(x, y)| b <= *x || a >= *y);
    if rules.units(2) > 1 {
        // A seat pool: people arrive through the day, each takes a seat for
        // one to three slots; seats in use never exceed the capacity.
        let slots = ((closes - opens) / slot).max(0) as usize;
        let mut used = vec![0i32; slots];
        for i in 0..slots {
            let t = opens + i as i32 * slot;
            let arrivals =
                (f64::from(s.capacity) * demand(day, t, size) * 0.9 * w.rng.gen_range(0.6..1.4))
                    .round() as usize;
            for _ in 0..arrivals {
                // Mostly a slot or two at a desk.
                let len = durations[w.rng.gen_range(0..durations.len().min(2))];
                let n = (len / slot) as usize;
                if i + n > slots || used[i..i + n].iter().any(|u| *u >= s.capacity) {
                    continue;
                }
                let starts = local_to_utc(tz, day, t);
                let Some(who) = w.pick(members, starts) else {
                    continue;
                };
                for u in &mut used[i..i + n] {
                    *u += 1;
                }
                let ends = starts + Duration::minutes(i64::from(len));
                w.booking(c, s, who, starts, ends, 1, desk, tz).await?;
            }
        }
    } else {
        // A room taken whole: walk the day, book or skip each slot.
        let mut t = opens;
        while t + durations[0] <= closes {
            if w.rng.gen_bool(demand(day, t, size)) {
                let mut len = durations[w.rng.gen_range(0..durations.len().min(3))];
                if t + len > closes {
                    len = durations[0];
                }
                if free(t, t + len) {
                    let starts = local_to_utc(tz, day, t);
                    if let Some(who) = w.pick(members, starts) {
                        let ends = starts + Duration::minutes(i64::from(len));
                        let party = w.rng.gen_range(1..=s.max_party.clamp(1, 4));
                        w.booking(c, s, who, starts, ends, party, desk, tz).await?;
                        t += len + s.buffer_minutes;
                        continue;
                    }
                }
            }
            t += slot;
        }
    }
    Ok(())
}

/// A weekly club in a center's lecture hall for the whole history, with
/// members and attendance ticked on the roster.
#[allow(clippy::too_many_arguments)]
async fn club_history(
    w: &mut Writer<'_>,
    c: &center::Model,
    hall: &space::Model,
    leader: i32,
    members: &[Member],
    (weekday, starts_min, minutes): (Weekday, i32, i32),
    names: [&str; 3],
    direction: Direction,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let tz = center_tz(c);
    let k = club::ActiveModel {
        center_id: Set(c.id),
        space_id: Set(hall.id),
        leader_account_id: Set(Some(leader)),
        name_kk: Set(names[0].into()),
        name_ru: Set(names[1].into()),
        name_en: Set(names[2].into()),
        description_kk: Set(String::new()),
        description_ru: Set(String::new()),
        description_en: Set(String::new()),
        direction: Set(direction),
        weekday: Set(weekday.num_days_from_monday() as i16),
        starts_min: Set(starts_min),
        duration_minutes: Set(minutes),
        term_start: Set(first),
        term_end: Set(last),
        capacity: Set(20),
        min_age: Set(0),
        max_age: Set(0),
        anonymous: Set(false),
        active: Set(true),
        created_at: Set(local_to_utc(tz, first, 9 * 60)),
        ..Default::default()
    }
    .insert(w.txn)
    .await?;
    let joined = local_to_utc(tz, first, 9 * 60);
    let mut roster = Vec::new();
    // Only members registered before the term can join: with fewer of them
    // than 15 the roster takes them all (counting every member here looped
    // for ever on a small region).
    let eligible = members.partition_point(|m| m.registered < joined);
    while roster.len() < 15.min(eligible) {
        if let Some(m) = w.pick(members, joined) {
            if roster.iter().all(|r: &Member| r.person != m.person) {
                roster.push(m);
            }
        } else {
            break;
        }
    }
    for m in &roster {
        let id = w.ids.club_member;
        w.ids.club_member += 1;
        w.club_members.push(club_member::ActiveModel {
            id: Set(id),
            club_id: Set(k.id),
            person_id: Set(m.person),
            status: Set(app::domain::codes::ClubPlace::Member),
            queued_at: Set(joined),
            joined_at: Set(Some(joined)),
            left_at: Set(None),
        });
    }
    let mut day = first;
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    while day <= last {
        let starts = local_to_utc(tz, day, starts_min);
        let ends = starts + Duration::minutes(i64::from(minutes));
        let sid = w.ids.session;
        w.ids.session += 1;
        let cancelled = closed(day);
        w.sessions.push(club_session::ActiveModel {
            id: Set(sid),
            club_id: Set(k.id),
            space_id: Set(hall.id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            cancelled_at: Set(cancelled.then_some(starts - Duration::days(3))),
            cancel_reason: Set(cancelled.then(|| "Орталық жабық / Центр закрыт".into())),
            anonymous_count: Set(None),
        });
        w.counts.club_sessions += 1;
        w.tick().await?;
        if !cancelled && ends < now {
            for m in &roster {
                if w.rng.gen_bool(0.7) {
                    let id = w.ids.attendance;
                    w.ids.attendance += 1;
                    w.attendance.push(club_attendance::ActiveModel {
                        id: Set(id),
                        session_id: Set(sid),
                        person_id: Set(m.person),
                        marked_at: Set(starts + Duration::minutes(5)),
                        marked_by: Set(leader),
                        via: Set(app::domain::codes::AttendanceVia::Roster),
                    });
                    w.counts.club_attendance += 1;
                }
            }
        }
        day += Duration::days(7);
    }
    Ok(())
}

/// The activity of existing centers over `first..=last`: members, bookings
/// with passes, check-ins, no-shows and cancellations, closures, and two
/// weekly clubs per center (`with_clubs`).
#[allow(clippy::too_many_arguments)]
pub(super) async fn activity(
    w: &mut Writer<'_>,
    centers: &[(center::Model, i32)],
    members_per_center: usize,
    (first, last): (NaiveDate, NaiveDate),
    with_clubs: bool,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let days = u32::try_from((last - first).num_days() + 1).unwrap_or(0);
    // The region's holidays, read once from the calendar table.
    let holidays = app::centers::calendar::load(w.txn)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    for (i, (c, desk)) in centers.iter().enumerate() {
        let desk = *desk;
        // The regional center is the busiest; districts vary.
        let size = if i == 0 {
            1.0
        } else {
            0.45 + 0.4 * w.rng.gen::<f64>()
        };
        let hours = opening_hours_of(w.txn, c.id).await?;
        let spaces = space::Entity::find()
            .filter(space::Column::CenterId.eq(c.id))
            .filter(space::Column::Active.eq(true))
            .all(w.txn)
            .await?;
        let members = w
            .members(c.id, members_per_center, first, days, password_hash)
            .await?;
        let closures = quarterly_closures(w.txn, c, desk, &holidays, (first, last)).await?;
        let closed = |d: NaiveDate| holidays.is_holiday(d) || closures.contains(&d);
        // Clubs meet in the lecture hall (a small center: the meeting
        // room) in the evening; bookings there keep clear of them.
        use app::domain::space::SpaceKind;
        let hall = spaces
            .iter()
            .find(|s| s.kind == SpaceKind::LectureHall)
            .or_else(|| spaces.iter().find(|s| s.kind == SpaceKind::MeetingRoom));
        let club_blocks = match (with_clubs, hall) {
            (true, Some(hall)) => {
                weekly_clubs(
                    w,
                    c,
                    hall,
                    desk,
                    &members,
                    &hours,
                    (first, last),
                    &closed,
                    now,
                )
                .await?
            }
            _ => HashMap::new(),
        };
        bookings_by_day(
            w,
            c,
            &spaces,
            hall,
            &members,
            &hours,
            &club_blocks,
            (first, last),
            &closed,
            size,
            desk,
        )
        .await?;
    }
    Ok(())
}

/// A center's opening hours: weekday (0 = Monday) to (opens, closes) in
/// minutes after midnight.
async fn opening_hours_of(
    txn: &DatabaseTransaction,
    center_id: i32,
) -> Result<HashMap<u32, (i32, i32)>, DbErr> {
    let hours: HashMap<u32, (i32, i32)> = opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|h| (h.weekday as u32, (h.opens_min, h.closes_min)))
        .collect();
    Ok(hours)
}

/// A sanitary day each quarter, on the first Friday it is open. Returns the
/// days closed.
async fn quarterly_closures(
    txn: &DatabaseTransaction,
    c: &center::Model,
    desk: i32,
    holidays: &HolidayCalendar,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<Vec<NaiveDate>, DbErr> {
    let tz = center_tz(c);
    let mut closures = Vec::new();
    let mut d = first;
    while d <= last {
        if d.weekday() == Weekday::Fri
            && d.day() <= 7
            && matches!(d.month(), 1 | 4 | 7 | 10)
            && !holidays.is_holiday(d)
        {
            closure::ActiveModel {
                center_id: Set(c.id),
                day: Set(d),
                reason: Set("Санитарлық күн / Санитарный день".into()),
                created_by: Set(desk),
                created_at: Set(local_to_utc(tz, d - Duration::days(14), 10 * 60)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            closures.push(d);
        }
        d += Duration::days(1);
    }
    Ok(closures)
}

/// Two weekly evening clubs in the lecture hall, each ending half an hour
/// before closing. Returns the (start, end) minutes they block by weekday.
#[allow(clippy::too_many_arguments)]
async fn weekly_clubs(
    w: &mut Writer<'_>,
    c: &center::Model,
    hall: &space::Model,
    desk: i32,
    members: &[Member],
    hours: &HashMap<u32, (i32, i32)>,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    now: DateTime<Utc>,
) -> Result<HashMap<u32, (i32, i32)>, DbErr> {
    let mut club_blocks: HashMap<u32, (i32, i32)> = HashMap::new();
    let plan: [(Weekday, [&str; 3], Direction); 2] = [
        (
            Weekday::Tue,
            [
                "Шешендік өнер клубы",
                "Клуб ораторского искусства",
                "Public speaking club",
            ],
            Direction::of("culture"),
        ),
        (
            Weekday::Thu,
            [
                "Жас кәсіпкерлер клубы",
                "Клуб молодых предпринимателей",
                "Young entrepreneurs club",
            ],
            Direction::of("entrepreneurship"),
        ),
    ];
    for (weekday, names, direction) in plan {
        let Some(&(_, closes)) = hours.get(&weekday.num_days_from_monday()) else {
            continue;
        };
        let start = closes - 120;
        club_blocks.insert(weekday.num_days_from_monday(), (start, start + 90));
        club_history(
            w,
            c,
            hall,
            desk,
            members,
            (weekday, start, 90),
            names,
            direction,
            (first, last),
            closed,
            now,
        )
        .await?;
    }
    Ok(club_blocks)
}

/// Bookings of every space on every open day of `first..=last`; the
/// lecture hall keeps clear of the clubs and takes a few daytime bookings.
#[allow(clippy::too_many_arguments)]
async fn bookings_by_day(
    w: &mut Writer<'_>,
    c: &center::Model,
    spaces: &[space::Model],
    hall: Option<&space::Model>,
    members: &[Member],
    hours: &HashMap<u32, (i32, i32)>,
    club_blocks: &HashMap<u32, (i32, i32)>,
    (first, last): (NaiveDate, NaiveDate),
    closed: &dyn Fn(NaiveDate) -> bool,
    size: f64,
    desk: i32,
) -> Result<(), DbErr> {
    let mut day = first;
    while day <= last {
        let wd = day.weekday().num_days_from_monday();
        if let (false, Some(&open)) = (closed(day), hours.get(&wd)) {
            for s in spaces {
                let is_hall = Some(s.id) == hall.map(|h| h.id);
                // Halls host events and clubs: a few daytime bookings.
                let blocked: Vec<(i32, i32)> = if is_hall {
                    club_blocks.get(&wd).copied().into_iter().collect()
                } else {
                    Vec::new()
                };
                let s_size = if is_hall { size * 0.3 } else { size };
                day_of_space(w, c, s, members, day, open, &blocked, s_size, desk).await?;
            }
        }
        day += Duration::days(1);
    }
    Ok(())
}
