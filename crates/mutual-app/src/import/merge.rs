//! The import pipeline. A parser thread turns each message into a row
//! (chat and sender as indices local to the file, fingerprint, ordinal,
//! and the language its text is read in, which depends on the chat's
//! texts before it) and sends rows in numbered batches; feature workers
//! (one per core) compute each text's features in its language and drop
//! the text unless it is kept; the calling thread, which owns the
//! transaction, takes the batches back in order, maps the indices to stored
//! ids and writes the rows that an earlier import has not covered. The
//! stages run side by side.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use jiff::Timestamp;
use mutual_analysis::lang::{Evidence, Lang, Tally, evidence, features_as};
use mutual_analysis::text::Features;
use mutual_core::{ChatId, Platform, SenderId};
use mutual_import::{Diagnostic, Format, Input, Kind, Message, Options, Sink, Stop};
use mutual_store::{NewMessage, Span, Tx, minute_of};
use rustc_hash::FxHashMap;

use super::identity::{How, Matcher, People, Resolved};

/// What the whole import shares.
#[derive(Debug)]
pub(super) struct Settings<'a> {
    pub(super) seed: u64,
    pub(super) keep_text: bool,
    /// Lower-cased names that are the user.
    pub(super) me: &'a HashSet<String>,
}

/// One chat of a file, and how it was matched to a stored one.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ChatMatch {
    #[serde(skip)]
    pub id: ChatId,
    pub name: String,
    pub matched: How,
    /// Every message was checked against the stored ones (the match was
    /// not sure enough to skip what earlier imports covered).
    pub checked_each: bool,
}

/// What one file added.
#[derive(Debug)]
pub(super) struct Outcome {
    pub(super) chats: Vec<ChatMatch>,
    pub(super) new: u64,
    pub(super) known: u64,
    pub(super) system: u64,
    /// Non-system messages per sender in this file.
    pub(super) per_sender: HashMap<SenderId, u64>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Per chat: the first and last message of the rows that stored
    /// something new, whose weeks may change.
    pub(super) touched: HashMap<ChatId, (Timestamp, Timestamp)>,
}

/// Why a file was not imported.
#[derive(Debug)]
pub(super) enum Failure {
    /// The parser could not read it.
    Unreadable(mutual_import::Error),
    /// `--chat` named one chat, and the file holds several.
    SeveralChats,
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<mutual_store::StoreError> for Failure {
    fn from(e: mutual_store::StoreError) -> Self {
        Failure::Other(e.into())
    }
}

/// What is known about one file before it is read.
#[derive(Debug)]
pub(super) struct FileSettings<'a> {
    /// Matches its chats to stored ones.
    pub(super) matcher: Matcher,
    /// The people of its one chat, when a dry run counted them first.
    pub(super) people: Option<&'a People>,
    /// The zone its local times are read in, for formats that write local times.
    pub(super) zone: Option<String>,
}

