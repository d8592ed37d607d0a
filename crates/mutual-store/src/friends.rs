//! Friends, their aliases and their pauses.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{Alias, Cadence, Circle, Friend, FriendId, Pause, Platform};
use rusqlite::{ErrorCode, params};

use crate::error::{Result, StoreError};
use crate::sql::{RowExt, day_text, seconds};
use crate::{Db, Tx};

/// A friend to add.
#[derive(Clone, Debug, Default)]
pub struct NewFriend {
    pub name: String,
    pub circle: Option<Circle>,
    pub cadence: Option<Cadence>,
    pub notes: Option<String>,
    pub aliases: Vec<Alias>,
    pub birthday: Option<mutual_core::MonthDay>,
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

impl Db<'_> {
    /// Every friend, by name, with aliases and pauses.
    pub fn friends(&self) -> Result<Vec<Friend>> {
        let mut aliases: HashMap<FriendId, Vec<Alias>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT friend_id, text, platform FROM alias ORDER BY friend_id, text")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let platform: String = row.get(2)?;
            let platform = if platform.is_empty() {
                None
            } else {
                Some(row.parsed::<Platform>(2, "alias.platform")?)
            };
            aliases.entry(FriendId(row.get(0)?)).or_default().push(Alias {
                text: row.get(1)?,
                platform,
            });
        }
        let mut pauses: HashMap<FriendId, Vec<Pause>> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT friend_id, from_day, until_day, reason FROM pause ORDER BY friend_id, from_day",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            pauses.entry(FriendId(row.get(0)?)).or_default().push(Pause {
                from: row.day(1, "pause.from_day")?,
                until: row.opt_day(2, "pause.until_day")?,
                reason: row.get(3)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, circle, ideal_days, max_days, notes, snoozed_until, added_at, birthday
             FROM friend ORDER BY name COLLATE NOCASE",
        )?;
        let mut rows = stmt.query([])?;
        let mut friends = Vec::new();
        while let Some(row) = rows.next()? {
            let id = FriendId(row.get(0)?);
            let cadence = match (row.get::<_, Option<u32>>(3)?, row.get::<_, Option<u32>>(4)?) {
                (Some(ideal), Some(max)) => {
                    Some(Cadence::new(ideal, max).map_err(|_| StoreError::Corrupt {
                        column: "friend.ideal_days",
                        value: format!("{ideal}/{max}"),
                    })?)
                }
                _ => None,
            };
            friends.push(Friend {
                id,
                name: row.get(1)?,
                aliases: aliases.remove(&id).unwrap_or_default(),
                circle: row.opt_parsed(2, "friend.circle")?,
                cadence,
                notes: row.get(5)?,
                pauses: pauses.remove(&id).unwrap_or_default(),
                snoozed_until: row.opt_day(6, "friend.snoozed_until")?,
                birthday: row.opt_parsed(8, "friend.birthday")?,
                added_at: row.timestamp(7, "friend.added_at")?,
            });
        }
        Ok(friends)
    }

    pub fn friend(&self, id: FriendId) -> Result<Friend> {
        self.friends()?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(StoreError::NotFound {
                what: "friend",
                id: id.0,
            })
    }
}

/// Who else a name or alias already points to.
enum Taken {
    /// Another friend has this name.
    Name(String),
    /// Another friend has this alias (on an overlapping platform).
    Alias(String),
}

