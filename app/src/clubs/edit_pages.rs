//! Pages for directors to change clubs and events after creation: the edit
//! forms, moving one club session, cancelling with a confirmation, and the
//! head count on an event's staff view. Every form works without
//! JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::dto::OptionDto;
use super::edit_api::*;
use super::edit_dto::*;
use crate::centers::dto::DirectionOption;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{aria_invalid, t, use_locale, ErrorBox};

fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()))
}

fn done_or_error<T: Clone + Send + Sync + 'static>(
    value: Option<Result<T, AppError>>,
    msg: Msg,
    testid: &'static str,
) -> Option<AnyView> {
    value.map(|r| match r {
        Ok(_) => {
            view! { <div class="alert ok" role="status" data-testid=testid><p>{t(msg)}</p></div> }
                .into_any()
        }
        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
    })
}

/// Names and descriptions in the three languages, filled in.
#[component]
fn NameFields(
    names: [String; 3],
    descriptions: [String; 3],
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = move |f: &'static str| aria_invalid(err, f);
    let [nk, nr, ne] = names;
    let [dk, dr, de] = descriptions;
    view! {
        <fieldset>
            <legend>{t(Msg::NameLabel)}</legend>
            <label for="name_kk">"Қазақша"</label>
            <input id="name_kk" name="form[name_kk]" maxlength="120" value=nk aria-invalid=invalid("name_kk") data-testid="name-kk"/>
            <label for="name_ru">"Русский"</label>
            <input id="name_ru" name="form[name_ru]" maxlength="120" value=nr aria-invalid=invalid("name_ru")/>
            <label for="name_en">"English"</label>
            <input id="name_en" name="form[name_en]" maxlength="120" value=ne aria-invalid=invalid("name_en")/>
        </fieldset>
        <fieldset>
            <legend>{t(Msg::DescriptionLabel)}</legend>
            <label for="description_kk">"Қазақша"</label>
            <textarea id="description_kk" name="form[description_kk]" maxlength="2000" rows="2"
                aria-invalid=invalid("description_kk")>{dk}</textarea>
            <label for="description_ru">"Русский"</label>
            <textarea id="description_ru" name="form[description_ru]" maxlength="2000" rows="2"
                aria-invalid=invalid("description_ru")>{dr}</textarea>
            <label for="description_en">"English"</label>
            <textarea id="description_en" name="form[description_en]" maxlength="2000" rows="2"
                aria-invalid=invalid("description_en")>{de}</textarea>
        </fieldset>
    }
}

fn room_options(spaces: &[OptionDto], current: i32) -> impl IntoView {
    spaces
        .iter()
        .map(|s| view! { <option value=s.id selected=s.id == current>{s.label.clone()}</option> })
        .collect_view()
}

fn direction_options(directions: &[DirectionOption], current: &str) -> impl IntoView {
    directions
        .iter()
        .map(|d| view! { <option value=d.code.clone() selected=d.code == current>{d.name.clone()}</option> })
        .collect_view()
}

/// A reason and the confirmation box: cancelling needs both.
#[component]
fn CancelFields(err: Signal<Option<AppError>>, hint: Msg) -> impl IntoView {
    view! {
        <label for="cancel-reason">{t(Msg::CancelReason)}</label>
        <input id="cancel-reason" type="text" name="reason" required maxlength="200"
            aria-invalid=aria_invalid(err, "reason") data-testid="cancel-reason"/>
        <p class="muted small">{t(hint)}</p>
        <label class="check">
            <input type="checkbox" name="confirm" value="true" required
                aria-invalid=aria_invalid(err, "confirm") data-testid="confirm-cancel"/>
            " " {t(Msg::ConfirmCancel)}
        </label>
    }
}

