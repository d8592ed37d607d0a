//! The survey of a large export in parts, on several threads, with the
//! result a parse of the whole gives.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::lines::Lines;
use crate::survey::Tally;
use crate::{Error, Input, Options, Position, Survey};

use super::header::header;
use super::order::{Learnt, learn};
use super::{Held, Parser, Until, no_messages, parse};

/// Surveys a WhatsApp export: a large plain `.txt` in parts on all cores,
/// with the same result as a parse of the whole.
pub(crate) fn survey(input: &Input, options: &Options) -> Result<Survey, Error> {
    /// Below this, threads cost more than they save.
    const PARTS_FROM: u64 = 4 << 20;
    /// Parts per thread: enough that a thread that starts late (or is
    /// interrupted) leaves its share to the others, few enough that
    /// starting each part costs little.
    const PARTS_PER_THREAD: u64 = 4;
    if let Some(path) = input.path() {
        let len = std::fs::metadata(path).map_or(0, |m| m.len());
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        // Parts are cut at byte offsets of the file, not of a transcoded one.
        if len > PARTS_FROM && threads > 1 && !input.is_utf16()? {
            let parts = threads as u64 * PARTS_PER_THREAD;
            let cuts: Vec<u64> = (1..parts).map(|i| len / parts * i).collect();
            return survey_parts(input, path, options, &cuts, threads);
        }
    }
    let mut tally = Tally::default();
    parse(input, options, &mut tally)?;
    Ok(tally.into_survey())
}

/// Surveys the plain file at `path` (the file of `input`) in parts, on
/// `threads` threads, with the survey a parse of the whole gives. Part `k`
/// starts at the first message header at or after byte `cuts[k - 1]` (the
/// first part at the start) and ends where the next one starts. Threads take
/// the parts in turn, so a thread that starts late only takes fewer.
///
/// Every later part assumes that the layouts it meets are known as they
/// are right after the file's first message (as in most exports, which
/// keep one layout), and counts its lines from its cut. Parts are
/// joined in order; when a part's assumption does not hold (what came
/// before it was learnt differently, or it met a line only that could
/// settle), the rest of the file from that part on is read again in order.
fn survey_parts(
    input: &Input,
    path: &Path,
    options: &Options,
    cuts: &[u64],
    threads: usize,
) -> Result<Survey, Error> {
    survey_parts_counted(input, path, options, cuts, threads).map(|(survey, _)| survey)
}

/// [`survey_parts`], and whether the file was read again in order from a part on.
fn survey_parts_counted(
    input: &Input,
    path: &Path,
    options: &Options,
    cuts: &[u64],
    threads: usize,
) -> Result<(Survey, bool), Error> {
    let mut cuts: Vec<u64> = cuts.iter().copied().filter(|&cut| cut > 0).collect();
    cuts.sort_unstable();
    cuts.dedup();
    // The first part is read up to its first message here: what it knows
    // then is what every later part assumes.
    let mut first = Parser::new(input, options, learn(input, options.date_order)?);
    let mut tally = Tally::default();
    let mut lines = Lines::new(File::open(path)?);
    let first_end = cuts.first().map(|&at| End { base: 0, at });
    first.read(&mut lines, &mut tally, Until::Message, first_end)?;
    let seed = first.learnt.clone();
    let first = Mutex::new(Some((first, tally, lines)));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            // Part `k` ends at the first header from cut `k` on.
            let end = cuts.get(k).copied();
            let part = match k.checked_sub(1).and_then(|i| cuts.get(i)) {
                None if k == 0 => match first.lock().ok().and_then(|mut first| first.take()) {
                    Some((parser, tally, lines)) => Part::first(parser, tally, lines, end),
                    None => continue,
                },
                None => break,
                Some(&cut) => Part::later(input, options, path, seed.clone(), cut, end),
            };
            done.push((k, part));
        }
        done
    };
    let mut parts: Vec<Option<Part<'_>>> = std::iter::repeat_with(|| None).take(cuts.len() + 1).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.max(1)).map(|_| scope.spawn(work)).collect();
        // A helper that failed leaves its parts to the reading in order.
        let done = helpers.into_iter().filter_map(|h| h.join().ok()).flatten();
        for (k, part) in work().into_iter().chain(done) {
            if let Some(slot) = parts.get_mut(k) {
                *slot = Some(part);
            }
        }
    });
    let mut parts = parts.into_iter();
    let Some(Some(first)) = parts.next() else {
        let mut tally = Tally::default();
        parse(input, options, &mut tally)?;
        return Ok((tally.into_survey(), true));
    };
    first.result?;
    let mut parser = first.parser;
    let mut total = first.tally;
    let mut lines_before = first.lines;
    let mut end = first.end;
    let mut again = false;
    for part in parts {
        match part {
            Some(part) if part.is_empty() => {}
            Some(part) if part.follows(&parser, end, &seed) => {
                parser.flush(&mut total, &mut Held::default())?;
                // The part's lines count from the line that holds its cut.
                let shift = lines_before.saturating_sub(part.skipped);
                total.append(part.tally, shift);
                part.result.map_err(|e| shift_error(e, shift))?;
                lines_before += part.lines;
                end = part.end;
                parser = part.parser;
                // It read as the whole would: from here on it is the whole's.
                parser.detached = false;
                if let Some(pending) = &mut parser.pending {
                    pending.line += shift;
                }
            }
            _ => {
                again = true;
                let mut rest = Lines::after(open_range(path, end, None)?, lines_before);
                parser.read(&mut rest, &mut total, Until::End, None)?;
                break;
            }
        }
    }
    parser.flush(&mut total, &mut Held::default())?;
    let survey = total.into_survey();
    if survey.messages + survey.system == 0 {
        return Err(no_messages());
    }
    Ok((survey, again))
}

