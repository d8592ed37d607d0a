//! Long attribute values cut before the XML parser sees them. The XML
//! reader holds a whole tag at once, and the app writes a message's text
//! (`body`, a part's `text`) and an MMS part's file (`data`, base64) as
//! attributes, so one tag may be as long as the message or the file.
//!
//! [`Clamp`] streams the backup through and keeps the first
//! [`VALUE_KEPT`] bytes of each attribute value (cut between characters,
//! never inside a character reference or between the halves of a
//! surrogate pair written as two references); the [`Cuts`] it shares say
//! what it left out, and where, so that offsets can be told as the file's.

use std::cell::RefCell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use crate::MAX_MESSAGE_BYTES;

/// The bytes of an attribute value kept, as written: enough for
/// [`MAX_MESSAGE_BYTES`] of text.
pub(super) const VALUE_KEPT: usize = 2 * MAX_MESSAGE_BYTES;

const BUFFER: usize = 64 * 1024;

/// One value cut short.
#[derive(Debug)]
struct Cut {
    /// Where in the clamped stream the value's kept part ends.
    at: u64,
    /// The attribute's name (its first bytes).
    name: Vec<u8>,
    dropped: u64,
    /// Bytes dropped up to and including this cut.
    total: u64,
}

/// What a [`Clamp`] left out.
#[derive(Debug, Default)]
pub(super) struct Cuts {
    cuts: Vec<Cut>,
}

impl Cuts {
    /// The file's offset of `offset` in the clamped stream.
    pub(super) fn original(&self, offset: u64) -> u64 {
        // A cut's bytes lie just before its offset.
        let before = self.cuts.partition_point(|c| c.at <= offset);
        offset
            + before
                .checked_sub(1)
                .and_then(|i| self.cuts.get(i))
                .map_or(0, |c| c.total)
    }

