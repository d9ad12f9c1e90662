use serde::{Deserialize, Serialize};

use crate::centers::dto::CenterDto;
use crate::domain::space::SpaceKind;
use crate::i18n::{Locale, Msg};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OccupancyRowDto {
    pub space_id: i32,
    pub space_name: String,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub bookings: u64,
    pub check_ins: u64,
    /// Share of capacity-hours booked inside today's opening hours (0–1);
    /// `None` when the space is closed today.
    pub booked_share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OccupancyDto {
    pub center: CenterDto,
    /// Center-local date label.
    pub date: String,
    pub rows: Vec<OccupancyRowDto>,
    pub total_bookings: u64,
    pub total_check_ins: u64,
    pub total_share: Option<f64>,
    /// Centers the caller may switch to (admins: all; directors: own).
    pub centers: Vec<CenterDto>,
}

/// `42.5 %`-style formatting shared by page and exports.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{:.1} %", s * 100.0),
        None => "—".into(),
    }
}

/// What a director asks for: center, local date range (inclusive) and filters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub center: Option<i32>,
    /// `YYYY-MM-DD`; default: the current month up to today.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A `SpaceKind` code: only spaces of this kind.
    pub kind: Option<String>,
    /// A `Direction` code: only spaces, clubs, programs and events of it.
    pub direction: Option<String>,
}

/// The headline figures of one period (see docs/METRICS.md).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub utilization: Option<f64>,
    pub attended_utilization: Option<f64>,
    pub bookings: u64,
    pub no_show_rate: Option<f64>,
    pub cancellation_rate: Option<f64>,
    pub reclaimed_hours: f64,
    pub visits: u64,
    pub unique_visitors: u64,
    pub new_members: u64,
    pub neet_reached: u64,
    pub rural_reached: u64,
    pub club_attendance_rate: Option<f64>,
    pub waitlist: u64,
    pub applications: u64,
    pub accepted: u64,
    pub completed: u64,
    pub events_held: u64,
    pub event_participants: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpaceReportRow {
    pub space_id: i32,
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub booked_hours: f64,
    pub attended_hours: f64,
    pub available_hours: f64,
    pub utilization: Option<f64>,
    pub attended_utilization: Option<f64>,
    pub bookings: u64,
    pub no_shows: u64,
    pub cancelled: u64,
}

