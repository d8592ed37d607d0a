//! LINE chat histories (`.txt`), as the app saves them in any language
//! (`␉` stands for a tab):
//!
//! ```text
//! [LINE] Chat history with Jordan Lee
//! Fri, 9/25/2026
//! 21:03␉Jordan Lee␉see you at 8?
//! ```
//!
//! A title and a "saved on" line, then for each day a day line
//! (`2016/06/18（六）`, `2020/12/31(Thu)`, `2026.01.15 Thursday`) and its
//! messages, `time<TAB>name<TAB>text`; a line with a time but no name is a
//! system line. A message of several lines is written in double quotes.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Weekday};

use crate::bounded::{self, Bounded};
use crate::date::{self, Backsteps, ClockTime, DateOrder, DateOrderUsed, NumericDate, OrderReason};
use crate::lines::Lines;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str = "a LINE chat history: day lines like '2024/12/31(Tue)' followed by messages like \
                        '21:03<TAB>Name<TAB>text'";

/// Whether `head` starts like a LINE chat history: its title line, or a
/// day line followed by two tab-separated message lines.
pub fn sniff(_input: &Input, head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.trim_ascii().is_empty())
        .take(40);
    if lines.next().is_some_and(|first| first.starts_with(b"[LINE]")) {
        return true;
    }
    let mut day = false;
    let mut messages = 0;
    for line in lines {
        let Ok(line) = std::str::from_utf8(line) else {
            return false;
        };
        if day_line(line).is_some() {
            day = true;
        } else if day && time_line(line).is_some_and(|(_, rest)| rest.contains('\t')) {
            messages += 1;
            if messages >= 2 {
                return true;
            }
        }
    }
    false
}

/// Reads a LINE chat history into `sink`.
pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let scan = prescan(input)?;
    if !scan.found {
        return Err(Error::unreadable(
            Position::Whole,
            "no line is a LINE title, day or message",
            EXPECTED,
        ));
    }
    let used = match (options.date_order, scan.settled) {
        _ if !scan.numeric => None,
        // Dates that write the year first need no order, given or not.
        (_, None) if !scan.ambiguous => Some(DateOrderUsed {
            order: DateOrder::Ymd,
            reason: OrderReason::YearFirst,
        }),
        (Some(order), _) => Some(DateOrderUsed {
            order,
            reason: OrderReason::Given,
        }),
        (None, Some(settled)) => Some(settled),
        (None, None) => {
            let (order, reason, why) = match scan.forward {
                Some(order) => (
                    order,
                    OrderReason::RunsForward,
                    ", the order in which they run forward in time",
                ),
                None => (DateOrder::guess(scan.english), OrderReason::Assumed, ""),
            };
            sink.diagnostic(Diagnostic::new(
                Position::Whole,
                format!(
                    "the day lines never show whether the day or the month comes first; \
                     they were read as {}{why}",
                    order.describe()
                ),
            ));
            Some(DateOrderUsed { order, reason })
        }
    };
    if let Some(used) = used {
        sink.date_order(used);
    }
    let order = used.map_or(DateOrder::Dmy, |used| used.order);
    let mut parser = Parser {
        chat: String::new(),
        sink,
        zone: Zone::new(options.tz.clone()),
        order,
        day: None,
        pending: None,
        sender: String::new(),
        text: Bounded::default(),
        unquoted: String::new(),
        blank_lines: 0,
        quote: Quote::None,
        preamble: None,
        seen_day: false,
        messages: 0,
    };
    parser.chat.push_str(chat_name(input.stem()));
    let mut lines = Lines::new(input.open()?);
    let mut number = 0;
    while let Some(line) = lines.next_line()? {
        number += 1;
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(_) => {
                // Lines::text names the line; it cannot succeed here.
                let copy = line.to_vec();
                lines.text(&copy)?;
                continue;
            }
        };
        parser.line(text, number)?;
    }
    parser.flush()?;
    parser.end_preamble();
    Ok(())
}

/// What a first read of the file tells about its dates.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    /// A title, day or message line was seen.
    found: bool,
    /// A day line (or "saved on" line) was seen.
    numeric: bool,
    /// The order a date revealed, and where.
    settled: Option<DateOrderUsed>,
    /// Some day line left the order open.
    ambiguous: bool,
    /// The order in which the day lines run forward, if only one does.
    forward: Option<DateOrder>,
    /// Weekdays or a 12-hour clock in English: a US export.
    english: bool,
}

