//! Imported chat messages: chats, senders, messages, the spans of each chat
//! that earlier imports covered, and who wrote in each chat.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use mutual_core::{ChatId, FriendId, Platform, SenderId};
use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::sql::RowExt;
use crate::{Db, Tx};

/// One message to store. The caller computes the fingerprint and the
/// ordinal (the n-th identical message of that sender in that minute).
#[derive(Clone, Copy, Debug)]
pub struct NewMessage<'a> {
    pub chat: ChatId,
    pub sender: SenderId,
    pub at: Timestamp,
    pub fingerprint: u64,
    pub ordinal: u32,
    /// The kind's stable name (`text`, `media`, `call`, `deleted`).
    pub kind: &'static str,
    pub chars: u32,
    pub words: u32,
    pub emoji: u32,
    pub edited: bool,
    pub reply: bool,
    /// Only when the user asked to keep message text.
    pub text: Option<&'a str>,
    /// Text features; `None` for media, calls and deletions.
    pub features: Option<StoredFeatures>,
    /// The language it was read in (`en`, `es`, ...), [`UNREAD`] for one
    /// `mutual` cannot read; `None` for media, calls and deletions.
    pub lang: Option<&'static str>,
}

/// A message's text features in the integer units the table keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredFeatures {
    /// VADER proportions, in thousandths.
    pub neg: u16,
    pub neu: u16,
    pub pos: u16,
    /// VADER compound, in ten-thousandths.
    pub compound: i16,
    /// Mean emoji sentiment, in thousandths.
    pub emoji_sentiment: i16,
    pub flags: u16,
    pub style: u64,
}

/// What the analysis reads of one message between me and a friend. The
/// features are zero for media, calls, and messages stored before features
/// were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairMessage {
    pub chat: ChatId,
    pub from_me: bool,
    pub at: Timestamp,
    pub words: u32,
    pub emoji: u32,
    /// VADER compound, in ten-thousandths.
    pub compound: i16,
    /// Mean emoji sentiment, in thousandths.
    pub emoji_sentiment: i16,
    pub flags: u16,
    pub style: u64,
    /// The tone was measured (not a text in a language `mutual` cannot read).
    pub toned: bool,
}

/// The stored `lang` of a text in a language `mutual` cannot read.
pub const UNREAD: &str = "xx";

/// Inserts messages in batches of [`BATCH`] rows per statement (SQLite's
/// per-statement cost is most of the cost of a narrow row), skipping rows
/// whose key is already stored.
#[derive(Debug)]
pub struct MessageWriter<'t> {
    conn: &'t rusqlite::Connection,
    batch: rusqlite::Statement<'t>,
    values: Vec<Cell>,
    /// Per chat, the first and last moment of the queued rows.
    queued: HashMap<ChatId, (Timestamp, Timestamp)>,
    written: Written,
}

/// What a [`MessageWriter`] stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Messages that were new.
    pub new: u64,
    /// Per chat, the first and last moment of the statements that stored
    /// something: the weeks that may have changed. Rows already stored
    /// change nothing, so a re-import touches nothing.
    pub touched: HashMap<ChatId, (Timestamp, Timestamp)>,
    /// Per chat and language, the new texts (kept in `chat_lang`).
    langs: Vec<(ChatId, &'static str, u64)>,
    /// Chats whose languages are counted again from their messages: a
    /// statement stored some of its rows, and which is not known.
    recount: HashSet<ChatId>,
}

impl Written {
    /// Runs one batched insert of `values` (whole rows), counting what it
    /// stored.
    fn store(
        &mut self,
        stmt: &mut rusqlite::Statement<'_>,
        values: &[Cell],
        queued: &mut HashMap<ChatId, (Timestamp, Timestamp)>,
    ) -> Result<()> {
        let stored = stmt.execute(rusqlite::params_from_iter(values.iter()))?;
        let rows = values.chunks_exact(COLUMNS);
        let langs = rows.filter_map(|row| match (&row[CHAT_COLUMN], &row[LANG_COLUMN]) {
            (Cell::Int(chat), Cell::Name(lang)) => Some((ChatId(*chat), *lang)),
            _ => None,
        });
        if stored == values.len() / COLUMNS {
            for (chat, lang) in langs {
                match self.langs.iter_mut().find(|(c, l, _)| *c == chat && *l == lang) {
                    Some((_, _, n)) => *n += 1,
                    None => self.langs.push((chat, lang, 1)),
                }
            }
        } else if stored > 0 {
            self.recount.extend(langs.map(|(chat, _)| chat));
        }
        self.add(stored, queued);
        Ok(())
    }