/// A labelled count; `None` when suppressed (1–4 in a roll-up).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    pub visits: Option<u64>,
    pub visitors: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatRow {
    pub weekday: String,
    /// Utilization per hour of `CenterReportDto::heat_hours`; `None` when closed.
    pub cells: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityRow {
    pub name: String,
    pub direction: String,
    /// Clubs: sessions held; programs: applications; events: 1.
    pub a: u64,
    /// Clubs: attendances; programs: accepted; events: participants.
    pub b: u64,
    /// Clubs: attendance rate; programs: completion rate.
    pub rate: Option<f64>,
    /// Clubs: members; programs: completed.
    pub c: u64,
    /// Clubs: waitlist.
    pub d: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectionRow {
    pub direction: String,
    /// Booked hours in the spaces that serve this direction.
    pub booked_hours: f64,
    pub club_attendances: u64,
    pub program_participants: u64,
    pub events_held: u64,
    pub event_participants: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterReportDto {
    pub center: CenterDto,
    /// Centers the caller may report on.
    pub centers: Vec<CenterDto>,
    pub query: ReportQuery,
    /// ISO dates of the range and of the previous period of equal length.
    pub from: String,
    pub to: String,
    pub prev_from: String,
    pub prev_to: String,
    pub current: Headline,
    pub previous: Headline,
    pub inside_now: u64,
    pub spaces: Vec<SpaceReportRow>,
    pub heat_hours: Vec<u8>,
    pub heat: Vec<HeatRow>,
    pub age_bands: Vec<CountRow>,
    pub settlement: Vec<CountRow>,
    pub occupation: Vec<CountRow>,
    pub clubs: Vec<ActivityRow>,
    pub programs: Vec<ActivityRow>,
    pub events: Vec<ActivityRow>,
    pub directions: Vec<DirectionRow>,
    /// The region's directions for the filter.
    #[serde(default)]
    pub direction_options: Vec<crate::centers::dto::DirectionOption>,
}

/// One center in the regional comparison; breakdown cells suppressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionalRow {
    pub center: CenterDto,
    pub current: Headline,
    pub previous: Headline,
    pub teens: Option<u64>,
    pub rural: Option<u64>,
    pub neet: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionalDto {
    pub query: ReportQuery,
    pub from: String,
    pub to: String,
    pub rows: Vec<RegionalRow>,
    #[serde(default)]
    pub direction_options: Vec<crate::centers::dto::DirectionOption>,
}

/// Change against the previous period, e.g. `+12.0 pp` or `+3`.
pub fn change_pct(cur: Option<f64>, prev: Option<f64>) -> String {
    match (cur, prev) {
        (Some(c), Some(p)) => format!("{:+.1} pp", (c - p) * 100.0),
        _ => "—".into(),
    }
}

pub fn change_count(cur: u64, prev: u64) -> String {
    format!("{:+}", cur as i64 - prev as i64)
}

/// A count as shown: suppressed counts read `<5`.
pub fn shown(n: Option<u64>) -> String {
    match n {
        Some(n) => n.to_string(),
        None => "<5".into(),
    }
}

/// One cell of a report table, typed so XLSX gets numbers and percentages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Int(u64),
    /// Hours or other decimals.
    Num(f64),
    /// A share 0–1, shown as a percentage; `None`: not applicable.
    Pct(Option<f64>),
    /// A count below 5 suppressed in a roll-up.
    Suppressed,
}

impl Cell {
    pub fn count(n: Option<u64>) -> Cell {
        n.map_or(Cell::Suppressed, Cell::Int)
    }

    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => format!("{x:.1}"),
            Cell::Pct(p) => percent(*p),
            Cell::Suppressed => "<5".into(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// A report table: the page, the CSV and the XLSX all show these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Stable id: file and sheet names, `?table=` of the CSV export.
    pub id: String,
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn headline_rows(cur: &Headline, prev: &Headline, l: Locale) -> Vec<Vec<Cell>> {
    let pct = |m: Msg, c: Option<f64>, p: Option<f64>| {
        vec![
            text(m.text(l)),
            Cell::Pct(c),
            Cell::Pct(p),
            text(change_pct(c, p)),
        ]
    };
    let int = |m: Msg, c: u64, p: u64| {
        vec![
            text(m.text(l)),
            Cell::Int(c),
            Cell::Int(p),
            text(change_count(c, p)),
        ]
    };
    vec![
        pct(Msg::MUtilization, cur.utilization, prev.utilization),
        pct(
            Msg::MAttended,
            cur.attended_utilization,
            prev.attended_utilization,
        ),
        int(Msg::MBookings, cur.bookings, prev.bookings),
        pct(Msg::MNoShow, cur.no_show_rate, prev.no_show_rate),
        pct(Msg::MCancel, cur.cancellation_rate, prev.cancellation_rate),
        vec![
            text(Msg::MReclaimed.text(l)),
            Cell::Num(cur.reclaimed_hours),
            Cell::Num(prev.reclaimed_hours),
            text(format!(
                "{:+.1}",
                cur.reclaimed_hours - prev.reclaimed_hours
            )),
        ],
        int(Msg::MVisits, cur.visits, prev.visits),
        int(Msg::MUnique, cur.unique_visitors, prev.unique_visitors),
        int(Msg::MNew, cur.new_members, prev.new_members),
        int(Msg::MRural, cur.rural_reached, prev.rural_reached),
        int(Msg::MNeet, cur.neet_reached, prev.neet_reached),
        pct(
            Msg::MClubAttendance,
            cur.club_attendance_rate,
            prev.club_attendance_rate,
        ),
        int(Msg::MApplications, cur.applications, prev.applications),
        int(Msg::MAccepted, cur.accepted, prev.accepted),
        int(Msg::MCompleted, cur.completed, prev.completed),
        int(Msg::MEventsHeld, cur.events_held, prev.events_held),
        int(
            Msg::MParticipants,
            cur.event_participants,
            prev.event_participants,
        ),
    ]
}

fn counts(id: &str, title: Msg, first: Msg, rows: &[CountRow], l: Locale) -> Table {
    Table {
        id: id.into(),
        title: title.text(l).into(),
        head: vec![
            first.text(l).into(),
            Msg::VisitsCol.text(l).into(),
            Msg::VisitorsCol.text(l).into(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    text(r.label.clone()),
                    Cell::count(r.visits),
                    Cell::count(r.visitors),
                ]
            })
            .collect(),
    }
}

impl CenterReportDto {
    /// Every table of the dashboard, in page order.
    pub fn tables(&self, l: Locale) -> Vec<Table> {
        vec![
            self.summary_table(l),
            self.spaces_table(l),
            self.heatmap_table(l),
            counts("ages", Msg::TAges, Msg::AgeBandCol, &self.age_bands, l),
            counts(
                "settlement",
                Msg::TSettlement,
                Msg::GroupCol,
                &self.settlement,
                l,
            ),
            counts(
                "occupation",
                Msg::TOccupation,
                Msg::GroupCol,
                &self.occupation,
                l,
            ),
            self.clubs_table(l),
            self.programs_table(l),
            self.events_table(l),
            self.directions_table(l),
        ]
    }

    /// The headline figures: this period against the previous one.
    fn summary_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "summary".into(),
            title: t(Msg::THeadline),
            head: vec![
                t(Msg::MetricCol),
                format!("{} ({} – {})", t(Msg::ThisPeriod), self.from, self.to),
                format!(
                    "{} ({} – {})",
                    t(Msg::PreviousPeriod),
                    self.prev_from,
                    self.prev_to
                ),
                t(Msg::ChangeCol),
            ],
            rows: headline_rows(&self.current, &self.previous, l),
        }
    }

    /// Hours booked, attended and available, and bookings, per space.
    fn spaces_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "spaces".into(),
            title: t(Msg::TSpaces),
            head: vec![
                t(Msg::Space),
                t(Msg::BookedHours),
                t(Msg::AttendedHours),
                t(Msg::AvailableHours),
                t(Msg::MUtilization),
                t(Msg::MAttended),
                t(Msg::MBookings),
                t(Msg::NoShowsCol),
                t(Msg::CancelledCol),
            ],
            rows: self
                .spaces
                .iter()
                .map(|s| {
                    vec![
                        text(s.name.clone()),
                        Cell::Num(s.booked_hours),
                        Cell::Num(s.attended_hours),
                        Cell::Num(s.available_hours),
                        Cell::Pct(s.utilization),
                        Cell::Pct(s.attended_utilization),
                        Cell::Int(s.bookings),
                        Cell::Int(s.no_shows),
                        Cell::Int(s.cancelled),
                    ]
                })
                .collect(),
        }
    }

    /// Utilization by weekday and hour.
    fn heatmap_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "heatmap".into(),
            title: t(Msg::THeat),
            head: std::iter::once(t(Msg::WeekdayCol))
                .chain(self.heat_hours.iter().map(|h| format!("{h:02}:00")))
                .collect(),
            rows: self
                .heat
                .iter()
                .map(|r| {
                    std::iter::once(text(r.weekday.clone()))
                        .chain(r.cells.iter().map(|c| Cell::Pct(*c)))
                        .collect()
                })
                .collect(),
        }
    }

    fn clubs_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "clubs".into(),
            title: t(Msg::TClubs),
            head: vec![
                t(Msg::NameCol),
                t(Msg::DirectionCol),
                t(Msg::SessionsHeld),
                t(Msg::AttendancesCol),
                t(Msg::AttendanceRateCol),
                t(Msg::MembersCol),
                t(Msg::WaitlistCol),
            ],
            rows: self
                .clubs
                .iter()
                .map(|r| {
                    vec![
                        text(r.name.clone()),
                        text(r.direction.clone()),
                        Cell::Int(r.a),
                        Cell::Int(r.b),
                        Cell::Pct(r.rate),
                        Cell::Int(r.c),
                        Cell::Int(r.d),
                    ]
                })
                .collect(),
        }
    }

    fn programs_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "programs".into(),
            title: t(Msg::TPrograms),
            head: vec![
                t(Msg::NameCol),
                t(Msg::DirectionCol),
                t(Msg::MApplications),
                t(Msg::MAccepted),
                t(Msg::AcceptanceRateCol),
                t(Msg::MCompleted),
            ],
            rows: self
                .programs
                .iter()
                .map(|r| {
                    vec![
                        text(r.name.clone()),
                        text(r.direction.clone()),
                        Cell::Int(r.a),
                        Cell::Int(r.b),
                        Cell::Pct(r.rate),
                        Cell::Int(r.c),
                    ]
                })
                .collect(),
        }
    }

    fn events_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "events".into(),
            title: t(Msg::TEvents),
            head: vec![t(Msg::NameCol), t(Msg::DirectionCol), t(Msg::MParticipants)],
            rows: self
                .events
                .iter()
                .map(|r| {
                    vec![
                        text(r.name.clone()),
                        text(r.direction.clone()),
                        Cell::Int(r.b),
                    ]
                })
                .collect(),
        }
    }

    /// Each direction's reach across spaces, clubs, programs and events.
    fn directions_table(&self, l: Locale) -> Table {
        let t = |m: Msg| m.text(l).to_string();
        Table {
            id: "directions".into(),
            title: t(Msg::TDirections),
            head: vec![
                t(Msg::DirectionCol),
                t(Msg::BookedHours),
                t(Msg::AttendancesCol),
                t(Msg::MAccepted),
                t(Msg::MEventsHeld),
                t(Msg::MParticipants),
            ],
            rows: self
                .directions
                .iter()
                .map(|r| {
                    vec![
                        text(r.direction.clone()),
                        Cell::Num(r.booked_hours),
                        Cell::Int(r.club_attendances),
                        Cell::Int(r.program_participants),
                        Cell::Int(r.events_held),
                        Cell::Int(r.event_participants),
                    ]
                })
                .collect(),
        }
    }
}

