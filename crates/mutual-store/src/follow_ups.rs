//! Follow-ups.

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{FollowUp, FollowUpId, FriendId, InteractionId};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, day_text, seconds};
use crate::{Db, Tx};

impl Db<'_> {
    pub fn follow_ups(&self, friend: Option<FriendId>) -> Result<Vec<FollowUp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, text, due, created_at, done_at, interaction_id FROM follow_up
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY due, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(FollowUp {
                id: FollowUpId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                text: row.get(2)?,
                due: row.day(3, "follow_up.due")?,
                created_at: row.timestamp(4, "follow_up.created_at")?,
                done_at: row.opt_timestamp(5, "follow_up.done_at")?,
                interaction: row.get::<_, Option<i64>>(6)?.map(InteractionId),
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_follow_up(
        &self,
        friend: FriendId,
        text: &str,
        due: Date,
        created_at: Timestamp,
        interaction: Option<InteractionId>,
    ) -> Result<FollowUpId> {
        self.tx.execute(
            "INSERT INTO follow_up (friend_id, text, due, created_at, interaction_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![friend.0, text, day_text(due), seconds(created_at), interaction.map(|i| i.0)],
        )?;
        Ok(FollowUpId(self.tx.last_insert_rowid()))
    }

    /// Marks a follow-up done at `at`, or open again with `None`.
    pub fn set_follow_up_done(&self, id: FollowUpId, at: Option<Timestamp>) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE follow_up SET done_at = ?2 WHERE id = ?1",
            params![id.0, at.map(seconds)],
        )?;
        self.changed("follow-up", id.0, rows)
    }

    pub fn update_follow_up(&self, f: &FollowUp) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE follow_up SET text = ?2, due = ?3, done_at = ?4 WHERE id = ?1",
            params![f.id.0, f.text, day_text(f.due), f.done_at.map(seconds)],
        )?;
        self.changed("follow-up", f.id.0, rows)
    }

    pub fn remove_follow_up(&self, id: FollowUpId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM follow_up WHERE id = ?1", [id.0])?;
        self.changed("follow-up", id.0, rows)
    }
}
