//! The chats' side of the picture: stored text features, and the weekly
//! measures per friend, kept fresh by the writes that change them. An
//! import recomputes the weeks of the conversations its messages joined; a
//! change of who a friend's senders are or of who I am recomputes that
//! friend's weeks whole, in the same command (`refresh_stale`). Reads
//! never write: a view whose settings differ from the stored weeks' (a
//! `--conversation-gap` or time zone of its own) computes those friends'
//! weeks in memory (`weeks`), so a read never waits for the write lock.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::Result;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, civil::Date};
use mutual_analysis::conversation::{ChatMessage, conversations};
use mutual_analysis::text::{Features, Flags, Style};
use mutual_analysis::weekly::{self, SideWeek, Week, WeekConfig};
use mutual_core::{ChatContact, ChatId, FriendId, FriendRecord, SenderId, Side};
use mutual_store::{Db, PairMessage, Store, StoredFeatures, StoredWeek, Tx};

/// Bumped when the measures change meaning, so stored weeks are recomputed.
const MEASURES_VERSION: u32 = 2;

/// A message's features in the units the store keeps.
pub fn stored(f: &Features) -> StoredFeatures {
    let milli = |v: f64| (v * 1000.0).round() as u16;
    StoredFeatures {
        neg: milli(f.sentiment.neg),
        neu: milli(f.sentiment.neu),
        pos: milli(f.sentiment.pos),
        compound: (f.sentiment.compound * 10_000.0).round() as i16,
        emoji_sentiment: (f64::from(f.emoji_sentiment) * 1000.0).round() as i16,
        flags: f.flags.0,
        style: f.style.0,
    }
}

fn chat_message(m: &PairMessage) -> ChatMessage {
    ChatMessage {
        at: m.at,
        from_me: m.from_me,
        words: m.words,
        compound: f32::from(m.compound) / 10_000.0,
        toned: m.toned,
        emoji_sentiment: f32::from(m.emoji_sentiment) / 1000.0,
        emoji: m.emoji,
        flags: Flags(m.flags),
        style: Style(m.style),
    }
}

/// Who a friend is in the chats, and what their weeks depend on.
struct Pair {
    friend: FriendId,
    theirs: Vec<SenderId>,
    chats: HashSet<ChatId>,
    source: String,
}

fn pairs(db: Db<'_>, tz: &TimeZone, config: &WeekConfig) -> Result<(Vec<Pair>, Vec<SenderId>)> {
    let mine = db.my_senders()?;
    let ids = |s: &[SenderId]| s.iter().map(|s| s.0.to_string()).collect::<Vec<_>>().join(",");
    let mut out = Vec::new();
    for friend in db.friends()? {
        let theirs = db.senders_of(friend.id)?;
        let chats = db.chats_of(&theirs)?.into_iter().collect();
        let zone = match tz.iana_name() {
            Some(name) => name.to_owned(),
            None => format!("{tz:?}"),
        };
        let source = format!(
            "v{MEASURES_VERSION}.{} gap={}s tz={zone} them={} me={}",
            weekly::ENCODING,
            config.gap.as_secs(),
            ids(&theirs),
            ids(&mine)
        );
        out.push(Pair {
            friend: friend.id,
            theirs,
            chats,
            source,
        });
    }
    Ok((out, mine))
}

/// Weeks recomputed at a time, so memory stays bounded on a long history.
const BLOCK_WEEKS: i64 = 26;
/// How many gaps a conversation is followed across the edge of a window
/// before its far end is left out (a chat that never pauses for the gap).
const MAX_WALK: usize = 10_000;

/// Weeks of one friend to recompute.
struct Job<'p> {
    pair: &'p Pair,
    /// Mondays, inclusive.
    first: Date,
    last: Date,
}

