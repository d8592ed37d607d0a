//! Weekly measures per friend and per side, from the messages between us.
//!
//! A week runs from Monday 00:00 in the user's time zone. A message counts in
//! the week it was sent; a conversation's initiation in the week it began; a
//! reply (and its latency) in the week it was sent; a bid, a disclosure or
//! good news in the week it was made, with the answer it got.
//!
//! Weeks are stored, and an import recomputes only the weeks its messages can
//! change ([`touched`]), reading the messages of those weeks plus some
//! context on either side ([`window`]).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::conversation::{ChatMessage, conversations, is_bid, is_celebration, is_engaged, turns};
use crate::text::{Flags, StyleCategory};

/// The knobs of conversations and weeks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeekConfig {
    /// A silence this long ends a conversation.
    pub gap: SignedDuration,
}

impl Default for WeekConfig {
    fn default() -> Self {
        WeekConfig {
            gap: SignedDuration::from_hours(3),
        }
    }
}

impl WeekConfig {
    /// How far beyond a range of weeks the messages that can change them reach.
    fn context(&self) -> SignedDuration {
        self.gap.max(SignedDuration::from_hours(24))
    }
}

/// One side's week: what I (or they) sent, and how the other side answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SideWeek {
    pub messages: u32,
    pub words: u32,
    /// Messages with words, the denominator of words per message.
    pub texts: u32,
    /// Texts whose tone was measured (in a language `mutual` reads), the
    /// denominator of enthusiasm.
    pub toned: u32,
    /// Sum of VADER compound over toned texts.
    pub sentiment: f64,
    pub exclamations: u32,
    pub emoji: u32,
    pub questions: u32,
    /// Conversations this side began.
    pub initiations: u32,
    pub replies: u32,
    /// Median time this side took to reply within a conversation.
    pub reply_median_seconds: Option<f64>,
    /// Turns asking for a response (a question, news, a disclosure) ...
    pub bids: u32,
    /// ... and how many of them the other side answered with engagement.
    pub bids_turned_toward: u32,
    pub disclosures: u32,
    /// Disclosures the other side answered with one of their own.
    pub disclosures_reciprocated: u32,
    pub good_news: u32,
    /// Good news the other side answered warmly and with interest.
    pub good_news_celebrated: u32,
    pub hard_news: u32,
    pub gratitude: u32,
    pub apologies: u32,
    /// Turns of this side that were clearly negative (friction) ...
    pub friction: u32,
    /// ... and this side's apologies that came after friction (of either
    /// side) in the same conversation: repair.
    pub repairs: u32,
    /// Messages offering support.
    pub support: u32,
    /// Closed-class words per [`StyleCategory`], for style matching.
    pub style: [u32; 9],
}

impl SideWeek {
    pub fn words_per_message(&self) -> Option<f64> {
        ratio(self.words, self.texts)
    }

    /// Mean sentiment of this side's texts whose tone was measured, [-1, 1];
    /// `None` in a week with none (all in a language `mutual` cannot read).
    pub fn enthusiasm(&self) -> Option<f64> {
        (self.toned > 0).then(|| self.sentiment / f64::from(self.toned))
    }

    /// Share of this side's bids the other side turned toward.
    pub fn turned_toward(&self) -> Option<f64> {
        ratio(self.bids_turned_toward, self.bids)
    }

    pub fn is_empty(&self) -> bool {
        self.messages == 0 && self.initiations == 0 && self.replies == 0
    }

