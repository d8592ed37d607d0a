//! Two-sided check-ins as every face asks for them: start one for a friend
//! (its own key pair, id, question set and expiry), keep my answers sealed
//! until theirs arrive, make the invitation, receive their reply code,
//! show both perspectives side by side (never a score), reveal both to
//! them, list, and keep their need and boundary as theirs.
//!
//! The codes, the cryptography and the wording are `mutual_checkin`'s;
//! the rows are the store's. Nothing here knows a flag or a terminal.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use mutual_checkin::crypto::KeyPair;
use mutual_checkin::{Answers, CheckinError, CheckinId, Invite, ItemSet, Reply, Reveal};
use mutual_core::{Friend, FriendId, Side};
use mutual_store::{Db, NewCheckin, Received, Store, StoredCheckin};
use serde::{Serialize, Serializer};

use crate::Settings;
use crate::error::{AppError, Result};

/// How long an invitation takes answers, in days.
pub const OPEN_DAYS: i64 = 30;

/// The rhythm suggested between two check-ins with one friend: about a
/// season. A suggestion only: nothing counts streaks or reminds the friend.
pub const RHYTHM_DAYS: i64 = 91;

/// Where a check-in is, and what the next step is: the one thing a face
/// needs to word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Nobody has answered yet.
    New,
    /// My answers are in, sealed; theirs have not arrived.
    Waiting,
    /// Their answers arrived, sealed until I answer too.
    TheirsSealed,
    /// Both answered: the two perspectives can be shown.
    Both,
}

/// A check-in cannot do what was asked in the state it is in, or a code
/// does not fit it. In no face's words: the face adds how to go on.
#[derive(Debug, thiserror::Error)]
pub enum CheckinProblem {
    /// A code, an id, a key or answers that cannot be used.
    #[error(transparent)]
    Code(#[from] CheckinError),
    /// A reply code for a check-in this database does not hold.
    #[error(
        "this reply code is for check-in {id}, which is not in this database; it may belong to another mutual, or to a check-in that was forgotten"
    )]
    NotHere { id: CheckinId },
    /// The invitation's last day has passed.
    #[error(
        "the invitation of check-in {id} with {friend} closed on {expired}; expected a check-in still open"
    )]
    Closed {
        id: CheckinId,
        friend: String,
        expired: Date,
    },
    /// My answers are not in yet.
    #[error(
        "you have not answered check-in {id} with {friend} yet, so there is nothing to show side by side"
    )]
    NotAnswered { id: CheckinId, friend: String },
    /// Their reply has not arrived yet.
    #[error("{friend}'s reply code for check-in {id} has not arrived yet, so there is nothing to reveal")]
    NoReply { id: CheckinId, friend: String },
}

impl CheckinProblem {
    /// Whether asking differently fixes it (all but a failure to seal or a
    /// damaged stored key or question set).
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            CheckinProblem::Code(
                CheckinError::Seal | CheckinError::SecretKey | CheckinError::ItemSetFile { .. }
            )
        )
    }
}

impl From<CheckinError> for AppError {
    fn from(e: CheckinError) -> AppError {
        AppError::Checkin(CheckinProblem::Code(e))
    }
}

/// A check-in's id, as text wherever it is serialized.
fn id_text<S: Serializer>(id: &CheckinId, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(id)
}

/// Reads answers written as JSON against the question set `items`.
pub fn read_answers(items: u8, json: &str) -> Result<Answers> {
    Ok(Answers::from_json(ItemSet::version(items)?, json)?)
}

/// The question set new check-ins are asked with.
pub fn latest_items() -> Result<&'static ItemSet> {
    Ok(ItemSet::latest()?)
}

/// What starting a check-in did.
#[derive(Clone, Debug, Serialize)]
pub struct Started {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    pub friend_id: FriendId,
    /// The question set version.
    pub items: u8,
    /// The invitation's last day.
    pub expires: Date,
    /// Whether my answers came with it.
    pub answered: bool,
    /// When the check-in before this one with the same friend began, if
    /// there was one (for the suggested rhythm).
    pub previous: Option<Date>,
    /// The day a next check-in would fit the suggested rhythm.
    pub next_suggested: Date,
}

