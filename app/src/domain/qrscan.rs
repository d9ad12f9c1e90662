//! Reading a QR code from a camera frame (RGBA pixels, as a browser canvas
//! gives them). Pure Rust, so the scan page runs it in wasm and tests run it
//! natively.

/// Luma of an RGBA pixel (ITU-R BT.601 weights, integer math).
fn luma(px: &[u8]) -> u8 {
    ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114) / 1000) as u8
}

/// The text of the first QR code found in a `width`×`height` RGBA frame.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    // Checked: a frame's size comes from outside (a camera, a caller), and a
    // product that wraps around would let a short buffer through.
    let needed = width.checked_mul(height).and_then(|n| n.checked_mul(4));
    if width == 0 || height == 0 || needed.is_none_or(|n| rgba.len() < n) {
        return None;
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let i = (y * width + x) * 4;
        luma(&rgba[i..i + 4])
    });
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// Render `text` as a QR code into an RGBA frame the way a camera might
    /// see it: off-centre, on a grey background, not pure black and white.
    fn frame(text: &str, w: usize, h: usize, scale: usize) -> Vec<u8> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).unwrap();
        let n = code.width();
        let colors = code.to_colors();
        let mut out = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                let i = (y * w + x) * 4;
                out[i..i + 4].copy_from_slice(&[150, 150, 150, 255]);
            }
        }
        let (ox, oy) = (37, 21);
        let quiet = 4 * scale;
        for y in 0..(n * scale + 2 * quiet) {
            for x in 0..(n * scale + 2 * quiet) {
                let inside =
                    x >= quiet && y >= quiet && x < quiet + n * scale && y < quiet + n * scale;
                let dark = inside
                    && colors[((y - quiet) / scale) * n + (x - quiet) / scale]
                        == qrcode::Color::Dark;
                let v = if dark { 30 } else { 235 };
                let i = ((oy + y) * w + ox + x) * 4;
                out[i..i + 4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        out
    }

    #[test]
    fn reads_a_pass_code_from_a_camera_like_frame() {
        let code = "OQAEAQAAAQSIAAAAAHAEAAAAADAHEMLLABZDC6RSMQU3G5GLT5HKRY5L6FIUG5YT4DCKVC2DBSRUT7YPFCJ3PCK6X6ERBOZV5EXKSJJJKDIN36AJSLE2REKRL5CQLHHBI5PXKYJNJTMEFA";
        let (w, h) = (640, 480);
        assert_eq!(
            decode_rgba(w, h, &frame(code, w, h, 5)).as_deref(),
            Some(code)
        );
    }

    #[test]
    fn an_empty_frame_has_no_code() {
        let blank = vec![200u8; 320 * 240 * 4];
        assert_eq!(decode_rgba(320, 240, &blank), None);
        assert_eq!(decode_rgba(0, 0, &[]), None);
    }

    mod properties {
        use super::*;
        use crate::domain::pass;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 64,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Any frame size and any pixels: no panic, and whatever text
            /// noise decodes to is not a pass the door would trust.
            #[test]
            fn any_frame_is_read_without_panic(
                w in 0usize..48,
                h in 0usize..48,
                pixels in proptest::collection::vec(any::<u8>(), 0..48 * 48 * 4),
                huge in any::<bool>(),
            ) {
                let (w, h) = if huge { (usize::MAX / 2 + w, h + 3) } else { (w, h) };
                if let Some(text) = decode_rgba(w, h, &pixels) {
                    let keys = [(1u8, ed25519_dalek::SigningKey::from_bytes(&[42; 32]).verifying_key())];
                    prop_assert!(pass::verify(&text, &keys).is_err());
                }
            }
        }
    }
}
