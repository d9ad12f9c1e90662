//! The figures of one center over one date range (definitions in
//! docs/METRICS.md). Every table is loaded once for the range
//! ([`RangeRows::load`]) and aggregated in memory in one pass per section:
//! room use, visits and reach, and clubs, programs and events by direction.

use std::collections::{HashMap, HashSet};

mod activities;
use activities::Activities;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::dto::{ActivityRow, DirectionRow, Headline, SpaceReportRow};
use crate::centers::service::{center_tz, load_space, rules_of};
use crate::domain::codes::{AppStatus, BookingStatus, ClubPlace};
use crate::domain::direction::Direction;
use crate::domain::metrics::{
    add_heat, age_on, capacity_minutes_over, empty_heat, rate, reclaimed_minutes, AgeBand, Heat,
};
use crate::domain::occupancy::share;
use crate::domain::people::{Occupation, Settlement};
use crate::domain::slots::{local_to_utc, Interval, Occupant};
use crate::domain::space::SpaceKind;
use crate::error::AppError;
use crate::i18n::{pick, Locale};
use crate::model::{
    booking, center, check_in, club, club_attendance, club_member, club_session, event,
    event_registration, pass, person, program, program_application, space,
};

/// Everything computed for one center and one range.
pub(super) struct Computed {
    pub headline: Headline,
    pub spaces: Vec<SpaceReportRow>,
    pub heat: Heat,
    /// `(visits, unique visitors)` per band / settlement / occupation.
    pub ages: HashMap<AgeBand, (u64, HashSet<i32>)>,
    pub settlement: HashMap<String, HashSet<i32>>,
    pub occupation: HashMap<String, HashSet<i32>>,
    pub settlement_visits: HashMap<String, u64>,
    pub occupation_visits: HashMap<String, u64>,
    pub clubs: Vec<ActivityRow>,
    pub programs: Vec<ActivityRow>,
    pub events: Vec<ActivityRow>,
    pub directions: Vec<DirectionRow>,
}

