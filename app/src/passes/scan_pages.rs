//! The parts of the door's scan station ([`super::pages::ScanPage`]): the
//! camera, the scan form, the search by name, the offline status and the
//! two kinds of verdict. The camera panel serves the equipment desk too.

use leptos::html;
use leptos::prelude::*;

use super::api::{DoorSearch, ScanPass};
use super::dto::{OfflineBundleDto, OfflineScanDto, ScanVerdictDto, SyncReportDto};
use super::pages::camera;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

/// The device's camera and its on/off button; each code it reads goes to
/// `on_code`.
#[component]
pub(crate) fn CameraPanel<F>(on_code: F) -> impl IntoView
where
    F: Fn(String) + Clone + Send + Sync + 'static,
{
    let video: NodeRef<html::Video> = NodeRef::new();
    let camera_on = RwSignal::new(false);
    let camera_error = RwSignal::new(false);
    view! {
        <div class="camera">
            <video node_ref=video class="camera-view" class:hidden=move || !camera_on.get() muted=true
                playsinline=true autoplay=true data-testid="camera-view"></video>
            <button type="button" class="secondary needs-js" data-testid="camera-toggle"
                on:click=move |_| {
                    if camera_on.get_untracked() {
                        camera::stop(video);
                        camera_on.set(false);
                    } else {
                        camera_error.set(false);
                        camera::start(video, camera_on, camera_error, on_code.clone());
                    }
                }>
                {move || if camera_on.get() { t(Msg::CameraStop) } else { t(Msg::CameraStart) }}
            </button>
            <Show when=move || camera_error.get()>
                <p class="alert error" role="alert">{t(Msg::CameraUnavailable)}</p>
            </Show>
        </div>
    }
}

/// The code field (typed, or by a USB scanner) and the exit switch.
#[component]
pub(super) fn ScanForm(
    scan: ServerAction<ScanPass>,
    input: NodeRef<html::Input>,
    exit_box: NodeRef<html::Input>,
) -> impl IntoView {
    view! {
        <ActionForm action=scan attr:class="form scan-form" attr:data-testid="scan-form">
            <label>
                {t(Msg::ScanHint)}
                <input node_ref=input type="text" name="code" required autofocus autocomplete="off"
                    autocapitalize="characters" spellcheck="false" data-testid="scan-input"/>
            </label>
            <label class="field check">
                <input node_ref=exit_box type="checkbox" name="exit" value="true" data-testid="exit-mode"/>
                {t(Msg::ExitScan)}
            </label>
            <button type="submit" class="primary" disabled=move || scan.pending().get()>{t(Msg::ScanButton)}</button>
        </ActionForm>
    }
}

