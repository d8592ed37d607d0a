//! Everything the model reads, per friend, in a few sequential scans.

use std::collections::HashMap;

use jiff::Timestamp;
use mutual_core::{FriendId, FriendRecord};

use crate::Db;
use crate::error::Result;

/// Moves each item into the record of the friend it belongs to.
fn distribute<T>(
    records: &mut HashMap<FriendId, &mut FriendRecord>,
    items: Vec<T>,
    friend: impl Fn(&T) -> FriendId,
    field: impl Fn(&mut FriendRecord) -> &mut Vec<T>,
) {
    for item in items {
        if let Some(record) = records.get_mut(&friend(&item)) {
            field(record).push(item);
        }
    }
}

impl Db<'_> {
    /// The record of every friend (or only `only`), ordered by name, with
    /// journal entries from `since` on and the latest contact up to `as_of`.
    pub fn records(
        &self,
        only: Option<FriendId>,
        since: Timestamp,
        as_of: Timestamp,
    ) -> Result<Vec<FriendRecord>> {
        let mut records: Vec<FriendRecord> = self
            .friends()?
            .into_iter()
            .filter(|f| only.is_none_or(|id| f.id == id))
            .map(FriendRecord::new)
            .collect();
        for record in &mut records {
            record.exchanges = self.exchanges_of(record.friend.id, Some(since))?;
            record.last_logged = self.last_logged(record.friend.id, as_of)?;
            record.last_message = self.last_message(record.friend.id, as_of)?;
        }
        let mut by_id: HashMap<FriendId, &mut FriendRecord> =
            records.iter_mut().map(|r| (r.friend.id, r)).collect();
        distribute(
            &mut by_id,
            self.agreements(only)?,
            |a| a.friend,
            |r| &mut r.agreements,
        );
        distribute(&mut by_id, self.needs(only)?, |n| n.friend, |r| &mut r.needs);
        distribute(
            &mut by_id,
            self.boundaries(only)?,
            |b| b.friend,
            |r| &mut r.boundaries,
        );
        distribute(
            &mut by_id,
            self.follow_ups(only)?,
            |f| f.friend,
            |r| &mut r.follow_ups,
        );
        distribute(&mut by_id, self.wins(only)?, |w| w.friend, |r| &mut r.wins);
        distribute(
            &mut by_id,
            self.gratitude(only)?,
            |g| g.friend,
            |r| &mut r.gratitude,
        );
        distribute(
            &mut by_id,
            self.parked_topics(only)?,
            |p| p.friend,
            |r| &mut r.parked,
        );
        distribute(
            &mut by_id,
            self.key_dates(only)?,
            |k| k.friend,
            |r| &mut r.key_dates,
        );
        Ok(records)
    }
}
