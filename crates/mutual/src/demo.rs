//! The demo year: six friendships with distinct dynamics, generated from a
//! seed so that every run tells the same story about the same people.
//!
//! - Sam: balanced, warm, a regular rhythm; ready for deeper prompts.
//! - Alex: drifting; contact thinned out over the autumn and they reach out less.
//! - Jordan: one-sided; I carry most of the support and leave drained; a
//!   late call crossed my quiet hours; a follow-up slipped.
//! - Priya: renegotiated; uneven until an agreement named our complementary
//!   roles (I listen, she helps practically); a parked topic is due.
//! - Maya: paused for a busy season (her thesis) that ends in a few days.
//! - Chris: a newer friendship; gratitude not yet told.

use anyhow::Result;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use mutual_core::{
    Alias, BoundaryRule, Cadence, Channel, Circle, Energy, Exchange, FriendId, Initiator, Intensity, Pause,
    Period, Roles, Side, SupportKind, SupportKinds, SupportSet, WinResponse,
};
use mutual_store::{NewFriend, NewInteraction, NewReview, Store, Tx};

/// What the demo wrote, for the closing message.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) friends: usize,
    pub(crate) entries: usize,
}

struct Gen<'a> {
    rng: fastrand::Rng,
    today: Date,
    now: Timestamp,
    tz: &'a TimeZone,
    entries: usize,
}

/// One side's support: a few kinds drawn from `kinds`, intensities in `levels`.
fn support(
    rng: &mut fastrand::Rng,
    kinds: &[SupportKind],
    count: std::ops::RangeInclusive<usize>,
    levels: std::ops::RangeInclusive<u8>,
) -> SupportSet {
    let n = rng.usize(count);
    let mut set = SupportSet::EMPTY;
    for _ in 0..n {
        let kind = kinds[rng.usize(..kinds.len())];
        let level = Intensity::new(rng.u8(levels.clone())).unwrap_or(Intensity::DEFAULT);
        set = set.with(kind, level);
    }
    set
}

const ALL: &[SupportKind] = SupportKind::ALL;
const CARE: &[SupportKind] = &[
    SupportKind::Listening,
    SupportKind::Affirmation,
    SupportKind::Presence,
];

impl Gen<'_> {
    /// A moment `days_ago` days before today, at a plausible local hour.
    fn moment(&mut self, days_ago: i64, hours: std::ops::Range<i8>) -> Timestamp {
        let day = self.today.checked_sub(days_ago.days()).unwrap_or(self.today);
        let time = Time::new(self.rng.i8(hours), self.rng.i8(0..60), 0, 0).unwrap_or(Time::midnight());
        let at = day
            .to_datetime(time)
            .to_zoned(self.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(self.now);
        at.min(self.now - jiff::SignedDuration::from_mins(5))
    }

    fn day(&self, days_ago: i64) -> Date {
        self.today.checked_sub(days_ago.days()).unwrap_or(self.today)
    }

    #[allow(clippy::too_many_arguments)]
    fn log(
        &mut self,
        tx: &Tx<'_>,
        friends: &[FriendId],
        at: Timestamp,
        channel: Channel,
        initiator: Initiator,
        gave: SupportSet,
        got: SupportSet,
        energy: i64,
        tags: &[&str],
    ) -> Result<mutual_core::InteractionId> {
        self.entries += 1;
        Ok(tx.add_interaction(&NewInteraction {
            friends: friends.to_vec(),
            exchange: Exchange {
                at,
                channel,
                initiator,
                gave,
                got,
                energy: Energy::new(energy.clamp(-3, 3)),
                conflict: false,
                hard_news: false,
            },
            felt_heard: mutual_core::FeltHeard::new(self.rng.i64(3..=5)),
            note: None,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        })?)
    }

    fn channel(&mut self) -> Channel {
        [
            Channel::InPerson,
            Channel::Call,
            Channel::Message,
            Channel::Video,
            Channel::InPerson,
        ][self.rng.usize(..5)]
    }

    fn initiator(&mut self, mine: f64) -> Initiator {
        let x = self.rng.f64();
        if x < mine {
            Initiator::Me
        } else if x < 0.92 {
            Initiator::Them
        } else {
            Initiator::Both
        }
    }
}

