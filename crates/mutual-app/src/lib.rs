//! The application layer: what every face of `mutual` (the command line
//! now, the web app next) does the same way, with no terminal and no
//! flags. [`Settings`] is the moment, the zone and the model's knobs, built
//! once; from a store it reads each friend's [`FriendRecord`], their weekly
//! chat measures and what the chats show, and it keeps those measures fresh
//! on the writes that change them ([`chats`]).

pub mod calendar;
pub mod chats;
pub mod checkin;
pub mod error;
pub mod friends;
pub mod import;
pub mod notes;
pub mod report;
pub mod services;
pub mod views;

use std::collections::BTreeMap;

use crate::error::Result;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use mutual_analysis::drift::DriftConfig;
use mutual_analysis::weekly::{Week, WeekConfig};
use mutual_core::{Context, Drift, FriendId, FriendRecord, ModelConfig};
use mutual_store::{Db, Store};

/// What every view over all friends reads: each friend's record, their
/// weekly chat measures and what the chats show, read once so that a face
/// serving many views (the dashboard) can share it until the data change.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub records: Vec<FriendRecord>,
    pub weeks: BTreeMap<FriendId, Vec<Week>>,
    pub drift: Drift,
}

/// The moment, the place and the model's settings every view and write
/// uses, built once per command (or request).
#[derive(Clone, Debug)]
pub struct Settings {
    pub now: Timestamp,
    pub tz: TimeZone,
    pub config: ModelConfig,
    /// How chats split into conversations and weeks.
    pub weeks: WeekConfig,
    pub drift: DriftConfig,
}

impl Settings {
    /// The default model, week and drift settings at `now` in `tz`.
    pub fn new(now: Timestamp, tz: TimeZone) -> Settings {
        Settings {
            now,
            tz,
            config: ModelConfig::default(),
            weeks: WeekConfig::default(),
            drift: DriftConfig::default(),
        }
    }

    /// The model's view of this moment.
    pub fn context(&self) -> Context<'_> {
        Context::new(self.now, &self.tz, &self.config)
    }

    /// The local day of `now`.
    pub fn today(&self) -> Date {
        self.now.to_zoned(self.tz.clone()).date()
    }

    /// The first moment the model reads the journal from.
    pub fn horizon(&self) -> Timestamp {
        self.now - mutual_core::days(self.config.horizon_days())
    }

    /// The same settings, evaluated as if it were `now`.
    pub fn at(&self, now: Timestamp) -> Settings {
        Settings { now, ..self.clone() }
    }

    /// Every friend's record (or one friend's), as the model needs it.
    pub fn records(&self, db: Db<'_>, only: Option<FriendId>) -> Result<Vec<FriendRecord>> {
        let mut records = db.records(only, self.horizon(), self.now)?;
        let lookback = mutual_core::days(self.config.signals.lookback_days + 1);
        let since = self.now.checked_sub(lookback).unwrap_or(Timestamp::MIN);
        chats::add_chat_contacts(db, &mut records, since, self.now, &self.weeks)?;
        Ok(records)
    }

    /// Every friend's weekly chat measures (or one friend's) as of these
    /// settings, without writing (see [`chats::weeks`]).
    pub fn weeks(&self, db: Db<'_>, only: Option<FriendId>) -> Result<BTreeMap<FriendId, Vec<Week>>> {
        chats::weeks(db, only, &self.tz, &self.weeks)
    }

    /// Every friend's record, weeks and drift, as of these settings.
    pub fn snapshot(&self, db: Db<'_>) -> Result<Snapshot> {
        let records = self.records(db, None)?;
        let weeks = self.weeks(db, None)?;
        let drift = self.drift_in(&weeks, &records);
        Ok(Snapshot {
            records,
            weeks,
            drift,
        })
    }

    /// What the chats show today for these friends (drift, from their
    /// weekly measures).
    pub fn drift(&self, db: Db<'_>, records: &[FriendRecord]) -> Result<Drift> {
        let only = match records {
            [one] => Some(one.friend.id),
            _ => None,
        };
        Ok(self.drift_in(&self.weeks(db, only)?, records))
    }

    /// The same, from weekly measures already read.
    pub fn drift_in(&self, weeks: &BTreeMap<FriendId, Vec<Week>>, records: &[FriendRecord]) -> Drift {
        let today = self.today();
        records
            .iter()
            .filter_map(|r| {
                let weeks = weeks.get(&r.friend.id)?;
                let found = mutual_analysis::signals::drift_signals(&r.friend, weeks, today, &self.drift);
                Some((r.friend.id, found))
            })
            .collect()
    }

    /// After a write that may change who a friend's chat senders are:
    /// brings the stored weekly measures up to date, so reads need not.
    pub fn refresh_chats(&self, store: &mut Store) -> Result<()> {
        chats::refresh_stale(store, &self.tz, &self.weeks)
    }

    /// Once per database, as a migration would: kept texts from an older
    /// mutual get their features, and the weeks that read them. Call on
    /// opening a store that can be written.
    pub fn upgrade(&self, store: &mut Store) -> Result<()> {
        if chats::upgrade_pending(store.db())? {
            self.refresh_chats(store)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use mutual_store::NewFriend;

    fn settings(now: &str, zone: &str) -> Settings {
        Settings::new(now.parse().unwrap(), TimeZone::get(zone).unwrap())
    }

    #[test]
    fn the_day_and_the_horizon_follow_the_clock_and_zone() {
        let s = settings("2026-06-15T23:30:00Z", "Europe/Berlin");
        assert_eq!(s.today(), jiff::civil::date(2026, 6, 16));
        assert_eq!(s.context().today, s.today());
        let later = s.at("2026-07-01T12:00:00Z".parse().unwrap());
        assert_eq!(later.today(), jiff::civil::date(2026, 7, 1));
        assert!(later.horizon() < later.now && s.horizon() < later.horizon());
    }

    #[test]
    fn a_store_reads_into_records_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let s = settings("2026-06-15T12:00:00Z", "UTC");
        let new = NewFriend {
            name: "Sam".to_owned(),
            ..NewFriend::default()
        };
        store.write(|tx| tx.add_friend(&new, s.now)).unwrap();
        s.upgrade(&mut store).unwrap();
        let records = s.records(store.db(), None).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].friend.name, "Sam");
        // No chats: no weeks, nothing the chats show.
        assert!(s.weeks(store.db(), None).unwrap().is_empty());
        assert!(s.drift(store.db(), &records).unwrap().values().all(Vec::is_empty));
    }
}