/// Reads day lines until one settles the day/month order (usually the
/// first days of the chat), or to the end.
fn prescan(input: &Input) -> Result<Scan, Error> {
    let mut lines = Lines::new(input.open()?);
    let mut scan = Scan::default();
    let mut steps = Backsteps::default();
    let mut first = true;
    let mut number = 0;
    while let Some(line) = lines.next_line()? {
        number += 1;
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        if std::mem::take(&mut first) && line.starts_with("[LINE]") {
            scan.found = true;
            continue;
        }
        let date = if let Some(day) = day_line(line) {
            scan.found = true;
            scan.english |= day.english;
            steps.add(&day.date);
            scan.numeric = true;
            if let Some(order) = day.weekday.and_then(|w| day.date.hint_by_weekday(w)) {
                let date = day.date;
                let reason = OrderReason::Weekday { line: number, date };
                scan.settled = Some(DateOrderUsed { order, reason });
                return Ok(scan);
            }
            day.date
        } else if let Some((time, _)) = time_line(line) {
            scan.found = true;
            scan.english |= time.meridiem.is_some_and(|m| m.english);
            continue;
        } else if let Some(saved) = saved_on(line).filter(|_| !scan.found) {
            // "Saved on: 9/26/2026, 11:00" writes dates as the day lines do.
            scan.numeric = true;
            saved
        } else {
            continue;
        };
        if date.year_first() {
            continue;
        }
        match date.hint() {
            Some(order) => {
                let reason = OrderReason::Settled { line: number, date };
                scan.settled = Some(DateOrderUsed { order, reason });
                return Ok(scan);
            }
            None => scan.ambiguous = true,
        }
    }
    scan.forward = steps.better();
    Ok(scan)
}

/// A day line, as read.
#[derive(Clone, Copy, Debug)]
struct DayLine {
    date: NumericDate,
    /// Written after an English weekday (`Fri, 9/25/2026`).
    english: bool,
    /// The weekday written beside the date.
    weekday: Option<Weekday>,
}

/// Reads a day line: a date with an optional weekday before it (`Fri, `)
/// or after it (`（六）`, `(Thu)`, ` Thursday`), and for the Thai calendar
/// ` BE` (the year is then 543 ahead).
fn day_line(line: &str) -> Option<DayLine> {
    let line = line.trim();
    let letters = line.bytes().take_while(u8::is_ascii_alphabetic).count();
    let before = line.get(..letters).and_then(english_weekday);
    let mut rest = line;
    if letters > 0 {
        let after = line.get(letters..)?;
        let after = after.strip_prefix('.').unwrap_or(after);
        rest = after.strip_prefix(", ").or_else(|| after.strip_prefix(' '))?;
    }
    let (mut date, n) = NumericDate::scan(rest.as_bytes())?;
    let tail = rest.get(n..)?;
    if tail.len() > 40
        || tail
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'\t' || b == b':')
    {
        return None;
    }
    if tail.trim_end().ends_with("BE") && date.year_digits() == 4 {
        let year = if date.year_first() { 0 } else { 2 };
        let field = date.fields.get_mut(year)?;
        *field = field.checked_sub(543)?;
    }
    let after = weekday_after(tail);
    Some(DayLine {
        date,
        english: before.is_some() || after.is_some_and(|(_, english)| english),
        weekday: before.or(after.map(|(day, _)| day)),
    })
}

/// The weekday an English word names (`Fri`, `Thursday`).
fn english_weekday(word: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("mon", Weekday::Monday),
        ("tue", Weekday::Tuesday),
        ("wed", Weekday::Wednesday),
        ("thu", Weekday::Thursday),
        ("fri", Weekday::Friday),
        ("sat", Weekday::Saturday),
        ("sun", Weekday::Sunday),
    ];
    let head = word.get(..3)?;
    DAYS.iter()
        .find_map(|&(name, day)| head.eq_ignore_ascii_case(name).then_some(day))
}

/// The weekday after a date (`(Thu)`, ` Thursday`, `（六）`, `(木)`,
/// `(목)`), and whether it was English.
fn weekday_after(tail: &str) -> Option<(Weekday, bool)> {
    let word = tail
        .trim()
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    if let Some(day) = english_weekday(word) {
        return Some((day, true));
    }
    let day = match word.chars().last()? {
        '日' | '일' => Weekday::Sunday,
        '一' | '月' | '월' => Weekday::Monday,
        '二' | '火' | '화' => Weekday::Tuesday,
        '三' | '水' | '수' => Weekday::Wednesday,
        '四' | '木' | '목' => Weekday::Thursday,
        '五' | '金' | '금' => Weekday::Friday,
        '六' | '土' | '토' => Weekday::Saturday,
        _ => return None,
    };
    Some((day, false))
}

