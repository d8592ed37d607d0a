//! Wins, gratitude and parked topics.

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{FriendId, Gratitude, GratitudeId, ParkedTopic, ParkedTopicId, Win, WinId, WinResponse};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, day_text, seconds};
use crate::{Db, Tx};

impl Db<'_> {
    pub fn wins(&self, friend: Option<FriendId>) -> Result<Vec<Win>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, at, text, response FROM win WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY at, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(Win {
                id: WinId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                at: row.timestamp(2, "win.at")?,
                text: row.get(3)?,
                response: row.opt_parsed(4, "win.response")?,
            });
        }
        Ok(out)
    }

    pub fn gratitude(&self, friend: Option<FriendId>) -> Result<Vec<Gratitude>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, at, text, told_at FROM gratitude WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY at, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(Gratitude {
                id: GratitudeId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                at: row.timestamp(2, "gratitude.at")?,
                text: row.get(3)?,
                told_at: row.opt_timestamp(4, "gratitude.told_at")?,
            });
        }
        Ok(out)
    }

    pub fn parked_topics(&self, friend: Option<FriendId>) -> Result<Vec<ParkedTopic>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, topic, parked_on, revisit_on, revisited_on FROM parked_topic
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY revisit_on, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(ParkedTopic {
                id: ParkedTopicId(row.get(0)?),
                friend: FriendId(row.get(1)?),
                topic: row.get(2)?,
                parked_on: row.day(3, "parked_topic.parked_on")?,
                revisit_on: row.day(4, "parked_topic.revisit_on")?,
                revisited_on: row.opt_day(5, "parked_topic.revisited_on")?,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_win(
        &self,
        friend: FriendId,
        at: Timestamp,
        text: &str,
        response: Option<WinResponse>,
    ) -> Result<WinId> {
        self.tx.execute(
            "INSERT INTO win (friend_id, at, text, response) VALUES (?1, ?2, ?3, ?4)",
            params![friend.0, seconds(at), text, response.map(WinResponse::as_str)],
        )?;
        Ok(WinId(self.tx.last_insert_rowid()))
    }

    pub fn set_win_response(&self, id: WinId, response: Option<WinResponse>) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE win SET response = ?2 WHERE id = ?1",
            params![id.0, response.map(WinResponse::as_str)],
        )?;
        self.changed("win", id.0, rows)
    }

    pub fn remove_win(&self, id: WinId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM win WHERE id = ?1", [id.0])?;
        self.changed("win", id.0, rows)
    }

    pub fn add_gratitude(
        &self,
        friend: FriendId,
        at: Timestamp,
        text: &str,
        told_at: Option<Timestamp>,
    ) -> Result<GratitudeId> {
        self.tx.execute(
            "INSERT INTO gratitude (friend_id, at, text, told_at) VALUES (?1, ?2, ?3, ?4)",
            params![friend.0, seconds(at), text, told_at.map(seconds)],
        )?;
        Ok(GratitudeId(self.tx.last_insert_rowid()))
    }

    pub fn set_gratitude_told(&self, id: GratitudeId, told_at: Option<Timestamp>) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE gratitude SET told_at = ?2 WHERE id = ?1",
            params![id.0, told_at.map(seconds)],
        )?;
        self.changed("gratitude note", id.0, rows)
    }

    pub fn remove_gratitude(&self, id: GratitudeId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM gratitude WHERE id = ?1", [id.0])?;
        self.changed("gratitude note", id.0, rows)
    }

    pub fn add_parked_topic(
        &self,
        friend: FriendId,
        topic: &str,
        parked_on: Date,
        revisit_on: Date,
    ) -> Result<ParkedTopicId> {
        self.tx.execute(
            "INSERT INTO parked_topic (friend_id, topic, parked_on, revisit_on) VALUES (?1, ?2, ?3, ?4)",
            params![friend.0, topic, day_text(parked_on), day_text(revisit_on)],
        )?;
        Ok(ParkedTopicId(self.tx.last_insert_rowid()))
    }

    pub fn update_parked_topic(&self, p: &ParkedTopic) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE parked_topic SET topic = ?2, revisit_on = ?3, revisited_on = ?4 WHERE id = ?1",
            params![
                p.id.0,
                p.topic,
                day_text(p.revisit_on),
                p.revisited_on.map(day_text)
            ],
        )?;
        self.changed("parked topic", p.id.0, rows)
    }

    pub fn remove_parked_topic(&self, id: ParkedTopicId) -> Result<()> {
        let rows = self
            .tx
            .execute("DELETE FROM parked_topic WHERE id = ?1", [id.0])?;
        self.changed("parked topic", id.0, rows)
    }
}
