//! Signal: signal-export's text and Markdown (`chat.md`), and Signal
//! Desktop's encrypted database (in [`desktop`]).
//!
//! ```text
//! [2022-08-10 19:33:38] Me: See you at eight  
//!
//! [2022-08-10 19:35:02] Sam: ![IMG_0001.jpg](./media/2022-08-10T19-35-02.000_00_IMG_0001.jpg)  
//! ```
//!
//! That is the current layout: seconds, two trailing spaces (a Markdown line
//! break), a blank line between messages, attachments as Markdown links, a
//! quoted message as `> ` lines before the reply, reactions as a last
//! `(- Name: 👍 -)` line. The older layout is `[2019-12-24, 12:23] Jane Doe:
//! Hello John!`, with no seconds and no blank lines. Continuation lines
//! belong to the message above. Times are local, as written; the export
//! calls its owner `Me`.

mod desktop;

use std::borrow::Cow;

use jiff::civil::DateTime;

pub use self::desktop::{parse_desktop, sniff_desktop};
use crate::bounded::{self, Bounded};
use crate::lines::Lines;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str = "a signal-export text or Markdown chat, with lines like \
                        \"[2022-08-10 19:33:38] Name: text\" or \"[2022-08-10, 19:33] Name: text\"";

/// The two timestamp layouts of signal-export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// `[2019-12-24, 12:23] `: older versions, no seconds.
    Minutes,
    /// `[2022-08-10 19:33:38] `: current versions (Markdown).
    Seconds,
}

/// The start of a message line.
#[derive(Debug, PartialEq, Eq)]
struct Header<'l> {
    local: DateTime,
    layout: Layout,
    /// `None` for a line with no `Name: ` after the time.
    sender: Option<&'l str>,
    rest: &'l str,
}

/// Whether the first line with text is a signal-export message. The
/// current layout (`[YYYY-MM-DD HH:MM:SS]`) is also what WhatsApp writes in
/// some locales, so it is claimed only for a `.md` file or where a line ends
/// in Markdown's two-space line break.
pub fn sniff_text(input: &Input, head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let Some(first) = lines.find(|l| !l.trim_ascii().is_empty()) else {
        return false;
    };
    let Some(Ok(header)) = std::str::from_utf8(first).ok().and_then(header) else {
        return false;
    };
    match header.layout {
        Layout::Minutes => true,
        Layout::Seconds => {
            input.file_name().to_ascii_lowercase().ends_with(".md")
                || first.ends_with(b"  ")
                || lines.any(|l| l.ends_with(b"  ") && !l.trim_ascii().is_empty())
        }
    }
}

