//! Clubs, programs and events of a range, and their totals per direction
//! (split from `figures` to keep each file readable).

use super::*;

/// Clubs, programs and events of the range, each also counted under its
/// direction (with the booked hours of spaces that serve one).
pub(super) struct Activities {
    pub(super) club_rows: Vec<ActivityRow>,
    pub(super) program_rows: Vec<ActivityRow>,
    pub(super) event_rows: Vec<ActivityRow>,
    pub(super) directions: Vec<DirectionRow>,
    /// Attendance marks and expected attendances of named clubs.
    pub(super) club_marks: u64,
    pub(super) club_expected: u64,
    pub(super) waitlist: u64,
    pub(super) applications: u64,
    pub(super) accepted: u64,
    pub(super) completed: u64,
    pub(super) events_held: u64,
    pub(super) event_participants: u64,
}

/// Rows per direction code while they are being summed.
struct ByDirection(HashMap<String, DirectionRow>);

impl ByDirection {
    fn row(&mut self, d: &str) -> &mut DirectionRow {
        self.0.entry(d.to_string()).or_insert_with(|| DirectionRow {
            direction: d.to_string(),
            booked_hours: 0.0,
            club_attendances: 0,
            program_participants: 0,
            events_held: 0,
            event_participants: 0,
        })
    }
}

impl Activities {
    pub(super) async fn load(
        db: &DatabaseConnection,
        r: &RangeRows,
        direction_minutes: &HashMap<String, i64>,
        now: DateTime<Utc>,
        l: Locale,
    ) -> Result<Activities, AppError> {
        let mut dirs = ByDirection(HashMap::new());
        for (d, minutes) in direction_minutes {
            if *minutes > 0 {
                dirs.row(d).booked_hours = hours(*minutes);
            }
        }
        let mut acts = Activities {
            club_rows: Vec::new(),
            program_rows: Vec::new(),
            event_rows: Vec::new(),
            directions: Vec::new(),
            club_marks: 0,
            club_expected: 0,
            waitlist: 0,
            applications: 0,
            accepted: 0,
            completed: 0,
            events_held: 0,
            event_participants: 0,
        };
        acts.add_clubs(db, r, &mut dirs, now, l).await?;
        acts.add_programs(db, r, &mut dirs, l).await?;
        acts.add_events(r, &mut dirs, now, l);
        let book = crate::centers::directions::DirectionBook::load(db).await?;
        for row in acts
            .club_rows
            .iter_mut()
            .chain(acts.program_rows.iter_mut())
            .chain(acts.event_rows.iter_mut())
        {
            row.direction = book.name(&row.direction, l);
        }
        acts.directions = book
            .codes()
            .filter_map(|d| dirs.0.remove(d))
            .map(|mut row| {
                row.direction = book.name(&row.direction, l);
                row
            })
            .collect();
        Ok(acts)
    }

    async fn add_clubs(
        &mut self,
        db: &DatabaseConnection,
        r: &RangeRows,
        dirs: &mut ByDirection,
        now: DateTime<Utc>,
        l: Locale,
    ) -> Result<(), AppError> {
        let members = club_member::Entity::find()
            .filter(
                club_member::Column::ClubId.is_in(r.clubs.iter().map(|k| k.id).collect::<Vec<_>>()),
            )
            .filter(club_member::Column::Status.is_in(["member", "waiting"]))
            .all(db)
            .await?;
        for k in &r.clubs {
            let held: Vec<&club_session::Model> = r
                .sessions
                .iter()
                .filter(|s| s.club_id == k.id && s.starts_at >= r.start && s.starts_at < now)
                .collect();
            let attendances: u64 = held
                .iter()
                .map(|s| {
                    r.marks_per_session
                        .get(&s.id)
                        .copied()
                        .unwrap_or(0)
                        .max(s.anonymous_count.unwrap_or(0).max(0) as u64)
                })
                .sum();
            let count = |status: ClubPlace| {
                members
                    .iter()
                    .filter(|m| m.club_id == k.id && m.status == status)
                    .count() as u64
            };
            let (n_members, waiting) = (count(ClubPlace::Member), count(ClubPlace::Waiting));
            let expected = held.len() as u64 * n_members;
            if !k.anonymous {
                self.club_marks += attendances;
                self.club_expected += expected;
            }
            self.waitlist += waiting;
            if held.is_empty() && !k.active {
                continue;
            }
            dirs.row(k.direction.as_str()).club_attendances += attendances;
            self.club_rows.push(ActivityRow {
                name: pick(l, &k.name_kk, &k.name_ru, &k.name_en).to_string(),
                direction: k.direction.as_str().to_string(),
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
        Ok(())
    }

    async fn add_programs(
        &mut self,
        db: &DatabaseConnection,
        r: &RangeRows,
        dirs: &mut ByDirection,
        l: Locale,
    ) -> Result<(), AppError> {
        let applications = program_application::Entity::find()
            .filter(
                program_application::Column::ProgramId
                    .is_in(r.programs.iter().map(|p| p.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        let inside = |t: DateTime<Utc>| t >= r.start && t < r.end;
        for p in &r.programs {
            let mine: Vec<&program_application::Model> = applications
                .iter()
                .filter(|a| a.program_id == p.id)
                .collect();
            let applied = mine.iter().filter(|a| inside(a.created_at)).count() as u64;
            let accepted = mine
                .iter()
                .filter(|a| a.status == AppStatus::Accepted && a.decided_at.is_some_and(inside))
                .count() as u64;
            let completed = mine
                .iter()
                .filter(|a| a.completed_at.is_some_and(inside))
                .count() as u64;
            if applied + accepted + completed == 0 {
                continue;
            }
            self.applications += applied;
            self.accepted += accepted;
            self.completed += completed;
            dirs.row(p.direction.as_str()).program_participants += accepted;
            self.program_rows.push(ActivityRow {
                name: pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string(),
                direction: p.direction.as_str().to_string(),
                a: applied,
                b: accepted,
                rate: rate(accepted, applied),
                c: completed,
                d: 0,
            });
        }
        Ok(())
    }

    fn add_events(&mut self, r: &RangeRows, dirs: &mut ByDirection, now: DateTime<Utc>, l: Locale) {
        for e in &r.events {
            if e.starts_at < r.start || e.starts_at >= now {
                continue;
            }
            let n = r.event_participants.get(&e.id).copied().unwrap_or(0);
            self.events_held += 1;
            self.event_participants += n;
            let row = dirs.row(e.direction.as_str());
            row.events_held += 1;
            row.event_participants += n;
            self.event_rows.push(ActivityRow {
                name: pick(l, &e.name_kk, &e.name_ru, &e.name_en).to_string(),
                direction: e.direction.as_str().to_string(),
                a: 1,
                b: n,
                rate: None,
                c: 0,
                d: 0,
            });
        }
    }
}