    /// Adds another week (a sum over weeks; the median becomes the mean of
    /// medians weighted by replies, an approximation kept for summaries).
    pub fn add(&mut self, other: &SideWeek) {
        self.reply_median_seconds = match (self.reply_median_seconds, other.reply_median_seconds) {
            (Some(a), Some(b)) => Some(
                (a * f64::from(self.replies) + b * f64::from(other.replies))
                    / f64::from((self.replies + other.replies).max(1)),
            ),
            (a, b) => a.or(b),
        };
        self.messages += other.messages;
        self.words += other.words;
        self.texts += other.texts;
        self.toned += other.toned;
        self.sentiment += other.sentiment;
        self.exclamations += other.exclamations;
        self.emoji += other.emoji;
        self.questions += other.questions;
        self.initiations += other.initiations;
        self.replies += other.replies;
        self.bids += other.bids;
        self.bids_turned_toward += other.bids_turned_toward;
        self.disclosures += other.disclosures;
        self.disclosures_reciprocated += other.disclosures_reciprocated;
        self.good_news += other.good_news;
        self.good_news_celebrated += other.good_news_celebrated;
        self.hard_news += other.hard_news;
        self.gratitude += other.gratitude;
        self.apologies += other.apologies;
        self.friction += other.friction;
        self.repairs += other.repairs;
        self.support += other.support;
        for (a, b) in self.style.iter_mut().zip(other.style) {
            *a += b;
        }
    }
}

/// The version byte of [`SideWeek::encode`]; callers that store weeks
/// recompute them when it changes.
pub const ENCODING: u8 = 3;
/// Counts in the encoding: [`SideWeek::counts_mut`] and the style words.
const COUNTS: usize = 21 + 9;

impl SideWeek {
    /// The counts besides the style words, in a fixed order: the body of the
    /// encoding.
    fn counts_mut(&mut self) -> [&mut u32; 21] {
        [
            &mut self.messages,
            &mut self.words,
            &mut self.texts,
            &mut self.toned,
            &mut self.exclamations,
            &mut self.emoji,
            &mut self.questions,
            &mut self.initiations,
            &mut self.replies,
            &mut self.bids,
            &mut self.bids_turned_toward,
            &mut self.disclosures,
            &mut self.disclosures_reciprocated,
            &mut self.good_news,
            &mut self.good_news_celebrated,
            &mut self.hard_news,
            &mut self.gratitude,
            &mut self.apologies,
            &mut self.friction,
            &mut self.repairs,
            &mut self.support,
        ]
    }

    /// A compact, versioned byte encoding for storage.
    pub fn encode(&self) -> Vec<u8> {
        let mut copy = self.clone();
        let mut out = Vec::with_capacity(1 + COUNTS * 4 + 16);
        out.push(ENCODING);
        for n in copy.counts_mut() {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for n in self.style {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&self.reply_median_seconds.unwrap_or(f64::NAN).to_le_bytes());
        out.extend_from_slice(&self.sentiment.to_le_bytes());
        out
    }

    /// Reads [`SideWeek::encode`]'s bytes; `None` when they are not such
    /// (or of an older version, which the caller recomputes).
    pub fn decode(bytes: &[u8]) -> Option<SideWeek> {
        let (&version, mut rest) = bytes.split_first()?;
        if version != ENCODING || rest.len() != COUNTS * 4 + 16 {
            return None;
        }
        let mut take = |n: usize| {
            let (head, tail) = rest.split_at(n);
            rest = tail;
            head
        };
        let mut week = SideWeek::default();
        let mut style = [0; 9];
        for n in week.counts_mut().into_iter().chain(&mut style) {
            *n = u32::from_le_bytes(take(4).try_into().ok()?);
        }
        week.style = style;
        let median = f64::from_le_bytes(take(8).try_into().ok()?);
        week.reply_median_seconds = (!median.is_nan()).then_some(median);
        week.sentiment = f64::from_le_bytes(take(8).try_into().ok()?);
        Some(week)
    }
}

fn ratio(n: u32, d: u32) -> Option<f64> {
    (d > 0).then(|| f64::from(n) / f64::from(d))
}

/// Both sides of one week with one friend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Week {
    /// The week's Monday, local.
    pub monday: Date,
    pub me: SideWeek,
    pub them: SideWeek,
}

impl Week {
    pub fn side(&self, from_me: bool) -> &SideWeek {
        if from_me { &self.me } else { &self.them }
    }

    fn side_mut(&mut self, from_me: bool) -> &mut SideWeek {
        if from_me { &mut self.me } else { &mut self.them }
    }