/// The header of `line`, an error when it has a header's shape but a date
/// that does not exist, or `None` when it is not a header.
fn header(line: &str) -> Option<Result<Header<'_>, &'static str>> {
    let bytes = line.as_bytes();
    let number = |from: usize, len: usize| -> Option<i16> {
        let digits = bytes.get(from..from + len)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let at = |i: usize, b: u8| bytes.get(i) == Some(&b);
    if !(at(0, b'[') && at(5, b'-') && at(8, b'-')) {
        return None;
    }
    let (year, month, day) = (number(1, 4)?, number(6, 2)?, number(9, 2)?);
    let (layout, hour, minute, second, close) = if at(11, b',') && at(12, b' ') && at(15, b':') {
        (Layout::Minutes, number(13, 2)?, number(16, 2)?, 0, 18)
    } else if at(11, b' ') && at(14, b':') && at(17, b':') {
        (
            Layout::Seconds,
            number(12, 2)?,
            number(15, 2)?,
            number(18, 2)?,
            20,
        )
    } else {
        return None;
    };
    if !(at(close, b']') && at(close + 1, b' ')) {
        return None;
    }
    let text = line.get(close + 2..)?;
    let local = match to_i8s(month, day, hour, minute, second)
        .and_then(|(mo, d, h, mi, s)| DateTime::new(year, mo, d, h, mi, s, 0).ok())
    {
        Some(local) => local,
        None => return Some(Err("the date or time does not exist")),
    };
    let (sender, rest) = match text.split_once(": ") {
        Some((sender, rest)) => (Some(sender), rest),
        None => match text.strip_suffix(':') {
            Some(sender) => (Some(sender), ""),
            None => (None, text),
        },
    };
    Some(Ok(Header {
        local,
        layout,
        sender,
        rest,
    }))
}

fn to_i8s(month: i16, day: i16, hour: i16, minute: i16, second: i16) -> Option<(i8, i8, i8, i8, i8)> {
    let small = |n: i16| i8::try_from(n).ok();
    Some((
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
    ))
}

/// Streams the messages of a signal-export chat into `sink`.
pub fn parse_text(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let chat = text_chat_name(input);
    let mut zone = Zone::new(options.tz.clone());
    let mut lines = Lines::new(input.open()?);
    let mut pending = Pending::default();
    // After a header whose date does not exist: its continuation lines go too.
    let mut skipping = false;
    // The same count as `lines.number()`, which cannot be asked while `line` is lent.
    let mut number = 0;
    while let Some(line) = lines.next_line()? {
        number += 1;
        let text = crate::lines::utf8(line, number)?;
        match header(text) {
            Some(Ok(header)) => {
                pending.flush(&chat, &mut zone, sink)?;
                pending.start(&header, number);
                skipping = false;
            }
            Some(Err(problem)) => {
                pending.flush(&chat, &mut zone, sink)?;
                sink.diagnostic(Diagnostic::new(
                    Position::Line(number),
                    format!("{problem}; the message is skipped"),
                ));
                skipping = true;
            }
            None if pending.open => {
                pending.body.push('\n');
                pending.body.push_str(text);
            }
            None if skipping || text.trim().is_empty() => {}
            None => {
                return Err(Error::unreadable(
                    Position::Line(number),
                    "the first message does not start with a signal-export timestamp",
                    EXPECTED,
                ));
            }
        }
    }
    pending.flush(&chat, &mut zone, sink)?;
    Ok(())
}

/// The chat's name: signal-export writes `<chat name>/chat.md` (or
/// `chat.txt`), so for those the folder names it; otherwise the file does.
fn text_chat_name(input: &Input) -> String {
    let file = input.file_name();
    let generic = ["chat.md", "chat.txt"]
        .iter()
        .any(|g| file.eq_ignore_ascii_case(g));
    if generic {
        if let Some(folder) = folder_name(input) {
            return folder;
        }
    }
    input.stem().to_owned()
}

/// The name of the folder holding a file (or a named byte input).
fn folder_name(input: &Input) -> Option<String> {
    let folder = match input.path() {
        Some(path) => std::fs::canonicalize(path)
            .ok()?
            .parent()?
            .file_name()?
            .to_string_lossy()
            .into_owned(),
        None => {
            let name = input.name();
            // A zip's entry: its archive, not a folder, is what the name gives.
            if !name.ends_with(input.file_name()) {
                return None;
            }
            let dir = name.get(..name.len() - input.file_name().len())?;
            dir.trim_end_matches(['/', '\\'])
                .rsplit(['/', '\\'])
                .next()?
                .to_owned()
        }
    };
    let folder = folder.trim();
    (!folder.is_empty() && folder != "." && folder != "..").then(|| folder.to_owned())
}

/// The message being read: its header and the lines after it.
#[derive(Debug, Default)]
struct Pending {
    open: bool,
    /// The line of its header.
    line: u64,
    local: Option<DateTime>,
    sender: Option<String>,
    body: Bounded,
}

impl Pending {
    fn start(&mut self, header: &Header<'_>, line: u64) {
        self.open = true;
        self.line = line;
        self.local = Some(header.local);
        self.sender = header.sender.map(str::to_owned);
        self.body.clear();
        self.body.push_str(header.rest);
    }

    fn flush(&mut self, chat: &str, zone: &mut Zone, sink: &mut dyn Sink) -> Result<(), Error> {
        if !std::mem::take(&mut self.open) {
            return Ok(());
        }
        let Some(local) = self.local else {
            return Ok(());
        };
        let sender = self.sender.as_deref().map(str::trim);
        let from_me = sender == Some("Me");
        // signal-export's stand-in for a sender it could not find.
        let sender = sender.filter(|s| *s != "No-Sender").unwrap_or("");
        if self.body.is_cut() {
            sink.diagnostic(bounded::cut(Position::Line(self.line), self.body.len()));
        }
        let (kind, text) = match self.sender {
            None => (Kind::System, Cow::Borrowed(self.body.as_str().trim())),
            Some(_) => content(self.body.as_str()),
        };
        sink.message(&Message {
            chat,
            chat_id: None,
            sender,
            from_me,
            local,
            utc: zone.to_utc(local),
            kind,
            text: &text,
            id: None,
            reply_to: None,
            edited: false,
        })?;
        Ok(())
    }
}

/// What a message body is, and its text without signal-export's Markdown:
/// the quoted message, attachment links, the reactions and sticker lines.
fn content(body: &str) -> (Kind, Cow<'_, str>) {
    let body = without_quote(body).trim();
    if body == "(This message was deleted)" {
        return (Kind::Deleted, "".into());
    }
    if is_call(body) {
        return (Kind::Call, body.into());
    }
    let (text, attachment) = without_attachments(body);
    let (text, sticker) = without_markers(text);
    match attachment.or(sticker.then_some("sticker")) {
        Some(kind) if text.is_empty() => (Kind::Media, kind.into()),
        _ => (Kind::Text, text),
    }
}

/// The body after a quoted message: signal-export writes the quote as
/// `> ` lines between blank lines, right after the header.
fn without_quote(body: &str) -> &str {
    let Some(after_header) = body.trim_start_matches(' ').strip_prefix('\n') else {
        return body;
    };
    let mut rest = after_header.trim_start_matches(['\n', ' ']);
    if !rest.starts_with('>') {
        return body;
    }
    loop {
        match rest.split_once('\n') {
            Some((line, after)) if line.starts_with('>') || line.trim().is_empty() => rest = after,
            Some(_) => return rest,
            None if rest.starts_with('>') => return "",
            None => return rest,
        }
    }
}

/// `text` without the lines signal-export adds for reactions
/// (`(- Sam: 👍, Me: ❤️ -)`) and stickers it has no file for (`(( 👍 ))`);
/// and whether there was a sticker.
fn without_markers(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    let is_reactions = |l: &str| l.starts_with("(- ") && l.ends_with(" -)");
    let is_sticker = |l: &str| l.starts_with("((") && l.ends_with("))");
    if !text
        .lines()
        .any(|l| is_reactions(l.trim()) || is_sticker(l.trim()))
    {
        return (text, false);
    }
    let sticker = text.lines().any(|l| is_sticker(l.trim()));
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !is_reactions(l.trim()) && !is_sticker(l.trim()))
        .collect();
    (kept.join("\n").trim().to_owned().into(), sticker)
}

