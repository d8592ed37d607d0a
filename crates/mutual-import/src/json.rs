//! Streaming over big JSON exports (Telegram, Discord, Messenger) without
//! holding them in memory.
//!
//! ```text
//! {"name": "Sam", "messages": [ {"id": 1, ...}, {"id": 2, ...} ]}
//!  ^ walked key by key           ^ each record parsed, handed on, forgotten
//! ```
//!
//! [`JsonStream`] walks the outer objects and arrays itself, skips values
//! nobody asked for without keeping them, and parses each record with
//! serde_json straight from its buffer, so strings without escapes are
//! borrowed. serde_json's own reader-based deserializer would do the walk
//! too, but it pulls the input one byte at a time and cannot borrow: it
//! measured about twice as slow on a 1M-message Telegram export. A record
//! longer than a few messages could be is squeezed as it is read (its long
//! strings cut, see [`Squeeze`]), so that no text is ever held whole.
//!
//! Shared by the JSON parsers (Telegram, Discord, Messenger, Instagram).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read};

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::{Diagnostic, Error, MAX_MESSAGE_BYTES, Position};

/// Bytes asked of the reader at a time.
const CHUNK: usize = 256 * 1024;

/// The longest record (or key) kept; a longer record is skipped.
const MAX_RECORD: usize = 64 * 1024 * 1024;

/// Records up to this size are held whole; a longer one is squeezed as it
/// is read (see [`Squeeze`]), so that one message's text, however long,
/// is never held whole.
const SQUEEZE_FROM: usize = 4 * MAX_MESSAGE_BYTES;

/// The bytes of a string that a squeezed record keeps, as written (with
/// its escapes): enough for [`MAX_MESSAGE_BYTES`] of plain text.
const STRING_KEPT: usize = 2 * MAX_MESSAGE_BYTES;

/// Past this size, a squeezed record keeps no more elements of its arrays
/// (a text given as a long array of parts, say).
const SQUEEZED_ARRAYS_UP_TO: usize = 4 * MAX_MESSAGE_BYTES;

/// A cursor over a JSON document in a sliding buffer.
pub(crate) struct JsonStream<R> {
    reader: R,
    buf: Vec<u8>,
    /// Next unread byte in `buf`.
    pos: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
    /// Offset in the input of `buf[0]`.
    base: u64,
    eof: bool,
    chunk: usize,
    /// What the input should have been, for errors.
    expected: &'static str,
}

impl<R> fmt::Debug for JsonStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("offset", &(self.base + self.pos as u64))
            .finish_non_exhaustive()
    }
}

/// What a record parser made of the unread bytes.
pub(crate) enum Step<T> {
    /// A whole record, `used` bytes long.
    Done { used: usize, value: T },
    /// The bytes end inside the record.
    NeedMore,
    /// The record is broken `at` bytes in.
    Malformed { at: usize, problem: &'static str },
}

impl<T> Step<T> {
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Step<U> {
        match self {
            Step::Done { used, value } => Step::Done {
                used,
                value: f(value),
            },
            Step::NeedMore => Step::NeedMore,
            Step::Malformed { at, problem } => Step::Malformed { at, problem },
        }
    }
}

/// Parses the JSON value at the start of `bytes` as `T`.
pub(crate) fn first<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Step<T> {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<T>();
    match values.next() {
        None => Step::NeedMore,
        // A number that runs to the end of the bytes may go on after them.
        Some(Ok(_)) if values.byte_offset() == bytes.len() && !is_delimited(bytes) => Step::NeedMore,
        Some(Ok(value)) => Step::Done {
            used: values.byte_offset(),
            value,
        },
        Some(Err(e)) if e.is_eof() => Step::NeedMore,
        // serde_json's messages may quote the data, so only its category is
        // kept, with where the syntax breaks (or where the record starts).
        Some(Err(e)) => match e.classify() {
            serde_json::error::Category::Syntax => Step::Malformed {
                at: offset_of(bytes, e.line(), e.column()),
                problem: "is not valid JSON",
            },
            _ => Step::Malformed {
                at: 0,
                problem: "does not have the expected fields",
            },
        },
    }
}

/// Whether the value at the start of `bytes` shows where it ends (an
/// object, array or string), unlike a number or a literal.
fn is_delimited(bytes: &[u8]) -> bool {
    matches!(trim_start(bytes).first(), Some(b'{' | b'[' | b'"'))
}

/// The offset of a 1-based line and column in `bytes`.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        n => memchr::memchr_iter(b'\n', bytes)
            .nth(n - 2)
            .map_or(bytes.len(), |i| i + 1),
    };
    line_start
        .saturating_add(column.saturating_sub(1))
        .min(bytes.len())
}

