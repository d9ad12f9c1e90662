//! Regional admin: the region's centers (list, new, edit, deactivate) and
//! the holiday calendar; directors: holiday openings on the closures page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::admin_api::*;
use super::admin_dto::*;
use super::dto::WEEKDAY_KEYS;
use crate::domain::people::Settlement;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{aria_invalid, t, use_locale, ErrorBox};

/// Regional admin: every center with its status.
#[component]
pub fn CentersAdminPage() -> impl IntoView {
    let toggle = crate::access::flash::form_action::<SetCenterActive>();
    let data = Resource::new(move || toggle.version().get(), |_| admin_centers());
    view! {
        <h1 id="page-title">{t(Msg::CentersAdminTitle)}</h1>
        <p class="muted">{t(Msg::CentersAdminIntro)}</p>
        <p><A href="/admin/centers/new" attr:class="button primary" attr:data-testid="new-center">{t(Msg::NewCenter)}</A></p>
        {move || toggle.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! {
                        <ul class="cards" data-testid="admin-centers">
                            {rows.into_iter().map(|c| view! { <CenterRow c=c toggle=toggle/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CenterRow(c: CenterRowDto, toggle: ServerAction<SetCenterActive>) -> impl IntoView {
    let status = if c.active {
        Msg::CenterActive
    } else {
        Msg::CenterDeactivated
    };
    view! {
        <li class="card" data-testid=format!("center-{}", c.id) data-active=c.active.to_string()>
            <h2 class="h3"><A href=format!("/admin/centers/{}", c.id)>{c.name.clone()}</A></h2>
            <p class="muted small">
                {c.district.clone()} " · " {c.timezone.clone()}
                {c.is_regional.then(|| view! { " · " <span class="badge">{t(Msg::RegionalCenter)}</span> })}
                " · " <span class=if c.active { "badge" } else { "badge warn" } data-testid="center-status">{t(status)}</span>
            </p>
            {(!c.is_regional).then(|| view! { <ActiveToggle id=c.id active=c.active toggle=toggle/> })}
        </li>
    }
}

/// Deactivate or reactivate one center.
#[component]
fn ActiveToggle(id: i32, active: bool, toggle: ServerAction<SetCenterActive>) -> impl IntoView {
    view! {
        <ActionForm action=toggle attr:class="inline-action">
            <input type="hidden" name="center_id" value=id/>
            <input type="hidden" name="active" value=(!active).to_string()/>
            <button type="submit" class="small" data-testid="toggle-active">
                {if active { t(Msg::DeactivateCenter) } else { t(Msg::ReactivateCenter) }}
            </button>
        </ActionForm>
    }
}

/// A text field of the center form (`form[field]`).
fn text_field(
    field: &'static str,
    label: Msg,
    value: String,
    max: u32,
    required: bool,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("center-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input id=id type="text" name=format!("form[{field}]") value=value maxlength=max required=required
                aria-invalid=aria_invalid(err, field) data-testid=format!("center-{field}")/>
        </div>
    }
}

/// A description of the center form (`form[field]`).
fn text_area(
    field: &'static str,
    label: Msg,
    value: String,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("center-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <textarea id=id name=format!("form[{field}]") maxlength="1000" rows="3"
                aria-invalid=aria_invalid(err, field)>{value}</textarea>
        </div>
    }
}

/// The week of opening hours (`form[mon_opens]`…).
fn hours_table(f: &CenterForm, err: Signal<Option<AppError>>) -> impl IntoView {
    let l = use_locale();
    let week = f.hours();
    view! {
        <fieldset>
            <legend>{t(Msg::CenterHours)}</legend>
            <p class="muted small">{t(Msg::HoursHint)}</p>
            <table class="hours">
                <thead><tr><th scope="col"></th><th scope="col">{t(Msg::Opens)}</th><th scope="col">{t(Msg::Closes)}</th></tr></thead>
                <tbody>
                    {WEEKDAY_KEYS.iter().enumerate().map(|(i, key)| {
                        let (o, c) = week.day(i);
                        let wd = chrono::Weekday::try_from(i as u8).unwrap_or(chrono::Weekday::Mon);
                        let name = l.weekday(wd);
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td><input type="time" name=format!("form[{key}_opens]") value=o.to_string()
                                    aria-label=format!("{name} {}", t(Msg::Opens)) aria-invalid=aria_invalid(err, format!("{key}_opens"))
                                    data-testid=format!("{key}-opens")/></td>
                                <td><input type="time" name=format!("form[{key}_closes]") value=c.to_string()
                                    aria-label=format!("{name} {}", t(Msg::Closes)) aria-invalid=aria_invalid(err, format!("{key}_closes"))
                                    data-testid=format!("{key}-closes")/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </fieldset>
    }
}

/// Every field of a center's card and hours.
fn center_fields(f: CenterForm, err: Signal<Option<AppError>>) -> impl IntoView {
    let l = use_locale();
    let settlement = f.settlement.clone();
    let hours = hours_table(&f, err);
    view! {
        {text_field("name_kk", Msg::DirNameKk, f.name_kk, 120, true, err)}
        {text_field("name_ru", Msg::DirNameRu, f.name_ru, 120, true, err)}
        {text_field("name_en", Msg::DirNameEn, f.name_en, 120, true, err)}
        {text_field("district", Msg::CenterDistrict, f.district, 120, true, err)}
        <div class="field">
            <label for="center-settlement">{t(Msg::CenterSettlement)}</label>
            <select id="center-settlement" name="form[settlement]" aria-invalid=aria_invalid(err, "settlement")>
                {Settlement::ALL.iter().map(|s| view! {
                    <option value=s.as_str() selected=settlement == s.as_str()>{s.label(l)}</option>
                }).collect_view()}
            </select>
        </div>
        {text_field("address", Msg::CenterAddress, f.address, 200, true, err)}
        <div class="field">
            <label for="center-timezone">{t(Msg::CenterTimezone)}</label>
            <input id="center-timezone" type="text" name="form[timezone]" value=f.timezone list="kz-zones" required maxlength="64"
                autocapitalize="none" spellcheck="false" aria-describedby="center-timezone-hint"
                aria-invalid=aria_invalid(err, "timezone") data-testid="center-timezone"/>
            <datalist id="kz-zones">
                {KZ_TIME_ZONES.iter().map(|z| view! { <option value=*z></option> }).collect_view()}
            </datalist>
            <p class="muted small" id="center-timezone-hint">{t(Msg::CenterTimezoneHint)}</p>
        </div>
        {text_field("phone", Msg::CenterPhone, f.phone, 40, false, err)}
        {text_field("email", Msg::Email, f.email, 120, false, err)}
        {text_area("description_kk", Msg::ProgDescriptionKk, f.description_kk, err)}
        {text_area("description_ru", Msg::ProgDescriptionRu, f.description_ru, err)}
        {text_area("description_en", Msg::ProgDescriptionEn, f.description_en, err)}
        {hours}
    }
}

/// Regional admin: open a new center.
#[component]
pub fn NewCenterPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateCenter>();
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let empty = CenterForm {
        settlement: "city".into(),
        timezone: "Asia/Almaty".into(),
        ..Default::default()
    };
    view! {
        <p class="crumbs"><A href="/admin/centers">{t(Msg::CentersAdminTitle)}</A></p>
        <h1 id="page-title">{t(Msg::NewCenter)}</h1>
        {move || match create.value().get() {
            Some(Ok(id)) => view! {
                <div class="alert ok" role="status" data-testid="center-created">
                    <p>{t(Msg::CenterCreated)} " " <A href=format!("/admin/centers/{id}")>{t(Msg::Edit)}</A></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <section class="card wide-form">
            <ActionForm action=create attr:class="form" attr:data-testid="new-center-form">
                {center_fields(empty, err)}
                <button type="submit" class="primary" data-testid="create-center" disabled=move || create.pending().get()>{t(Msg::CreateCenter)}</button>
            </ActionForm>
        </section>
    }
}

/// Regional admin: edit one center, deactivate or reactivate it.
#[component]
pub fn CenterAdminPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()));
    let save = crate::access::flash::form_action::<SaveCenter>();
    let toggle = crate::access::flash::form_action::<SetCenterActive>();
    let data = Resource::new(
        move || (id.get(), save.version().get(), toggle.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => admin_center(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <p class="crumbs"><A href="/admin/centers">{t(Msg::CentersAdminTitle)}</A></p>
        {move || match save.value().get() {
            Some(Ok(())) => view! {
                <div class="alert ok" role="status" data-testid="center-saved"><p>{t(Msg::CenterSaved)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || toggle.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <h1 id="page-title">{c.name.clone()}</h1>
                        <p class="muted small">{t(Msg::CenterSlug)} ": " <code>{c.slug.clone()}</code></p>
                        {(!c.active).then(|| view! {
                            <div class="alert warn" role="status" data-testid="center-inactive"><p>{t(Msg::CenterDeactivatedHint)}</p></div>
                        })}
                        {(!c.is_regional).then(|| view! { <ActiveToggle id=c.id active=c.active toggle=toggle/> })}
                        <section class="card wide-form">
                            <ActionForm action=save attr:class="form" attr:data-testid="center-edit-form">
                                <input type="hidden" name="center_id" value=c.id/>
                                {center_fields(c.form.clone(), err)}
                                <button type="submit" class="primary" data-testid="save-center" disabled=move || save.pending().get()>{t(Msg::Save)}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Regional admin: the holidays of a year; add and remove movable ones.
#[component]
pub fn HolidaysPage() -> impl IntoView {
    let query = use_query_map();
    let year = Memo::new(move |_| {
        query
            .read()
            .get("year")
            .and_then(|y| y.trim().parse::<i32>().ok())
    });
    let add = crate::access::flash::form_action::<AddHoliday>();
    let remove = crate::access::flash::form_action::<RemoveHoliday>();
    let data = Resource::new(
        move || (year.get(), add.version().get(), remove.version().get()),
        |(year, _, _)| holidays_admin(year),
    );
    let add_err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    view! {
        <h1 id="page-title">{t(Msg::HolidaysTitle)}</h1>
        <p class="muted">{t(Msg::HolidaysIntro)}</p>
        {move || match add.value().get() {
            Some(Ok(_)) => view! {
                <div class="alert ok" role="status" data-testid="holiday-added"><p>{t(Msg::HolidayAdded)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <form method="get" action="/admin/holidays" class="form inline">
                            <div class="field">
                                <label for="holiday-year">{t(Msg::HolidayYear)}</label>
                                <input id="holiday-year" type="number" name="year" value=d.year min="2000" max="2100" inputmode="numeric"/>
                            </div>
                            <button type="submit" data-testid="show-year">{t(Msg::Show)}</button>
                        </form>
                        <h2>{d.year}</h2>
                        {if d.holidays.is_empty() {
                            view! { <p class="muted">{t(Msg::NoHolidays)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" data-testid="holidays">
                                    {d.holidays.into_iter().map(|h| view! {
                                        <li class="card" data-day=h.iso_day.clone() data-movable=h.movable.to_string()>
                                            <strong>{h.day.clone()}</strong> " · " {h.name.clone()} " "
                                            <span class="badge muted">{if h.movable { t(Msg::HolidayOneYear) } else { t(Msg::HolidayEveryYear) }}</span>
                                            {h.movable.then(|| view! {
                                                <ActionForm action=remove attr:class="inline-action">
                                                    <input type="hidden" name="holiday_id" value=h.id/>
                                                    <button type="submit" class="small" data-testid="remove-holiday">{t(Msg::DirDelete)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        <section class="card wide-form">
            <h2>{t(Msg::AddHoliday)}</h2>
            <ActionForm action=add attr:class="form" attr:data-testid="add-holiday">
                <div class="field">
                    <label for="holiday-day">{t(Msg::HolidayDay)}</label>
                    <input id="holiday-day" type="date" name="holiday[day]" required aria-invalid=aria_invalid(add_err, "day") data-testid="holiday-day"/>
                </div>
                {[("name_kk", Msg::DirNameKk), ("name_ru", Msg::DirNameRu), ("name_en", Msg::DirNameEn)].into_iter().map(|(field, label)| {
                    let id = format!("holiday-{field}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{t(label)}</label>
                            <input id=id.clone() type="text" name=format!("holiday[{field}]") required maxlength="120"
                                aria-invalid=aria_invalid(add_err, field) data-testid=id/>
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="primary" data-testid="add-holiday-submit" disabled=move || add.pending().get()>{t(Msg::AddHoliday)}</button>
            </ActionForm>
        </section>
    }
}

/// The closures page's second part: centers open on a holiday for an
/// event. Directors and admins add and remove them; the desk sees them.
#[component]
pub fn HolidayOpenings(centers: Vec<super::dto::CenterDto>) -> impl IntoView {
    let add = crate::access::flash::form_action::<AddHolidayOpening>();
    let remove = crate::access::flash::form_action::<RemoveHolidayOpening>();
    let data = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| holiday_openings(),
    );
    let add_err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let centers = StoredValue::new(centers);
    view! {
        <h2>{t(Msg::HolidayOpeningsTitle)}</h2>
        <p class="muted">{t(Msg::HolidayOpeningsIntro)}</p>
        {move || match add.value().get() {
            Some(Ok(())) => view! {
                <div class="alert ok" role="status" data-testid="opening-added"><p>{t(Msg::OpeningAdded)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let may_edit = d.may_edit;
                        view! {
                            {may_edit.then(|| view! {
                                <section class="card wide-form">
                                    <ActionForm action=add attr:class="form" attr:data-testid="add-opening">
                                        <div class="field">
                                            <label for="opening-center">{t(Msg::NavCenters)}</label>
                                            <select id="opening-center" name="center_id">
                                                {centers.get_value().into_iter().filter(|c| c.active).map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="opening-day">{t(Msg::HolidayDay)}</label>
                                            <input id="opening-day" type="date" name="day" required aria-invalid=aria_invalid(add_err, "day")/>
                                        </div>
                                        <div class="field">
                                            <label for="opening-reason">{t(Msg::OpeningReason)}</label>
                                            <input id="opening-reason" type="text" name="reason" required maxlength="200" aria-invalid=aria_invalid(add_err, "reason")/>
                                        </div>
                                        <button type="submit" class="primary" disabled=move || add.pending().get()>{t(Msg::AddOpening)}</button>
                                    </ActionForm>
                                </section>
                            })}
                            {if d.openings.is_empty() {
                                view! { <p class="muted">{t(Msg::NoOpenings)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="cards" data-testid="holiday-openings">
                                        {d.openings.into_iter().map(|o| view! {
                                            <li class="card" data-day=o.iso_day.clone()>
                                                <strong>{o.day.clone()}</strong> " · " {o.holiday.clone()} " · " {o.center.clone()}
                                                <p class="muted">{o.reason.clone()}</p>
                                                {may_edit.then(|| view! {
                                                    <ActionForm action=remove attr:class="inline-action">
                                                        <input type="hidden" name="opening_id" value=o.id/>
                                                        <button type="submit" class="small">{t(Msg::KeepClosed)}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
