//! Typed view models: what a view shows, as one type that both the command
//! line's `--json` and (next) the web app's API serialize, so the two can
//! not drift apart. Numbers are rounded by one rule ([`round`]) when
//! serialized; the values in memory keep their precision for printing.

use jiff::ToSpan;
use jiff::civil::Date;
use mutual_analysis::weekly::{Week, monday_of, summary, support_balance};
use mutual_core::energy::{DayPart, EnergyBy, energy_by};
use mutual_core::prompt::{NextPrompt, next_prompt};
use mutual_core::signal::{Signal, signals};
use mutual_core::{Channel, Deck, FriendId, FriendOverview, FriendRecord, Interaction, overview};
use mutual_store::{Db, JournalFilter};
use serde::Serialize;

use crate::Settings;

/// `v` to `places` decimals: the one rounding rule of every view.
pub fn round(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

fn round_opt(v: Option<f64>, places: i32) -> Option<f64> {
    v.map(|v| round(v, places))
}

/// Weeks of chats the balance view sums.
pub const CHAT_WEEKS: i64 = 8;

/// Today's agenda, and how many friends it looked at.
#[derive(Clone, Debug, Serialize)]
pub struct Today {
    #[serde(flatten)]
    pub agenda: mutual_core::Agenda,
    /// Friends in the database (none: the agenda suggests adding one).
    #[serde(skip)]
    pub friends: usize,
}

impl Today {
    /// The friendships that need nothing today, in words: how many are in
    /// a good rhythm, and who is resting (paused or snoozed).
    pub fn rest(&self) -> Vec<String> {
        let agenda = &self.agenda;
        let mut rest = Vec::new();
        match agenda.quiet {
            0 => {}
            1 => rest.push("1 other friendship is in a good rhythm.".to_owned()),
            n => rest.push(format!("{n} other friendships are in a good rhythm.")),
        }
        if !agenda.resting.is_empty() {
            let names: Vec<String> = agenda
                .resting
                .iter()
                .map(|r| format!("{} ({})", r.name, r.state.phrase()))
                .collect();
            rest.push(format!("Resting for now: {}.", names.join(", ")));
        }
        rest
    }
}

/// Today's agenda over every friend: what needs a moment, by section.
pub fn today(settings: &Settings, db: Db<'_>) -> crate::error::Result<Today> {
    let records = settings.records(db, None)?;
    let drift = settings.drift(db, &records)?;
    Ok(today_with(settings, &records, &drift))
}

/// Today's agenda from records and drift already read (a [`crate::Snapshot`]).
pub fn today_with(settings: &Settings, records: &[FriendRecord], drift: &mutual_core::Drift) -> Today {
    Today {
        agenda: mutual_core::agenda(records, drift, &settings.context()),
        friends: records.len(),
    }
}

/// One friend's line of the balance view.
#[derive(Clone, Debug)]
pub struct BalanceRow {
    pub overview: FriendOverview,
    /// The last [`CHAT_WEEKS`] weeks of chats, summed.
    pub chats: Option<Week>,
    /// The support balance the chats show, recency-weighted like B.
    pub chat_support: Option<f64>,
    /// The latest check-in both of you answered: two perspectives.
    pub checkin: Option<crate::checkin::CheckinView>,
}

/// Each friend's balance line, with the last weeks of chats summed.
pub fn balance_rows(
    settings: &Settings,
    db: Db<'_>,
    records: &[FriendRecord],
) -> crate::error::Result<Vec<BalanceRow>> {
    let weeks = settings.weeks(db, None)?;
    balance_rows_with(settings, db, records, &weeks)
}

/// The same, from weekly measures already read.
pub fn balance_rows_with(
    settings: &Settings,
    db: Db<'_>,
    records: &[FriendRecord],
    weeks: &std::collections::BTreeMap<FriendId, Vec<Week>>,
) -> crate::error::Result<Vec<BalanceRow>> {
    let cx = settings.context();
    let (first, last) = chat_weeks(settings);
    let friends: Vec<&mutual_core::Friend> = records.iter().map(|r| &r.friend).collect();
    let mut checkins = crate::checkin::latest_both_by_friend(settings, db, &friends)?;
    Ok(records
        .iter()
        .map(|r| {
            let all = weeks.get(&r.friend.id).map_or(&[][..], Vec::as_slice);
            BalanceRow {
                overview: overview(r, &cx),
                chats: summary(all, first, last),
                chat_support: support_balance(all, cx.today, settings.config.balance.tau_days),
                checkin: checkins.remove(&r.friend.id),
            }
        })
        .collect())
}

/// The last weeks of chats with one friend, if any.
pub fn recent_chats(settings: &Settings, db: Db<'_>, friend: FriendId) -> crate::error::Result<Option<Week>> {
    let weeks = settings.weeks(db, Some(friend))?;
    let (first, last) = chat_weeks(settings);
    Ok(weeks.get(&friend).and_then(|w| summary(w, first, last)))
}

/// The Mondays of the first and last of the weeks of chats shown.
fn chat_weeks(settings: &Settings) -> (Date, Date) {
    let last = monday_of(settings.today());
    (
        last.checked_sub((7 * (CHAT_WEEKS - 1)).days()).unwrap_or(last),
        last,
    )
}

impl Serialize for BalanceRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (o, b) = (&self.overview, &self.overview.balance);
        #[derive(Serialize)]
        struct Shown<'a> {
            chats: Option<Chats<'a>>,
            chat_support_balance: Option<f64>,
            friend: &'a str,
            friend_id: FriendId,
            score: f64,
            band: mutual_core::Band,
            needed: u32,
            entries: usize,
            weight: f64,
            under_agreement: usize,
            per_kind: &'a [mutual_core::balance::KindBalance],
            energy: Option<f64>,
            energy_entries: usize,
            energy_window_days: i64,
            energy_trend: mutual_core::Trend,
            cadence: mutual_core::CadenceState,
            #[serde(skip_serializing_if = "Option::is_none")]
            checkin: Option<&'a crate::checkin::CheckinView>,
        }
        Shown {
            chats: self.chats.as_ref().map(Chats),
            chat_support_balance: round_opt(self.chat_support, 3),
            friend: &o.name,
            friend_id: o.friend,
            score: round(b.score, 4),
            band: b.band,
            needed: b.needed,
            entries: b.entries,
            weight: round(b.weight, 3),
            under_agreement: b.under_agreement,
            per_kind: &b.per_kind,
            energy: round_opt(o.energy.recent, 2),
            energy_entries: o.energy.recent_entries,
            energy_window_days: o.energy.window_days,
            energy_trend: o.energy.trend,
            cadence: o.cadence.state,
            checkin: self.checkin.as_ref(),
        }
        .serialize(serializer)
    }
}