/// What squeezing a record left out, counted by the record's own key it
/// was under (`text`, `content`): a parser adds it to the length of the
/// text it got to tell how long the text was.
#[derive(Debug, Default)]
pub(crate) struct Squeezed {
    dropped: Vec<(Vec<u8>, u64)>,
}

impl Squeezed {
    /// Bytes left out under the record's key `key`.
    pub(crate) fn under(&self, key: &[u8]) -> u64 {
        self.dropped
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, n)| n)
            .sum()
    }

    fn add(&mut self, key: &[u8], n: u64) {
        if n == 0 {
            return;
        }
        match self.dropped.iter_mut().find(|(k, _)| k == key) {
            Some((_, total)) => *total += n,
            None => self.dropped.push((key.to_vec(), n)),
        }
    }
}

/// A record too long to hold whole, rewritten in place as it is read: each
/// string keeps its first [`STRING_KEPT`] bytes (cut between characters,
/// never inside an escape or a surrogate pair) and, once the record has
/// [`SQUEEZED_ARRAYS_UP_TO`] bytes, its arrays keep no more elements. What
/// is left is JSON again, with the record's shape, for the parser as usual.
#[derive(Debug, Default)]
struct Squeeze {
    /// Bytes of the record read and kept (from its start in the buffer).
    read: usize,
    write: usize,
    /// Containers open, and the kinds (`{`, `[`) of those being kept.
    depth: usize,
    kinds: Vec<u8>,
    in_string: bool,
    escape: bool,
    /// Hex digits of a `\u` escape still to come, and its value so far.
    hex_left: u8,
    hex: u32,
    /// The last thing kept was the first half of a surrogate pair.
    high_surrogate: bool,
    string_kept: usize,
    dropping_string: bool,
    /// The elements of the array open at this depth are being dropped.
    dropping_elements: Option<usize>,
    /// The next string of the record's own object is a key.
    key_next: bool,
    in_key: bool,
    /// The record's key whose value is being read (its first bytes).
    key: Vec<u8>,
    /// Left out under `key` since it was last counted.
    dropped_here: u64,
    dropped: u64,
    /// Too long even squeezed: read to its end, kept nowhere.
    discard: bool,
    done: bool,
    squeezed: Squeezed,
}

impl Squeeze {
    /// Squeezes `buf[pos + read..end]`, the bytes read since the last run;
    /// returns the new end of the valid bytes.
    fn run(&mut self, buf: &mut [u8], pos: usize, end: usize) -> usize {
        while !self.done && pos + self.read < end {
            let b = buf.get(pos + self.read).copied().unwrap_or_default();
            self.read += 1;
            if self.step(b) && !self.discard {
                if let Some(slot) = buf.get_mut(pos + self.write) {
                    *slot = b;
                }
                self.write += 1;
                if self.write > MAX_RECORD {
                    self.discard = true;
                }
            } else {
                self.dropped += 1;
                self.dropped_here += 1;
            }
        }
        if self.done {
            self.squeezed.add(&self.key, self.dropped_here);
            // What follows the record moves up to its new end.
            buf.copy_within(pos + self.read..end, pos + self.write);
            let end = end - (self.read - self.write);
            self.read = self.write;
            return end;
        }
        self.read = self.write;
        pos + self.write
    }

