//! Occupancy of one center for one local day.

use crate::access::CurrentUser;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::dto::{OccupancyDto, OccupancyRowDto};
use crate::centers::occupancy::occupants;
use crate::centers::service::{center_dto, center_tz, list_centers, load_space, space_dto};
use crate::domain::occupancy::{capacity_minutes, share};
use crate::domain::slots::{local_to_utc, Interval};
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, Locale};
use crate::model::booking::STATUS_CONFIRMED;
use crate::model::{booking, center, check_in, space};

/// Today's (center-local) occupancy per space of `center_id`.
pub async fn day_occupancy(
    db: &DatabaseConnection,
    center_id: i32,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<OccupancyDto, AppError> {
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let date = date.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
    let day = Interval::new(
        local_to_utc(tz, date, 0),
        local_to_utc(tz, date + Duration::days(1), 0),
    );
    let spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(spaces.len());
    let (mut booked_sum, mut avail_sum, mut any_open) = (0i64, 0i64, false);
    let (mut total_bookings, mut total_check_ins) = (0u64, 0u64);
    // Opening hours, holidays and closures belong to the center: load them once.
    let open = match spaces.first() {
        Some(first) => load_space(db, first.clone())
            .await?
            .hours_on(date)
            .filter(|h| h.closes_min > h.opens_min)
            .map(|h| {
                Interval::new(
                    local_to_utc(tz, date, h.opens_min),
                    local_to_utc(tz, date, h.closes_min),
                )
            }),
        None => None,
    };
    for s in spaces {
        let dto = space_dto(&s, l);
        let occ = occupants(db, &s, day.start, day.end).await?;
        let bookings = booking::Entity::find()
            .filter(booking::Column::SpaceId.eq(dto.id))
            .filter(booking::Column::Status.eq(STATUS_CONFIRMED))
            .filter(booking::Column::StartsAt.gte(day.start))
            .filter(booking::Column::StartsAt.lt(day.end))
            .count(db)
            .await?;
        let check_ins = check_in::Entity::find()
            .filter(check_in::Column::SpaceId.eq(dto.id))
            .filter(check_in::Column::ScannedAt.gte(day.start))
            .filter(check_in::Column::ScannedAt.lt(day.end))
            .count(db)
            .await?;
        let minutes = capacity_minutes(dto.capacity, open, &occ);
        if let Some((b, a)) = minutes {
            booked_sum += b;
            avail_sum += a;
            any_open = true;
        }
        total_bookings += bookings;
        total_check_ins += check_ins;
        rows.push(OccupancyRowDto {
            space_id: dto.id,
            space_name: dto.name,
            kind: dto.kind,
            capacity: dto.capacity,
            bookings,
            check_ins,
            booked_share: minutes.map(|(b, a)| share(b, a)),
        });
    }
    Ok(OccupancyDto {
        center: center_dto(&c, l),
        date: day_label(l, date),
        rows,
        total_bookings,
        total_check_ins,
        total_share: any_open.then(|| share(booked_sum, avail_sum)),
        centers: list_centers(db, l).await?,
    })
}

// ---------------------------------------------------------------------------
// Range reports (directors' dashboard, regional roll-up, exports).
// Every table is loaded once for the range and aggregated in memory in one
// pass; no query per booking. Definitions in docs/METRICS.md.

use std::collections::{HashMap, HashSet};

use super::dto::{
    ActivityRow, CenterReportDto, CountRow, DirectionRow, Headline, HeatRow, RegionalDto,
    RegionalRow, ReportQuery, SpaceReportRow,
};
use crate::centers::service::rules_of;
use crate::domain::direction::Direction;
use crate::domain::metrics::{
    add_heat, age_on, capacity_minutes_over, empty_heat, previous_period, rate, reclaimed_minutes,
    suppress, AgeBand,
};
use crate::domain::people::{Occupation, Settlement};
use crate::domain::slots::Occupant;
use crate::domain::space::SpaceKind;
use crate::i18n::pick;
use crate::model::booking::{STATUS_CANCELLED, STATUS_NO_SHOW, STATUS_PENDING};
use crate::model::{
    club, club_attendance, club_member, club_session, event, event_registration, pass, person,
    program, program_application,
};

fn bad(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// The local date range asked for, checked: `from <= to`, at most 366 days.
pub fn parse_range(q: &ReportQuery, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    let parse = |s: &Option<String>, field: &'static str| {
        crate::error::optional_form_date(field, s.as_deref())
    };
    let to = parse(&q.to, "to")?.unwrap_or(today);
    let from = parse(&q.from, "from")?.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    if from > to || (to - from).num_days() > 366 {
        return Err(bad("to", Problem::Range));
    }
    Ok((from, to))
}

/// Everything computed for one center and one range.
struct Computed {
    headline: Headline,
    spaces: Vec<SpaceReportRow>,
    heat: crate::domain::metrics::Heat,
    /// `(visits, unique visitors)` per band / settlement / occupation.
    ages: HashMap<AgeBand, (u64, HashSet<i32>)>,
    settlement: HashMap<String, HashSet<i32>>,
    occupation: HashMap<String, HashSet<i32>>,
    settlement_visits: HashMap<String, u64>,
    occupation_visits: HashMap<String, u64>,
    clubs: Vec<ActivityRow>,
    programs: Vec<ActivityRow>,
    events: Vec<ActivityRow>,
    directions: Vec<DirectionRow>,
}

fn hours(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 10.0).round() / 10.0
}

