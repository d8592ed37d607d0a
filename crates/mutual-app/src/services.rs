//! Writes, as every face asks for them: each takes what was asked (already
//! read from a form or the command line) and returns what happened, for
//! the face to say in its own words.

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{
    Alias, Balance, Channel, Energy, Exchange, FeltHeard, FollowUpId, Friend, FriendId, Initiator,
    Interaction, InteractionId, SupportKind, SupportSet, balance,
};
use mutual_store::{Forgotten, JournalFilter, NewFriend, NewInteraction, Scrub, Store};

use crate::Settings;
use crate::error::{AppError, Result};
use crate::friends::find_friend;

/// Time together to log.
#[derive(Clone, Debug, Default)]
pub struct LogRequest {
    /// Who was there, by name or alias.
    pub friends: Vec<String>,
    /// When [default: now].
    pub at: Option<Timestamp>,
    pub channel: Option<Channel>,
    pub initiator: Option<Initiator>,
    pub gave: Option<SupportSet>,
    pub got: Option<SupportSet>,
    pub energy: Option<Energy>,
    pub felt_heard: Option<FeltHeard>,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub conflict: bool,
    pub hard_news: bool,
    /// Something to come back to, and by when.
    pub follow_up: Option<(String, Date)>,
}

/// What logging did.
#[derive(Clone, Debug)]
pub struct Logged {
    pub id: InteractionId,
    pub friends: Vec<Friend>,
    pub exchange: Exchange,
    pub follow_up: Option<FollowUpId>,
    /// An entry so like this one, so close in time, that it is most likely
    /// the same time together logged twice.
    pub twin: Option<Interaction>,
    /// Each friend's balance now.
    pub balances: Vec<Balance>,
    /// They shared something personal (a disclosure or hard news).
    pub shared: bool,
}

/// Two entries with the same friends, channel and support this close in
/// time are likely one time together logged twice.
pub const DUPLICATE_MINUTES: i64 = 15;

/// Logs time together (with a follow-up, if asked), and says what it did.
/// An entry that says nothing but its time is refused (`AppError::Invalid`
/// with the field `entry`).
pub fn log(settings: &Settings, store: &mut Store, request: LogRequest) -> Result<Logged> {
    let all = store.db().friends()?;
    let mut friends: Vec<Friend> = Vec::new();
    for name in &request.friends {
        let friend = find_friend(&all, name)?;
        if friends.iter().any(|f| f.id == friend.id) {
            return Err(AppError::Invalid {
                field: "friend",
                value: friend.name.clone(),
                problem: "is named twice".to_owned(),
                expected: "each friend once".to_owned(),
            });
        }
        friends.push(friend.clone());
    }
    let Some(first) = friends.first().map(|f| f.id) else {
        return Err(AppError::Invalid {
            field: "friend",
            value: String::new(),
            problem: "is missing".to_owned(),
            expected: "at least one friend".to_owned(),
        });
    };
    let note = request.note.filter(|n| !n.trim().is_empty());
    let said = request.channel.is_some()
        || request.initiator.is_some()
        || request.gave.is_some()
        || request.got.is_some()
        || request.energy.is_some()
        || request.felt_heard.is_some()
        || note.is_some()
        || !request.tags.is_empty()
        || request.conflict
        || request.hard_news
        || request.follow_up.is_some();
    if !said {
        return Err(AppError::Invalid {
            field: "entry",
            value: String::new(),
            problem: "holds nothing but its time, so nothing was saved".to_owned(),
            expected: "how you were in touch, what was given, or how it felt".to_owned(),
        });
    }
    let exchange = Exchange {
        at: request.at.unwrap_or(settings.now),
        channel: request.channel.unwrap_or(Channel::Other),
        initiator: request.initiator.unwrap_or(Initiator::Unknown),
        gave: request.gave.unwrap_or_default(),
        got: request.got.unwrap_or_default(),
        energy: request.energy,
        conflict: request.conflict,
        hard_news: request.hard_news,
    };
    let new = NewInteraction {
        friends: friends.iter().map(|f| f.id).collect(),
        exchange,
        felt_heard: request.felt_heard,
        note,
        tags: request.tags,
    };
    let now = settings.now;
    let follow_up = request.follow_up;
    let (id, follow_up) = store.write(|tx| -> Result<_> {
        let id = tx.add_interaction(&new)?;
        let follow = follow_up
            .as_ref()
            .map(|(text, due)| tx.add_follow_up(first, text, *due, now, Some(id)))
            .transpose()?;
        Ok((id, follow))
    })?;
    let db = store.db();
    let near = jiff::SignedDuration::from_mins(DUPLICATE_MINUTES);
    let twin = db
        .interactions(&JournalFilter {
            friend: Some(first),
            since: exchange.at.checked_sub(near).ok(),
            until: exchange.at.checked_add(near).ok(),
            ..JournalFilter::default()
        })?
        .into_iter()
        .find(|e| {
            e.id != id
                && e.friends == new.friends
                && e.exchange.channel == exchange.channel
                && e.exchange.gave == exchange.gave
                && e.exchange.got == exchange.got
        });
    let mut balances = Vec::new();
    for friend in &friends {
        let exchanges = db.exchanges_of(friend.id, Some(settings.horizon()))?;
        let agreements = db.agreements(Some(friend.id))?;
        balances.push(balance(&exchanges, &agreements, now, &settings.config.balance));
    }
    Ok(Logged {
        id,
        shared: exchange.got.contains(SupportKind::Disclosure) || exchange.hard_news,
        friends,
        exchange,
        follow_up,
        twin,
        balances,
    })
}