    /// Keeps `chat_lang` true to what was stored.
    fn count_langs(&self, conn: &rusqlite::Connection) -> Result<()> {
        let mut add = conn.prepare_cached(
            "INSERT INTO chat_lang (chat_id, lang, messages) VALUES (?1, ?2, ?3)
             ON CONFLICT DO UPDATE SET messages = messages + excluded.messages",
        )?;
        for (chat, lang, n) in &self.langs {
            if !self.recount.contains(chat) {
                add.execute(rusqlite::params![chat.0, lang, *n as i64])?;
            }
        }
        for chat in &self.recount {
            conn.execute("DELETE FROM chat_lang WHERE chat_id = ?1", [chat.0])?;
            conn.execute(
                "INSERT INTO chat_lang (chat_id, lang, messages)
                 SELECT chat_id, lang, count(*) FROM message
                  WHERE chat_id = ?1 AND lang IS NOT NULL GROUP BY lang",
                [chat.0],
            )?;
        }
        Ok(())
    }

    fn add(&mut self, rows: usize, queued: &mut HashMap<ChatId, (Timestamp, Timestamp)>) {
        self.new += rows as u64;
        if rows > 0 {
            for (chat, (first, last)) in queued.drain() {
                let span = self.touched.entry(chat).or_insert((first, last));
                *span = (span.0.min(first), span.1.max(last));
            }
        }
        queued.clear();
    }
}

/// One bound value of a queued row, borrowing what is static.
#[derive(Debug)]
enum Cell {
    Int(i64),
    Name(&'static str),
    Text(String),
    Null,
}

impl rusqlite::ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Int(i) => ValueRef::Integer(*i),
            Cell::Name(s) => ValueRef::Text(s.as_bytes()),
            Cell::Text(s) => ValueRef::Text(s.as_bytes()),
            Cell::Null => ValueRef::Null,
        }))
    }
}

/// Rows per batched statement.
const BATCH: usize = 64;
const COLUMNS: usize = 21;
/// Where a row's chat and language sit among its columns.
const CHAT_COLUMN: usize = 4;
const LANG_COLUMN: usize = 20;
const INSERT: &str = "INSERT OR IGNORE INTO message
   (sender_id, minute, fingerprint, ordinal, chat_id, at, kind, chars, words, emoji, edited, reply, text,
    neg, neu, pos, compound, emoji_sentiment, flags, style, lang)
 VALUES ";

fn insert_sql(rows: usize) -> String {
    let row = format!("({})", vec!["?"; COLUMNS].join(","));
    format!("{INSERT}{}", vec![row; rows].join(","))
}

impl MessageWriter<'_> {
    /// Queues a message; it is stored unless an equal one is (see [`MessageWriter::finish`]).
    pub fn push(&mut self, m: &NewMessage<'_>) -> Result<()> {
        use Cell::{Int as Integer, Name, Null, Text};
        self.values.extend([
            Integer(m.sender.0),
            Integer(minute_of(m.at)),
            // SQLite integers are signed: store the hash's bits as they are.
            Integer(m.fingerprint as i64),
            Integer(m.ordinal.into()),
            Integer(m.chat.0),
            Integer(m.at.as_second()),
            Name(m.kind),
            Integer(m.chars.into()),
            Integer(m.words.into()),
            Integer(m.emoji.into()),
            Integer(m.edited.into()),
            Integer(m.reply.into()),
            m.text.map_or(Null, |t| Text(t.to_owned())),
        ]);
        match m.features {
            Some(f) => self.values.extend([
                Integer(f.neg.into()),
                Integer(f.neu.into()),
                Integer(f.pos.into()),
                Integer(f.compound.into()),
                Integer(f.emoji_sentiment.into()),
                Integer(f.flags.into()),
                // The packed counts use 63 bits: store them as they are.
                Integer(f.style as i64),
            ]),
            None => self.values.extend(std::iter::repeat_with(|| Null).take(7)),
        }
        self.values.push(m.lang.map_or(Null, Name));
        let span = self.queued.entry(m.chat).or_insert((m.at, m.at));
        *span = (span.0.min(m.at), span.1.max(m.at));
        if self.values.len() == BATCH * COLUMNS {
            self.written
                .store(&mut self.batch, &self.values, &mut self.queued)?;
            self.values.clear();
        }
        Ok(())
    }

    /// Stores what is queued; says how many messages were new, and where.
    pub fn finish(mut self) -> Result<Written> {
        if !self.values.is_empty() {
            let rows = self.values.len() / COLUMNS;
            let mut rest = self.conn.prepare(&insert_sql(rows))?;
            self.written.store(&mut rest, &self.values, &mut self.queued)?;
        }
        self.written.count_langs(self.conn)?;
        Ok(self.written)
    }
}

/// The key of a stored message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageKey {
    pub chat: ChatId,
    pub sender: SenderId,
    pub minute: i64,
    /// The stored (signed) bits of the fingerprint.
    pub fingerprint: i64,
    pub ordinal: i64,
}

