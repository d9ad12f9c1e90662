//! Occupancy of one center for one local day, and the range reports
//! (dashboard, regional roll-up, exports) built from `figures`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::dto::{OccupancyDto, OccupancyRowDto};
use crate::access::CurrentUser;
use crate::centers::occupancy::occupants;
use crate::centers::service::{center_dto, center_tz, list_centers, load_space, space_dto};
use crate::domain::codes::BookingStatus;
use crate::domain::occupancy::{capacity_minutes, share};
use crate::domain::slots::{local_to_utc, Interval};
use crate::error::{AppError, Problem};
use crate::i18n::{day_label, Locale};
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
            .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
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
// Range reports (directors' dashboard, regional roll-up, exports); the
// figures themselves are computed in `figures.rs`.

use std::collections::HashSet;

use super::figures::compute;

use super::dto::{CenterReportDto, CountRow, HeatRow, RegionalDto, RegionalRow, ReportQuery};
use crate::domain::direction::Direction;
use crate::domain::metrics::{previous_period, suppress, AgeBand};
use crate::domain::people::{Occupation, Settlement};
use crate::domain::space::SpaceKind;

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
    let cur = compute(db, &c, from, to, kind, direction.clone(), now, l).await?;
    let prev = compute(db, &c, pf, pt, kind, direction, now, l).await?;
    let q_direction = q.direction.clone();

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
        direction_options: crate::centers::directions::DirectionBook::load(db)
            .await?
            .options(l, q_direction.as_deref()),
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
        let cur = compute(db, &c, from, to, kind, direction.clone(), now, l).await?;
        let prev = compute(db, &c, pf, pt, kind, direction.clone(), now, l).await?;
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
    let direction_options = crate::centers::directions::DirectionBook::load(db)
        .await?
        .options(l, q.direction.as_deref());
    Ok(RegionalDto {
        query: q,
        from: from.to_string(),
        to: to.to_string(),
        direction_options,
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
/// Cyrillic and Kazakh letters right), comma-separated, RFC 4180 quoting by
/// the `csv` crate. Text that a spreadsheet would run as a formula (a club
/// or member name starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) is written with a leading `'`, so it shows as text.
pub fn to_csv(table: &super::dto::Table) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| {
        tracing::error!("csv export: {e}");
        AppError::Internal
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(table.head.iter().map(|h| inert(h)))
        .map_err(fail)?;
    for r in &table.rows {
        w.write_record(r.iter().map(csv_cell)).map_err(fail)?;
    }
    w.into_inner().map_err(|e| fail(e.into_error().into()))
}

/// Text a spreadsheet shows as text, never runs as a formula.
fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// CSV keeps plain numbers (a share as 0.425) so spreadsheets can compute;
/// only text is neutralised (a negative number stays a number).
fn csv_cell(c: &super::dto::Cell) -> String {
    use super::dto::Cell;
    match c {
        Cell::Text(s) => inert(s),
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
            Ok((format!("{stem}-{}.csv", t.id), CSV_TYPE, to_csv(t)?))
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

#[cfg(test)]
mod tests {
    use super::to_csv;
    use crate::reporting::dto::{Cell, Table};

    #[test]
    fn csv_quotes_fields_and_writes_formulas_as_text() {
        let table = Table {
            id: "clubs".into(),
            title: "Clubs".into(),
            head: vec!["Name".into(), "=Count".into()],
            rows: vec![
                vec![
                    Cell::Text("=HYPERLINK(\"http://evil\")".into()),
                    Cell::Num(-3.0),
                ],
                vec![Cell::Text("@SUM(A1)".into()), Cell::Num(2.5)],
                vec![Cell::Text("+7 701".into()), Cell::Pct(Some(0.425))],
                vec![Cell::Text("-1".into()), Cell::Suppressed],
                vec![Cell::Text("\tTab".into()), Cell::Pct(None)],
                vec![Cell::Text("Ән, \"Жастар\"".into()), Cell::Int(12)],
            ],
        };
        let text = String::from_utf8(to_csv(&table).unwrap()).unwrap();
        let expected = "\u{feff}Name,'=Count\r\n\
            \"'=HYPERLINK(\"\"http://evil\"\")\",-3.0\r\n\
            '@SUM(A1),2.5\r\n\
            '+7 701,0.4250\r\n\
            '-1,<5\r\n\
            '\tTab,\r\n\
            \"Ән, \"\"Жастар\"\"\",12\r\n";
        assert_eq!(text, expected);
    }
}