/// Imports one file inside `tx`. Messages inside the spans that earlier
/// imports covered of the same chat (when it is surely the same) are
/// counted as known without a row being made.
pub(super) fn import_file(
    tx: &Tx<'_>,
    input: &Input,
    format: Format,
    options: &Options,
    settings: &Settings<'_>,
    file: FileSettings<'_>,
    progress: &dyn Fn(u64),
) -> Result<Outcome, Failure> {
    let FileSettings {
        mut matcher,
        people,
        zone,
    } = file;
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    std::thread::scope(|scope| {
        // The channels live in this closure, so that any early return drops
        // the store's receiver, which stops the workers; the workers alone
        // hold the parser's receiver, so their stopping stops the parser.
        let (send, parsed_batches) = sync_channel::<Batch>(8);
        let (featured, receive) = sync_channel::<Batch>(8);
        // Emptied batches go back to the parser to be filled again: fresh
        // memory for every batch costs more than the rows themselves.
        let (give_back, given_back) = sync_channel::<Batch>(8);
        let parsed_batches = Arc::new(Mutex::new(parsed_batches));
        let matcher = &mut matcher;
        let parser = scope.spawn(move || {
            let mut prepare = Prepare::new(send, given_back, settings.seed, matcher, people);
            let parsed = format.parse(input, options, &mut prepare);
            let sent = prepare.send();
            let several = prepare.several_chats;
            (parsed.and(sent), prepare.into_totals(), several)
        });
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                let featured = featured.clone();
                let parsed_batches = Arc::clone(&parsed_batches);
                scope.spawn(move || featurize(&parsed_batches, &featured))
            })
            .collect();
        drop((featured, parsed_batches));
        let stored = Store::new(
            tx,
            format.platform(),
            settings.me,
            zone.as_deref(),
            settings.keep_text,
        )
        .and_then(|mut store| store.receive(&receive, &give_back, progress).map(|()| store));
        drop((receive, give_back));
        let mut stopped = false;
        for worker in workers {
            stopped |= worker.join().is_err();
        }
        let (parsed, totals, several) = parser
            .join()
            .map_err(|_| anyhow!("the parser thread stopped unexpectedly"))?;
        if several {
            return Err(Failure::SeveralChats);
        }
        if stopped {
            return Err(anyhow!("a feature worker stopped unexpectedly").into());
        }
        let store = stored?;
        parsed.map_err(Failure::Unreadable)?;
        Ok(store.finish(totals)?)
    })
}

/// Events in the order the parser sent them, numbered so that the store
/// can put batches back in order after the feature workers, with the texts
/// of their rows in one buffer: one allocation a batch, not one a message.
#[derive(Debug, Default)]
struct Batch {
    seq: u64,
    events: Vec<Event>,
    texts: String,
}

/// A feature worker: computes the text features of each row of the batches
/// it takes.
fn featurize(batches: &Mutex<Receiver<Batch>>, featured: &SyncSender<Batch>) {
    loop {
        let next = match batches.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(mut batch) = next else {
            return;
        };
        for event in &mut batch.events {
            if let Event::Row(row) = event
                && row.kind == Kind::Text
            {
                let text = row
                    .text
                    .clone()
                    .and_then(|r| batch.texts.get(r))
                    .unwrap_or_default();
                row.features = Some(features_as(text, row.reading));
            }
        }
        if featured.send(batch).is_err() {
            return;
        }
    }
}

/// One row, with ids local to the file.
#[derive(Debug)]
struct Row {
    chat: u32,
    sender: u32,
    at: Timestamp,
    fingerprint: u64,
    ordinal: u32,
    kind: Kind,
    /// Text features (with characters, words and emoji), filled in by a
    /// feature worker; `None` for media, calls and deletions.
    features: Option<Features>,
    edited: bool,
    reply: bool,
    /// Where its text is in its batch's texts.
    text: Option<std::ops::Range<usize>>,
    /// The language it is read in: its own words', or where they do not
    /// tell (`ok`, `jaja`, an emoji) its chat's so far, decided by the
    /// parser's thread, which sees the texts in order; English when
    /// nothing tells ([`Evidence::None`]).
    reading: Evidence,
}

/// What the parser thread sends, in order.
#[derive(Debug)]
enum Event {
    /// The next chat index is this chat.
    Chat(Resolved),
    /// The next sender index names this sender.
    Sender {
        name: String,
        from_me: bool,
    },
    Row(Row),
    Diagnostic(Diagnostic),
}

const BATCH: usize = 2048;
/// Ordinal counts kept before old ones are let go (a few MB).
const ORDINALS: usize = 1 << 12;
/// How far back a file may revisit a minute once counts are let go.
const ORDINAL_WINDOW_MINUTES: i64 = 2 * 24 * 60;
/// Text bytes in a batch before it is sent anyway: with at most 8 batches
/// queued on each channel and one per worker, the import's memory stays
/// bounded whatever the messages' sizes.
const BATCH_BYTES: usize = 1 << 20;

