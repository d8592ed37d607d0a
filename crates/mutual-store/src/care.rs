//! Needs and boundaries, with boundary rules kept in plain columns.

use jiff::civil::{Date, Time};
use mutual_core::{Boundary, BoundaryId, BoundaryRule, Channel, FriendId, Need, NeedId, Side};
use rusqlite::{Row, params};

use crate::error::{Result, StoreError};
use crate::sql::{RowExt, day_text};
use crate::{Db, Tx};

fn need(row: &Row<'_>) -> Result<Need> {
    Ok(Need {
        id: NeedId(row.get(0)?),
        friend: FriendId(row.get(1)?),
        whose: row.parsed(2, "need.whose")?,
        text: row.get(3)?,
        since: row.day(4, "need.since")?,
    })
}

fn boundary(row: &Row<'_>) -> Result<Boundary> {
    let kind: Option<String> = row.get(5)?;
    let rule = match kind.as_deref() {
        None => None,
        Some("quiet-hours") => {
            let channels: Option<String> = row.get(8)?;
            let channels = channels
                .unwrap_or_default()
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| {
                    c.parse::<Channel>().map_err(|_| StoreError::Corrupt {
                        column: "boundary.channels",
                        value: c.to_owned(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Some(BoundaryRule::QuietHours {
                start: row.parsed::<Time>(6, "boundary.rule_start")?,
                end: row.parsed::<Time>(7, "boundary.rule_end")?,
                channels,
            })
        }
        Some("cool-down") => Some(BoundaryRule::CoolDown { days: row.get(9)? }),
        Some("frequency-limit") => Some(BoundaryRule::FrequencyLimit {
            max: row.get(10)?,
            per_days: row.get(9)?,
        }),
        Some(other) => {
            return Err(StoreError::Corrupt {
                column: "boundary.rule",
                value: other.to_owned(),
            });
        }
    };
    Ok(Boundary {
        id: BoundaryId(row.get(0)?),
        friend: FriendId(row.get(1)?),
        whose: row.parsed(2, "boundary.whose")?,
        text: row.get(3)?,
        since: row.day(4, "boundary.since")?,
        rule,
    })
}

/// The columns a rule is kept in: kind, start, end, channels, days, max.
type RuleColumns = (
    Option<&'static str>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<u32>,
);

fn rule_columns(rule: Option<&BoundaryRule>) -> RuleColumns {
    let hm = |t: &Time| t.strftime("%H:%M").to_string();
    match rule {
        None => (None, None, None, None, None, None),
        Some(BoundaryRule::QuietHours { start, end, channels }) => {
            let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
            (
                Some("quiet-hours"),
                Some(hm(start)),
                Some(hm(end)),
                Some(names.join(",")),
                None,
                None,
            )
        }
        Some(BoundaryRule::CoolDown { days }) => (Some("cool-down"), None, None, None, Some(*days), None),
        Some(BoundaryRule::FrequencyLimit { max, per_days }) => (
            Some("frequency-limit"),
            None,
            None,
            None,
            Some(*per_days),
            Some(*max),
        ),
    }
}

impl Db<'_> {
    pub fn needs(&self, friend: Option<FriendId>) -> Result<Vec<Need>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, whose, text, since FROM need WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY friend_id, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(need(row)?);
        }
        Ok(out)
    }

    pub fn boundaries(&self, friend: Option<FriendId>) -> Result<Vec<Boundary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, friend_id, whose, text, since, rule, rule_start, rule_end, channels, days, max_count
             FROM boundary WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY friend_id, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(boundary(row)?);
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_need(&self, friend: FriendId, whose: Side, text: &str, since: Date) -> Result<NeedId> {
        self.tx.execute(
            "INSERT INTO need (friend_id, whose, text, since) VALUES (?1, ?2, ?3, ?4)",
            params![friend.0, whose.as_str(), text, day_text(since)],
        )?;
        Ok(NeedId(self.tx.last_insert_rowid()))
    }

    pub fn update_need(&self, need: &Need) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE need SET whose = ?2, text = ?3, since = ?4 WHERE id = ?1",
            params![need.id.0, need.whose.as_str(), need.text, day_text(need.since)],
        )?;
        self.changed("need", need.id.0, rows)
    }

    pub fn remove_need(&self, id: NeedId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM need WHERE id = ?1", [id.0])?;
        self.changed("need", id.0, rows)
    }

    pub fn add_boundary(
        &self,
        friend: FriendId,
        whose: Side,
        text: &str,
        since: Date,
        rule: Option<&BoundaryRule>,
    ) -> Result<BoundaryId> {
        let (kind, start, end, channels, days, max) = rule_columns(rule);
        self.tx.execute(
            "INSERT INTO boundary (friend_id, whose, text, since, rule, rule_start, rule_end, channels, days, max_count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![friend.0, whose.as_str(), text, day_text(since), kind, start, end, channels, days, max],
        )?;
        Ok(BoundaryId(self.tx.last_insert_rowid()))
    }

    pub fn update_boundary(&self, b: &Boundary) -> Result<()> {
        let (kind, start, end, channels, days, max) = rule_columns(b.rule.as_ref());
        let rows = self.tx.execute(
            "UPDATE boundary SET whose = ?2, text = ?3, since = ?4, rule = ?5, rule_start = ?6, rule_end = ?7,
             channels = ?8, days = ?9, max_count = ?10 WHERE id = ?1",
            params![b.id.0, b.whose.as_str(), b.text, day_text(b.since), kind, start, end, channels, days, max],
        )?;
        self.changed("boundary", b.id.0, rows)
    }

    pub fn remove_boundary(&self, id: BoundaryId) -> Result<()> {
        let rows = self.tx.execute("DELETE FROM boundary WHERE id = ?1", [id.0])?;
        self.changed("boundary", id.0, rows)
    }
}