    /// My thanks per message of support they offered (and theirs per mine
    /// with `from_me` false): gratitude for support received.
    pub fn thanks_per_support(&self, from_me: bool) -> Option<f64> {
        let (thanker, giver) = if from_me {
            (&self.me, &self.them)
        } else {
            (&self.them, &self.me)
        };
        ratio(thanker.gratitude, giver.support)
    }

    /// The share of this week's conversations I began.
    pub fn my_initiation_share(&self) -> Option<f64> {
        ratio(self.me.initiations, self.me.initiations + self.them.initiations)
    }

    /// Language style matching of the week's words, [0, 1].
    pub fn style_matching(&self) -> Option<f64> {
        crate::text::style_matching(&self.me.style, self.me.words, &self.them.style, self.them.words)
    }
}

/// The support balance the chats show, in [-1, 1]: Σw·(mine − theirs) /
/// Σw·(mine + theirs) over the messages offering support, with
/// w = exp(−age/τ) by the week's age at `today`. Positive when I have
/// offered more lately; `None` without any support offered.
pub fn support_balance(weeks: &[Week], today: Date, tau_days: f64) -> Option<f64> {
    let (mut net, mut total) = (0.0, 0.0);
    for w in weeks.iter().filter(|w| w.monday <= today) {
        let age = f64::from(w.monday.until(today).map_or(0, |s| s.get_days()));
        let weight = (-age / tau_days).exp();
        net += weight * (f64::from(w.me.support) - f64::from(w.them.support));
        total += weight * f64::from(w.me.support + w.them.support);
    }
    (total > 0.0).then(|| net / total)
}

/// Both sides summed over the weeks from `first` to `last` (Mondays,
/// inclusive); `None` when nobody wrote then.
pub fn summary(weeks: &[Week], first: Date, last: Date) -> Option<Week> {
    let mut sum = Week {
        monday: first,
        ..Week::default()
    };
    let mut any = false;
    for w in weeks.iter().filter(|w| first <= w.monday && w.monday <= last) {
        sum.me.add(&w.me);
        sum.them.add(&w.them);
        any = true;
    }
    any.then_some(sum)
}

/// The Monday of the week containing `day`.
pub fn monday_of(day: Date) -> Date {
    day.checked_sub(i64::from(day.weekday().to_monday_zero_offset()).days())
        .unwrap_or(day)
}

/// The Mondays of the first and last week whose measures can change when
/// messages sent between `first` and `last` are added.
pub fn touched(first: Timestamp, last: Timestamp, tz: &TimeZone, config: &WeekConfig) -> (Date, Date) {
    let day = |t: Timestamp| t.to_zoned(tz.clone()).date();
    let from = first.checked_sub(config.gap).unwrap_or(first);
    let to = last.checked_add(config.gap).unwrap_or(last);
    (monday_of(day(from)), monday_of(day(to)))
}

/// The messages to read to compute the weeks from `first` to `last` (their
/// Mondays): those weeks and enough on either side to place their
/// conversations.
pub fn window(first: Date, last: Date, tz: &TimeZone, config: &WeekConfig) -> (Timestamp, Timestamp) {
    let start = week_start(first, tz);
    // Past the end of time, the window reaches as far as instants go.
    let end = last
        .checked_add(7.days())
        .ok()
        .and_then(|next| next.to_zoned(tz.clone()).ok())
        .map_or(Timestamp::MAX, |z| z.timestamp());
    (
        start.checked_sub(config.context()).unwrap_or(start),
        end.checked_add(config.context()).unwrap_or(end),
    )
}

fn week_start(monday: Date, tz: &TimeZone) -> Timestamp {
    monday
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN)
}

/// Maps instants to their local week, remembering the last week's bounds.
struct WeekClock<'a> {
    tz: &'a TimeZone,
    start: Timestamp,
    end: Timestamp,
    monday: Date,
}

impl<'a> WeekClock<'a> {
    fn new(tz: &'a TimeZone) -> Self {
        WeekClock {
            tz,
            start: Timestamp::MAX,
            end: Timestamp::MIN,
            monday: Date::MIN,
        }
    }