/// What the parser thread learned besides the rows.
#[derive(Debug, Default)]
struct Totals {
    system: u64,
    /// Messages inside spans that earlier imports covered.
    covered: u64,
    /// Per chat index: the first and last minute of its messages.
    chat_minutes: Vec<(i64, i64)>,
    /// Per sender index: messages.
    sender_messages: Vec<u64>,
    /// Per (chat, sender) index: the latest message.
    members: HashMap<(u32, u32), Timestamp>,
}

/// The parser thread's sink.
struct Prepare<'a> {
    send: SyncSender<Batch>,
    /// Batches the store has emptied, to fill again.
    given_back: Receiver<Batch>,
    batch: Batch,
    /// The number of the next batch sent.
    sent: u64,
    seed: u64,
    /// Chat indices by the export's name and id of the chat.
    chats: HashMap<(String, Option<String>), u32>,
    last_chat: Option<(String, Option<String>, u32)>,
    matcher: &'a mut Matcher,
    people: Option<&'a People>,
    /// What earlier imports covered of each chat (by index), where the
    /// match is sure; empty otherwise.
    covered: Vec<Vec<Span>>,
    /// Per chat index, how often each language was read in it (stored
    /// and in this file so far): the language its short texts take.
    tallies: Vec<Tally>,
    /// `--chat` named one chat and the file holds more.
    several_chats: bool,
    /// Sender indices by name, apart for messages the export marks as mine.
    senders: [FxHashMap<String, u32>; 2],
    /// Identical messages so far by chat, sender, minute and fingerprint.
    ordinals: FxHashMap<(u32, u32, i64, u64), u32>,
    /// Per chat index, the newest minute a message was counted in.
    newest: Vec<i64>,
    /// How many counts make the next pruning.
    prune_at: usize,
    totals: Totals,
}

impl<'a> Prepare<'a> {
    fn new(
        send: SyncSender<Batch>,
        given_back: Receiver<Batch>,
        seed: u64,
        matcher: &'a mut Matcher,
        people: Option<&'a People>,
    ) -> Self {
        Prepare {
            send,
            given_back,
            batch: Batch {
                events: Vec::with_capacity(BATCH),
                ..Batch::default()
            },
            seed,
            sent: 0,
            chats: HashMap::new(),
            last_chat: None,
            matcher,
            people,
            covered: Vec::new(),
            tallies: Vec::new(),
            several_chats: false,
            senders: [FxHashMap::default(), FxHashMap::default()],
            ordinals: FxHashMap::default(),
            newest: Vec::new(),
            prune_at: ORDINALS,
            totals: Totals::default(),
        }
    }

    fn push(&mut self, event: Event) -> Result<(), Stop> {
        self.batch.events.push(event);
        if self.batch.events.len() >= BATCH || self.batch.texts.len() >= BATCH_BYTES {
            self.send().map_err(|_| Stop)?;
        }
        Ok(())
    }

    /// Sends what is batched; fails when the receiving side has stopped.
    fn send(&mut self) -> Result<(), mutual_import::Error> {
        if self.batch.events.is_empty() {
            return Ok(());
        }
        let empty = self.given_back.try_recv().unwrap_or_else(|_| Batch {
            events: Vec::with_capacity(BATCH),
            ..Batch::default()
        });
        let mut batch = std::mem::replace(&mut self.batch, empty);
        batch.seq = self.sent;
        self.sent += 1;
        self.send.send(batch).map_err(|_| mutual_import::Error::Stopped)
    }

    fn into_totals(self) -> Totals {
        self.totals
    }

