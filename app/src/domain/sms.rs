//! Text-message length: how many SMS segments a text takes. A text of
//! GSM-7 characters (the GSM 03.38 basic set; the extension table counts
//! two) fits 160 in one segment and 153 in each part of a longer one. Any
//! other character — Cyrillic, the Kazakh letters, typographic quotes or
//! dashes — switches the whole message to UCS-2: 70 UTF-16 units alone,
//! 67 per part. Gateways bill per segment, and phones may show a long
//! message out of order, so Ortalyq's texts stay within [`MAX_SEGMENTS`].

/// The most segments an Ortalyq text may take.
pub const MAX_SEGMENTS: u32 = 2;

/// The GSM 03.38 basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table (an escape septet plus one: two each).
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

/// Septets a character takes in GSM-7, or `None` outside the alphabet.
fn gsm_septets(c: char) -> Option<u32> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Segments `text` takes as one SMS (0 for an empty text).
pub fn segments(text: &str) -> u32 {
    let gsm: Option<u32> = text.chars().map(gsm_septets).sum();
    let (units, single, part) = match gsm {
        Some(septets) => (septets, 160, 153),
        None => (text.encode_utf16().count() as u32, 70, 67),
    };
    match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    }
}

/// True when `text` is all GSM-7 (cheaper: 160 characters a segment).
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| gsm_septets(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm7_texts_take_160_then_153_a_segment() {
        assert_eq!(segments(""), 0);
        assert_eq!(segments("Ortalyq: code 123456"), 1);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        assert!(is_gsm7("Hello, World! 50% off @ 10:00 (Ä, é, £)"));
    }

    #[test]
    fn extension_characters_count_twice() {
        assert_eq!(segments(&"€".repeat(80)), 1);
        assert_eq!(segments(&format!("{}€", "a".repeat(159))), 2);
        assert_eq!(segments(&"[".repeat(81)), 2);
        assert!(is_gsm7("{[~]}|^\\€"));
    }

    #[test]
    fn cyrillic_kazakh_and_typography_switch_to_ucs2() {
        assert_eq!(segments(&"д".repeat(70)), 1);
        assert_eq!(segments(&"д".repeat(71)), 2);
        assert_eq!(segments(&"ә".repeat(134)), 2);
        assert_eq!(segments(&"ә".repeat(135)), 3);
        // One curly quote or en dash makes a Latin text UCS-2.
        let latin = format!("“{}”", "a".repeat(68));
        assert_eq!(segments(&latin), 1);
        assert_eq!(segments(&format!("{}–", "a".repeat(70))), 2);
        assert!(!is_gsm7("15:00–16:00"));
        assert!(!is_gsm7("Қарағанды"));
        // Characters outside the BMP take two UTF-16 units.
        assert_eq!(segments(&"🙂".repeat(35)), 1);
        assert_eq!(segments(&"🙂".repeat(36)), 2);
    }
}
