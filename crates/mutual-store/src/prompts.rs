//! Which disclosure prompts were used with whom.

use jiff::Timestamp;
use mutual_core::{FriendId, PromptUse, PromptUseId};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, seconds};
use crate::{Db, Tx};

impl Db<'_> {
    pub fn prompt_uses(&self, friend: Option<FriendId>) -> Result<Vec<PromptUse>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, prompt, at, me_answered, they_answered FROM prompt_use
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY at, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(PromptUse {
                id: PromptUseId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                prompt: row.get(2)?,
                at: row.timestamp(3, "prompt_use.at")?,
                me_answered: row.get(4)?,
                they_answered: row.get(5)?,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_prompt_use(
        &self,
        friend: FriendId,
        prompt: &str,
        at: Timestamp,
        me_answered: bool,
        they_answered: bool,
    ) -> Result<PromptUseId> {
        self.tx.execute(
            "INSERT INTO prompt_use (friend_id, prompt, at, me_answered, they_answered) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![friend.0, prompt, seconds(at), me_answered, they_answered],
        )?;
        Ok(PromptUseId(self.tx.last_insert_rowid()))
    }
}