/// The last weeks of chats, as a view shows them: both sides' messages, who
/// starts, reply times, length, tone, support offered, how often bids were
/// turned toward, and style matching.
#[derive(Clone, Copy, Debug)]
pub struct Chats<'a>(pub &'a Week);

impl Serialize for Chats<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let w = self.0;
        let minutes = |s: Option<f64>| s.map(|s| round(s / 60.0, 1));
        #[derive(Serialize)]
        struct Shown {
            weeks: i64,
            my_messages: u32,
            their_messages: u32,
            my_initiation_share: Option<f64>,
            my_reply_minutes: Option<f64>,
            their_reply_minutes: Option<f64>,
            my_words_per_message: Option<f64>,
            their_words_per_message: Option<f64>,
            my_enthusiasm: Option<f64>,
            their_enthusiasm: Option<f64>,
            my_bids_turned_toward: Option<f64>,
            their_bids_turned_toward: Option<f64>,
            my_support_messages: u32,
            their_support_messages: u32,
            style_matching: Option<f64>,
        }
        Shown {
            weeks: CHAT_WEEKS,
            my_messages: w.me.messages,
            their_messages: w.them.messages,
            my_initiation_share: round_opt(w.my_initiation_share(), 3),
            my_reply_minutes: minutes(w.me.reply_median_seconds),
            their_reply_minutes: minutes(w.them.reply_median_seconds),
            my_words_per_message: round_opt(w.me.words_per_message(), 3),
            their_words_per_message: round_opt(w.them.words_per_message(), 3),
            my_enthusiasm: round_opt(w.me.enthusiasm(), 3),
            their_enthusiasm: round_opt(w.them.enthusiasm(), 3),
            my_bids_turned_toward: round_opt(w.me.turned_toward(), 3),
            their_bids_turned_toward: round_opt(w.them.turned_toward(), 3),
            my_support_messages: w.me.support,
            their_support_messages: w.them.support,
            style_matching: round_opt(w.style_matching(), 3),
        }
        .serialize(serializer)
    }
}