/// Find a member by name at the door and admit them without their pass.
#[component]
pub(super) fn DoorSearchPanel(
    search: ServerAction<DoorSearch>,
    scan: ServerAction<ScanPass>,
    exit_box: NodeRef<html::Input>,
) -> impl IntoView {
    view! {
        <details class="door-search" data-testid="door-search">
            <summary>{t(Msg::DoorSearchTitle)}</summary>
            <ActionForm action=search attr:class="search-row">
                <label for="door-q" class="visually-hidden">{t(Msg::DoorSearchTitle)}</label>
                <input id="door-q" type="search" name="query" minlength="2" autocomplete="off"
                    placeholder=move || t(Msg::DoorSearchHint) data-testid="door-query"/>
                <button type="submit" class="secondary">{t(Msg::Search)}</button>
            </ActionForm>
            {move || search.value().get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::NoMembersFound)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="board-list" data-testid="door-matches">
                        {list.into_iter().map(|m| {
                            let code = m.code.clone();
                            view! {
                                <li>
                                    <strong>{m.member.clone()}</strong> " " {m.what.clone()}
                                    <button type="button" class="primary small needs-js" data-testid="door-admit"
                                        on:click=move |_| {
                                            let exit = exit_box.get_untracked().map(|b| b.checked()).unwrap_or(false);
                                            scan.dispatch(ScanPass { code: code.clone(), exit: Some(exit) });
                                        }>
                                        {t(Msg::ScanButton)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
        </details>
    }
}

/// Whether the station can decide offline, the scans waiting to upload, and
/// the last upload's report.
#[component]
pub(super) fn OfflineStatus(
    bundle: RwSignal<Option<OfflineBundleDto>>,
    queue: RwSignal<Vec<OfflineScanDto>>,
    report: RwSignal<Option<SyncReportDto>>,
) -> impl IntoView {
    view! {
        <div class="offline-status">
            {move || bundle.get().map(|b| view! {
                <p class="muted small" data-testid="offline-ready">{t(Msg::OfflineReady)} " (" {b.passes.len()} ")"</p>
            })}
            {move || (!queue.get().is_empty()).then(|| view! {
                <p class="banner-inline" role="status" data-testid="offline-queue">{t(Msg::OfflineQueued)} ": " {queue.get().len()}</p>
            })}
            {move || report.get().filter(|r| r.applied > 0 || !r.conflicts.is_empty() || !r.denied.is_empty()).map(sync_report)}
        </div>
    }
}

/// The last upload: how many scans the server took, and those it did not.
fn sync_report(r: SyncReportDto) -> impl IntoView {
    view! {
        <div class="card" role="status" data-testid="sync-report">
            <p>{t(Msg::OfflineUploaded)} ": " <strong data-testid="sync-applied">{r.applied}</strong></p>
            {(!r.conflicts.is_empty()).then(|| view! {
                <p><strong>{t(Msg::OfflineConflicts)}</strong></p>
                <ul data-testid="sync-conflicts">{r.conflicts.iter().map(|c| view! {
                    <li>{c.scanned_at.clone()} " " {c.holder.clone()} " — " {c.reason.clone()}</li>
                }).collect_view()}</ul>
            })}
            {(!r.denied.is_empty()).then(|| view! {
                <p><strong>{t(Msg::OfflineDenied)}</strong></p>
                <ul>{r.denied.iter().map(|c| view! {
                    <li>{c.scanned_at.clone()} " " {c.holder.clone()} " — " {c.reason.clone()}</li>
                }).collect_view()}</ul>
            })}
        </div>
    }
}

/// A verdict the station decided itself, the server being out of reach.
#[component]
pub(super) fn OfflineVerdict(local_verdict: RwSignal<Option<ScanVerdictDto>>) -> impl IntoView {
    move || {
        local_verdict.get().map(|v| {
            let class = if v.admitted { "verdict ok" } else { "verdict deny" };
            view! {
                <section class=class role="status" aria-live="assertive" data-testid="verdict" data-code=v.code.clone() data-offline="true">
                    <p class="verdict-title">{if v.admitted { t(Msg::Admitted) } else { t(Msg::Denied) }}</p>
                    <p class="verdict-reason">{v.reason.clone()}</p>
                    {v.holder.clone().map(|h| view! { <p class="verdict-holder">{h}</p> })}
                    {v.what.clone().map(|w| view! { <p class="verdict-what">{w}</p> })}
                    <p class="muted small">{t(Msg::OfflineDecided)}</p>
                </section>
            }
        })
    }
}

/// The server's verdict on the last scan (unless the request never reached
/// it and the station decided instead).
#[component]
pub(super) fn ServerVerdict(
    scan: ServerAction<ScanPass>,
    local_verdict: RwSignal<Option<ScanVerdictDto>>,
) -> impl IntoView {
    move || {
        scan.value()
            .get()
            .filter(|r| {
                !(matches!(r, Err(AppError::Transport(_))) && local_verdict.get().is_some())
            })
            .map(|r| match r {
                Ok(v) => server_verdict(v).into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })
    }
}

fn server_verdict(v: ScanVerdictDto) -> impl IntoView {
    let class = if v.admitted {
        "verdict ok"
    } else {
        "verdict deny"
    };
    view! {
        <section class=class role="status" aria-live="assertive" data-testid="verdict" data-code=v.code.clone()>
            <p class="verdict-title">{if v.admitted { t(Msg::Admitted) } else { t(Msg::Denied) }}</p>
            <p class="verdict-reason" data-testid="verdict-reason">{v.reason.clone()}</p>
            {v.holder.clone().map(|h| view! { <p class="verdict-holder">{h}</p> })}
            {v.age_band.clone().map(|b| view! { <p class="verdict-age" data-testid="verdict-age">{b}</p> })}
            {v.consent_missing.then(|| view! {
                <p class="verdict-warning" role="alert" data-testid="consent-warning">{t(Msg::ConsentMissingWarning)}</p>
            })}
            {v.what.clone().map(|w| view! { <p class="verdict-what">{w}</p> })}
        </section>
    }
}