    /// Takes one byte of the record; whether it is kept.
    fn step(&mut self, b: u8) -> bool {
        if let Some(depth) = self.dropping_elements {
            return self.step_dropped(b, depth);
        }
        if self.in_string {
            return self.step_string(b);
        }
        match b {
            b'"' => {
                self.in_string = true;
                self.string_kept = 0;
                self.high_surrogate = false;
                if self.depth == 1 && self.key_next {
                    self.key_next = false;
                    self.in_key = true;
                    self.squeezed
                        .add(&self.key, std::mem::take(&mut self.dropped_here));
                    self.key.clear();
                }
            }
            b'{' | b'[' => {
                self.depth += 1;
                self.kinds.push(b);
                self.key_next = self.depth == 1 && b == b'{';
            }
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                self.kinds.pop();
                self.done = self.depth == 0;
            }
            b',' => {
                self.key_next = self.depth == 1 && self.kinds.last() == Some(&b'{');
                if self.kinds.last() == Some(&b'[') && self.write >= SQUEEZED_ARRAYS_UP_TO {
                    self.dropping_elements = Some(self.depth);
                    return false;
                }
            }
            _ => {}
        }
        true
    }

    fn step_string(&mut self, b: u8) -> bool {
        if self.dropping_string {
            match b {
                _ if self.escape => self.escape = false,
                b'\\' => self.escape = true,
                b'"' => {
                    self.end_string();
                    return true;
                }
                _ => {}
            }
            return false;
        }
        if self.escape {
            self.escape = false;
            if b == b'u' {
                self.hex_left = 4;
                self.hex = 0;
            } else {
                self.high_surrogate = false;
            }
        } else if self.hex_left > 0 {
            self.hex = self.hex * 16 + char::from(b).to_digit(16).unwrap_or(0);
            self.hex_left -= 1;
            if self.hex_left == 0 {
                self.high_surrogate = (0xD800..0xDC00).contains(&self.hex);
            }
        } else if b == b'"' {
            self.end_string();
            return true;
        } else if self.string_kept >= STRING_KEPT && b & 0xC0 != 0x80 {
            // Cut here, between characters; not after half a surrogate pair.
            self.dropping_string = true;
            self.escape = b == b'\\';
            if self.high_surrogate {
                self.write -= 6;
                self.dropped += 6;
                self.dropped_here += 6;
            }
            return false;
        } else {
            self.escape = b == b'\\';
            if !self.escape {
                self.high_surrogate = false;
            }
        }
        self.string_kept += 1;
        if self.in_key && self.key.len() < 64 {
            self.key.push(b);
        }
        true
    }

    fn end_string(&mut self) {
        self.in_string = false;
        self.dropping_string = false;
        self.escape = false;
        self.hex_left = 0;
        self.in_key = false;
        self.done = self.depth == 0;
    }

    /// A byte of array elements being dropped, up to the array's end.
    fn step_dropped(&mut self, b: u8, depth: usize) -> bool {
        if self.in_string {
            match b {
                _ if self.escape => self.escape = false,
                b'\\' => self.escape = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return false;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth == depth => {
                // The array's own end: kept.
                self.dropping_elements = None;
                self.depth -= 1;
                self.kinds.pop();
                self.done = self.depth == 0;
                return true;
            }
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        false
    }
}

/// A parsed record, or why it was skipped.
pub(crate) enum Parsed<T> {
    Value(T),
    Skipped(Diagnostic),
}

impl<R: Read> JsonStream<R> {
    pub(crate) fn new(reader: R, expected: &'static str) -> Self {
        Self::with_chunk(reader, expected, CHUNK)
    }

    /// A stream that reads `chunk` bytes at a time (small in tests, to cross
    /// buffer ends often).
    pub(crate) fn with_chunk(reader: R, expected: &'static str, chunk: usize) -> Self {
        let chunk = chunk.max(1);
        JsonStream {
            reader,
            buf: vec![0; 2 * chunk],
            pos: 0,
            end: 0,
            base: 0,
            eof: false,
            chunk,
            expected,
        }
    }

    /// The input offset of the next unread byte.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The document's opening `{`, after an optional byte-order mark.
    pub(crate) fn begin_document(&mut self) -> Result<(), Error> {
        while self.end < 3 && self.fill()? {}
        if self
            .buf
            .get(..self.end)
            .is_some_and(|b| b.starts_with(b"\xEF\xBB\xBF"))
        {
            self.pos = 3;
        }
        match self.peek()? {
            None => Err(Error::unreadable(
                Position::Whole,
                "the file is empty",
                self.expected,
            )),
            Some(b'{') => {
                self.pos += 1;
                Ok(())
            }
            Some(b) => Err(self.unexpected(b, "a JSON object should start")),
        }
    }

    /// Enters the object that comes next.
    pub(crate) fn begin_object(&mut self, what: &str) -> Result<(), Error> {
        self.begin(b'{', what)
    }

    /// Enters the array that comes next.
    pub(crate) fn begin_array(&mut self, what: &str) -> Result<(), Error> {
        self.begin(b'[', what)
    }

    fn begin(&mut self, open: u8, what: &str) -> Result<(), Error> {
        match self.peek()? {
            Some(b) if b == open => {
                self.pos += 1;
                Ok(())
            }
            Some(b) => Err(self.unexpected(b, what)),
            None => Err(self.ends_early()),
        }
    }

    /// The first byte of the next value, without taking it.
    pub(crate) fn peek_value(&mut self) -> Result<u8, Error> {
        self.peek()?.ok_or_else(|| self.ends_early())
    }

    /// The next key of the current object, as `classify` names it, with its
    /// colon taken; `None` after the object's last member.
    pub(crate) fn next_key<T>(&mut self, classify: impl FnOnce(&[u8]) -> T) -> Result<Option<T>, Error> {
        let mut b = self.peek_value()?;
        if b == b',' {
            self.pos += 1;
            b = self.peek_value()?;
        }
        match b {
            b'}' => {
                self.pos += 1;
                return Ok(None);
            }
            b'"' => {}
            other => return Err(self.unexpected(other, "a key should be")),
        }
        let len = self.string_len()?;
        let key = classify(self.buf.get(self.pos + 1..self.pos + len - 1).unwrap_or_default());
        self.pos += len;
        match self.peek_value()? {
            b':' => {
                self.pos += 1;
                Ok(Some(key))
            }
            other => Err(self.unexpected(other, "a colon should be")),
        }
    }

    /// Whether the current array has another element (taking the comma
    /// before it, or the closing bracket after the last).
    pub(crate) fn next_element(&mut self) -> Result<bool, Error> {
        let mut b = self.peek_value()?;
        if b == b',' {
            self.pos += 1;
            b = self.peek_value()?;
        }
        if b == b']' {
            self.pos += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// Parses the next value with `parse`, which gets the unread bytes, their
    /// input offset and what squeezing the value left out, and is called
    /// again with more bytes when they end inside the value. A value longer
    /// than [`SQUEEZE_FROM`] is squeezed as it is read; a malformed value,
    /// or one too long even squeezed, is skipped.
    pub(crate) fn parse_value<T>(
        &mut self,
        mut parse: impl FnMut(&[u8], u64, &Squeezed) -> Step<T>,
    ) -> Result<Parsed<T>, Error> {
        let squeezable = matches!(self.peek_value()?, b'{' | b'[' | b'"');
        let at = self.offset();
        let whole = Squeezed::default();
        loop {
            let unread = self.buf.get(self.pos..self.end).unwrap_or_default();
            match parse(unread, at, &whole) {
                Step::Done { used, value } => {
                    self.pos += used;
                    return Ok(Parsed::Value(value));
                }
                Step::Malformed { at: inside, problem } => {
                    self.skip_value()?;
                    return Ok(Parsed::Skipped(malformed(at + inside as u64, problem)));
                }
                Step::NeedMore if self.end - self.pos > SQUEEZE_FROM && squeezable => {
                    return self.parse_squeezed(at, parse);
                }
                Step::NeedMore if self.end - self.pos > MAX_RECORD => {
                    self.skip_value()?;
                    return Ok(Parsed::Skipped(too_long(at)));
                }
                Step::NeedMore => {
                    // At least double what is held, so that a long record
                    // is parsed again a few times, not once per read; but
                    // no more than it takes to know it must be squeezed.
                    let mut target = 2 * (self.end - self.pos);
                    if squeezable {
                        target = target.min(SQUEEZE_FROM + 1);
                    }
                    let mut read = false;
                    while self.fill()? {
                        read = true;
                        if self.end - self.pos >= target {
                            break;
                        }
                    }
                    if !read {
                        return Err(self.ends_early());
                    }
                }
            }
        }
    }

    /// Reads the value at `pos` (which starts at input offset `at`) to its
    /// end, squeezed, and parses what is left of it.
    fn parse_squeezed<T>(
        &mut self,
        at: u64,
        mut parse: impl FnMut(&[u8], u64, &Squeezed) -> Step<T>,
    ) -> Result<Parsed<T>, Error> {
        let mut squeeze = Squeeze::default();
        loop {
            let (pos, end) = (self.pos, self.end);
            self.end = squeeze.run(&mut self.buf, pos, end);
            if squeeze.done {
                break;
            }
            if !self.fill()? {
                return Err(self.ends_early());
            }
        }
        // Offsets after the value count the bytes left out of it.
        self.base += squeeze.dropped;
        if squeeze.discard {
            self.pos += squeeze.write;
            return Ok(Parsed::Skipped(too_long(at)));
        }
        let unread = self.buf.get(self.pos..self.end).unwrap_or_default();
        match parse(unread, at, &squeeze.squeezed) {
            Step::Done { used, value } => {
                self.pos += used;
                Ok(Parsed::Value(value))
            }
            Step::Malformed { at: inside, problem } => {
                self.pos += squeeze.write;
                Ok(Parsed::Skipped(malformed(at + inside as u64, problem)))
            }
            Step::NeedMore => {
                self.pos += squeeze.write;
                Ok(Parsed::Skipped(malformed(at, "is not valid JSON")))
            }
        }
    }

    /// Reads what follows the document to the end of the input, keeping
    /// nothing: a stream that checks its data when it ends (a zip's entry)
    /// then has its say.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        self.pos = self.end;
        while self.fill()? {
            self.pos = self.end;
        }
        Ok(())
    }

    /// Moves past the next value without keeping it, however long. Always
    /// moves: where no value starts, it takes one byte, so that loops over
    /// broken input end.
    pub(crate) fn skip_value(&mut self) -> Result<(), Error> {
        self.peek_value()?;
        let start = self.offset();
        self.skip_scan()?;
        if self.offset() == start {
            self.pos += 1;
        }
        Ok(())
    }

    fn skip_scan(&mut self) -> Result<(), Error> {
        let first = self.peek_value()?;
        let mut depth = 0usize;
        let mut in_string = false;
        loop {
            while self.pos < self.end {
                if in_string {
                    let rest = self.buf.get(self.pos..self.end).unwrap_or_default();
                    match memchr::memchr2(b'"', b'\\', rest) {
                        None => self.pos = self.end,
                        Some(i) if rest.get(i) == Some(&b'\\') => {
                            // Skip the escaped byte too; it may lie past the buffer's end.
                            if self.pos + i + 1 >= self.end {
                                self.pos += i;
                                break;
                            }
                            self.pos += i + 2;
                        }
                        Some(i) => {
                            self.pos += i + 1;
                            in_string = false;
                            if depth == 0 {
                                return Ok(());
                            }
                        }
                    }
                    continue;
                }
                let b = self.buf.get(self.pos).copied().unwrap_or_default();
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        if depth == 0 {
                            // The parent's closer: a scalar value ended here.
                            return Ok(());
                        }
                        depth -= 1;
                        if depth == 0 {
                            self.pos += 1;
                            return Ok(());
                        }
                    }
                    b',' | b':' if depth == 0 => return Ok(()),
                    b if depth == 0 && is_space(b) && !matches!(first, b'"' | b'{' | b'[') => {
                        return Ok(());
                    }
                    _ => {}
                }
                self.pos += 1;
            }
            if !self.fill()? {
                return if depth == 0 && !in_string && !matches!(first, b'"' | b'{' | b'[') {
                    Ok(())
                } else {
                    Err(self.ends_early())
                };
            }
        }
    }

    /// The length of the string token at `pos` (quotes included), all of it
    /// in the buffer.
    fn string_len(&mut self) -> Result<usize, Error> {
        let mut searched = 1;
        loop {
            let rest = self.buf.get(self.pos + searched..self.end).unwrap_or_default();
            let mut escaped = false;
            for (i, &b) in rest.iter().enumerate() {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    return Ok(searched + i + 1);
                }
            }
            // Search again from the backslash, if the bytes end after one.
            searched = self.end - self.pos - usize::from(escaped);
            if searched > MAX_RECORD {
                return Err(Error::unreadable(
                    Position::Offset(self.offset()),
                    format!("a key is longer than {} MiB", MAX_RECORD >> 20),
                    self.expected,
                ));
            }
            if !self.fill()? {
                return Err(self.ends_early());
            }
        }
    }

    /// The next byte that is not white space, without taking it.
    fn peek(&mut self) -> Result<Option<u8>, Error> {
        loop {
            while self.pos < self.end {
                match self.buf.get(self.pos) {
                    Some(&b) if !is_space(b) => return Ok(Some(b)),
                    _ => self.pos += 1,
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Keeps the unread bytes, moved to the front, and reads more after them;
    /// false at the end of the input.
    fn fill(&mut self) -> Result<bool, Error> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.base += self.pos as u64;
            self.end -= self.pos;
            self.pos = 0;
        }
        // Reads of at least a chunk go straight past a `BufReader` of that
        // size into this buffer, saving a copy.
        if self.buf.len() - self.end < self.chunk {
            let grown = (self.buf.len() * 2).max(self.end + self.chunk);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.reader.read(self.buf.get_mut(self.end..).unwrap_or_default()) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn ends_early(&self) -> Error {
        Error::unreadable(
            Position::Offset(self.base + self.end as u64),
            "the JSON ends early (the file may be truncated)",
            self.expected,
        )
    }

    fn unexpected(&self, found: u8, wanted: &str) -> Error {
        let found = match found {
            b'{' => "an object",
            b'[' => "an array",
            b'"' => "a string",
            b'-' | b'0'..=b'9' => "a number",
            b't' | b'f' | b'n' => "true, false or null",
            b'}' | b']' => "the end of a container",
            b',' | b':' => "punctuation",
            _ => "something that is not JSON",
        };
        Error::unreadable(
            Position::Offset(self.offset()),
            format!("found {found} where {wanted}"),
            self.expected,
        )
    }
}

fn malformed(at: u64, problem: &str) -> Diagnostic {
    Diagnostic::new(Position::Offset(at), format!("the record {problem}; skipped"))
}

fn too_long(at: u64) -> Diagnostic {
    Diagnostic::new(
        Position::Offset(at),
        format!(
            "the record is longer than {} MiB even with its long texts cut; skipped",
            MAX_RECORD >> 20
        ),
    )
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Whether `head` (the start of a file) opens a JSON object.
pub(crate) fn is_object(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.iter().find(|b| !is_space(**b)) == Some(&b'{')
}

/// Whether `head` has the key `"key":` somewhere.
pub(crate) fn has_key(head: &[u8], key: &str) -> bool {
    after_key(head, key).next().is_some()
}

/// Whether `head` has `"key": "value"` somewhere.
pub(crate) fn has_pair(head: &[u8], key: &str, value: &str) -> bool {
    after_key(head, key).any(|rest| {
        rest.strip_prefix(b"\"")
            .and_then(|r| r.strip_prefix(value.as_bytes()))
            .is_some_and(|r| r.starts_with(b"\""))
    })
}

/// What follows each `"key":` of `head` (white space skipped).
fn after_key<'h>(head: &'h [u8], key: &str) -> impl Iterator<Item = &'h [u8]> {
    let quoted = format!("\"{key}\"");
    let hits: Vec<usize> = memchr::memmem::find_iter(head, quoted.as_bytes()).collect();
    let len = quoted.len();
    hits.into_iter().filter_map(move |i| {
        let rest = trim_start(head.get(i + len..)?);
        Some(trim_start(rest.strip_prefix(b":")?))
    })
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| is_space(**b)).count();
    bytes.get(n..).unwrap_or_default()
}

/// A JSON value read leniently: a string (borrowed when it has no escapes),
/// a number, a boolean, or just the fact that something else was there.
/// Records use it for every field, so an odd type never loses a message.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Scalar<'a> {
    #[default]
    Missing,
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    /// An object or an array.
    Other,
}