/// A stored message, whole, as an export of messages writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    pub at: Timestamp,
    pub platform: Platform,
    /// The chat's label.
    pub chat: String,
    pub sender: String,
    pub is_me: bool,
    /// The friend the sender is linked to.
    pub friend: Option<FriendId>,
    /// The kind's stable name (`text`, `media`, `call`, `deleted`).
    pub kind: String,
    pub words: u32,
    pub chars: u32,
    pub emoji: u32,
    pub edited: bool,
    pub reply: bool,
    /// Only when the user kept texts.
    pub text: Option<String>,
    /// `None` for media, calls, deletions and messages stored before features were.
    pub features: Option<StoredFeatures>,
    /// The language the text was read in ([`UNREAD`] for one `mutual`
    /// cannot read); `None` for media and texts stored before languages were.
    pub lang: Option<String>,
}

/// A stored chat and what tells it apart from others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredChat {
    pub id: ChatId,
    /// Its label, unique on its platform.
    pub name: String,
    /// The export's own id of the conversation, where the format has one.
    pub key: Option<String>,
    /// The zone its local times were read in (formats that write local times).
    pub zone: Option<String>,
    /// Who wrote in it: sender names, and whether each is me.
    pub members: Vec<(String, bool)>,
    /// What earlier imports covered, oldest first.
    pub spans: Vec<Span>,
    /// How many of its texts were read in each language (as
    /// [`Db::lang_counts`]).
    pub langs: Vec<(String, u64)>,
}

/// A range of UTC minutes of one chat that an import covered completely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first_minute: i64,
    pub last_minute: i64,
}

/// A sender as the exports name them, with the friend their name or an
/// alias points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderInfo {
    pub id: SenderId,
    pub platform: Platform,
    pub name: String,
    pub is_me: bool,
    pub friend: Option<FriendId>,
    pub messages: u64,
}

/// The start of the `meta` keys that remember which chat an export file
/// went to; a chat's go with it.
pub const IMPORT_FILE_PREFIX: &str = "import_file:";

/// The minute a moment falls in (UTC).
pub fn minute_of(at: Timestamp) -> i64 {
    at.as_second().div_euclid(60)
}

/// Friend of a sender: an alias on the same platform (or on any), else the
/// friend's own name. Case does not matter.
const SENDER_FRIEND: &str = "
    COALESCE(
        (SELECT a.friend_id FROM alias a
          WHERE a.text = s.name COLLATE NOCASE AND a.platform IN (s.platform, '')
          ORDER BY a.platform DESC LIMIT 1),
        (SELECT f.id FROM friend f WHERE f.name = s.name COLLATE NOCASE))";

