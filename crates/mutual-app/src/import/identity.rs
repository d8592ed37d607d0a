//! Which stored chat a chat of an export is. A chat is known by what the
//! export says about it: the export's own id where the format has one
//! (Telegram, Signal Desktop, Discord, iMessage, SMS, Messenger JSON), else
//! the people who write in it, with the file's name only as a hint (every
//! iOS WhatsApp export is `_chat.txt`). Only a match that is sure lets an
//! import skip the spans an earlier import covered; an unsure one checks
//! every message against the stored ones instead.

use std::collections::{BTreeMap, HashSet};

use mutual_core::ChatId;
use mutual_core::text::clean_name;
use mutual_store::{Span, StoredChat};

/// How a chat of the file was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// `--chat NAME` said which chat it is.
    Named,
    /// The export's own id of the conversation.
    SameId,
    /// The same name and the same (or a growing) set of people.
    SameNameAndPeople,
    /// The same people under another name (another phone, a renamed file).
    SamePeople,
    /// The same name, without people to compare.
    SameName,
    /// The very file imported before (the same size and first bytes).
    SameFile,
    /// A chat not seen before.
    New,
}

impl How {
    /// Words for the import summary.
    pub fn phrase(self) -> &'static str {
        match self {
            How::Named => "the chat you named",
            How::SameId => "by the id the export gives it",
            How::SameNameAndPeople => "by its name and the people in it",
            How::SamePeople => "by the people in it",
            How::SameName => "by its name",
            How::SameFile => "as the same file as before",
            How::New => "a new chat",
        }
    }
}

/// Which stored chat a chat of the file is, or the new one it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The stored chat; `None` for a new one.
    pub(crate) chat: Option<ChatId>,
    /// The stored chat's label, or the new chat's (unique on the platform).
    pub(crate) label: String,
    /// The export's id of the conversation, to remember.
    pub(crate) key: Option<String>,
    pub(crate) how: How,
    /// Sure enough to skip what earlier imports covered.
    pub(crate) sure: bool,
    /// What earlier imports covered, when sure.
    pub(crate) spans: Vec<Span>,
    /// The languages its stored texts were read in, and how often.
    pub(crate) langs: Vec<(String, u64)>,
}

/// What sampling a file's messages said of a match by name or people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Stranger,
    Unsure,
}

/// People of a chat: lower-cased name to the name as written.
pub(crate) type People = BTreeMap<String, String>;

/// Matches the chats of one file against the chats stored for its platform.
#[derive(Debug)]
pub(crate) struct Matcher {
    stored: Vec<StoredChat>,
    /// Labels in use on the platform (lower-cased), new ones included.
    taken: HashSet<String>,
    /// Lower-cased names that are the user.
    me: HashSet<String>,
    /// `--chat NAME`.
    named: Option<String>,
    /// The chat this very file went to before.
    known: Option<ChatId>,
    /// Chats already resolved in this file.
    resolved: Vec<(String, Option<String>, Resolved)>,
}

/// File names that say nothing about which chat it is.
const GENERIC: &[&str] = &[
    "",
    "_chat",
    "chat",
    "result",
    "messages",
    "message",
    "message_1",
    "export",
    "chat history",
    "whatsapp chat",
];

fn generic(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    GENERIC.contains(&name.as_str())
}

/// How two sets of people relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    Equal,
    /// One holds the other (a group that grew or shrank).
    Within,
    /// Some in common.
    Overlap,
    Disjoint,
    /// One side has nobody but me.
    Empty,
}

fn relation(a: &HashSet<String>, b: &HashSet<String>) -> Relation {
    if a.is_empty() || b.is_empty() {
        Relation::Empty
    } else if a == b {
        Relation::Equal
    } else if a.is_subset(b) || b.is_subset(a) {
        Relation::Within
    } else if a.intersection(b).next().is_some() {
        Relation::Overlap
    } else {
        Relation::Disjoint
    }
}

impl Matcher {
    pub(crate) fn new(stored: Vec<StoredChat>, me: &HashSet<String>, named: Option<String>) -> Matcher {
        Matcher {
            taken: stored.iter().map(|c| c.name.to_lowercase()).collect(),
            stored,
            me: me.clone(),
            named,
            known: None,
            resolved: Vec::new(),
        }
    }