    fn monday(&mut self, t: Timestamp) -> Date {
        if t < self.start || t >= self.end {
            self.monday = monday_of(t.to_zoned(self.tz.clone()).date());
            self.start = week_start(self.monday, self.tz);
            self.end = week_start(self.monday.checked_add(7.days()).unwrap_or(Date::MAX), self.tz);
        }
        self.monday
    }
}

/// A week being summed, with its reply latencies.
#[derive(Default)]
struct Tally {
    week: Week,
    latencies: [Vec<f64>; 2],
}

/// Computes the weeks whose Mondays fall between `first` and `last`
/// (inclusive) from the messages of each chat (each in time order, and
/// reaching at least as far as [`window`]). Weeks without any message are
/// left out.
pub fn weeks(
    chats: &[&[ChatMessage]],
    first: Date,
    last: Date,
    tz: &TimeZone,
    config: &WeekConfig,
) -> Vec<Week> {
    let mut clock = WeekClock::new(tz);
    let mut tallies: BTreeMap<Date, Tally> = BTreeMap::new();
    let range = first..=last;
    for chat in chats {
        for m in *chat {
            if let Some(t) = tally_for(&mut tallies, &mut clock, &range, m.at) {
                count_message(t.week.side_mut(m.from_me), m);
            }
        }
        for conversation in conversations(chat, config.gap) {
            let turns: Vec<&[ChatMessage]> = turns(conversation).collect();
            if let Some(t) = tally_for(&mut tallies, &mut clock, &range, conversation[0].at) {
                t.week.side_mut(conversation[0].from_me).initiations += 1;
            }
            // Per side: whether a later turn of that side holds a
            // disclosure, filled from the end so each turn asks in O(1).
            let mut disclosed_later = vec![[false; 2]; turns.len() + 1];
            for i in (0..turns.len()).rev() {
                disclosed_later[i] = disclosed_later[i + 1];
                if turns[i].iter().any(|m| m.flags.contains(Flags::DISCLOSURE)) {
                    disclosed_later[i][usize::from(turns[i][0].from_me)] = true;
                }
            }
            let mut friction_before = false;
            for (i, turn) in turns.iter().enumerate() {
                let side = turn[0].from_me;
                let context = TurnContext {
                    answer: turns.get(i + 1).copied(),
                    answered_by_disclosure: disclosed_later[i + 1][usize::from(!side)],
                    friction_before,
                };
                friction_before |= is_friction(turn);
                let Some(t) = tally_for(&mut tallies, &mut clock, &range, turn[0].at) else {
                    continue;
                };
                if i > 0 {
                    let previous = turns[i - 1][turns[i - 1].len() - 1].at;
                    t.latencies[usize::from(side)].push(turn[0].at.duration_since(previous).as_secs_f64());
                }
                count_turn(t.week.side_mut(side), turn, &context);
            }
        }
    }
    tallies
        .into_values()
        .map(|mut t| {
            for side in [false, true] {
                let latencies = &mut t.latencies[usize::from(side)];
                let s = t.week.side_mut(side);
                s.replies = latencies.len() as u32;
                s.reply_median_seconds = median(latencies);
            }
            t.week
        })
        .collect()
}

/// The tally of the week containing `at`, if that week is in `range`.
fn tally_for<'t>(
    tallies: &'t mut BTreeMap<Date, Tally>,
    clock: &mut WeekClock<'_>,
    range: &std::ops::RangeInclusive<Date>,
    at: Timestamp,
) -> Option<&'t mut Tally> {
    let monday = clock.monday(at);
    range.contains(&monday).then(move || {
        let t = tallies.entry(monday).or_default();
        t.week.monday = monday;
        t
    })
}

fn count_message(s: &mut SideWeek, m: &ChatMessage) {
    s.messages += 1;
    s.words += m.words;
    if m.words > 0 {
        s.texts += 1;
        if m.toned {
            s.toned += 1;
            s.sentiment += f64::from(m.compound);
        }
    }
    s.emoji += m.emoji;
    let f = m.flags;
    s.exclamations += u32::from(f.contains(Flags::EXCLAMATION));
    s.questions += u32::from(f.contains(Flags::QUESTION));
    s.hard_news += u32::from(f.contains(Flags::HARD_NEWS));
    s.gratitude += u32::from(f.contains(Flags::GRATITUDE));
    s.apologies += u32::from(f.contains(Flags::APOLOGY));
    s.support += u32::from(f.contains(Flags::SUPPORT));
    for (i, c) in StyleCategory::ALL.iter().enumerate() {
        s.style[i] += m.style.count(*c);
    }
}