    fn chat(&mut self, name: &str, key: Option<&str>) -> Result<u32, Stop> {
        if let Some((last, last_key, index)) = &self.last_chat
            && last == name
            && last_key.as_deref() == key
        {
            return Ok(*index);
        }
        let id = (name.to_owned(), key.map(str::to_owned));
        let index = match self.chats.get(&id) {
            Some(&index) => index,
            None => {
                let resolved = self.matcher.resolve(name, key, self.people);
                if resolved.how == How::Named && self.matcher.chats() > 1 {
                    self.several_chats = true;
                    return Err(Stop);
                }
                let index = self.chats.len() as u32;
                self.chats.insert(id.clone(), index);
                self.totals.chat_minutes.push((i64::MAX, i64::MIN));
                self.covered.push(resolved.spans.clone());
                self.tallies.push(stored_tally(&resolved.langs));
                self.push(Event::Chat(resolved))?;
                index
            }
        };
        self.last_chat = Some((id.0, id.1, index));
        Ok(index)
    }

    fn sender(&mut self, name: &str, from_me: bool) -> Result<u32, Stop> {
        if let Some(&index) = self.senders[usize::from(from_me)].get(name) {
            return Ok(index);
        }
        let index = self.totals.sender_messages.len() as u32;
        self.senders[usize::from(from_me)].insert(name.to_owned(), index);
        self.totals.sender_messages.push(0);
        // Names are cleaned on the way in: nothing an export says can take
        // over the terminal that later prints it.
        self.push(Event::Sender {
            name: mutual_core::text::clean_name(name),
            from_me,
        })?;
        Ok(index)
    }

    /// The n-th identical message of this sender in this chat and minute,
    /// counted over the whole file, so that two messages of one file never
    /// share a key (clocks going back revisit a minute). The counts kept
    /// are bounded: past [`ORDINALS`] of them, those more than two days
    /// older than their chat's newest message are let go.
    fn ordinal(&mut self, chat: u32, sender: u32, minute: i64, fingerprint: u64) -> u32 {
        let index = chat as usize;
        if self.newest.len() <= index {
            self.newest.resize(index + 1, i64::MIN);
        }
        self.newest[index] = self.newest[index].max(minute);
        if self.ordinals.len() >= self.prune_at {
            let newest = &self.newest;
            self.ordinals.retain(|&(chat, _, minute, _), _| {
                minute >= newest[chat as usize].saturating_sub(ORDINAL_WINDOW_MINUTES)
            });
            self.prune_at = ORDINALS.max(2 * self.ordinals.len());
        }
        let n = self
            .ordinals
            .entry((chat, sender, minute, fingerprint))
            .or_insert(0);
        let ordinal = *n;
        *n += 1;
        ordinal
    }
}

impl Sink for Prepare<'_> {
    fn message(&mut self, m: &Message<'_>) -> Result<(), Stop> {
        if m.kind == Kind::System {
            self.totals.system += 1;
            return Ok(());
        }
        let chat = self.chat(m.chat, m.chat_id)?;
        let sender = self.sender(m.sender, m.from_me)?;
        let minute = minute_of(m.utc);
        if let Some(span) = self.totals.chat_minutes.get_mut(chat as usize) {
            *span = (span.0.min(minute), span.1.max(minute));
        }
        if let Some(n) = self.totals.sender_messages.get_mut(sender as usize) {
            *n += 1;
        }
        let last = self.totals.members.entry((chat, sender)).or_insert(m.utc);
        *last = (*last).max(m.utc);
        if self
            .covered
            .get(chat as usize)
            .is_some_and(|spans| covers(spans, minute))
        {
            self.totals.covered += 1;
            return Ok(());
        }
        // A covered minute is covered whole, so the ordinals of the others
        // do not depend on the messages skipped.
        let fingerprint = fingerprint(self.seed, m.kind, m.text);
        let ordinal = self.ordinal(chat, sender, minute, fingerprint);
        let reading = match self.tallies.get_mut(chat as usize) {
            Some(tally) if m.kind == Kind::Text => tally.read_text(evidence(m.text), m.text),
            _ => Evidence::None,
        };
        let row = Row {
            chat,
            sender,
            at: m.utc,
            fingerprint,
            ordinal,
            kind: m.kind,
            features: None,
            edited: m.edited,
            reply: m.reply_to.is_some(),
            text: (m.kind == Kind::Text).then(|| {
                let texts = &mut self.batch.texts;
                let start = texts.len();
                texts.push_str(m.text);
                start..texts.len()
            }),
            reading,
        };
        self.push(Event::Row(row))
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        // A failed send shows up as the parse's result; nothing to add here.
        let _ = self.push(Event::Diagnostic(diagnostic));
    }
}

