//! Member pages of clubs and events: lists, a club's page (join, leave,
//! pass, attendance), an event's page (register, cancel, pass), notices.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::*;
use super::dto::*;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::Auth;
use crate::ui::{t, use_locale, ErrorBox};

fn id_param(name: &'static str) -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|s| s.parse::<i32>().ok()))
}

/// "You are in" / "Waitlist: 2nd in line".
fn standing_badge(s: Standing) -> impl IntoView {
    match s {
        Standing::In => view! { <span class="badge ok" data-testid="standing" data-standing="in">{t(Msg::YouAreIn)}</span> }.into_any(),
        Standing::Waiting { position } => view! {
            <span class="badge warn" data-testid="standing" data-standing="waiting">
                {crate::i18n::waitlist_position(use_locale(), position)}
            </span>
        }.into_any(),
    }
}

/// A QR pass to show at the door.
#[component]
pub fn PassQr(svg: String, code: String) -> impl IntoView {
    view! {
        <figure class="qr">
            <div class="qr-img" inner_html=svg></div>
            <figcaption>{t(Msg::ShowAtDoor)}</figcaption>
        </figure>
        <details>
            <summary>{t(Msg::PassCode)}</summary>
            <code class="code" data-testid="pass-code">{code}</code>
        </details>
    }
}

/// The signed-in user, awaited inside a Suspend (so the server and the
/// hydrating browser render the same).
async fn me() -> Option<crate::access::dto::UserDto> {
    expect_context::<Auth>().user.await.ok().flatten()
}

/// All clubs whose term has not ended.
#[component]
pub fn ClubsPage() -> impl IntoView {
    let clubs = Resource::new(|| (), |_| list_clubs(None));
    view! {
        <h1>{t(Msg::ClubsTitle)}</h1>
        <p class="muted">{t(Msg::ClubsIntro)}</p>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let creator = me().await.is_some_and(|u| u.role.can_report());
                let create = creator.then(|| view! {
                    <p><A href="/director/clubs/new" attr:class="button" attr:data-testid="new-club">{t(Msg::NewClub)}</A></p>
                });
                let list = match clubs.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::NoClubs)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="clubs">
                            {list.into_iter().map(|c| view! { <ClubCard c=c/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                };
                view! { {create} {list} }
            })}
        </Transition>
    }
}

#[component]
fn ClubCard(c: ClubDto) -> impl IntoView {
    view! {
        <li class="card" data-testid="club" data-club=c.id>
            <h2><A href=format!("/clubs/{}", c.id)>{c.name.clone()}</A></h2>
            <p><strong>{c.schedule.clone()}</strong> " · " {c.center.clone()} ", " {c.space.clone()}</p>
            <p class="muted">
                {c.direction.clone()}
                {(!c.ages.is_empty()).then(|| view! { " · " {t(Msg::AgesLabel)} " " {c.ages.clone()} })}
                {(!c.anonymous).then(|| view! {
                    " · " {t(Msg::PlacesLabel)} ": " {c.members} "/" {c.capacity}
                    {(c.waiting > 0).then(|| view! { " · " {t(Msg::WaitingLabel)} ": " {c.waiting} })}
                })}
            </p>
            {c.anonymous.then(|| view! { <p class="badge">{t(Msg::AnonymousGroup)}</p> })}
            {c.standing.map(standing_badge)}
            {c.can_manage.then(|| view! {
                <p><A href=format!("/clubs/{}/roster", c.id) attr:data-testid="roster-link">{t(Msg::RosterTitle)}</A></p>
            })}
        </li>
    }
}