fn friend(
    tx: &Tx<'_>,
    name: &str,
    alias: &str,
    circle: Circle,
    every: u32,
    added: Timestamp,
) -> Result<FriendId> {
    Ok(tx.add_friend(
        &NewFriend {
            name: name.to_owned(),
            circle: Some(circle),
            cadence: Some(Cadence::every(every)?),
            notes: None,
            aliases: vec![Alias {
                text: alias.to_owned(),
                platform: None,
            }],
            birthday: None,
        },
        added,
    )?)
}

/// Fills an empty store with the demo year ending at `now`.
pub(crate) fn fill(store: &mut Store, now: Timestamp, tz: &TimeZone, seed: u64) -> Result<Written> {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        today: now.to_zoned(tz.clone()).date(),
        now,
        tz,
        entries: 0,
    };
    let year_ago = now - mutual_core::days(365);
    let written = store.write(|tx| {
        tx.set_meta("demo", "1")?;
        tx.set_meta("demo_seed", &seed.to_string())?;
        let tags = ["walk", "coffee", "dinner", "late call", "board games", "climbing"];

        // Sam: balanced and warm, every week or so.
        let sam = friend(tx, "Sam", "Sam Rivera", Circle::Inner, 7, year_ago)?;
        let mut d = 364;
        while d > 1 {
            let at = g.moment(d, 10..21);
            let (ch, who) = (g.channel(), g.initiator(0.45));
            let gave = support(&mut g.rng, ALL, 1..=2, 1..=3);
            let got = support(&mut g.rng, ALL, 1..=2, 1..=3);
            let energy = g.rng.i64(0..=3);
            let tag = tags[g.rng.usize(0..3)];
            g.log(tx, &[sam], at, ch, who, gave, got, energy, &[tag])?;
            d -= g.rng.i64(4..=8);
        }
        for (i, prompt) in ["light-01", "light-02", "light-05"].iter().enumerate() {
            tx.add_prompt_use(sam, prompt, g.moment(60 - 14 * i as i64, 18..21), true, true)?;
        }
        // Sam's birthday falls in the coming week, and so does Priya's move.
        let today = g.today;
        let soon = move |days: i64| today.checked_add(jiff::ToSpan::days(days)).unwrap_or(today);
        let mut sam_friend = tx.db().friend(sam)?;
        let birthday = soon(5);
        sam_friend.birthday = mutual_core::MonthDay::new(birthday.month(), birthday.day()).ok();
        tx.update_friend(&sam_friend)?;
        tx.add_win(
            sam,
            g.moment(10, 12..18),
            "got the apprenticeship",
            Some(WinResponse::Enthusiastic),
        )?;
        tx.add_gratitude(
            sam,
            g.moment(40, 12..18),
            "helping me move flats",
            Some(g.moment(39, 12..18)),
        )?;
        tx.add_need(sam, Side::Them, "a heads-up before plans change", g.day(200))?;

        // Alex: drifting. Close all year, then thinning out; they reach out less.
        let alex = friend(tx, "Alex", "Alex Chen", Circle::Close, 14, year_ago)?;
        let mut d = 360;
        while d > 34 {
            let late = d < 150;
            let at = g.moment(d, 11..21);
            let who = g.initiator(if late { 0.8 } else { 0.4 });
            let ch = if late { Channel::Message } else { g.channel() };
            let gave = support(&mut g.rng, ALL, 1..=2, 1..=2);
            let got = support(&mut g.rng, ALL, 1..=2, if late { 1..=1 } else { 1..=2 });
            let energy = if late { g.rng.i64(-1..=1) } else { g.rng.i64(0..=2) };
            g.log(tx, &[alex], at, ch, who, gave, got, energy, &[])?;
            d -= if late {
                g.rng.i64(18..=30)
            } else {
                g.rng.i64(6..=11)
            };
        }
        tx.add_win(
            alex,
            g.moment(12, 12..20),
            "their short film got into a festival",
            None,
        )?;

        // Jordan: one-sided. I listen and help; little comes back; I leave drained.
        let jordan = friend(tx, "Jordan", "Jordan Blake", Circle::Close, 10, year_ago)?;
        let mut d = 362;
        while d > 2 {
            let recent = d < 90;
            let at = g.moment(d, 17..22);
            let who = g.initiator(0.15);
            let gave = support(
                &mut g.rng,
                &[
                    SupportKind::Listening,
                    SupportKind::Practical,
                    SupportKind::Advice,
                ],
                1..=3,
                2..=3,
            );
            let got = if g.rng.f64() < 0.25 {
                support(&mut g.rng, CARE, 1..=1, 1..=1)
            } else {
                SupportSet::EMPTY
            };
            let energy = if recent {
                g.rng.i64(-3..=-1)
            } else {
                g.rng.i64(-1..=1)
            };
            let ch = g.channel();
            g.log(
                tx,
                &[jordan],
                at,
                ch,
                who,
                gave,
                got,
                energy,
                &["late call"][..usize::from(recent)],
            )?;
            d -= g.rng.i64(4..=9);
        }
        let boundary = BoundaryRule::quiet_hours(
            Time::constant(23, 0, 0, 0),
            Time::constant(7, 0, 0, 0),
            vec![Channel::Call],
        );
        tx.add_boundary(
            jordan,
            Side::Me,
            "no calls late at night",
            g.day(120),
            Some(&boundary),
        )?;
        let late = g
            .day(9)
            .to_datetime(Time::constant(23, 40, 0, 0))
            .to_zoned(tz.clone())?
            .timestamp();
        let listening = SupportSet::EMPTY.with(SupportKind::Listening, Intensity::MAX);
        g.log(
            tx,
            &[jordan],
            late,
            Channel::Call,
            Initiator::Them,
            listening,
            SupportSet::EMPTY,
            -2,
            &["late call"],
        )?;
        tx.add_need(jordan, Side::Me, "to be asked how I am doing too", g.day(100))?;
        tx.add_follow_up(
            jordan,
            "ask how the court date went",
            g.day(6),
            g.moment(12, 18..20),
            None,
        )?;

        // Priya: uneven, then an agreement on complementary roles.
        let priya = friend(tx, "Priya", "Priya Nair", Circle::Close, 14, year_ago)?;
        tx.add_key_date(priya, "moving day", soon(3), false, now)?;
        let agreed = g.moment(180, 19..20);
        let mut d = 358;
        while d > 3 {
            let at = g.moment(d, 12..21);
            let after = at > agreed;
            let (ch, who) = (g.channel(), g.initiator(0.5));
            let gave = if after {
                support(&mut g.rng, &[SupportKind::Listening], 1..=1, 2..=3)
            } else {
                support(
                    &mut g.rng,
                    &[
                        SupportKind::Listening,
                        SupportKind::Advice,
                        SupportKind::Affirmation,
                    ],
                    1..=2,
                    2..=3,
                )
            };
            let got = if after || g.rng.f64() < 0.3 {
                support(&mut g.rng, &[SupportKind::Practical], 1..=1, 1..=2)
            } else {
                SupportSet::EMPTY
            };
            let energy = if after {
                g.rng.i64(0..=2)
            } else {
                g.rng.i64(-2..=1)
            };
            g.log(tx, &[priya], at, ch, who, gave, got, energy, &[])?;
            d -= g.rng.i64(6..=12);
        }
        let roles = Roles {
            me: SupportKinds::NONE.with(SupportKind::Listening),
            them: SupportKinds::NONE.with(SupportKind::Practical),
        };
        tx.add_agreement(
            priya,
            "I'm her sounding board; she's my fixer for rides and repairs",
            roles,
            agreed,
        )?;
        tx.add_parked_topic(
            priya,
            "splitting the costs of the summer trip",
            g.day(40),
            g.day(2),
        )?;
        tx.add_follow_up(
            priya,
            "send her the dal recipe",
            g.day(0),
            g.moment(5, 18..20),
            None,
        )?;

        // Maya: a busy season (thesis) that ends in a few days.
        let maya = friend(tx, "Maya", "Maya Okafor", Circle::Close, 14, year_ago)?;
        let mut d = 355;
        while d > 3 {
            let paused = (3..62).contains(&d);
            let at = g.moment(d, 10..21);
            let ch = if paused { Channel::Message } else { g.channel() };
            let who = g.initiator(0.5);
            let gave = support(&mut g.rng, ALL, 1..=2, 1..=2);
            let got = support(&mut g.rng, ALL, 1..=2, 1..=2);
            let energy = g.rng.i64(0..=2);
            g.log(tx, &[maya], at, ch, who, gave, got, energy, &[])?;
            d -= if paused {
                g.rng.i64(20..=30)
            } else {
                g.rng.i64(7..=14)
            };
        }
        tx.add_pause(
            maya,
            &Pause {
                from: g.day(60),
                until: g.today.checked_add(4.days()).ok(),
                reason: Some("thesis deadline".into()),
            },
        )?;
        tx.add_need(
            maya,
            Side::Them,
            "space to focus until the thesis is in",
            g.day(60),
        )?;

        // Chris: newer; a board game night with Sam; gratitude not yet told.
        let chris = friend(
            tx,
            "Chris",
            "Chris Park",
            Circle::Wider,
            21,
            now - mutual_core::days(95),
        )?;
        for d in [90, 66, 41] {
            let at = g.moment(d, 18..22);
            let gave = support(
                &mut g.rng,
                &[SupportKind::Presence, SupportKind::Affirmation],
                1..=1,
                1..=2,
            );
            let got = support(
                &mut g.rng,
                &[SupportKind::Presence, SupportKind::Advice],
                1..=1,
                1..=2,
            );
            let energy = g.rng.i64(1..=3);
            g.log(
                tx,
                &[chris],
                at,
                Channel::InPerson,
                Initiator::Both,
                gave,
                got,
                energy,
                &["climbing"],
            )?;
        }
        let presence = SupportSet::EMPTY.with(SupportKind::Presence, Intensity::DEFAULT);
        let night = g.moment(18, 19..21);
        g.log(
            tx,
            &[sam, chris],
            night,
            Channel::InPerson,
            Initiator::Me,
            presence,
            presence,
            3,
            &["board games"],
        )?;
        tx.add_prompt_use(chris, "light-01", g.moment(41, 20..21), true, true)?;
        tx.add_gratitude(chris, g.moment(5, 12..18), "lending me his camping stove", None)?;

        tx.add_review(&NewReview {
            at: g.moment(30, 20..21),
            period: Period::Month,
            friend: Some(jordan),
            went_well: Some("I was there for the hard weeks"),
            to_adjust: Some("say out loud that I need some care back"),
            note: None,
        })?;
        anyhow::Ok(Written {
            friends: 6,
            entries: g.entries,
        })
    })?;
    Ok(written)
}

