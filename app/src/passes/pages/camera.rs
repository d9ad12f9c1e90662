//! The scan station's camera: frames go through the wasm QR reader
//! ([`crate::domain::qrscan`]) a few times a second; a code found is handed
//! to `on_code` (the same code at most once per verdict period).

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
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
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