pub(super) fn hours(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 10.0).round() / 10.0
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn compute(
    db: &DatabaseConnection,
    c: &center::Model,
    from: NaiveDate,
    to: NaiveDate,
    kind: Option<SpaceKind>,
    direction: Option<Direction>,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Computed, AppError> {
    let mut rows = RangeRows::load(db, c, from, to, kind, direction.as_ref()).await?;
    let rooms = RoomUse::of(&rows, now, l);
    let reach = Reach::load(db, c, &rows).await?;
    if let Some(d) = &direction {
        rows.clubs.retain(|k| &k.direction == d);
        rows.programs.retain(|p| &p.direction == d);
        rows.events.retain(|e| &e.direction == d);
    }
    let acts = Activities::load(db, &rows, &rooms.direction_minutes, now, l).await?;

    let unique: HashSet<i32> = reach.visitor_ids.iter().copied().collect();
    let headline = Headline {
        utilization: (rooms.available > 0).then(|| share(rooms.used, rooms.available)),
        attended_utilization: (rooms.available > 0).then(|| share(rooms.attended, rooms.available)),
        bookings: rooms.bookings,
        no_show_rate: rate(rooms.no_shows, rooms.decided),
        cancellation_rate: rate(rooms.cancelled, rooms.made),
        reclaimed_hours: hours(rooms.reclaimed),
        visits: reach.visit_days.len() as u64,
        unique_visitors: unique.len() as u64,
        new_members: unique
            .iter()
            .filter(|p| !reach.returning.contains(p))
            .count() as u64,
        neet_reached: reach
            .occupation
            .get(Occupation::Neet.as_str())
            .map_or(0, |s| s.len() as u64),
        rural_reached: reach
            .settlement
            .get(Settlement::Rural.as_str())
            .map_or(0, |s| s.len() as u64),
        club_attendance_rate: rate(acts.club_marks, acts.club_expected),
        waitlist: acts.waitlist,
        applications: acts.applications,
        accepted: acts.accepted,
        completed: acts.completed,
        events_held: acts.events_held,
        event_participants: acts.event_participants,
    };
    Ok(Computed {
        headline,
        spaces: rooms.rows,
        heat: rooms.heat,
        ages: reach.ages,
        settlement: reach.settlement,
        occupation: reach.occupation,
        settlement_visits: reach.settlement_visits,
        occupation_visits: reach.occupation_visits,
        clubs: acts.club_rows,
        programs: acts.program_rows,
        events: acts.event_rows,
        directions: acts.directions,
    })
}

/// The rows of every table the range touches, one query per table.
struct RangeRows {
    tz: Tz,
    /// The range as UTC instants, `[start, end)`.
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    spaces: Vec<space::Model>,
    /// Opening windows of the range (holidays and closures have none).
    windows: Vec<Interval>,
    bookings: Vec<booking::Model>,
    /// Bookings whose pass was checked in.
    checked_bookings: HashSet<i32>,
    check_ins: Vec<check_in::Model>,
    clubs: Vec<club::Model>,
    events: Vec<event::Model>,
    programs: Vec<program::Model>,
    sessions: Vec<club_session::Model>,
    marks_per_session: HashMap<i32, u64>,
    event_participants: HashMap<i32, u64>,
}

impl RangeRows {
    async fn load(
        db: &DatabaseConnection,
        c: &center::Model,
        from: NaiveDate,
        to: NaiveDate,
        kind: Option<SpaceKind>,
        direction: Option<&Direction>,
    ) -> Result<RangeRows, AppError> {
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
            spaces.retain(|s| s.kind == k);
        }
        if let Some(d) = direction {
            spaces.retain(|s| s.direction.as_ref() == Some(d));
        }
        let windows = opening_windows(db, spaces.first(), tz, from, to).await?;
        // Bookings, passes and sessions last at most a day, so each is also
        // bounded below by its start: the (…, starts_at) indexes then scan
        // the range alone, not all history.
        let earliest = start - Duration::days(1);
        let space_ids: Vec<i32> = spaces.iter().map(|s| s.id).collect();
        let bookings = booking::Entity::find()
            .filter(booking::Column::SpaceId.is_in(space_ids))
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
        let checked_bookings = check_ins
            .iter()
            .filter_map(|ci| booking_passes.get(&ci.pass_id).copied())
            .collect();
        let (clubs, events, programs) = activities_of(db, c.id, start, end).await?;
        let sessions = club_session::Entity::find()
            .filter(
                club_session::Column::ClubId.is_in(clubs.iter().map(|k| k.id).collect::<Vec<_>>()),
            )
            .filter(club_session::Column::StartsAt.gte(earliest))
            .filter(club_session::Column::StartsAt.lt(end))
            .filter(club_session::Column::EndsAt.gt(start))
            .filter(club_session::Column::CancelledAt.is_null())
            .all(db)
            .await?;
        let (marks_per_session, event_participants) = turnout(db, &sessions, &events).await?;
        Ok(RangeRows {
            tz,
            start,
            end,
            spaces,
            windows,
            bookings,
            checked_bookings,
            check_ins,
            clubs,
            events,
            programs,
            sessions,
            marks_per_session,
            event_participants,
        })
    }
}