/// What identifies a message's content across exports: its kind, and for
/// text its trimmed words. Placeholders differ between apps and languages,
/// so media, calls and deletions are identified by kind alone.
pub(super) fn fingerprint(seed: u64, kind: Kind, text: &str) -> u64 {
    match kind {
        Kind::Text => xxhash_rust::xxh3::xxh3_64_with_seed(text.trim().as_bytes(), seed),
        other => xxhash_rust::xxh3::xxh3_64_with_seed(other.as_str().as_bytes(), seed ^ 0x5bd1_e995),
    }
}

/// Strictly inside a covered span: the minutes at a span's edges may hold
/// messages that the earlier export had not seen yet.
pub(super) fn covers(spans: &[Span], minute: i64) -> bool {
    spans
        .iter()
        .any(|s| s.first_minute < minute && minute < s.last_minute)
}

/// A chat's languages as stored (`lang` codes and [`mutual_store::UNREAD`]).
fn stored_tally(langs: &[(String, u64)]) -> Tally {
    let mut tally = Tally::default();
    for (lang, n) in langs {
        let stored = match lang.parse::<Lang>() {
            Ok(lang) => Evidence::Lang(lang),
            Err(_) if lang == mutual_store::UNREAD => Evidence::Unread,
            Err(_) => continue,
        };
        tally.add(stored, (*n).min(u64::from(u32::MAX)) as u32);
    }
    tally
}

/// The calling thread's half: ids, covered spans, writes.
struct Store<'t, 'c> {
    tx: &'t Tx<'c>,
    platform: Platform,
    me: &'t HashSet<String>,
    /// The zone local times were read in, to remember per chat.
    zone: Option<&'t str>,
    matches: Vec<ChatMatch>,
    writer: mutual_store::MessageWriter<'t>,
    keep_text: bool,
    chats: Vec<ChatId>,
    senders: Vec<SenderId>,
    written: u64,
    read: u64,
    diagnostics: Vec<Diagnostic>,
}

impl<'t, 'c> Store<'t, 'c> {
    fn new(
        tx: &'t Tx<'c>,
        platform: Platform,
        me: &'t HashSet<String>,
        zone: Option<&'t str>,
        keep_text: bool,
    ) -> Result<Self> {
        Ok(Store {
            tx,
            platform,
            me,
            zone,
            matches: Vec::new(),
            writer: tx.message_writer()?,
            keep_text,
            chats: Vec::new(),
            senders: Vec::new(),
            written: 0,
            read: 0,
            diagnostics: Vec::new(),
        })
    }

    /// Takes the batches in the order the parser sent them.
    fn receive(
        &mut self,
        receive: &Receiver<Batch>,
        give_back: &SyncSender<Batch>,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let mut next = 0;
        let mut early: std::collections::BTreeMap<u64, Batch> = std::collections::BTreeMap::new();
        for batch in receive {
            early.insert(batch.seq, batch);
            while let Some(mut batch) = early.remove(&next) {
                next += 1;
                for event in batch.events.drain(..) {
                    self.take(event, &batch.texts)?;
                }
                batch.texts.clear();
                // The parser has enough when the way back is full.
                let _ = give_back.try_send(batch);
            }
            progress(self.read);
        }
        if !early.is_empty() {
            return Err(anyhow!("messages were lost between the parser and the store"));
        }
        Ok(())
    }