/// signal-export's call lines: `Incoming voice call (accepted, 1m 2s)`,
/// `Missed video call`, `Outgoing call`.
fn is_call(body: &str) -> bool {
    let Some(rest) = ["Incoming ", "Outgoing ", "Missed "]
        .iter()
        .find_map(|p| body.strip_prefix(p))
    else {
        return false;
    };
    let rest = rest
        .strip_prefix("voice ")
        .or_else(|| rest.strip_prefix("video "))
        .unwrap_or(rest);
    match rest.strip_prefix("call") {
        Some("") => true,
        Some(detail) => detail.starts_with(" (") && detail.ends_with(')') && !detail.contains('\n'),
        None => false,
    }
}

/// Removes the links signal-export writes for attachments
/// (`![name](./media/…)`, `[name](./media/…)`, stickers under
/// `../exported_stickers/`) and names the kind of the first.
fn without_attachments(body: &str) -> (Cow<'_, str>, Option<&'static str>) {
    if !body.contains("](") {
        return (body.trim().into(), None);
    }
    let mut text = String::with_capacity(body.len());
    let mut first = None;
    let mut rest = body;
    while let Some((start, end, target)) = next_link(rest) {
        let is_attachment = ["./media/", "media/", "../exported_stickers/"]
            .iter()
            .any(|p| target.starts_with(p));
        let (before, after) = (rest.get(..start).unwrap_or(""), rest.get(end..).unwrap_or(""));
        if is_attachment {
            text.push_str(before);
            first = first.or(Some(attachment_kind(target)));
        } else {
            text.push_str(rest.get(..end).unwrap_or(""));
        }
        rest = after;
    }
    text.push_str(rest);
    let text = text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    (text.trim().to_owned().into(), first)
}