impl Tx<'_> {
    /// A new chat. `name` must not be taken on `platform` (see
    /// [`Db::chats`]); `key` is the export's own id of the conversation,
    /// `zone` the zone its local times were read in.
    pub fn new_chat(
        &self,
        platform: Platform,
        name: &str,
        key: Option<&str>,
        zone: Option<&str>,
    ) -> Result<ChatId> {
        self.tx.execute(
            "INSERT INTO chat (platform, name, key, zone) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![platform.as_str(), name, key, zone],
        )?;
        Ok(ChatId(self.tx.last_insert_rowid()))
    }

    /// Records what tells a chat apart, where it was not known yet: its
    /// export id (never replaced once set) and the zone of its local times.
    pub fn set_chat_identity(&self, chat: ChatId, key: Option<&str>, zone: Option<&str>) -> Result<()> {
        self.tx.execute(
            "UPDATE chat SET key = coalesce(key, ?2), zone = coalesce(?3, zone) WHERE id = ?1",
            rusqlite::params![chat.0, key, zone],
        )?;
        Ok(())
    }

    /// The sender with this name on this platform, created when new. With
    /// `is_me`, the sender is (from now on) the user.
    pub fn sender(&self, platform: Platform, name: &str, is_me: bool) -> Result<SenderId> {
        self.tx.execute(
            "INSERT INTO sender (platform, name, is_me) VALUES (?1, ?2, ?3)
             ON CONFLICT (platform, name) DO UPDATE SET is_me = is_me OR excluded.is_me",
            rusqlite::params![platform.as_str(), name, is_me],
        )?;
        let id = self.tx.query_row(
            "SELECT id FROM sender WHERE platform = ?1 AND name = ?2",
            [platform.as_str(), name],
            |r| r.get(0),
        )?;
        Ok(SenderId(id))
    }

    /// A writer for many messages.
    pub fn message_writer(&self) -> Result<MessageWriter<'_>> {
        Ok(MessageWriter {
            conn: &self.tx,
            batch: self.tx.prepare(&insert_sql(BATCH))?,
            values: Vec::with_capacity(BATCH * COLUMNS),
            queued: HashMap::new(),
            written: Written::default(),
        })
    }

    /// Records that an import covered `span` of `chat` completely, merging
    /// it with the spans it overlaps or touches.
    pub fn cover(&self, chat: ChatId, span: Span) -> Result<()> {
        let mut merged = span;
        for old in self.db().spans(chat)? {
            if old.first_minute <= merged.last_minute && merged.first_minute <= old.last_minute {
                merged.first_minute = merged.first_minute.min(old.first_minute);
                merged.last_minute = merged.last_minute.max(old.last_minute);
                self.tx.execute(
                    "DELETE FROM chat_span WHERE chat_id = ?1 AND first_minute = ?2",
                    [chat.0, old.first_minute],
                )?;
            }
        }
        self.tx.execute(
            "INSERT INTO chat_span (chat_id, first_minute, last_minute) VALUES (?1, ?2, ?3)",
            [chat.0, merged.first_minute, merged.last_minute],
        )?;
        Ok(())
    }

    /// Records that `sender` writes in `chat`, the latest at `last`.
    pub fn touch_member(&self, chat: ChatId, sender: SenderId, last: Timestamp) -> Result<()> {
        self.tx.execute(
            "INSERT INTO chat_member (chat_id, sender_id, last_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (chat_id, sender_id) DO UPDATE SET last_at = max(last_at, excluded.last_at)",
            rusqlite::params![chat.0, sender.0, last.as_second()],
        )?;
        Ok(())
    }

    /// Stores the features (and counts) of one message.
    pub fn set_features(
        &self,
        key: MessageKey,
        f: &StoredFeatures,
        chars: u32,
        words: u32,
        emoji: u32,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE message SET neg = ?5, neu = ?6, pos = ?7, compound = ?8, emoji_sentiment = ?9,
                        flags = ?10, style = ?11, chars = ?12, words = ?13, emoji = ?14
                  WHERE sender_id = ?1 AND minute = ?2 AND fingerprint = ?3 AND ordinal = ?4 AND chat_id = ?15",
            )?
            .execute(rusqlite::params![
                key.sender.0,
                key.minute,
                key.fingerprint,
                key.ordinal,
                f.neg,
                f.neu,
                f.pos,
                f.compound,
                f.emoji_sentiment,
                f.flags,
                f.style as i64,
                chars,
                words,
                emoji,
                key.chat.0
            ])?;
        Ok(())
    }

    /// Removes the messages a friend sent, and every chat in which nobody
    /// but the friend and me wrote (my side of it included). Returns how
    /// many messages went.
    pub fn forget_messages(&self, friend: FriendId) -> Result<u64> {
        let senders = self.db().senders_of(friend)?;
        let mut removed = 0u64;
        for sender in &senders {
            for chat in chats_only_with(&self.tx, friend, *sender)? {
                removed += self
                    .tx
                    .execute("DELETE FROM message WHERE chat_id = ?1", [chat])?
                    as u64;
                self.tx.execute("DELETE FROM chat WHERE id = ?1", [chat])?;
                self.tx.execute(
                    "DELETE FROM meta WHERE key LIKE ?1 || '%' AND value = ?2",
                    rusqlite::params![IMPORT_FILE_PREFIX, chat.to_string()],
                )?;
            }
            // The chats the sender wrote in keep counting only what stays.
            self.tx.execute(
                "UPDATE chat_lang SET messages = messages - gone.n
                   FROM (SELECT chat_id, lang, count(*) AS n FROM message
                          WHERE sender_id = ?1 AND lang IS NOT NULL GROUP BY chat_id, lang) AS gone
                  WHERE chat_lang.chat_id = gone.chat_id AND chat_lang.lang = gone.lang",
                [sender.0],
            )?;
            self.tx.execute("DELETE FROM chat_lang WHERE messages <= 0", [])?;
            removed +=
                self.tx
                    .execute("DELETE FROM message WHERE sender_id = ?1", [sender.0])? as u64;
            self.tx.execute("DELETE FROM sender WHERE id = ?1", [sender.0])?;
        }
        Ok(removed)
    }
}

/// The chats `sender` writes in where nobody but me and `friend` does: a
/// forget removes them whole.
fn chats_only_with(conn: &rusqlite::Connection, friend: FriendId, sender: SenderId) -> Result<Vec<i64>> {
    let mut only = Vec::new();
    let chats: Vec<i64> = conn
        .prepare_cached("SELECT chat_id FROM chat_member WHERE sender_id = ?1")?
        .query_map([sender.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for chat in chats {
        let others: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM chat_member m JOIN sender s ON s.id = m.sender_id
                  WHERE m.chat_id = ?1 AND s.is_me = 0
                    AND {SENDER_FRIEND} IS NOT ?2"
            ),
            [chat, friend.0],
            |r| r.get(0),
        )?;
        if others == 0 {
            only.push(chat);
        }
    }
    Ok(only)
}