/// Everything about one friendship, as `friend show` and the friend page
/// show it.
#[derive(Clone, Debug)]
pub struct FriendProfile {
    /// What the model reads of them (the friend, needs, boundaries,
    /// follow-ups, moments, key dates).
    pub record: FriendRecord,
    pub overview: FriendOverview,
    /// The last [`CHAT_WEEKS`] weeks of chats, summed.
    pub chats: Option<Week>,
    pub energy_by_channel: Vec<EnergyBy<Channel>>,
    pub energy_by_tag: Vec<EnergyBy<String>>,
    pub energy_by_part_of_day: Vec<EnergyBy<DayPart>>,
    pub next_prompt: Option<NextPrompt>,
    /// Every journal entry with them, newest first.
    pub entries: Vec<Interaction>,
    /// The latest check-in both of you answered: two perspectives.
    pub checkin: Option<crate::checkin::CheckinView>,
}

/// How many of the latest entries a profile's JSON carries.
const RECENT_ENTRIES: usize = 10;

/// The profile of the friend `friend`, as of the settings' moment.
pub fn friend_profile(
    settings: &Settings,
    db: Db<'_>,
    friend: FriendId,
) -> crate::error::Result<FriendProfile> {
    let record =
        settings
            .records(db, Some(friend))?
            .into_iter()
            .next()
            .ok_or(mutual_store::StoreError::NotFound {
                what: "friend",
                id: friend.0,
            })?;
    let cx = settings.context();
    let overview = overview(&record, &cx);
    let entries = db.interactions(&JournalFilter {
        friend: Some(friend),
        ..JournalFilter::default()
    })?;
    let rated = || {
        entries
            .iter()
            .filter_map(|e| e.exchange.energy.map(|en| (e, en.get())))
    };
    let energy_by_channel = energy_by(rated().map(|(e, en)| (e.exchange.channel, en)), 2);
    let energy_by_tag = energy_by(
        rated().flat_map(|(e, en)| e.tags.iter().map(move |t| (t.clone(), en))),
        2,
    );
    let energy_by_part_of_day = energy_by(
        rated().map(|(e, en)| {
            (
                DayPart::of(e.exchange.at.to_zoned(settings.tz.clone()).time()),
                en,
            )
        }),
        2,
    );
    let uses = db.prompt_uses(Some(friend))?;
    let next_prompt = next_prompt(
        &Deck::builtin(),
        &uses,
        overview.energy.recent,
        &settings.config.pacing,
    );
    Ok(FriendProfile {
        checkin: crate::checkin::latest_both(settings, db, &record.friend)?,
        chats: recent_chats(settings, db, friend)?,
        record,
        overview,
        energy_by_channel,
        energy_by_tag,
        energy_by_part_of_day,
        next_prompt,
        entries,
    })
}

impl Serialize for FriendProfile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = &self.record;
        #[derive(Serialize)]
        struct Shown<'a> {
            friend: &'a mutual_core::Friend,
            overview: &'a FriendOverview,
            chats: Option<Chats<'a>>,
            energy_by_channel: &'a [EnergyBy<Channel>],
            energy_by_tag: &'a [EnergyBy<String>],
            energy_by_part_of_day: &'a [EnergyBy<DayPart>],
            needs: &'a [mutual_core::Need],
            boundaries: &'a [mutual_core::Boundary],
            agreements: &'a [mutual_core::Agreement],
            follow_ups: &'a [mutual_core::FollowUp],
            wins: &'a [mutual_core::Win],
            gratitude: &'a [mutual_core::Gratitude],
            parked_topics: &'a [mutual_core::ParkedTopic],
            key_dates: &'a [mutual_core::KeyDate],
            next_prompt: &'a Option<NextPrompt>,
            recent_entries: &'a [Interaction],
            #[serde(skip_serializing_if = "Option::is_none")]
            checkin: Option<&'a crate::checkin::CheckinView>,
        }
        Shown {
            friend: &r.friend,
            overview: &self.overview,
            chats: self.chats.as_ref().map(Chats),
            energy_by_channel: &self.energy_by_channel,
            energy_by_tag: &self.energy_by_tag,
            energy_by_part_of_day: &self.energy_by_part_of_day,
            needs: &r.needs,
            boundaries: &r.boundaries,
            agreements: &r.agreements,
            follow_ups: &r.follow_ups,
            wins: &r.wins,
            gratitude: &r.gratitude,
            parked_topics: &r.parked,
            key_dates: &r.key_dates,
            next_prompt: &self.next_prompt,
            recent_entries: &self.entries[..self.entries.len().min(RECENT_ENTRIES)],
            checkin: self.checkin.as_ref(),
        }
        .serialize(serializer)
    }
}

