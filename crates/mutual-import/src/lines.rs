//! Line stepping for text exports: a fixed, growing buffer, newlines found
//! with `memchr`, CRLF and a leading byte-order mark removed, line numbers
//! kept. Lines are lent as `&[u8]` ([`Lines::next_line`]), for parsers that
//! validate UTF-8 only where they keep text, or as `&str` a buffer at a time
//! ([`Lines::next_text`]), for parsers that need all of it as text:
//! validating a whole buffer at once costs half as much as line by line.

use std::io::{self, Read};

use crate::{Error, Position};

/// The longest line accepted. A longer one means the file is not a chat
/// export (or is one huge binary blob).
pub const MAX_LINE: usize = 4 * 1024 * 1024;

const CHUNK: usize = 256 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Steps through the lines of a stream.
#[derive(Debug)]
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    start: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
    /// Bytes of the stream before `buf[0]`.
    consumed: u64,
    eof: bool,
    at_start: bool,
    number: u64,
}

impl<R: Read> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            consumed: 0,
            eof: false,
            at_start: true,
            number: 0,
        }
    }

    /// Lines of a stream that starts inside a file, at the start of line
    /// `lines_before + 1`: the numbers go on from there, and there is no
    /// byte-order mark to remove.
    pub fn after(reader: R, lines_before: u64) -> Self {
        Lines {
            at_start: false,
            number: lines_before,
            ..Lines::new(reader)
        }
    }

    /// The 1-based number of the line last returned (0 before the first).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// How many bytes of the stream come before the next line.
    pub fn offset(&self) -> u64 {
        self.consumed + self.start as u64
    }

    /// The next line without its `\n` or `\r\n`, or `None` at the end.
    /// Fails on IO errors and on lines longer than [`MAX_LINE`].
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Error> {
        let mut searched = self.start;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[searched..self.end]) {
                let line_end = searched + i;
                let begin = self.start;
                self.start = line_end + 1;
                return Ok(Some(self.finish_line(begin, line_end)));
            }
            searched = self.end;
            self.check_length()?;
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let (begin, end) = (self.start, self.end);
                self.start = self.end;
                return Ok(Some(self.finish_line(begin, end)));
            }
            let kept = self.refill()?;
            searched -= kept;
        }
    }

    /// The next lines as text: every whole line the buffer holds, checked
    /// as UTF-8 at once. `None` at the end. Lines not taken from the
    /// returned [`TextLines`] stay unread. Fails on IO errors, on lines
    /// longer than [`MAX_LINE`], and on the first line that is not UTF-8
    /// (once the lines before it have been taken).
    pub fn next_text(&mut self) -> Result<Option<TextLines<'_>>, Error> {
        let mut searched = self.start;
        let cut = loop {
            if let Some(i) = memchr::memrchr(b'\n', &self.buf[searched..self.end]) {
                break searched + i + 1;
            }
            searched = self.end;
            self.check_length()?;
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                break self.end;
            }
            let kept = self.refill()?;
            searched -= kept;
        };
        let text = match std::str::from_utf8(&self.buf[self.start..cut]) {
            Ok(text) => text,
            Err(e) => {
                let bad = self.start + e.valid_up_to();
                match memchr::memrchr(b'\n', &self.buf[self.start..bad]) {
                    // The lines before the bad one are lent first (checked
                    // again: this is no common path).
                    Some(i) => {
                        std::str::from_utf8(&self.buf[self.start..=self.start + i]).unwrap_or_default()
                    }
                    None => {
                        let bom = self.at_start && self.buf[self.start..].starts_with(BOM);
                        let at = e.valid_up_to().saturating_sub(if bom { BOM.len() } else { 0 });
                        self.number += 1;
                        return Err(not_utf8(self.number, at));
                    }
                }
            }
        };
        Ok(Some(TextLines {
            rest: text,
            consumed: self.consumed,
            start: &mut self.start,
            number: &mut self.number,
            at_start: &mut self.at_start,
        }))
    }

    fn check_length(&self) -> Result<(), Error> {
        if self.end - self.start > MAX_LINE {
            return Err(Error::unreadable(
                Position::Line(self.number + 1),
                format!("the line is longer than {} MiB", MAX_LINE >> 20),
                "a chat export with one message per line",
            ));
        }
        Ok(())
    }

    /// Moves the unread bytes to the front and reads more; returns how far
    /// the unread bytes moved.
    fn refill(&mut self) -> io::Result<usize> {
        let moved = self.start;
        if moved > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= moved;
            self.start = 0;
            self.consumed += moved as u64;
        }
        if self.buf.len() - self.end < CHUNK / 2 {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        // Reading no further than one byte past the longest line makes a
        // too long line an error however the reads happen to fall.
        let limit = self.buf.len().min(MAX_LINE + 1);
        loop {
            match self.reader.read(&mut self.buf[self.end..limit]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(moved)
    }

    fn finish_line(&mut self, begin: usize, end: usize) -> &[u8] {
        self.number += 1;
        let mut line = &self.buf[begin..end];
        if let Some(rest) = line.strip_suffix(b"\r") {
            line = rest;
        }
        if self.at_start {
            self.at_start = false;
            if let Some(rest) = line.strip_prefix(BOM) {
                line = rest;
            }
        }
        line
    }

    /// `line` as UTF-8, or an error naming the current line.
    pub fn text<'l>(&self, line: &'l [u8]) -> Result<&'l str, Error> {
        utf8(line, self.number)
    }
}

