//! Agreements and their expected roles.

use jiff::Timestamp;
use mutual_core::{Agreement, AgreementId, FriendId, Roles, SupportKinds};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, seconds};
use crate::{Db, Tx};

impl Db<'_> {
    pub fn agreements(&self, friend: Option<FriendId>) -> Result<Vec<Agreement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, text, roles_me, roles_them, since, ended_at FROM agreement
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY since, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(Agreement {
                id: AgreementId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                text: row.get(2)?,
                roles: Roles {
                    me: SupportKinds::from_bits(row.get(3)?),
                    them: SupportKinds::from_bits(row.get(4)?),
                },
                since: row.timestamp(5, "agreement.since")?,
                ended_at: row.opt_timestamp(6, "agreement.ended_at")?,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_agreement(
        &self,
        friend: FriendId,
        text: &str,
        roles: Roles,
        since: Timestamp,
    ) -> Result<AgreementId> {
        self.tx.execute(
            "INSERT INTO agreement (friend_id, text, roles_me, roles_them, since) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![friend.0, text, roles.me.to_bits(), roles.them.to_bits(), seconds(since)],
        )?;
        Ok(AgreementId(self.tx.last_insert_rowid()))
    }

    pub fn update_agreement(&self, a: &Agreement) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE agreement SET text = ?2, roles_me = ?3, roles_them = ?4, since = ?5, ended_at = ?6 WHERE id = ?1",
            params![
                a.id.0,
                a.text,
                a.roles.me.to_bits(),
                a.roles.them.to_bits(),
                seconds(a.since),
                a.ended_at.map(seconds)
            ],
        )?;
        self.changed("agreement", a.id.0, rows)
    }

    pub fn remove_agreement(&self, id: AgreementId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM agreement WHERE id = ?1", [id.0])?;
        self.changed("agreement", id.0, rows)
    }
}
