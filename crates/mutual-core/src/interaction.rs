//! Interactions: the journal entries a person logs by hand.

use jiff::Timestamp;

use crate::id::{FriendId, InteractionId};
use crate::names::named_enum;
use crate::support::SupportSet;

named_enum! {
    /// How we were in touch.
    pub enum Channel as "channel" {
        InPerson = "in-person",
        Call = "call",
        Video = "video",
        Message = "message",
        Other = "other",
    }
}

impl Channel {
    /// The channel as a plural noun: "calls", "messages".
    pub fn plural(self) -> &'static str {
        match self {
            Channel::InPerson => "meetings in person",
            Channel::Call => "calls",
            Channel::Video => "video calls",
            Channel::Message => "messages",
            Channel::Other => "other contact",
        }
    }
}

named_enum! {
    /// Who reached out first.
    pub enum Initiator as "initiator" {
        Me = "me",
        Them = "them",
        Both = "both",
        Unknown = "unknown",
    }
}

named_enum! {
    /// One side of a friendship: me, or the friend.
    pub enum Side as "side" {
        Me = "me",
        Them = "them",
    }
}

impl Side {
    pub const fn other(self) -> Side {
        match self {
            Side::Me => Side::Them,
            Side::Them => Side::Me,
        }
    }

    /// The initiator value that means "this side reached out".
    pub const fn as_initiator(self) -> Initiator {
        match self {
            Side::Me => Initiator::Me,
            Side::Them => Initiator::Them,
        }
    }
}

/// How I felt afterwards, from -3 (depleted) to +3 (energized).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Energy(i8);

impl Energy {
    pub fn new(value: i64) -> Option<Energy> {
        (-3..=3)
            .contains(&value)
            .then(|| Energy(i8::try_from(value).expect("checked range")))
    }

    pub const fn get(self) -> i8 {
        self.0
    }
}

/// How heard I felt, from 1 (not at all) to 5 (completely).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct FeltHeard(u8);

impl FeltHeard {
    pub fn new(value: i64) -> Option<FeltHeard> {
        (1..=5)
            .contains(&value)
            .then(|| FeltHeard(u8::try_from(value).expect("checked range")))
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

/// The part of an interaction the reciprocity model reads: small and `Copy`
/// so that years of entries load and fold quickly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exchange {
    pub at: Timestamp,
    pub channel: Channel,
    pub initiator: Initiator,
    /// What I gave.
    pub gave: SupportSet,
    /// What I received.
    pub got: SupportSet,
    pub energy: Option<Energy>,
    /// There was friction or a conflict.
    pub conflict: bool,
    /// The friend shared hard news: their check-in rhythm tightens for a while.
    pub hard_news: bool,
}

impl Exchange {
    /// An exchange at `at` with nothing given or received.
    pub fn at(at: Timestamp) -> Exchange {
        Exchange {
            at,
            channel: Channel::Other,
            initiator: Initiator::Unknown,
            gave: SupportSet::EMPTY,
            got: SupportSet::EMPTY,
            energy: None,
            conflict: false,
            hard_news: false,
        }
    }

    pub fn carries_support(&self) -> bool {
        !self.gave.is_empty() || !self.got.is_empty()
    }
}

/// A journal entry: one time we were in touch.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Interaction {
    pub id: InteractionId,
    /// Everyone who was there; at least one friend.
    pub friends: Vec<FriendId>,
    #[serde(flatten)]
    pub exchange: Exchange,
    pub felt_heard: Option<FeltHeard>,
    pub note: Option<String>,
    pub tags: Vec<String>,
}

impl serde::Serialize for Exchange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("at", &self.at)?;
        map.serialize_entry("channel", &self.channel)?;
        map.serialize_entry("initiator", &self.initiator)?;
        map.serialize_entry("gave", &self.gave)?;
        map.serialize_entry("got", &self.got)?;
        map.serialize_entry("energy", &self.energy)?;
        map.serialize_entry("conflict", &self.conflict)?;
        map.serialize_entry("hard_news", &self.hard_news)?;
        map.end()
    }
}

/// A chat conversation, by who started it: contact from an imported chat,
/// as an [`Exchange`] is contact from the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChatContact {
    pub at: Timestamp,
    pub by: Side,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_and_felt_heard_ranges() {
        assert_eq!(Energy::new(-3).map(Energy::get), Some(-3));
        assert_eq!(Energy::new(4), None);
        assert_eq!(Energy::new(-4), None);
        assert_eq!(FeltHeard::new(0), None);
        assert_eq!(FeltHeard::new(5).map(FeltHeard::get), Some(5));
    }

    #[test]
    fn channel_names_are_kebab_case() {
        assert_eq!("in-person".parse::<Channel>(), Ok(Channel::InPerson));
        assert_eq!(Channel::InPerson.to_string(), "in-person");
        assert!("pigeon".parse::<Channel>().is_err());
    }
}