    /// The file is one imported before, into `chat` (when it still exists).
    pub(crate) fn knowing(mut self, chat: Option<ChatId>) -> Matcher {
        self.known = chat.filter(|id| self.stored.iter().any(|c| c.id == *id));
        self
    }

    /// How many different chats of the file were resolved.
    pub(crate) fn chats(&self) -> usize {
        self.resolved.len()
    }

    /// What the file's own messages showed of the chat `name` was matched
    /// to by its name or people: `Stranger`, none of them is stored there,
    /// so it is another chat that shares them (a new one); `Unsure`, some
    /// are, so every message is checked instead of skipping spans.
    fn revise(&mut self, name: &str, verdict: Verdict, people: Option<&People>) {
        let hint = clean_name(name);
        let label = self.label(&hint, people);
        let Some(index) = self
            .resolved
            .iter()
            .position(|(n, k, _)| *n == hint && k.is_none())
        else {
            return;
        };
        let revised = match verdict {
            Verdict::Stranger => {
                let new = self.new_chat(&label, None, How::New);
                self.taken.insert(new.label.to_lowercase());
                new
            }
            Verdict::Unsure => Resolved {
                sure: false,
                spans: Vec::new(),
                ..self.resolved[index].2.clone()
            },
        };
        self.resolved[index].2 = revised;
    }

    /// Resolves the chat the export calls `name` (with its own id `key`,
    /// and `people` writing in it when they are known up front).
    pub(crate) fn resolve(&mut self, name: &str, key: Option<&str>, people: Option<&People>) -> Resolved {
        let hint = clean_name(name);
        if let Some((_, _, done)) = self
            .resolved
            .iter()
            .find(|(n, k, _)| *n == hint && k.as_deref() == key)
        {
            return done.clone();
        }
        let resolved = self.decide(&hint, key, people);
        if resolved.chat.is_none() {
            self.taken.insert(resolved.label.to_lowercase());
        }
        self.resolved
            .push((hint, key.map(str::to_owned), resolved.clone()));
        resolved
    }

    fn decide(&self, hint: &str, key: Option<&str>, people: Option<&People>) -> Resolved {
        if let Some(named) = &self.named {
            return match self.stored.iter().find(|c| c.name.eq_ignore_ascii_case(named)) {
                Some(chat) => self.existing(chat, key, How::Named, true),
                None => self.new_chat(named, key, How::Named),
            };
        }
        if let Some(chat) = self.known.and_then(|id| self.stored.iter().find(|c| c.id == id))
            && key.is_none()
        {
            return self.existing(chat, None, How::SameFile, true);
        }
        if let Some(key) = key {
            if let Some(chat) = self.stored.iter().find(|c| c.key.as_deref() == Some(key)) {
                return self.existing(chat, Some(key), How::SameId, true);
            }
            // A chat stored before exports' ids were kept, under this name.
            if let Some(chat) = self
                .stored
                .iter()
                .find(|c| c.key.is_none() && c.name.eq_ignore_ascii_case(hint))
            {
                return self.existing(chat, Some(key), How::SameName, false);
            }
            return self.new_chat(&self.label(hint, people), Some(key), How::New);
        }
        let wanted: HashSet<String> = people
            .map(|p| p.keys().filter(|n| !self.me.contains(*n)).cloned().collect())
            .unwrap_or_default();
        let mut best: Option<(u8, &StoredChat, bool, How)> = None;
        for chat in &self.stored {
            let members: HashSet<String> = chat
                .members
                .iter()
                .filter(|(name, is_me)| !is_me && !self.me.contains(&name.to_lowercase()))
                .map(|(name, _)| name.to_lowercase())
                .collect();
            let same_name = !generic(hint) && chat.name.eq_ignore_ascii_case(hint);
            let loose = generic(hint) || generic(&chat.name);
            let candidate = match (same_name, relation(&wanted, &members)) {
                (true, Relation::Equal) => Some((0, true, How::SameNameAndPeople)),
                (true, Relation::Within) => Some((1, true, How::SameNameAndPeople)),
                (false, Relation::Equal) if loose => Some((1, true, How::SamePeople)),
                (true, Relation::Overlap) => Some((2, false, How::SameNameAndPeople)),
                (false, Relation::Equal) => Some((2, false, How::SamePeople)),
                (true, Relation::Empty) => Some((3, false, How::SameName)),
                _ => None,
            };
            if let Some((rank, sure, how)) = candidate
                && best.as_ref().is_none_or(|(r, ..)| rank < *r)
            {
                best = Some((rank, chat, sure, how));
            }
        }
        match best {
            Some((_, chat, sure, how)) => self.existing(chat, None, how, sure),
            None => self.new_chat(&self.label(hint, people), None, How::New),
        }
    }

