//! Members browse mentors and book consultations; mentors publish their
//! times; staff see counts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    consultation_report, list_mentors, mentor_schedule, my_consultations, BookConsultation,
    CancelConsultation, PublishSlots, SaveMentorProfile, WithdrawSlot,
};
use super::dto::{MentorDto, MyConsultationDto, SlotState};
use crate::domain::consultation::Field;
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::ui::{t, use_locale, ErrorBox};

/// Members: mentors by field and language, free times to book, and the
/// member's own consultations.
#[component]
pub fn MentorsPage() -> impl IntoView {
    let query = use_query_map();
    let field = Memo::new(move |_| query.read().get("field").unwrap_or_default());
    let lang = Memo::new(move |_| query.read().get("lang").unwrap_or_default());
    let book = crate::access::flash::form_action::<BookConsultation>();
    let cancel = crate::access::flash::form_action::<CancelConsultation>();
    let mentors = Resource::new(
        move || {
            (
                field.get(),
                lang.get(),
                book.version().get(),
                cancel.version().get(),
            )
        },
        |(f, lg, _, _)| list_mentors(None, Some(f), Some(lg)),
    );
    let mine = Resource::new(
        move || (book.version().get(), cancel.version().get()),
        // Anonymous visitors browse too: ask for their consultations only
        // when signed in (so the page is not answered with a 401).
        |_| async move {
            match crate::membership::api::whoami().await {
                Ok(Some(_)) => my_consultations().await,
                _ => Ok(Vec::new()),
            }
        },
    );
    view! {
        <h1>{t(Msg::MentorsTitle)}</h1>
        <p class="muted">{t(Msg::MentorsIntro)}</p>
        {move || match book.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="consultation-booked"><p>{t(Msg::ConsultationBooked)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match cancel.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status"><p>{t(Msg::ConsultationCancelled)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <MyConsultations mine=mine cancel=cancel/>
        <MentorFilter field=field lang=lang/>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match mentors.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::NoMentors)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="mentors">
                            {list.into_iter().map(|m| view! { <MentorCard m=m book=book/> }.into_any()).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The member's own consultations (upcoming ones can be cancelled); nothing
/// when there are none or nobody is signed in.
#[component]
fn MyConsultations(
    mine: Resource<Result<Vec<MyConsultationDto>, AppError>>,
    cancel: ServerAction<CancelConsultation>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="card" data-testid="my-consultations">
                            <h2>{t(Msg::MyConsultationsTitle)}</h2>
                            <ul class="board-list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <strong>{c.when.clone()}</strong> " · " {c.mentor_name.clone()} " · " {c.field.label(l)}
                                        {c.topic.clone().map(|tp| view! { <span class="muted">" — " {tp}</span> })}
                                        <Show when=move || c.upcoming>
                                            <ActionForm action=cancel attr:class="inline-action">
                                                <input type="hidden" name="slot_id" value=c.slot_id/>
                                                <button type="submit" class="danger small" data-testid="cancel-consultation">{t(Msg::CancelConsultation)}</button>
                                            </ActionForm>
                                        </Show>
                                    </li>
                                }.into_any()).collect_view()}
                            </ul>
                            <p class="muted small">{t(Msg::PrivateNote)}</p>
                        </section>
                    }.into_any(),
                    // Not signed in: browsing still works.
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// Narrow the mentors to a field and a language (a plain GET form).
#[component]
fn MentorFilter(field: Memo<String>, lang: Memo<String>) -> impl IntoView {
    let l = use_locale();
    view! {
        <form method="get" action="/mentors" class="booking-options" data-testid="mentor-filter">
            <label class="field-inline">
                {t(Msg::FilterField)}
                <select name="field">
                    <option value="">{t(Msg::AnyField)}</option>
                    {Field::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() selected=move || field.get() == f.as_str()>{f.label(l)}</option>
                    }.into_any()).collect_view()}
                </select>
            </label>
            <label class="field-inline">
                {t(Msg::Language)}
                <select name="lang">
                    <option value="">{t(Msg::AnyLanguage)}</option>
                    {Locale::ALL.into_iter().map(|x| view! {
                        <option value=x.code() selected=move || lang.get() == x.code()>{x.native_name()}</option>
                    }.into_any()).collect_view()}
                </select>
            </label>
            <button type="submit" class="secondary">{t(Msg::Show)}</button>
        </form>
    }
}

