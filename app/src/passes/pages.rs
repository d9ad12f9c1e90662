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

/// The scan station's camera: frames go through the wasm QR reader
/// ([`crate::domain::qrscan`]) a few times a second; a code found is handed
/// to `on_code` (the same code at most once per verdict period).
pub(crate) mod camera {
    use leptos::html;
    use leptos::prelude::*;

    #[cfg(feature = "hydrate")]
    pub fn start(
        video: NodeRef<html::Video>,
        on: RwSignal<bool>,
        failed: RwSignal<bool>,
        on_code: impl Fn(String) + Clone + 'static,
    ) {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::JsCast;
        leptos::task::spawn_local(async move {
            let Some(el) = video.get_untracked() else {
                return;
            };
            let stream = async {
                let devices = window().navigator().media_devices()?;
                let constraints = web_sys::MediaStreamConstraints::new();
                constraints.set_audio(&false.into());
                let facing = js_sys_object(&[("facingMode", "environment")]);
                constraints.set_video(&facing);
                let p = devices.get_user_media_with_constraints(&constraints)?;
                let s = wasm_bindgen_futures::JsFuture::from(p).await?;
                s.dyn_into::<web_sys::MediaStream>()
            }
            .await;
            let Ok(stream) = stream else {
                failed.set(true);
                return;
            };
            el.set_src_object(Some(&stream));
            let _ = el.play();
            on.set(true);
            let canvas: web_sys::HtmlCanvasElement = match document()
                .create_element("canvas")
                .ok()
                .and_then(|c| c.dyn_into().ok())
            {
                Some(c) => c,
                None => return,
            };
            let last: Rc<RefCell<Option<(String, f64)>>> = Rc::new(RefCell::new(None));
            let handle = set_interval_with_handle(
                move || {
                    if !on.get_untracked() {
                        return;
                    }
                    let Some(el) = video.get_untracked() else {
                        return;
                    };
                    if let Some(code) = read_frame(&el, &canvas) {
                        let now = js_sys_now();
                        let mut last = last.borrow_mut();
                        let repeat = matches!(&*last, Some((c, t)) if *c == code && now - t < super::VERDICT_MS as f64);
                        if !repeat {
                            *last = Some((code.clone(), now));
                            on_code(code);
                        }
                    }
                },
                std::time::Duration::from_millis(250),
            );
            if let Ok(handle) = handle {
                // Stop reading frames once the camera is switched off.
                Effect::new(move |_| {
                    if !on.get() {
                        handle.clear();
                    }
                });
            }
        });
    }

    /// Draw the current video frame (at most 640 px wide) and look for a code.
    #[cfg(feature = "hydrate")]
    fn read_frame(
        video: &web_sys::HtmlVideoElement,
        canvas: &web_sys::HtmlCanvasElement,
    ) -> Option<String> {
        use wasm_bindgen::JsCast;
        let (vw, vh) = (video.video_width(), video.video_height());
        if vw == 0 || vh == 0 {
            return None;
        }
        let scale = (640.0 / f64::from(vw)).min(1.0);
        let (w, h) = (
            (f64::from(vw) * scale) as u32,
            (f64::from(vh) * scale) as u32,
        );
        canvas.set_width(w);
        canvas.set_height(h);
        let ctx: web_sys::CanvasRenderingContext2d =
            canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.draw_image_with_html_video_element_and_dw_and_dh(
            video,
            0.0,
            0.0,
            f64::from(w),
            f64::from(h),
        )
        .ok()?;
        let data = ctx
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .ok()?
            .data();
        crate::domain::qrscan::decode_rgba(w as usize, h as usize, &data)
    }

    #[cfg(feature = "hydrate")]
    fn js_sys_now() -> f64 {
        window().performance().map(|p| p.now()).unwrap_or(0.0)
    }

    #[cfg(feature = "hydrate")]
    fn js_sys_object(pairs: &[(&str, &str)]) -> wasm_bindgen::JsValue {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            let _ = js_sys::Reflect::set(&o, &(*k).into(), &(*v).into());
        }
        o.into()
    }

    #[cfg(feature = "hydrate")]
    pub fn stop(video: NodeRef<html::Video>) {
        use wasm_bindgen::JsCast;
        if let Some(el) = video.get_untracked() {
            if let Some(stream) = el.src_object() {
                for track in stream.get_tracks().iter() {
                    if let Ok(t) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                        t.stop();
                    }
                }
            }
            el.set_src_object(None);
        }
    }

    /// A short tone: 880 Hz when admitted, 220 Hz when not.
    #[cfg(feature = "hydrate")]
    pub fn beep(ok: bool) {
        let Ok(ctx) = web_sys::AudioContext::new() else {
            return;
        };
        let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
            return;
        };
        osc.frequency().set_value(if ok { 880.0 } else { 220.0 });
        gain.gain().set_value(0.15);
        let _ = osc.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&ctx.destination());
        let t = ctx.current_time();
        let _ = osc.start();
        let _ = osc.stop_with_when(t + if ok { 0.15 } else { 0.45 });
    }

    // On the server none of this runs; the page renders the same markup.
    #[cfg(not(feature = "hydrate"))]
    pub fn start(
        _video: NodeRef<html::Video>,
        _on: RwSignal<bool>,
        _failed: RwSignal<bool>,
        _on_code: impl Fn(String) + Clone + 'static,
    ) {
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn stop(_video: NodeRef<html::Video>) {}

    #[cfg(not(feature = "hydrate"))]
    pub fn beep(_ok: bool) {}
}

