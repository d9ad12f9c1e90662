//! Pages for club leaders and directors: a session's roster on a phone,
//! cancelling a session, and the forms that create clubs and events.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::*;
use super::dto::*;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{aria_invalid, t, use_locale, ErrorBox};

/// A session's roster: tick who came (or the head count of an anonymous
/// group), cancel an upcoming session with a reason.
#[component]
pub fn RosterPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let club = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()));
    let session = Memo::new(move |_| {
        query
            .read()
            .get("session")
            .and_then(|s| s.parse::<i32>().ok())
    });
    let mark = crate::access::flash::form_action::<MarkAttendance>();
    let count = crate::access::flash::form_action::<RecordHeadCount>();
    let cancel = crate::access::flash::form_action::<CancelClubSession>();
    let roster = Resource::new(
        move || {
            (
                club.get(),
                session.get(),
                mark.version().get(),
                count.version().get(),
                cancel.version().get(),
            )
        },
        |(club, session, ..)| async move {
            match club {
                Some(id) => club_roster(id, session).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let cancel_err = Signal::derive(move || cancel.value().get().and_then(|r| r.err()));
    view! {
        {move || mark.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        {move || count.value().get().map(|r| match r {
            Ok(n) => view! { <div class="alert ok" role="status" data-testid="count-saved"><p>{t(Msg::HeadCountSaved)} ": " {n}</p></div> }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        {move || cancel.value().get().map(|r| match r {
            Ok(()) => view! { <div class="alert ok" role="status" data-testid="session-cancelled"><p>{t(Msg::SessionCancelledDone)}</p></div> }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match roster.await {
                    Ok(r) => view! { <Roster r=r mark=mark count=count cancel=cancel cancel_err=cancel_err/> }.into_any(),
                    Err(e) => view! { <h1>{t(Msg::RosterTitle)}</h1> <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Roster(
    r: RosterDto,
    mark: ServerAction<MarkAttendance>,
    count: ServerAction<RecordHeadCount>,
    cancel: ServerAction<CancelClubSession>,
    cancel_err: Signal<Option<AppError>>,
) -> impl IntoView {
    let session_id = r.session.id;
    let club_id = r.club_id;
    let open = !r.session.cancelled;
    let upcoming = open && !r.session.past;
    let present = r.rows.iter().filter(|x| x.present).count();
    view! {
        <h1>{t(Msg::RosterTitle)}</h1>
        <p><A href=format!("/clubs/{club_id}")>{r.club.clone()}</A></p>
        <form method="get" class="form inline-form">
            <label for="session-pick">{t(Msg::SessionLabel)}</label>
            <select id="session-pick" name="session" data-testid="session-pick">
                {r.sessions.iter().map(|s| view! {
                    <option value=s.id selected=s.id == session_id>
                        {s.label.clone()} {s.cancelled.then(|| format!(" — {}", t(Msg::SessionCancelled)))}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit" class="small" data-testid="show-session">{t(Msg::Show)}</button>
        </form>
        <h2 data-testid="session-label">{r.session.label.clone()}</h2>
        {r.session.cancel_reason.clone().map(|why| view! {
            <p class="badge danger">{t(Msg::SessionCancelled)} ": " {why}</p>
        })}
        {if r.anonymous {
            view! {
                <p class="muted">{t(Msg::AnonymousHint)}</p>
                <Show when=move || open>
                    <ActionForm action=count attr:class="form inline-form">
                        <input type="hidden" name="session_id" value=session_id/>
                        <label for="head-count">{t(Msg::HeadCount)}</label>
                        <input id="head-count" type="number" name="count" min="0" max="500" inputmode="numeric"
                            value=r.head_count.unwrap_or(0) data-testid="head-count" required/>
                        <button type="submit" class="primary" data-testid="save-count">{t(Msg::Save)}</button>
                    </ActionForm>
                </Show>
            }.into_any()
        } else {
            view! {
                <p data-testid="present-count">{t(Msg::PresentLabel)} ": " {present} "/" {r.rows.len()}</p>
                {r.rows.is_empty().then(|| view! { <p class="muted">{t(Msg::NoMembersYet)}</p> })}
                <ul class="roster" data-testid="roster">
                    {r.rows.into_iter().map(|row| {
                        let now_present = row.present;
                        view! {
                            <li class:present=now_present data-testid="roster-row">
                                <ActionForm action=mark attr:class="roster-form">
                                    <input type="hidden" name="session_id" value=session_id/>
                                    <input type="hidden" name="person_id" value=row.person_id/>
                                    <input type="hidden" name="present" value=(!now_present).to_string()/>
                                    <button type="submit" class=if now_present { "tick on" } else { "tick" }
                                        aria-pressed=now_present.to_string() data-testid="tick"
                                        disabled=move || !open || mark.pending().get()>
                                        <span aria-hidden="true">{if now_present { "✓" } else { "○" }}</span>
                                        " " {row.name.clone()}
                                    </button>
                                </ActionForm>
                                <span class="muted small">{t(Msg::StreakLabel)} ": " {row.streak}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {(!r.waiting.is_empty()).then(|| view! {
                    <h3>{t(Msg::WaitingLabel)}</h3>
                    <ol data-testid="waitlist">{r.waiting.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ol>
                })}
            }.into_any()
        }}
        <Show when=move || upcoming>
            <details class="card">
                <summary>{t(Msg::CancelSession)}</summary>
                <ActionForm action=cancel attr:class="form">
                    <input type="hidden" name="session_id" value=session_id/>
                    <label for="cancel-reason">{t(Msg::CancelReason)}</label>
                    <input id="cancel-reason" type="text" name="reason" required maxlength="200"
                        aria-invalid=aria_invalid(cancel_err, "reason") data-testid="cancel-reason"/>
                    <p class="muted small">{t(Msg::CancelSessionHint)}</p>
                    <button type="submit" class="danger" data-testid="cancel-session">{t(Msg::CancelSession)}</button>
                </ActionForm>
            </details>
        </Show>
    }
}

/// Names and descriptions in the three languages.
#[component]
fn NameFields(err: Signal<Option<AppError>>) -> impl IntoView {
    let invalid = move |f: &'static str| aria_invalid(err, f);
    view! {
        <fieldset>
            <legend>{t(Msg::NameLabel)}</legend>
            <label for="name_kk">"Қазақша"</label>
            <input id="name_kk" name="form[name_kk]" maxlength="120" aria-invalid=invalid("name_kk") data-testid="name-kk"/>
            <label for="name_ru">"Русский"</label>
            <input id="name_ru" name="form[name_ru]" maxlength="120" aria-invalid=invalid("name_ru")/>
            <label for="name_en">"English"</label>
            <input id="name_en" name="form[name_en]" maxlength="120" aria-invalid=invalid("name_en")/>
        </fieldset>
        <fieldset>
            <legend>{t(Msg::DescriptionLabel)}</legend>
            <label for="description_kk">"Қазақша"</label>
            <textarea id="description_kk" name="form[description_kk]" maxlength="2000" rows="2"></textarea>
            <label for="description_ru">"Русский"</label>
            <textarea id="description_ru" name="form[description_ru]" maxlength="2000" rows="2"></textarea>
            <label for="description_en">"English"</label>
            <textarea id="description_en" name="form[description_en]" maxlength="2000" rows="2"></textarea>
        </fieldset>
    }
}

/// A room picker grouped by center, and the direction.
#[component]
fn RoomAndDirection(o: FormOptionsDto, err: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <label for="space">{t(Msg::RoomLabel)}</label>
        <select id="space" name="form[space_id]" required aria-invalid=aria_invalid(err, "space_id") data-testid="space">
            {o.centers.into_iter().map(|c| view! {
                <optgroup label=c.name.clone()>
                    {c.spaces.into_iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
                </optgroup>
            }).collect_view()}
        </select>
        <label for="direction">{t(Msg::DirectionField)}</label>
        <select id="direction" name="form[direction]" required aria-invalid=aria_invalid(err, "direction")>
            {o.directions.into_iter().map(|d| view! { <option value=d.code>{d.name}</option> }).collect_view()}
        </select>
    }
}

/// Directors: a new club with its weekly schedule and term.
#[component]
pub fn NewClubPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateClub>();
    let options = Resource::new(|| (), |_| activity_form_options());
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let l = use_locale();
    view! {
        <h1>{t(Msg::NewClub)}</h1>
        {move || create.value().get().map(|r| match r {
            Ok(id) => view! {
                <div class="alert ok" role="status" data-testid="club-created">
                    <p>{t(Msg::ClubCreated)} " " <A href=format!("/clubs/{id}")>{t(Msg::OpenClub)}</A></p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => {
                        let leaders = o.leaders.clone();
                        view! {
                            <ActionForm action=create attr:class="form" attr:data-testid="club-form">
                                <NameFields err=err/>
                                <RoomAndDirection o=o err=err/>
                                <label for="leader">{t(Msg::LeaderLabel)}</label>
                                <select id="leader" name="form[leader_account_id]">
                                    <option value="0">{t(Msg::NoLeaderYet)}</option>
                                    {leaders.into_iter().map(|p| view! { <option value=p.id>{p.label}</option> }).collect_view()}
                                </select>
                                <label for="weekday">{t(Msg::WeekdayLabel)}</label>
                                <select id="weekday" name="form[weekday]">
                                    {(0..7u32).map(|i| view! {
                                        <option value=i>{l.weekday(chrono::Weekday::try_from(i as u8).unwrap_or(chrono::Weekday::Mon))}</option>
                                    }).collect_view()}
                                </select>
                                <label for="start_time">{t(Msg::StartTime)}</label>
                                <input id="start_time" type="time" name="form[start_time]" required value="18:00"
                                    aria-invalid=aria_invalid(err, "start_time")/>
                                <label for="duration">{t(Msg::DurationMinutes)}</label>
                                <input id="duration" type="number" name="form[duration_minutes]" min="15" max="480" value="90" required
                                    aria-invalid=aria_invalid(err, "duration_minutes")/>
                                <label for="term_start">{t(Msg::TermStart)}</label>
                                <input id="term_start" type="date" name="form[term_start]" required aria-invalid=aria_invalid(err, "term_start")/>
                                <label for="term_end">{t(Msg::TermEnd)}</label>
                                <input id="term_end" type="date" name="form[term_end]" required aria-invalid=aria_invalid(err, "term_end")/>
                                <label for="capacity">{t(Msg::Capacity)}</label>
                                <input id="capacity" type="number" name="form[capacity]" min="1" max="200" value="15" required
                                    aria-invalid=aria_invalid(err, "capacity")/>
                                <label for="min_age">{t(Msg::MinAgeLabel)}</label>
                                <input id="min_age" type="number" name="form[min_age]" min="0" max="35" value="0"/>
                                <label for="max_age">{t(Msg::MaxAgeLabel)}</label>
                                <input id="max_age" type="number" name="form[max_age]" min="0" max="35" value="0"
                                    aria-invalid=aria_invalid(err, "max_age")/>
                                <p class="muted small">{t(Msg::AgeZeroHint)}</p>
                                <label class="check">
                                    <input type="checkbox" name="form[anonymous]" value="true"/>
                                    " " {t(Msg::AnonymousGroup)}
                                </label>
                                <p class="muted small">{t(Msg::AnonymousHint)}</p>
                                <button type="submit" class="primary" data-testid="create-club"
                                    disabled=move || create.pending().get()>{t(Msg::NewClub)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Directors: a new event.
#[component]
pub fn NewEventPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateEvent>();
    let options = Resource::new(|| (), |_| activity_form_options());
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <h1>{t(Msg::NewEvent)}</h1>
        {move || create.value().get().map(|r| match r {
            Ok(id) => view! {
                <div class="alert ok" role="status" data-testid="event-created">
                    <p>{t(Msg::EventCreated)} " " <A href=format!("/events/{id}")>{t(Msg::OpenEvent)}</A></p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => {
                        let centers = o.centers.clone();
                        view! {
                        <ActionForm action=create attr:class="form" attr:data-testid="event-form">
                            <NameFields err=err/>
                            <RoomAndDirection o=o err=err/>
                            <super::edit_pages::OutsideFields outside=false place=String::new() err=err/>
                            <label for="center">{t(Msg::CenterLabel)}</label>
                            <select id="center" name="form[center_id]" aria-invalid=aria_invalid(err, "center_id") data-testid="center">
                                {centers.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                            </select>
                            <label for="date">{t(Msg::DateLabel)}</label>
                            <input id="date" type="date" name="form[date]" required aria-invalid=aria_invalid(err, "date")/>
                            <label for="start_time">{t(Msg::StartTime)}</label>
                            <input id="start_time" type="time" name="form[start_time]" required value="18:00"
                                aria-invalid=aria_invalid(err, "start_time")/>
                            <label for="duration">{t(Msg::DurationMinutes)}</label>
                            <input id="duration" type="number" name="form[duration_minutes]" min="15" max="480" value="120" required
                                aria-invalid=aria_invalid(err, "duration_minutes")/>
                            <label for="capacity">{t(Msg::Capacity)}</label>
                            <input id="capacity" type="number" name="form[capacity]" min="1" max="2000" value="40" required
                                aria-invalid=aria_invalid(err, "capacity")/>
                            <label for="min_age">{t(Msg::MinAgeLabel)}</label>
                            <input id="min_age" type="number" name="form[min_age]" min="0" max="35" value="0"
                                aria-invalid=aria_invalid(err, "min_age")/>
                            <button type="submit" class="primary" data-testid="create-event"
                                disabled=move || create.pending().get()>{t(Msg::NewEvent)}</button>
                        </ActionForm>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
