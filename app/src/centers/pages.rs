//! Staff pages of centers and spaces: the space list, closures and center
//! settings.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::*;
use super::dto::*;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

/// Directors: the spaces of their centers with the rules in short.
#[component]
pub fn SpacesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| managed_spaces());
    let l = use_locale();
    view! {
        <h1>{t(Msg::SpacesTitle)}</h1>
        <p><A href="/director/spaces/new" attr:class="button" attr:data-testid="new-space">{t(Msg::NewSpace)}</A></p>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(centers) => centers.into_iter().map(|c| view! {
                        <section>
                            <h2>{c.center.name.clone()}
                                {(!c.center.active).then(|| view! { " " <span class="badge warn">{t(Msg::CenterDeactivated)}</span> })}
                            </h2>
                            <p><A href=format!("/director/centers/{}", c.center.id) attr:data-testid="edit-center">{t(Msg::EditCenterSettings)}</A></p>
                            <ul class="cards" data-testid="managed-spaces">
                                {c.spaces.into_iter().map(|s| view! {
                                    <li class="card">
                                        <strong>{s.name.clone()}</strong> " "
                                        {if s.active {
                                            view! { <span class="badge" data-testid="space-status">{t(Msg::SpaceActiveBadge)}</span> }.into_any()
                                        } else {
                                            view! { <span class="badge warn" data-testid="space-status">{t(Msg::SpaceInactiveBadge)}</span> }.into_any()
                                        }}
                                        <p class="muted">
                                            {s.kind.label(l)} " · " {t(Msg::Capacity)} ": " {s.capacity}
                                            " · " {s.durations.first().copied().unwrap_or(0)} "–" {s.durations.last().copied().unwrap_or(0)} " " {t(Msg::Minutes)}
                                            {s.requires_approval.then(|| view! { " · " <span class="badge warn">{t(Msg::ApprovalBadge)}</span> })}
                                            {s.requires_induction.then(|| view! { " · " <span class="badge warn">{t(Msg::InductionBadge)}</span> })}
                                            {s.direction_name.clone().map(|d| view! { " · " <span class="badge">{d}</span> })}
                                        </p>
                                        <A href=format!("/director/spaces/{}", s.id) attr:data-testid="edit-rules">{t(Msg::EditRules)}</A>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Directors: a center's weekly opening hours and fair-share limits.
#[component]
pub fn CenterSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()));
    let save = crate::access::flash::form_action::<SaveCenterSettings>();
    let data = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => center_settings(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let l = use_locale();
    view! {
        {move || match save.value().get() {
            Some(Ok(())) => view! {
                <div class="alert ok" role="status" data-testid="settings-saved"><p>{t(Msg::SettingsSaved)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let f = d.form.clone();
                        let invalid = move |field: String| crate::ui::aria_invalid(err, field);
                        view! {
                            <p class="crumbs"><A href="/director/spaces">{t(Msg::SpacesTitle)}</A></p>
                            <h1 id="page-title">{t(Msg::CenterSettingsTitle)}</h1>
                            <p class="muted">{d.center.name.clone()}</p>
                            <section class="card wide-form">
                                <ActionForm action=save attr:class="form" attr:data-testid="center-form">
                                    <input type="hidden" name="center_id" value=d.center.id/>
                                    <p class="muted small">{t(Msg::HoursHint)}</p>
                                    <table class="hours">
                                        <thead><tr><th scope="col"></th><th scope="col">{t(Msg::Opens)}</th><th scope="col">{t(Msg::Closes)}</th></tr></thead>
                                        <tbody>
                                            {WEEKDAY_KEYS.iter().enumerate().map(|(i, key)| {
                                                let (o, c) = f.day(i);
                                                let wd = chrono::Weekday::try_from(i as u8).unwrap_or(chrono::Weekday::Mon);
                                                let name = l.weekday(wd);
                                                view! {
                                                    <tr>
                                                        <th scope="row">{name}</th>
                                                        <td><input type="time" name=format!("settings[{key}_opens]") value=o.to_string()
                                                            aria-label=format!("{name} {}", t(Msg::Opens)) aria-invalid=invalid(format!("{key}_opens"))
                                                            data-testid=format!("{key}-opens")/></td>
                                                        <td><input type="time" name=format!("settings[{key}_closes]") value=c.to_string()
                                                            aria-label=format!("{name} {}", t(Msg::Closes)) aria-invalid=invalid(format!("{key}_closes"))
                                                            data-testid=format!("{key}-closes")/></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <div class="field">
                                        <label for="max-future">{t(Msg::MaxFutureField)}</label>
                                        <input id="max-future" type="number" name="settings[max_future_bookings]" value=f.max_future_bookings
                                            min="1" max="50" required inputmode="numeric" aria-invalid=invalid("max_future_bookings".into())/>
                                    </div>
                                    <div class="field">
                                        <label for="max-studio">{t(Msg::MaxStudioHoursField)}</label>
                                        <input id="max-studio" type="number" name="settings[max_studio_hours]" value=f.max_studio_hours
                                            min="1" max="168" required inputmode="numeric" aria-invalid=invalid("max_studio_hours".into())/>
                                    </div>
                                    <div class="field">
                                        <label for="strike-limit">{t(Msg::StrikeLimitField)}</label>
                                        <input id="strike-limit" type="number" name="settings[strike_limit]" value=f.strike_limit
                                            min="0" max="20" required inputmode="numeric" aria-invalid=invalid("strike_limit".into())/>
                                    </div>
                                    <div class="field">
                                        <label for="strike-window">{t(Msg::StrikeWindowField)}</label>
                                        <input id="strike-window" type="number" name="settings[strike_window_days]" value=f.strike_window_days
                                            min="1" max="365" required inputmode="numeric" aria-invalid=invalid("strike_window_days".into())/>
                                    </div>
                                    <div class="field">
                                        <label for="strike-block">{t(Msg::StrikeBlockField)}</label>
                                        <input id="strike-block" type="number" name="settings[strike_block_days]" value=f.strike_block_days
                                            min="1" max="90" required inputmode="numeric" aria-invalid=invalid("strike_block_days".into())/>
                                    </div>
                                    <p class="muted small">{t(Msg::StaffExemptHint)}</p>
                                    <button type="submit" class="primary" data-testid="save-center" disabled=move || save.pending().get()>{t(Msg::Save)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Staff: close a center for a day, see and reopen planned closures.
#[component]
pub fn ClosuresPage() -> impl IntoView {
    use super::api::{closures, RemoveClosure};
    use crate::booking::api::AddClosure;
    let add = crate::access::flash::form_action::<AddClosure>();
    let remove = crate::access::flash::form_action::<RemoveClosure>();
    let data = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| closures(),
    );
    let l = use_locale();
    let add_err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    view! {
        <h1 id="page-title">{t(Msg::ClosuresTitle)}</h1>
        <p class="muted">{t(Msg::ClosuresIntro)}</p>
        {move || match add.value().get() {
            Some(Ok(n)) => view! {
                <div class="alert ok" role="status" data-testid="closure-added"><p>{crate::i18n::closure_added(l, n)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let centers = d.centers.clone();
                        view! {
                        <section class="card wide-form">
                            <ActionForm action=add attr:class="form" attr:data-testid="add-closure">
                                <div class="field">
                                    <label for="closure-center">{t(Msg::NavCenters)}</label>
                                    <select id="closure-center" name="center_id">
                                        {d.centers.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="closure-day">{t(Msg::ClosureDay)}</label>
                                    <input id="closure-day" type="date" name="day" required aria-invalid=crate::ui::aria_invalid(add_err, "day")/>
                                </div>
                                <div class="field">
                                    <label for="closure-reason">{t(Msg::ClosureReason)}</label>
                                    <input id="closure-reason" type="text" name="reason" required maxlength="200"/>
                                </div>
                                <button type="submit" class="primary" disabled=move || add.pending().get()>{t(Msg::AddClosure)}</button>
                            </ActionForm>
                        </section>
                        {if d.closures.is_empty() {
                            view! { <p class="muted">{t(Msg::NoClosures)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" data-testid="closures">
                                    {d.closures.into_iter().map(|c| view! {
                                        <li class="card" data-day=c.iso_day.clone()>
                                            <strong>{c.day.clone()}</strong> " · " {c.center.clone()}
                                            <p class="muted">{c.reason.clone()}</p>
                                            <ActionForm action=remove attr:class="inline-action">
                                                <input type="hidden" name="closure_id" value=c.id/>
                                                <button type="submit" class="small">{t(Msg::Reopen)}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <super::admin_pages::HolidayOpenings centers=centers/>
                    }.into_any()
                    },
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