/// Opening windows of each day of the range, from the hours and closures
/// of the center (via its first space); none without spaces.
async fn opening_windows(
    db: &DatabaseConnection,
    first: Option<&space::Model>,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Interval>, AppError> {
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    let ctx = load_space(db, first.clone()).await?;
    Ok(from
        .iter_days()
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
        .collect())
}

/// The center's clubs, its events overlapping the range and its programs.
async fn activities_of(
    db: &DatabaseConnection,
    center_id: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(Vec<club::Model>, Vec<event::Model>, Vec<program::Model>), AppError> {
    let clubs = club::Entity::find()
        .filter(club::Column::CenterId.eq(center_id))
        .order_by_asc(club::Column::Id)
        .all(db)
        .await?;
    let events = event::Entity::find()
        .filter(event::Column::CenterId.eq(center_id))
        .filter(event::Column::Active.eq(true))
        .filter(event::Column::StartsAt.lt(end))
        .filter(event::Column::EndsAt.gt(start))
        .order_by_asc(event::Column::StartsAt)
        .all(db)
        .await?;
    let programs = program::Entity::find()
        .filter(program::Column::CenterId.eq(center_id))
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?;
    Ok((clubs, events, programs))
}

/// Attendance marks per club session and participants per event: the head
/// count if staff recorded one, else the checked-in registrations.
async fn turnout(
    db: &DatabaseConnection,
    sessions: &[club_session::Model],
    events: &[event::Model],
) -> Result<(HashMap<i32, u64>, HashMap<i32, u64>), AppError> {
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
    let mut per_session: HashMap<i32, u64> = HashMap::new();
    for m in &marks {
        *per_session.entry(m.session_id).or_default() += 1;
    }
    let mut per_event: HashMap<i32, u64> = HashMap::new();
    for r in &registrations {
        *per_event.entry(r.event_id).or_default() += 1;
    }
    // A head count staff recorded (an event outside the building, one
    // nobody registers for) is the number of people who came.
    for e in events {
        if let Some(n) = e.head_count {
            per_event.insert(e.id, n.max(0) as u64);
        }
    }
    Ok((per_session, per_event))
}

/// Room use: bookings (a no-show only until it was recorded: the freed time
/// is not booked), club sessions and events taking the whole room.
#[derive(Default)]
struct RoomUse {
    rows: Vec<SpaceReportRow>,
    heat: Heat,
    /// Capacity-minutes used, used by people who came, and open.
    used: i64,
    attended: i64,
    available: i64,
    bookings: u64,
    no_shows: u64,
    /// Bookings whose outcome is known (started confirmed, or no-show).
    decided: u64,
    cancelled: u64,
    made: u64,
    /// Minutes rebooked after a no-show freed them.
    reclaimed: i64,
    /// Booked capacity-minutes per direction, for spaces that have one.
    direction_minutes: HashMap<String, i64>,
}

/// One space's bookings in the range, counted.
#[derive(Default)]
struct BookingCounts {
    count: u64,
    no_shows: u64,
    cancelled: u64,
}

impl RoomUse {
    fn of(r: &RangeRows, now: DateTime<Utc>, l: Locale) -> RoomUse {
        let mut out = RoomUse {
            heat: empty_heat(),
            ..Default::default()
        };
        for s in &r.spaces {
            let (mut used, mut attended) = (Vec::new(), Vec::new());
            let counts = out.add_bookings(r, s, now, &mut used, &mut attended);
            for se in r.sessions.iter().filter(|x| x.space_id == s.id) {
                let occ = whole_room(s, se.starts_at, se.ends_at);
                used.push(occ);
                if r.marks_per_session.contains_key(&se.id) || se.anonymous_count.unwrap_or(0) > 0 {
                    attended.push(occ);
                }
            }
            for e in r.events.iter().filter(|x| x.space_id == Some(s.id)) {
                let occ = whole_room(s, e.starts_at, e.ends_at);
                used.push(occ);
                if r.event_participants.contains_key(&e.id) {
                    attended.push(occ);
                }
            }
            let (u, a) = capacity_minutes_over(s.capacity, &r.windows, &used);
            let (at, _) = capacity_minutes_over(s.capacity, &r.windows, &attended);
            add_heat(&mut out.heat, r.tz, s.capacity, &r.windows, &used);
            if let Some(d) = &s.direction {
                *out.direction_minutes
                    .entry(d.as_str().to_string())
                    .or_default() += u;
            }
            out.used += u;
            out.attended += at;
            out.available += a;
            out.bookings += counts.count;
            out.no_shows += counts.no_shows;
            out.cancelled += counts.cancelled;
            out.made += counts.count + counts.cancelled;
            out.rows.push(SpaceReportRow {
                space_id: s.id,
                name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
                kind: s.kind,
                capacity: s.capacity,
                booked_hours: hours(u),
                attended_hours: hours(at),
                available_hours: hours(a),
                utilization: (a > 0).then(|| share(u, a)),
                attended_utilization: (a > 0).then(|| share(at, a)),
                bookings: counts.count,
                no_shows: counts.no_shows,
                cancelled: counts.cancelled,
            });
        }
        out
    }

    /// The occupancy of one space's bookings (into `used` and `attended`)
    /// and their counts; no-show outcomes and reclaimed time go to `self`.
    fn add_bookings(
        &mut self,
        r: &RangeRows,
        s: &space::Model,
        now: DateTime<Utc>,
        used: &mut Vec<Occupant>,
        attended: &mut Vec<Occupant>,
    ) -> BookingCounts {
        let rules = rules_of(s);
        let mine: Vec<&booking::Model> = r.bookings.iter().filter(|b| b.space_id == s.id).collect();
        // Confirmed bookings by start: a no-show's freed time is looked up
        // among those near it, not among all of the space's bookings.
        let mut confirmed: Vec<(Interval, DateTime<Utc>)> = mine
            .iter()
            .filter(|o| o.status == BookingStatus::Confirmed)
            .map(|o| (Interval::new(o.starts_at, o.ends_at), o.created_at))
            .collect();
        confirmed.sort_by_key(|(iv, _)| iv.start);
        let mut n = BookingCounts::default();
        for b in &mine {
            let iv = Interval::new(b.starts_at, b.ends_at);
            let units = rules.units(b.party_size);
            let starts_inside = b.starts_at >= r.start && b.starts_at < r.end;
            match b.status {
                BookingStatus::Confirmed => {
                    let occ = Occupant {
                        interval: iv,
                        party_size: units,
                    };
                    used.push(occ);
                    if r.checked_bookings.contains(&b.id) {
                        attended.push(occ);
                    }
                    if starts_inside {
                        n.count += 1;
                        if b.starts_at < now {
                            self.decided += 1;
                        }
                    }
                }
                BookingStatus::NoShow => {
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
                        n.count += 1;
                        n.no_shows += 1;
                        self.decided += 1;
                        self.reclaimed += reclaimed_minutes(iv, freed, later);
                    }
                }
                BookingStatus::Cancelled if starts_inside => n.cancelled += 1,
                BookingStatus::Pending if starts_inside => self.made += 1,
                _ => {}
            }
        }
        n
    }
}

/// A club session or event: it takes the whole room.
fn whole_room(s: &space::Model, from: DateTime<Utc>, to: DateTime<Utc>) -> Occupant {
    Occupant {
        interval: Interval::new(from, to),
        party_size: s.capacity,
    }
}

/// Visits (one person on one local day at the center) and who they reach.
struct Reach {
    visit_days: HashSet<(i32, NaiveDate)>,
    visitor_ids: Vec<i32>,
    /// Visitors who came to this center before the range.
    returning: HashSet<i32>,
    ages: HashMap<AgeBand, (u64, HashSet<i32>)>,
    settlement: HashMap<String, HashSet<i32>>,
    occupation: HashMap<String, HashSet<i32>>,
    settlement_visits: HashMap<String, u64>,
    occupation_visits: HashMap<String, u64>,
}

impl Reach {
    async fn load(
        db: &DatabaseConnection,
        c: &center::Model,
        r: &RangeRows,
    ) -> Result<Reach, AppError> {
        let visit_days: HashSet<(i32, NaiveDate)> = r
            .check_ins
            .iter()
            .filter(|ci| ci.scanned_at >= r.start && ci.scanned_at < r.end)
            .map(|ci| (ci.person_id, ci.local_day))
            .collect();
        let visitor_ids: Vec<i32> = visit_days
            .iter()
            .map(|(p, _)| *p)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut people: HashMap<i32, person::Model> = HashMap::new();
        let mut returning: HashSet<i32> = HashSet::new();
        for chunk in visitor_ids.chunks(500) {
            for p in person::Entity::find()
                .filter(person::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                people.insert(p.id, p);
            }
            // New members: visitors with no visit to this center before the range.
            returning.extend(
                check_in::Entity::find()
                    .select_only()
                    .column(check_in::Column::PersonId)
                    .distinct()
                    .filter(check_in::Column::CenterId.eq(c.id))
                    .filter(check_in::Column::ScannedAt.lt(r.start))
                    .filter(check_in::Column::UndoneAt.is_null())
                    .filter(check_in::Column::PersonId.is_in(chunk.to_vec()))
                    .into_tuple::<i32>()
                    .all(db)
                    .await?,
            );
        }
        let mut reach = Reach {
            visit_days: HashSet::new(),
            visitor_ids,
            returning,
            ages: HashMap::new(),
            settlement: HashMap::new(),
            occupation: HashMap::new(),
            settlement_visits: HashMap::new(),
            occupation_visits: HashMap::new(),
        };
        for (pid, day) in &visit_days {
            let Some(p) = people.get(pid) else { continue };
            let e = reach
                .ages
                .entry(AgeBand::of(age_on(p.birth_date, *day)))
                .or_default();
            e.0 += 1;
            e.1.insert(*pid);
            reach
                .settlement
                .entry(p.settlement.as_str().to_string())
                .or_default()
                .insert(*pid);
            reach
                .occupation
                .entry(p.occupation.as_str().to_string())
                .or_default()
                .insert(*pid);
            *reach
                .settlement_visits
                .entry(p.settlement.as_str().to_string())
                .or_default() += 1;
            *reach
                .occupation_visits
                .entry(p.occupation.as_str().to_string())
                .or_default() += 1;
        }
        reach.visit_days = visit_days;
        Ok(reach)
    }
}