/// Recomputes the jobs' weeks a block of weeks at a time. In each block my
/// messages are read once for every friend, so recomputing many friends
/// costs about one pass over the messages.
fn recompute(
    tx: &Tx<'_>,
    jobs: &[Job<'_>],
    mine: &[SenderId],
    tz: &TimeZone,
    config: &WeekConfig,
) -> Result<()> {
    compute(tx.db(), jobs, mine, tz, config, &mut |job, first, last, rows| {
        tx.replace_weeks(job.pair.friend, Some((first, last)), &rows)?;
        Ok(())
    })?;
    for job in jobs {
        tx.set_week_source(job.pair.friend, &job.pair.source)?;
    }
    Ok(())
}

/// What `compute` hands over: one friend's weeks from one Monday to another.
type Weeks<'a, 'p> = dyn FnMut(&Job<'p>, Date, Date, Vec<StoredWeek>) -> Result<()> + 'a;

/// Computes the jobs' weeks a block of weeks at a time, handing each
/// friend's block to `done` (in week order per friend).
fn compute<'p>(
    db: Db<'_>,
    jobs: &[Job<'p>],
    mine: &[SenderId],
    tz: &TimeZone,
    config: &WeekConfig,
    done: &mut Weeks<'_, 'p>,
) -> Result<()> {
    let (Some(first), Some(last)) = (
        jobs.iter().map(|j| j.first).min(),
        jobs.iter().map(|j| j.last).max(),
    ) else {
        return Ok(());
    };
    let mut block = first;
    while block <= last {
        let end = block
            .checked_add((7 * (BLOCK_WEEKS - 1)).days())
            .unwrap_or(Date::MAX)
            .min(last);
        let active: Vec<(&Job<'_>, Date, Date, Timestamp, Timestamp)> = jobs
            .iter()
            .filter(|j| j.first <= end && block <= j.last)
            .map(|j| {
                let (first, last) = (j.first.max(block), j.last.min(end));
                let (from, to) = weekly::window(first, last, tz, config);
                let (from, to) = conversations_around(db, j.pair, mine, from, to, config)?;
                Ok((j, first, last, from, to))
            })
            .collect::<Result<_>>()?;
        if let (Some(from), Some(to)) = (active.iter().map(|a| a.3).min(), active.iter().map(|a| a.4).max()) {
            let my_messages = db.sender_messages(mine, true, from, to)?;
            for &(job, first, last, from, to) in &active {
                let mut messages = db.sender_messages(&job.pair.theirs, false, from, to)?;
                messages.extend(
                    my_messages
                        .iter()
                        .filter(|m| from <= m.at && m.at < to && job.pair.chats.contains(&m.chat)),
                );
                let rows = week_rows(job.pair.friend, &mut messages, first, last, tz, config);
                done(job, first, last, rows)?;
            }
        }
        let Ok(next) = end.checked_add(7.days()) else {
            break;
        };
        block = next;
    }
    Ok(())
}

/// The weeks from `first` to `last` of one friend's messages (theirs and
/// mine in their chats), as rows to store.
fn week_rows(
    friend: FriendId,
    messages: &mut [PairMessage],
    first: Date,
    last: Date,
    tz: &TimeZone,
    config: &WeekConfig,
) -> Vec<StoredWeek> {
    let converted = in_chat_order(messages);
    let chats = by_chat(messages, &converted);
    weekly::weeks(&chats, first, last, tz, config)
        .iter()
        .flat_map(|w| {
            [(true, &w.me), (false, &w.them)]
                .into_iter()
                .filter(|(_, side)| !side.is_empty())
                .map(|(from_me, side)| StoredWeek {
                    friend,
                    monday: w.monday,
                    from_me,
                    messages: side.messages,
                    data: side.encode(),
                })
        })
        .collect()
}

/// Widens `[from, to)` until no conversation of the friend crosses its
/// edges: while one of us wrote within a gap before `from`, `from` moves
/// back to the earliest such message; likewise after `to`.
fn conversations_around(
    db: Db<'_>,
    pair: &Pair,
    mine: &[SenderId],
    mut from: Timestamp,
    mut to: Timestamp,
    config: &WeekConfig,
) -> Result<(Timestamp, Timestamp)> {
    let chats: Vec<ChatId> = pair.chats.iter().copied().collect();
    if chats.is_empty() {
        return Ok((from, to));
    }
    let earliest = |from: Timestamp, to: Timestamp| -> Result<Option<Timestamp>> {
        let theirs = db.message_between(&pair.theirs, &[], from, to, false)?;
        let ours = db.message_between(mine, &chats, from, to, false)?;
        Ok(theirs.into_iter().chain(ours).min())
    };
    let latest = |from: Timestamp, to: Timestamp| -> Result<Option<Timestamp>> {
        let theirs = db.message_between(&pair.theirs, &[], from, to, true)?;
        let ours = db.message_between(mine, &chats, from, to, true)?;
        Ok(theirs.into_iter().chain(ours).max())
    };
    let gap = config.gap;
    for _ in 0..MAX_WALK {
        match earliest(from.checked_sub(gap).unwrap_or(Timestamp::MIN), from)? {
            Some(t) if t < from => from = t,
            _ => break,
        }
    }
    for _ in 0..MAX_WALK {
        // A message at `to` or within a gap after it continues a
        // conversation the window holds; take it (and what follows) in.
        match latest(to, to.checked_add(gap).unwrap_or(Timestamp::MAX))? {
            Some(t) => {
                to = t
                    .checked_add(jiff::SignedDuration::from_secs(1))
                    .unwrap_or(Timestamp::MAX)
            }
            None => break,
        }
    }
    Ok((from, to))
}

/// The Mondays of the first and last week of the friend's chats, from the
/// spans imports covered.
fn history(db: Db<'_>, pair: &Pair, tz: &TimeZone) -> Result<Option<(Date, Date)>> {
    let mut span: Option<(i64, i64)> = None;
    for &chat in &pair.chats {
        for s in db.spans(chat)? {
            span = Some(span.map_or((s.first_minute, s.last_minute), |(a, b)| {
                (a.min(s.first_minute), b.max(s.last_minute))
            }));
        }
    }
    let monday = |minute: i64| {
        Timestamp::from_second(minute.saturating_mul(60))
            .map(|t| weekly::monday_of(t.to_zoned(tz.clone()).date()))
    };
    Ok(match span {
        Some((first, last)) => Some((monday(first)?, monday(last)?)),
        None => None,
    })
}

/// Recomputes every week of these friends (after clearing what is stored).
fn recompute_whole(
    tx: &Tx<'_>,
    pairs: &[&Pair],
    mine: &[SenderId],
    tz: &TimeZone,
    config: &WeekConfig,
) -> Result<()> {
    let mut jobs = Vec::new();
    for &pair in pairs {
        tx.replace_weeks(pair.friend, None, &[])?;
        match history(tx.db(), pair, tz)? {
            Some((first, last)) => jobs.push(Job { pair, first, last }),
            None => tx.set_week_source(pair.friend, &pair.source)?,
        }
    }
    recompute(tx, &jobs, mine, tz, config)
}

/// After an import: recomputes the weeks the new messages of each chat can
/// change (the weeks of every conversation they joined), and every week of
/// friends whose weeks are stale.
pub fn refresh_touched(
    tx: &Tx<'_>,
    touched: &HashMap<ChatId, (Timestamp, Timestamp)>,
    tz: &TimeZone,
    config: &WeekConfig,
) -> Result<()> {
    let (pairs, mine) = pairs(tx.db(), tz, config)?;
    let mut stale = Vec::new();
    let mut jobs = Vec::new();
    for pair in &pairs {
        if tx.db().week_source(pair.friend)?.as_deref() != Some(&pair.source) {
            stale.push(pair);
            continue;
        }
        let span = touched
            .iter()
            .filter(|(chat, _)| pair.chats.contains(chat))
            .map(|(_, span)| *span)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
        if let Some((first, last)) = span {
            let end = last
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap_or(last);
            let (first, end) = conversations_around(tx.db(), pair, &mine, first, end, config)?;
            let (first, last) = weekly::touched(first, end, tz, config);
            jobs.push(Job { pair, first, last });
        }
    }
    recompute_whole(tx, &stale, &mine, tz, config)?;
    recompute(tx, &jobs, &mine, tz, config)
}

/// After a write that may change who a friend's senders are (a friend
/// added or renamed, an alias, a forgotten friend): recomputes and stores
/// the weeks of friends whose senders or settings changed since their
/// weeks were stored. Writes only when something is stale.
pub fn refresh_stale(store: &mut Store, tz: &TimeZone, config: &WeekConfig) -> Result<()> {
    let backfilled = backfill(store)?;
    let (all, _) = pairs(store.db(), tz, config)?;
    let mut stale = Vec::new();
    for pair in &all {
        let stored = store.db().week_source(pair.friend)?;
        if backfilled || stored.as_deref() != Some(&pair.source) {
            stale.push(pair.friend);
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    store.write(|tx| -> Result<()> {
        let (all, mine) = pairs(tx.db(), tz, config)?;
        let stale: Vec<&Pair> = all.iter().filter(|p| stale.contains(&p.friend)).collect();
        recompute_whole(tx, &stale, &mine, tz, config)
    })
}

/// The meta key that records that kept texts from before features were
/// have theirs: every import since computes them, so once is enough.
const BACKFILLED: &str = "features_backfilled";

/// Whether kept texts stored before features were still wait for theirs:
/// a one-time upgrade of the data, done when the database is next opened
/// (see `App::open_read`), as a schema migration would be.
pub fn upgrade_pending(db: Db<'_>) -> Result<bool> {
    Ok(db.meta(BACKFILLED)?.is_none())
}

/// Computes the features of kept texts stored before features were (by a
/// version of mutual that did not compute them), once per database.
/// Returns whether any were.
fn backfill(store: &mut Store) -> Result<bool> {
    if store.db().meta(BACKFILLED)?.is_some() {
        return Ok(false);
    }
    store.write(|tx| -> Result<bool> {
        let missing = tx.db().texts_without_features()?;
        for (key, text) in &missing {
            let f = mutual_analysis::text::features(text);
            tx.set_features(*key, &stored(&f), f.chars, f.words, f.emoji)?;
        }
        tx.set_meta(BACKFILLED, "1")?;
        Ok(!missing.is_empty())
    })
}

/// The weeks of one friend or all, in week order per friend, as of these
/// settings: stored ones, and for a friend whose stored weeks were computed
/// with other senders or settings, weeks computed here and not stored.
pub fn weeks(
    db: Db<'_>,
    friend: Option<FriendId>,
    tz: &TimeZone,
    config: &WeekConfig,
) -> Result<BTreeMap<FriendId, Vec<Week>>> {
    let mut out: BTreeMap<FriendId, Vec<Week>> = BTreeMap::new();
    for row in db.weeks(friend)? {
        add_row(&mut out, &row);
    }
    let (all, mine) = pairs(db, tz, config)?;
    let mut jobs = Vec::new();
    for pair in all.iter().filter(|p| friend.is_none_or(|f| p.friend == f)) {
        if db.week_source(pair.friend)?.as_deref() == Some(&pair.source) {
            continue;
        }
        out.remove(&pair.friend);
        if let Some((first, last)) = history(db, pair, tz)? {
            jobs.push(Job { pair, first, last });
        }
    }
    compute(db, &jobs, &mine, tz, config, &mut |_, _, _, rows| {
        for row in &rows {
            add_row(&mut out, row);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Adds one side of one week (rows come in week order per friend).
fn add_row(out: &mut BTreeMap<FriendId, Vec<Week>>, row: &StoredWeek) {
    let Some(side) = SideWeek::decode(&row.data) else {
        return;
    };
    let weeks = out.entry(row.friend).or_default();
    if weeks.last().is_none_or(|w| w.monday != row.monday) {
        weeks.push(Week {
            monday: row.monday,
            ..Week::default()
        });
    }
    if let Some(week) = weeks.last_mut() {
        if row.from_me {
            week.me = side;
        } else {
            week.them = side;
        }
    }
}

/// Fills each record's chat conversations from `since` to `until`, by who
/// started them (for boundary rules checked against message times).
pub fn add_chat_contacts(
    db: Db<'_>,
    records: &mut [FriendRecord],
    since: Timestamp,
    until: Timestamp,
    config: &WeekConfig,
) -> Result<()> {
    // Start a gap early, so a conversation under way is not counted as new.
    let from = since.checked_sub(config.gap).unwrap_or(since);
    let mine = db.sender_messages(&db.my_senders()?, true, from, until)?;
    for record in records {
        let theirs = db.senders_of(record.friend.id)?;
        let chats: HashSet<ChatId> = db.chats_of(&theirs)?.into_iter().collect();
        if chats.is_empty() {
            continue;
        }
        let mut messages = db.sender_messages(&theirs, false, from, until)?;
        messages.extend(mine.iter().filter(|m| chats.contains(&m.chat)));
        let converted = in_chat_order(&mut messages);
        let mut contacts: Vec<ChatContact> = by_chat(&messages, &converted)
            .into_iter()
            .flat_map(|chat| conversations(chat, config.gap))
            .map(|c| c[0])
            .filter(|m| m.at >= since)
            .map(|m| ChatContact {
                at: m.at,
                by: if m.from_me { Side::Me } else { Side::Them },
            })
            .collect();
        contacts.sort_by_key(|c| c.at);
        record.chat_contacts = contacts;
    }
    Ok(())
}

/// Sorts one friend's messages by chat and time (theirs first within a
/// second) and converts them for the analysis, in that order.
fn in_chat_order(messages: &mut [PairMessage]) -> Vec<ChatMessage> {
    messages.sort_unstable_by_key(|m| (m.chat, m.at, !m.from_me));
    messages.iter().map(chat_message).collect()
}

/// The converted messages split per chat (`messages` is in chat order).
fn by_chat<'a>(messages: &[PairMessage], converted: &'a [ChatMessage]) -> Vec<&'a [ChatMessage]> {
    let mut chats = Vec::new();
    let mut start = 0;
    for i in 1..=messages.len() {
        if i == messages.len() || messages[i].chat != messages[start].chat {
            chats.push(&converted[start..i]);
            start = i;
        }
    }
    chats
}

/// One week's measures with one friend, for exports and scripts.
pub fn week_json(friend: FriendId, week: &Week) -> serde_json::Value {
    let side = |s: &SideWeek| {
        serde_json::json!({
            "messages": s.messages,
            "words": s.words,
            "words_per_message": s.words_per_message(),
            "initiations": s.initiations,
            "replies": s.replies,
            "reply_median_seconds": s.reply_median_seconds,
            "enthusiasm": s.enthusiasm(),
            "exclamations": s.exclamations,
            "emoji": s.emoji,
            "questions": s.questions,
            "bids": s.bids,
            "bids_turned_toward": s.bids_turned_toward,
            "disclosures": s.disclosures,
            "disclosures_reciprocated": s.disclosures_reciprocated,
            "good_news": s.good_news,
            "good_news_celebrated": s.good_news_celebrated,
            "hard_news": s.hard_news,
            "gratitude": s.gratitude,
            "apologies": s.apologies,
            "friction": s.friction,
            "repairs": s.repairs,
            "support": s.support,
        })
    };
    serde_json::json!({
        "friend": friend,
        "week": week.monday,
        "me": side(&week.me),
        "them": side(&week.them),
        "my_initiation_share": week.my_initiation_share(),
        "my_thanks_per_support_received": week.thanks_per_support(true),
        "their_thanks_per_support_received": week.thanks_per_support(false),
        "style_matching": week.style_matching(),
    })
}
