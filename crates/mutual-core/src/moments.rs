//! Wins, gratitude and parked topics: the small moments worth tending.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::id::{FriendId, GratitudeId, ParkedTopicId, WinId};
use crate::names::named_enum;

named_enum! {
    /// How I responded to a friend's good news.
    pub enum WinResponse as "response" {
        /// Enthusiastic and curious: asked about it, shared the joy.
        Enthusiastic = "enthusiastic",
        Brief = "brief",
        Missed = "missed",
    }
}

/// A friend's good news.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Win {
    pub id: WinId,
    pub friend: FriendId,
    pub at: Timestamp,
    pub text: String,
    pub response: Option<WinResponse>,
}

impl Win {
    /// Good news I have not yet celebrated (no response recorded, or missed).
    pub fn is_uncelebrated(&self) -> bool {
        matches!(self.response, None | Some(WinResponse::Missed))
    }
}

/// Something a friend did that I appreciate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gratitude {
    pub id: GratitudeId,
    pub friend: FriendId,
    pub at: Timestamp,
    pub text: String,
    /// When I told them; untold while absent.
    pub told_at: Option<Timestamp>,
}

/// An intense topic paused by agreement, to revisit later.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParkedTopic {
    pub id: ParkedTopicId,
    pub friend: FriendId,
    pub topic: String,
    pub parked_on: Date,
    pub revisit_on: Date,
    /// When we came back to it; still parked while absent.
    pub revisited_on: Option<Date>,
}

impl ParkedTopic {
    pub fn is_due(&self, today: Date) -> bool {
        self.revisited_on.is_none() && self.revisit_on <= today
    }
}