    /// Bytes left out of the values of attribute `name` between the clamped
    /// stream's offsets `from` and `to`.
    pub(super) fn dropped(&self, from: u64, to: u64, name: &[u8]) -> u64 {
        let start = self.cuts.partition_point(|c| c.at < from);
        self.cuts
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.at < to)
            .filter(|c| c.name == name)
            .map(|c| c.dropped)
            .sum()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`.
    Open,
    /// After `<!`, `<!-`.
    Bang(u8),
    Tag,
    Value {
        quote: u8,
    },
    /// Past the bytes kept of a value, up to its closing quote.
    Dropping {
        quote: u8,
    },
    Comment,
    CData,
}

/// A backup with its long attribute values cut (see the module).
pub(super) struct Clamp<R> {
    inner: R,
    out: Vec<u8>,
    out_pos: usize,
    written: u64,
    state: State,
    /// `-` (in a comment) or `]` (in CDATA) just before.
    run: u8,
    name: Vec<u8>,
    name_done: bool,
    kept: usize,
    /// Bytes into a character reference (0 outside one), its value so far,
    /// and whether it is written in hex.
    reference: u8,
    reference_value: u32,
    reference_hex: bool,
    /// The last thing kept was a reference to the first half of a surrogate pair.
    high_surrogate: bool,
    dropped: u64,
    cuts: Rc<RefCell<Cuts>>,
    /// The input being clamped (a copy, as `step` needs the clamp itself).
    chunk: Vec<u8>,
}

impl<R: BufRead> Clamp<R> {
    pub(super) fn new(inner: R) -> (Self, Rc<RefCell<Cuts>>) {
        let cuts = Rc::new(RefCell::new(Cuts::default()));
        let clamp = Clamp {
            inner,
            out: Vec::with_capacity(BUFFER),
            out_pos: 0,
            written: 0,
            state: State::Text,
            run: 0,
            name: Vec::new(),
            name_done: false,
            kept: 0,
            reference: 0,
            reference_value: 0,
            reference_hex: false,
            high_surrogate: false,
            dropped: 0,
            cuts: Rc::clone(&cuts),
            chunk: Vec::with_capacity(BUFFER),
        };
        (clamp, cuts)
    }

    /// Takes one byte; whether it is kept.
    fn step(&mut self, b: u8) -> bool {
        match self.state {
            State::Text => {
                if b == b'<' {
                    self.state = State::Open;
                }
            }
            State::Open => match b {
                b'!' => self.state = State::Bang(1),
                _ => self.tag(b),
            },
            State::Bang(n) => match (n, b) {
                (1, b'-') => self.state = State::Bang(2),
                (2, b'-') => {
                    self.state = State::Comment;
                    self.run = 0;
                }
                (1, b'[') => {
                    self.state = State::CData;
                    self.run = 0;
                }
                _ => self.tag(b),
            },
            State::Comment | State::CData => {
                let (mark, closes) = if self.state == State::Comment {
                    (b'-', 2)
                } else {
                    (b']', 2)
                };
                if b == b'>' && self.run >= closes {
                    self.state = State::Text;
                } else if b == mark {
                    self.run = self.run.saturating_add(1);
                } else {
                    self.run = 0;
                }
            }
            State::Tag => self.tag(b),
            State::Value { quote } => return self.value(b, quote),
            State::Dropping { quote } => {
                if b != quote {
                    self.dropped += 1;
                    return false;
                }
                self.end_cut();
                self.state = State::Tag;
            }
        }
        true
    }

    fn tag(&mut self, b: u8) {
        self.state = State::Tag;
        match b {
            b'>' => self.state = State::Text,
            // Declarations inside a doctype's brackets, comments among them.
            b'<' => self.state = State::Open,
            b'"' | b'\'' => {
                self.state = State::Value { quote: b };
                self.kept = 0;
                self.reference = 0;
                self.high_surrogate = false;
                self.name_done = true;
            }
            b if b.is_ascii_whitespace() || b == b'=' || b == b'/' => self.name_done = true,
            b => {
                if self.name_done {
                    self.name.clear();
                    self.name_done = false;
                }
                if self.name.len() < 32 {
                    self.name.push(b);
                }
            }
        }
    }

    fn value(&mut self, b: u8, quote: u8) -> bool {
        if b == quote {
            self.state = State::Tag;
            return true;
        }
        let between_characters = self.reference == 0 && b & 0xC0 != 0x80 && !self.high_surrogate;
        if self.kept >= VALUE_KEPT && between_characters {
            self.state = State::Dropping { quote };
            self.dropped = 1;
            return false;
        }
        self.kept += 1;
        match (self.reference, b) {
            (0, b'&') => {
                self.reference = 1;
                self.reference_value = 0;
                self.reference_hex = false;
            }
            (0, _) => self.high_surrogate = false,
            (_, b';') => {
                self.reference = 0;
                self.high_surrogate = (0xD800..0xDC00).contains(&self.reference_value);
            }
            (n, _) => {
                // `&#55357;` or `&#xD83D;`: the digits give the value.
                let radix = if self.reference_hex { 16 } else { 10 };
                if n == 2 && matches!(b, b'x' | b'X') {
                    self.reference_hex = true;
                } else if let Some(d) = char::from(b).to_digit(radix) {
                    self.reference_value = self.reference_value.saturating_mul(radix).saturating_add(d);
                }
                self.reference = if n >= 16 { 0 } else { n + 1 };
            }
        }
        true
    }

    fn end_cut(&mut self) {
        let mut cuts = self.cuts.borrow_mut();
        let total = cuts.cuts.last().map_or(0, |c| c.total) + self.dropped;
        cuts.cuts.push(Cut {
            at: self.written + self.out.len() as u64,
            name: self.name.clone(),
            dropped: self.dropped,
            total,
        });
    }

    /// Clamps the next bytes of the input into `out`; false at its end.
    fn refill(&mut self) -> io::Result<bool> {
        self.written += self.out_pos as u64;
        self.out.clear();
        self.out_pos = 0;
        let mut chunk = std::mem::take(&mut self.chunk);
        while self.out.is_empty() {
            let input = self.inner.fill_buf()?;
            if input.is_empty() {
                self.chunk = chunk;
                return Ok(false);
            }
            let take = input.len().min(BUFFER);
            chunk.clear();
            chunk.extend_from_slice(input.get(..take).unwrap_or_default());
            self.inner.consume(take);
            self.clamp(&chunk);
        }
        self.chunk = chunk;
        Ok(true)
    }

    /// Clamps `chunk` into `out`: runs of text, of a value short of its
    /// limit and of a value being dropped at once, the rest byte by byte.
    fn clamp(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while let Some(rest) = chunk.get(i..).filter(|rest| !rest.is_empty()) {
            let run = match self.state {
                State::Text => memchr::memchr(b'<', rest).unwrap_or(rest.len()),
                State::Value { quote } if self.reference == 0 && self.kept + 1 < VALUE_KEPT => {
                    // Short of the limit: no cut can fall in the run.
                    let room = rest.len().min(VALUE_KEPT - 1 - self.kept);
                    let run =
                        memchr::memchr2(quote, b'&', rest.get(..room).unwrap_or_default()).unwrap_or(room);
                    if run > 0 {
                        self.kept += run;
                        self.high_surrogate = false;
                    }
                    run
                }
                State::Dropping { quote } => {
                    let run = memchr::memchr(quote, rest).unwrap_or(rest.len());
                    self.dropped += run as u64;
                    i += run;
                    if run > 0 {
                        continue;
                    }
                    0
                }
                _ => 0,
            };
            if run > 0 {
                self.out.extend_from_slice(rest.get(..run).unwrap_or_default());
                i += run;
                continue;
            }
            let b = rest.first().copied().unwrap_or_default();
            if self.step(b) {
                self.out.push(b);
            }
            i += 1;
        }
    }
}

