//! What a dry run reports: counts, senders, the time range and diagnostics,
//! gathered without keeping any message. Surveys of parts of an input merge,
//! so a parser that can split its input may survey the parts in parallel.

use std::collections::HashMap;

use jiff::civil::DateTime;

use crate::{Diagnostic, Error, Format, Input, Kind, Message, Options, Sink, Stop};

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
}

/// Surveys `input` as `format`.
pub fn survey(input: &Input, format: Format, options: &Options) -> Result<Survey, Error> {
    let mut survey = Survey::default();
    format.parse(input, options, &mut survey)?;
    Ok(survey)
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
}