impl Scalar<'_> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string, empty for anything else.
    pub(crate) fn text(&self) -> &str {
        self.as_str().unwrap_or_default()
    }

    /// The value as an integer, from a number or a string of digits.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::Int(n) => Some(*n),
            Scalar::UInt(n) => i64::try_from(*n).ok(),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Scalar::Bool(true))
    }

    /// Writes a string or integer id into `out`; false (and `out` empty) for anything else.
    pub(crate) fn write_id(&self, out: &mut String) -> bool {
        use std::fmt::Write;
        out.clear();
        match self {
            Scalar::Str(s) if !s.is_empty() => out.push_str(s),
            Scalar::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Scalar::UInt(n) => {
                let _ = write!(out, "{n}");
            }
            _ => return false,
        }
        true
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::UInt(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// The first element of an array (`None` for an empty array or a non-array);
/// the other elements are skipped.
#[derive(Debug)]
pub(crate) struct First<T>(pub(crate) Option<T>);

impl<T> Default for First<T> {
    fn default() -> Self {
        First(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for First<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FirstVisitor(std::marker::PhantomData))
    }
}

struct FirstVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for FirstVisitor<T> {
    type Value = First<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = seq.next_element::<T>()?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(First(first))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(First(None))
    }

    // Any scalar: not an array, so no first element.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(First(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(First(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(First(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(First(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(First(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(First(None))
    }
}