/// Reads a message line's time and what follows its tab.
fn time_line(line: &str) -> Option<(ClockTime, &str)> {
    let (time, n) = ClockTime::scan(line.as_bytes())?;
    let rest = line.get(n..)?.strip_prefix('\t')?;
    Some((time, rest))
}

/// The date of a "saved on" line (`Saved on: 9/26/2026, 11:00`,
/// `儲存日期： 2025/05/19 17:44`).
fn saved_on(line: &str) -> Option<NumericDate> {
    if line.len() > 80 || line.contains('\t') {
        return None;
    }
    let digit = line.bytes().position(|b| b.is_ascii_digit())?;
    let (date, _) = NumericDate::scan(line.as_bytes().get(digit..)?)?;
    Some(date)
}

/// Where a message stands with LINE's double quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    /// Not quoted.
    None,
    /// Opened by the message's first line and not closed yet.
    Open,
    /// Opened and closed: the quotes are LINE's, not the writer's.
    Closed,
}

/// The message being read: its header; its sender and text are in the
/// parser's buffers.
#[derive(Clone, Copy, Debug)]
struct Pending {
    /// The line of its time.
    line: u64,
    local: DateTime,
    utc: Timestamp,
    /// A line with no name.
    system: bool,
}

struct Parser<'a> {
    chat: String,
    sink: &'a mut dyn Sink,
    zone: Zone,
    order: DateOrder,
    /// The day of the last day line.
    day: Option<Date>,
    pending: Option<Pending>,
    sender: String,
    text: Bounded,
    /// The text of a quoted message without its quotes.
    unquoted: String,
    blank_lines: usize,
    quote: Quote,
    /// First and last line that were neither title, day nor message.
    preamble: Option<(u64, u64)>,
    seen_day: bool,
    messages: u64,
}

impl Parser<'_> {
    fn line(&mut self, line: &str, number: u64) -> Result<(), Error> {
        if self.quote != Quote::Open {
            if let Some(day) = day_line(line) {
                self.flush()?;
                self.end_preamble();
                self.seen_day = true;
                self.day = day.date.date(self.order);
                if self.day.is_none() {
                    self.skip(number, "the day line's date does not exist");
                }
                return Ok(());
            }
        }
        if let Some((time, rest)) = time_line(line) {
            self.flush()?;
            self.end_preamble();
            let Some(day) = self.day else {
                self.skip(number, "the message comes before any day line it could belong to");
                return Ok(());
            };
            let Some(local) = date::datetime(day, &time) else {
                self.skip(number, "the message's time does not exist");
                return Ok(());
            };
            self.start(local, rest, number);
            return Ok(());
        }
        if self.pending.is_some() {
            self.continuation(line);
        } else if number == 1 && line.starts_with("[LINE]") {
            let name = title_name(line);
            if !name.is_empty() {
                self.chat.clear();
                self.chat.push_str(name);
            }
        } else if !self.seen_day && (line.trim().is_empty() || saved_on(line).is_some()) {
            // The blank and "saved on" lines under the title.
        } else if !line.trim().is_empty() {
            let first = self.preamble.map_or(number, |(first, _)| first);
            self.preamble = Some((first, number));
        }
        Ok(())
    }

    fn skip(&mut self, number: u64, why: &str) {
        self.sink.diagnostic(Diagnostic::new(
            Position::Line(number),
            format!("{why}; the line was skipped"),
        ));
    }

    /// Reports lines that were neither title, day nor message.
    fn end_preamble(&mut self) {
        if let Some((first, last)) = self.preamble.take() {
            let problem = if first == last {
                "the line is neither a day, a message nor part of one, and was skipped".to_owned()
            } else {
                format!("lines {first}-{last} are neither days, messages nor parts of one, and were skipped")
            };
            self.sink
                .diagnostic(Diagnostic::new(Position::Line(first), problem));
        }
    }

    /// Starts a message; `rest` is what follows the time and its tab.
    fn start(&mut self, local: DateTime, rest: &str, number: u64) {
        let (name, text) = match rest.split_once('\t') {
            Some((name, text)) => (name.trim(), text),
            None => ("", rest),
        };
        self.sender.clear();
        self.sender.push_str(name);
        self.text.clear();
        self.text.push_str(text);
        self.blank_lines = 0;
        self.quote = match text.strip_prefix('"') {
            Some(inside) if !closes(inside) => Quote::Open,
            _ => Quote::None,
        };
        self.pending = Some(Pending {
            line: number,
            local,
            utc: self.zone.to_utc(local),
            system: name.is_empty(),
        });
    }

    fn continuation(&mut self, line: &str) {
        if line.trim().is_empty() {
            self.blank_lines += 1;
            return;
        }
        self.text.push_repeated('\n', self.blank_lines + 1);
        self.blank_lines = 0;
        self.text.push_str(line);
        if self.quote == Quote::Open && closes(line) {
            self.quote = Quote::Closed;
        }
    }

    fn flush(&mut self) -> Result<(), Error> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        self.messages += 1;
        let quoted = std::mem::replace(&mut self.quote, Quote::None) == Quote::Closed;
        if self.text.is_cut() {
            self.sink
                .diagnostic(bounded::cut(Position::Line(p.line), self.text.len()));
        }
        let text = if quoted {
            unquote(self.text.as_str(), &mut self.unquoted);
            self.unquoted.as_str()
        } else {
            self.text.as_str()
        };
        let (kind, sender) = classify(text, p.system);
        self.sink.message(&Message {
            chat: &self.chat,
            chat_id: None,
            sender: sender.unwrap_or(&self.sender),
            from_me: false,
            local: p.local,
            utc: p.utc,
            kind,
            text,
            id: None,
            reply_to: None,
            edited: false,
        })?;
        Ok(())
    }
}