/// Line `number` as UTF-8, or an error naming it (for callers that count
/// lines themselves while a line is lent).
pub fn utf8(line: &[u8], number: u64) -> Result<&str, Error> {
    std::str::from_utf8(line).map_err(|e| not_utf8(number, e.valid_up_to()))
}

fn not_utf8(line: u64, valid_up_to: usize) -> Error {
    Error::unreadable(
        Position::Line(line),
        format!("byte {} of the line is not UTF-8 text", valid_up_to + 1),
        "a UTF-8 export (this one may be in a legacy encoding: export it again from the app)",
    )
}

/// Lines lent as text by [`Lines::next_text`], without their `\n` or `\r\n`;
/// each one taken counts as read.
#[derive(Debug)]
pub struct TextLines<'a> {
    rest: &'a str,
    consumed: u64,
    start: &'a mut usize,
    number: &'a mut u64,
    at_start: &'a mut bool,
}

impl<'a> TextLines<'a> {
    /// The 1-based number of the line last taken.
    pub fn number(&self) -> u64 {
        *self.number
    }

    /// How many bytes of the stream come before the next line.
    pub fn offset(&self) -> u64 {
        self.consumed + *self.start as u64
    }

    /// The next line, left untaken.
    pub fn peek(&self) -> Option<&'a str> {
        self.split().map(|(line, _)| self.trim(line))
    }

    /// The next line as it stands, and how many bytes it takes.
    fn split(&self) -> Option<(&'a str, usize)> {
        if self.rest.is_empty() {
            return None;
        }
        // A `\n` byte is a whole character, so both sides of it are text.
        match memchr::memchr(b'\n', self.rest.as_bytes()) {
            Some(i) => Some((self.rest.get(..i)?, i + 1)),
            None => Some((self.rest, self.rest.len())),
        }
    }

    fn trim(&self, line: &'a str) -> &'a str {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if *self.at_start {
            return line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        line
    }
}

impl<'a> Iterator for TextLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (line, taken) = self.split()?;
        self.rest = self.rest.get(taken..)?;
        *self.start += taken;
        *self.number += 1;
        let line = self.trim(line);
        *self.at_start = false;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A reader that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn all(bytes: &[u8], step: usize) -> Vec<Vec<u8>> {
        let mut lines = Lines::new(Trickle { bytes, step });
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().expect("no error") {
            out.push(line.to_vec());
            assert_eq!(lines.number(), out.len() as u64);
        }
        out
    }

    #[test]
    fn crlf_bom_and_a_missing_final_newline() {
        let got = all(b"\xEF\xBB\xBFone\r\ntwo\n\nthree", 2);
        assert_eq!(got, [&b"one"[..], b"two", b"", b"three"]);
    }

    #[test]
    fn a_huge_line_is_an_error_naming_it() {
        let mut bytes = b"ok\n".to_vec();
        bytes.resize(bytes.len() + MAX_LINE + 10, b'x');
        let mut lines = Lines::new(&bytes[..]);
        assert!(lines.next_line().expect("first line").is_some());
        let err = lines.next_line().expect_err("too long");
        assert!(
            err.to_string()
                .starts_with("line 2: the line is longer than 4 MiB"),
            "{err}"
        );
    }

    /// Lines as text a buffer at a time, with their numbers, up to the
    /// first error; and lines one at a time, checked one by one.
    fn texts(bytes: &[u8], step: usize) -> (Vec<(u64, String)>, Option<String>) {
        let mut lines = Lines::new(Trickle { bytes, step });
        let mut out = Vec::new();
        loop {
            match lines.next_text() {
                Ok(Some(mut block)) => {
                    while let Some(line) = block.next() {
                        out.push((block.number(), line.to_owned()));
                    }
                }
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    fn checked(bytes: &[u8], step: usize) -> (Vec<(u64, String)>, Option<String>) {
        let mut lines = Lines::new(Trickle { bytes, step });
        let mut out = Vec::new();
        loop {
            let line = match lines.next_line() {
                Ok(Some(line)) => line.to_vec(),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            };
            match lines.text(&line) {
                Ok(text) => out.push((lines.number(), text.to_owned())),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn text_lines_name_the_first_line_that_is_not_utf8() {
        let (got, err) = texts(b"\xEF\xBB\xBFok\r\ncaf\xc3\xa9\nbad \xe9\nnever\n", 3);
        let got: Vec<&str> = got.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(got, ["ok", "caf\u{e9}"]);
        assert!(err.is_some_and(|e| e.starts_with("line 3: byte 5 of the line is not UTF-8 text")));
        // After a byte-order mark, bytes count from the end of the mark.
        let (_, err) = texts(b"\xEF\xBB\xBFab\xff\n", 64);
        assert!(err.is_some_and(|e| e.starts_with("line 1: byte 3 of")));
    }

    #[test]
    fn lines_after_a_start_count_on_and_know_their_offset() {
        let mut lines = Lines::after(&b"\xEF\xBB\xBFx\nyz\r\nw"[..], 41);
        assert_eq!(lines.offset(), 0);
        assert_eq!(lines.next_line().expect("read"), Some(&b"\xEF\xBB\xBFx"[..]));
        assert_eq!((lines.number(), lines.offset()), (42, 5));
        assert_eq!(lines.next_line().expect("read"), Some(&b"yz"[..]));
        assert_eq!((lines.number(), lines.offset()), (43, 9));
    }

    #[test]
    fn a_line_one_byte_too_long_is_an_error_however_it_is_read() {
        for step in [1 << 20, MAX_LINE + 7, 3 * MAX_LINE] {
            let mut bytes = b"ok\n".to_vec();
            bytes.resize(bytes.len() + MAX_LINE, b'x');
            bytes.extend_from_slice(b"\nok\n");
            assert_eq!(all(&bytes, step).len(), 3);
            bytes.insert(3, b'x');
            let mut lines = Lines::new(Trickle { bytes: &bytes, step });
            assert!(lines.next_line().expect("first line").is_some());
            assert!(lines.next_line().is_err(), "step {step}");
            let (got, err) = texts(&bytes, step);
            assert_eq!(got.len(), 1);
            assert!(err.is_some_and(|e| e.starts_with("line 2: the line is longer")));
        }
    }

    proptest! {
        #[test]
        fn text_lines_are_the_checked_lines(
            parts in proptest::collection::vec(prop_oneof![
                Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"ab"[..]), Just(&b" "[..]),
                Just("\u{e9}".as_bytes()), Just("\u{1F642}".as_bytes()), Just(&b"\xF0\x9F"[..]),
                Just(&b"\xff"[..]), Just(&b"\xEF\xBB\xBF"[..]), Just(&b"\r"[..]),
            ], 0..80),
            step in 1usize..40,
        ) {
            let bytes = parts.concat();
            prop_assert_eq!(texts(&bytes, step), checked(&bytes, step));
        }

        #[test]
        fn stepping_rebuilds_the_input(
            lines in proptest::collection::vec("[a-z \r]{0,40}[a-z]", 0..200),
            crlf in proptest::collection::vec(any::<bool>(), 200),
            final_newline: bool,
            step in 1usize..700,
        ) {
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                text.push_str(line);
                if i + 1 < lines.len() || final_newline {
                    text.push_str(if crlf[i] { "\r\n" } else { "\n" });
                }
            }
            prop_assert_eq!(all(text.as_bytes(), step), lines.iter().map(|l| l.as_bytes().to_vec()).collect::<Vec<_>>());
        }
    }
}
