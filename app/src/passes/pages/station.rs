//! The scan station's offline side: keeps today's bundle and the queue of
//! offline scans in the browser's storage, and uploads the queue when the
//! network is back (on the `online` event and every 20 seconds).

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

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.measure(name, { start, end })`: a measure between two
    /// times already taken (web-sys offers this form only as unstable).
    #[wasm_bindgen(catch, js_namespace = performance, js_name = measure)]
    fn measure_between(
        name: &str,
        times: &js_sys::Object,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

/// Run `f` (an offline decision) and record how long it took as the
/// measure [`DECIDE_MEASURE`]. The clock is read right before and after
/// `f`, so the measure holds the decision alone, not the bookkeeping of
/// the performance timeline (clearing the last measure, creating marks
/// and their objects). Only the latest measure stays in the timeline, so
/// a station running for days keeps nothing.
pub fn timed<T>(f: impl FnOnce() -> T) -> T {
    #[cfg(feature = "hydrate")]
    {
        let Some(perf) = window().performance() else {
            return f();
        };
        let start = perf.now();
        let out = f();
        let end = perf.now();
        perf.clear_measures_with_measure_name(DECIDE_MEASURE);
        let times = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&times, &"start".into(), &start.into());
        let _ = js_sys::Reflect::set(&times, &"end".into(), &end.into());
        let _ = measure_between(DECIDE_MEASURE, &times);
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
                            if r.applied == 0 && r.conflicts.is_empty() && r.denied.is_empty() =>
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