#[allow(clippy::too_many_arguments)]
async fn compute(
    db: &DatabaseConnection,
    c: &center::Model,
    from: NaiveDate,
    to: NaiveDate,
    kind: Option<SpaceKind>,
    direction: Option<Direction>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Computed, AppError> {
    let tz = center_tz(c);
    let start = local_to_utc(tz, from, 0);
    let end = local_to_utc(tz, to + Duration::days(1), 0);
    let mut spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(c.id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    if let Some(k) = kind {
        spaces.retain(|s| s.kind == k.as_str());
    }
    if let Some(d) = direction {
        spaces.retain(|s| s.direction.as_deref() == Some(d.as_str()));
    }
    let space_ids: Vec<i32> = spaces.iter().map(|s| s.id).collect();

    // Opening windows of the range (holidays and closures have none).
    let windows: Vec<Interval> = match spaces.first() {
        Some(first) => {
            let ctx = load_space(db, first.clone()).await?;
            from.iter_days()
                .take_while(|d| *d <= to)
                .filter_map(|d| {
                    ctx.hours_on(d)
                        .filter(|h| h.closes_min > h.opens_min)
                        .map(|h| {
                            Interval::new(
                                local_to_utc(tz, d, h.opens_min),
                                local_to_utc(tz, d, h.closes_min),
                            )
                        })
                })
                .collect()
        }
        None => Vec::new(),
    };

    // One query per table for the range. Bookings, passes and sessions
    // last at most a day, so each is also bounded below by its start: the
    // (…, starts_at) indexes then scan the range alone, not all history.
    let earliest = start - Duration::days(1);
    let bookings = booking::Entity::find()
        .filter(booking::Column::SpaceId.is_in(space_ids.clone()))
        .filter(booking::Column::StartsAt.gte(earliest))
        .filter(booking::Column::StartsAt.lt(end))
        .filter(booking::Column::EndsAt.gt(start))
        .all(db)
        .await?;
    let booking_passes: HashMap<i32, i32> = pass::Entity::find()
        .filter(pass::Column::CenterId.eq(c.id))
        .filter(pass::Column::BookingId.is_not_null())
        .filter(pass::Column::ValidFrom.gte(earliest))
        .filter(pass::Column::ValidFrom.lt(end))
        .filter(pass::Column::ValidUntil.gt(start))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.booking_id.map(|b| (p.id, b)))
        .collect();
    let check_ins = check_in::Entity::find()
        .filter(check_in::Column::CenterId.eq(c.id))
        .filter(check_in::Column::ScannedAt.gte(earliest))
        .filter(check_in::Column::ScannedAt.lt(end))
        .filter(check_in::Column::UndoneAt.is_null())
        .all(db)
        .await?;
    let checked_bookings: HashSet<i32> = check_ins
        .iter()
        .filter_map(|ci| booking_passes.get(&ci.pass_id).copied())
        .collect();
    let mut clubs = club::Entity::find()
        .filter(club::Column::CenterId.eq(c.id))
        .order_by_asc(club::Column::Id)
        .all(db)
        .await?;
    let mut events = event::Entity::find()
        .filter(event::Column::CenterId.eq(c.id))
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::StartsAt.lt(end))
        .filter(event::Column::EndsAt.gt(start))
        .order_by_asc(event::Column::StartsAt)
        .all(db)
        .await?;
    let mut programs = program::Entity::find()
        .filter(program::Column::CenterId.eq(c.id))
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?;
    let sessions = club_session::Entity::find()
        .filter(club_session::Column::ClubId.is_in(clubs.iter().map(|k| k.id).collect::<Vec<_>>()))
        .filter(club_session::Column::StartsAt.gte(earliest))
        .filter(club_session::Column::StartsAt.lt(end))
        .filter(club_session::Column::EndsAt.gt(start))
        .filter(club_session::Column::CancelledAt.is_null())
        .all(db)
        .await?;
    let marks = club_attendance::Entity::find()
        .filter(
            club_attendance::Column::SessionId
                .is_in(sessions.iter().map(|s| s.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let registrations = event_registration::Entity::find()
        .filter(
            event_registration::Column::EventId
                .is_in(events.iter().map(|e| e.id).collect::<Vec<_>>()),
        )
        .filter(event_registration::Column::CheckedInAt.is_not_null())
        .all(db)
        .await?;

    // Room use: bookings (a no-show only until it was recorded: the freed
    // time is not booked), club sessions and events taking the whole room.
    let mut marks_per_session: HashMap<i32, u64> = HashMap::new();
    for m in &marks {
        *marks_per_session.entry(m.session_id).or_default() += 1;
    }
    let mut event_participants: HashMap<i32, u64> = HashMap::new();
    for r in &registrations {
        *event_participants.entry(r.event_id).or_default() += 1;
    }
    let mut heat = empty_heat();
    let mut space_rows = Vec::with_capacity(spaces.len());
    let (mut used_all, mut attended_all, mut avail_all) = (0i64, 0i64, 0i64);
    let (mut n_bookings, mut n_no_show, mut n_decided, mut n_cancelled, mut n_made) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut reclaimed = 0i64;
    // Booked capacity-minutes per direction, for spaces that have one.
    let mut space_dir_minutes: HashMap<String, i64> = HashMap::new();
    for s in &spaces {
        let rules = rules_of(s);
        let mine: Vec<&booking::Model> = bookings.iter().filter(|b| b.space_id == s.id).collect();
        // Confirmed bookings by start: a no-show's freed time is looked up
        // among those near it, not among all of the space's bookings.
        let mut confirmed: Vec<(Interval, DateTime<Utc>)> = mine
            .iter()
            .filter(|o| o.status == STATUS_CONFIRMED)
            .map(|o| (Interval::new(o.starts_at, o.ends_at), o.created_at))
            .collect();
        confirmed.sort_by_key(|(iv, _)| iv.start);
        let (mut used, mut attended) = (Vec::new(), Vec::new());
        let (mut b_count, mut b_no_show, mut b_cancelled) = (0u64, 0u64, 0u64);
        for b in &mine {
            let iv = Interval::new(b.starts_at, b.ends_at);
            let units = rules.units(b.party_size);
            let starts_inside = b.starts_at >= start && b.starts_at < end;
            match b.status.as_str() {
                STATUS_CONFIRMED => {
                    used.push(Occupant {
                        interval: iv,
                        party_size: units,
                    });
                    if checked_bookings.contains(&b.id) {
                        attended.push(Occupant {
                            interval: iv,
                            party_size: units,
                        });
                    }
                    if starts_inside {
                        b_count += 1;
                        if b.starts_at < now {
                            n_decided += 1;
                        }
                    }
                }
                STATUS_NO_SHOW => {
                    let freed = b
                        .no_show_at
                        .unwrap_or(b.ends_at)
                        .clamp(b.starts_at, b.ends_at);
                    used.push(Occupant {
                        interval: Interval::new(b.starts_at, freed),
                        party_size: units,
                    });
                    // Bookings last at most a day.
                    let lo = confirmed
                        .partition_point(|(iv, _)| iv.start < b.starts_at - Duration::days(1));
                    let hi = confirmed.partition_point(|(iv, _)| iv.start < b.ends_at);
                    let later = &confirmed[lo..hi.max(lo)];
                    if starts_inside {
                        b_count += 1;
                        b_no_show += 1;
                        n_decided += 1;
                        reclaimed += reclaimed_minutes(iv, freed, later);
                    }
                }
                STATUS_CANCELLED if starts_inside => b_cancelled += 1,
                STATUS_PENDING if starts_inside => n_made += 1,
                _ => {}
            }
        }
        for se in sessions.iter().filter(|x| x.space_id == s.id) {
            let occ = Occupant {
                interval: Interval::new(se.starts_at, se.ends_at),
                party_size: s.capacity,
            };
            used.push(occ);
            if marks_per_session.contains_key(&se.id) || se.anonymous_count.unwrap_or(0) > 0 {
                attended.push(occ);
            }
        }
        for e in events.iter().filter(|x| x.space_id == s.id) {
            let occ = Occupant {
                interval: Interval::new(e.starts_at, e.ends_at),
                party_size: s.capacity,
            };
            used.push(occ);
            if event_participants.contains_key(&e.id) {
                attended.push(occ);
            }
        }
        let (u, a) = capacity_minutes_over(s.capacity, &windows, &used);
        let (at, _) = capacity_minutes_over(s.capacity, &windows, &attended);
        add_heat(&mut heat, tz, s.capacity, &windows, &used);
        if let Some(d) = &s.direction {
            *space_dir_minutes.entry(d.clone()).or_default() += u;
        }
        used_all += u;
        attended_all += at;
        avail_all += a;
        n_bookings += b_count;
        n_no_show += b_no_show;
        n_cancelled += b_cancelled;
        n_made += b_count + b_cancelled;
        space_rows.push(SpaceReportRow {
            space_id: s.id,
            name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            kind: SpaceKind::parse(&s.kind).unwrap_or(SpaceKind::Coworking),
            capacity: s.capacity,
            booked_hours: hours(u),
            attended_hours: hours(at),
            available_hours: hours(a),
            utilization: (a > 0).then(|| share(u, a)),
            attended_utilization: (a > 0).then(|| share(at, a)),
            bookings: b_count,
            no_shows: b_no_show,
            cancelled: b_cancelled,
        });
    }

    // Visits: one person on one local day at the center.
    let mut visit_days: HashSet<(i32, NaiveDate)> = HashSet::new();
    for ci in &check_ins {
        if ci.scanned_at >= start && ci.scanned_at < end {
            visit_days.insert((ci.person_id, ci.local_day));
        }
    }
    let visitor_ids: Vec<i32> = visit_days
        .iter()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut people: HashMap<i32, person::Model> = HashMap::new();
    for chunk in visitor_ids.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            people.insert(p.id, p);
        }
    }
    // New members: visitors with no visit to this center before the range.
    let mut returning: HashSet<i32> = HashSet::new();
    for chunk in visitor_ids.chunks(500) {
        returning.extend(
            check_in::Entity::find()
                .select_only()
                .column(check_in::Column::PersonId)
                .distinct()
                .filter(check_in::Column::CenterId.eq(c.id))
                .filter(check_in::Column::ScannedAt.lt(start))
                .filter(check_in::Column::UndoneAt.is_null())
                .filter(check_in::Column::PersonId.is_in(chunk.to_vec()))
                .into_tuple::<i32>()
                .all(db)
                .await?,
        );
    }
    let mut ages: HashMap<AgeBand, (u64, HashSet<i32>)> = HashMap::new();
    let mut settlement: HashMap<String, HashSet<i32>> = HashMap::new();
    let mut occupation: HashMap<String, HashSet<i32>> = HashMap::new();
    let mut settlement_visits: HashMap<String, u64> = HashMap::new();
    let mut occupation_visits: HashMap<String, u64> = HashMap::new();
    for (pid, day) in &visit_days {
        let Some(p) = people.get(pid) else { continue };
        let band = AgeBand::of(age_on(p.birth_date, *day));
        let e = ages.entry(band).or_default();
        e.0 += 1;
        e.1.insert(*pid);
        settlement
            .entry(p.settlement.clone())
            .or_default()
            .insert(*pid);
        occupation
            .entry(p.occupation.clone())
            .or_default()
            .insert(*pid);
        *settlement_visits.entry(p.settlement.clone()).or_default() += 1;
        *occupation_visits.entry(p.occupation.clone()).or_default() += 1;
    }

    // Clubs, programs, events (filtered by direction).
    if let Some(d) = direction {
        clubs.retain(|k| k.direction == d.as_str());
        programs.retain(|p| p.direction == d.as_str());
        events.retain(|e| e.direction == d.as_str());
    }
    let dir_label = |s: &str| {
        Direction::parse(s)
            .map(|d| d.label(l).to_string())
            .unwrap_or_default()
    };
    let members = club_member::Entity::find()
        .filter(club_member::Column::ClubId.is_in(clubs.iter().map(|k| k.id).collect::<Vec<_>>()))
        .filter(club_member::Column::Status.is_in(["member", "waiting"]))
        .all(db)
        .await?;
    let mut by_dir: HashMap<String, DirectionRow> = HashMap::new();
    let mut dir_row = |d: &str| -> DirectionRow {
        by_dir.remove(d).unwrap_or(DirectionRow {
            direction: d.to_string(),
            booked_hours: 0.0,
            club_attendances: 0,
            program_participants: 0,
            events_held: 0,
            event_participants: 0,
        })
    };
    let mut dir_rows: HashMap<String, DirectionRow> = HashMap::new();
    for (d, minutes) in &space_dir_minutes {
        if *minutes > 0 {
            dir_rows
                .entry(d.clone())
                .or_insert_with(|| dir_row(d))
                .booked_hours = hours(*minutes);
        }
    }
    let (mut club_marks_all, mut club_expected_all, mut waitlist_all) = (0u64, 0u64, 0u64);
    let mut club_rows = Vec::new();
    for k in &clubs {
        let held: Vec<&club_session::Model> = sessions
            .iter()
            .filter(|s| s.club_id == k.id && s.starts_at >= start && s.starts_at < now)
            .collect();
        let attendances: u64 = held
            .iter()
            .map(|s| {
                marks_per_session
                    .get(&s.id)
                    .copied()
                    .unwrap_or(0)
                    .max(s.anonymous_count.unwrap_or(0).max(0) as u64)
            })
            .sum();
        let n_members = members
            .iter()
            .filter(|m| m.club_id == k.id && m.status == "member")
            .count() as u64;
        let waiting = members
            .iter()
            .filter(|m| m.club_id == k.id && m.status == "waiting")
            .count() as u64;
        let expected = held.len() as u64 * n_members;
        if !k.anonymous {
            club_marks_all += attendances;
            club_expected_all += expected;
        }
        waitlist_all += waiting;
        if held.is_empty() && !k.active {
            continue;
        }
        let row = dir_rows
            .entry(k.direction.clone())
            .or_insert_with(|| dir_row(&k.direction));
        row.club_attendances += attendances;
        club_rows.push(ActivityRow {
            name: pick(l, &k.name_kk, &k.name_ru, &k.name_en).to_string(),
            direction: dir_label(&k.direction),
            a: held.len() as u64,
            b: attendances,
            rate: if k.anonymous {
                None
            } else {
                rate(attendances, expected)
            },
            c: n_members,
            d: waiting,
        });
    }
    let applications = program_application::Entity::find()
        .filter(
            program_application::Column::ProgramId
                .is_in(programs.iter().map(|p| p.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let (mut apps_all, mut accepted_all, mut completed_all) = (0u64, 0u64, 0u64);
    let mut program_rows = Vec::new();
    for p in &programs {
        let mine: Vec<&program_application::Model> = applications
            .iter()
            .filter(|a| a.program_id == p.id)
            .collect();
        let applied = mine
            .iter()
            .filter(|a| a.created_at >= start && a.created_at < end)
            .count() as u64;
        let accepted = mine
            .iter()
            .filter(|a| {
                a.status == "accepted" && a.decided_at.is_some_and(|t| t >= start && t < end)
            })
            .count() as u64;
        let completed = mine
            .iter()
            .filter(|a| a.completed_at.is_some_and(|t| t >= start && t < end))
            .count() as u64;
        if applied + accepted + completed == 0 {
            continue;
        }
        apps_all += applied;
        accepted_all += accepted;
        completed_all += completed;
        let row = dir_rows
            .entry(p.direction.clone())
            .or_insert_with(|| dir_row(&p.direction));
        row.program_participants += accepted;
        program_rows.push(ActivityRow {
            name: pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string(),
            direction: dir_label(&p.direction),
            a: applied,
            b: accepted,
            rate: rate(accepted, applied),
            c: completed,
            d: 0,
        });
    }
    let (mut events_held, mut participants_all) = (0u64, 0u64);
    let mut event_rows = Vec::new();
    for e in &events {
        if e.starts_at < start || e.starts_at >= now {
            continue;
        }
        let n = event_participants.get(&e.id).copied().unwrap_or(0);
        events_held += 1;
        participants_all += n;
        let row = dir_rows
            .entry(e.direction.clone())
            .or_insert_with(|| dir_row(&e.direction));
        row.events_held += 1;
        row.event_participants += n;
        event_rows.push(ActivityRow {
            name: pick(l, &e.name_kk, &e.name_ru, &e.name_en).to_string(),
            direction: dir_label(&e.direction),
            a: 1,
            b: n,
            rate: None,
            c: 0,
            d: 0,
        });
    }
    let directions = Direction::ALL
        .iter()
        .filter_map(|d| dir_rows.remove(d.as_str()))
        .map(|mut r| {
            r.direction = dir_label(&r.direction);
            r
        })
        .collect();

    let unique: HashSet<i32> = visitor_ids.iter().copied().collect();
    let headline = Headline {
        utilization: (avail_all > 0).then(|| share(used_all, avail_all)),
        attended_utilization: (avail_all > 0).then(|| share(attended_all, avail_all)),
        bookings: n_bookings,
        no_show_rate: rate(n_no_show, n_decided),
        cancellation_rate: rate(n_cancelled, n_made),
        reclaimed_hours: hours(reclaimed),
        visits: visit_days.len() as u64,
        unique_visitors: unique.len() as u64,
        new_members: unique.iter().filter(|p| !returning.contains(p)).count() as u64,
        neet_reached: occupation
            .get(Occupation::Neet.as_str())
            .map_or(0, |s| s.len() as u64),
        rural_reached: settlement
            .get(Settlement::Rural.as_str())
            .map_or(0, |s| s.len() as u64),
        club_attendance_rate: rate(club_marks_all, club_expected_all),
        waitlist: waitlist_all,
        applications: apps_all,
        accepted: accepted_all,
        completed: completed_all,
        events_held,
        event_participants: participants_all,
    };
    Ok(Computed {
        headline,
        spaces: space_rows,
        heat,
        ages,
        settlement,
        occupation,
        settlement_visits,
        occupation_visits,
        clubs: club_rows,
        programs: program_rows,
        events: event_rows,
        directions,
    })
}

fn filters(q: &ReportQuery) -> (Option<SpaceKind>, Option<Direction>) {
    (
        q.kind.as_deref().and_then(SpaceKind::parse),
        q.direction.as_deref().and_then(Direction::parse),
    )
}

/// People inside the center now: checked in today, not out, not undone.
async fn inside_now(
    db: &DatabaseConnection,
    c: &center::Model,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let today = now.with_timezone(&center_tz(c)).date_naive();
    let people: HashSet<i32> = check_in::Entity::find()
        .filter(check_in::Column::CenterId.eq(c.id))
        .filter(check_in::Column::LocalDay.eq(today))
        .filter(check_in::Column::CheckedOutAt.is_null())
        .filter(check_in::Column::UndoneAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|ci| ci.person_id)
        .collect();
    Ok(people.len() as u64)
}

/// The dashboard of one center. The caller has authorized the center.
pub async fn center_report(
    db: &DatabaseConnection,
    center_id: i32,
    q: ReportQuery,
    centers: Vec<crate::centers::dto::CenterDto>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<CenterReportDto, AppError> {
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = now.with_timezone(&center_tz(&c)).date_naive();
    let (from, to) = parse_range(&q, today)?;
    let (pf, pt) = previous_period(from, to);
    let (kind, direction) = filters(&q);
    let cur = compute(db, &c, from, to, kind, direction, now, l).await?;
    let prev = compute(db, &c, pf, pt, kind, direction, now, l).await?;

    // Heatmap rows Monday..Sunday over the hours the center is ever open.
    let open_hours: Vec<u8> = (0..24u8)
        .filter(|h| (0..7).any(|d| cur.heat[d][*h as usize].1 > 0))
        .collect();
    let heat = (0..7)
        .map(|d| HeatRow {
            weekday: l
                .weekday(chrono::Weekday::try_from(d as u8).unwrap_or(chrono::Weekday::Mon))
                .to_string(),
            cells: open_hours
                .iter()
                .map(|h| {
                    let (u, a) = cur.heat[d][*h as usize];
                    (a > 0).then(|| share(u, a))
                })
                .collect(),
        })
        .collect();
    let age_bands = AgeBand::ALL
        .iter()
        .map(|b| {
            let e = cur.ages.get(b);
            CountRow {
                label: b.label().to_string(),
                visits: Some(e.map_or(0, |e| e.0)),
                visitors: Some(e.map_or(0, |e| e.1.len() as u64)),
            }
        })
        .collect();
    let settlement = Settlement::ALL
        .iter()
        .map(|s| CountRow {
            label: s.label(l).to_string(),
            visits: Some(cur.settlement_visits.get(s.as_str()).copied().unwrap_or(0)),
            visitors: Some(cur.settlement.get(s.as_str()).map_or(0, |v| v.len() as u64)),
        })
        .collect();
    let occupation = Occupation::ALL
        .iter()
        .map(|s| CountRow {
            label: s.label(l).to_string(),
            visits: Some(cur.occupation_visits.get(s.as_str()).copied().unwrap_or(0)),
            visitors: Some(cur.occupation.get(s.as_str()).map_or(0, |v| v.len() as u64)),
        })
        .collect();
    Ok(CenterReportDto {
        center: center_dto(&c, l),
        centers,
        query: q,
        from: from.to_string(),
        to: to.to_string(),
        prev_from: pf.to_string(),
        prev_to: pt.to_string(),
        current: cur.headline,
        previous: prev.headline,
        inside_now: inside_now(db, &c, now).await?,
        spaces: cur.spaces,
        heat_hours: open_hours,
        heat,
        age_bands,
        settlement,
        occupation,
        clubs: cur.clubs,
        programs: cur.programs,
        events: cur.events,
        directions: cur.directions,
    })
}

/// The regional comparison of `center_ids` (all centers for admins).
/// Breakdown cells that could single out a minor are suppressed.
pub async fn regional_report(
    db: &DatabaseConnection,
    center_ids: Option<Vec<i32>>,
    q: ReportQuery,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<RegionalDto, AppError> {
    let all = list_centers(db, l).await?;
    let (kind, direction) = filters(&q);
    let mut rows = Vec::new();
    let mut range = None;
    for cd in all
        .into_iter()
        .filter(|c| center_ids.as_ref().is_none_or(|ids| ids.contains(&c.id)))
    {
        let c = center::Entity::find_by_id(cd.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let today = now.with_timezone(&center_tz(&c)).date_naive();
        let (from, to) = parse_range(&q, today)?;
        range.get_or_insert((from, to));
        let (pf, pt) = previous_period(from, to);
        let cur = compute(db, &c, from, to, kind, direction, now, l).await?;
        let prev = compute(db, &c, pf, pt, kind, direction, now, l).await?;
        rows.push(RegionalRow {
            center: cd,
            teens: suppress(cur.ages.get(&AgeBand::Teen).map_or(0, |e| e.1.len() as u64)),
            rural: suppress(cur.headline.rural_reached),
            neet: suppress(cur.headline.neet_reached),
            current: cur.headline,
            previous: prev.headline,
        });
    }
    let (from, to) = match range {
        Some(r) => r,
        None => parse_range(&q, now.date_naive())?,
    };
    Ok(RegionalDto {
        query: q,
        from: from.to_string(),
        to: to.to_string(),
        rows,
    })
}

/// The centers a director or admin may report on, and the one asked for
/// (default: the home center, else the first). Others are refused.
pub async fn authorize_center(
    db: &DatabaseConnection,
    user: &crate::access::session::CurrentUser,
    requested: Option<i32>,
    l: Locale,
) -> Result<(i32, Vec<crate::centers::dto::CenterDto>), AppError> {
    user.require(|r| r.can_report())?;
    let scope = crate::access::staff_centers(db, user).await?;
    let mut centers = list_centers(db, l).await?;
    if let Some(ids) = &scope {
        centers.retain(|c| ids.contains(&c.id));
    }
    let target = match requested {
        Some(id) if centers.iter().any(|c| c.id == id) => id,
        Some(_) if scope.is_none() => return Err(AppError::NotFound),
        Some(_) => return Err(AppError::Forbidden),
        None => user
            .home_center_id
            .filter(|h| centers.iter().any(|c| c.id == *h))
            .or_else(|| centers.first().map(|c| c.id))
            .ok_or(AppError::Forbidden)?,
    };
    Ok((target, centers))
}

/// Centers in a regional comparison: admins all, directors their own.
pub async fn authorize_region(
    db: &DatabaseConnection,
    user: &crate::access::session::CurrentUser,
) -> Result<Option<Vec<i32>>, AppError> {
    user.require(|r| r.can_report())?;
    crate::access::staff_centers(db, user).await
}

pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One table as CSV: UTF-8 with a byte-order mark (so Excel reads
/// Cyrillic and Kazakh letters right), comma-separated, RFC 4180 quoting.
pub fn to_csv(table: &super::dto::Table) -> Vec<u8> {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    out.push_str(&line(table.head.clone()));
    out.push_str("\r\n");
    for r in &table.rows {
        out.push_str(&line(r.iter().map(csv_cell).collect()));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// CSV keeps plain numbers (a share as 0.425) so spreadsheets can compute.
fn csv_cell(c: &super::dto::Cell) -> String {
    use super::dto::Cell;
    match c {
        Cell::Pct(Some(p)) => format!("{p:.4}"),
        Cell::Pct(None) => String::new(),
        other => other.display(),
    }
}

/// Every table as one sheet of a workbook.
pub fn to_xlsx(tables: &[super::dto::Table]) -> Result<Vec<u8>, AppError> {
    use super::dto::Cell;
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let num = Format::new().set_num_format("0.0");
    let err = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!("xlsx export: {e}");
        AppError::Internal
    };
    for t in tables {
        let ws = wb.add_worksheet();
        // Sheet names: at most 31 characters.
        ws.set_name(t.id.chars().take(31).collect::<String>())
            .map_err(err)?;
        ws.write_string_with_format(0, 0, &t.title, &bold)
            .map_err(err)?;
        for (c, h) in t.head.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 3;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Num(x) => ws.write_number_with_format(r, c, *x, &num).map(|_| ()),
                    Cell::Pct(Some(p)) => ws.write_number_with_format(r, c, *p, &pct).map(|_| ()),
                    Cell::Pct(None) => ws.write_string(r, c, "—").map(|_| ()),
                    Cell::Suppressed => ws.write_string(r, c, "<5").map(|_| ()),
                }
                .map_err(err)?;
            }
        }
        ws.set_column_width(0, 28).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// A download: `(file name, content type, bytes)`.
pub type Download = (String, &'static str, Vec<u8>);

/// `/reports/{center|region}.{csv|xlsx}`: authorized like the pages.
pub async fn export(
    db: &DatabaseConnection,
    user: &crate::access::session::CurrentUser,
    file: &str,
    q: ReportQuery,
    table: Option<&str>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Download, AppError> {
    let (scope, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let (tables, stem) = match scope {
        "center" => {
            let (id, centers) = authorize_center(db, user, q.center, l).await?;
            let r = center_report(db, id, q, centers, now, l).await?;
            (
                r.tables(l),
                format!("ortalyq-center-{id}-{}-{}", r.from, r.to),
            )
        }
        "region" => {
            let ids = authorize_region(db, user).await?;
            let r = regional_report(db, ids, q, now, l).await?;
            (r.tables(l), format!("ortalyq-region-{}-{}", r.from, r.to))
        }
        _ => return Err(AppError::NotFound),
    };
    match format {
        "csv" => {
            let t = match table {
                Some(id) => tables
                    .iter()
                    .find(|t| t.id == id)
                    .ok_or(AppError::NotFound)?,
                None => tables.first().ok_or(AppError::NotFound)?,
            };
            Ok((format!("{stem}-{}.csv", t.id), CSV_TYPE, to_csv(t)))
        }
        "xlsx" => Ok((format!("{stem}.xlsx"), XLSX_TYPE, to_xlsx(&tables)?)),
        _ => Err(AppError::NotFound),
    }
}

/// Today's occupancy of the center a caller asked for: directors their own
/// center only; regional admins any center (default: their home center,
/// else the first, regional one).
pub async fn occupancy_for(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center_id: Option<i32>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<OccupancyDto, AppError> {
    use crate::domain::people::Role;
    let target = match (user.role, center_id, user.home_center_id) {
        (Role::Admin, Some(c), _) => c,
        (Role::Admin, None, Some(home)) => home,
        (Role::Admin, None, None) => crate::centers::service::list_centers(db, l)
            .await?
            .first()
            .map(|c| c.id)
            .ok_or(AppError::NotFound)?,
        (_, requested, Some(home)) => {
            if requested.is_some_and(|c| c != home) {
                return Err(AppError::Forbidden);
            }
            home
        }
        (_, _, None) => return Err(AppError::Forbidden),
    };
    let mut dto = day_occupancy(db, target, None, now, l).await?;
    if user.role != Role::Admin {
        dto.centers.retain(|c| c.id == target);
    }
    Ok(dto)
}