/// Starts a check-in with `friend`: a new key pair and id, the latest
/// question set, open for [`OPEN_DAYS`]; with my answers when given.
pub fn start(
    settings: &Settings,
    store: &mut Store,
    friend: &Friend,
    mine: Option<&Answers>,
) -> Result<Started> {
    let set = ItemSet::latest()?;
    if let Some(mine) = mine {
        mine.check_complete(set)?;
    }
    let today = settings.today();
    let expires = today.checked_add(OPEN_DAYS.days())?;
    let previous = store
        .db()
        .checkins(Some(friend.id))?
        .last()
        .map(|c| c.created_at.to_zoned(settings.tz.clone()).date());
    let key = KeyPair::generate();
    let id = CheckinId::generate();
    let new = NewCheckin {
        id,
        friend: friend.id,
        created_at: settings.now,
        items: set.version,
        expires,
        key: &key,
    };
    store.write(|tx| {
        tx.add_checkin(&new)?;
        if let Some(mine) = mine {
            tx.set_my_checkin_answers(id, &mine.to_json(), settings.now)?;
        }
        Ok::<_, mutual_store::StoreError>(())
    })?;
    Ok(Started {
        id,
        friend: friend.name.clone(),
        friend_id: friend.id,
        items: set.version,
        expires,
        answered: mine.is_some(),
        previous,
        next_suggested: today.checked_add(RHYTHM_DAYS.days())?,
    })
}

/// Parses a check-in id as typed.
pub fn parse_id(text: &str) -> Result<CheckinId> {
    Ok(text.parse::<CheckinId>()?)
}

/// The stored check-in `id` and its friend.
fn load(db: Db<'_>, id: CheckinId) -> Result<(StoredCheckin, Friend)> {
    let checkin = db.checkin(id)?;
    let friend = db.friends()?.into_iter().find(|f| f.id == checkin.friend).ok_or(
        mutual_store::StoreError::NotFound {
            what: "friend",
            id: checkin.friend.0,
        },
    )?;
    Ok((checkin, friend))
}

/// The question set a stored check-in was asked with.
pub fn items_of(db: Db<'_>, id: CheckinId) -> Result<&'static ItemSet> {
    Ok(ItemSet::version(db.checkin(id)?.items)?)
}

/// What recording my answers did.
#[derive(Clone, Debug, Serialize)]
pub struct Answered {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    /// Whether earlier answers of mine were replaced.
    pub replaced: bool,
    pub stage: Stage,
}

/// Records my answers to check-in `id` (replacing earlier ones). They stay
/// sealed: no view shows them as the result until the friend's arrive.
pub fn answer(settings: &Settings, store: &mut Store, id: CheckinId, mine: &Answers) -> Result<Answered> {
    let (checkin, friend) = load(store.db(), id)?;
    mine.check_complete(ItemSet::version(checkin.items)?)?;
    store.write(|tx| tx.set_my_checkin_answers(id, &mine.to_json(), settings.now))?;
    Ok(Answered {
        id,
        friend: friend.name,
        replaced: checkin.my_answers.is_some(),
        stage: if checkin.their_answers.is_some() {
            Stage::Both
        } else {
            Stage::Waiting
        },
    })
}

/// An invitation: the code for a link's fragment, and the page with it inside.
#[derive(Clone, Debug, Serialize)]
pub struct Invitation {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    /// `i1.…`, what follows `#` in the link.
    pub code: String,
    pub expires: Date,
    /// Whether my answers are in (the friend can answer either way).
    pub answered: bool,
}

/// The invitation to check-in `id`, showing me as `my_name`. Refused once
/// the check-in has closed.
pub fn invitation(settings: &Settings, db: Db<'_>, id: CheckinId, my_name: &str) -> Result<Invitation> {
    let (checkin, friend) = load(db, id)?;
    if settings.today() > checkin.expires {
        return Err(CheckinProblem::Closed {
            id,
            friend: friend.name,
            expired: checkin.expires,
        }
        .into());
    }
    let invite = Invite {
        id,
        public: checkin.key.public.clone(),
        items: checkin.items,
        name: my_name.to_owned(),
        expires: checkin.expires,
    };
    Ok(Invitation {
        id,
        friend: friend.name,
        code: invite.encode()?,
        expires: checkin.expires,
        answered: checkin.my_answers.is_some(),
    })
}

/// The friend's page with the invitation `code` inside (one file to send).
pub fn invitation_page(code: &str) -> Result<String> {
    Ok(mutual_checkin::page(Some(&Invite::decode(code)?))?)
}

/// The friend's page alone, to host anywhere; it reads the invitation from
/// its link.
pub fn blank_page() -> Result<String> {
    Ok(mutual_checkin::page(None)?)
}

/// What receiving a reply code did.
#[derive(Clone, Debug, Serialize)]
pub struct ReplyReceived {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    pub received: ReceivedKind,
    pub stage: Stage,
}

/// Whether a reply was new, the same as before, or replaced earlier answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReceivedKind {
    First,
    Again,
    Changed,
}