impl Tx<'_> {
    /// Whether `text` already points to a friend other than `except`: as
    /// their name, or as an alias on `platform` or on every platform (when
    /// `platform` is `None`, on any). Case does not matter.
    fn taken(
        &self,
        text: &str,
        platform: Option<Platform>,
        except: Option<FriendId>,
    ) -> Result<Option<Taken>> {
        let wanted = text.trim().to_lowercase();
        for friend in self.db().friends()? {
            if Some(friend.id) == except {
                continue;
            }
            if friend.name.to_lowercase() == wanted {
                return Ok(Some(Taken::Name(friend.name)));
            }
            let clash = friend.aliases.iter().any(|a| {
                a.text.to_lowercase() == wanted
                    && (platform.is_none() || a.platform.is_none() || a.platform == platform)
            });
            if clash {
                return Ok(Some(Taken::Alias(friend.name)));
            }
        }
        Ok(None)
    }

    pub fn add_friend(&self, new: &NewFriend, added_at: Timestamp) -> Result<FriendId> {
        match self.taken(&new.name, None, None)? {
            Some(Taken::Name(_)) => return Err(StoreError::DuplicateName(new.name.clone())),
            Some(Taken::Alias(friend)) => {
                return Err(StoreError::NameIsAlias {
                    name: new.name.clone(),
                    friend,
                });
            }
            None => {}
        }
        let result = self.tx.execute(
            "INSERT INTO friend (name, circle, ideal_days, max_days, notes, added_at, birthday)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                new.name,
                new.circle.map(Circle::as_str),
                new.cadence.map(|c| c.ideal_days),
                new.cadence.map(|c| c.max_days),
                new.notes,
                seconds(added_at),
                new.birthday.map(|b| b.to_string()),
            ],
        );
        match result {
            Err(e) if is_constraint(&e) => return Err(StoreError::DuplicateName(new.name.clone())),
            other => other?,
        };
        let id = FriendId(self.tx.last_insert_rowid());
        for alias in &new.aliases {
            self.add_alias(id, alias)?;
        }
        Ok(id)
    }

    /// Writes name, circle, cadence, notes and snooze.
    pub fn update_friend(&self, friend: &Friend) -> Result<()> {
        match self.taken(&friend.name, None, Some(friend.id))? {
            Some(Taken::Name(_)) => return Err(StoreError::DuplicateName(friend.name.clone())),
            Some(Taken::Alias(owner)) => {
                return Err(StoreError::NameIsAlias {
                    name: friend.name.clone(),
                    friend: owner,
                });
            }
            None => {}
        }
        let result = self.tx.execute(
            "UPDATE friend SET name = ?2, circle = ?3, ideal_days = ?4, max_days = ?5, notes = ?6,
             snoozed_until = ?7, birthday = ?8 WHERE id = ?1",
            params![
                friend.id.0,
                friend.name,
                friend.circle.map(Circle::as_str),
                friend.cadence.map(|c| c.ideal_days),
                friend.cadence.map(|c| c.max_days),
                friend.notes,
                friend.snoozed_until.map(day_text),
                friend.birthday.map(|b| b.to_string()),
            ],
        );
        let rows = match result {
            Err(e) if is_constraint(&e) => return Err(StoreError::DuplicateName(friend.name.clone())),
            other => other?,
        };
        self.changed("friend", friend.id.0, rows)
    }

    /// Adds another name a friend goes by. An alias that is another
    /// friend's name, or their alias on the same platform (or on every
    /// platform), is refused: a name points to one friend only.
    pub fn add_alias(&self, friend: FriendId, alias: &Alias) -> Result<()> {
        match self.taken(&alias.text, alias.platform, Some(friend))? {
            Some(Taken::Name(owner)) => {
                return Err(StoreError::AliasIsName {
                    alias: alias.text.clone(),
                    friend: owner,
                });
            }
            Some(Taken::Alias(owner)) => {
                return Err(StoreError::DuplicateAlias {
                    alias: alias.text.clone(),
                    friend: owner,
                });
            }
            None => {}
        }
        let result = self.tx.execute(
            "INSERT INTO alias (friend_id, text, platform) VALUES (?1, ?2, ?3)",
            params![friend.0, alias.text, alias.platform.map_or("", Platform::as_str)],
        );
        match result {
            Err(e) if is_constraint(&e) => {
                let owner: String = self.tx.query_row(
                    "SELECT f.name FROM alias a JOIN friend f ON f.id = a.friend_id
                     WHERE a.text = ?1 COLLATE NOCASE AND a.platform = ?2",
                    params![alias.text, alias.platform.map_or("", Platform::as_str)],
                    |r| r.get(0),
                )?;
                Err(StoreError::DuplicateAlias {
                    alias: alias.text.clone(),
                    friend: owner,
                })
            }
            other => other.map(drop).map_err(Into::into),
        }
    }

    /// Removes an alias; returns whether there was one.
    pub fn remove_alias(&self, friend: FriendId, text: &str) -> Result<bool> {
        Ok(self.tx.execute(
            "DELETE FROM alias WHERE friend_id = ?1 AND text = ?2 COLLATE NOCASE",
            params![friend.0, text],
        )? > 0)
    }

    pub fn add_pause(&self, friend: FriendId, pause: &Pause) -> Result<()> {
        self.tx.execute(
            "INSERT INTO pause (friend_id, from_day, until_day, reason) VALUES (?1, ?2, ?3, ?4)",
            params![
                friend.0,
                day_text(pause.from),
                pause.until.map(day_text),
                pause.reason
            ],
        )?;
        Ok(())
    }

    /// Ends every pause still running after `last_day`: its last paused day
    /// becomes `last_day`, and pauses that had not begun yet are dropped.
    /// Returns how many pauses changed.
    pub fn end_pauses(&self, friend: FriendId, last_day: Date) -> Result<usize> {
        let day = day_text(last_day);
        let dropped = self.tx.execute(
            "DELETE FROM pause WHERE friend_id = ?1 AND from_day > ?2",
            params![friend.0, day],
        )?;
        let ended = self.tx.execute(
            "UPDATE pause SET until_day = ?2
             WHERE friend_id = ?1 AND (until_day IS NULL OR until_day > ?2)",
            params![friend.0, day],
        )?;
        Ok(dropped + ended)
    }
}