    fn take(&mut self, event: Event, texts: &str) -> Result<()> {
        match event {
            Event::Chat(resolved) => {
                let chat = match resolved.chat {
                    Some(chat) => {
                        self.tx
                            .set_chat_identity(chat, resolved.key.as_deref(), self.zone)?;
                        chat
                    }
                    None => self.tx.new_chat(
                        self.platform,
                        &resolved.label,
                        resolved.key.as_deref(),
                        self.zone,
                    )?,
                };
                self.chats.push(chat);
                self.matches.push(ChatMatch {
                    id: chat,
                    name: resolved.label,
                    matched: resolved.how,
                    checked_each: !resolved.sure,
                });
            }
            Event::Sender { name, from_me } => {
                let is_me = from_me || self.me.contains(&name.to_lowercase());
                self.senders.push(self.tx.sender(self.platform, &name, is_me)?);
            }
            Event::Diagnostic(d) => self.diagnostics.push(d),
            Event::Row(row) => self.row(row, texts)?,
        }
        Ok(())
    }

    fn row(&mut self, row: Row, texts: &str) -> Result<()> {
        self.read += 1;
        let (Some(&chat), Some(&sender)) = (
            self.chats.get(row.chat as usize),
            self.senders.get(row.sender as usize),
        ) else {
            return Err(anyhow!("a message arrived before its chat or sender"));
        };
        self.written += 1;
        self.writer.push(&NewMessage {
            chat,
            sender,
            at: row.at,
            fingerprint: row.fingerprint,
            ordinal: row.ordinal,
            kind: row.kind.as_str(),
            chars: row.features.map_or(0, |f| f.chars),
            words: row.features.map_or(0, |f| f.words),
            emoji: row.features.map_or(0, |f| f.emoji),
            edited: row.edited,
            reply: row.reply,
            text: row.text.filter(|_| self.keep_text).and_then(|r| texts.get(r)),
            features: row.features.as_ref().map(crate::chats::stored),
            lang: match (row.kind, row.reading) {
                (Kind::Text, Evidence::Lang(lang)) => Some(lang.as_str()),
                (Kind::Text, Evidence::Unread) => Some(mutual_store::UNREAD),
                (Kind::Text, Evidence::None) => Some(Lang::En.as_str()),
                _ => None,
            },
        })?;
        Ok(())
    }

    /// Stores what is queued, records what the file covered and who wrote.
    fn finish(self, totals: Totals) -> Result<Outcome> {
        let written = self.writer.finish()?;
        let new = written.new;
        for (chat, &(first_minute, last_minute)) in self.chats.iter().zip(&totals.chat_minutes) {
            if first_minute <= last_minute {
                self.tx.cover(
                    *chat,
                    Span {
                        first_minute,
                        last_minute,
                    },
                )?;
            }
        }
        for (&(chat, sender), &last) in &totals.members {
            if let (Some(chat), Some(&sender)) =
                (self.chats.get(chat as usize), self.senders.get(sender as usize))
            {
                self.tx.touch_member(*chat, sender, last)?;
            }
        }
        let mut per_sender = HashMap::new();
        for (&sender, &n) in self.senders.iter().zip(&totals.sender_messages) {
            *per_sender.entry(sender).or_insert(0) += n;
        }
        Ok(Outcome {
            chats: self.matches,
            new,
            known: totals.covered + self.written - new,
            system: totals.system,
            per_sender,
            diagnostics: self.diagnostics,
            touched: written.touched,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_any_language_are_one_media_message() {
        assert_eq!(
            fingerprint(7, Kind::Media, "<Media omitted>"),
            fingerprint(7, Kind::Media, "image omitted")
        );
        assert_ne!(fingerprint(7, Kind::Text, "hi"), fingerprint(8, Kind::Text, "hi"));
        assert_eq!(
            fingerprint(7, Kind::Text, "hi "),
            fingerprint(7, Kind::Text, "hi")
        );
    }
}