/// A part of a file, read.
#[derive(Debug)]
struct Part<'a> {
    /// As it was at the part's end, its last message pending.
    parser: Parser<'a>,
    tally: Tally,
    /// Where its first line starts; `None` for a part with no line of its
    /// own (no header between its cut and the next).
    start: Option<u64>,
    /// Where it stopped: where the next part starts.
    end: u64,
    /// Its lines; and lines read before its first (of the part before).
    lines: u64,
    skipped: u64,
    result: Result<(), Error>,
}

impl<'a> Part<'a> {
    /// Reads on the first part, from where its parser stopped, to `end`.
    fn first(mut parser: Parser<'a>, mut tally: Tally, mut lines: Lines<File>, end: Option<u64>) -> Part<'a> {
        let result = parser.read(
            &mut lines,
            &mut tally,
            Until::End,
            end.map(|at| End { base: 0, at }),
        );
        Part {
            parser,
            tally,
            start: Some(0),
            end: lines.offset(),
            lines: lines.number(),
            skipped: 0,
            result,
        }
    }

    /// Reads the part that starts at the first header at or after `cut`,
    /// with a detached parser that knows what `seed` knows.
    fn later(
        input: &'a Input,
        options: &Options,
        path: &Path,
        seed: Learnt,
        cut: u64,
        end: Option<u64>,
    ) -> Part<'a> {
        let mut part = Part {
            parser: Parser::new(input, options, seed),
            tally: Tally::default(),
            start: None,
            end: 0,
            lines: 0,
            skipped: 0,
            result: Ok(()),
        };
        part.parser.detached = true;
        part.result = part.read(path, cut, end);
        part
    }

    fn read(&mut self, path: &Path, cut: u64, end: Option<u64>) -> Result<(), Error> {
        // The line that holds the byte before the cut belongs to the part
        // before; so do the lines after it up to the first header.
        let base = cut - 1;
        let mut lines = Lines::after(open_range(path, base, None)?, 0);
        lines.next_line()?;
        let (start, line) = loop {
            let at = base + lines.offset();
            if end.is_some_and(|end| at >= end) {
                return Ok(());
            }
            match lines.next_line()? {
                // A copy, to read it while `lines` goes on.
                Some(line) if starts_part(line) => break (at, line.to_vec()),
                Some(_) => {}
                None => return Ok(()),
            }
        };
        self.start = Some(start);
        self.skipped = lines.number() - 1;
        let text = lines.text(&line)?;
        let mut held = Held::default();
        self.parser
            .line(text, lines.number(), &mut self.tally, &mut held)?;
        self.parser.keep(held);
        let result = if self.parser.unsure {
            Ok(())
        } else {
            let end = end.map(|at| End { base, at });
            self.parser.read(&mut lines, &mut self.tally, Until::End, end)
        };
        self.end = base + lines.offset();
        self.lines = lines.number() - self.skipped;
        result
    }

    /// It has no line of its own: the part before read them.
    fn is_empty(&self) -> bool {
        self.start.is_none() && self.result.is_ok()
    }

