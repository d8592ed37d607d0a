//! Interactions: journal entries and the friends and tags they link to.

use jiff::Timestamp;
use mutual_core::{
    Channel, Energy, Exchange, FeltHeard, FriendId, Initiator, Interaction, InteractionId, SupportSet,
};
use rusqlite::{OptionalExtension, Row, params};

use crate::error::{Result, StoreError};
use crate::sql::{RowExt, seconds};
use crate::{Db, Tx};

/// A journal entry to add.
#[derive(Clone, Debug)]
pub struct NewInteraction {
    pub friends: Vec<FriendId>,
    pub exchange: Exchange,
    pub felt_heard: Option<FeltHeard>,
    pub note: Option<String>,
    pub tags: Vec<String>,
}

/// Which entries to list.
#[derive(Clone, Debug, Default)]
pub struct JournalFilter {
    pub friend: Option<FriendId>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Only entries with this tag.
    pub tag: Option<String>,
    /// The most recent this many.
    pub limit: Option<usize>,
}

const EXCHANGE_COLUMNS: &str =
    "i.at, i.channel, i.initiator, i.gave, i.got, i.energy, i.conflict, i.hard_news";

/// Reads the eight columns of [`EXCHANGE_COLUMNS`] starting at `first`.
fn exchange(row: &Row<'_>, first: usize) -> Result<Exchange> {
    let energy: Option<i64> = row.get(first + 5)?;
    Ok(Exchange {
        at: row.timestamp(first, "interaction.at")?,
        channel: row.parsed::<Channel>(first + 1, "interaction.channel")?,
        initiator: row.parsed::<Initiator>(first + 2, "interaction.initiator")?,
        gave: SupportSet::from_bits(row.get(first + 3)?),
        got: SupportSet::from_bits(row.get(first + 4)?),
        energy: match energy {
            None => None,
            Some(v) => Some(Energy::new(v).ok_or(StoreError::Corrupt {
                column: "interaction.energy",
                value: v.to_string(),
            })?),
        },
        conflict: row.get(first + 6)?,
        hard_news: row.get(first + 7)?,
    })
}

