use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{
    center_detail, list_centers, my_bookings, space_availability, BookSlot, CancelBooking,
};
use super::dto::*;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

/// `?for=<person id>`: front desk booking on behalf of a walk-in member.
fn for_param() -> Memo<Option<i32>> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| query.read().get("for").and_then(|s| s.parse::<i32>().ok()))
}

fn for_suffix(person: Option<i32>) -> String {
    person.map(|p| format!("?for={p}")).unwrap_or_default()
}

fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()))
}

#[component]
pub fn CentersPage() -> impl IntoView {
    let centers = Resource::new(|| (), |_| list_centers());
    view! {
        <section class="hero">
            <h1>{t(Msg::CentersTitle)}</h1>
            <p>{t(Msg::Tagline)}</p>
        </section>
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match centers.await {
                    Ok(list) => view! {
                        <ul class="cards" data-testid="centers">
                            {list.into_iter().map(|c| view! {
                                <li class="card">
                                    <A href=format!("/centers/{}", c.id)>
                                        <strong>{c.name.clone()}</strong>
                                    </A>
                                    <p class="muted">
                                        {c.city.clone()} " · "
                                        {if c.is_regional { t(Msg::RegionalCenter) } else { t(Msg::DistrictCenter) }}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CenterPage() -> impl IntoView {
    let for_person = for_param();
    let id = id_param();
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => center_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <h1>{d.center.name.clone()}</h1>
                        <h2>{t(Msg::OpenSpaces)}</h2>
                        <ul class="cards" data-testid="spaces">
                            {d.spaces.into_iter().map(|s| view! {
                                <li class="card">
                                    <A href=format!("/spaces/{}{}", s.id, for_suffix(for_person.get()))><strong>{s.name.clone()}</strong></A>
                                    <p class="muted">
                                        {s.kind.label(l)} " · " {t(Msg::Capacity)} ": " {s.capacity}
                                        " · " {t(Msg::SlotLength)} ": " {s.slot_minutes} " " {t(Msg::Minutes)}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SpacePage() -> impl IntoView {
    let id = id_param();
    let for_person = for_param();
    let book = ServerAction::<BookSlot>::new();
    let member = Resource::new(
        move || for_person.get(),
        |p| async move {
            match p {
                Some(p) => crate::membership::api::member_brief(p).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let availability = Resource::new(
        move || (id.get(), book.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => space_availability(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {move || match book.value().get() {
            Some(Ok(_)) if for_person.get().is_some() => view! {
                <div class="alert ok" role="status" data-testid="booked">
                    <p>{t(Msg::BookedForMember)}</p>
                </div>
            }.into_any(),
            Some(Ok(_)) => view! {
                <div class="alert ok" role="status" data-testid="booked">
                    <p>{t(Msg::Booked)} " " <A href="/my">{t(Msg::NavMyBookings)}</A></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match member.await {
                    Ok(Some(m)) => view! {
                        <div class="banner-inline" role="status" data-testid="booking-for">
                            {t(Msg::BookingFor)} ": " <strong>{m.name.clone()}</strong> " · " {m.age_band.label()} " · " {t(m.consent.msg())}
                        </div>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match availability.await {
                    Ok(a) => view! { <Availability a=a book=book for_person=for_person.get_untracked()/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Availability(
    a: AvailabilityDto,
    book: ServerAction<BookSlot>,
    for_person: Option<i32>,
) -> impl IntoView {
    let l = use_locale();
    let space = a.space.clone();
    view! {
        <p class="crumbs"><A href=format!("/centers/{}{}", a.center.id, for_suffix(for_person))>{a.center.name.clone()}</A></p>
        <h1>{space.name.clone()}</h1>
        <p class="muted">
            {space.kind.label(l)} " · " {t(Msg::Capacity)} ": " {space.capacity} " · "
            {t(Msg::TimesLocal)} " (" {a.timezone.clone()} ")"
        </p>
        <h2>{t(Msg::FreeSlotsNext7)}</h2>
        <div class="days">
            {a.days.into_iter().map(|d| {
                let space_id = space.id;
                let capacity = space.capacity;
                let no_slots = d.slots.is_empty();
                let closed = d.closed;
                let form_token = a.form_token.clone();
                let closed_reason = d.closed_reason.clone();
                view! {
                    <section class="day" data-date=d.iso_date.clone()>
                        <h3>{d.label.clone()}</h3>
                        {if closed {
                            view! {
                                <p class="muted">{t(Msg::Closed)} {closed_reason.map(|h| format!(": {h}"))}</p>
                            }.into_any()
                        } else if no_slots {
                            view! { <p class="muted">{t(Msg::NoFreeSlots)}</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=book attr:class="slots-form">
                                    <input type="hidden" name="space_id" value=space_id/>
                                    <input type="hidden" name="request_id" value=form_token.clone()/>
                                    {for_person.map(|p| view! { <input type="hidden" name="for_person" value=p/> })}
                                    <Show when=move || { capacity > 1 }>
                                        <label class="party">
                                            {t(Msg::PartySize)}
                                            <input type="number" name="party_size" value="1" min="1" max=capacity/>
                                        </label>
                                    </Show>
                                    <div class="slots">
                                        {d.slots.into_iter().map(|s| {
                                            let full = s.remaining == 0;
                                            view! {
                                                <button type="submit" name="starts_at" value=s.starts_at
                                                    class="slot" class:full=full
                                                    disabled=move || full || book.pending().get()
                                                    data-testid="slot">
                                                    <span>{s.label.clone()}</span>
                                                    <Show when=move || { capacity > 1 }>
                                                        <small>{crate::i18n::seats_left(l, s.remaining)}</small>
                                                    </Show>
                                                </button>
                                            }
                                        }).collect_view()}
                                    </div>
                                </ActionForm>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let cancel = ServerAction::<CancelBooking>::new();
    let bookings = Resource::new(move || cancel.version().get(), |_| my_bookings());
    view! {
        <h1>{t(Msg::MyBookingsTitle)}</h1>
        {move || match cancel.value().get() {
            Some(Ok(())) => view! {
                <div class="alert ok" role="status" data-testid="cancelled"><p>{t(Msg::BookingCancelled)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match bookings.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{t(Msg::NoBookings)} " " <A href="/">{t(Msg::NavCenters)}</A></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="passes">
                            {list.into_iter().map(|b| view! { <PassCard b=b cancel=cancel/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PassCard(b: BookingDto, cancel: ServerAction<CancelBooking>) -> impl IntoView {
    let checked = b.checked_in_at.clone();
    view! {
        <li class="card pass" data-testid="booking">
            <h2>{b.space_name.clone()}</h2>
            <p><strong>{b.when.clone()}</strong></p>
            <p class="muted">{b.center_name.clone()} " · " {t(Msg::PartySize)} ": " {b.party_size}</p>
            {checked.map(|at| view! { <p class="badge ok">"✓ " {at}</p> })}
            {b.qr_svg.clone().map(|svg| view! {
                <figure class="qr">
                    <div class="qr-img" inner_html=svg></div>
                    <figcaption>{t(Msg::ShowAtDoor)}</figcaption>
                </figure>
            })}
            {b.pass_code.clone().map(|code| view! {
                <details>
                    <summary>{t(Msg::PassCode)}</summary>
                    <code class="code" data-testid="pass-code">{code}</code>
                </details>
            })}
            <p>
                <a href=format!("/bookings/{}/calendar.ics", b.id) rel="external" download=format!("ortalyq-booking-{}.ics", b.id)
                    data-testid="add-to-calendar">{t(Msg::AddToCalendar)}</a>
            </p>
            {b.cancel_until.clone().map(|until| view! {
                <ActionForm action=cancel attr:class="cancel-form">
                    <input type="hidden" name="booking_id" value=b.id/>
                    <small class="muted">{t(Msg::CancelNoticeHint)} " " {until}</small>
                    <button type="submit" class="danger small" data-testid="cancel-booking"
                        disabled=move || cancel.pending().get()>{t(Msg::CancelBooking)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// Staff: close a center for a day, see and reopen planned closures.
#[component]
pub fn ClosuresPage() -> impl IntoView {
    use super::api::{closures, AddClosure, RemoveClosure};
    let add = ServerAction::<AddClosure>::new();
    let remove = ServerAction::<RemoveClosure>::new();
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
                    Ok(d) => view! {
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
                                    <input id="closure-day" type="date" name="day" required aria-invalid=move || {
                                        if matches!(add_err.get(), Some(AppError::Invalid { field, .. }) if field == "day") { "true" } else { "false" }
                                    }/>
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
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
