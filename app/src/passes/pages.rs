use leptos::html;
use leptos::prelude::*;

use super::api::ScanPass;
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

/// How long a verdict stays on screen before the station resets itself.
const VERDICT_MS: u64 = 8000;

#[component]
pub fn ScanPage() -> impl IntoView {
    let scan = ServerAction::<ScanPass>::new();
    let input: NodeRef<html::Input> = NodeRef::new();

    // After each answer: empty the field and give it focus again, so a USB
    // scanner (a keyboard that types the code and Enter) can go on; clear
    // the verdict after a while so the next person sees a neutral screen.
    Effect::new(move |_| {
        let version = scan.version().get();
        if let Some(el) = input.get() {
            if version > 0 {
                el.set_value("");
            }
            let _ = el.focus();
        }
        if version > 0 {
            set_timeout(
                move || {
                    if scan.version().get_untracked() == version {
                        scan.value().set(None);
                    }
                },
                std::time::Duration::from_millis(VERDICT_MS),
            );
        }
    });

    view! {
        <h1>{t(Msg::ScanTitle)}</h1>
        <ActionForm action=scan attr:class="form scan-form" attr:data-testid="scan-form">
            <label>
                {t(Msg::ScanHint)}
                <input node_ref=input type="text" name="code" required autofocus autocomplete="off"
                    autocapitalize="characters" spellcheck="false" data-testid="scan-input"/>
            </label>
            <label class="field check">
                <input type="checkbox" name="exit" value="true" data-testid="exit-mode"/>
                {t(Msg::ExitScan)}
            </label>
            <button type="submit" class="primary" disabled=move || scan.pending().get()>{t(Msg::ScanButton)}</button>
        </ActionForm>
        {move || scan.value().get().map(|r| match r {
            Ok(v) => {
                let class = if v.admitted { "verdict ok" } else { "verdict deny" };
                view! {
                    <section class=class role="status" aria-live="assertive" data-testid="verdict" data-code=v.code.clone()>
                        <p class="verdict-title">{if v.admitted { t(Msg::Admitted) } else { t(Msg::Denied) }}</p>
                        <p class="verdict-reason" data-testid="verdict-reason">{v.reason.clone()}</p>
                        {v.holder.clone().map(|h| view! { <p class="verdict-holder">{h}</p> })}
                        {v.what.clone().map(|w| view! { <p class="verdict-what">{w}</p> })}
                    </section>
                }.into_any()
            }
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
    }
}

/// The desk's day: each space's bookings with their state, who is inside,
/// undo a mistaken admission, and a walk-in booking in two taps.
#[component]
pub fn TodayPage() -> impl IntoView {
    use super::api::{today_board, UndoCheckIn};
    use super::dto::BoardStatus;
    let query = leptos_router::hooks::use_query_map();
    let center = Memo::new(move |_| {
        query
            .read()
            .get("center")
            .and_then(|s| s.parse::<i32>().ok())
    });
    let undo = ServerAction::<UndoCheckIn>::new();
    let board = Resource::new(
        move || (center.get(), undo.version().get()),
        |(c, _)| today_board(c),
    );
    let status_msg = |s: BoardStatus| match s {
        BoardStatus::Upcoming => Msg::StatusUpcoming,
        BoardStatus::Inside => Msg::StatusInside,
        BoardStatus::Done => Msg::StatusDone,
        BoardStatus::NoShow => Msg::StatusNoShow,
        BoardStatus::Cancelled => Msg::StatusCancelled,
        BoardStatus::Pending => Msg::StatusPending,
        BoardStatus::Denied => Msg::StatusDenied,
    };
    view! {
        <h1 id="page-title">{t(Msg::TodayTitle)}</h1>
        {move || match undo.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="undone"><p>{t(Msg::CheckInUndone)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => {
                        let center_id = b.center_id;
                        view! {
                            {(b.centers.len() > 1).then(|| view! {
                                <nav class="center-tabs" aria-label=move || t(Msg::NavCenters)>
                                    {b.centers.iter().map(|c| view! {
                                        <a href=format!("/desk/today?center={}", c.id) class:active=c.id == center_id>{c.name.clone()}</a>
                                    }).collect_view()}
                                </nav>
                            })}
                            <p class="inside-total">
                                {b.date.clone()} " · " {t(Msg::InsideNow)} ": "
                                <strong data-testid="inside-total">{b.inside_total}</strong>
                            </p>
                            {b.spaces.into_iter().map(|s| view! {
                                <section class="card board-space" data-space=s.space_id>
                                    <h2>{s.name.clone()} " "
                                        <small class="muted">{t(Msg::InsideNow)} ": " <span data-testid="inside">{s.inside}</span></small>
                                    </h2>
                                    {match s.next_free.clone() {
                                        Some((start, label)) => view! {
                                            <p>
                                                <a class="button small" data-testid="walk-in"
                                                    href=format!("/desk/members?space={}&start={start}&label={label}", s.space_id)>
                                                    {t(Msg::WalkIn)} " " {label.clone()}
                                                </a>
                                            </p>
                                        }.into_any(),
                                        None => view! { <p class="muted small">{t(Msg::NoFreeTimeToday)}</p> }.into_any(),
                                    }}
                                    {if s.bookings.is_empty() {
                                        view! { <p class="muted">{t(Msg::NoBookingsToday)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="board-list">
                                                {s.bookings.into_iter().map(|bk| view! {
                                                    <li data-status=bk.status.as_str() data-testid="board-booking">
                                                        <strong>{bk.when.clone()}</strong> " " {bk.member.clone()}
                                                        {(bk.party_size > 1).then(|| format!(" ×{}", bk.party_size))}
                                                        " " <span class=format!("badge status-{}", bk.status.as_str())>{t(status_msg(bk.status))}</span>
                                                        {bk.check_in_id.map(|id| view! {
                                                            <ActionForm action=undo attr:class="inline-action">
                                                                <input type="hidden" name="check_in_id" value=id/>
                                                                <button type="submit" class="small" data-testid="undo-check-in">{t(Msg::UndoCheckIn)}</button>
                                                            </ActionForm>
                                                        })}
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }).collect_view()}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