/// The scan station's offline side: keeps today's bundle and the queue of
/// offline scans in the browser's storage, and uploads the queue when the
/// network is back (on the `online` event and every 20 seconds).
mod station {
    use leptos::prelude::*;

    #[cfg(feature = "hydrate")]
    use crate::error::AppError;

    use crate::passes::dto::{OfflineBundleDto, OfflineScanDto, SyncReportDto};

    #[cfg(feature = "hydrate")]
    const BUNDLE_KEY: &str = "oq_offline_bundle";
    #[cfg(feature = "hydrate")]
    const QUEUE_KEY: &str = "oq_offline_queue";
    #[cfg(feature = "hydrate")]
    const DEVICE_KEY: &str = "oq_device";

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    #[cfg(feature = "hydrate")]
    fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        serde_json::from_str(&storage()?.get_item(key).ok()??).ok()
    }

    #[cfg(feature = "hydrate")]
    fn store<T: serde::Serialize>(key: &str, value: &T) {
        if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(value)) {
            let _ = s.set_item(key, &json);
        }
    }

    #[cfg(feature = "hydrate")]
    const CLOCK_KEY: &str = "oq_offline_clock";

    /// The server's time as this device estimates it: the bundle's time
    /// plus how long ago it arrived (a tablet's own clock may be wrong).
    #[cfg(feature = "hydrate")]
    pub fn now() -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        let local_ms = js_sys::Date::now() as i64;
        let ms = match load::<(i64, i64)>(CLOCK_KEY) {
            Some((server_secs, received_ms)) => server_secs * 1000 + (local_ms - received_ms),
            None => local_ms,
        };
        chrono::Utc
            .timestamp_millis_opt(ms)
            .single()
            .unwrap_or_default()
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    /// The User Timing name of an offline decision (signature check and
    /// door rules in wasm): the browser's performance panel shows it and
    /// `make bench` (bench/browser.mjs) reads it.
    #[cfg(feature = "hydrate")]
    const DECIDE_MEASURE: &str = "ortalyq-offline-decide";

    /// Run `f` (an offline decision) and record how long it took as the
    /// measure [`DECIDE_MEASURE`]. Only the latest one stays in the
    /// performance timeline, so a station running for days keeps nothing.
    pub fn timed<T>(f: impl FnOnce() -> T) -> T {
        #[cfg(feature = "hydrate")]
        {
            let perf = window().performance();
            let start = "ortalyq-offline-decide-start";
            let marked = perf.as_ref().is_some_and(|p| p.mark(start).is_ok());
            let out = f();
            if let (Some(p), true) = (perf, marked) {
                p.clear_measures_with_measure_name(DECIDE_MEASURE);
                let _ = p.measure_with_start_mark(DECIDE_MEASURE, start);
                p.clear_marks_with_mark_name(start);
            }
            out
        }
        #[cfg(not(feature = "hydrate"))]
        f()
    }

    /// 20 random base32 characters.
    pub fn nonce() -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        (0..20)
            .map(|_| {
                #[cfg(feature = "hydrate")]
                let r = js_sys::Math::random();
                #[cfg(not(feature = "hydrate"))]
                let r = 0.5;
                ALPHABET[((r * 32.0) as usize).min(31)] as char
            })
            .collect()
    }

    #[cfg(feature = "hydrate")]
    fn device() -> String {
        if let Some(d) = load::<String>(DEVICE_KEY) {
            return d;
        }
        let d = nonce();
        store(DEVICE_KEY, &d);
        d
    }

    /// Only scans a bundle still covers: older ones would be refused on
    /// upload, and their pass codes are not kept longer than needed.
    fn fresh(queue: Vec<OfflineScanDto>) -> Vec<OfflineScanDto> {
        let oldest = now().timestamp() - crate::passes::dto::OFFLINE_WINDOW_SECS;
        queue
            .into_iter()
            .filter(|s| s.scanned_at >= oldest)
            .collect()
    }

    pub fn save_queue(queue: RwSignal<Vec<OfflineScanDto>>) {
        #[cfg(feature = "hydrate")]
        store(QUEUE_KEY, &fresh(queue.get_untracked()));
        #[cfg(not(feature = "hydrate"))]
        let _ = (queue, fresh);
    }

    /// Forget the stored bundle and queue, so a desk's data does not
    /// outlive its session on a shared browser.
    #[cfg(feature = "hydrate")]
    pub fn forget() {
        if let Some(s) = storage() {
            for key in [BUNDLE_KEY, QUEUE_KEY, CLOCK_KEY] {
                let _ = s.remove_item(key);
            }
        }
    }

    pub fn init(
        bundle: RwSignal<Option<OfflineBundleDto>>,
        queue: RwSignal<Vec<OfflineScanDto>>,
        report: RwSignal<Option<SyncReportDto>>,
    ) {
        // After hydration (an effect), so the stored state does not make
        // the first client render differ from the server's.
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            let refresh = move || {
                leptos::task::spawn_local(async move {
                    let stored = load::<OfflineBundleDto>(BUNDLE_KEY);
                    match crate::passes::api::offline_bundle().await {
                        Ok(b) => {
                            // A queue left by another account is not ours
                            // to upload.
                            if stored.is_some_and(|s| s.account_id != b.account_id) {
                                forget();
                                queue.set(Vec::new());
                            }
                            store(CLOCK_KEY, &(b.generated_at, js_sys::Date::now() as i64));
                            store(BUNDLE_KEY, &b);
                            bundle.set(Some(b));
                        }
                        // Signed out or not a desk: keep nothing.
                        Err(AppError::NotAuthenticated | AppError::Forbidden) => {
                            forget();
                            queue.set(Vec::new());
                            bundle.set(None);
                        }
                        // Offline (or the server failing): decide with
                        // what this desk stored.
                        Err(_) => {
                            if bundle.get_untracked().is_none() {
                                bundle.set(stored);
                            }
                        }
                    }
                    sync(queue, report);
                });
            };
            if let Some(q) = load::<Vec<OfflineScanDto>>(QUEUE_KEY) {
                queue.set(fresh(q));
                save_queue(queue);
            }
            refresh();
            let online = window_event_listener(leptos::ev::online, move |_| {
                sync(queue, report);
                refresh();
            });
            let tick = set_interval_with_handle(
                move || sync(queue, report),
                std::time::Duration::from_secs(20),
            );
            on_cleanup(move || {
                online.remove();
                if let Ok(t) = tick {
                    t.clear();
                }
            });
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (bundle, queue, report);
    }

    /// Upload the queue if there is one; scans the server took are removed.
    pub fn sync(queue: RwSignal<Vec<OfflineScanDto>>, report: RwSignal<Option<SyncReportDto>>) {
        sync_batch(queue, report, false);
    }

    /// One upload of at most [`MAX_SYNC_BATCH`] scans; a longer queue goes
    /// up in several, whose reports add up (`merge`).
    fn sync_batch(
        queue: RwSignal<Vec<OfflineScanDto>>,
        report: RwSignal<Option<SyncReportDto>>,
        merge: bool,
    ) {
        #[cfg(feature = "hydrate")]
        {
            use crate::passes::dto::MAX_SYNC_BATCH;
            let batch: Vec<OfflineScanDto> = queue
                .get_untracked()
                .into_iter()
                .take(MAX_SYNC_BATCH)
                .collect();
            if batch.is_empty() || !window().navigator().on_line() {
                return;
            }
            leptos::task::spawn_local(async move {
                if let Ok(r) = crate::passes::api::sync_offline(device(), batch.clone()).await {
                    queue.update(|q| q.retain(|s| !batch.iter().any(|b| b.nonce == s.nonce)));
                    save_queue(queue);
                    report.update(|old| {
                        *old = Some(match old.take() {
                            Some(mut o) if merge => {
                                o.applied += r.applied;
                                o.duplicates += r.duplicates;
                                o.conflicts.extend(r.conflicts);
                                o.denied.extend(r.denied);
                                o
                            }
                            // A repeat upload of scans the server already
                            // took (two syncs racing on reconnection) adds
                            // nothing: the report the desk is reading stays.
                            Some(o)
                                if r.applied == 0
                                    && r.conflicts.is_empty()
                                    && r.denied.is_empty() =>
                            {
                                o
                            }
                            _ => r,
                        });
                    });
                    if !queue.get_untracked().is_empty() {
                        sync_batch(queue, report, true);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (queue, report, merge);
    }
}