impl Db<'_> {
    /// One friend's exchanges from `since` on (all when `None`), oldest first.
    pub fn exchanges_of(&self, friend: FriendId, since: Option<Timestamp>) -> Result<Vec<Exchange>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EXCHANGE_COLUMNS} FROM interaction_friend f JOIN interaction i ON i.id = f.interaction_id
             WHERE f.friend_id = ?1 AND f.at >= ?2 ORDER BY f.at"
        ))?;
        let mut rows = stmt.query(params![friend.0, since.map_or(i64::MIN, seconds)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(exchange(row, 0)?);
        }
        Ok(out)
    }

    /// Full entries, newest first.
    pub fn interactions(&self, filter: &JournalFilter) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT i.id, {EXCHANGE_COLUMNS}, i.felt_heard, i.note FROM interaction i
             WHERE (?1 IS NULL OR i.id IN (SELECT interaction_id FROM interaction_friend WHERE friend_id = ?1))
               AND (?2 IS NULL OR i.at >= ?2) AND (?3 IS NULL OR i.at <= ?3)
               AND (?5 IS NULL OR i.id IN (SELECT interaction_id FROM interaction_tag WHERE tag = ?5))
             ORDER BY i.at DESC, i.id DESC LIMIT ?4"
        ))?;
        let limit = filter.limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut rows = stmt.query(params![
            filter.friend.map(|f| f.0),
            filter.since.map(seconds),
            filter.until.map(seconds),
            limit,
            filter.tag
        ])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let felt_heard: Option<i64> = row.get(9)?;
            out.push(Interaction {
                id: InteractionId(row.get(0)?),
                friends: Vec::new(),
                exchange: exchange(row, 1)?,
                felt_heard: felt_heard.and_then(FeltHeard::new),
                note: row.get(10)?,
                tags: Vec::new(),
            });
        }
        drop(rows);
        match filter.friend {
            // One friend's entries: their links in two queries, not two per entry.
            Some(friend) if out.len() > 16 => self.fill_links_of(friend, &mut out)?,
            _ => self.fill_links(&mut out)?,
        }
        Ok(out)
    }

    /// The friends and tags of `entries`, all of them entries with `friend`.
    fn fill_links_of(&self, friend: FriendId, entries: &mut [Interaction]) -> Result<()> {
        let index: std::collections::HashMap<i64, usize> =
            entries.iter().enumerate().map(|(i, e)| (e.id.0, i)).collect();
        let mut friends = self.conn.prepare_cached(
            "SELECT f.interaction_id, f.friend_id FROM interaction_friend f
             WHERE f.interaction_id IN (SELECT interaction_id FROM interaction_friend WHERE friend_id = ?1)
             ORDER BY f.interaction_id, f.friend_id",
        )?;
        let mut rows = friends.query([friend.0])?;
        while let Some(row) = rows.next()? {
            if let Some(&i) = index.get(&row.get::<_, i64>(0)?) {
                entries[i].friends.push(FriendId(row.get(1)?));
            }
        }
        let mut tags = self.conn.prepare_cached(
            "SELECT t.interaction_id, t.tag FROM interaction_tag t
             WHERE t.interaction_id IN (SELECT interaction_id FROM interaction_friend WHERE friend_id = ?1)
             ORDER BY t.interaction_id, t.tag",
        )?;
        let mut rows = tags.query([friend.0])?;
        while let Some(row) = rows.next()? {
            if let Some(&i) = index.get(&row.get::<_, i64>(0)?) {
                entries[i].tags.push(row.get(1)?);
            }
        }
        Ok(())
    }

    pub fn interaction(&self, id: InteractionId) -> Result<Interaction> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EXCHANGE_COLUMNS}, i.felt_heard, i.note FROM interaction i WHERE i.id = ?1"
        ))?;
        let mut rows = stmt.query([id.0])?;
        let row = rows.next()?.ok_or(StoreError::NotFound {
            what: "journal entry",
            id: id.0,
        })?;
        let felt_heard: Option<i64> = row.get(8)?;
        let mut entry = Interaction {
            id,
            friends: Vec::new(),
            exchange: exchange(row, 0)?,
            felt_heard: felt_heard.and_then(FeltHeard::new),
            note: row.get(9)?,
            tags: Vec::new(),
        };
        drop(rows);
        self.fill_links(std::slice::from_mut(&mut entry))?;
        Ok(entry)
    }

    fn fill_links(&self, entries: &mut [Interaction]) -> Result<()> {
        let mut friends = self.conn.prepare_cached(
            "SELECT friend_id FROM interaction_friend WHERE interaction_id = ?1 ORDER BY friend_id",
        )?;
        let mut tags = self
            .conn
            .prepare_cached("SELECT tag FROM interaction_tag WHERE interaction_id = ?1 ORDER BY tag")?;
        for entry in entries {
            entry.friends = friends
                .query_map([entry.id.0], |r| r.get(0).map(FriendId))?
                .collect::<Result<_, _>>()?;
            entry.tags = tags
                .query_map([entry.id.0], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }

    /// The latest logged contact with a friend up to `as_of`.
    pub fn last_logged(&self, friend: FriendId, as_of: Timestamp) -> Result<Option<Timestamp>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT max(at) FROM interaction_friend WHERE friend_id = ?1 AND at <= ?2")?;
        let at: Option<i64> = stmt.query_row(params![friend.0, seconds(as_of)], |r| r.get(0))?;
        at.map(|s| {
            Timestamp::from_second(s).map_err(|_| StoreError::Corrupt {
                column: "interaction_friend.at",
                value: s.to_string(),
            })
        })
        .transpose()
    }
}