/// A signal with the friend it is about, as `signals` lists them.
#[derive(Clone, Debug)]
pub struct SignalRow {
    pub friend: String,
    pub signal: Signal,
}

/// Every signal for these friends: the journal's and what the chats show.
pub fn signal_rows(
    settings: &Settings,
    db: Db<'_>,
    records: &[FriendRecord],
) -> crate::error::Result<Vec<SignalRow>> {
    let drift = settings.drift(db, records)?;
    Ok(signal_rows_with(settings, records, &drift))
}

/// The same, from what the chats show, already read.
pub fn signal_rows_with(
    settings: &Settings,
    records: &[FriendRecord],
    drift: &mutual_core::Drift,
) -> Vec<SignalRow> {
    let cx = settings.context();
    records
        .iter()
        .flat_map(|r| {
            let status = mutual_core::agenda::status(r, &cx);
            signals(r, &status, drift, &cx)
                .into_iter()
                .map(|signal| SignalRow {
                    friend: r.friend.name.clone(),
                    signal,
                })
        })
        .collect()
}

impl Serialize for SignalRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = &self.signal;
        #[derive(Serialize)]
        struct Shown<'a> {
            friend: &'a str,
            friend_id: FriendId,
            kind: mutual_core::SignalKind,
            began: Option<Date>,
            confidence: f64,
            #[serde(serialize_with = "mutual_core::signal::as_map")]
            evidence: &'a [(&'static str, mutual_core::signal::Evidence)],
            message: &'a str,
            suggestion: &'a str,
        }
        Shown {
            friend: &self.friend,
            friend_id: s.friend,
            kind: s.kind,
            began: s.began,
            confidence: s.confidence,
            evidence: &s.evidence,
            message: &s.message,
            suggestion: &s.suggestion,
        }
        .serialize(serializer)
    }
}

/// What one friendship looked like over a review's period.
#[derive(Clone, Debug)]
pub struct ReviewFriend {
    pub record: FriendRecord,
    /// Journal entries in the period.
    pub entries: usize,
    pub overview: FriendOverview,
    pub signals: Vec<Signal>,
    /// Good news shared in the period.
    pub wins: usize,
}

/// The week or month in review: each friendship, and the reflections
/// recorded so far.
#[derive(Clone, Debug)]
pub struct Review {
    pub period: mutual_core::Period,
    pub since: jiff::Timestamp,
    pub friends: Vec<ReviewFriend>,
    pub reflections: Vec<mutual_core::Review>,
}

/// The review of `period` for these friends (reflections: those about
/// `only`, or all).
pub fn review(
    settings: &Settings,
    db: Db<'_>,
    records: Vec<FriendRecord>,
    period: mutual_core::Period,
    only: Option<FriendId>,
) -> crate::error::Result<Review> {
    let drift = settings.drift(db, &records)?;
    review_with(settings, db, records, &drift, period, only)
}

/// The same, from what the chats show, already read.
pub fn review_with(
    settings: &Settings,
    db: Db<'_>,
    records: Vec<FriendRecord>,
    drift: &mutual_core::Drift,
    period: mutual_core::Period,
    only: Option<FriendId>,
) -> crate::error::Result<Review> {
    let cx = settings.context();
    let now = settings.now;
    let since = now - mutual_core::days(period.days());
    let in_period = |at: jiff::Timestamp| at > since && at <= now;
    let friends = records
        .into_iter()
        .map(|record| {
            let overview = overview(&record, &cx);
            ReviewFriend {
                entries: record.exchanges.iter().filter(|e| in_period(e.at)).count(),
                signals: signals(&record, &overview.cadence, drift, &cx),
                wins: record.wins.iter().filter(|w| in_period(w.at)).count(),
                overview,
                record,
            }
        })
        .collect();
    Ok(Review {
        period,
        since,
        friends,
        reflections: db.reviews(only)?,
    })
}