/// `s` ends a quoted text: it ends with an odd run of `"` (a doubled `""`
/// is a quote inside the text).
fn closes(s: &str) -> bool {
    let run = s.bytes().rev().take_while(|&b| b == b'"').count();
    run % 2 == 1
}

/// Copies `text` without LINE's outer quotes, undoubling the inner ones.
fn unquote(text: &str, out: &mut String) {
    out.clear();
    let inside = text.strip_prefix('"').unwrap_or(text);
    let inside = inside.strip_suffix('"').unwrap_or(inside);
    let mut parts = inside.split("\"\"");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push('"');
        out.push_str(part);
    }
}

/// Media placeholders, in the languages LINE writes them.
const MEDIA: [&str; 37] = [
    "[Photo]",
    "[Photos]",
    "[Sticker]",
    "[Video]",
    "[File]",
    "[Voice message]",
    "[Audio]",
    "[Album]",
    "[Location]",
    "[Contact]",
    "[GIF]",
    "[照片]",
    "[貼圖]",
    "[影片]",
    "[檔案]",
    "[語音訊息]",
    "[相簿]",
    "[位置資訊]",
    "[聯絡資訊]",
    "[图片]",
    "[贴图]",
    "[视频]",
    "[文件]",
    "[语音信息]",
    "[写真]",
    "[スタンプ]",
    "[動画]",
    "[ファイル]",
    "[ボイスメッセージ]",
    "[アルバム]",
    "[位置情報]",
    "[連絡先]",
    "[사진]",
    "[스티커]",
    "[동영상]",
    "[파일]",
    "[음성메시지]",
];

/// What a message that was taken back says: (ending, whether the words
/// before it are the sender's name).
const UNSENT: [(&str, bool); 6] = [
    ("You unsent a message.", false),
    (" unsent a message.", true),
    ("您已收回訊息", false),
    ("已收回訊息", true),
    ("メッセージの送信を取り消しました", false),
    ("がメッセージの送信を取り消しました", true),
];

/// What a message is, and, for a taken-back message written as a system
/// line, who sent it.
fn classify(text: &str, system: bool) -> (Kind, Option<&str>) {
    if text.starts_with('☎') {
        return (Kind::Call, None);
    }
    if MEDIA.contains(&text) {
        return (Kind::Media, None);
    }
    for (ending, named) in UNSENT {
        if let Some(name) = text.strip_suffix(ending) {
            if !named && name.is_empty() {
                return (Kind::Deleted, system.then_some(""));
            }
            if named && !name.is_empty() {
                return (Kind::Deleted, system.then_some(name.trim()));
            }
        }
    }
    (if system { Kind::System } else { Kind::Text }, None)
}