/// One mentor: field, languages, bio, and their free times to book.
#[component]
fn MentorCard(m: MentorDto, book: ServerAction<BookConsultation>) -> impl IntoView {
    let l = use_locale();
    let langs = m
        .languages
        .iter()
        .map(|x| x.native_name())
        .collect::<Vec<_>>()
        .join(", ");
    let private = m.field.is_private();
    view! {
        <li class="card mentor" data-mentor=m.id>
            <h2>{m.name.clone()}</h2>
            <p><span class="badge">{m.field.label(l)}</span> " · " {t(Msg::MentorLanguages)} ": " {langs}</p>
            <p>{m.bio.clone()}</p>
            <p class="muted small">{m.center_name.clone()}</p>
            <Show when=move || private>
                <p class="muted small">{t(Msg::PrivateNote)}</p>
            </Show>
            {if m.free_slots.is_empty() {
                view! { <p class="muted">{t(Msg::NoFreeTimes)}</p> }.into_any()
            } else {
                view! {
                    <ul class="board-list">
                        {m.free_slots.clone().into_iter().map(|s| view! {
                            <li>
                                <ActionForm action=book attr:class="search-row">
                                    <input type="hidden" name="slot_id" value=s.id/>
                                    <strong>{s.when.clone()}</strong>
                                    <label class="visually-hidden" for=format!("topic-{}", s.id)>{t(Msg::TopicLabel)}</label>
                                    <input id=format!("topic-{}", s.id) type="text" name="topic" maxlength="300"
                                        placeholder=t(Msg::TopicLabel) data-testid="consultation-topic"/>
                                    <button type="submit" class="primary small" data-testid="book-consultation"
                                        disabled=move || book.pending().get()>{t(Msg::BookConsultation)}</button>
                                </ActionForm>
                            </li>
                        }.into_any()).collect_view()}
                    </ul>
                }.into_any()
            }}
        </li>
    }
}

