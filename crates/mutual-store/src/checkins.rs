//! Two-sided check-ins: my key pair, my answers and, once their reply code
//! arrives, the friend's reveal key and answers. Answers are kept as the
//! JSON `mutual_checkin::Answers` writes; reading them against their
//! question set is the caller's work, not the store's.

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_checkin::CheckinId;
use mutual_checkin::crypto::{KeyPair, PublicKey, SecretKey};
use mutual_core::FriendId;
use rusqlite::{OptionalExtension, Row, params};

use crate::error::{Result, StoreError};
use crate::sql::{RowExt, day_text, seconds};
use crate::{Db, Tx};

/// A check-in as it starts.
#[derive(Debug)]
pub struct NewCheckin<'a> {
    pub id: CheckinId,
    pub friend: FriendId,
    pub created_at: Timestamp,
    /// The question set version.
    pub items: u8,
    /// The invitation's last day.
    pub expires: Date,
    pub key: &'a KeyPair,
}

/// A stored check-in.
#[derive(Clone, Debug)]
pub struct StoredCheckin {
    pub id: CheckinId,
    pub friend: FriendId,
    pub created_at: Timestamp,
    pub items: u8,
    pub expires: Date,
    pub key: KeyPair,
    /// My answers (JSON) and when I gave them.
    pub my_answers: Option<(String, Timestamp)>,
    /// The friend's reveal key, from their reply code.
    pub their_key: Option<PublicKey>,
    /// Their answers (JSON) and when their code was received.
    pub their_answers: Option<(String, Timestamp)>,
    /// When I last made a reveal code for them.
    pub revealed_at: Option<Timestamp>,
}

/// What receiving a reply did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// Their first answers.
    First,
    /// The same answers and key as before: nothing changed.
    Again,
    /// New answers (or a new key) replaced the earlier ones.
    Changed,
}

const COLUMNS: &str = "id, friend_id, created_at, items, expires, secret_key, my_answers, answered_at,
                       their_key, their_answers, received_at, revealed_at";

fn corrupt(column: &'static str, value: impl std::fmt::Debug) -> StoreError {
    StoreError::Corrupt {
        column,
        value: format!("{value:?}"),
    }
}

fn read(row: &Row<'_>) -> Result<StoredCheckin> {
    let id: CheckinId = row.parsed(0, "checkin.id")?;
    let secret: Vec<u8> = row.get(5)?;
    let secret = SecretKey::from_bytes(&secret).map_err(|_| corrupt("checkin.secret_key", "(hidden)"))?;
    let their_key = match row.get::<_, Option<Vec<u8>>>(8)? {
        None => None,
        Some(bytes) => Some(PublicKey::from_bytes(&bytes).map_err(|_| corrupt("checkin.their_key", bytes))?),
    };
    let answered = |text: usize, at: usize, column: &'static str| -> Result<Option<(String, Timestamp)>> {
        match (
            row.get::<_, Option<String>>(text)?,
            row.opt_timestamp(at, column)?,
        ) {
            (Some(json), Some(at)) => Ok(Some((json, at))),
            (None, _) => Ok(None),
            (Some(_), None) => Err(corrupt(column, "NULL")),
        }
    };
    Ok(StoredCheckin {
        id,
        friend: FriendId(row.get(1)?),
        created_at: row.timestamp(2, "checkin.created_at")?,
        items: row.get(3)?,
        expires: row.day(4, "checkin.expires")?,
        key: KeyPair {
            public: secret.public_key(),
            secret,
        },
        my_answers: answered(6, 7, "checkin.answered_at")?,
        their_key,
        their_answers: answered(9, 10, "checkin.received_at")?,
        revealed_at: row.opt_timestamp(11, "checkin.revealed_at")?,
    })
}

