//! What a dry run reports: counts, senders, the time range and diagnostics,
//! gathered without keeping any message. Surveys of parts of an input merge,
//! so a parser that can split its input may survey the parts in parallel.

use std::collections::HashMap;

use jiff::civil::DateTime;

use crate::{DateOrderUsed, Diagnostic, Kind, Message, Position, Sink, Stop};

/// Counts of one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Survey {
    /// Messages that are not system lines (media, calls and deletions included).
    pub messages: u64,
    /// System lines.
    pub system: u64,
    /// Messages per sender, as the export names them.
    pub senders: HashMap<String, u64>,
    /// Local time of the earliest and the latest message that is not a system line.
    pub first: Option<DateTime>,
    pub last: Option<DateTime>,
    pub diagnostics: Vec<Diagnostic>,
    /// The order in which numeric dates were read, and why (once each;
    /// empty for exports whose dates need none, such as JSON's).
    pub date_orders: Vec<DateOrderUsed>,
}

impl Survey {
    /// Adds the survey of a later part of the same input.
    pub fn merge(&mut self, later: Survey) {
        self.messages += later.messages;
        self.system += later.system;
        for (sender, n) in later.senders {
            *self.senders.entry(sender).or_insert(0) += n;
        }
        self.first = min_opt(self.first, later.first);
        self.last = max_opt(self.last, later.last);
        self.diagnostics.extend(later.diagnostics);
        for used in later.date_orders {
            self.date_order(used);
        }
    }
}

fn min_opt(a: Option<DateTime>, b: Option<DateTime>) -> Option<DateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<DateTime>, b: Option<DateTime>) -> Option<DateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

impl Sink for Survey {
    fn message(&mut self, m: &Message<'_>) -> Result<(), Stop> {
        if m.kind == Kind::System {
            self.system += 1;
            return Ok(());
        }
        self.messages += 1;
        match self.senders.get_mut(m.sender) {
            Some(n) => *n += 1,
            None => {
                self.senders.insert(m.sender.to_owned(), 1);
            }
        }
        self.first = min_opt(self.first, Some(m.local));
        self.last = max_opt(self.last, Some(m.local));
        Ok(())
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn date_order(&mut self, used: DateOrderUsed) {
        if !self.date_orders.contains(&used) {
            self.date_orders.push(used);
        }
    }
}

/// The sink behind [`crate::survey()`]. Most chats are between a few people, so
/// their names are first looked for in a short list: cheaper than hashing
/// each message's sender.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Senders not in `few` are counted in its map; the time range is kept
    /// in `times` until the end.
    survey: Survey,
    few: Vec<Counted>,
    /// The earliest and the latest time, once a message came by, each
    /// with its [`Moment`].
    times: Option<((Moment, DateTime), (Moment, DateTime))>,
}

/// A wall-clock time as numbers that order as it does: compared at once
/// rather than field by field.
type Moment = (i64, i32);

fn moment(t: DateTime) -> Moment {
    let day = (i64::from(t.year()) * 16 + i64::from(t.month())) * 32 + i64::from(t.day());
    let second = ((day * 24 + i64::from(t.hour())) * 60 + i64::from(t.minute())) * 60 + i64::from(t.second());
    (second, t.subsec_nanosecond())
}

/// A sender of the short list.
#[derive(Debug)]
struct Counted {
    key: NameKey,
    name: String,
    n: u64,
}

impl Tally {
    const FEW: usize = 16;

    pub(crate) fn into_survey(self) -> Survey {
        let mut survey = self.survey;
        for Counted { name, n, .. } in self.few {
            *survey.senders.entry(name).or_insert(0) += n;
        }
        if let Some(((_, first), (_, last))) = self.times {
            survey.first = min_opt(survey.first, Some(first));
            survey.last = max_opt(survey.last, Some(last));
        }
        survey
    }

    /// Adds the tally of the part of the same input that follows, whose
    /// line numbers count from its own start, after `lines_before` lines.
    pub(crate) fn append(&mut self, later: Tally, lines_before: u64) {
        let mut later = later.into_survey();
        for diagnostic in &mut later.diagnostics {
            if let Position::Line(n) = &mut diagnostic.at {
                *n += lines_before;
            }
        }
        self.survey.merge(later);
    }
}

/// A name's length and its first and last eight bytes: names of up to
/// sixteen bytes (most) are told apart by these alone, without comparing
/// them byte by byte.
#[derive(Clone, Copy, Debug)]
struct NameKey {
    len: usize,
    head: u64,
    tail: u64,
}