impl<R: BufRead> Read for Clamp<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(available.get(..n).unwrap_or_default());
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Clamp<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.out_pos >= self.out.len() {
            self.refill()?;
        }
        Ok(self.out.get(self.out_pos..).unwrap_or_default())
    }

    fn consume(&mut self, amount: usize) {
        self.out_pos = (self.out_pos + amount).min(self.out.len());
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn clamped(input: &[u8], capacity: usize) -> (Vec<u8>, Rc<RefCell<Cuts>>) {
        let (mut clamp, cuts) = Clamp::new(io::BufReader::with_capacity(capacity, input));
        let mut out = Vec::new();
        clamp.read_to_end(&mut out).expect("in memory");
        (out, cuts)
    }

    #[test]
    fn long_values_keep_their_start_and_offsets_map_back() {
        let body = format!(
            "{}&#55357;&#56832;{}",
            "a".repeat(VALUE_KEPT - 4),
            "b".repeat(1000)
        );
        let xml = format!(
            r#"<smses><!-- "a' --><sms body="{body}" data='{}' /><sms body="short" /></smses>"#,
            "Q".repeat(VALUE_KEPT + 10)
        );
        for capacity in [7, 4096, 1 << 20] {
            let (out, cuts) = clamped(xml.as_bytes(), capacity);
            let out = String::from_utf8(out).expect("UTF-8");
            // Not between the halves of the pair: both kept, then cut.
            let kept_body = format!("{}&#55357;&#56832;", "a".repeat(VALUE_KEPT - 4));
            let expected = format!(
                r#"<smses><!-- "a' --><sms body="{kept_body}" data='{}' /><sms body="short" /></smses>"#,
                "Q".repeat(VALUE_KEPT)
            );
            assert!(out == expected, "capacity {capacity}");
            let cuts = cuts.borrow();
            let second = out.find(r#"<sms body="short""#).expect("kept") as u64;
            assert_eq!(
                cuts.original(second) as usize,
                xml.find(r#"<sms body="short""#).expect("there")
            );
            assert_eq!(cuts.dropped(0, second, b"body"), 1000);
            assert_eq!(cuts.dropped(0, second, b"data"), 10);
            assert_eq!(cuts.dropped(second, u64::MAX, b"body"), 0);
        }
    }

    proptest! {
        #[test]
        fn short_values_pass_unchanged(
            parts in proptest::collection::vec(prop_oneof![
                Just("<"), Just(">"), Just("\""), Just("'"), Just("&"), Just(";"), Just("#"), Just("!"),
                Just("-"), Just("["), Just("]"), Just("a="), Just(" "), Just("\u{e9}"), Just("&#55357;"),
            ], 0..200),
            capacity in 1usize..64,
        ) {
            let input = parts.concat();
            let (out, cuts) = clamped(input.as_bytes(), capacity);
            prop_assert_eq!(out, input.as_bytes());
            prop_assert_eq!(cuts.borrow().original(input.len() as u64), input.len() as u64);
        }
    }
}