    fn existing(&self, chat: &StoredChat, key: Option<&str>, how: How, sure: bool) -> Resolved {
        Resolved {
            chat: Some(chat.id),
            label: chat.name.clone(),
            key: key.map(str::to_owned),
            how,
            sure,
            spans: if sure { chat.spans.clone() } else { Vec::new() },
            langs: chat.langs.clone(),
        }
    }

    fn new_chat(&self, label: &str, key: Option<&str>, how: How) -> Resolved {
        Resolved {
            chat: None,
            label: self.free_label(label),
            key: key.map(str::to_owned),
            how,
            sure: true,
            spans: Vec::new(),
            langs: Vec::new(),
        }
    }

    /// The name a new chat goes by: the export's, or (when that says
    /// nothing) the people in it.
    fn label(&self, hint: &str, people: Option<&People>) -> String {
        if !generic(hint) {
            return hint.to_owned();
        }
        let names: Vec<&str> = people
            .into_iter()
            .flatten()
            .filter(|(lower, _)| !self.me.contains(*lower))
            .map(|(_, name)| name.as_str())
            .collect();
        match names.as_slice() {
            [] if hint.is_empty() => "chat".to_owned(),
            [] => hint.to_owned(),
            [a] => (*a).to_owned(),
            [a, b] => format!("{a}, {b}"),
            [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
        }
    }

    /// `label`, or `label (2)`, `label (3)`, … when another chat has it.
    fn free_label(&self, label: &str) -> String {
        if !self.taken.contains(&label.to_lowercase()) {
            return label.to_owned();
        }
        (2..)
            .map(|n| format!("{label} ({n})"))
            .find(|l| !self.taken.contains(&l.to_lowercase()))
            .unwrap_or_else(|| label.to_owned())
    }
}

/// The people of a single-chat export, from the senders a dry run counted.
pub(crate) fn people_of<'a>(senders: impl IntoIterator<Item = &'a String>) -> People {
    senders
        .into_iter()
        .map(|s| clean_name(s))
        .filter(|s| !s.is_empty())
        .map(|s| (s.to_lowercase(), s))
        .collect()
}

/// Why an import stopped at the chat check.
#[derive(Debug)]
pub(crate) enum CheckError {
    Unreadable(mutual_import::Error),
    /// The file's local times, read in this zone, do not line up with the
    /// stored messages of its chat: why, in words.
    Moved(String),
    Other(anyhow::Error),
}

impl From<mutual_store::StoreError> for CheckError {
    fn from(e: mutual_store::StoreError) -> Self {
        CheckError::Other(e.into())
    }
}

/// How many overlapping messages the chat check compares.
const SAMPLES: usize = 64;

