use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::occupancy_today;
use super::dto::percent;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox, PrintButton};

#[component]
pub fn OccupancyPage() -> impl IntoView {
    let query = use_query_map();
    let center = Memo::new(move |_| {
        query
            .read()
            .get("center")
            .and_then(|s| s.parse::<i32>().ok())
    });
    let report = Resource::new(move || center.get(), occupancy_today);
    let l = use_locale();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => {
                        let current = r.center.id;
                        view! {
                            <h1 id="page-title">{t(Msg::OccupancyTitle)} ": " {r.center.name.clone()}</h1>
                            <p class="muted">{r.date.clone()}</p>
                            <Show when={
                                let many = r.centers.len() > 1;
                                move || many
                            }>
                                <form method="get" class="inline-form">
                                    // No inline handler: the page's script policy forbids them.
                                    <select name="center" aria-label=t(Msg::NavCenters)>
                                        {r.centers.iter().map(|c| view! {
                                            <option value=c.id selected=c.id == current>{c.name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" data-testid="switch-center">{t(Msg::Show)}</button>
                                </form>
                            </Show>
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
                                <table class="report" data-testid="occupancy">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(Msg::Space)}</th>
                                            <th scope="col" class="num">{t(Msg::BookingsCol)}</th>
                                            <th scope="col" class="num">{t(Msg::CheckInsCol)}</th>
                                            <th scope="col" class="num">{t(Msg::BookedShareCol)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {r.rows.iter().map(|row| view! {
                                            <tr data-space=row.space_id>
                                                <th scope="row">{row.space_name.clone()}<br/><small class="muted">{row.kind.label(l)} " · " {row.capacity}</small></th>
                                                <td class="num" data-col="bookings">{row.bookings}</td>
                                                <td class="num" data-col="check-ins">{row.check_ins}</td>
                                                <td class="num" data-col="share">
                                                    {percent(row.booked_share)}
                                                    <span class="bar" style=format!("--share:{:.3}", row.booked_share.unwrap_or(0.0))></span>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                    <tfoot>
                                        <tr>
                                            <th scope="row">{t(Msg::Total)}</th>
                                            <td class="num" data-testid="total-bookings">{r.total_bookings}</td>
                                            <td class="num" data-testid="total-check-ins">{r.total_check_ins}</td>
                                            <td class="num">{percent(r.total_share)}</td>
                                        </tr>
                                    </tfoot>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

use super::api::{center_report, regional_report};
use super::dto::{ReportQuery, SpaceReportRow, Table};
use crate::domain::space::SpaceKind;
use crate::error::AppError;

/// The report query as a URL query string (for export links).
fn query_string(q: &ReportQuery) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            parts.push(format!("{k}={enc}"));
        }
    };
    add("center", q.center.map(|c| c.to_string()));
    add("from", q.from.clone());
    add("to", q.to.clone());
    add("kind", q.kind.clone());
    add("direction", q.direction.clone());
    parts.join("&")
}

fn use_report_query() -> Memo<ReportQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let s = |k: &str| q.get(k).filter(|v| !v.is_empty());
        ReportQuery {
            center: s("center").and_then(|c| c.parse().ok()),
            from: s("from"),
            to: s("to"),
            kind: s("kind"),
            direction: s("direction"),
        }
    })
}

/// A report table with its CSV download; the accessible twin of a chart.
#[component]
fn ReportTable(table: Table, csv: Option<String>) -> impl IntoView {
    let id = format!("t-{}", table.id);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="report" data-testid=id.clone()>
                <caption id=title_id class="visually-hidden">{table.title.clone()}</caption>
                <thead>
                    <tr>{table.head.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {table.rows.iter().map(|r| view! {
                        <tr>
                            {r.iter().enumerate().map(|(i, c)| if i == 0 {
                                view! { <th scope="row">{c.display()}</th> }.into_any()
                            } else {
                                let class = if c.is_numeric() { "num" } else { "" };
                                view! { <td class=class>{c.display()}</td> }.into_any()
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {csv.map(|href| view! {
            <p class="small"><a href=href download data-testid=format!("{id}-csv")>{t(Msg::DownloadCsv)}</a></p>
        })}
    }
}

/// Horizontal bars of space utilization (booked, with attended inside).
fn utilization_svg(rows: &[SpaceReportRow], label: &str) -> impl IntoView {
    let h = 26 * rows.len().max(1) + 4;
    let label = label.to_string();
    view! {
        <svg class="chart" viewBox=format!("0 0 350 {h}") role="img" aria-label=label preserveAspectRatio="xMinYMin meet">
            {rows.iter().enumerate().map(|(i, r)| {
                let y = 26 * i + 4;
                let b = r.utilization.unwrap_or(0.0) * 180.0;
                let a = r.attended_utilization.unwrap_or(0.0) * 180.0;
                view! {
                    <g>
                        <text x="0" y=y + 14 class="chart-label">{r.name.chars().take(18).collect::<String>()}</text>
                        <rect x="120" y=y width="180" height="18" class="bar-bg"/>
                        <rect x="120" y=y width=format!("{b:.1}") height="18" class="bar-booked"/>
                        <rect x="120" y=y + 6 width=format!("{a:.1}") height="6" class="bar-attended"/>
                        <text x="304" y=y + 14 class="chart-label">{percent(r.utilization).replace(" %", "%")}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Weekday × hour grid, darker = fuller.
fn heat_svg(r: &super::dto::CenterReportDto, label: &str) -> impl IntoView {
    let cols = r.heat_hours.len().max(1);
    let w = 30 + cols * 18;
    let label = label.to_string();
    view! {
        <svg class="chart heat" viewBox=format!("0 0 {w} 150") role="img" aria-label=label>
            {r.heat_hours.iter().enumerate().map(|(i, h)| view! {
                <text x=30 + i * 18 + 2 y="10" class="chart-label tiny">{format!("{h:02}")}</text>
            }).collect_view()}
            {r.heat.iter().enumerate().map(|(d, row)| view! {
                <g>
                    <text x="0" y=14 + d * 19 + 13 class="chart-label tiny">{row.weekday.chars().take(3).collect::<String>()}</text>
                    {row.cells.iter().enumerate().map(|(i, c)| {
                        let (class, op) = match c {
                            Some(s) => ("heat-cell", format!("{:.2}", 0.08 + 0.92 * s)),
                            None => ("heat-closed", "1".to_string()),
                        };
                        view! { <rect x=30 + i * 18 y=14 + d * 19 width="17" height="18" class=class fill-opacity=op/> }
                    }).collect_view()}
                </g>
            }).collect_view()}
        </svg>
    }
}

/// The range, center, space-kind and direction form (plain GET: works
/// without JavaScript and keeps the URL shareable).
#[component]
fn RangeForm(
    q: ReportQuery,
    centers: Vec<crate::centers::dto::CenterDto>,
    /// The region's directions (empty: only "all directions").
    directions: Vec<crate::centers::dto::DirectionOption>,
    from: String,
    to: String,
    /// A refused range: the field it names is marked and the reason shown
    /// under it.
    #[prop(optional)]
    error: Option<AppError>,
) -> impl IntoView {
    let l = use_locale();
    let bad_field = match &error {
        Some(AppError::Invalid { field, .. }) => Some(field.clone()),
        _ => None,
    };
    let message = error.as_ref().map(|e| e.message(l));
    let field_error = move |field: &'static str| {
        let here = bad_field.as_deref() == Some(field);
        (
            if here { "true" } else { "false" },
            here.then(|| format!("range-{field}-error")),
            here.then(|| message.clone()).flatten().map(|m| {
                view! { <span class="field-error" id=format!("range-{field}-error") data-testid=format!("range-{field}-error")>{m}</span> }
            }),
        )
    };
    let (from_invalid, from_described, from_error) = field_error("from");
    let (to_invalid, to_described, to_error) = field_error("to");
    let kind = q.kind.clone().unwrap_or_default();
    let dir = q.direction.clone().unwrap_or_default();
    let current = q.center;
    // Without a center picker the center asked for is kept as it was.
    let kept_center = (centers.len() <= 1)
        .then_some(current)
        .flatten()
        .map(|c| view! { <input type="hidden" name="center" value=c/> });
    view! {
        <form method="get" class="report-form" data-testid="report-form">
            {kept_center}
            <Show when={
                let many = centers.len() > 1;
                move || many
            }>
                <label class="field-inline">{t(Msg::CenterCol)}
                    <select name="center">
                        {centers.iter().map(|c| view! {
                            <option value=c.id selected=Some(c.id) == current>{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <label class="field-inline">{t(Msg::RangeFrom)}
                <input type="date" name="from" value=from required aria-invalid=from_invalid aria-describedby=from_described/>
                {from_error}
            </label>
            <label class="field-inline">{t(Msg::RangeTo)}
                <input type="date" name="to" value=to required aria-invalid=to_invalid aria-describedby=to_described/>
                {to_error}
            </label>
            <label class="field-inline">{t(Msg::Space)}
                <select name="kind">
                    <option value="">{t(Msg::AllKinds)}</option>
                    {SpaceKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == k.as_str()>{k.label(l)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field-inline">{t(Msg::DirectionCol)}
                <select name="direction">
                    <option value="">{t(Msg::AllDirections)}</option>
                    {directions.into_iter().map(|d| {
                        let selected = dir == d.code;
                        view! { <option value=d.code selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" data-testid="report-show">{t(Msg::Show)}</button>
        </form>
        <p class="small muted">{t(Msg::DirectionFilterNote)}</p>
    }
}

/// `/director/reports`: a center's dashboard over a date range.
#[component]
pub fn ReportsPage() -> impl IntoView {
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    let q = use_report_query();
    let report = Resource::new(move || q.get(), center_report);
    let l = use_locale();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => {
                        let mut fixed = r.query.clone();
                        fixed.center = Some(r.center.id);
                        fixed.from = Some(r.from.clone());
                        fixed.to = Some(r.to.clone());
                        let qs = query_string(&fixed);
                        let tables = r.tables(l);
                        let csv = |id: &str| Some(format!("/reports/center.csv?{qs}&table={id}"));
                        let mut it = tables.into_iter();
                        let summary = it.next();
                        let spaces = it.next();
                        let heat = it.next();
                        let rest: Vec<Table> = it.collect();
                        view! {
                            <h1 id="page-title">{t(Msg::ReportsTitle)} ": " {r.center.name.clone()}</h1>
                            <p class="muted" data-testid="report-period">
                                {t(Msg::PeriodLabel)} ": " {r.from.clone()} " – " {r.to.clone()}
                                " · " {t(Msg::PreviousPeriod)} ": " {r.prev_from.clone()} " – " {r.prev_to.clone()}
                            </p>
                            <p class="inside-total">{t(Msg::InsideNow)} ": " <strong data-testid="inside-now">{r.inside_now}</strong></p>
                            <div class="no-print">
                                <RangeForm q=fixed.clone() centers=r.centers.clone() directions=r.direction_options.clone() from=r.from.clone() to=r.to.clone()/>
                                <p class="button-row">
                                    <a class="button" href=format!("/reports/center.xlsx?{qs}") download data-testid="export-xlsx">{t(Msg::DownloadXlsx)}</a>
                                    <PrintButton label=t(Msg::PrintReport).to_string()/>
                                    <a href=format!("/director/region?{}", query_string(&ReportQuery { center: None, ..fixed.clone() }))>{t(Msg::CompareCenters)}</a>
                                </p>
                            </div>
                            {summary.map(|tb| view! {
                                <section class="report-section">
                                    <h2>{tb.title.clone()}</h2>
                                    <ReportTable table=tb csv=csv("summary")/>
                                </section>
                            })}
                            {spaces.map(|tb| view! {
                                <section class="report-section">
                                    <h2>{tb.title.clone()}</h2>
                                    {utilization_svg(&r.spaces, &tb.title)}
                                    <ReportTable table=tb csv=csv("spaces")/>
                                </section>
                            })}
                            {heat.map(|tb| view! {
                                <section class="report-section">
                                    <h2>{tb.title.clone()}</h2>
                                    {heat_svg(&r, &tb.title)}
                                    <ReportTable table=tb csv=csv("heatmap")/>
                                </section>
                            })}
                            {rest.into_iter().filter(|tb| !tb.rows.is_empty()).map(|tb| {
                                let href = csv(&tb.id);
                                view! {
                                    <section class="report-section">
                                        <h2>{tb.title.clone()}</h2>
                                        <ReportTable table=tb csv=href/>
                                    </section>
                                }
                            }).collect_view()}
                        }.into_any()
                    }
                    Err(e) => view! { <RangeRefused q=q.get_untracked() error=e title=Msg::ReportsTitle/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A report whose query was refused: a bad date range is shown on the form
/// itself (the field marked, the reason under it) so it can be put right;
/// anything else (not signed in, another center) as an error box.
#[component]
fn RangeRefused(q: ReportQuery, error: AppError, title: Msg) -> impl IntoView {
    let range_problem =
        matches!(&error, AppError::Invalid { field, .. } if field == "from" || field == "to");
    if !range_problem {
        return view! { <ErrorBox error=error/> }.into_any();
    }
    let from = q.from.clone().unwrap_or_default();
    let to = q.to.clone().unwrap_or_default();
    view! {
        <h1 id="page-title">{t(title)}</h1>
        <div class="alert error" role="alert" data-code=error.code()>
            <p>{t(Msg::RangeFixBelow)}</p>
        </div>
        <RangeForm q=q centers=Vec::new() directions=Vec::new() from=from to=to error=error/>
    }
    .into_any()
}

/// `/director/region`: centers compared (admins: all; directors: theirs).
#[component]
pub fn RegionPage() -> impl IntoView {
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    let q = use_report_query();
    let report = Resource::new(move || q.get(), regional_report);
    let l = use_locale();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => {
                        let fixed = ReportQuery { center: None, from: Some(r.from.clone()), to: Some(r.to.clone()), ..r.query.clone() };
                        let qs = query_string(&fixed);
                        view! {
                            <h1 id="page-title">{t(Msg::RegionTitle)}</h1>
                            <p class="muted" data-testid="report-period">{t(Msg::PeriodLabel)} ": " {r.from.clone()} " – " {r.to.clone()}</p>
                            <div class="no-print">
                                <RangeForm q=fixed.clone() centers=Vec::new() directions=r.direction_options.clone() from=r.from.clone() to=r.to.clone()/>
                                <p class="button-row">
                                    <a class="button" href=format!("/reports/region.xlsx?{qs}") download data-testid="export-xlsx">{t(Msg::DownloadXlsx)}</a>
                                    <PrintButton label=t(Msg::PrintReport).to_string()/>
                                </p>
                            </div>
                            {r.tables(l).into_iter().map(|tb| {
                                let href = Some(format!("/reports/region.csv?{qs}&table={}", tb.id));
                                view! { <ReportTable table=tb csv=href/> }
                            }).collect_view()}
                            <p class="small muted">{t(Msg::SuppressedNote)}</p>
                        }.into_any()
                    }
                    Err(e) => view! { <RangeRefused q=q.get_untracked() error=e title=Msg::RegionTitle/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