/// The chat's name from a title line (`[LINE] Chat history with Jordan
/// Lee`, `[LINE] 與小明的聊天記錄`, `[LINE] Jordanとのトーク履歴`).
fn title_name(title: &str) -> &str {
    let title = title.strip_prefix("[LINE]").unwrap_or(title).trim();
    const PREFIXES: [&str; 4] = ["Chat history with ", "Chat history in ", "與", "与"];
    const SUFFIXES: [&str; 6] = [
        "的聊天記錄",
        "的聊天记录",
        "的聊天",
        "とのトーク履歴",
        "のトーク履歴",
        "님과의 대화",
    ];
    let mut name = title;
    if let Some(rest) = PREFIXES.iter().find_map(|p| name.strip_prefix(p)) {
        name = rest;
    }
    if let Some(rest) = SUFFIXES.iter().find_map(|s| name.strip_suffix(s)) {
        name = rest;
    }
    let name = name.trim();
    if name.is_empty() { title } else { name }
}

/// The chat's name from the file name (`[LINE] Chat with Jordan Lee.txt`),
/// used until a title line names it.
fn chat_name(stem: &str) -> &str {
    if stem.starts_with("[LINE]") {
        title_name(stem)
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_lines_in_every_language() {
        let cases = [
            ("2016/06/18（六）", [2016, 6, 18], false),
            ("Fri, 9/25/2026", [9, 25, 2026], true),
            ("2020/12/31(Thu)", [2020, 12, 31], true),
            ("2026.01.15 Thursday", [2026, 1, 15], true),
            ("Wed, 10/07/2562 BE", [10, 7, 2019], true),
            ("2021/01/01", [2021, 1, 1], false),
        ];
        for (line, fields, english) in cases {
            let day = day_line(line).unwrap_or_else(|| panic!("{line:?}"));
            assert_eq!(day.date.fields, fields, "{line:?}");
            assert_eq!(day.english, english, "{line:?}");
        }
        let weekday = |line| day_line(line).and_then(|d| d.weekday);
        assert_eq!(weekday("2016/06/18（六）"), Some(Weekday::Saturday));
        assert_eq!(weekday("2020/12/31(木)"), Some(Weekday::Thursday));
        assert_eq!(weekday("2026.01.15 Thursday"), Some(Weekday::Thursday));
        assert_eq!(weekday("Fri, 9/25/2026"), Some(Weekday::Friday));
        assert_eq!(weekday("2021/01/01"), None);
        for line in [
            "Saved on: 9/26/2026, 11:00",
            "儲存日期： 2025/05/19 17:44",
            "21:03\tJordan\thi",
            "2020/12/31 21:03",
            "hello",
        ] {
            assert!(day_line(line).is_none(), "{line:?}");
        }
    }

    #[test]
    fn message_lines() {
        let (time, rest) = time_line("9:30 PM\tJordan\thi").unwrap();
        assert_eq!((time.time().unwrap().hour(), rest), (21, "Jordan\thi"));
        let (time, _) = time_line("9:30PM\tJordan\thi").unwrap();
        assert_eq!(time.time().unwrap().hour(), 21);
        assert!(time_line("9:30 we meet").is_none());
    }

    #[test]
    fn quotes_close_on_an_odd_run() {
        assert!(closes("two\""));
        assert!(!closes("two\"\""));
        assert!(closes("say \"\"hi\"\"\""));
        let mut out = String::new();
        unquote("\"one\n\"\"two\"\"\"", &mut out);
        assert_eq!(out, "one\n\"two\"");
    }

    #[test]
    fn kinds() {
        assert_eq!(classify("[照片]", false), (Kind::Media, None));
        assert_eq!(classify("☎ 通話時間1:16", false), (Kind::Call, None));
        assert_eq!(
            classify("Jordan Lee unsent a message.", true),
            (Kind::Deleted, Some("Jordan Lee"))
        );
        assert_eq!(classify("You unsent a message.", true), (Kind::Deleted, Some("")));
        assert_eq!(classify("小明已收回訊息", true), (Kind::Deleted, Some("小明")));
        assert_eq!(classify("Jordan joined the group.", true), (Kind::System, None));
        assert_eq!(classify("[Photo] of us", false), (Kind::Text, None));
    }

    #[test]
    fn chat_names() {
        assert_eq!(title_name("[LINE] Chat history with Jordan Lee"), "Jordan Lee");
        assert_eq!(title_name("[LINE] 與小明的聊天記錄"), "小明");
        assert_eq!(title_name("[LINE] Jordanとのトーク履歴"), "Jordan");
        assert_eq!(title_name("[LINE] Family"), "Family");
        assert_eq!(title_name("[LINE]"), "");
        assert_eq!(chat_name("[LINE] Chat history with Sam"), "Sam");
        assert_eq!(chat_name("chat"), "chat");
    }
}