/// Resolves the one chat of an export without ids, and when it was matched
/// to a stored chat by its name or its people, looks the file's first
/// messages inside what earlier imports covered up in that chat: all there,
/// it is that chat; none there, it is another chat that shares its name or
/// people (two contacts called Alex, a group where only Alex writes), so a
/// new one; some, every message is checked instead of skipping spans. When
/// the chat was stored with its times read in another zone, the messages
/// must line up in `zone` too: either they all do (the phone moved, and the
/// new zone is right), or the import is refused, since read in the wrong
/// zone every message would be counted twice.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_chat(
    tx: &mutual_store::Tx<'_>,
    input: &mutual_import::Input,
    format: mutual_import::Format,
    options: &mutual_import::Options,
    matcher: &mut Matcher,
    people: &People,
    stored: &[StoredChat],
    zone: Option<&str>,
    seed: u64,
) -> Result<(), CheckError> {
    let mut first = FirstChat(None);
    match format.parse(input, options, &mut first) {
        Ok(()) | Err(mutual_import::Error::Stopped) => {}
        Err(e) => return Err(CheckError::Unreadable(e)),
    }
    let Some(name) = first.0 else {
        return Ok(());
    };
    let resolved = matcher.resolve(&name, None, Some(people));
    let Some(chat) = resolved.chat.and_then(|id| stored.iter().find(|c| c.id == id)) else {
        return Ok(());
    };
    let by_likeness = matches!(
        resolved.how,
        How::SameNameAndPeople | How::SamePeople | How::SameName
    );
    let old = chat
        .zone
        .as_deref()
        .filter(|old| zone.is_some_and(|zone| zone != *old));
    if !by_likeness && old.is_none() {
        return Ok(());
    }
    let old_tz = old.and_then(|old| jiff::tz::TimeZone::get(old).ok());
    let mut sampler = Sampler {
        chat: &name,
        seed,
        spans: &chat.spans,
        old: old_tz,
        samples: Vec::new(),
    };
    match format.parse(input, options, &mut sampler) {
        Ok(()) | Err(mutual_import::Error::Stopped) => {}
        Err(e) => return Err(CheckError::Unreadable(e)),
    }
    let db = tx.db();
    let (mut new, mut before) = (0, 0);
    for sample in &sampler.samples {
        let Some(sender) = db.sender_named(format.platform(), &sample.sender)? else {
            continue;
        };
        new += usize::from(db.has_message(chat.id, sender, sample.minute, sample.fingerprint)?);
        before += usize::from(db.has_message(chat.id, sender, sample.old_minute, sample.fingerprint)?);
    }
    let n = sampler.samples.len();
    if n == 0 || new == n {
        return Ok(());
    }
    if by_likeness && new == 0 && before == 0 {
        matcher.revise(&name, Verdict::Stranger, Some(people));
        return Ok(());
    }
    if let Some(old) = old {
        let advice = if before > new {
            format!("add --tz {old} to read it as before")
        } else {
            format!("check which zone the phone was in when it exported (the chat was read in {old} before)")
        };
        return Err(CheckError::Moved(format!(
            "the chat '{}' was imported before with its times read in {old}; read in {}, only {new} of {n} messages both imports hold line up, and the others would be counted twice; {advice}",
            chat.name,
            zone.unwrap_or_default()
        )));
    }
    matcher.revise(&name, Verdict::Unsure, Some(people));
    Ok(())
}

/// The name of the first chat an export holds.
struct FirstChat(Option<String>);

impl mutual_import::Sink for FirstChat {
    fn message(&mut self, m: &mutual_import::Message<'_>) -> Result<(), mutual_import::Stop> {
        if m.kind == mutual_import::Kind::System {
            return Ok(());
        }
        self.0 = Some(m.chat.to_owned());
        Err(mutual_import::Stop)
    }

    fn diagnostic(&mut self, _: mutual_import::Diagnostic) {}
}

/// A message of the file inside what an earlier import covered.
struct Sample {
    sender: String,
    fingerprint: u64,
    /// Its minute with the times read in the new zone, and in the old one.
    minute: i64,
    old_minute: i64,
}

/// Collects the first messages of `chat` that fall inside the covered
/// spans, read in either zone.
struct Sampler<'a> {
    chat: &'a str,
    seed: u64,
    spans: &'a [Span],
    /// The zone the chat's times were read in before, when another.
    old: Option<jiff::tz::TimeZone>,
    samples: Vec<Sample>,
}