/// The chats of the demo's friendships, one export each, written to `dir`:
/// a year of messages with the user ("Robin"), generated with the changes
/// the journal tells of. Returns the files, to be imported like any export.
pub(crate) fn write_chats(
    dir: &std::path::Path,
    now: Timestamp,
    tz: &TimeZone,
    seed: u64,
) -> Result<Vec<std::path::PathBuf>> {
    use mutual_analysis::synth::{Plan, Scenario, generate};
    use mutual_import::synth::{SynthMessage, write_telegram_messages, write_whatsapp_line};

    std::fs::create_dir_all(dir)?;
    let weeks = 52;
    let today = now.to_zoned(tz.clone()).date();
    let monday =
        mutual_analysis::weekly::monday_of(today).checked_sub(jiff::Span::new().weeks(weeks as i64 - 1))?;
    let start = monday.to_zoned(TimeZone::UTC)?.timestamp();
    let chats = [
        ("Sam Rivera", Scenario::Control, weeks, "sam.txt"),
        // Alex's replies thin out about five months ago.
        ("Alex Chen", Scenario::Fatigue, 31, "alex.txt"),
        ("Jordan Blake", Scenario::Control, weeks, "jordan.json"),
        ("Priya Nair", Scenario::Control, weeks, "priya.txt"),
        // Maya's thesis: a quieter season for both of you.
        ("Maya Okafor", Scenario::BusySeason, 43, "maya.txt"),
    ];
    let mut files = Vec::new();
    for (i, (name, scenario, change_week, file)) in chats.into_iter().enumerate() {
        let plan = Plan::new(
            seed.wrapping_mul(31).wrapping_add(i as u64),
            scenario,
            start,
            weeks,
            change_week,
        );
        // Nothing from the future: the plan's last week runs past today.
        let messages: Vec<_> = generate(&plan).into_iter().filter(|m| m.at <= now).collect();
        let path = dir.join(file);
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        if file.ends_with(".json") {
            let people = ["Robin".to_owned(), name.to_owned()];
            let messages = messages.iter().map(|m| SynthMessage {
                sender: Some(usize::from(!m.from_me)),
                local: m.at.to_zoned(tz.clone()).datetime(),
                kind: mutual_import::Kind::Text,
                text: m.text.clone(),
            });
            write_telegram_messages(&mut out, name, &people, messages, tz)?;
        } else {
            for m in &messages {
                let sender = if m.from_me { "Robin" } else { name };
                write_whatsapp_line(
                    &mut out,
                    m.at.to_zoned(tz.clone()).datetime(),
                    Some(sender),
                    &m.text,
                )?;
            }
        }
        std::io::Write::flush(&mut out)?;
        files.push(path);
    }
    Ok(files)
}
