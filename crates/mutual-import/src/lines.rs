//! Line stepping for text exports: a fixed, growing buffer, newlines found
//! with `memchr`, CRLF and a leading byte-order mark removed, line numbers
//! kept. Lines are lent as `&[u8]`; a parser validates UTF-8 only where it
//! keeps text.

use std::io::{self, Read};

use crate::{Error, Position};

/// The longest line accepted. A longer one means the file is not a chat
/// export (or is one huge binary blob).
pub const MAX_LINE: usize = 4 * 1024 * 1024;

const CHUNK: usize = 256 * 1024;

/// Steps through the lines of a stream.
#[derive(Debug)]
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    start: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
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
            eof: false,
            at_start: true,
            number: 0,
        }
    }

    /// The 1-based number of the line last returned (0 before the first).
    pub fn number(&self) -> u64 {
        self.number
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
            if self.end - self.start > MAX_LINE {
                return Err(Error::unreadable(
                    Position::Line(self.number + 1),
                    format!("the line is longer than {} MiB", MAX_LINE >> 20),
                    "a chat export with one message per line",
                ));
            }
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

    /// Moves the unread bytes to the front and reads more; returns how far
    /// the unread bytes moved.
    fn refill(&mut self) -> io::Result<usize> {
        let moved = self.start;
        if moved > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= moved;
            self.start = 0;
        }
        if self.buf.len() - self.end < CHUNK / 2 {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
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
            if let Some(rest) = line.strip_prefix(b"\xEF\xBB\xBF") {
                line = rest;
            }
        }
        line
    }

    /// `line` as UTF-8, or an error naming the current line.
    pub fn text<'l>(&self, line: &'l [u8]) -> Result<&'l str, Error> {
        std::str::from_utf8(line).map_err(|e| {
            Error::unreadable(
                Position::Line(self.number),
                format!("byte {} of the line is not UTF-8 text", e.valid_up_to() + 1),
                "a UTF-8 export (this one may be in a legacy encoding: export it again from the app)",
            )
        })
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

    proptest! {
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