/// Mentors: their profile, publishing times (one or weekly), and who booked.
#[component]
pub fn MentorSchedulePage() -> impl IntoView {
    let l = use_locale();
    let publish = crate::access::flash::form_action::<PublishSlots>();
    let withdraw = crate::access::flash::form_action::<WithdrawSlot>();
    let save = crate::access::flash::form_action::<SaveMentorProfile>();
    let schedule = Resource::new(
        move || {
            (
                publish.version().get(),
                withdraw.version().get(),
                save.version().get(),
            )
        },
        |_| mentor_schedule(),
    );
    let err = Signal::derive(move || publish.value().get().and_then(|r| r.err()));
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    let profile_err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <h1>{t(Msg::MentorScheduleTitle)}</h1>
        {move || match publish.value().get() {
            Some(Ok(n)) => view! { <div class="alert ok" role="status" data-testid="slots-published"><p>{t(Msg::SlotsPublished)} " " {n}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match withdraw.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status"><p>{t(Msg::SlotWithdrawn)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match save.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="profile-saved"><p>{t(Msg::ProfileSaved)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match schedule.await {
                    Ok(None) => view! {
                        <p class="muted">{t(Msg::MentorProfileIntro)}</p>
                        <ProfileForm save=save err=profile_err profile=None/>
                    }.into_any(),
                    Ok(Some(s)) => view! {
                        <p class="muted">{s.field.label(l)} " · " {s.center_name.clone()}</p>
                        <details class="card wide-form">
                            <summary>{t(Msg::MentorProfileTitle)}</summary>
                            <ProfileForm save=save err=profile_err profile=Some(s.profile.clone())/>
                        </details>
                        <section class="card wide-form">
                            <h2>{t(Msg::PublishSlotsTitle)}</h2>
                            <ActionForm action=publish attr:class="form" attr:data-testid="publish-form">
                                <div class="field">
                                    <label for="slot-date">{t(Msg::SlotDate)}</label>
                                    <input id="slot-date" type="date" name="date" required aria-invalid=invalid("date")/>
                                </div>
                                <div class="field">
                                    <label for="slot-time">{t(Msg::SlotTime)}</label>
                                    <input id="slot-time" type="time" name="time" required step="900" aria-invalid=invalid("time")/>
                                </div>
                                <div class="field">
                                    <label for="slot-minutes">{t(Msg::SlotMinutesLabel)}</label>
                                    <input id="slot-minutes" type="number" name="minutes" value="45" min="15" max="180" required aria-invalid=invalid("minutes")/>
                                </div>
                                <div class="field">
                                    <label for="slot-weeks">{t(Msg::SlotWeeks)}</label>
                                    <input id="slot-weeks" type="number" name="weeks" value="1" min="1" max="12" aria-invalid=invalid("weeks")/>
                                </div>
                                <button type="submit" class="primary" disabled=move || publish.pending().get()>{t(Msg::PublishButton)}</button>
                            </ActionForm>
                        </section>
                        <SlotList slots=s.slots withdraw=withdraw/>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SlotList(
    slots: Vec<super::dto::MentorSlotDto>,
    withdraw: ServerAction<WithdrawSlot>,
) -> impl IntoView {
    if slots.is_empty() {
        return view! { <p class="muted">{t(Msg::NoSlots)}</p> }.into_any();
    }
    view! {
        <ul class="board-list" data-testid="mentor-slots">
            {slots.into_iter().map(|x| {
                let state = match x.state {
                    SlotState::Free => Msg::SlotFree,
                    SlotState::Booked => Msg::SlotBooked,
                    SlotState::Cancelled => Msg::SlotCancelled,
                    SlotState::Past => Msg::SlotPast,
                };
                let open = x.upcoming && x.state != SlotState::Cancelled;
                view! {
                    <li>
                        <strong>{x.when.clone()}</strong> " · " {t(state)}
                        {x.member.clone().map(|m| view! { " · " <span data-testid="slot-member">{m}</span> })}
                        {x.topic.clone().map(|tp| view! { <span class="muted">" — " {tp}</span> })}
                        <Show when=move || open>
                            <ActionForm action=withdraw attr:class="inline-action">
                                <input type="hidden" name="slot_id" value=x.id/>
                                <button type="submit" class="danger small">{t(Msg::WithdrawSlot)}</button>
                            </ActionForm>
                        </Show>
                    </li>
                }.into_any()
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ProfileForm(
    save: ServerAction<SaveMentorProfile>,
    err: Signal<Option<crate::error::AppError>>,
    profile: Option<super::dto::MentorProfileDto>,
) -> impl IntoView {
    let l = use_locale();
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    let p = profile.unwrap_or(super::dto::MentorProfileDto {
        field: Field::It,
        languages: vec![l],
        bio_kk: String::new(),
        bio_ru: String::new(),
        bio_en: String::new(),
    });
    let langs = p.languages.clone();
    let field = p.field;
    let speaks = move |x: Locale| langs.contains(&x);
    view! {
        <ActionForm action=save attr:class="form" attr:data-testid="profile-form">
            <div class="field">
                <label for="profile-field">{t(Msg::FilterField)}</label>
                <select id="profile-field" name="field" aria-invalid=invalid("field")>
                    {Field::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() selected=f == field>{f.label(l)}</option>
                    }.into_any()).collect_view()}
                </select>
            </div>
            <fieldset class="guardian">
                <legend>{t(Msg::MentorLanguages)}</legend>
                {Locale::ALL.into_iter().map(|x| view! {
                    <label class="check">
                        <input type="checkbox" name=format!("lang_{}", x.code()) value="true" checked=speaks(x)/>
                        {x.native_name()}
                    </label>
                }.into_any()).collect_view()}
            </fieldset>
            <div class="field">
                <label for="bio-kk">{t(Msg::BioKkLabel)}</label>
                <textarea id="bio-kk" name="bio_kk" rows="3" maxlength="1000" aria-invalid=invalid("bio_kk")>{p.bio_kk.clone()}</textarea>
            </div>
            <div class="field">
                <label for="bio-ru">{t(Msg::BioRuLabel)}</label>
                <textarea id="bio-ru" name="bio_ru" rows="3" maxlength="1000" aria-invalid=invalid("bio_ru")>{p.bio_ru.clone()}</textarea>
            </div>
            <div class="field">
                <label for="bio-en">{t(Msg::BioEnLabel)}</label>
                <textarea id="bio-en" name="bio_en" rows="3" maxlength="1000" aria-invalid=invalid("bio_en")>{p.bio_en.clone()}</textarea>
            </div>
            <button type="submit" class="primary" disabled=move || save.pending().get()>{t(Msg::SaveProfile)}</button>
        </ActionForm>
    }
}

/// Front desk and directors: consultations per mentor, counts only where
/// the consultation is private.
#[component]
pub fn ConsultationReportPage() -> impl IntoView {
    let l = use_locale();
    let report = Resource::new(|| (), |_| consultation_report(None));
    view! {
        <h1>{t(Msg::ConsultationReportTitle)}</h1>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! {
                        <p class="muted">{r.center.name.clone()}</p>
                        <table class="report" data-testid="consultation-report">
                            <thead><tr>
                                <th>{t(Msg::NavMentors)}</th>
                                <th>{t(Msg::FilterField)}</th>
                                <th class="num">{t(Msg::ReportFree)}</th>
                                <th class="num">{t(Msg::ReportBookedUpcoming)}</th>
                                <th class="num">{t(Msg::ReportBookedPast)}</th>
                            </tr></thead>
                            <tbody>
                                {r.rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td>
                                            {row.mentor_name.clone()}
                                            {row.counts_only.then(|| view! { <p class="muted small">{t(Msg::CountsOnlyNote)}</p> })}
                                            {(!row.bookings.is_empty()).then(|| view! {
                                                <ul class="small">
                                                    {row.bookings.iter().map(|b| view! {
                                                        <li>{b.when.clone()} " · " {b.member.clone()}
                                                            {b.topic.clone().map(|tp| view! { " — " {tp} })}</li>
                                                    }).collect_view()}
                                                </ul>
                                            })}
                                        </td>
                                        <td>{row.field.label(l)}</td>
                                        <td class="num">{row.free}</td>
                                        <td class="num">{row.booked_upcoming}</td>
                                        <td class="num">{row.booked_past}</td>
                                    </tr>
                                }.into_any()).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