/// Opens a reply code with the key of the check-in it names and keeps the
/// friend's answers. A code that does not open, or names a check-in not
/// here, writes nothing; the same code twice changes nothing.
pub fn receive(settings: &Settings, store: &mut Store, code: &str) -> Result<ReplyReceived> {
    let reply = Reply::decode(code)?;
    let (checkin, friend) = match load(store.db(), reply.id) {
        Err(AppError::Store(mutual_store::StoreError::NoCheckin(_))) => {
            return Err(CheckinProblem::NotHere { id: reply.id }.into());
        }
        other => other?,
    };
    let (version, theirs) = reply.open(&checkin.key.secret)?;
    if version != checkin.items {
        return Err(CheckinError::Damaged {
            what: "reply code",
            problem: "it answers another question set than its check-in asked",
        }
        .into());
    }
    let received =
        store.write(|tx| tx.receive_checkin(reply.id, &reply.reveal_key, &theirs.to_json(), settings.now))?;
    Ok(ReplyReceived {
        id: reply.id,
        friend: friend.name,
        received: match received {
            Received::First => ReceivedKind::First,
            Received::Again => ReceivedKind::Again,
            Received::Changed => ReceivedKind::Changed,
        },
        stage: if checkin.my_answers.is_some() {
            Stage::Both
        } else {
            Stage::TheirsSealed
        },
    })
}

/// One item seen from both sides.
#[derive(Clone, Debug, Serialize)]
pub struct SideBySide {
    pub item: String,
    pub prompt: String,
    /// My answer as I gave it; `None` when left open.
    pub mine: Option<String>,
    /// Their answer as they gave it.
    pub theirs: Option<String>,
    /// Both perspectives in one sentence, from my side.
    pub sentence: String,
}

/// A check-in as a view shows it: where it is, and both perspectives once
/// both have answered (never before, never a score).
#[derive(Clone, Debug, Serialize)]
pub struct CheckinView {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    pub friend_id: FriendId,
    pub items: u8,
    pub started_at: Timestamp,
    pub expires: Date,
    /// Whether the invitation has closed (a reply may still arrive).
    pub closed: bool,
    pub stage: Stage,
    pub my_answers_at: Option<Timestamp>,
    pub their_answers_at: Option<Timestamp>,
    pub revealed_at: Option<Timestamp>,
    /// Both sides, item by item; empty until both have answered.
    pub both: Vec<SideBySide>,
}

