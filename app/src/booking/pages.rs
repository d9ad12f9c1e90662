use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{my_bookings, space_availability, BookSlot, CancelBooking, RescheduleBooking};
use super::dto::*;
use crate::centers::api::{center_detail, list_centers};
use crate::centers::dto::SpaceDto;
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
                                    {(!s.description.is_empty()).then(|| view! { <p data-testid="space-description">{s.description.clone()}</p> })}
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

/// Query parameters of the space page: `week`, `move` (a booking being
/// moved) and `len` (its length).
fn query_i32(key: &'static str) -> Memo<Option<i32>> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| query.read().get(key).and_then(|s| s.parse::<i32>().ok()))
}

#[component]
pub fn SpacePage() -> impl IntoView {
    let id = id_param();
    let for_person = for_param();
    let week = query_i32("week");
    let moving = query_i32("move");
    let move_len = query_i32("len");
    let book = crate::access::flash::form_action::<BookSlot>();
    let mv = crate::access::flash::form_action::<RescheduleBooking>();
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
        move || {
            (
                id.get(),
                week.get(),
                book.version().get(),
                mv.version().get(),
            )
        },
        |(id, week, _, _)| async move {
            match id {
                Some(id) => space_availability(id, week.map(|w| w.max(0) as u32)).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        {move || match book.value().get() {
            Some(Ok(r)) if r.pending => view! {
                <div class="alert ok" role="status" data-testid="booked" data-pending="true">
                    <p>{t(Msg::RequestSent)} " " <A href="/my">{t(Msg::NavMyBookings)}</A></p>
                </div>
            }.into_any(),
            Some(Ok(r)) if r.booking_ids.len() > 1 || !r.skipped.is_empty() => {
                let total = (r.booking_ids.len() + r.skipped.len()) as u32;
                view! {
                    <div class="alert ok" role="status" data-testid="booked" data-series="true">
                        <p>
                            {crate::i18n::rule_text(l, crate::i18n::RuleText::SeriesBooked { n: r.booking_ids.len() as u32, total })}
                            " " <A href="/my">{t(Msg::NavMyBookings)}</A>
                        </p>
                        {(!r.skipped.is_empty()).then(|| view! {
                            <p><strong>{t(Msg::SkippedDates)}</strong></p>
                            <ul data-testid="skipped">
                                {r.skipped.iter().map(|s| view! { <li><strong>{s.date.clone()}</strong> " — " {s.reason.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                    </div>
                }.into_any()
            }
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
        {move || match mv.value().get() {
            Some(Ok(_)) => view! {
                <div class="alert ok" role="status" data-testid="moved">
                    <p>{t(Msg::BookingMoved)} " " <A href="/my">{t(Msg::NavMyBookings)}</A></p>
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
                    Ok(a) => view! {
                        <Availability a=a book=book mv=mv for_person=for_person.get_untracked()
                            moving=moving.get_untracked().filter(|_| mv.value().get_untracked().is_none_or(|r| r.is_err()))
                            move_len=move_len.get_untracked()/>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Link to another week of the same page, keeping `for` and `move`.
fn week_href(
    space_id: i32,
    week: u32,
    for_person: Option<i32>,
    moving: Option<i32>,
    len: Option<i32>,
) -> String {
    let mut q = vec![format!("week={week}")];
    q.extend(for_person.map(|p| format!("for={p}")));
    q.extend(moving.map(|m| format!("move={m}")));
    q.extend(len.map(|m| format!("len={m}")));
    format!("/spaces/{space_id}?{}", q.join("&"))
}

#[component]
fn Availability(
    a: AvailabilityDto,
    book: ServerAction<BookSlot>,
    mv: ServerAction<RescheduleBooking>,
    for_person: Option<i32>,
    moving: Option<i32>,
    move_len: Option<i32>,
) -> impl IntoView {
    let l = use_locale();
    let space = a.space.clone();
    let durations = space.durations.clone();
    let first_len = move_len
        .filter(|m| durations.contains(m))
        .or_else(|| durations.first().copied())
        .unwrap_or(space.slot_minutes);
    let show_seats = space.kind.is_pool();
    let ask_purpose = !space.kind.is_pool();
    let max_party = if space.kind.is_pool() {
        space.max_party.min(space.capacity)
    } else {
        space.max_party
    };
    let weeks_nav = (a.weeks > 1).then(|| {
        let (w, n, id) = (a.week, a.weeks, space.id);
        view! {
            <nav class="week-nav" aria-label=move || t(Msg::FreeTime)>
                {(w > 0).then(|| view! { <a href=week_href(id, w - 1, for_person, moving, move_len) data-testid="prev-week">{t(Msg::PrevWeek)}</a> })}
                {(w + 1 < n).then(|| view! { <a href=week_href(id, w + 1, for_person, moving, move_len) data-testid="next-week">{t(Msg::NextWeek)}</a> })}
            </nav>
        }
    });
    let options = view! {
        <BookingOptions durations=durations first_len=first_len moving=moving
            max_party=max_party ask_purpose=ask_purpose requires_approval=space.requires_approval/>
    };
    let space_name = space.name.clone();
    let days = view! { <SlotDays days=a.days.clone() length=first_len show_seats=show_seats/> };
    let form = match moving {
        Some(booking_id) => view! {
            <ActionForm action=mv attr:class="slots-form" attr:data-testid="move-form">
                <input type="hidden" name="booking_id" value=booking_id/>
                <div class="banner-inline" role="status">
                    {t(Msg::MovingBanner)} " " <strong>{space_name}</strong>
                    " · " <A href="/my">{t(Msg::KeepTime)}</A>
                </div>
                {options}
                {days}
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <ActionForm action=book attr:class="slots-form">
                <input type="hidden" name="space_id" value=space.id/>
                <input type="hidden" name="request_id" value=a.form_token.clone()/>
                {for_person.map(|p| view! { <input type="hidden" name="for_person" value=p/> })}
                {options}
                {days}
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <p class="crumbs"><A href=format!("/centers/{}{}", a.center.id, for_suffix(for_person))>{a.center.name.clone()}</A></p>
        <h1>{space.name.clone()}</h1>
        <p class="muted">
            {space.kind.label(l)} " · " {t(Msg::Capacity)} ": " {space.capacity} " · "
            {t(Msg::TimesLocal)} " (" {a.timezone.clone()} ")"
        </p>
        <SpaceRules space=space.clone()/>
        <h2>{t(Msg::FreeTime)}</h2>
        {weeks_nav.clone()}
        {form}
        {weeks_nav}
    }
}

/// The booking form's choices: length, party size, purpose and weeks in a
/// row (only the length when moving a booking).
#[component]
fn BookingOptions(
    durations: Vec<i32>,
    first_len: i32,
    moving: Option<i32>,
    max_party: i32,
    ask_purpose: bool,
    requires_approval: bool,
) -> impl IntoView {
    view! {
        <div class="booking-options">
            {if durations.len() > 1 {
                view! {
                    <super::islands::LengthSelect label=t(Msg::Length).to_string() durations=durations first_len=first_len/>
                }.into_any()
            } else {
                view! { <input type="hidden" name="minutes" value=first_len/> }.into_any()
            }}
            {(moving.is_none() && max_party > 1).then(|| view! {
                <label class="field-inline">
                    {t(Msg::PartySize)}
                    <input type="number" name="party_size" value="1" min="1" max=max_party inputmode="numeric"/>
                </label>
            })}
            {(moving.is_none() && ask_purpose).then(|| view! {
                <label class="field-inline wide">
                    {t(Msg::Purpose)}
                    <input type="text" name="purpose" maxlength="200" required=requires_approval
                        placeholder=move || t(Msg::PurposeHint) data-testid="purpose"/>
                </label>
            })}
            {moving.is_none().then(|| view! {
                <label class="field-inline">
                    {t(Msg::WeeksInRow)}
                    <input type="number" name="weeks" value="1" min="1" max="12" inputmode="numeric" data-testid="weeks"/>
                </label>
            })}
        </div>
        <p class="muted small">{t(Msg::PickLengthHint)}</p>
    }
}

/// The space's booking rules: approval, induction, age, buffer and notice.
#[component]
fn SpaceRules(space: SpaceDto) -> impl IntoView {
    use crate::i18n::{rule_text, RuleText};
    let l = use_locale();
    view! {
        <ul class="rules" data-testid="space-rules">
            {space.requires_approval.then(|| view! { <li>{t(Msg::NeedsApprovalNote)}</li> })}
            {space.requires_induction.then(|| view! { <li>{t(Msg::InductionNote)}</li> })}
            {(space.min_age > 0).then(|| view! { <li>{rule_text(l, RuleText::MinAgeNote(space.min_age as u32))}</li> })}
            {(space.buffer_minutes > 0).then(|| view! { <li>{rule_text(l, RuleText::BufferNote(space.buffer_minutes as u32))}</li> })}
            {(space.min_notice_minutes > 0).then(|| view! { <li>{rule_text(l, RuleText::NoticeNote(space.min_notice_minutes as u32))}</li> })}
        </ul>
    }
}

/// The week grid: one row of start times per day. A start is enabled when
/// the chosen length fits there.
#[component]
fn SlotDays(days: Vec<DayDto>, length: i32, show_seats: bool) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="days">
            {days.into_iter().map(|d| {
                let no_slots = d.slots.is_empty();
                let closed = d.closed;
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
                                <div class="slots">
                                    {d.slots.into_iter().map(|s| {
                                        let max = s.max_minutes;
                                        let full = s.remaining <= 0;
                                        let fits = !full && max >= length;
                                        view! {
                                            <button type="submit" name="starts_at" value=s.starts_at
                                                class="slot" class:full=!fits disabled=!fits
                                                data-testid="slot" data-max=max data-full=full.then_some("")>
                                                <span>{s.label.clone()}</span>
                                                {show_seats.then(|| view! { <small>{crate::i18n::seats_left(l, s.remaining)}</small> })}
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
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
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    let cancel = crate::access::flash::form_action::<CancelBooking>();
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
    let status = b.status;
    let move_href = format!("/spaces/{}?move={}&len={}", b.space_id, b.id, b.minutes);
    view! {
        <li class="card pass" data-testid="booking" data-status=status.as_str()>
            <h2>{b.space_name.clone()}</h2>
            <p><strong>{b.when.clone()}</strong></p>
            <p class="muted">"#" {b.id} " · " {b.center_name.clone()} " · " {t(Msg::PartySize)} ": " {b.party_size}</p>
            {b.purpose.clone().map(|p| view! { <p class="muted">{t(Msg::Purpose)} ": " {p}</p> })}
            {match status {
                BookingStatus::Pending => Some(view! { <p class="badge warn">{t(Msg::StatusPending)}</p> }.into_any()),
                BookingStatus::Denied => Some(view! {
                    <p class="badge danger">{t(Msg::StatusDenied)}</p>
                    {b.decision_reason.clone().map(|r| view! { <p data-testid="decision-reason">{t(Msg::DecisionReason)} ": " {r}</p> })}
                }.into_any()),
                BookingStatus::NoShow => Some(view! { <p class="badge danger">{t(Msg::StatusNoShow)}</p> }.into_any()),
                BookingStatus::Confirmed | BookingStatus::Cancelled => None,
            }}
            {checked.map(|at| view! { <p class="badge ok">"✓ " {at}</p> })}
            {b.qr_svg.clone().map(|svg| view! {
                <figure class="qr">
                    <div class="qr-img" inner_html=svg></div>
                    <figcaption>{t(Msg::ShowAtDoor)}</figcaption>
                </figure>
            })}
            {b.pass_id.map(|id| view! {
                <p class="pass-actions">
                    <a href=format!("/passes/{id}.png") rel="external" download=format!("ortalyq-pass-{id}.png")
                        data-testid="pass-png">{t(Msg::DownloadPng)}</a>
                    " · "
                    <super::islands::QrFullscreen label=t(Msg::ShowLarge).to_string()/>
                </p>
            })}
            {b.pass_code.clone().map(|code| view! {
                <details>
                    <summary>{t(Msg::PassCode)}</summary>
                    <code class="code" data-testid="pass-code">{code}</code>
                </details>
            })}
            {(status == BookingStatus::Confirmed).then(|| view! {
                <p>
                    <a href=format!("/bookings/{}/calendar.ics", b.id) rel="external" download=format!("ortalyq-booking-{}.ics", b.id)
                        data-testid="add-to-calendar">{t(Msg::AddToCalendar)}</a>
                </p>
            })}
            {b.cancel_until.clone().map(|until| view! {
                <ActionForm action=cancel attr:class="cancel-form">
                    <input type="hidden" name="booking_id" value=b.id/>
                    <small class="muted">{t(Msg::CancelNoticeHint)} " " {until}</small>
                    <a href=move_href.clone() class="button small" data-testid="move-booking">{t(Msg::MoveBooking)}</a>
                    <button type="submit" class="danger small" data-testid="cancel-booking"
                        disabled=move || cancel.pending().get()>{t(Msg::CancelBooking)}</button>
                </ActionForm>
            })}
        </li>
    }
}