impl Db<'_> {
    pub fn checkin(&self, id: CheckinId) -> Result<StoredCheckin> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM checkin WHERE id = ?1"))?;
        let mut rows = stmt.query([id.to_string()])?;
        match rows.next()? {
            Some(row) => read(row),
            None => Err(StoreError::NoCheckin(id.to_string())),
        }
    }

    /// Check-ins, oldest first; with `friend`, only theirs.
    pub fn checkins(&self, friend: Option<FriendId>) -> Result<Vec<StoredCheckin>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM checkin WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY created_at, id"
        ))?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read(row)?);
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_checkin(&self, new: &NewCheckin<'_>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO checkin (id, friend_id, created_at, items, expires, secret_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new.id.to_string(),
                new.friend.0,
                seconds(new.created_at),
                new.items,
                day_text(new.expires),
                &new.key.secret.to_bytes()[..],
            ],
        )?;
        Ok(())
    }

    /// Keeps my answers (JSON), replacing earlier ones.
    pub fn set_my_checkin_answers(&self, id: CheckinId, answers: &str, at: Timestamp) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE checkin SET my_answers = ?2, answered_at = ?3 WHERE id = ?1",
            params![id.to_string(), answers, seconds(at)],
        )?;
        self.found(id, rows)
    }

    /// Keeps the friend's answers and reveal key from their reply code.
    /// The same code twice changes nothing (not even the time received).
    pub fn receive_checkin(
        &self,
        id: CheckinId,
        their_key: &PublicKey,
        answers: &str,
        at: Timestamp,
    ) -> Result<Received> {
        let before: Option<(Option<Vec<u8>>, Option<String>)> = self
            .tx
            .query_row(
                "SELECT their_key, their_answers FROM checkin WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let key = their_key.to_bytes();
        let received = match before {
            None => return Err(StoreError::NoCheckin(id.to_string())),
            Some((None, _)) | Some((_, None)) => Received::First,
            Some((Some(k), Some(a))) if k == key && a == answers => return Ok(Received::Again),
            Some(_) => Received::Changed,
        };
        self.tx.execute(
            "UPDATE checkin SET their_key = ?2, their_answers = ?3, received_at = ?4 WHERE id = ?1",
            params![id.to_string(), &key[..], answers, seconds(at)],
        )?;
        Ok(received)
    }

    pub fn mark_checkin_revealed(&self, id: CheckinId, at: Timestamp) -> Result<()> {
        let rows = self.tx.execute(
            "UPDATE checkin SET revealed_at = ?2 WHERE id = ?1",
            params![id.to_string(), seconds(at)],
        )?;
        self.found(id, rows)
    }

    pub fn remove_checkin(&self, id: CheckinId) -> Result<()> {
        let rows = self
            .tx
            .execute("DELETE FROM checkin WHERE id = ?1", [id.to_string()])?;
        self.found(id, rows)?;
        self.ask_scrub()
    }

    fn found(&self, id: CheckinId, rows: usize) -> Result<()> {
        if rows == 0 {
            Err(StoreError::NoCheckin(id.to_string()))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{NewFriend, Store};

    fn friend(store: &mut Store, name: &str) -> FriendId {
        let new = NewFriend {
            name: name.into(),
            circle: None,
            cadence: None,
            notes: None,
            aliases: vec![],
            birthday: None,
        };
        store
            .write(|tx| tx.add_friend(&new, Timestamp::from_second(1_700_000_000).unwrap()))
            .unwrap()
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + s).unwrap()
    }

    fn start(store: &mut Store, friend: FriendId, key: &KeyPair, id: [u8; 8], created: i64) -> CheckinId {
        let id = CheckinId::from_bytes(id);
        let new = NewCheckin {
            id,
            friend,
            created_at: at(created),
            items: 1,
            expires: Date::constant(2026, 9, 1),
            key,
        };
        store.write(|tx| tx.add_checkin(&new)).unwrap();
        id
    }

    #[test]
    fn a_checkin_keeps_its_key_and_both_sides_answers() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let sam = friend(&mut store, "Sam");
        let key = KeyPair::generate();
        let id = start(&mut store, sam, &key, [1; 8], 0);

        let stored = store.db().checkin(id).unwrap();
        assert_eq!(stored.friend, sam);
        assert_eq!(stored.items, 1);
        assert_eq!(stored.expires, Date::constant(2026, 9, 1));
        assert_eq!(stored.key.public, key.public);
        assert_eq!(stored.key.secret, key.secret);
        assert!(stored.my_answers.is_none() && stored.their_answers.is_none() && stored.their_key.is_none());

        store
            .write(|tx| tx.set_my_checkin_answers(id, r#"{"closeness":5}"#, at(10)))
            .unwrap();
        let theirs = KeyPair::generate().public;
        let received = store
            .write(|tx| tx.receive_checkin(id, &theirs, r#"{"closeness":4}"#, at(20)))
            .unwrap();
        assert_eq!(received, Received::First);
        // The same code again changes nothing, not even when it came.
        let again = store
            .write(|tx| tx.receive_checkin(id, &theirs, r#"{"closeness":4}"#, at(30)))
            .unwrap();
        assert_eq!(again, Received::Again);
        store.write(|tx| tx.mark_checkin_revealed(id, at(40))).unwrap();

        let stored = store.db().checkin(id).unwrap();
        assert_eq!(stored.my_answers, Some((r#"{"closeness":5}"#.to_owned(), at(10))));
        assert_eq!(
            stored.their_answers,
            Some((r#"{"closeness":4}"#.to_owned(), at(20)))
        );
        assert_eq!(stored.their_key.as_ref(), Some(&theirs));
        assert_eq!(stored.revealed_at, Some(at(40)));

        // Answering again replaces their answers.
        let changed = store
            .write(|tx| tx.receive_checkin(id, &theirs, r#"{"closeness":6}"#, at(50)))
            .unwrap();
        assert_eq!(changed, Received::Changed);
        assert_eq!(
            store.db().checkin(id).unwrap().their_answers,
            Some((r#"{"closeness":6}"#.to_owned(), at(50)))
        );
    }

    #[test]
    fn unknown_checkins_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let id = CheckinId::from_bytes([0xab; 8]);
        let err = store.db().checkin(id).unwrap_err();
        assert_eq!(err.to_string(), "there is no check-in with id abababababababab");
        let key = KeyPair::generate().public;
        assert!(matches!(
            store.write(|tx| tx.receive_checkin(id, &key, "{}", at(0))),
            Err(StoreError::NoCheckin(_))
        ));
        assert!(matches!(
            store.write(|tx| tx.mark_checkin_revealed(id, at(0))),
            Err(StoreError::NoCheckin(_))
        ));
        assert!(matches!(
            store.write(|tx| tx.remove_checkin(id)),
            Err(StoreError::NoCheckin(_))
        ));
    }

    #[test]
    fn checkins_list_by_friend_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let sam = friend(&mut store, "Sam");
        let ana = friend(&mut store, "Ana");
        let key = KeyPair::generate();
        let later = start(&mut store, sam, &key, [2; 8], 100);
        let earlier = start(&mut store, sam, &key, [3; 8], 50);
        let anas = start(&mut store, ana, &key, [4; 8], 70);
        let ids = |list: Vec<StoredCheckin>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(store.db().checkins(Some(sam)).unwrap()), [earlier, later]);
        assert_eq!(ids(store.db().checkins(None).unwrap()), [earlier, anas, later]);
        store.write(|tx| tx.remove_checkin(earlier)).unwrap();
        assert_eq!(ids(store.db().checkins(Some(sam)).unwrap()), [later]);
    }

    #[test]
    fn forgetting_a_friend_removes_their_checkins_keys_and_answers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut store = Store::open(&path, None).unwrap();
        let sam = friend(&mut store, "Sam");
        let ana = friend(&mut store, "Ana");
        let key = KeyPair::generate();
        let sams = start(&mut store, sam, &key, [5; 8], 0);
        let anas = start(&mut store, ana, &KeyPair::generate(), [6; 8], 0);
        let secret = store.db().checkin(sams).unwrap().key.secret.to_bytes();
        let theirs = KeyPair::generate().public;
        store
            .write(|tx| {
                tx.receive_checkin(sams, &theirs, r#"{"need":"a quiet evening by the canal"}"#, at(1))
            })
            .unwrap();
        store.checkpoint().unwrap();

        let done = store
            .write(|tx| tx.forget_friend(sam, &["Sam".into()], false))
            .unwrap();
        assert!(done.records >= 1, "{done:?}");
        assert!(matches!(store.db().checkin(sams), Err(StoreError::NoCheckin(_))));
        assert_eq!(store.db().checkin(anas).unwrap().friend, ana);
        store.scrub().unwrap();
        drop(store);

        let mut bytes = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(dir.path().join("m.db-wal")) {
            bytes.extend(wal);
        }
        assert!(
            !bytes.windows(secret.len()).any(|w| w == &secret[..]),
            "the secret key is gone"
        );
        assert!(
            !bytes.windows(12).any(|w| w == b"by the canal"),
            "their answers are gone"
        );
    }
}
