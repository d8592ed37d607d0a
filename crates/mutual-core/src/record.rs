//! Everything the model reads about one friend, loaded once.

use jiff::Timestamp;

use crate::agreement::Agreement;
use crate::care::{Boundary, Need};
use crate::followup::FollowUp;
use crate::friend::Friend;
use crate::interaction::{ChatContact, Exchange};
use crate::moments::{Gratitude, ParkedTopic, Win};

/// One friendship's data, as the model needs it.
#[derive(Clone, Debug)]
pub struct FriendRecord {
    pub friend: Friend,
    /// Journal entries with this friend, oldest first (those within the
    /// model's horizon suffice).
    pub exchanges: Vec<Exchange>,
    /// The latest logged contact, when it may be older than `exchanges` reach.
    pub last_logged: Option<Timestamp>,
    /// The latest contact from other sources (imported chats), if any.
    pub last_message: Option<Timestamp>,
    /// Recent chat conversations and who started them, oldest first.
    pub chat_contacts: Vec<ChatContact>,
    pub agreements: Vec<Agreement>,
    pub needs: Vec<Need>,
    pub boundaries: Vec<Boundary>,
    pub follow_ups: Vec<FollowUp>,
    pub wins: Vec<Win>,
    pub gratitude: Vec<Gratitude>,
    pub parked: Vec<ParkedTopic>,
    pub key_dates: Vec<crate::dates::KeyDate>,
}

impl FriendRecord {
    /// An empty record for `friend`.
    pub fn new(friend: Friend) -> FriendRecord {
        FriendRecord {
            friend,
            exchanges: Vec::new(),
            last_logged: None,
            last_message: None,
            chat_contacts: Vec::new(),
            agreements: Vec::new(),
            needs: Vec::new(),
            boundaries: Vec::new(),
            follow_ups: Vec::new(),
            key_dates: Vec::new(),
            wins: Vec::new(),
            gratitude: Vec::new(),
            parked: Vec::new(),
        }
    }

    /// The latest contact of any kind up to `as_of`.
    pub fn last_contact(&self, as_of: Timestamp) -> Option<Timestamp> {
        let logged = self.exchanges.iter().rev().map(|e| e.at).find(|&at| at <= as_of);
        let earlier = self.last_logged.filter(|&at| at <= as_of);
        let message = self.last_message.filter(|&at| at <= as_of);
        logged.max(earlier).max(message)
    }

    /// The latest hard news up to `as_of`.
    pub fn last_hard_news(&self, as_of: Timestamp) -> Option<Timestamp> {
        self.exchanges
            .iter()
            .rev()
            .filter(|e| e.hard_news)
            .map(|e| e.at)
            .find(|&at| at <= as_of)
    }
}
