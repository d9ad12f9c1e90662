use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::occupancy_today;
use super::dto::percent;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

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
                                    <select name="center" onchange="this.form.submit()" aria-label=t(Msg::NavCenters)>
                                        {r.centers.iter().map(|c| view! {
                                            <option value=c.id selected=c.id == current>{c.name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                    <noscript><button type="submit">{t(Msg::Show)}</button></noscript>
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