impl Tx<'_> {
    pub fn add_interaction(&self, new: &NewInteraction) -> Result<InteractionId> {
        let e = &new.exchange;
        self.tx.execute(
            "INSERT INTO interaction (at, channel, initiator, gave, got, energy, felt_heard, conflict, hard_news, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                seconds(e.at),
                e.channel.as_str(),
                e.initiator.as_str(),
                e.gave.to_bits(),
                e.got.to_bits(),
                e.energy.map(Energy::get),
                new.felt_heard.map(FeltHeard::get),
                e.conflict,
                e.hard_news,
                new.note,
            ],
        )?;
        let id = InteractionId(self.tx.last_insert_rowid());
        self.link(id, e.at, &new.friends, &new.tags)?;
        Ok(id)
    }

    fn link(&self, id: InteractionId, at: Timestamp, friends: &[FriendId], tags: &[String]) -> Result<()> {
        let mut link = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO interaction_friend (friend_id, at, interaction_id) VALUES (?1, ?2, ?3)",
        )?;
        for friend in friends {
            link.execute(params![friend.0, seconds(at), id.0])?;
        }
        let mut tag = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO interaction_tag (interaction_id, tag) VALUES (?1, ?2)")?;
        for t in tags {
            tag.execute(params![id.0, t])?;
        }
        Ok(())
    }

    /// Rewrites an entry, its friends and its tags.
    pub fn update_interaction(&self, entry: &Interaction) -> Result<()> {
        let e = &entry.exchange;
        let rows = self.tx.execute(
            "UPDATE interaction SET at = ?2, channel = ?3, initiator = ?4, gave = ?5, got = ?6, energy = ?7,
             felt_heard = ?8, conflict = ?9, hard_news = ?10, note = ?11 WHERE id = ?1",
            params![
                entry.id.0,
                seconds(e.at),
                e.channel.as_str(),
                e.initiator.as_str(),
                e.gave.to_bits(),
                e.got.to_bits(),
                e.energy.map(Energy::get),
                entry.felt_heard.map(FeltHeard::get),
                e.conflict,
                e.hard_news,
                entry.note,
            ],
        )?;
        self.changed("journal entry", entry.id.0, rows)?;
        self.tx.execute(
            "DELETE FROM interaction_friend WHERE interaction_id = ?1",
            [entry.id.0],
        )?;
        self.tx.execute(
            "DELETE FROM interaction_tag WHERE interaction_id = ?1",
            [entry.id.0],
        )?;
        self.link(entry.id, e.at, &entry.friends, &entry.tags)
    }

    /// Removes an entry, keeping it (with its friends and tags) among the
    /// removed entries, from which [`Tx::restore_interaction`] brings it
    /// back, until [`Tx::purge_removed`] lets it go.
    pub fn remove_interaction(&self, id: InteractionId, at: Timestamp) -> Result<()> {
        self.tx
            .execute("DELETE FROM removed_interaction WHERE id = ?1", [id.0])?;
        self.tx.execute(
            "INSERT INTO removed_interaction
             SELECT id, at, channel, initiator, gave, got, energy, felt_heard, conflict, hard_news, note, ?2
             FROM interaction WHERE id = ?1",
            params![id.0, seconds(at)],
        )?;
        self.tx.execute(
            "INSERT INTO removed_interaction_friend (interaction_id, friend_id)
             SELECT interaction_id, friend_id FROM interaction_friend WHERE interaction_id = ?1",
            [id.0],
        )?;
        self.tx.execute(
            "INSERT INTO removed_interaction_tag (interaction_id, tag)
             SELECT interaction_id, tag FROM interaction_tag WHERE interaction_id = ?1",
            [id.0],
        )?;
        let rows = self.tx.execute("DELETE FROM interaction WHERE id = ?1", [id.0])?;
        self.changed("journal entry", id.0, rows)
    }

    /// Brings back an entry removed at or after `since`, under its old id
    /// when that is free (else a new one, returned), with those of its
    /// friends who are still here. `Ok(None)` when it cannot be brought
    /// back: not among the removed entries, removed before `since`, or
    /// every friend in it forgotten since.
    pub fn restore_interaction(&self, id: InteractionId, since: Timestamp) -> Result<Option<InteractionId>> {
        let removed: Option<i64> = self
            .tx
            .query_row(
                "SELECT removed_at FROM removed_interaction WHERE id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        let friends: i64 = self.tx.query_row(
            "SELECT count(*) FROM removed_interaction_friend WHERE interaction_id = ?1",
            [id.0],
            |r| r.get(0),
        )?;
        if removed.is_none_or(|at| at < seconds(since)) || friends == 0 {
            return Ok(None);
        }
        let taken: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM interaction WHERE id = ?1)",
            [id.0],
            |r| r.get(0),
        )?;
        let columns = "at, channel, initiator, gave, got, energy, felt_heard, conflict, hard_news, note";
        if taken {
            self.tx.execute(
                &format!("INSERT INTO interaction ({columns}) SELECT {columns} FROM removed_interaction WHERE id = ?1"),
                [id.0],
            )?;
        } else {
            self.tx.execute(
                &format!("INSERT INTO interaction (id, {columns}) SELECT id, {columns} FROM removed_interaction WHERE id = ?1"),
                [id.0],
            )?;
        }
        let new = InteractionId(self.tx.last_insert_rowid());
        self.tx.execute(
            "INSERT INTO interaction_friend (friend_id, at, interaction_id)
             SELECT f.friend_id, r.at, ?2 FROM removed_interaction_friend f
             JOIN removed_interaction r ON r.id = f.interaction_id WHERE f.interaction_id = ?1",
            [id.0, new.0],
        )?;
        self.tx.execute(
            "INSERT INTO interaction_tag (interaction_id, tag)
             SELECT ?2, tag FROM removed_interaction_tag WHERE interaction_id = ?1",
            [id.0, new.0],
        )?;
        self.tx
            .execute("DELETE FROM removed_interaction WHERE id = ?1", [id.0])?;
        Ok(Some(new))
    }

    /// Lets go of entries removed before `before`, for good.
    pub fn purge_removed(&self, before: Timestamp) -> Result<u64> {
        Ok(self.tx.execute(
            "DELETE FROM removed_interaction WHERE removed_at < ?1",
            [seconds(before)],
        )? as u64)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{NewFriend, Store};
    use mutual_core::{Channel, Initiator};

    #[test]
    fn a_friends_entries_carry_the_same_links_read_in_bulk_as_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let (a, b) = store
            .write(|tx| {
                let named = |name: &str| NewFriend {
                    name: name.to_owned(),
                    ..NewFriend::default()
                };
                Ok::<_, StoreError>((tx.add_friend(&named("A"), now)?, tx.add_friend(&named("B"), now)?))
            })
            .unwrap();
        store
            .write(|tx| {
                for i in 0..40_i64 {
                    let friends = match i % 3 {
                        0 => vec![a],
                        1 => vec![a, b],
                        _ => vec![b],
                    };
                    let tags = (0..i % 4).map(|t| format!("t{}", 3 - t)).collect();
                    tx.add_interaction(&NewInteraction {
                        friends,
                        exchange: Exchange {
                            at: now - jiff::SignedDuration::from_hours(i),
                            channel: Channel::Call,
                            initiator: Initiator::Me,
                            gave: "listening".parse().unwrap(),
                            got: Default::default(),
                            energy: None,
                            conflict: false,
                            hard_news: false,
                        },
                        felt_heard: None,
                        note: None,
                        tags,
                    })?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let db = store.db();
        let bulk = db
            .interactions(&JournalFilter {
                friend: Some(a),
                ..JournalFilter::default()
            })
            .unwrap();
        assert!(bulk.len() > 16);
        for entry in &bulk {
            assert_eq!(*entry, db.interaction(entry.id).unwrap());
            assert!(entry.friends.contains(&a));
        }
        assert!(bulk.iter().any(|e| e.friends == [a, b]) && bulk.iter().any(|e| e.tags.len() == 3));
    }
}