/// What the rest of its conversation says about a turn.
struct TurnContext<'a> {
    /// The next turn (the other side's).
    answer: Option<&'a [ChatMessage]>,
    /// Whether a later turn of the other side holds a disclosure.
    answered_by_disclosure: bool,
    /// Whether an earlier turn (of either side) was friction.
    friction_before: bool,
}

/// Counts a turn's bids, disclosure, good news, friction and repair with
/// the answers they got.
fn count_turn(s: &mut SideWeek, turn: &[ChatMessage], context: &TurnContext<'_>) {
    let has = |flag: Flags| turn.iter().any(|m| m.flags.contains(flag));
    s.friction += u32::from(is_friction(turn));
    if context.friction_before || is_friction(turn) {
        s.repairs += turn.iter().filter(|m| m.flags.contains(Flags::APOLOGY)).count() as u32;
    }
    if is_bid(turn) {
        s.bids += 1;
        s.bids_turned_toward += u32::from(context.answer.is_some_and(is_engaged));
    }
    if has(Flags::DISCLOSURE) {
        s.disclosures += 1;
        s.disclosures_reciprocated += u32::from(context.answered_by_disclosure);
    }
    if has(Flags::GOOD_NEWS) {
        s.good_news += 1;
        s.good_news_celebrated += u32::from(context.answer.is_some_and(is_celebration));
    }
}

/// Whether a turn is clearly negative in tone: friction, which an apology
/// may repair.
fn is_friction(turn: &[ChatMessage]) -> bool {
    turn.iter().any(|m| m.compound <= -0.5)
}