/// A club: schedule, join or leave, the member's pass and attendance.
#[component]
pub fn ClubPage() -> impl IntoView {
    let id = id_param("id");
    let join = crate::access::flash::form_action::<JoinClub>();
    let leave = crate::access::flash::form_action::<LeaveClub>();
    let club = Resource::new(
        move || (id.get(), join.version().get(), leave.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => club_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {move || join.value().get().map(|r| match r {
            Ok(JoinDto { standing: Standing::In }) => view! {
                <div class="alert ok" role="status" data-testid="joined"><p>{t(Msg::JoinedClub)}</p></div>
            }.into_any(),
            Ok(JoinDto { standing: Standing::Waiting { position } }) => view! {
                <div class="alert ok" role="status" data-testid="waitlisted">
                    <p>{crate::i18n::waitlist_position(use_locale(), position)}</p>
                    <p class="small">{t(Msg::WaitlistHint)}</p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        {move || leave.value().get().map(|r| match r {
            Ok(()) => view! { <div class="alert ok" role="status" data-testid="left"><p>{t(Msg::LeftClub)}</p></div> }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let signed_in = me().await.is_some();
                match club.await {
                    Ok(d) => view! { <ClubView d=d join=join leave=leave signed_in=signed_in/> }.into_any(),
                    Err(e) => view! { <h1>{t(Msg::ClubsTitle)}</h1> <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClubView(
    d: ClubDetailDto,
    join: ServerAction<JoinClub>,
    leave: ServerAction<LeaveClub>,
    signed_in: bool,
) -> impl IntoView {
    let c = d.club.clone();
    let club_id = c.id;
    let busy = move || join.pending().get() || leave.pending().get();
    view! {
        <h1 data-testid="club-name">{c.name.clone()}</h1>
        <p><strong>{c.schedule.clone()}</strong> " · " {c.term.clone()}</p>
        <p class="muted">{c.center.clone()} ", " {c.space.clone()} " · " {c.direction.clone()}
            {c.leader.clone().map(|n| view! { " · " {t(Msg::LeaderLabel)} ": " {n} })}
            {(!c.ages.is_empty()).then(|| view! { " · " {t(Msg::AgesLabel)} " " {c.ages.clone()} })}
        </p>
        {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
        {if c.anonymous {
            view! { <p class="badge">{t(Msg::AnonymousGroup)}</p> <p class="muted">{t(Msg::AnonymousHint)}</p> }.into_any()
        } else {
            view! {
                <p data-testid="places">{t(Msg::PlacesLabel)} ": " {c.members} "/" {c.capacity}
                    {(c.waiting > 0).then(|| view! { " · " {t(Msg::WaitingLabel)} ": " {c.waiting} })}</p>
                {c.standing.map(standing_badge)}
                {match c.standing {
                    Some(_) => view! {
                        <ActionForm action=leave attr:class="inline-action">
                            <input type="hidden" name="club_id" value=club_id/>
                            <button type="submit" class="danger small" data-testid="leave-club" disabled=busy>
                                {if c.standing == Some(Standing::In) { t(Msg::LeaveClub) } else { t(Msg::LeaveWaitlist) }}
                            </button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <Show when=move || signed_in fallback=|| view! {
                            <p><A href="/login">{t(Msg::LoginToJoin)}</A></p>
                        }>
                            <ActionForm action=join attr:class="inline-action">
                                <input type="hidden" name="club_id" value=club_id/>
                                <button type="submit" class="primary" data-testid="join-club" disabled=busy>
                                    {if c.members >= c.capacity || c.waiting > 0 { t(Msg::JoinWaitlist) } else { t(Msg::JoinClub) }}
                                </button>
                            </ActionForm>
                        </Show>
                    }.into_any(),
                }}
            }.into_any()
        }}
        {d.can_manage.then(|| view! {
            <p><A href=format!("/clubs/{club_id}/roster") attr:class="button" attr:data-testid="open-roster">{t(Msg::RosterTitle)}</A></p>
        })}
        {d.can_edit.then(|| view! {
            <p><A href=format!("/director/clubs/{club_id}/edit") attr:class="button" attr:data-testid="edit-club">{t(Msg::EditClub)}</A></p>
        })}
        {d.history.clone().filter(|h| h.held > 0).map(|h| view! {
            <section class="card" data-testid="history">
                <h2>{t(Msg::YourAttendance)}</h2>
                <p>{t(Msg::AttendedLabel)} ": " <strong data-testid="attended">{h.attended} "/" {h.held}</strong>
                   " · " {t(Msg::StreakLabel)} ": " <strong>{h.streak}</strong>
                   " · " {t(Msg::BestStreakLabel)} ": " {h.best_streak}</p>
            </section>
        })}
        {match (d.qr_svg.clone(), d.pass_code.clone()) {
            (Some(svg), Some(code)) => Some(view! {
                <section class="card pass" data-testid="club-pass">
                    <h2>{t(Msg::ClubPass)}</h2>
                    <p class="muted small">{t(Msg::ClubPassHint)}</p>
                    <PassQr svg=svg code=code/>
                </section>
            }),
            _ => None,
        }}
        <h2>{t(Msg::SessionsTitle)}</h2>
        <ul class="club-sessions" data-testid="sessions">
            {d.sessions.into_iter().map(|s| view! {
                <li class:muted=s.past class:cancelled=s.cancelled data-testid="session">
                    <span>{s.label.clone()}</span>
                    {s.cancelled.then(|| view! { " " <span class="badge danger">{t(Msg::SessionCancelled)}</span> })}
                    {s.cancel_reason.clone().map(|r| view! { " " <span class="small">{r}</span> })}
                    {s.attended.map(|a| if a {
                        view! { " " <span class="badge ok">"✓"</span> }.into_any()
                    } else {
                        view! { " " <span class="badge">"–"</span> }.into_any()
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Upcoming events.
#[component]
pub fn EventsPage() -> impl IntoView {
    let events = Resource::new(|| (), |_| list_events(None));
    view! {
        <h1>{t(Msg::EventsTitle)}</h1>
        <p class="muted">{t(Msg::EventsIntro)}</p>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let creator = me().await.is_some_and(|u| u.role.can_report());
                let create = creator.then(|| view! {
                    <p><A href="/director/events/new" attr:class="button" attr:data-testid="new-event">{t(Msg::NewEvent)}</A></p>
                });
                let list = match events.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::NoEvents)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="events">
                            {list.into_iter().map(|e| view! {
                                <li class="card" data-testid="event" data-event=e.id>
                                    <h2><A href=format!("/events/{}", e.id)>{e.name.clone()}</A></h2>
                                    <p><strong>{e.when.clone()}</strong> " · " {e.center.clone()} ", " {e.space.clone()}</p>
                                    <p class="muted">{e.direction.clone()} " · " {t(Msg::PlacesLabel)} ": " {e.registered} "/" {e.capacity}
                                        {(e.waiting > 0).then(|| view! { " · " {t(Msg::WaitingLabel)} ": " {e.waiting} })}</p>
                                    {e.standing.map(standing_badge)}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                };
                view! { {create} {list} }
            })}
        </Transition>
    }
}

/// An event: register or cancel, the pass.
#[component]
pub fn EventPage() -> impl IntoView {
    let id = id_param("id");
    let register = crate::access::flash::form_action::<RegisterEvent>();
    let cancel = crate::access::flash::form_action::<CancelEventRegistration>();
    let event = Resource::new(
        move || (id.get(), register.version().get(), cancel.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => event_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let busy = move || register.pending().get() || cancel.pending().get();
    view! {
        {move || register.value().get().map(|r| match r {
            Ok(JoinDto { standing: Standing::In }) => view! {
                <div class="alert ok" role="status" data-testid="registered"><p>{t(Msg::RegisteredEvent)}</p></div>
            }.into_any(),
            Ok(JoinDto { standing: Standing::Waiting { position } }) => view! {
                <div class="alert ok" role="status" data-testid="waitlisted">
                    <p>{crate::i18n::waitlist_position(use_locale(), position)}</p>
                    <p class="small">{t(Msg::WaitlistHint)}</p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        {move || cancel.value().get().map(|r| match r {
            Ok(()) => view! { <div class="alert ok" role="status" data-testid="unregistered"><p>{t(Msg::CancelledRegistration)}</p></div> }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let signed_in = me().await.is_some();
                match event.await {
                    Ok(e) => {
                        let event_id = e.id;
                        let full = e.registered >= e.capacity;
                        view! {
                            <h1 data-testid="event-name">{e.name.clone()}</h1>
                            <p><strong>{e.when.clone()}</strong> " · " {e.center.clone()} ", " {e.space.clone()}</p>
                            <p class="muted">{e.direction.clone()}
                                {(e.min_age > 0).then(|| view! { " · " {t(Msg::AgesLabel)} " " {e.min_age} "+" })}</p>
                            {(!e.description.is_empty()).then(|| view! { <p>{e.description.clone()}</p> })}
                            <p data-testid="places">{t(Msg::PlacesLabel)} ": " {e.registered} "/" {e.capacity}
                                {(e.waiting > 0).then(|| view! { " · " {t(Msg::WaitingLabel)} ": " {e.waiting} })}
                                {e.checked_in.map(|n| view! { " · " {t(Msg::CheckedInLabel)} ": " <span data-testid="checked-in">{n}</span> })}</p>
                            {e.standing.map(standing_badge)}
                            {if e.past {
                                view! { <p class="muted">{t(Msg::EventOver)}</p> }.into_any()
                            } else if e.standing.is_some() {
                                view! {
                                    <ActionForm action=cancel attr:class="inline-action">
                                        <input type="hidden" name="event_id" value=event_id/>
                                        <button type="submit" class="danger small" data-testid="cancel-registration" disabled=busy>
                                            {t(Msg::CancelRegistration)}</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <Show when=move || signed_in fallback=|| view! {
                                        <p><A href="/login">{t(Msg::LoginToJoin)}</A></p>
                                    }>
                                        <ActionForm action=register attr:class="inline-action">
                                            <input type="hidden" name="event_id" value=event_id/>
                                            <button type="submit" class="primary" data-testid="register-event" disabled=busy>
                                                {if full { t(Msg::JoinWaitlist) } else { t(Msg::RegisterEvent) }}</button>
                                        </ActionForm>
                                    </Show>
                                }.into_any()
                            }}
                            {e.can_manage.then(|| view! {
                                <super::edit_pages::EventStaffTools event_id=event_id head_count=e.head_count can_edit=e.can_edit/>
                            })}
                            {match (e.qr_svg.clone(), e.pass_code.clone()) {
                                (Some(svg), Some(code)) => Some(view! {
                                    <section class="card pass" data-testid="event-pass">
                                        <PassQr svg=svg code=code/>
                                    </section>
                                }),
                                _ => None,
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <h1>{t(Msg::EventsTitle)}</h1> <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The member's notices; opening the page marks them read.
#[component]
pub fn NoticesPage() -> impl IntoView {
    // The list shows what was unread when the page opened, then all of it
    // is marked read.
    let notices = Resource::new(
        || (),
        |_| async {
            let list = my_notices().await;
            if list.is_ok() {
                let _ = mark_notices_read().await;
            }
            list
        },
    );
    view! {
        <h1>{t(Msg::NoticesTitle)}</h1>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-notices">{t(Msg::NoNotices)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="notices">
                            {list.into_iter().map(|n| view! {
                                <li class="card" class:unread=n.unread data-testid="notice">
                                    <p><A href=n.href.clone()>{n.text.clone()}</A></p>
                                    <p class="muted small">{n.at.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
