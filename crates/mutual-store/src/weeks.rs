//! Stored weekly measures per friend and side. The store keeps each side's
//! week as `mutual-analysis` encodes it, keyed by the week's local Monday;
//! it never looks inside.

use jiff::civil::Date;
use mutual_core::FriendId;
use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::sql::{RowExt, day_text};
use crate::{Db, Tx};

/// One side of one week with one friend, encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredWeek {
    pub friend: FriendId,
    pub monday: Date,
    pub from_me: bool,
    pub messages: u32,
    pub data: Vec<u8>,
}

impl Tx<'_> {
    /// Replaces the friend's weeks from `first` to `last` (Mondays,
    /// inclusive; every week without a range) with `weeks`.
    pub fn replace_weeks(
        &self,
        friend: FriendId,
        range: Option<(Date, Date)>,
        weeks: &[StoredWeek],
    ) -> Result<()> {
        match range {
            Some((first, last)) => self.tx.execute(
                "DELETE FROM week WHERE friend_id = ?1 AND monday BETWEEN ?2 AND ?3",
                rusqlite::params![friend.0, day_text(first), day_text(last)],
            )?,
            None => self
                .tx
                .execute("DELETE FROM week WHERE friend_id = ?1", [friend.0])?,
        };
        let mut insert = self.tx.prepare_cached(
            "INSERT OR REPLACE INTO week (friend_id, monday, from_me, messages, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for w in weeks {
            insert.execute(rusqlite::params![
                friend.0,
                day_text(w.monday),
                w.from_me,
                w.messages,
                w.data
            ])?;
        }
        Ok(())
    }

    /// Records what the friend's weeks were computed from.
    pub fn set_week_source(&self, friend: FriendId, source: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO week_source (friend_id, source) VALUES (?1, ?2)
             ON CONFLICT (friend_id) DO UPDATE SET source = excluded.source",
            rusqlite::params![friend.0, source],
        )?;
        Ok(())
    }
}

impl Db<'_> {
    /// What the friend's stored weeks were computed from, if any were.
    pub fn week_source(&self, friend: FriendId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT source FROM week_source WHERE friend_id = ?1")?
            .query_row([friend.0], |r| r.get(0))
            .optional()?)
    }

    /// The friend's stored weeks (every friend's with `None`), in friend,
    /// week and side order.
    pub fn weeks(&self, friend: Option<FriendId>) -> Result<Vec<StoredWeek>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT friend_id, monday, from_me, messages, data FROM week
              WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY friend_id, monday, from_me",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(StoredWeek {
                friend: FriendId(r.get(0)?),
                monday: r.day(1, "week.monday")?,
                from_me: r.get(2)?,
                messages: r.get(3)?,
                data: r.get(4)?,
            });
        }
        Ok(out)
    }
}
