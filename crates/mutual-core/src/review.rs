//! Review reflections: what a weekly or monthly walk through a friendship left.

use jiff::Timestamp;

use crate::id::{FriendId, ReviewId};
use crate::names::named_enum;

named_enum! {
    /// How far back a review looks.
    pub enum Period as "period" {
        Week = "week",
        Month = "month",
    }
}

impl Period {
    pub const fn days(self) -> i64 {
        match self {
            Period::Week => 7,
            Period::Month => 30,
        }
    }
}

/// What I noted while reviewing one friendship (or all of them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Review {
    pub id: ReviewId,
    pub at: Timestamp,
    pub period: Period,
    /// The friendship reviewed; all of them when absent.
    pub friend: Option<FriendId>,
    pub went_well: Option<String>,
    pub to_adjust: Option<String>,
    pub note: Option<String>,
}