/// Directors: change a club, move one of its sessions, or cancel it.
#[component]
pub fn ClubEditPage() -> impl IntoView {
    let id = id_param();
    let save = crate::access::flash::form_action::<UpdateClub>();
    let moved = crate::access::flash::form_action::<MoveClubSession>();
    let cancel = crate::access::flash::form_action::<CancelClub>();
    let data = Resource::new(
        move || (id.get(), save.version().get(), moved.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => club_edit_data(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let cancelled = move || matches!(cancel.value().get(), Some(Ok(())));
    view! {
        <h1>{t(Msg::EditClub)}</h1>
        {move || done_or_error(save.value().get(), Msg::ChangesSaved, "club-saved")}
        {move || done_or_error(moved.value().get(), Msg::SessionMovedDone, "session-moved")}
        {move || done_or_error(cancel.value().get(), Msg::ClubCancelledDone, "club-cancelled")}
        <Show when=move || !cancelled() fallback=|| view! { <p><A href="/clubs">{t(Msg::ClubsTitle)}</A></p> }>
            <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <ClubEditor d=d save=save moved=moved cancel=cancel/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Show>
    }
}

#[component]
fn ClubEditor(
    d: ClubEditDto,
    save: ServerAction<UpdateClub>,
    moved: ServerAction<MoveClubSession>,
    cancel: ServerAction<CancelClub>,
) -> impl IntoView {
    let l = use_locale();
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let move_err = Signal::derive(move || moved.value().get().and_then(|r| r.err()));
    let cancel_err = Signal::derive(move || cancel.value().get().and_then(|r| r.err()));
    let club_id = d.id;
    let f = d.form.clone();
    let spaces = d.spaces.clone();
    let moves = d.sessions.iter().map(|s| { let rooms = room_options(&d.spaces, s.space_id); let s = s.clone(); view! {
                    <li class="card" data-testid="movable-session">
                        <p><strong>{s.label.clone()}</strong></p>
                        <ActionForm action=moved attr:class="form inline-form">
                            <input type="hidden" name="session_id" value=s.id/>
                            <label for=format!("move-date-{}", s.id)>{t(Msg::NewDate)}</label>
                            <input id=format!("move-date-{}", s.id) type="date" name="date" required value=s.date.clone()
                                aria-invalid=aria_invalid(move_err, "date") data-testid="move-date"/>
                            <label for=format!("move-time-{}", s.id)>{t(Msg::StartTime)}</label>
                            <input id=format!("move-time-{}", s.id) type="time" name="start_time" required value=s.start_time.clone()
                                aria-invalid=aria_invalid(move_err, "start_time") data-testid="move-time"/>
                            <label for=format!("move-room-{}", s.id)>{t(Msg::RoomLabel)}</label>
                            <select id=format!("move-room-{}", s.id) name="space_id" aria-invalid=aria_invalid(move_err, "space_id")>
                                {rooms}
                            </select>
                            <button type="submit" class="small" data-testid="move-session" disabled=move || moved.pending().get()>{t(Msg::MoveButton)}</button>
                        </ActionForm>
                    </li>
                }}).collect_view();
    view! {
        <p><A href=format!("/clubs/{club_id}") attr:data-testid="club-link">{d.name.clone()}</A></p>
        <ActionForm action=save attr:class="form" attr:data-testid="club-edit-form">
            <input type="hidden" name="club_id" value=club_id/>
            <NameFields names=[f.name_kk.clone(), f.name_ru.clone(), f.name_en.clone()]
                descriptions=[f.description_kk.clone(), f.description_ru.clone(), f.description_en.clone()] err=err/>
            <label for="direction">{t(Msg::DirectionField)}</label>
            <select id="direction" name="form[direction]" required aria-invalid=aria_invalid(err, "direction")>
                {direction_options(&d.directions, &f.direction)}
            </select>
            <label for="leader">{t(Msg::LeaderLabel)}</label>
            <select id="leader" name="form[leader_account_id]" aria-invalid=aria_invalid(err, "leader_account_id")>
                <option value="0">{t(Msg::NoLeaderYet)}</option>
                {d.leaders.iter().map(|p| view! { <option value=p.id selected=p.id == f.leader_account_id>{p.label.clone()}</option> }).collect_view()}
            </select>
            <p class="muted small">{t(Msg::ScheduleAppliesHint)}</p>
            <label for="space">{t(Msg::RoomLabel)}</label>
            <select id="space" name="form[space_id]" required aria-invalid=aria_invalid(err, "space_id") data-testid="space">
                {room_options(&spaces, f.space_id)}
            </select>
            <label for="weekday">{t(Msg::WeekdayLabel)}</label>
            <select id="weekday" name="form[weekday]" aria-invalid=aria_invalid(err, "weekday")>
                {(0..7u32).map(|i| view! {
                    <option value=i selected=i == f.weekday>{l.weekday(chrono::Weekday::try_from(i as u8).unwrap_or(chrono::Weekday::Mon))}</option>
                }).collect_view()}
            </select>
            <label for="start_time">{t(Msg::StartTime)}</label>
            <input id="start_time" type="time" name="form[start_time]" required value=f.start_time.clone()
                aria-invalid=aria_invalid(err, "start_time")/>
            <label for="duration">{t(Msg::DurationMinutes)}</label>
            <input id="duration" type="number" name="form[duration_minutes]" min="15" max="480" required
                value=f.duration_minutes aria-invalid=aria_invalid(err, "duration_minutes")/>
            <label for="term_end">{t(Msg::TermEnd)}</label>
            <input id="term_end" type="date" name="form[term_end]" required value=f.term_end.clone()
                aria-invalid=aria_invalid(err, "term_end")/>
            <label for="capacity">{t(Msg::Capacity)}</label>
            <input id="capacity" type="number" name="form[capacity]" min="1" max="500" required value=f.capacity
                aria-invalid=aria_invalid(err, "capacity") data-testid="capacity"/>
            <label for="min_age">{t(Msg::MinAgeLabel)}</label>
            <input id="min_age" type="number" name="form[min_age]" min="0" max="35" value=f.min_age/>
            <label for="max_age">{t(Msg::MaxAgeLabel)}</label>
            <input id="max_age" type="number" name="form[max_age]" min="0" max="35" value=f.max_age
                aria-invalid=aria_invalid(err, "max_age")/>
            <p class="muted small">{t(Msg::AgeZeroHint)}</p>
            <button type="submit" class="primary" data-testid="save-club" disabled=move || save.pending().get()>{t(Msg::Save)}</button>
        </ActionForm>
        <section class="card">
            <h2>{t(Msg::MoveSession)}</h2>
            <ul class="cards" data-testid="movable-sessions">
                {moves}
            </ul>
        </section>
        <details class="card">
            <summary>{t(Msg::CancelClub)}</summary>
            <ActionForm action=cancel attr:class="form" attr:data-testid="cancel-club-form">
                <input type="hidden" name="club_id" value=club_id/>
                <CancelFields err=cancel_err hint=Msg::CancelClubHint/>
                <button type="submit" class="danger" data-testid="cancel-club" disabled=move || cancel.pending().get()>{t(Msg::CancelClub)}</button>
            </ActionForm>
        </details>
    }
}

/// Directors: change an event (also to or from a place outside the
/// building) or cancel it.
#[component]
pub fn EventEditPage() -> impl IntoView {
    let id = id_param();
    let save = crate::access::flash::form_action::<UpdateEvent>();
    let cancel = crate::access::flash::form_action::<CallOffEvent>();
    let data = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => event_edit_data(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let cancelled = move || matches!(cancel.value().get(), Some(Ok(())));
    view! {
        <h1>{t(Msg::EditEvent)}</h1>
        {move || done_or_error(save.value().get(), Msg::ChangesSaved, "event-saved")}
        {move || done_or_error(cancel.value().get(), Msg::EventCancelledDone, "event-cancelled")}
        <Show when=move || !cancelled() fallback=|| view! { <p><A href="/events">{t(Msg::EventsTitle)}</A></p> }>
            <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <EventEditor d=d save=save cancel=cancel/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Show>
    }
}

#[component]
fn EventEditor(
    d: EventEditDto,
    save: ServerAction<UpdateEvent>,
    cancel: ServerAction<CallOffEvent>,
) -> impl IntoView {
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let cancel_err = Signal::derive(move || cancel.value().get().and_then(|r| r.err()));
    let event_id = d.id;
    let f = d.form.clone();
    view! {
        <p><A href=format!("/events/{event_id}") attr:data-testid="event-link">{d.name.clone()}</A></p>
        <ActionForm action=save attr:class="form" attr:data-testid="event-edit-form">
            <input type="hidden" name="event_id" value=event_id/>
            <NameFields names=[f.name_kk.clone(), f.name_ru.clone(), f.name_en.clone()]
                descriptions=[f.description_kk.clone(), f.description_ru.clone(), f.description_en.clone()] err=err/>
            <label for="direction">{t(Msg::DirectionField)}</label>
            <select id="direction" name="form[direction]" required aria-invalid=aria_invalid(err, "direction")>
                {direction_options(&d.directions, &f.direction)}
            </select>
            <OutsideFields outside=f.outside place=f.place.clone() err=err/>
            <label for="space">{t(Msg::RoomLabel)}</label>
            <select id="space" name="form[space_id]" aria-invalid=aria_invalid(err, "space_id") data-testid="space">
                {room_options(&d.spaces, f.space_id)}
            </select>
            <label for="date">{t(Msg::DateLabel)}</label>
            <input id="date" type="date" name="form[date]" required value=f.date.clone() aria-invalid=aria_invalid(err, "date")/>
            <label for="start_time">{t(Msg::StartTime)}</label>
            <input id="start_time" type="time" name="form[start_time]" required value=f.start_time.clone()
                aria-invalid=aria_invalid(err, "start_time") data-testid="start-time"/>
            <label for="duration">{t(Msg::DurationMinutes)}</label>
            <input id="duration" type="number" name="form[duration_minutes]" min="15" max="480" required
                value=f.duration_minutes aria-invalid=aria_invalid(err, "duration_minutes")/>
            <label for="capacity">{t(Msg::Capacity)}</label>
            <input id="capacity" type="number" name="form[capacity]" min="1" max="2000" required value=f.capacity
                aria-invalid=aria_invalid(err, "capacity") data-testid="capacity"/>
            <label for="min_age">{t(Msg::MinAgeLabel)}</label>
            <input id="min_age" type="number" name="form[min_age]" min="0" max="35" value=f.min_age
                aria-invalid=aria_invalid(err, "min_age")/>
            <button type="submit" class="primary" data-testid="save-event" disabled=move || save.pending().get()>{t(Msg::Save)}</button>
        </ActionForm>
        <details class="card">
            <summary>{t(Msg::CancelEvent)}</summary>
            <ActionForm action=cancel attr:class="form" attr:data-testid="cancel-event-form">
                <input type="hidden" name="event_id" value=event_id/>
                <CancelFields err=cancel_err hint=Msg::CancelEventHint/>
                <button type="submit" class="danger" data-testid="cancel-event" disabled=move || cancel.pending().get()>{t(Msg::CancelEvent)}</button>
            </ActionForm>
        </details>
    }
}

/// "Outside the building" and the place written out (event forms).
#[component]
pub fn OutsideFields(outside: bool, place: String, err: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name="form[outside]" value="true" checked=outside data-testid="outside"/>
            " " {t(Msg::OutsideBuilding)}
        </label>
        <label for="place">{t(Msg::PlaceLabel)}</label>
        <input id="place" type="text" name="form[place]" maxlength="200" value=place
            aria-invalid=aria_invalid(err, "place") data-testid="place"/>
        <p class="muted small">{t(Msg::OutsideHint)}</p>
    }
}

/// The staff view of an event: the edit button (directors, admins) and the
/// head count of people who came.
#[component]
pub fn EventStaffTools(event_id: i32, head_count: Option<u32>, can_edit: bool) -> impl IntoView {
    let count = crate::access::flash::form_action::<RecordEventHeadCount>();
    let err = Signal::derive(move || count.value().get().and_then(|r| r.err()));
    view! {
        {can_edit.then(|| view! {
            <p><A href=format!("/director/events/{event_id}/edit") attr:class="button" attr:data-testid="edit-event">{t(Msg::EditEvent)}</A></p>
        })}
        <section class="card" data-testid="event-head-count">
            <h2>{t(Msg::RecordHeadCount)}</h2>
            {move || count.value().get().map(|r| match r {
                Ok(n) => view! { <div class="alert ok" role="status" data-testid="count-saved"><p>{t(Msg::HeadCountSaved)} ": " {n}</p></div> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <p class="muted small">{t(Msg::HeadCountEventHint)}</p>
            <ActionForm action=count attr:class="form inline-form">
                <input type="hidden" name="event_id" value=event_id/>
                <label for="event-head-count">{t(Msg::HeadCount)}</label>
                <input id="event-head-count" type="number" name="count" min="0" max="100000" inputmode="numeric"
                    value=head_count.unwrap_or(0) required aria-invalid=aria_invalid(err, "count") data-testid="head-count"/>
                <button type="submit" class="primary" data-testid="save-count" disabled=move || count.pending().get()>{t(Msg::Save)}</button>
            </ActionForm>
        </section>
    }
}