    /// The part read as a parse of the whole would read it after `before`
    /// (the parser that read the file up to `end`), having started from
    /// what `seed` knows.
    fn follows(&self, before: &Parser<'_>, end: u64, seed: &Learnt) -> bool {
        // Its first line started a message, needing no time before it, and
        // nothing after needed more than the part knew.
        let opened = self.parser.pending.is_some() && !self.parser.unsure;
        // It starts where the part before ended, after a message, with the
        // layouts known alike.
        opened && self.start == Some(end) && before.pending.is_some() && before.learnt == *seed
    }
}

/// Where a part of a file ends: before the first header line that starts
/// `at` bytes into the file or later. `base` is where its stream of lines
/// starts in the file.
#[derive(Clone, Copy, Debug)]
pub(super) struct End {
    pub(super) base: u64,
    pub(super) at: u64,
}

/// A line a part may start at: a header whose date and time exist.
pub(super) fn starts_part(line: &[u8]) -> bool {
    header(line).is_some_and(|h| h.date.exists() && h.time.time().is_some())
}

/// The bytes of the file from `from` to `to` (or to its end).
fn open_range(path: &Path, from: u64, to: Option<u64>) -> io::Result<io::Take<File>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    Ok(file.take(to.map_or(u64::MAX, |to| to.saturating_sub(from))))
}

/// An error of a part whose lines count from its own start, with its line
/// counted from the start of the file.
fn shift_error(error: Error, shift: u64) -> Error {
    match error {
        Error::Unreadable {
            at: Position::Line(n),
            problem,
            expected,
        } => Error::Unreadable {
            at: Position::Line(n + shift),
            problem,
            expected,
        },
        other => other,
    }
}

