//! Forgetting a friend: what goes, what stays, and the texts elsewhere that
//! mention them.

use mutual_core::FriendId;
use mutual_core::text::mentions;

use crate::error::Result;
use crate::{Db, Tx};

/// What forgetting a friend removed (or, before it, would remove).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Journal entries with only them, removed.
    pub entries: u64,
    /// Entries shared with others, kept for the others without them.
    pub shared_entries: u64,
    /// Their needs, boundaries, follow-ups, wins, thanks, parked topics,
    /// agreements, prompts, reviews, pauses and check-ins (with their keys
    /// and both sides' answers).
    pub records: u64,
    /// Chat messages removed: theirs, and both sides of chats only the two
    /// of you wrote in.
    pub messages: u64,
    /// Texts I wrote elsewhere (notes, needs, follow-ups, reviews, kept chat
    /// texts ...) that mention them, cleared.
    pub my_mentions: u64,
    /// Kept chat texts that others wrote and that mention them: cleared
    /// when asked, else left.
    pub others_mentions: u64,
    /// Whether `others_mentions` were cleared.
    pub others_cleared: bool,
}

/// What replaces a text that cannot be empty once a mention is removed.
const REMOVED: &str = "(removed when you forgot someone)";

/// The texts I typed, by table: `(table, column, can be NULL)`.
const MY_TEXTS: &[(&str, &str, bool)] = &[
    ("interaction", "note", true),
    ("removed_interaction", "note", true),
    ("friend", "notes", true),
    ("pause", "reason", true),
    ("need", "text", false),
    ("boundary", "text", false),
    ("follow_up", "text", false),
    ("win", "text", false),
    ("gratitude", "text", false),
    ("parked_topic", "topic", false),
    ("key_date", "text", false),
    ("agreement", "text", false),
    ("review", "went_well", true),
    ("review", "to_adjust", true),
    ("review", "note", true),
];

/// The tables that hold a friend's own records, besides the journal.
const RECORDS: &[&str] = &[
    "need",
    "boundary",
    "follow_up",
    "win",
    "gratitude",
    "parked_topic",
    "key_date",
    "agreement",
    "prompt_use",
    "review",
    "pause",
    "checkin",
];

impl Db<'_> {
    /// The journal entries a friend is in, and their chat messages.
    pub fn footprint(&self, friend: FriendId) -> Result<(u64, u64)> {
        let entries: i64 = self.conn.query_row(
            "SELECT count(*) FROM interaction_friend WHERE friend_id = ?1",
            [friend.0],
            |r| r.get(0),
        )?;
        Ok((entries.max(0) as u64, self.messages_forgetting(friend)?))
    }

    /// Kept chat texts that others (neither me nor `friend`) wrote and that
    /// mention one of `names`.
    pub fn others_mentions(&self, friend: FriendId, names: &[String]) -> Result<u64> {
        let theirs = self.senders_of(friend)?;
        let mut stmt = self.conn.prepare(
            "SELECT m.sender_id, m.text FROM message m JOIN sender s ON s.id = m.sender_id
              WHERE m.text IS NOT NULL AND s.is_me = 0",
        )?;
        let mut rows = stmt.query([])?;
        let mut found = 0;
        while let Some(r) = rows.next()? {
            let sender = mutual_core::SenderId(r.get(0)?);
            if !theirs.contains(&sender) && mentions(&r.get::<_, String>(1)?, names) {
                found += 1;
            }
        }
        Ok(found)
    }
}