impl CheckinView {
    fn of(settings: &Settings, checkin: &StoredCheckin, friend: &Friend) -> Result<CheckinView> {
        let stage = match (&checkin.my_answers, &checkin.their_answers) {
            (None, None) => Stage::New,
            (Some(_), None) => Stage::Waiting,
            (None, Some(_)) => Stage::TheirsSealed,
            (Some(_), Some(_)) => Stage::Both,
        };
        let both = match (&checkin.my_answers, &checkin.their_answers) {
            (Some((mine, _)), Some((theirs, _))) => {
                let set = ItemSet::version(checkin.items)?;
                let mine = Answers::from_json(set, mine)?;
                let theirs = Answers::from_json(set, theirs)?;
                mutual_checkin::perspective::lines(set, &mine, &theirs, &friend.name)
                    .into_iter()
                    .zip(&set.items)
                    .map(|(line, item)| SideBySide {
                        item: line.item,
                        prompt: item.prompt.clone(),
                        mine: line.mine,
                        theirs: line.theirs,
                        sentence: line.sentence,
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Ok(CheckinView {
            id: checkin.id,
            friend: friend.name.clone(),
            friend_id: friend.id,
            items: checkin.items,
            started_at: checkin.created_at,
            expires: checkin.expires,
            closed: settings.today() > checkin.expires,
            stage,
            my_answers_at: checkin.my_answers.as_ref().map(|(_, at)| *at),
            their_answers_at: checkin.their_answers.as_ref().map(|(_, at)| *at),
            revealed_at: checkin.revealed_at,
            both,
        })
    }

    /// The item `id` seen from both sides, when both answered.
    pub fn line(&self, item: &str) -> Option<&SideBySide> {
        self.both.iter().find(|l| l.item == item)
    }
}

/// Check-in `id`, as a view shows it.
pub fn show(settings: &Settings, db: Db<'_>, id: CheckinId) -> Result<CheckinView> {
    let (checkin, friend) = load(db, id)?;
    CheckinView::of(settings, &checkin, &friend)
}

/// Every check-in (or one friend's), oldest first.
pub fn list(settings: &Settings, db: Db<'_>, only: Option<FriendId>) -> Result<Vec<CheckinView>> {
    let friends = db.friends()?;
    db.checkins(only)?
        .iter()
        .filter_map(|c| friends.iter().find(|f| f.id == c.friend).map(|f| (c, f)))
        .map(|(c, f)| CheckinView::of(settings, c, f))
        .collect()
}

/// The latest check-in with `friend` that both have answered, for the
/// views that show a friendship (`friend show`, `balance`).
pub fn latest_both(settings: &Settings, db: Db<'_>, friend: &Friend) -> Result<Option<CheckinView>> {
    let latest = db
        .checkins(Some(friend.id))?
        .into_iter()
        .rev()
        .find(|c| c.my_answers.is_some() && c.their_answers.is_some());
    latest.map(|c| CheckinView::of(settings, &c, friend)).transpose()
}

/// The same for every friend at once, by friend (one read of the table).
pub fn latest_both_by_friend(
    settings: &Settings,
    db: Db<'_>,
    friends: &[&Friend],
) -> Result<rustc_hash::FxHashMap<FriendId, CheckinView>> {
    let mut out = rustc_hash::FxHashMap::default();
    for checkin in db.checkins(None)? {
        if checkin.my_answers.is_none() || checkin.their_answers.is_none() {
            continue;
        }
        if let Some(friend) = friends.iter().find(|f| f.id == checkin.friend) {
            // Oldest first: a later one replaces an earlier one.
            out.insert(friend.id, CheckinView::of(settings, &checkin, friend)?);
        }
    }
    Ok(out)
}

/// A reveal for the friend: both sides' answers, sealed to their key.
#[derive(Clone, Debug, Serialize)]
pub struct Revealed {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    /// `mutual-reveal1.…`, what follows `#reveal=` in a link.
    pub code: String,
}

/// Seals both sides' answers to the friend's key, worded for them with
/// `my_name` (the name their invitation showed). Needs both answers.
pub fn reveal(settings: &Settings, store: &mut Store, id: CheckinId, my_name: &str) -> Result<Revealed> {
    let (checkin, friend) = load(store.db(), id)?;
    let (Some((theirs, _)), Some(key)) = (&checkin.their_answers, &checkin.their_key) else {
        return Err(CheckinProblem::NoReply {
            id,
            friend: friend.name,
        }
        .into());
    };
    let Some((mine, _)) = &checkin.my_answers else {
        return Err(CheckinProblem::NotAnswered {
            id,
            friend: friend.name,
        }
        .into());
    };
    let set = ItemSet::version(checkin.items)?;
    let mine = Answers::from_json(set, mine)?;
    let theirs = Answers::from_json(set, theirs)?;
    let sealed = Reveal::seal(id, key, checkin.items, my_name, &mine, &theirs)?;
    store.write(|tx| tx.mark_checkin_revealed(id, settings.now))?;
    Ok(Revealed {
        id,
        friend: friend.name,
        code: sealed.encode(),
    })
}

/// What keeping the friend's need and boundary did.
#[derive(Clone, Debug, Serialize)]
pub struct Kept {
    #[serde(serialize_with = "id_text")]
    pub id: CheckinId,
    pub friend: String,
    /// Their need, saved as theirs (`None`: they named none, or it was
    /// already there).
    pub need: Option<String>,
    pub boundary: Option<String>,
    /// What was already saved as theirs, word for word, and left alone.
    pub already: Vec<String>,
}

/// Saves the friend's answers to the need and boundary items as their
/// need and boundary (`Side::Them`), since today; a text already saved as
/// theirs is not saved twice. Needs both sides' answers.
pub fn keep(settings: &Settings, store: &mut Store, id: CheckinId) -> Result<Kept> {
    let (checkin, friend) = load(store.db(), id)?;
    let Some((theirs, _)) = &checkin.their_answers else {
        return Err(CheckinProblem::NoReply {
            id,
            friend: friend.name,
        }
        .into());
    };
    if checkin.my_answers.is_none() {
        return Err(CheckinProblem::NotAnswered {
            id,
            friend: friend.name,
        }
        .into());
    }
    let set = ItemSet::version(checkin.items)?;
    let theirs = Answers::from_json(set, theirs)?;
    let text = |item: &str| match theirs.get(item) {
        Some(mutual_checkin::Answer::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let db = store.db();
    let known_needs: Vec<String> = db
        .needs(Some(friend.id))?
        .into_iter()
        .filter(|n| n.whose == Side::Them)
        .map(|n| n.text)
        .collect();
    let known_boundaries: Vec<String> = db
        .boundaries(Some(friend.id))?
        .into_iter()
        .filter(|b| b.whose == Side::Them)
        .map(|b| b.text)
        .collect();
    let mut already = Vec::new();
    let mut fresh = |text: Option<String>, known: &[String]| match text {
        Some(t) if known.contains(&t) => {
            already.push(t);
            None
        }
        other => other,
    };
    let need = fresh(text("need"), &known_needs);
    let boundary = fresh(text("boundary"), &known_boundaries);
    let today = settings.today();
    store.write(|tx| {
        if let Some(need) = &need {
            tx.add_need(friend.id, Side::Them, need, today)?;
        }
        if let Some(boundary) = &boundary {
            tx.add_boundary(friend.id, Side::Them, boundary, today, None)?;
        }
        Ok::<_, mutual_store::StoreError>(())
    })?;
    Ok(Kept {
        id,
        friend: friend.name,
        need,
        boundary,
        already,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use mutual_checkin::crypto::KeyPair;
    use mutual_store::NewFriend;

    fn settings() -> Settings {
        Settings::new("2026-06-15T12:00:00Z".parse().unwrap(), jiff::tz::TimeZone::UTC)
    }

    fn sam(store: &mut Store) -> Friend {
        let new = NewFriend {
            name: "Sam".into(),
            ..NewFriend::default()
        };
        let id = store.write(|tx| tx.add_friend(&new, settings().now)).unwrap();
        store
            .db()
            .friends()
            .unwrap()
            .into_iter()
            .find(|f| f.id == id)
            .unwrap()
    }

    const MINE: &str = r#"{"closeness": 5, "balance": 3, "heard": 4, "time": 2, "more": ["presence"]}"#;
    const THEIRS: &str = r#"{"closeness": 6, "balance": 4, "heard": 4, "time": 2, "more": ["presence", "listening"],
        "need": "a call on Sundays", "boundary": "no plans after ten"}"#;

    /// What the friend's page does: seals answers to the invitation.
    fn reply(invite: &str, answers: &str) -> (String, KeyPair) {
        let invite = Invite::decode(invite).unwrap();
        let theirs = read_answers(invite.items, answers).unwrap();
        let key = KeyPair::generate();
        (Reply::seal(&invite, &key.public, &theirs).unwrap().encode(), key)
    }

    #[test]
    fn a_round_trip_shows_both_sides_only_once_both_answered() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let s = settings();
        let friend = sam(&mut store);
        let started = start(&s, &mut store, &friend, None).unwrap();
        assert_eq!(started.expires, jiff::civil::date(2026, 7, 15));
        let invite = invitation(&s, store.db(), started.id, "Alex").unwrap();
        let (code, their_key) = reply(&invite.code, THEIRS);

        let got = receive(&s, &mut store, &code).unwrap();
        assert_eq!(
            (got.received, got.stage),
            (ReceivedKind::First, Stage::TheirsSealed)
        );
        let view = show(&s, store.db(), started.id).unwrap();
        assert!(view.both.is_empty(), "theirs stay sealed until I answer");
        assert!(matches!(
            reveal(&s, &mut store, started.id, "Alex"),
            Err(AppError::Checkin(CheckinProblem::NotAnswered { .. }))
        ));

        let mine = read_answers(1, MINE).unwrap();
        answer(&s, &mut store, started.id, &mine).unwrap();
        let view = show(&s, store.db(), started.id).unwrap();
        assert_eq!(view.stage, Stage::Both);
        let balance = view.line("balance").unwrap();
        assert_eq!(
            balance.sentence,
            "You see the last months as balanced; Sam feels you have been giving a little more lately."
        );
        assert_eq!(
            latest_both(&s, store.db(), &friend).unwrap().unwrap().id,
            started.id
        );

        // The same code again changes nothing.
        assert_eq!(
            receive(&s, &mut store, &code).unwrap().received,
            ReceivedKind::Again
        );

        let revealed = reveal(&s, &mut store, started.id, "Alex").unwrap();
        let opened = Reveal::decode(&revealed.code)
            .unwrap()
            .open(&their_key.secret)
            .unwrap();
        assert_eq!(opened.name, "Alex");
        assert_eq!(opened.inviter, mine);

        let kept = keep(&s, &mut store, started.id).unwrap();
        assert_eq!(kept.need.as_deref(), Some("a call on Sundays"));
        assert_eq!(kept.boundary.as_deref(), Some("no plans after ten"));
        let again = keep(&s, &mut store, started.id).unwrap();
        assert_eq!((again.need, again.boundary, again.already.len()), (None, None, 2));
        assert_eq!(store.db().needs(Some(friend.id)).unwrap().len(), 1);
    }

    #[test]
    fn codes_that_do_not_fit_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let s = settings();
        let friend = sam(&mut store);
        let started = start(&s, &mut store, &friend, None).unwrap();
        let invite = invitation(&s, store.db(), started.id, "Alex").unwrap();
        let (code, _) = reply(&invite.code, THEIRS);

        // Another database's check-in.
        let other_dir = tempfile::tempdir().unwrap();
        let mut other = Store::open(&other_dir.path().join("m.db"), None).unwrap();
        let other_friend = sam(&mut other);
        let foreign = start(&s, &mut other, &other_friend, None).unwrap();
        let foreign_invite = invitation(&s, other.db(), foreign.id, "Alex").unwrap();
        let (foreign_code, _) = reply(&foreign_invite.code, THEIRS);
        assert!(matches!(
            receive(&s, &mut store, &foreign_code),
            Err(AppError::Checkin(CheckinProblem::NotHere { .. }))
        ));

        // A character changed inside the ciphertext.
        let mut tampered = code.clone().into_bytes();
        let at = tampered.len() - 10;
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let err = receive(&s, &mut store, std::str::from_utf8(&tampered).unwrap()).unwrap_err();
        assert!(
            err.is_bad_input() && err.to_string().contains("does not open"),
            "{err}"
        );

        // Cut short.
        let err = receive(&s, &mut store, &code[..code.len() / 2]).unwrap_err();
        assert!(err.is_bad_input(), "{err}");
        assert!(store.db().checkin(started.id).unwrap().their_answers.is_none());

        // A closed invitation is not made again.
        let later = s.at("2026-08-01T12:00:00Z".parse().unwrap());
        assert!(matches!(
            invitation(&later, store.db(), started.id, "Alex"),
            Err(AppError::Checkin(CheckinProblem::Closed { .. }))
        ));
    }
}