#[cfg(test)]
/// A survey in parts against a parse of the whole.
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;
    use crate::DateOrder;
    use crate::synth::{Generator, write_whatsapp};

    /// Writes `bytes` to a file and surveys it whole and in parts cut at
    /// `cuts`; fails unless both agree (errors as their messages).
    /// Returns whether a part had to be read again.
    fn agree(bytes: &[u8], cuts: &[u64]) -> Result<bool, TestCaseError> {
        agree_in(None, bytes, cuts)
    }

    /// [`agree`], with the day/month order given.
    fn agree_in(given: Option<DateOrder>, bytes: &[u8], cuts: &[u64]) -> Result<bool, TestCaseError> {
        // One to three threads, varied by the cuts.
        let threads = 1 + (cuts.iter().sum::<u64>() % 3) as usize;
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), bytes).expect("write");
        let input = Input::file(file.path()).expect("opens");
        let options = Options {
            tz: jiff::tz::TimeZone::get("Europe/Berlin").expect("tzdb"),
            date_order: given,
        };
        let mut survey = Survey::default();
        let whole = parse(&input, &options, &mut survey)
            .map(|()| survey)
            .map_err(|e| e.to_string());
        let parts =
            survey_parts_counted(&input, file.path(), &options, cuts, threads).map_err(|e| e.to_string());
        let again = parts.as_ref().is_ok_and(|(_, again)| *again);
        prop_assert_eq!(whole, parts.map(|(survey, _)| survey), "cut at {:?}", cuts);
        Ok(again)
    }

    fn fixtures() -> Vec<Vec<u8>> {
        let dir = crate::synth::fixtures_dir().join("whatsapp");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("fixtures")
            .map(|entry| entry.expect("entry").path())
            .collect();
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).expect("fixture")).collect()
    }

    /// Where each line starts, the first excepted.
    fn line_starts(bytes: &[u8]) -> Vec<u64> {
        memchr::memchr_iter(b'\n', bytes).map(|i| i as u64 + 1).collect()
    }

    #[test]
    fn every_fixture_cut_at_every_line() {
        for bytes in fixtures() {
            for cut in line_starts(&bytes) {
                for cuts in [vec![cut], vec![cut - 1], vec![cut + 1, cut + 7]] {
                    agree(&bytes, &cuts).expect("agree");
                }
            }
        }
    }

    #[test]
    fn fixtures_joined_and_repeated() {
        let all = fixtures();
        // Exports of every layout joined; one export three times over.
        let joined: Vec<u8> = all.concat();
        let repeated: Vec<u8> = all.iter().flat_map(|f| f.repeat(3)).collect();
        for bytes in [joined, repeated] {
            let starts = line_starts(&bytes);
            for (i, &cut) in starts.iter().enumerate() {
                let later = starts.get(i * 7 % starts.len()).copied().unwrap_or(cut);
                agree(&bytes, &[cut]).expect("agree");
                agree(&bytes, &[cut.min(later), cut.max(later) + 3]).expect("agree");
            }
        }
    }

    #[test]
    fn a_plain_export_needs_no_second_reading() {
        let mut bytes = Vec::new();
        let mut generator = Generator::new(7, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
        write_whatsapp(&mut bytes, &mut generator, 3000).expect("in memory");
        let len = bytes.len() as u64;
        let again = agree(&bytes, &[len / 3, len / 3 * 2]).expect("agree");
        assert!(!again);
    }

    #[test]
    fn a_message_cut_for_its_length_is_named_alike_in_parts() {
        // Messages before and after one of 600 KiB of lines: cuts
        // before, inside and after it.
        let mut bytes = Vec::new();
        let mut generator = Generator::new(9, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
        write_whatsapp(&mut bytes, &mut generator, 300).expect("in memory");
        bytes.extend_from_slice(b"1/3/20, 10:00 - Sam: long\n");
        let long_from = bytes.len() as u64;
        while bytes.len() as u64 - long_from < 600 << 10 {
            bytes.extend_from_slice("a line of the long message \u{e9}\n".as_bytes());
        }
        let long_to = bytes.len() as u64;
        bytes.extend_from_slice(b"1/3/20, 10:05 - Jo: short\n");
        for cuts in [
            vec![long_from / 2],
            vec![long_from + 100],
            vec![long_from / 2, (long_from + long_to) / 2],
            vec![(long_from + long_to) / 2, long_to + 3],
        ] {
            agree(&bytes, &cuts).expect("agree");
        }
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), &bytes).expect("write");
        let input = Input::file(file.path()).expect("opens");
        let survey =
            survey_parts(&input, file.path(), &Options::default(), &[long_from + 100], 2).expect("surveys");
        let cut: Vec<String> = survey
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .filter(|d| d.contains("was cut"))
            .collect();
        let line = bytes[..long_from as usize]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        assert_eq!(
            cut,
            [format!(
                "line {line}: a message of 601 KiB was cut to its first 256 KiB"
            )]
        );
    }

    #[test]
    fn errors_in_a_later_part_name_their_line() {
        let mut bytes = Vec::new();
        let mut generator = Generator::new(7, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
        write_whatsapp(&mut bytes, &mut generator, 400).expect("in memory");
        let at = bytes.len() / 4 * 3;
        bytes.splice(at..at, *b"\xff");
        agree(&bytes, &[bytes.len() as u64 / 2]).expect("agree");
    }

    #[test]
    fn the_survey_of_a_large_file_is_made_in_parts_alike() {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        let mut generator = Generator::new(
            3,
            &["Sam", "Jo", "Kim"],
            jiff::civil::date(2019, 5, 1).at(9, 0, 0, 0),
        );
        let mut out = std::io::BufWriter::new(file.reopen().expect("reopen"));
        write_whatsapp(&mut out, &mut generator, 70_000).expect("write");
        drop(out);
        let input = Input::file(file.path()).expect("opens");
        let options = Options::default();
        let mut whole = Survey::default();
        parse(&input, &options, &mut whole).expect("parses");
        assert!(std::fs::metadata(file.path()).expect("size").len() > 4 << 20);
        let surveyed = crate::survey(&input, crate::Format::WhatsApp, &options).expect("surveys");
        assert_eq!(surveyed, whole);
    }

    /// A line of a generated chat: a kind and a number that moves the clock.
    fn chat_lines() -> impl Strategy<Value = Vec<(u8, u16)>> {
        proptest::collection::vec((0u8..40, any::<u16>()), 0..120)
    }

    /// Writes a chat of mostly Android messages, with iOS and US ones,
    /// continuations, blank lines, lines that only look like headers,
    /// years written otherwise, a rare byte that is not UTF-8.
    fn write_chat(lines: &[(u8, u16)], preamble: bool, crlf: bool, bom: bool, last_newline: bool) -> Vec<u8> {
        let mut t = jiff::civil::date(2023, 1, 1).at(8, 0, 0, 0);
        let mut out: Vec<u8> = Vec::new();
        if bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        if preamble {
            out.extend_from_slice(b"Chat export\n\n");
        }
        let d = |t: jiff::civil::DateTime| t.day();
        let m = |t: jiff::civil::DateTime| t.month();
        let y = |t: jiff::civil::DateTime| t.year() % 100;
        for &(kind, n) in lines {
            if kind < 24 {
                let minutes = i64::from(n % 2000);
                t = t
                    .checked_add(jiff::SignedDuration::from_mins(minutes))
                    .unwrap_or(t);
            }
            let line: Vec<u8> = match kind {
                0..=15 => format!(
                    "{}/{}/{:02}, {:02}:{:02} - Sam: hi {n}",
                    d(t),
                    m(t),
                    y(t),
                    t.hour(),
                    t.minute()
                )
                .into_bytes(),
                16..=19 => format!(
                    "[{:02}.{:02}.{:02}, {:02}:{:02}:{:02}] Jo: \u{200E}image omitted",
                    d(t),
                    m(t),
                    y(t),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
                .into_bytes(),
                20 | 21 => format!(
                    "{}/{}/{:02}, {}:{:02} PM - Kim: us {n}",
                    m(t),
                    d(t),
                    y(t),
                    t.hour() % 12 + 1,
                    t.minute()
                )
                .into_bytes(),
                22 => format!(
                    "{}/{}/{:02}, {:02}:{:02} - Sam added Jo",
                    d(t),
                    m(t),
                    y(t),
                    t.hour(),
                    t.minute()
                )
                .into_bytes(),
                23 => format!(
                    "{}.{}.{:02}, {:02}:{:02} - Ann: dots {n}",
                    1 + n % 12,
                    1 + n % 12,
                    y(t),
                    t.hour(),
                    t.minute()
                )
                .into_bytes(),
                24..=29 => format!("more words {n}").into_bytes(),
                30 | 31 => Vec::new(),
                32 => format!(
                    "{}/{}/{}, 09:00 - Old: quoted",
                    1 + n % 28,
                    1 + n % 12,
                    2000 + n % 30
                )
                .into_bytes(),
                33 => b"31/02/23, 10:00 - Who: no such day".to_vec(),
                34 => format!("13/{}/23, 10:00 - Odd: day first", 1 + n % 12).into_bytes(),
                35 if n % 16 == 0 => b"caf\xe9".to_vec(),
                // Finnish, with a word and dots; the year in the middle.
                36 => format!(
                    "{}.{}.{} klo {}.{:02}.{:02} - Fin: moi {n}",
                    d(t),
                    m(t),
                    t.year(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
                .into_bytes(),
                37 => format!(
                    "[{:02}/{}/{:02}, {:02}:{:02}:{:02}] Mid: {n}",
                    m(t),
                    t.year(),
                    d(t),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
                .into_bytes(),
                _ => format!("{n} and a colon: here").into_bytes(),
            };
            out.extend_from_slice(&line);
            out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        if !last_newline {
            while out.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                out.pop();
            }
        }
        out
    }

    proptest! {
        #[test]
        fn generated_chats_survey_alike_in_parts(
            lines in chat_lines(),
            preamble: bool,
            crlf: bool,
            bom: bool,
            last_newline: bool,
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        ) {
            let bytes = write_chat(&lines, preamble, crlf, bom, last_newline);
            let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
            cuts.sort_unstable();
            agree(&bytes, &cuts)?;
        }

        #[test]
        fn generated_chats_in_a_given_order_survey_alike_in_parts(
            lines in chat_lines(),
            order in 0usize..3,
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        ) {
            let bytes = write_chat(&lines, false, false, false, true);
            let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
            cuts.sort_unstable();
            agree_in(DateOrder::ALL.get(order).copied(), &bytes, &cuts)?;
        }

        #[test]
        fn synthetic_exports_survey_alike_without_reading_twice(
            seed: u64,
            count in 1usize..400,
            start_day in 0i64..3000,
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        ) {
            let start = jiff::civil::date(2015, 1, 1)
                .checked_add(jiff::Span::new().days(start_day))
                .expect("in range")
                .at(8, 0, 0, 0);
            let mut bytes = Vec::new();
            write_whatsapp(&mut bytes, &mut Generator::new(seed, &["Sam Lee", "Jo", "Kim"], start), count)
                .expect("in memory");
            let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
            cuts.sort_unstable();
            let again = agree(&bytes, &cuts)?;
            prop_assert!(!again, "read again with cuts {:?}", cuts);
        }

        #[test]
        fn repeated_fixtures_survey_alike_in_parts(
            picks in proptest::collection::vec(0usize..19, 1..6),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        ) {
            let all = fixtures();
            let bytes: Vec<u8> = picks.iter().flat_map(|&i| all[i % all.len()].clone()).collect();
            let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
            cuts.sort_unstable();
            agree(&bytes, &cuts)?;
        }
    }
}