impl mutual_import::Sink for Sampler<'_> {
    fn message(&mut self, m: &mutual_import::Message<'_>) -> Result<(), mutual_import::Stop> {
        if m.kind == mutual_import::Kind::System || m.chat != self.chat {
            return Ok(());
        }
        let minute = mutual_store::minute_of(m.utc);
        let old_minute = match &self.old {
            Some(old) => match m.local.to_zoned(old.clone()) {
                Ok(old) => mutual_store::minute_of(old.timestamp()),
                Err(_) => return Ok(()),
            },
            None => minute,
        };
        if super::merge::covers(self.spans, minute) || super::merge::covers(self.spans, old_minute) {
            self.samples.push(Sample {
                sender: clean_name(m.sender),
                fingerprint: super::merge::fingerprint(self.seed, m.kind, m.text),
                minute,
                old_minute,
            });
        }
        if self.samples.len() >= SAMPLES {
            Err(mutual_import::Stop)
        } else {
            Ok(())
        }
    }

    fn diagnostic(&mut self, _: mutual_import::Diagnostic) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: i64, name: &str, key: Option<&str>, members: &[&str]) -> StoredChat {
        StoredChat {
            id: ChatId(id),
            name: name.to_owned(),
            key: key.map(str::to_owned),
            zone: None,
            members: members
                .iter()
                .map(|m| (m.to_string(), *m == "Me"))
                .chain([("Me".to_owned(), true)])
                .collect(),
            spans: vec![Span {
                first_minute: 10,
                last_minute: 20,
            }],
            langs: Vec::new(),
        }
    }

    fn people(names: &[&str]) -> People {
        people_of(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
    }

    fn matcher(chats: Vec<StoredChat>) -> Matcher {
        Matcher::new(chats, &HashSet::from(["me".to_owned()]), None)
    }

    #[test]
    fn two_ios_exports_of_different_chats_are_two_chats() {
        let mut m = matcher(vec![stored(1, "_chat", None, &["Sam"])]);
        let kim = m.resolve("_chat", None, Some(&people(&["Kim", "Me"])));
        assert_eq!((kim.chat, kim.label.as_str(), kim.how), (None, "Kim", How::New));
    }

    #[test]
    fn the_same_people_under_another_file_name_are_the_same_chat() {
        let mut m = matcher(vec![stored(1, "Sam Lee", None, &["Sam Lee"])]);
        let ios = m.resolve("_chat", None, Some(&people(&["Sam Lee", "Me"])));
        assert_eq!(
            (ios.chat, ios.how, ios.sure),
            (Some(ChatId(1)), How::SamePeople, true)
        );
        assert_eq!(ios.spans.len(), 1, "a sure match may skip what was covered");
        let renamed = m.resolve("newer", None, Some(&people(&["Sam Lee", "Me"])));
        assert_eq!(
            (renamed.chat, renamed.sure, renamed.spans.len()),
            (Some(ChatId(1)), false, 0),
            "two meaningful names, the same people: checked message by message"
        );
    }

    #[test]
    fn a_group_that_grew_is_the_same_group() {
        let mut m = matcher(vec![stored(1, "Book club", None, &["Ana", "Bo"])]);
        let later = m.resolve("Book club", None, Some(&people(&["Ana", "Bo", "Cy", "Me"])));
        assert_eq!((later.chat, later.sure), (Some(ChatId(1)), true));
        let mut m = matcher(vec![stored(1, "Book club", None, &["Ana", "Bo"])]);
        let other = m.resolve("Book club", None, Some(&people(&["Dee", "Me"])));
        assert_eq!((other.chat, other.label.as_str()), (None, "Book club (2)"));
    }

    #[test]
    fn export_ids_tell_apart_chats_that_share_a_name() {
        let mut m = matcher(vec![stored(1, "Alex", Some("7"), &["Alex"])]);
        let same = m.resolve("Alex", Some("7"), None);
        assert_eq!(
            (same.chat, same.how, same.sure),
            (Some(ChatId(1)), How::SameId, true)
        );
        let other = m.resolve("Alex", Some("8"), None);
        assert_eq!((other.chat, other.label.as_str()), (None, "Alex (2)"));
        assert_eq!(
            m.resolve("Alex", Some("8"), None),
            other,
            "one chat of the file, resolved once"
        );
        let third = m.resolve("Alex", Some("9"), None);
        assert_eq!(third.label, "Alex (3)");
    }

    #[test]
    fn a_chat_stored_without_an_id_is_adopted_but_checked() {
        let mut m = matcher(vec![stored(1, "Alex", None, &["Alex"])]);
        let adopted = m.resolve("Alex", Some("7"), None);
        assert_eq!(
            (adopted.chat, adopted.key.as_deref(), adopted.sure),
            (Some(ChatId(1)), Some("7"), false)
        );
    }

    #[test]
    fn a_named_chat_wins() {
        let mut m = Matcher::new(
            vec![stored(1, "Sam", None, &["Sam"])],
            &HashSet::new(),
            Some("sam".to_owned()),
        );
        let named = m.resolve("_chat", None, Some(&people(&["Kim"])));
        assert_eq!(
            (named.chat, named.how, named.sure),
            (Some(ChatId(1)), How::Named, true)
        );
        let mut fresh = Matcher::new(Vec::new(), &HashSet::new(), Some("Trip".to_owned()));
        assert_eq!(fresh.resolve("_chat", None, None).label, "Trip");
    }
}