impl RegionalDto {
    pub fn tables(&self, l: Locale) -> Vec<Table> {
        let t = |m: Msg| m.text(l).to_string();
        vec![Table {
            id: "centers".into(),
            title: t(Msg::RegionTitle),
            head: vec![
                t(Msg::CenterCol),
                t(Msg::MUtilization),
                format!("{} ({})", t(Msg::MUtilization), t(Msg::PreviousPeriod)),
                t(Msg::MAttended),
                t(Msg::MNoShow),
                t(Msg::MVisits),
                t(Msg::MUnique),
                format!("{} ({})", t(Msg::MUnique), t(Msg::PreviousPeriod)),
                t(Msg::MNew),
                t(Msg::TeensCol),
                t(Msg::MRural),
                t(Msg::MNeet),
                t(Msg::MEventsHeld),
            ],
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        text(if r.center.active {
                            r.center.name.clone()
                        } else {
                            format!("{} ({})", r.center.name, t(Msg::CenterDeactivated))
                        }),
                        Cell::Pct(r.current.utilization),
                        Cell::Pct(r.previous.utilization),
                        Cell::Pct(r.current.attended_utilization),
                        Cell::Pct(r.current.no_show_rate),
                        Cell::Int(r.current.visits),
                        Cell::count(crate::domain::metrics::suppress(r.current.unique_visitors)),
                        Cell::count(crate::domain::metrics::suppress(r.previous.unique_visitors)),
                        Cell::count(crate::domain::metrics::suppress(r.current.new_members)),
                        Cell::count(r.teens),
                        Cell::count(r.rural),
                        Cell::count(r.neet),
                        Cell::Int(r.current.events_held),
                    ]
                })
                .collect(),
        }]
    }
}