/// Adds a friend; chat senders with their name or alias become theirs.
pub fn add_friend(settings: &Settings, store: &mut Store, new: &NewFriend) -> Result<Friend> {
    let id = store.write(|tx| tx.add_friend(new, settings.now))?;
    settings.refresh_chats(store)?;
    Ok(store.db().friend(id)?)
}

/// Stores a friend's changed name, circle, rhythm, notes or birthday; a new
/// name may make chat senders theirs.
pub fn update_friend(settings: &Settings, store: &mut Store, friend: &Friend) -> Result<()> {
    store.write(|tx| tx.update_friend(friend))?;
    settings.refresh_chats(store)
}

/// Adds another name a friend goes by (a chat name, a number), whose
/// chat messages are theirs from now on.
pub fn add_alias(settings: &Settings, store: &mut Store, friend: FriendId, alias: &Alias) -> Result<()> {
    store.write(|tx| tx.add_alias(friend, alias))?;
    settings.refresh_chats(store)
}

/// Takes back an alias; `false` when the friend had none by that name.
pub fn remove_alias(settings: &Settings, store: &mut Store, friend: FriendId, alias: &str) -> Result<bool> {
    let removed = store.write(|tx| tx.remove_alias(friend, alias))?;
    settings.refresh_chats(store)?;
    Ok(removed)
}

/// Forgets a friend for good: everything about them, the texts of mine
/// that mention them by any of `names` (and others' kept texts too, with
/// `also_mentions`), then wipes the freed pages from the file. Says what
/// went and whether the wipe is complete or waits for another reader.
pub fn forget(
    settings: &Settings,
    store: &mut Store,
    friend: FriendId,
    names: &[String],
    also_mentions: bool,
) -> Result<(Forgotten, Scrub)> {
    let done = store.write(|tx| tx.forget_friend(friend, names, also_mentions))?;
    settings.refresh_chats(store)?;
    let scrub = store.scrub()?;
    Ok((done, scrub))
}

/// How long a removed journal entry can be restored, in days.
pub const RESTORE_DAYS: i64 = 30;

/// The moment before which removed entries are let go.
fn restore_window(settings: &Settings) -> Result<Timestamp> {
    Ok(settings
        .now
        .checked_sub(jiff::SignedDuration::from_hours(24 * RESTORE_DAYS))?)
}

/// Removes a journal entry, kept for [`RESTORE_DAYS`] days to be restored
/// (and lets go of those removed longer ago).
pub fn remove_entry(settings: &Settings, store: &mut Store, id: InteractionId) -> Result<()> {
    let before = restore_window(settings)?;
    let now = settings.now;
    store.write(|tx| -> Result<()> {
        tx.purge_removed(before)?;
        tx.remove_interaction(id, now)?;
        Ok(())
    })
}

