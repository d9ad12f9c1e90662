use leptos::html;
use leptos::prelude::*;

use super::api::ScanPass;
use super::dto::{OfflineBundleDto, OfflineScanDto, ScanVerdictDto, SyncReportDto};
use super::scan_pages::{
    CameraPanel, DoorSearchPanel, OfflineStatus, OfflineVerdict, ScanForm, ServerVerdict,
};
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::ui::{t, ErrorBox};

/// How long a verdict stays on screen before the station resets itself.
const VERDICT_MS: u64 = 8000;

/// The door's scan station: a pass read by camera, typed or by a USB
/// scanner gets a verdict from the server, or from the station itself when
/// the server is out of reach.
#[component]
pub fn ScanPage() -> impl IntoView {
    view! { <ScanStation/> }
}

/// The station runs in the browser (camera, offline decisions, the upload
/// queue), so the whole of it is one island.
#[island(lazy)]
fn ScanStation() -> impl IntoView {
    crate::ui::uses_islands();
    let scan = crate::access::flash::form_action::<ScanPass>();
    let search = ServerAction::<super::api::DoorSearch>::new();
    let input: NodeRef<html::Input> = NodeRef::new();
    let exit_box: NodeRef<html::Input> = NodeRef::new();

    // Offline: the bundle for today, scans waiting to upload, the last
    // upload's report, and a verdict decided here when the server is out
    // of reach.
    let l = crate::ui::use_locale();
    let bundle: RwSignal<Option<OfflineBundleDto>> = RwSignal::new(None);
    let queue: RwSignal<Vec<OfflineScanDto>> = RwSignal::new(Vec::new());
    let report: RwSignal<Option<SyncReportDto>> = RwSignal::new(None);
    let local_verdict: RwSignal<Option<ScanVerdictDto>> = RwSignal::new(None);
    station::init(bundle, queue, report);
    // The action forgets its input once it resolves; keep the last one for
    // deciding offline.
    let last_input: RwSignal<Option<ScanPass>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(i) = scan.input().get() {
            last_input.set(Some(i));
        }
    });

    // A short tone per verdict: high for admitted, low for denied. When the
    // request never reached the server, decide here and queue the scan.
    Effect::new(move |_| match scan.value().get() {
        Some(Ok(v)) => {
            camera::beep(v.admitted);
            local_verdict.set(None);
            station::sync(queue, report);
        }
        Some(Err(AppError::Transport(_))) => {
            decide_offline(last_input, bundle, queue, local_verdict, l);
        }
        _ => {}
    });
    reset_after_answer(scan, input, local_verdict);

    view! {
        <h1>{t(Msg::ScanTitle)}</h1>
        <CameraPanel on_code=move |code| {
            let exit = exit_box.get_untracked().map(|b| b.checked()).unwrap_or(false);
            scan.dispatch(ScanPass { code, exit: Some(exit) });
        }/>
        <ScanForm scan=scan input=input exit_box=exit_box/>
        <DoorSearchPanel search=search scan=scan exit_box=exit_box/>
        <OfflineStatus bundle=bundle queue=queue report=report/>
        <OfflineVerdict local_verdict=local_verdict/>
        <ServerVerdict scan=scan local_verdict=local_verdict/>
    }
    // A named type this deep overflows the server's layout computation.
    .into_any()
}

/// The server is out of reach: decide the last scan here from today's
/// bundle, queue it for upload when admitted, beep and show the verdict.
fn decide_offline(
    last_input: RwSignal<Option<ScanPass>>,
    bundle: RwSignal<Option<OfflineBundleDto>>,
    queue: RwSignal<Vec<OfflineScanDto>>,
    local_verdict: RwSignal<Option<ScanVerdictDto>>,
    l: Locale,
) {
    let (Some(input), Some(b)) = (last_input.get_untracked(), bundle.get_untracked()) else {
        return;
    };
    let exit = input.exit == Some(true);
    let now = station::now();
    let admitted_here: Vec<i32> = queue
        .get_untracked()
        .iter()
        .filter(|s| !s.exit)
        .filter_map(|s| crate::domain::pass::peek_pass_id(&s.code).map(|id| id as i32))
        .collect();
    let v = if exit {
        ScanVerdictDto {
            admitted: true,
            code: "checked_out".into(),
            reason: Msg::CheckedOut.text(l).into(),
            holder: None,
            what: None,
            age_band: None,
            consent_missing: false,
        }
    } else {
        station::timed(|| super::offline::decide(&b, &admitted_here, &input.code, now, l)).0
    };
    if v.admitted {
        queue.update(|q| {
            q.push(OfflineScanDto {
                nonce: station::nonce(),
                code: input.code.trim().to_string(),
                scanned_at: now.timestamp(),
                exit,
                bundle: b.stamp.clone(),
            })
        });
        station::save_queue(queue);
    }
    camera::beep(v.admitted);
    local_verdict.set(Some(v));
}

/// After each answer: empty the field and give it focus again, so a USB
/// scanner (a keyboard that types the code and Enter) can go on; clear
/// the verdict after a while so the next person sees a neutral screen.
fn reset_after_answer(
    scan: ServerAction<ScanPass>,
    input: NodeRef<html::Input>,
    local_verdict: RwSignal<Option<ScanVerdictDto>>,
) {
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
                        local_verdict.set(None);
                    }
                },
                std::time::Duration::from_millis(VERDICT_MS),
            );
        }
    });
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
    let undo = crate::access::flash::form_action::<UndoCheckIn>();
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

pub(crate) mod camera;
mod station;
