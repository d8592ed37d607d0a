//! Review reflections.

use jiff::Timestamp;
use mutual_core::{FriendId, Period, Review, ReviewId};
use rusqlite::params;

use crate::error::Result;
use crate::sql::{RowExt, seconds};
use crate::{Db, Tx};

/// A reflection to record.
#[derive(Clone, Debug)]
pub struct NewReview<'a> {
    pub at: Timestamp,
    pub period: Period,
    pub friend: Option<FriendId>,
    pub went_well: Option<&'a str>,
    pub to_adjust: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Db<'_> {
    /// Reflections about `friend` (or all), oldest first.
    pub fn reviews(&self, friend: Option<FriendId>) -> Result<Vec<Review>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, period, friend_id, went_well, to_adjust, note FROM review
             WHERE ?1 IS NULL OR friend_id = ?1 ORDER BY at, id",
        )?;
        let mut rows = stmt.query([friend.map(|f| f.0)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(Review {
                id: ReviewId(row.get(0)?),
                at: row.timestamp(1, "review.at")?,
                period: row.parsed(2, "review.period")?,
                friend: row.get::<_, Option<i64>>(3)?.map(FriendId),
                went_well: row.get(4)?,
                to_adjust: row.get(5)?,
                note: row.get(6)?,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn add_review(&self, r: &NewReview<'_>) -> Result<ReviewId> {
        self.tx.execute(
            "INSERT INTO review (at, period, friend_id, went_well, to_adjust, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seconds(r.at), r.period.as_str(), r.friend.map(|f| f.0), r.went_well, r.to_adjust, r.note],
        )?;
        Ok(ReviewId(self.tx.last_insert_rowid()))
    }
}