impl Tx<'_> {
    /// Removes a friend and everything about them. Group entries they shared
    /// with others stay for the others, without them. Every text I wrote
    /// that mentions any of `names` (their name and aliases) is cleared;
    /// kept chat texts that others wrote and that mention them are cleared
    /// only with `also_mentions`, and counted either way. Asks for a scrub
    /// ([`crate::Store::scrub`]) when it commits.
    pub fn forget_friend(
        &self,
        friend: FriendId,
        names: &[String],
        also_mentions: bool,
    ) -> Result<Forgotten> {
        let mut done = Forgotten {
            others_cleared: also_mentions,
            ..Forgotten::default()
        };
        for table in RECORDS {
            done.records += self
                .tx
                .execute(&format!("DELETE FROM {table} WHERE friend_id = ?1"), [friend.0])?
                as u64;
        }
        done.messages = self.forget_messages(friend)?;
        done.shared_entries = self.tx.query_row(
            "SELECT count(*) FROM interaction_friend f WHERE f.friend_id = ?1
                AND EXISTS (SELECT 1 FROM interaction_friend o
                             WHERE o.interaction_id = f.interaction_id AND o.friend_id != ?1)",
            [friend.0],
            |r| r.get::<_, i64>(0),
        )? as u64;
        done.entries = self.tx.execute(
            "DELETE FROM interaction WHERE id IN (
                SELECT interaction_id FROM interaction_friend WHERE friend_id = ?1
             ) AND id NOT IN (
                SELECT interaction_id FROM interaction_friend WHERE friend_id != ?1
             )",
            [friend.0],
        )? as u64;
        let rows = self.tx.execute("DELETE FROM friend WHERE id = ?1", [friend.0])?;
        self.changed("friend", friend.0, rows)?;
        // Removed entries that were only with them go too (their link went
        // with the friend).
        self.tx.execute(
            "DELETE FROM removed_interaction
             WHERE id NOT IN (SELECT interaction_id FROM removed_interaction_friend)",
            [],
        )?;
        for (table, column, nullable) in MY_TEXTS {
            done.my_mentions += self.clear_mentions(table, column, *nullable, names)?;
        }
        let (mine, others) = self.clear_message_mentions(names, also_mentions)?;
        done.my_mentions += mine;
        done.others_mentions = others;
        self.ask_scrub()?;
        Ok(done)
    }

    /// Clears `column` of `table` wherever it mentions one of `names`.
    fn clear_mentions(&self, table: &str, column: &str, nullable: bool, names: &[String]) -> Result<u64> {
        let found: Vec<i64> = self
            .tx
            .prepare(&format!(
                "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
            ))?
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .filter_map(|row| match row {
                Ok((id, text)) => mentions(&text, names).then_some(Ok(id)),
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        let set = if nullable {
            format!("UPDATE {table} SET {column} = NULL WHERE id = ?1")
        } else {
            format!("UPDATE {table} SET {column} = '{REMOVED}' WHERE id = ?1")
        };
        let mut update = self.tx.prepare(&set)?;
        for id in &found {
            update.execute([id])?;
        }
        Ok(found.len() as u64)
    }

    /// Clears kept chat texts that mention one of `names`: mine always,
    /// others' when `others` is set. Returns how many of each were found.
    fn clear_message_mentions(&self, names: &[String], others: bool) -> Result<(u64, u64)> {
        let mut stmt = self.tx.prepare(
            "SELECT m.sender_id, m.minute, m.fingerprint, m.ordinal, m.chat_id, s.is_me, m.text
               FROM message m JOIN sender s ON s.id = m.sender_id
              WHERE m.text IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        let mut found: Vec<([i64; 5], bool)> = Vec::new();
        while let Some(r) = rows.next()? {
            let text: String = r.get(6)?;
            if mentions(&text, names) {
                found.push(([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?], r.get(5)?));
            }
        }
        let mut clear = self.tx.prepare(
            "UPDATE message SET text = NULL
              WHERE sender_id = ?1 AND minute = ?2 AND fingerprint = ?3 AND ordinal = ?4 AND chat_id = ?5",
        )?;
        let (mut mine, mut theirs) = (0, 0);
        for (key, is_me) in &found {
            if *is_me {
                mine += 1;
            } else {
                theirs += 1;
                if !others {
                    continue;
                }
            }
            clear.execute(*key)?;
        }
        Ok((mine, theirs))
    }
}
