//! Key dates: days that matter to a friend, once or every year.

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{FriendId, KeyDate, KeyDateId};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, day_text, seconds};
use crate::{Db, Tx};

impl Db<'_> {
    /// Key dates of every friend (or only `friend`), by day.
    pub fn key_dates(&self, friend: Option<FriendId>) -> Result<Vec<KeyDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, text, day, yearly FROM key_date
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY day, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(KeyDate {
                id: KeyDateId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                text: row.get(2)?,
                day: row.day(3, "key_date.day")?,
                yearly: row.get(4)?,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_key_date(
        &self,
        friend: FriendId,
        text: &str,
        day: Date,
        yearly: bool,
        created_at: Timestamp,
    ) -> Result<KeyDateId> {
        self.tx.execute(
            "INSERT INTO key_date (friend_id, text, day, yearly, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![friend.0, text, day_text(day), yearly, seconds(created_at)],
        )?;
        Ok(KeyDateId(self.tx.last_insert_rowid()))
    }

    pub fn remove_key_date(&self, id: KeyDateId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM key_date WHERE id = ?1", [id.0])?;
        self.changed("key date", id.0, rows)
    }
}