impl NameKey {
    fn of(name: &str) -> NameKey {
        let b = name.as_bytes();
        let eight = |s: Option<&[u8]>| {
            s.and_then(|s| <[u8; 8]>::try_from(s).ok())
                .map_or(0, u64::from_le_bytes)
        };
        let len = b.len();
        if len >= 8 {
            NameKey {
                len,
                head: eight(b.get(..8)),
                tail: eight(b.get(len - 8..)),
            }
        } else {
            // In registers: bytes stored one by one and read back as a
            // number would stall the read.
            let head = b.iter().rev().fold(0, |n, &c| n << 8 | u64::from(c));
            NameKey { len, head, tail: 0 }
        }
    }

    /// Compared a number at a time (as one block the comparison would
    /// read what was just written in parts, and stall).
    fn same(&self, other: &NameKey) -> bool {
        (self.head == other.head) & (self.tail == other.tail) & (self.len == other.len)
    }

    /// The key alone says what its name is.
    fn whole(&self) -> bool {
        self.len <= 16
    }
}

impl Sink for Tally {
    fn message(&mut self, m: &Message<'_>) -> Result<(), Stop> {
        let survey = &mut self.survey;
        if m.kind == Kind::System {
            survey.system += 1;
            return Ok(());
        }
        survey.messages += 1;
        // Messages come mostly in order: one comparison, as a rule.
        let at = (moment(m.local), m.local);
        match &mut self.times {
            Some((_, last)) if at.0 >= last.0 => *last = at,
            Some((first, _)) if at.0 < first.0 => *first = at,
            Some(_) => {}
            None => self.times = Some((at, at)),
        }
        let key = NameKey::of(m.sender);
        let known = self
            .few
            .iter_mut()
            .find(|c| c.key.same(&key) && (key.whole() || c.name == m.sender));
        if let Some(counted) = known {
            counted.n += 1;
        } else if self.few.len() < Tally::FEW {
            self.few.push(Counted {
                key,
                name: m.sender.to_owned(),
                n: 1,
            });
        } else if let Some(n) = survey.senders.get_mut(m.sender) {
            *n += 1;
        } else {
            survey.senders.insert(m.sender.to_owned(), 1);
        }
        Ok(())
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        self.survey.diagnostics.push(diagnostic);
    }

    fn date_order(&mut self, used: DateOrderUsed) {
        self.survey.date_order(used);
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn merged_parts_equal_the_whole() {
        let mut whole = Survey::default();
        let mut early = Survey::default();
        let mut late = Survey::default();
        let at = |d| date(2024, 1, d).at(12, 0, 0, 0);
        let msg = |sender, day, kind| Message {
            chat: "c",
            chat_id: None,
            sender,
            from_me: false,
            local: at(day),
            utc: jiff::Timestamp::UNIX_EPOCH,
            kind,
            text: "",
            id: None,
            reply_to: None,
            edited: false,
        };
        let all = [
            msg("Sam", 3, Kind::Text),
            msg("", 4, Kind::System),
            msg("Kim", 5, Kind::Media),
            msg("Sam", 9, Kind::Text),
        ];
        for (i, m) in all.iter().enumerate() {
            whole.message(m).unwrap();
            if i < 2 {
                early.message(m).unwrap()
            } else {
                late.message(m).unwrap()
            }
        }
        early.merge(late);
        assert_eq!(early, whole);
        assert_eq!((whole.messages, whole.system, whole.senders["Sam"]), (3, 1, 2));
        assert_eq!((whole.first, whole.last), (Some(at(3)), Some(at(9))));
    }

    #[test]
    fn tallies_of_parts_equal_a_survey_of_the_whole() {
        // More senders than the short list holds, days out of order, and a
        // diagnostic in each part.
        let names: Vec<String> = (0..40).map(|i| format!("person {i}")).collect();
        let message = |i: usize| Message {
            chat: "c",
            chat_id: None,
            sender: &names[i * 7 % 40],
            from_me: false,
            local: date(2024, 1, 1 + (i * 13 % 28) as i8).at(12, 0, 0, 0),
            utc: jiff::Timestamp::UNIX_EPOCH,
            kind: if i % 9 == 0 { Kind::System } else { Kind::Text },
            text: "",
            id: None,
            reply_to: None,
            edited: false,
        };
        let mut whole = Survey::default();
        let mut parts = [Tally::default(), Tally::default(), Tally::default()];
        for i in 0..300 {
            whole.message(&message(i)).unwrap();
            parts[i / 100].message(&message(i)).unwrap();
        }
        for (i, part) in parts.iter_mut().enumerate() {
            whole.diagnostic(Diagnostic::new(Position::Line(i as u64 * 10 + 2), "odd"));
            part.diagnostic(Diagnostic::new(Position::Line(2), "odd"));
        }
        let [mut first, second, third] = parts;
        first.append(second, 10);
        first.append(third, 20);
        assert_eq!(first.into_survey(), whole);
        assert_eq!(Tally::default().into_survey(), Survey::default());
    }
}
