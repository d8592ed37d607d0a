//! Conversations, turns and replies in the messages between me and one friend.
//!
//! A conversation is a run of messages with no gap as long as the threshold
//! (3 hours by default). Its initiator wrote the first message. A turn is a
//! run of messages by one side; every turn after the first is a reply, whose
//! latency is the time since the other side's last message.

use jiff::{SignedDuration, Timestamp};

use crate::text::Flags;

/// What the analysis needs of one stored message, in one chat.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChatMessage {
    pub at: Timestamp,
    pub from_me: bool,
    pub words: u32,
    /// VADER compound, [-1, 1]; 0 for media and calls.
    pub compound: f32,
    /// The tone was measured: the text is in a language `mutual` reads.
    pub toned: bool,
    /// Mean emoji sentiment, [-1, 1]; 0 without emoji.
    pub emoji_sentiment: f32,
    pub emoji: u32,
    pub flags: Flags,
    pub style: crate::text::Style,
}

/// Splits one chat's messages (in time order) into conversations.
pub fn conversations(messages: &[ChatMessage], gap: SignedDuration) -> impl Iterator<Item = &[ChatMessage]> {
    messages.chunk_by(move |a, b| b.at.duration_since(a.at) < gap)
}

/// Splits a conversation into turns: runs of messages by one side.
pub fn turns(conversation: &[ChatMessage]) -> impl Iterator<Item = &[ChatMessage]> {
    conversation.chunk_by(|a, b| a.from_me == b.from_me)
}

/// Whether a turn asks for a response: a question, news or a disclosure.
pub fn is_bid(turn: &[ChatMessage]) -> bool {
    let bid = Flags(Flags::QUESTION.0 | Flags::GOOD_NEWS.0 | Flags::HARD_NEWS.0 | Flags::DISCLOSURE.0);
    turn.iter().any(|m| m.flags.0 & bid.0 != 0)
}

/// Whether a reply engages with what it answers: more than a word or two,
/// or a question back, or clear feeling, or support. "ok", "lol" and a lone
/// thumbs-up are minimal.
pub fn is_engaged(reply: &[ChatMessage]) -> bool {
    let words: u32 = reply.iter().map(|m| m.words).sum();
    words >= 4
        || reply.iter().any(|m| {
            m.flags.contains(Flags::QUESTION)
                || m.flags.contains(Flags::SUPPORT)
                || (m.words >= 2 && m.compound.abs() >= 0.4)
        })
}

/// Whether a reply to good news celebrates it: enthusiastic (warm words,
/// an exclamation or happy emoji) and interested (a question, or a real
/// answer of several words).
pub fn is_celebration(reply: &[ChatMessage]) -> bool {
    let enthusiastic = reply
        .iter()
        .any(|m| m.compound >= 0.3 || m.flags.contains(Flags::EXCLAMATION) || m.emoji_sentiment > 0.3);
    let words: u32 = reply.iter().map(|m| m.words).sum();
    let interested = words >= 8 || reply.iter().any(|m| m.flags.contains(Flags::QUESTION));
    enthusiastic && interested
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A message `minutes` after the epoch of the test.
    pub(crate) fn msg(minutes: i64, from_me: bool, words: u32) -> ChatMessage {
        ChatMessage {
            at: Timestamp::from_second(1_700_000_000 + minutes * 60).expect("in range"),
            from_me,
            words,
            compound: 0.0,
            toned: true,
            emoji_sentiment: 0.0,
            emoji: 0,
            flags: Flags::default(),
            style: Default::default(),
        }
    }

    #[test]
    fn a_gap_as_long_as_the_threshold_starts_a_new_conversation() {
        let m = [
            msg(0, true, 3),
            msg(10, false, 3),
            msg(189, true, 3),
            msg(369, false, 1),
        ];
        let sizes: Vec<usize> = conversations(&m, SignedDuration::from_hours(3))
            .map(<[_]>::len)
            .collect();
        assert_eq!(sizes, [3, 1]);
        let sizes: Vec<usize> = conversations(&m, SignedDuration::from_mins(60))
            .map(<[_]>::len)
            .collect();
        assert_eq!(sizes, [2, 1, 1]);
    }

    #[test]
    fn turns_are_runs_of_one_side() {
        let m = [
            msg(0, true, 3),
            msg(1, true, 3),
            msg(2, false, 3),
            msg(3, true, 1),
        ];
        let sides: Vec<(bool, usize)> = turns(&m).map(|t| (t[0].from_me, t.len())).collect();
        assert_eq!(sides, [(true, 2), (false, 1), (true, 1)]);
    }

    #[test]
    fn minimal_replies_are_not_engaged() {
        assert!(!is_engaged(&[msg(0, false, 1)]));
        assert!(!is_engaged(&[msg(0, false, 1), msg(1, false, 2)]));
        assert!(is_engaged(&[msg(0, false, 5)]));
        let mut question = msg(0, false, 1);
        question.flags.insert(Flags::QUESTION);
        assert!(is_engaged(&[question]));
    }

    #[test]
    fn a_celebration_is_warm_and_curious() {
        let mut warm = msg(0, true, 2);
        warm.flags.insert(Flags::EXCLAMATION);
        assert!(!is_celebration(&[warm]), "warm but not curious");
        let mut curious = msg(1, true, 4);
        curious.flags.insert(Flags::QUESTION);
        assert!(is_celebration(&[warm, curious]));
        assert!(!is_celebration(&[curious]), "curious but flat");
    }
}