impl Db<'_> {
    /// How many chat messages forgetting `friend` removes: theirs, and
    /// both sides of the chats only the two of us write in.
    pub fn messages_forgetting(&self, friend: FriendId) -> Result<u64> {
        let senders = self.senders_of(friend)?;
        let mut whole = std::collections::BTreeSet::new();
        for sender in &senders {
            whole.extend(chats_only_with(self.conn, friend, *sender)?);
        }
        let count = |sql: &str, param: i64| -> Result<u64> {
            Ok(self.conn.query_row(sql, [param], |r| r.get::<_, i64>(0))?.max(0) as u64)
        };
        let mut messages = 0;
        for chat in &whole {
            messages += count("SELECT count(*) FROM message WHERE chat_id = ?1", *chat)?;
        }
        for sender in &senders {
            let elsewhere: u64 = self
                .conn
                .prepare_cached(
                    "SELECT chat_id, count(*) FROM message WHERE sender_id = ?1 GROUP BY chat_id",
                )?
                .query_map([sender.0], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
                .filter_map(std::result::Result::ok)
                .filter(|(chat, _)| !whole.contains(chat))
                .map(|(_, n)| n.max(0) as u64)
                .sum();
            messages += elsewhere;
        }
        Ok(messages)
    }

    /// The spans of `chat` that earlier imports covered, oldest first.
    pub fn spans(&self, chat: ChatId) -> Result<Vec<Span>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT first_minute, last_minute FROM chat_span WHERE chat_id = ?1 ORDER BY first_minute",
        )?;
        let spans = stmt
            .query_map([chat.0], |r| {
                Ok(Span {
                    first_minute: r.get(0)?,
                    last_minute: r.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(spans)
    }

    /// Every chat on `platform`, with what tells it apart: its export id,
    /// the zone its local times were read in, who wrote in it, and the
    /// spans earlier imports covered.
    pub fn chats(&self, platform: Platform) -> Result<Vec<StoredChat>> {
        let mut chats: Vec<StoredChat> = self
            .conn
            .prepare("SELECT id, name, key, zone FROM chat WHERE platform = ?1 ORDER BY id")?
            .query_map([platform.as_str()], |r| {
                Ok(StoredChat {
                    id: ChatId(r.get(0)?),
                    name: r.get(1)?,
                    key: r.get(2)?,
                    zone: r.get(3)?,
                    members: Vec::new(),
                    spans: Vec::new(),
                    langs: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut members = self.conn.prepare(
            "SELECT s.name, s.is_me FROM chat_member m JOIN sender s ON s.id = m.sender_id
              WHERE m.chat_id = ?1 ORDER BY s.name",
        )?;
        for chat in &mut chats {
            chat.members = members
                .query_map([chat.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            chat.spans = self.spans(chat.id)?;
            chat.langs = self.lang_counts(chat.id)?;
        }
        Ok(chats)
    }

    /// The sender with this name on this platform, if there is one.
    pub fn sender_named(&self, platform: Platform, name: &str) -> Result<Option<SenderId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM sender WHERE platform = ?1 AND name = ?2")?
            .query_row([platform.as_str(), name], |r| Ok(SenderId(r.get(0)?)))
            .optional()?)
    }

    /// Whether `chat` holds a message of `sender` in `minute` with this
    /// fingerprint (any ordinal).
    pub fn has_message(&self, chat: ChatId, sender: SenderId, minute: i64, fingerprint: u64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM message WHERE sender_id = ?1 AND minute = ?2 AND fingerprint = ?3 AND chat_id = ?4
                  LIMIT 1",
            )?
            .query_row(
                rusqlite::params![sender.0, minute, fingerprint as i64, chat.0],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Every sender, with the friend each maps to. `messages` is 0 here:
    /// counting reads every stored message, see [`Db::senders_with_counts`].
    pub fn senders(&self) -> Result<Vec<SenderInfo>> {
        self.sender_rows("0")
    }

    /// Every sender, with the friend each maps to and their stored message count.
    pub fn senders_with_counts(&self) -> Result<Vec<SenderInfo>> {
        self.sender_rows("(SELECT count(*) FROM message m WHERE m.sender_id = s.id)")
    }

    fn sender_rows(&self, count: &str) -> Result<Vec<SenderInfo>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT s.id, s.platform, s.name, s.is_me, {SENDER_FRIEND}, {count}
               FROM sender s ORDER BY s.platform, s.name"
        ))?;
        let mut rows = stmt.query([])?;
        let mut senders = Vec::new();
        while let Some(r) = rows.next()? {
            senders.push(SenderInfo {
                id: SenderId(r.get(0)?),
                platform: r.parsed(1, "sender.platform")?,
                name: r.get(2)?,
                is_me: r.get(3)?,
                friend: r.get::<_, Option<i64>>(4)?.map(FriendId),
                messages: r.get::<_, i64>(5)?.max(0) as u64,
            });
        }
        Ok(senders)
    }

    /// The senders that are this friend.
    pub fn senders_of(&self, friend: FriendId) -> Result<Vec<SenderId>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT s.id FROM sender s WHERE {SENDER_FRIEND} = ?1"))?;
        let ids = stmt
            .query_map([friend.0], |r| Ok(SenderId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The latest message up to `as_of` that the friend sent, or that I sent
    /// in a chat the friend writes in.
    pub fn last_message(&self, friend: FriendId, as_of: Timestamp) -> Result<Option<Timestamp>> {
        let limit = minute_of(as_of);
        let mut latest: Option<i64> = None;
        let mut theirs = self.conn.prepare_cached(
            "SELECT at FROM message WHERE sender_id = ?1 AND minute <= ?2 AND at <= ?3
              ORDER BY minute DESC LIMIT 1",
        )?;
        let senders = self.senders_of(friend)?;
        for sender in &senders {
            let at: Option<i64> = theirs
                .query_row([sender.0, limit, as_of.as_second()], |r| r.get(0))
                .optional()?;
            latest = latest.max(at);
        }
        if senders.is_empty() {
            return Ok(None);
        }
        let ids = senders
            .iter()
            .map(|s| s.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        // Walk my messages back in time (the key order) until one is in a
        // chat the friend writes in.
        let mut mine = self.conn.prepare(&format!(
            "SELECT m.at FROM message m
              WHERE m.sender_id = ?1 AND m.minute <= ?2 AND m.at <= ?3
                AND m.chat_id IN (SELECT chat_id FROM chat_member WHERE sender_id IN ({ids}))
              ORDER BY m.minute DESC LIMIT 1"
        ))?;
        let me: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM sender WHERE is_me = 1")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in me {
            let at: Option<i64> = mine
                .query_row([id, limit, as_of.as_second()], |r| r.get(0))
                .optional()?;
            latest = latest.max(at);
        }
        Ok(latest.and_then(|s| Timestamp::from_second(s).ok()))
    }

    /// The chats these senders write in.
    pub fn chats_of(&self, senders: &[SenderId]) -> Result<Vec<ChatId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT chat_id FROM chat_member WHERE sender_id = ?1")?;
        let mut chats = Vec::new();
        for sender in senders {
            for chat in stmt.query_map([sender.0], |r| Ok(ChatId(r.get(0)?)))? {
                chats.push(chat?);
            }
        }
        chats.sort_unstable();
        chats.dedup();
        Ok(chats)
    }

    /// Texts kept (`--keep-text`) of messages stored before features were:
    /// each with the key that [`Tx::set_features`] takes.
    pub fn texts_without_features(&self) -> Result<Vec<(MessageKey, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT sender_id, minute, fingerprint, ordinal, chat_id, text FROM message
              WHERE kind = 'text' AND text IS NOT NULL AND flags IS NULL",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    MessageKey {
                        sender: SenderId(r.get(0)?),
                        minute: r.get(1)?,
                        fingerprint: r.get(2)?,
                        ordinal: r.get(3)?,
                        chat: ChatId(r.get(4)?),
                    },
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The senders that are me.
    pub fn my_senders(&self) -> Result<Vec<SenderId>> {
        let ids = self
            .conn
            .prepare_cached("SELECT id FROM sender WHERE is_me = 1 ORDER BY id")?
            .query_map([], |r| Ok(SenderId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The messages these senders sent from `from` (inclusive) to `to`
    /// (exclusive), in any chat, marked as mine or not; in key order per
    /// sender, not across senders.
    pub fn sender_messages(
        &self,
        senders: &[SenderId],
        from_me: bool,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<PairMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT chat_id, at, words, emoji, compound, emoji_sentiment, flags, style,
                    coalesce(lang, '') != ?6
               FROM message
              WHERE sender_id = ?1 AND minute BETWEEN ?2 AND ?3 AND at >= ?4 AND at < ?5",
        )?;
        let mut out = Vec::new();
        for sender in senders {
            let mut rows = stmt.query(rusqlite::params![
                sender.0,
                minute_of(from),
                minute_of(to),
                from.as_second(),
                to.as_second(),
                UNREAD
            ])?;
            while let Some(r) = rows.next()? {
                // Features are NULL for media and calls: they read as 0.
                let int =
                    |i: usize| -> rusqlite::Result<i64> { Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0)) };
                out.push(PairMessage {
                    chat: ChatId(int(0)?),
                    from_me,
                    at: Timestamp::from_second(int(1)?).unwrap_or_default(),
                    words: int(2)?.clamp(0, u32::MAX.into()) as u32,
                    emoji: int(3)?.clamp(0, u32::MAX.into()) as u32,
                    compound: int(4)? as i16,
                    emoji_sentiment: int(5)? as i16,
                    flags: int(6)? as u16,
                    style: int(7)? as u64,
                    toned: r.get(8)?,
                });
            }
        }
        Ok(out)
    }

    /// The earliest (or with `latest`, the latest) moment one of `senders`
    /// wrote from `from` (inclusive) to `to` (exclusive), in `chats` (any
    /// chat when empty).
    pub fn message_between(
        &self,
        senders: &[SenderId],
        chats: &[ChatId],
        from: Timestamp,
        to: Timestamp,
        latest: bool,
    ) -> Result<Option<Timestamp>> {
        let pick = if latest { "max" } else { "min" };
        let in_chats = if chats.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = chats.iter().map(|c| c.0.to_string()).collect();
            format!(" AND chat_id IN ({})", ids.join(","))
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {pick}(at) FROM message
              WHERE sender_id = ?1 AND minute BETWEEN ?2 AND ?3 AND at >= ?4 AND at < ?5{in_chats}"
        ))?;
        let mut found: Option<i64> = None;
        for sender in senders {
            let at: Option<i64> = stmt.query_row(
                rusqlite::params![
                    sender.0,
                    minute_of(from),
                    minute_of(to),
                    from.as_second(),
                    to.as_second()
                ],
                |r| r.get(0),
            )?;
            found = match (found, at) {
                (Some(a), Some(b)) => Some(if latest { a.max(b) } else { a.min(b) }),
                (a, b) => a.or(b),
            };
        }
        Ok(found.and_then(|s| Timestamp::from_second(s).ok()))
    }

    /// Every stored message, oldest first, one at a time (SQLite sorts them
    /// on disk when they are many).
    pub fn each_message<E: From<crate::StoreError>>(
        &self,
        mut f: impl FnMut(MessageRecord) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT m.at, c.platform, c.name, s.name, s.is_me, {SENDER_FRIEND}, m.kind, m.words, m.chars,
                        m.emoji, m.edited, m.reply, m.text, m.neg, m.neu, m.pos, m.compound,
                        m.emoji_sentiment, m.flags, m.style, m.lang
                   FROM message m JOIN chat c ON c.id = m.chat_id JOIN sender s ON s.id = m.sender_id
                  ORDER BY m.at, m.chat_id, m.sender_id, m.ordinal"
            ))
            .map_err(crate::StoreError::from)?;
        let mut rows = stmt.query([]).map_err(crate::StoreError::from)?;
        while let Some(r) = rows.next().map_err(crate::StoreError::from)? {
            let record = (|| -> Result<MessageRecord> {
                let features = match r.get::<_, Option<i64>>(18)? {
                    Some(flags) => Some(StoredFeatures {
                        neg: r.get(13)?,
                        neu: r.get(14)?,
                        pos: r.get(15)?,
                        compound: r.get(16)?,
                        emoji_sentiment: r.get(17)?,
                        flags: flags as u16,
                        style: r.get::<_, i64>(19)? as u64,
                    }),
                    None => None,
                };
                Ok(MessageRecord {
                    at: r.timestamp(0, "message.at")?,
                    platform: r.parsed(1, "chat.platform")?,
                    chat: r.get(2)?,
                    sender: r.get(3)?,
                    is_me: r.get(4)?,
                    friend: r.get::<_, Option<i64>>(5)?.map(FriendId),
                    kind: r.get(6)?,
                    words: r.get(7)?,
                    chars: r.get(8)?,
                    emoji: r.get(9)?,
                    edited: r.get(10)?,
                    reply: r.get(11)?,
                    text: r.get(12)?,
                    features,
                    lang: r.get(20)?,
                })
            })()?;
            f(record)?;
        }
        Ok(())
    }

    /// How many texts of `chat` were read in each language (`lang` codes,
    /// and [`UNREAD`]), for the chat's language.
    pub fn lang_counts(&self, chat: ChatId) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT lang, messages FROM chat_lang WHERE chat_id = ?1")?;
        let counts = stmt
            .query_map([chat.0], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
            .collect::<Result<_, _>>()?;
        Ok(counts)
    }

    /// How many messages are stored.
    pub fn message_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM message", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{NewFriend, Store};

    fn message(chat: ChatId, sender: SenderId, at: i64, fingerprint: u64) -> NewMessage<'static> {
        NewMessage {
            chat,
            sender,
            at: Timestamp::from_second(at).unwrap(),
            fingerprint,
            ordinal: 0,
            kind: "text",
            chars: 5,
            words: 1,
            emoji: 0,
            edited: false,
            reply: false,
            text: None,
            features: None,
            lang: None,
        }
    }

    #[test]
    fn spans_merge_when_they_overlap_or_touch() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        store
            .write(|tx| {
                let chat = tx.new_chat(Platform::WhatsApp, "Sam", None, None)?;
                tx.set_chat_identity(chat, Some("id:1"), Some("Europe/London"))?;
                tx.set_chat_identity(chat, Some("id:2"), None)?;
                let stored = tx.db().chats(Platform::WhatsApp)?;
                assert_eq!(
                    (stored[0].key.as_deref(), stored[0].zone.as_deref()),
                    (Some("id:1"), Some("Europe/London")),
                    "an export id, once known, stays"
                );
                for (first, last) in [(10, 20), (30, 40), (20, 25), (100, 110)] {
                    tx.cover(
                        chat,
                        Span {
                            first_minute: first,
                            last_minute: last,
                        },
                    )?;
                }
                let spans: Vec<_> = tx
                    .db()
                    .spans(chat)?
                    .iter()
                    .map(|s| (s.first_minute, s.last_minute))
                    .collect();
                assert_eq!(spans, [(10, 25), (30, 40), (100, 110)]);
                tx.cover(
                    chat,
                    Span {
                        first_minute: 24,
                        last_minute: 31,
                    },
                )?;
                let spans: Vec<_> = tx
                    .db()
                    .spans(chat)?
                    .iter()
                    .map(|s| (s.first_minute, s.last_minute))
                    .collect();
                assert_eq!(spans, [(10, 40), (100, 110)]);
                Ok::<_, crate::StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn equal_keys_are_stored_once_and_senders_map_through_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let (new, sam) = store
            .write(|tx| {
                let now = Timestamp::from_second(1_000_000).unwrap();
                let sam = tx.add_friend(
                    &NewFriend {
                        name: "Sam".into(),
                        ..NewFriend::default()
                    },
                    now,
                )?;
                tx.add_alias(
                    sam,
                    &mutual_core::Alias {
                        text: "Sam Lee".into(),
                        platform: Some(Platform::WhatsApp),
                    },
                )?;
                let chat = tx.new_chat(Platform::WhatsApp, "Sam Lee", None, None)?;
                let them = tx.sender(Platform::WhatsApp, "sam lee", false)?;
                let me = tx.sender(Platform::WhatsApp, "Me", true)?;
                let mut writer = tx.message_writer()?;
                for m in [
                    message(chat, them, 60_000, 1),
                    message(chat, me, 60_030, 2),
                    message(chat, them, 60_010, 1), // the same minute and text: already stored
                    message(chat, me, 61_000, 3),
                ] {
                    writer.push(&m)?;
                }
                let new = writer.finish()?.new;
                tx.touch_member(chat, them, Timestamp::from_second(60_000).unwrap())?;
                tx.touch_member(chat, me, Timestamp::from_second(61_000).unwrap())?;
                Ok::<_, crate::StoreError>((new, sam))
            })
            .unwrap();
        assert_eq!(new, 3);
        let db = store.db();
        let senders = db.senders_with_counts().unwrap();
        let them = senders.iter().find(|s| s.name == "sam lee").unwrap();
        assert_eq!((them.friend, them.messages, them.is_me), (Some(sam), 1, false));
        // My later reply in a chat Sam writes in counts as contact; nothing after `as_of` does.
        let at = |s| Timestamp::from_second(s).unwrap();
        assert_eq!(db.last_message(sam, at(70_000)).unwrap(), Some(at(61_000)));
        assert_eq!(db.last_message(sam, at(60_500)).unwrap(), Some(at(60_030)));
        assert_eq!(db.last_message(sam, at(59_000)).unwrap(), None);
    }

    #[test]
    fn chat_languages_count_each_stored_text_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let text = |chat, sender, at, fingerprint, lang| NewMessage {
            lang: Some(lang),
            ..message(chat, sender, at, fingerprint)
        };
        let (chat, sam) = store
            .write(|tx| {
                let now = Timestamp::from_second(1_000_000).unwrap();
                let sam = tx.add_friend(
                    &NewFriend {
                        name: "Sam".into(),
                        ..NewFriend::default()
                    },
                    now,
                )?;
                tx.add_alias(
                    sam,
                    &mutual_core::Alias {
                        text: "Sam".into(),
                        platform: Some(Platform::WhatsApp),
                    },
                )?;
                let chat = tx.new_chat(Platform::WhatsApp, "Group", None, None)?;
                let them = tx.sender(Platform::WhatsApp, "Sam", false)?;
                let ana = tx.sender(Platform::WhatsApp, "Ana", false)?;
                let me = tx.sender(Platform::WhatsApp, "Me", true)?;
                for s in [them, ana, me] {
                    tx.touch_member(chat, s, now)?;
                }
                // Twice, as a re-import would: the second time stores nothing.
                for _ in 0..2 {
                    let mut writer = tx.message_writer()?;
                    for (i, (sender, lang)) in
                        [(them, "es"), (them, "es"), (ana, "es"), (me, "en"), (ana, UNREAD)]
                            .into_iter()
                            .enumerate()
                    {
                        writer.push(&text(chat, sender, 60_000 + 60 * i as i64, i as u64, lang))?;
                    }
                    writer.push(&message(chat, me, 70_000, 9))?; // a photo: no language
                    writer.finish()?;
                }
                // Old and new in one statement: which rows were new is not
                // known, so the chat is counted again.
                let mut writer = tx.message_writer()?;
                writer.push(&text(chat, them, 60_000, 0, "es"))?;
                writer.push(&text(chat, ana, 80_000, 10, "es"))?;
                assert_eq!(writer.finish()?.new, 1);
                Ok::<_, crate::StoreError>((chat, sam))
            })
            .unwrap();
        let counts = |store: &Store| {
            let mut counts = store.db().lang_counts(chat).unwrap();
            counts.sort();
            counts
        };
        assert_eq!(
            counts(&store),
            [("en".to_owned(), 1), ("es".to_owned(), 4), (UNREAD.to_owned(), 1)]
        );
        store.write(|tx| tx.forget_messages(sam)).unwrap();
        assert_eq!(
            counts(&store),
            [("en".to_owned(), 1), ("es".to_owned(), 2), (UNREAD.to_owned(), 1)],
            "what Sam wrote no longer counts; the chat stays, Ana writes in it"
        );
    }
}