/// Brings back an entry removed in the last [`RESTORE_DAYS`] days, under
/// its old id when that is free; the id it has now, or `None` when it
/// cannot come back (see `Tx::restore_interaction`).
pub fn restore_entry(
    settings: &Settings,
    store: &mut Store,
    id: InteractionId,
) -> Result<Option<InteractionId>> {
    let since = restore_window(settings)?;
    store.write(|tx| -> Result<_> {
        tx.purge_removed(since)?;
        Ok(tx.restore_interaction(id, since)?)
    })
}

/// Stores an edited journal entry (its friends, time, support, energy,
/// note and tags as given).
pub fn edit_entry(store: &mut Store, entry: &Interaction) -> Result<()> {
    Ok(store.write(|tx| tx.update_interaction(entry))?)
}

/// Marks a follow-up done (or open again, with `None`).
pub fn follow_up_done(store: &mut Store, id: FollowUpId, at: Option<Timestamp>) -> Result<()> {
    Ok(store.write(|tx| tx.set_follow_up_done(id, at))?)
}

/// Records how I responded to a friend's good news.
pub fn respond_to_win(
    store: &mut Store,
    id: mutual_core::WinId,
    response: mutual_core::WinResponse,
) -> Result<()> {
    Ok(store.write(|tx| tx.set_win_response(id, Some(response)))?)
}

/// Marks gratitude as told.
pub fn told(store: &mut Store, id: mutual_core::GratitudeId, at: Timestamp) -> Result<()> {
    Ok(store.write(|tx| tx.set_gratitude_told(id, Some(at)))?)
}

/// Marks a parked topic talked through today.
pub fn revisited(settings: &Settings, store: &mut Store, id: mutual_core::ParkedTopicId) -> Result<()> {
    let mut topic = store
        .db()
        .parked_topics(None)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(mutual_store::StoreError::NotFound {
            what: "parked topic",
            id: id.0,
        })?;
    topic.revisited_on = Some(settings.today());
    Ok(store.write(|tx| tx.update_parked_topic(&topic))?)
}

/// No check-in nudges for `friend` up to and including `until`.
pub fn snooze(store: &mut Store, friend: FriendId, until: Date) -> Result<Friend> {
    let mut friend = store.db().friends()?.into_iter().find(|f| f.id == friend).ok_or(
        mutual_store::StoreError::NotFound {
            what: "friend",
            id: friend.0,
        },
    )?;
    friend.snoozed_until = Some(until);
    store.write(|tx| tx.update_friend(&friend))?;
    Ok(friend)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use mutual_store::NewFriend;

    #[test]
    fn logging_writes_the_entry_and_says_what_came_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let settings = Settings::new("2026-06-15T12:00:00Z".parse().unwrap(), jiff::tz::TimeZone::UTC);
        let sam = NewFriend {
            name: "Sam".to_owned(),
            ..NewFriend::default()
        };
        store.write(|tx| tx.add_friend(&sam, settings.now)).unwrap();
        let call = || LogRequest {
            friends: vec!["sam".to_owned()],
            channel: Some(Channel::Call),
            got: Some("disclosure:3".parse().unwrap()),
            ..LogRequest::default()
        };
        let first = log(&settings, &mut store, call()).unwrap();
        assert_eq!(first.friends[0].name, "Sam");
        assert!(first.shared && first.twin.is_none() && first.follow_up.is_none());
        assert_eq!(first.balances[0].entries, 1);
        let again = log(&settings, &mut store, call()).unwrap();
        assert_eq!(again.twin.map(|t| t.id), Some(first.id));

        let nothing = LogRequest {
            friends: vec!["Sam".to_owned()],
            ..LogRequest::default()
        };
        assert!(matches!(
            log(&settings, &mut store, nothing),
            Err(AppError::Invalid { field: "entry", .. })
        ));
        let twice = LogRequest {
            friends: vec!["Sam".to_owned(), "SAM".to_owned()],
            ..call()
        };
        assert!(matches!(
            log(&settings, &mut store, twice),
            Err(AppError::Invalid { field: "friend", .. })
        ));
        assert_eq!(
            store.db().interactions(&JournalFilter::default()).unwrap().len(),
            2
        );
    }
}