impl Serialize for ReviewFriend {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            friend: &'a str,
            entries: usize,
            score: f64,
            band: mutual_core::Band,
            energy: Option<f64>,
            cadence: mutual_core::CadenceState,
            wins: usize,
            signals: &'a [Signal],
        }
        let o = &self.overview;
        Shown {
            friend: &self.record.friend.name,
            entries: self.entries,
            score: round(o.balance.score, 4),
            band: o.balance.band,
            energy: round_opt(o.energy.recent, 2),
            cadence: o.cadence.state,
            wins: self.wins,
            signals: &self.signals,
        }
        .serialize(serializer)
    }
}

impl Serialize for Review {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            period: mutual_core::Period,
            since: jiff::Timestamp,
            friends: &'a [ReviewFriend],
            reflections: &'a [mutual_core::Review],
        }
        Shown {
            period: self.period,
            since: self.since,
            friends: &self.friends,
            reflections: &self.reflections,
        }
        .serialize(serializer)
    }
}

/// Everything the database holds but the messages themselves, as one
/// document people can take elsewhere (`export`; the messages stream on
/// their own with `export --messages`).
#[derive(Debug, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub version: u32,
    pub exported_at: jiff::Timestamp,
    pub friends: Vec<mutual_core::Friend>,
    /// Oldest first.
    pub interactions: Vec<Interaction>,
    pub needs: Vec<mutual_core::Need>,
    pub boundaries: Vec<mutual_core::Boundary>,
    pub follow_ups: Vec<mutual_core::FollowUp>,
    pub wins: Vec<mutual_core::Win>,
    pub gratitude: Vec<mutual_core::Gratitude>,
    pub parked_topics: Vec<mutual_core::ParkedTopic>,
    pub key_dates: Vec<mutual_core::KeyDate>,
    pub agreements: Vec<mutual_core::Agreement>,
    pub prompt_uses: Vec<mutual_core::prompt::PromptUse>,
    pub reviews: Vec<mutual_core::Review>,
    pub chat_senders: Vec<ExportSender>,
    /// How many messages are stored.
    pub messages: u64,
    pub chat_weeks: Vec<serde_json::Value>,
}

/// A chat sender in the export.
#[derive(Debug, Serialize)]
pub struct ExportSender {
    pub platform: mutual_core::Platform,
    pub name: String,
    pub is_me: bool,
    pub friend: Option<FriendId>,
    pub messages: u64,
}

/// The export document of the whole database.
pub fn export(settings: &Settings, db: Db<'_>) -> crate::error::Result<Export> {
    let mut interactions = db.interactions(&JournalFilter::default())?;
    interactions.reverse();
    Ok(Export {
        format: "mutual-export",
        version: 1,
        exported_at: settings.now,
        friends: db.friends()?,
        interactions,
        needs: db.needs(None)?,
        boundaries: db.boundaries(None)?,
        follow_ups: db.follow_ups(None)?,
        wins: db.wins(None)?,
        gratitude: db.gratitude(None)?,
        parked_topics: db.parked_topics(None)?,
        key_dates: db.key_dates(None)?,
        agreements: db.agreements(None)?,
        prompt_uses: db.prompt_uses(None)?,
        reviews: db.reviews(None)?,
        chat_senders: db
            .senders_with_counts()?
            .into_iter()
            .map(|s| ExportSender {
                platform: s.platform,
                name: s.name,
                is_me: s.is_me,
                friend: s.friend,
                messages: s.messages,
            })
            .collect(),
        messages: db.message_count()?,
        chat_weeks: settings
            .weeks(db, None)?
            .iter()
            .flat_map(|(friend, weeks)| weeks.iter().map(move |w| crate::chats::week_json(*friend, w)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rounding_rule() {
        assert_eq!(round(0.123_456, 3), 0.123);
        assert_eq!(round(-0.005_01, 2), -0.01);
        assert_eq!(round(2.0, 0), 2.0);
        assert_eq!(round_opt(None, 2), None);
        // Minutes of reply time are shown to a tenth.
        let mut w = Week::default();
        w.me.reply_median_seconds = Some(125.0);
        let shown = serde_json::to_value(Chats(&w)).unwrap_or_default();
        assert_eq!(shown["my_reply_minutes"], 2.1);
        assert_eq!(shown["weeks"], CHAT_WEEKS);
    }
}
