//! The text inside an `attributedBody` blob: an `NSAttributedString`
//! archived as a "typedstream" (`\x04\x0bstreamtyped…`). macOS Ventura and
//! later often leave `message.text` NULL and keep the text only here.
//!
//! Only the string is read, not the attributes: after the `NSString` class
//! name come a few bytes of class version and object markers, then a `+`
//! (0x2B) tag, the string's length (one byte below 0x80, or 0x81 and a
//! little-endian u16, or 0x82 and a little-endian u32), and its UTF-8 bytes.

use std::borrow::Cow;

use crate::MAX_MESSAGE_BYTES;

const CLASS: &[u8] = b"NSString";
/// How far after the class name the `+` tag may be (it is 5 bytes in practice).
const TAG_WITHIN: usize = 16;

/// The string an `attributedBody` holds, up to its first
/// [`MAX_MESSAGE_BYTES`] (cut between characters), and its whole length;
/// `None` when the blob is not one. Bytes that are not UTF-8 become U+FFFD.
pub(super) fn text(blob: &[u8]) -> Option<(Cow<'_, str>, usize)> {
    let class = memchr::memmem::find(blob, CLASS)?;
    let after_class = blob.get(class + CLASS.len()..)?;
    let window = after_class.get(..TAG_WITHIN.min(after_class.len()))?;
    let tag = memchr::memchr(b'+', window)?;
    let (length, rest) = length(after_class.get(tag + 1..)?)?;
    let bytes = rest.get(..length)?;
    // Back from the limit to the first byte of a character.
    let mut end = MAX_MESSAGE_BYTES.min(length);
    while end > 0 && end < length && bytes.get(end).is_some_and(|b| b & 0xC0 == 0x80) {
        end -= 1;
    }
    Some((String::from_utf8_lossy(bytes.get(..end)?), length))
}

/// A typedstream integer used as a length, and the bytes after it.
fn length(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = bytes.split_first()?;
    match first {
        0x81 => {
            let (n, rest) = rest.split_first_chunk::<2>()?;
            Some((usize::from(u16::from_le_bytes(*n)), rest))
        }
        0x82 => {
            let (n, rest) = rest.split_first_chunk::<4>()?;
            Some((usize::try_from(u32::from_le_bytes(*n)).ok()?, rest))
        }
        // Single bytes from 0x80 up are tags or negative numbers, not lengths.
        0..=0x7F => Some((usize::from(first), rest)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use proptest::prelude::*;

    use super::*;

    /// The `attributedBody` blobs of the iMessage fixture (`base64:`-prefixed).
    fn fixture_blobs() -> Vec<Vec<u8>> {
        let path = crate::synth::fixtures_dir()
            .join("imessage/imessage-conversation-analyzer__mockdb_chats__message.json");
        let rows: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("JSON");
        rows.iter()
            .filter_map(|row| row["attributedBody"].as_str()?.strip_prefix("base64:"))
            .map(|b64| {
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("base64")
            })
            .collect()
    }

    /// A blob shaped like the ones macOS writes around `text`.
    fn blob(text: &[u8], length: &[u8]) -> Vec<u8> {
        let mut blob = b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+".to_vec();
        blob.extend_from_slice(length);
        blob.extend_from_slice(text);
        blob.extend_from_slice(b"\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00");
        blob
    }

    #[test]
    fn the_fixture_blob_holds_a_tapback_text() {
        let blobs = fixture_blobs();
        assert_eq!(blobs.len(), 1);
        assert_eq!(
            text(&blobs[0]).as_ref().map(|(t, _)| t.as_ref()),
            Some("Loved \u{201C}Same here! \u{1F923} Catch you later!\u{201D}")
        );
    }

    #[test]
    fn long_strings_have_two_and_four_byte_lengths() {
        let long = "x".repeat(300);
        assert_eq!(
            text(&blob(long.as_bytes(), &[0x81, 0x2C, 0x01])),
            Some((long.as_str().into(), 300))
        );
        let longer = "é".repeat(40_000);
        let n = u32::try_from(longer.len()).expect("fits");
        let mut length = vec![0x82];
        length.extend_from_slice(&n.to_le_bytes());
        assert_eq!(
            text(&blob(longer.as_bytes(), &length)),
            Some((longer.as_str().into(), 80_000))
        );
        // Past the limit, the first characters that fit, and the length.
        let longest = format!("a{}", "é".repeat(MAX_MESSAGE_BYTES));
        let n = u32::try_from(longest.len()).expect("fits");
        let mut length = vec![0x82];
        length.extend_from_slice(&n.to_le_bytes());
        let longest_blob = blob(longest.as_bytes(), &length);
        let (kept, whole) = text(&longest_blob).expect("a string");
        assert_eq!((kept.len(), whole), (MAX_MESSAGE_BYTES - 1, longest.len()));
        assert!(kept.ends_with('é'));
    }

    #[test]
    fn blobs_that_are_not_strings_give_nothing() {
        assert_eq!(text(b""), None);
        assert_eq!(text(b"NSString"), None);
        // A length past the end of the blob.
        assert_eq!(text(&blob(b"abc", &[0x81, 0xFF, 0xFF])), None);
        // 0x83 is a float tag, not a length.
        assert_eq!(text(&blob(b"abc", &[0x83])), None);
    }

    proptest! {
        #[test]
        fn arbitrary_blobs_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..96), at in any::<prop::sample::Index>()) {
            let _ = text(&bytes);
            let i = at.index(bytes.len() + 1);
            bytes.splice(i..i, CLASS.iter().copied().chain([1, b'+']));
            let _ = text(&bytes);
        }
    }
}