/// The next `[label](target)` or `![label](target)` in `s`: its start, its
/// end and its target.
fn next_link(s: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    loop {
        let open = from + s.get(from..)?.find('[')?;
        let label_end = open + s.get(open..)?.find("](")?;
        let target_start = label_end + 2;
        let close = target_start + s.get(target_start..)?.find(')')?;
        let label = s.get(open + 1..label_end)?;
        let target = s.get(target_start..close)?;
        if label.contains('\n') || target.contains(char::is_whitespace) {
            from = open + 1;
            continue;
        }
        let start = if open > 0 && s.get(open - 1..open) == Some("!") {
            open - 1
        } else {
            open
        };
        return Some((start, close + 1, target));
    }
}

/// A placeholder naming an attachment by its file extension.
fn attachment_kind(target: &str) -> &'static str {
    if target.starts_with("../exported_stickers/") {
        return "sticker";
    }
    let extension = target
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "heic" | "tif" | "tiff" | "apng" | "svg" | "bmp" => "image",
        "m4a" | "aac" | "mp3" | "ogg" | "opus" | "wav" | "flac" => "audio",
        "mp4" | "mov" | "mkv" | "webm" | "mpeg" | "qt" | "3gp" => "video",
        _ => "file",
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn both_header_layouts() {
        assert_eq!(
            header("[2019-12-24, 12:23] Jane Doe: Hello: John!"),
            Some(Ok(Header {
                local: date(2019, 12, 24).at(12, 23, 0, 0),
                layout: Layout::Minutes,
                sender: Some("Jane Doe"),
                rest: "Hello: John!",
            }))
        );
        assert_eq!(
            header("[2022-08-10 19:33:38] Me: Test message  "),
            Some(Ok(Header {
                local: date(2022, 8, 10).at(19, 33, 38, 0),
                layout: Layout::Seconds,
                sender: Some("Me"),
                rest: "Test message  ",
            }))
        );
        assert_eq!(
            header("[2022-08-10 19:33:38] Me:")
                .and_then(Result::ok)
                .map(|h| h.rest),
            Some("")
        );
    }

    #[test]
    fn other_layouts_are_not_headers() {
        for line in [
            "[31.12.19, 21:03:07] Sam: hi",
            "2019/12/31, 21:03 - Sam: hi",
            "[2019/12/31, 21:03] Sam: hi",
            "[2019-12-31 21:03] Sam: hi",
            "[2019-12-31, 21:03:07] Sam: hi",
            "[2019-12-31 21:03:07]Sam: hi",
            "[٢٠١٩-12-31, 21:03] Sam: hi",
            "[2019-12-3",
        ] {
            assert_eq!(header(line), None, "{line}");
        }
        assert_eq!(
            header("[2019-13-31, 21:03] Sam: hi"),
            Some(Err("the date or time does not exist"))
        );
        assert_eq!(
            header("[2019-02-29, 21:03] Sam: hi"),
            Some(Err("the date or time does not exist"))
        );
    }

    #[test]
    fn markdown_is_removed_from_bodies() {
        assert_eq!(content("hello  "), (Kind::Text, "hello".into()));
        assert_eq!(
            content("\n\n> the question\n> goes on\n\nthe answer  "),
            (Kind::Text, "the answer".into())
        );
        assert_eq!(
            content("nice  \n(- Sam: 👍, Me: ❤️ -)"),
            (Kind::Text, "nice".into())
        );
        assert_eq!(
            content("  \n(- Sam: 👍 -)![a.jpg](./media/a.jpg)  "),
            (Kind::Media, "image".into())
        );
        assert_eq!(content("  \n(( 👍 ))"), (Kind::Media, "sticker".into()));
        assert_eq!(content("\n\n> only a quote"), (Kind::Text, "".into()));
        assert_eq!(
            content("![IMG_1.jpg](./media/2022-08-10T19-35-02.000_00_IMG_1.jpg)  "),
            (Kind::Media, "image".into())
        );
        assert_eq!(
            content("look [here](https://example.com) [v.m4a](./media/v.m4a)  "),
            (Kind::Text, "look [here](https://example.com)".into())
        );
        assert_eq!(content("(This message was deleted)"), (Kind::Deleted, "".into()));
        assert_eq!(
            content("Incoming voice call (accepted, 1m 2s)  "),
            (Kind::Call, "Incoming voice call (accepted, 1m 2s)".into())
        );
        assert_eq!(
            content("Missed video call"),
            (Kind::Call, "Missed video call".into())
        );
        assert_eq!(
            content("Outgoing calls are expensive"),
            (Kind::Text, "Outgoing calls are expensive".into())
        );
        assert_eq!(content("[a](b"), (Kind::Text, "[a](b".into()));
    }
}