/// The median of `values` (reordering them), `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::tests::msg;

    fn utc() -> TimeZone {
        TimeZone::UTC
    }

    fn with(mut m: ChatMessage, flag: Flags) -> ChatMessage {
        m.flags.insert(flag);
        m
    }

    /// 2023-11-14 22:13 UTC is the test epoch (a Tuesday).
    fn all(chats: &[&[ChatMessage]]) -> Vec<Week> {
        weeks(chats, Date::MIN, Date::MAX, &utc(), &WeekConfig::default())
    }

    #[test]
    fn tone_counts_only_where_it_was_measured() {
        let mut warm = msg(0, false, 5);
        warm.compound = 0.5;
        let mut unread = msg(1, false, 7);
        unread.toned = false;
        let week = &all(&[&[warm, unread]])[0];
        assert_eq!((week.them.texts, week.them.toned), (2, 1));
        assert_eq!(
            week.them.enthusiasm(),
            Some(0.5),
            "the unread text does not dilute the tone"
        );
        assert_eq!(week.them.words_per_message(), Some(6.0), "but its words count");
        let only_unread = &all(&[&[unread]])[0];
        assert_eq!(
            only_unread.them.enthusiasm(),
            None,
            "no tone measured is no tone, not a neutral one"
        );
    }

    #[test]
    fn the_test_epoch_is_a_tuesday_evening() {
        let t = msg(0, true, 1).at.to_zoned(utc());
        assert_eq!((t.weekday(), t.hour()), (jiff::civil::Weekday::Tuesday, 22));
        assert_eq!(monday_of(t.date()), jiff::civil::date(2023, 11, 13));
    }

    #[test]
    fn messages_initiations_and_replies_are_counted_per_side() {
        let chat = [
            msg(0, true, 4),
            msg(1, true, 2),
            msg(11, false, 6),     // a reply after 10 minutes
            msg(41, true, 3),      // a reply after 30 minutes
            msg(60 * 5, false, 5), // 5 hours later: their new conversation
            msg(60 * 5 + 2, true, 1),
        ];
        let w = all(&[&chat]);
        assert_eq!(w.len(), 1);
        let w = &w[0];
        assert_eq!((w.me.messages, w.them.messages), (4, 2));
        assert_eq!((w.me.words, w.them.words), (10, 11));
        assert_eq!((w.me.initiations, w.them.initiations), (1, 1));
        assert_eq!((w.me.replies, w.them.replies), (2, 1));
        assert_eq!(w.them.reply_median_seconds, Some(600.0));
        assert_eq!(w.me.reply_median_seconds, Some((1800.0 + 120.0) / 2.0));
        assert_eq!(w.my_initiation_share(), Some(0.5));
    }

    #[test]
    fn bids_count_when_the_answer_engages() {
        let q = |minutes, from_me| with(msg(minutes, from_me, 5), Flags::QUESTION);
        let chat = [
            q(0, false),
            msg(1, true, 6), // engaged
            q(2, false),
            msg(3, true, 1), // minimal
            q(4, false),     // no answer: the conversation ends
        ];
        let w = &all(&[&chat])[0];
        assert_eq!((w.them.bids, w.them.bids_turned_toward), (3, 1));
        assert_eq!(w.them.turned_toward(), Some(1.0 / 3.0));
        assert_eq!(w.me.bids, 0);
    }

    #[test]
    fn disclosures_and_good_news_record_the_answer_they_got() {
        let mut cheer = with(msg(1, true, 3), Flags::EXCLAMATION);
        cheer.flags.insert(Flags::QUESTION);
        let chat = [
            with(msg(0, false, 8), Flags::GOOD_NEWS),
            cheer,
            with(msg(2, false, 9), Flags::DISCLOSURE),
            msg(3, true, 5),
            with(msg(4, true, 9), Flags::DISCLOSURE),
        ];
        let w = &all(&[&chat])[0];
        assert_eq!((w.them.good_news, w.them.good_news_celebrated), (1, 1));
        assert_eq!((w.them.disclosures, w.them.disclosures_reciprocated), (1, 1));
        assert_eq!((w.me.disclosures, w.me.disclosures_reciprocated), (1, 0));
    }

    #[test]
    fn apologies_after_friction_are_repairs() {
        let mut sharp = msg(0, false, 6);
        sharp.compound = -0.7;
        let chat = [
            with(msg(-600, true, 3), Flags::APOLOGY), // an apology with no friction before
            sharp,
            with(msg(1, true, 5), Flags::APOLOGY),
            with(msg(2, false, 4), Flags::GRATITUDE),
            with(msg(3, true, 4), Flags::SUPPORT),
        ];
        let w = &all(&[&chat])[0];
        assert_eq!((w.them.friction, w.me.friction), (1, 0));
        assert_eq!((w.me.apologies, w.me.repairs), (2, 1));
        assert_eq!(w.thanks_per_support(false), Some(1.0));
        assert_eq!(w.thanks_per_support(true), None);
    }

    #[test]
    fn chat_support_balance_is_weighted_toward_recent_weeks() {
        let week = |monday: Date, me: u32, them: u32| Week {
            monday,
            me: SideWeek {
                support: me,
                ..SideWeek::default()
            },
            them: SideWeek {
                support: them,
                ..SideWeek::default()
            },
        };
        let today = jiff::civil::date(2026, 6, 1);
        assert_eq!(support_balance(&[], today, 90.0), None);
        let even = [week(jiff::civil::date(2026, 5, 25), 2, 2)];
        assert_eq!(support_balance(&even, today, 90.0), Some(0.0));
        // Long ago they offered more; lately I have.
        let shifted = [
            week(jiff::civil::date(2025, 1, 6), 0, 10),
            week(jiff::civil::date(2026, 5, 25), 4, 0),
        ];
        let b = support_balance(&shifted, today, 90.0).expect("support offered");
        assert!(b > 0.5 && b <= 1.0, "{b}");
    }

    #[test]
    fn a_week_starts_on_local_monday() {
        // Sunday 23:30 and Monday 00:30 in Berlin are in different weeks.
        let tz = TimeZone::get("Europe/Berlin").expect("bundled or system tzdb");
        let at = |s: &str| {
            s.parse::<jiff::civil::DateTime>()
                .expect("valid")
                .to_zoned(tz.clone())
                .expect("valid")
                .timestamp()
        };
        let mut a = msg(0, true, 1);
        a.at = at("2024-03-10T23:30");
        let mut b = msg(0, false, 1);
        b.at = at("2024-03-11T00:30");
        let w = weeks(&[&[a, b]], Date::MIN, Date::MAX, &tz, &WeekConfig::default());
        let mondays: Vec<Date> = w.iter().map(|w| w.monday).collect();
        assert_eq!(
            mondays,
            [jiff::civil::date(2024, 3, 4), jiff::civil::date(2024, 3, 11)]
        );
        // The reply across midnight counts in the week it was sent.
        assert_eq!((w[0].me.initiations, w[1].them.replies), (1, 1));
    }

    #[test]
    fn recomputing_a_range_from_its_window_matches_the_whole() {
        // Messages every ~2.5 hours across four weeks, so conversations cross weeks.
        let mut chat = Vec::new();
        let mut minutes = 0;
        for i in 0..300 {
            minutes += if i % 7 == 0 { 600 } else { 150 };
            let mut m = msg(minutes, i % 3 != 0, (i % 9) as u32);
            if i % 4 == 0 {
                m.flags.insert(Flags::QUESTION);
            }
            chat.push(m);
        }
        let tz = utc();
        let config = WeekConfig::default();
        let whole = weeks(&[&chat], Date::MIN, Date::MAX, &tz, &config);
        assert!(whole.len() >= 4);
        let (first, last) = (whole[1].monday, whole[2].monday);
        let (from, to) = window(first, last, &tz, &config);
        let part: Vec<ChatMessage> = chat
            .iter()
            .copied()
            .filter(|m| from <= m.at && m.at < to)
            .collect();
        assert_eq!(weeks(&[&part], first, last, &tz, &config), whole[1..3]);
    }

    #[test]
    fn touched_weeks_reach_one_gap_either_side() {
        let tz = utc();
        let config = WeekConfig::default();
        let monday = |s: &str| s.parse::<Timestamp>().expect("valid");
        // Monday 01:00: a conversation from Sunday night may now continue.
        let (a, b) = touched(
            monday("2024-03-11T01:00Z"),
            monday("2024-03-11T01:00Z"),
            &tz,
            &config,
        );
        assert_eq!(
            (a, b),
            (jiff::civil::date(2024, 3, 4), jiff::civil::date(2024, 3, 11))
        );
        let (a, b) = touched(
            monday("2024-03-13T12:00Z"),
            monday("2024-03-13T12:00Z"),
            &tz,
            &config,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn a_side_week_survives_its_encoding() {
        let mut w = SideWeek {
            messages: 7,
            words: 90,
            texts: 6,
            sentiment: 1.25,
            replies: 3,
            reply_median_seconds: Some(420.5),
            support: 2,
            ..SideWeek::default()
        };
        w.style = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        w.repairs = 4;
        assert_eq!(SideWeek::decode(&w.encode()), Some(w.clone()));
        w.reply_median_seconds = None;
        assert_eq!(SideWeek::decode(&w.encode()), Some(w.clone()));
        assert_eq!(SideWeek::decode(&[]), None);
        assert_eq!(SideWeek::decode(&w.encode()[..20]), None);
    }

    #[test]
    fn a_long_conversation_is_counted_in_linear_time() {
        // 200,000 turns in one conversation: quadratic counting would not finish.
        let chat: Vec<ChatMessage> = (0..200_000)
            .map(|i| {
                let mut m = msg(i, i % 2 == 0, 3);
                if i % 10 == 0 {
                    m.flags.insert(Flags::DISCLOSURE);
                }
                m
            })
            .collect();
        let weeks = all(&[&chat]);
        let disclosures: u32 = weeks.iter().map(|w| w.me.disclosures + w.them.disclosures).sum();
        assert_eq!(disclosures, 20_000);
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
