//! Bounded message text: no message hands its sink more than
//! [`MAX_MESSAGE_BYTES`] of text, and no parser buffers more than that of
//! one message, however long the export makes it. A longer text is cut on
//! a character boundary and a diagnostic names where the message is and how
//! long it was, never what it says.

use std::fmt::Write;

use crate::{Diagnostic, MAX_MESSAGE_BYTES, Position, Sink};

/// `text` cut to at most [`MAX_MESSAGE_BYTES`], on a character boundary.
pub(crate) fn cap(text: &str) -> &str {
    text.get(..floor_char_boundary(text, MAX_MESSAGE_BYTES))
        .unwrap_or_default()
}

/// The largest character boundary of `text` at or before `at`.
pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// `text` cut to [`MAX_MESSAGE_BYTES`]. When that, or the `dropped` bytes
/// that a reader already left out of it, makes it shorter than it was, a
/// diagnostic at `at` says how long it was.
pub(crate) fn bound<'t>(text: &'t str, dropped: u64, at: Position, sink: &mut dyn Sink) -> &'t str {
    let whole = text.len() as u64 + dropped;
    let kept = cap(text);
    if (kept.len() as u64) < whole {
        sink.diagnostic(cut(at, whole));
    }
    kept
}

/// The diagnostic for the message at `at`, whose text of `original` bytes
/// was cut.
pub(crate) fn cut(at: Position, original: u64) -> Diagnostic {
    Diagnostic::new(
        at,
        format!(
            "a message of {} was cut to its first {}",
            size(original),
            size(MAX_MESSAGE_BYTES as u64)
        ),
    )
}

/// `bytes` for people: `1,025 MiB`, `300 KiB`, `12 bytes`. Mebibytes are
/// rounded, kibibytes rounded up (a text just over the limit does not read
/// as the limit).
pub(crate) fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    let (n, unit) = if bytes >= MIB {
        ((bytes + MIB / 2) / MIB, "MiB")
    } else if bytes >= KIB {
        (bytes.div_ceil(KIB), "KiB")
    } else {
        (bytes, "bytes")
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    let _ = write!(out, " {unit}");
    out
}

/// Text gathered piece by piece, kept up to [`MAX_MESSAGE_BYTES`]: what
/// goes past that is counted, not kept.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bounded {
    text: String,
    /// The length the whole text would have.
    len: u64,
}

impl Bounded {
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.len = 0;
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The length of the whole text, kept or not.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Some of the text was not kept.
    pub(crate) fn is_cut(&self) -> bool {
        self.len > self.text.len() as u64
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        self.len += s.len() as u64;
        let room = MAX_MESSAGE_BYTES.saturating_sub(self.text.len());
        if room > 0 && !self.is_cut_before(s) {
            self.text
                .push_str(s.get(..floor_char_boundary(s, room)).unwrap_or_default());
        }
    }

    /// Nothing is appended after a cut, even a piece that would fit: the
    /// text kept is always the start of the whole.
    fn is_cut_before(&self, s: &str) -> bool {
        self.len - s.len() as u64 > self.text.len() as u64
    }

    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Appends `c` `n` times.
    pub(crate) fn push_repeated(&mut self, c: char, n: usize) {
        let width = c.len_utf8();
        let fits = MAX_MESSAGE_BYTES.saturating_sub(self.text.len()) / width;
        let kept = if self.is_cut() { 0 } else { n.min(fits) };
        self.text.extend(std::iter::repeat_n(c, kept));
        self.len += (n * width) as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(12), "12 bytes");
        assert_eq!(size(256 * 1024), "256 KiB");
        assert_eq!(size(256 * 1024 + 1), "257 KiB");
        assert_eq!(size(1024 * 1024 * 1024), "1,024 MiB");
        assert_eq!(size(40_000_000), "38 MiB");
        assert_eq!(size(1_074_380_810), "1,025 MiB");
    }

    #[test]
    fn a_cut_falls_on_a_character_boundary() {
        let text = format!("{}\u{1F642}tail", "a".repeat(MAX_MESSAGE_BYTES - 2));
        assert_eq!(cap(&text).len(), MAX_MESSAGE_BYTES - 2);
        assert_eq!(cap("short"), "short");
    }

    #[test]
    fn bounded_text_keeps_the_start_and_counts_the_rest() {
        let mut b = Bounded::default();
        b.push_str(&"é".repeat(MAX_MESSAGE_BYTES / 2 - 1));
        b.push_repeated('\n', 3);
        b.push_str("ab");
        b.push('c');
        assert!(b.is_cut());
        assert_eq!(b.len(), MAX_MESSAGE_BYTES as u64 - 2 + 3 + 2 + 1);
        assert_eq!(b.as_str().len(), MAX_MESSAGE_BYTES);
        assert!(b.as_str().ends_with("\n\n"));
        // Once cut, nothing more is kept, even what would fit.
        let mut b = Bounded::default();
        b.push_str(&"x".repeat(MAX_MESSAGE_BYTES - 1));
        b.push('é');
        b.push('y');
        assert_eq!(b.as_str().len(), MAX_MESSAGE_BYTES - 1);
        b.clear();
        assert!(b.is_empty() && !b.is_cut());
    }
}