/// A civil date-time written `YYYY-MM-DDTHH:MM:SS` (the common case, read
/// by hand because it comes once per message) or in any layout jiff reads.
pub(crate) fn civil(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    if b.len() == 19 && b.get(4) == Some(&b'-') && b.get(10) == Some(&b'T') {
        let num = |range: std::ops::Range<usize>| -> Option<i32> {
            let digits = b.get(range)?;
            digits.iter().try_fold(0i32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
            })
        };
        let parts = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        );
        if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts {
            let narrow = |n: i32| i8::try_from(n).ok();
            return DateTime::new(
                i16::try_from(y).ok()?,
                narrow(mo)?,
                narrow(d)?,
                narrow(h)?,
                narrow(mi)?,
                narrow(s)?,
                0,
            )
            .ok();
        }
    }
    text.parse().ok()
}

/// Seconds since 1970 as a moment, if in range.
pub(crate) fn from_seconds(seconds: i64) -> Option<Timestamp> {
    Timestamp::from_second(seconds).ok()
}

/// Milliseconds since 1970 as a moment, if in range.
pub(crate) fn from_millis(millis: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(millis).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Record<'a> {
        #[serde(borrow, default)]
        id: Scalar<'a>,
        #[serde(borrow, default)]
        text: Scalar<'a>,
    }

    /// Walks `{"name": .., "messages": [..]}` and returns each record's text
    /// (or "skipped"), reading `chunk` bytes at a time.
    fn walk(json: &[u8], chunk: usize) -> Result<Vec<String>, Error> {
        let mut stream = JsonStream::with_chunk(json, "a test document", chunk);
        let mut out = Vec::new();
        stream.begin_document()?;
        while let Some(is_messages) = stream.next_key(|k| k == b"messages")? {
            if !is_messages {
                stream.skip_value()?;
                continue;
            }
            stream.begin_array("a list")?;
            while stream.next_element()? {
                match stream
                    .parse_value(|bytes, _, _| first::<Record>(bytes).map(|r| r.text.text().to_owned()))?
                {
                    Parsed::Value(text) => out.push(text),
                    Parsed::Skipped(_) => out.push("skipped".to_owned()),
                }
            }
        }
        Ok(out)
    }

    const DOC: &str = r#"{"name": "x \" ] }", "skip": [1, {"a": "}"}, "\\"], "n": -1.5e3,
        "messages": [ {"id": 1, "text": "one"}, {"id": "2", "text": "t\u00e9\"wo"},
        {"id": 3, "text": ["ar", "ray"]}, {"id": 4 "text": "x"}, {"id": 5, "text": "five"} ], "tail": true}"#;

    #[test]
    fn records_survive_every_buffer_size() {
        let expected = ["one", "té\"wo", "", "skipped", "five"];
        for chunk in [1, 2, 3, 7, 16, 64, 4096] {
            assert_eq!(
                walk(DOC.as_bytes(), chunk).expect("readable"),
                expected,
                "chunk {chunk}"
            );
        }
    }

    /// `{"messages": [one, two, three]}` where the second record's text is
    /// `unit` written over and over, more than `SQUEEZE_FROM` bytes.
    fn with_a_long_text(unit: &str, len: usize) -> (String, usize) {
        let mut doc = r#"{"messages": [{"id": 1, "text": "one"}, {"id": 2, "text": ""#.to_owned();
        while doc.len() < len {
            doc.push_str(unit);
        }
        doc.push_str(r#""}, "#);
        let third = doc.len();
        doc.push_str(r#"{"id": 3, "text": "three"}]}"#);
        (doc, third)
    }

    #[test]
    fn a_long_string_is_squeezed_and_the_next_record_read() {
        // Units whose escapes or characters a cut must not split.
        for (unit, decoded) in [
            ("a", "a"),
            ("\\u00e9", "\u{e9}"),
            ("\\ud83d\\ude00", "\u{1F600}"),
            ("\\\"", "\""),
            ("\u{e9}x", "\u{e9}x"),
            ("\u{1F600}", "\u{1F600}"),
        ] {
            let (doc, _) = with_a_long_text(unit, 3 << 20);
            for chunk in [7, 4096, 1 << 18] {
                let got = walk(doc.as_bytes(), chunk).expect("readable");
                let [one, long, three] = got.as_slice() else {
                    panic!("three records: {:?}", got.len())
                };
                assert_eq!((one.as_str(), three.as_str()), ("one", "three"), "{unit} {chunk}");
                assert!(
                    long.len() <= STRING_KEPT && long.len() > STRING_KEPT / 7,
                    "{unit}"
                );
                // The start of the text, cut between characters.
                assert!(
                    decoded
                        .repeat(long.len() / decoded.len() + 1)
                        .starts_with(long.as_str())
                );
            }
        }
    }

    #[test]
    fn a_cut_never_leaves_half_a_surrogate_pair() {
        // Five bytes before the pairs put the end of a first half just past
        // where strings are cut (STRING_KEPT is 8 past a multiple of 12).
        assert_eq!(STRING_KEPT % 12, 8);
        let (doc, _) = with_a_long_text("\\ud83d\\ude00", 3 << 20);
        let doc = doc.replacen(r#""text": "\ud83d"#, r#""text": "aaaaa\ud83d"#, 1);
        let got = walk(doc.as_bytes(), 1 << 16).expect("readable");
        let [_, long, three] = got.as_slice() else {
            panic!("three records: {got:?}")
        };
        assert_eq!(three, "three");
        let pairs = long.strip_prefix("aaaaa").expect("the start kept");
        assert_eq!(pairs.replace('\u{1F600}', ""), "");
        assert_eq!(pairs.chars().count(), (STRING_KEPT - 5) / 12);
    }

    #[test]
    fn offsets_after_a_squeezed_record_are_those_of_the_input() {
        let (doc, third) = with_a_long_text("abc", 4 << 20);
        let mut stream = JsonStream::with_chunk(doc.as_bytes(), "a test document", 4096);
        stream.begin_document().expect("an object");
        assert_eq!(stream.next_key(|k| k == b"messages").expect("a key"), Some(true));
        stream.begin_array("a list").expect("a list");
        let mut dropped = Vec::new();
        while stream.next_element().expect("readable") {
            let parsed = stream
                .parse_value(|bytes, at, squeezed| {
                    first::<Record>(bytes).map(|_| (at, squeezed.under(b"text")))
                })
                .expect("readable");
            match parsed {
                Parsed::Value(value) => dropped.push(value),
                Parsed::Skipped(d) => panic!("{d}"),
            }
        }
        assert_eq!(dropped.len(), 3);
        assert_eq!(dropped[2].0, third as u64);
        // All of the text but what the squeeze kept of it.
        let text = third as u64 - 40 - r#"{"id": 2, "text": ""#.len() as u64 - r#""}, "#.len() as u64;
        assert_eq!(dropped[1].1, text - STRING_KEPT as u64, "{dropped:?}");
        assert_eq!((dropped[0].1, dropped[2].1), (0, 0));
    }

    #[test]
    fn a_long_array_keeps_its_first_elements() {
        let part = format!(r#"{{"type": "bold", "text": "{}"}}, "#, "w".repeat(1000));
        let mut doc = r#"{"messages": [{"id": 1, "text": ["#.to_owned();
        while doc.len() < 6 << 20 {
            doc.push_str(&part);
        }
        doc.push_str(r#""end"], "more": [1, 2]}, {"id": 2, "text": "two"}]}"#);
        let mut stream = JsonStream::with_chunk(doc.as_bytes(), "a test document", 1 << 16);
        stream.begin_document().expect("an object");
        stream.next_key(|_| ()).expect("a key");
        stream.begin_array("a list").expect("a list");
        let mut got = Vec::new();
        while stream.next_element().expect("readable") {
            let parsed = stream
                .parse_value(|bytes, _, squeezed| {
                    first::<serde_json::Value>(bytes).map(|v| (v, squeezed.under(b"text")))
                })
                .expect("readable");
            match parsed {
                Parsed::Value(value) => got.push(value),
                Parsed::Skipped(d) => panic!("{d}"),
            }
        }
        let [(first, dropped), (second, _)] = got.as_slice() else {
            panic!("two records")
        };
        let parts = first["text"].as_array().expect("still an array");
        assert!(parts.len() > 100 && parts.len() < 2000, "{}", parts.len());
        assert!(*dropped > 4 << 20, "{dropped}");
        // Past the limit, later arrays keep no more than their first element.
        assert_eq!(first["more"], serde_json::json!([1]));
        assert_eq!(second["text"], "two");
    }

    #[test]
    fn a_number_is_not_cut_at_the_end_of_the_buffer() {
        let doc = br#"{"name": "x", "id": 1234567890, "messages": []}"#;
        for chunk in 1..doc.len() {
            let mut stream = JsonStream::with_chunk(&doc[..], "a test document", chunk);
            stream.begin_document().expect("an object");
            let mut id = None;
            while let Some(is_id) = stream.next_key(|k| k == b"id").expect("readable") {
                if !is_id {
                    stream.skip_value().expect("skippable");
                    continue;
                }
                match stream.parse_value(|bytes, _, _| first::<Scalar>(bytes).map(|s| s.as_i64())) {
                    Ok(Parsed::Value(n)) => id = n,
                    _ => panic!("the id reads"),
                }
            }
            assert_eq!(id, Some(1_234_567_890), "chunk {chunk}");
        }
    }

    #[test]
    fn a_truncated_document_names_where_it_ends() {
        for cut in [1, 20, 120, DOC.len() - 1] {
            let err = walk(&DOC.as_bytes()[..cut], 8).expect_err("truncated");
            assert_eq!(
                err.to_string(),
                format!(
                    "byte {cut}: the JSON ends early (the file may be truncated); expected a test document"
                )
            );
        }
    }

    #[test]
    fn other_documents_are_named() {
        let err = walk(b"  [1, 2, 3]", 8).expect_err("an array");
        assert_eq!(
            err.to_string(),
            "byte 2: found an array where a JSON object should start; expected a test document"
        );
        let err = walk(b" \n ", 8).expect_err("empty");
        assert_eq!(err.to_string(), "the file is empty; expected a test document");
    }

    #[test]
    fn head_probes() {
        let head = br#"{"type" : "message", "a":1}"#;
        assert!(is_object(b"\xEF\xBB\xBF \n{"));
        assert!(has_key(head, "type") && has_key(head, "a") && !has_key(head, "message"));
        assert!(has_pair(head, "type", "message") && !has_pair(head, "type", "mess"));
    }

    #[test]
    fn civil_times() {
        assert_eq!(
            civil("2020-11-12T12:53:52"),
            Some(jiff::civil::date(2020, 11, 12).at(12, 53, 52, 0))
        );
        assert_eq!(civil("2020-13-12T12:53:52"), None);
        assert_eq!(
            civil("2020-11-12 12:53"),
            Some(jiff::civil::date(2020, 11, 12).at(12, 53, 0, 0))
        );
        assert_eq!(civil("nonsense"), None);
        assert!(from_millis(i64::MAX).is_none() && from_seconds(i64::MIN).is_none());
    }

    proptest! {
        #[test]
        fn any_split_reads_the_same(chunk in 1usize..200) {
            prop_assert_eq!(walk(DOC.as_bytes(), chunk).ok(), walk(DOC.as_bytes(), 1 << 16).ok());
        }

        #[test]
        fn any_bytes_end(bytes in proptest::collection::vec(any::<u8>(), 0..300), chunk in 1usize..40) {
            let _ = walk(&bytes, chunk);
        }
    }
}
