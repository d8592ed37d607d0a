//! `mutual friend`: add, list, show, edit, alias, pause, resume, snooze.

use anyhow::Result;
use jiff::civil::Date;
use mutual_core::{Alias, Cadence, Circle, Pause, Platform, overview};
use mutual_store::NewFriend;
use serde_json::json;

use super::{name as clean, parse_opt};
use crate::app::App;
use crate::error::{bad, bad_input};
use crate::ui::{self, BOLD, DIM, styled};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Add a friend
    Add {
        name: String,
        /// Another name they go by in chats (repeatable)
        #[arg(long = "alias", value_name = "ALIAS")]
        aliases: Vec<String>,
        /// Ideal days between check-ins
        #[arg(long, value_name = "DAYS")]
        every: Option<u32>,
        /// The longest gap that still feels fine, in days [default: 3 x --every]
        #[arg(long, value_name = "DAYS", requires = "every")]
        max: Option<u32>,
        /// inner, close or wider (sets a default rhythm)
        #[arg(long)]
        circle: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// Their birthday, MM-DD (shown under "Coming up" and in the calendar)
        #[arg(long, value_name = "MM-DD")]
        birthday: Option<String>,
    },
    /// List friends with their rhythm
    List {
        #[arg(long)]
        json: bool,
    },
    /// Everything about one friendship
    Show {
        friend: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a friend's name, circle, rhythm or notes
    Edit {
        friend: String,
        #[arg(long)]
        name: Option<String>,
        /// inner, close, wider, or none
        #[arg(long)]
        circle: Option<String>,
        #[arg(long, value_name = "DAYS")]
        every: Option<u32>,
        #[arg(long, value_name = "DAYS")]
        max: Option<u32>,
        /// Go back to the circle's default rhythm
        #[arg(long, conflicts_with_all = ["every", "max"])]
        default_rhythm: bool,
        /// New notes ("" clears them)
        #[arg(long)]
        notes: Option<String>,
        /// Their birthday, MM-DD ("none" clears it)
        #[arg(long, value_name = "MM-DD")]
        birthday: Option<String>,
    },
    /// Add (or remove) another name a friend goes by
    Alias {
        friend: String,
        alias: String,
        /// The platform the alias is used on (whatsapp, telegram, signal, ...)
        #[arg(long)]
        platform: Option<String>,
        #[arg(long)]
        remove: bool,
    },
    /// Pause check-in nudges for a busy season
    Pause {
        friend: String,
        /// First paused day [default: today]
        #[arg(long)]
        from: Option<String>,
        /// Last paused day [default: until resumed]
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// End a pause today
    Resume { friend: String },
    /// Quiet check-in nudges until a day
    Snooze {
        friend: String,
        #[arg(long)]
        until: String,
    },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            name,
            aliases,
            every,
            max,
            circle,
            notes,
            birthday,
        } => add(
            app,
            &name,
            aliases,
            every,
            max,
            circle.as_deref(),
            notes,
            birthday.as_deref(),
        ),
        Command::List { json } => list(app, json),
        Command::Show { friend, json } => show(app, &friend, json),
        Command::Edit {
            friend,
            name,
            circle,
            every,
            max,
            default_rhythm,
            notes,
            birthday,
        } => edit(
            app,
            &friend,
            Changes {
                name,
                circle,
                every,
                max,
                default_rhythm,
                notes,
                birthday,
            },
        ),
        Command::Alias {
            friend,
            alias,
            platform,
            remove,
        } => add_alias(app, &friend, &alias, platform.as_deref(), remove),
        Command::Pause {
            friend,
            from,
            until,
            reason,
        } => pause(app, &friend, from.as_deref(), until.as_deref(), reason),
        Command::Resume { friend } => resume(app, &friend),
        Command::Snooze { friend, until } => snooze(app, &friend, &until),
    }
}

fn cadence(every: Option<u32>, max: Option<u32>) -> Result<Option<Cadence>> {
    let cadence = match (every, max) {
        (None, None) => None,
        (Some(every), None) => Some(Cadence::every(every)),
        (Some(every), Some(max)) => Some(Cadence::new(every, max)),
        (None, Some(_)) => bad_input!("--max needs --every (the ideal days between check-ins)"),
    };
    cadence.transpose().map_err(|e| bad(e.to_string()))
}

fn describe_cadence(c: Cadence) -> String {
    format!(
        "{} (at most {})",
        mutual_core::words::every(c.ideal_days),
        mutual_core::words::days(c.max_days)
    )
}

/// `--birthday MM-DD`, read.
fn birthday(text: &str) -> Result<mutual_core::MonthDay> {
    text.parse()
        .map_err(|e: mutual_core::dates::MonthDayError| bad(format!("--birthday {e}")))
}

#[allow(clippy::too_many_arguments)]
fn add(
    app: &App,
    name: &str,
    aliases: Vec<String>,
    every: Option<u32>,
    max: Option<u32>,
    circle: Option<&str>,
    notes: Option<String>,
    birth: Option<&str>,
) -> Result<()> {
    let new = NewFriend {
        name: clean("name", name)?,
        circle: parse_opt::<Circle>("--circle", circle)?,
        cadence: cadence(every, max)?,
        notes: notes.filter(|n| !n.trim().is_empty()),
        aliases: aliases
            .iter()
            .map(|a| {
                Ok(Alias {
                    text: clean("alias", a)?,
                    platform: None,
                })
            })
            .collect::<Result<_>>()?,
        birthday: birth.map(birthday).transpose()?,
    };
    let mut store = app.open()?;
    let friend = mutual_app::services::add_friend(app, &mut store, &new)?;
    ui::done(format!(
        "Added {} — check-ins {}.",
        styled(BOLD, &friend.name),
        describe_cadence(friend.effective_cadence())
    ))?;
    ui::hint(format!(
        "Log time together with: mutual log {} --gave listening --got affirmation --energy 1",
        ui::shell_quote(&friend.name)
    ))
}

fn list(app: &App, json: bool) -> Result<()> {
    let store = app.open_read()?;
    let records = app.records(store.db(), None)?;
    let cx = app.context();
    let overviews: Vec<_> = records.iter().map(|r| overview(r, &cx)).collect();
    if json {
        let out: Vec<_> = records
            .iter()
            .zip(&overviews)
            .map(|(r, o)| json!({ "friend": &r.friend, "cadence": &o.cadence, "entries": r.exchanges.len() }))
            .collect();
        return ui::json(&out);
    }
    if records.is_empty() {
        ui::line("No friends here yet. Add one with: mutual friend add \"Sam\" --every 14")?;
        return Ok(());
    }
    let mut table = Vec::with_capacity(records.len());
    for (r, o) in records.iter().zip(&overviews) {
        let c = o.cadence.cadence;
        table.push(vec![
            r.friend.name.clone(),
            r.friend.circle.map_or("—".into(), |c| c.to_string()),
            match o.cadence.support_window_until {
                // Tighter for a while after hard news, and says so.
                Some(until) => format!(
                    "{}, until {}",
                    mutual_core::words::days(c.ideal_days),
                    mutual_core::words::day(until, cx.today)
                ),
                None => mutual_core::words::days(c.ideal_days),
            },
            o.cadence
                .last_contact
                .map_or("—".into(), |d| mutual_core::words::day(d, cx.today)),
            o.cadence.state.phrase().to_owned(),
            r.exchanges.len().to_string(),
        ]);
    }
    // Narrow terminals lose the entry count first, then the circle.
    ui::table(
        &["Friend", "Circle", "Rhythm", "Last contact", "Now", "Entries"],
        &table,
        &[5, 1],
    )?;
    Ok(())
}

fn show(app: &App, name: &str, json: bool) -> Result<()> {
    let store = app.open_read()?;
    let db = store.db();
    let friend = app.friend(db, name)?;
    let profile = mutual_app::views::friend_profile(app, db, friend.id)?;
    if json {
        return ui::json(&profile);
    }
    print_show(app, &profile)
}

/// The last weeks of chats in words.
fn print_chats(w: &mutual_analysis::weekly::Week, name: &str) -> Result<()> {
    ui::line(styled(BOLD, "Chats, the last 8 weeks"))?;
    let mut line = format!("  messages: you {}, {name} {}", w.me.messages, w.them.messages);
    if let Some(share) = w.my_initiation_share() {
        line.push_str(&format!(
            " \u{00b7} you started {:.0}% of conversations",
            share * 100.0
        ));
    }
    ui::line(line)?;
    let minutes = |s: Option<f64>| s.map_or("\u{2014}".to_owned(), |s| format!("about {:.0} min", s / 60.0));
    if w.me.replies + w.them.replies > 0 {
        ui::line(format!(
            "  replies: yours {}, {name}'s {}",
            minutes(w.me.reply_median_seconds),
            minutes(w.them.reply_median_seconds)
        ))?;
    }
    let number =
        |v: Option<f64>, digits: usize| v.map_or("\u{2014}".to_owned(), |v| format!("{v:+.digits$}"));
    ui::line(format!(
        "  words per message: you {}, {name} {} \u{00b7} tone: you {}, {name} {}",
        w.me.words_per_message()
            .map_or("\u{2014}".to_owned(), |v| format!("{v:.0}")),
        w.them
            .words_per_message()
            .map_or("\u{2014}".to_owned(), |v| format!("{v:.0}")),
        number(w.me.enthusiasm(), 2),
        number(w.them.enthusiasm(), 2)
    ))?;
    // Shared figures, not a tally of who did more.
    let bids = w.me.bids + w.them.bids;
    if bids > 0 {
        let answered = w.me.bids_turned_toward + w.them.bids_turned_toward;
        ui::line(format!(
            "  questions, news and confidences between you got a real reply {:.0}% of the time",
            f64::from(answered) * 100.0 / f64::from(bids)
        ))?;
    }
    let support = w.me.support + w.them.support;
    if support > 0 {
        let mine = f64::from(w.me.support) / f64::from(support);
        let who = if mine > 0.7 {
            "mostly from you lately"
        } else if mine < 0.3 {
            "mostly from {name} lately"
        } else {
            "from both of you"
        };
        ui::line(format!("  words of support: {}", who.replace("{name}", name)))?;
    }
    if let Some(lsm) = w.style_matching() {
        ui::line(format!("  style matching: {lsm:.2} (1 is writing alike)"))?;
    }
    Ok(())
}

fn print_show(app: &App, profile: &mutual_app::views::FriendProfile) -> Result<()> {
    let record = &profile.record;
    let o = &profile.overview;
    let entries = &profile.entries;
    let chats = profile.chats.as_ref();
    let (by_channel, by_tag, by_part) = (
        &profile.energy_by_channel,
        &profile.energy_by_tag,
        &profile.energy_by_part_of_day,
    );
    let f = &record.friend;
    let today = app.today();
    let day = |d: Date| mutual_core::words::day(d, today);
    ui::line(styled(ui::HEADING, &f.name))?;
    if !f.aliases.is_empty() {
        let names: Vec<String> = f
            .aliases
            .iter()
            .map(|a| match a.platform {
                Some(p) => format!("{} ({p})", a.text),
                None => a.text.clone(),
            })
            .collect();
        ui::line(format!("  also known as {}", names.join(", ")))?;
    }
    if let Some(circle) = f.circle {
        ui::line(format!("  circle: {circle}"))?;
    }
    let status = &o.cadence;
    ui::line(format!(
        "  rhythm: {} — {} ({} since contact)",
        describe_cadence(status.cadence),
        status.state.phrase(),
        mutual_core::words::days(status.days_since)
    ))?;
    if let Some(until) = status.support_window_until {
        ui::line(format!(
            "  after their hard news, until {}; usually {}",
            mutual_core::words::day(until, today),
            mutual_core::words::every(f.effective_cadence().ideal_days)
        ))?;
    }
    if let Some(birthday) = f.birthday {
        let next = birthday.next_on_or_after(today).map_or(String::new(), |d| {
            format!(" (next: {})", mutual_core::words::day(d, today))
        });
        ui::line(format!(
            "  birthday: {}{next}",
            jiff::civil::Date::new(2024, birthday.month(), birthday.day())
                .map_or_else(|_| birthday.to_string(), |d| d.strftime("%-d %B").to_string())
        ))?;
    }
    for k in &record.key_dates {
        let every = if k.yearly { ", every year" } else { "" };
        ui::line(format!("  #{} {}: {}{every}", k.id, k.text, k.day))?;
    }
    if let Some(p) = f.pause_on(today) {
        let until = p
            .until
            .map_or("until resumed".to_owned(), |u| format!("until {}", day(u)));
        let reason = p.reason.as_deref().map_or(String::new(), |r| format!(" ({r})"));
        ui::line(format!("  paused {until}{reason}"))?;
    }
    if let Some(notes) = &f.notes {
        ui::line(format!("  notes: {notes}"))?;
    }
    ui::line("")?;
    let b = &o.balance;
    ui::line(format!(
        "{} {}; {}",
        styled(BOLD, "Balance:"),
        b.summary(&f.name),
        ui::count(b.entries as u64, "entry with support", "entries with support")
    ))?;
    for k in &b.per_kind {
        let role = if k.in_agreed_roles { "  (agreed role)" } else { "" };
        ui::line(format!(
            "  {:<12} you gave {:>5.1}   you received {:>5.1}{role}",
            k.kind.as_str(),
            k.given,
            k.received
        ))?;
    }
    let e = &o.energy;
    let window = mutual_core::words::window(e.window_days);
    match e.recent {
        Some(mean) => {
            let trend = e
                .trend
                .words(&app.config.energy)
                .map_or(String::new(), |t| format!(", {t}"));
            ui::line(format!(
                "{} {mean:+.1} on average over the last {window} ({}){trend}",
                styled(BOLD, "Energy:"),
                ui::count(e.recent_entries as u64, "rated entry", "rated entries"),
            ))?;
        }
        None if e.entries > 0 => ui::line(format!(
            "{} no ratings in the last {window} ({} before)",
            styled(BOLD, "Energy:"),
            ui::count(e.entries as u64, "rated entry", "rated entries"),
        ))?,
        None => ui::line(format!("{} no ratings yet", styled(BOLD, "Energy:")))?,
    }
    let best_worst = |label: &str, items: Vec<(String, f64)>| -> Result<()> {
        if let (Some(best), Some(worst)) = (items.first(), items.last())
            && items.len() > 1
            && let Some(words) = mutual_core::energy::best_and_worst((&best.0, best.1), (&worst.0, worst.1))
        {
            ui::line(format!("  {label}: {words}"))?;
        }
        Ok(())
    };
    best_worst(
        "by channel",
        by_channel.iter().map(|g| (g.key.to_string(), g.mean)).collect(),
    )?;
    best_worst("by tag", by_tag.iter().map(|g| (g.key.clone(), g.mean)).collect())?;
    best_worst(
        "by time of day",
        by_part.iter().map(|g| (g.key.to_string(), g.mean)).collect(),
    )?;
    if let Some(words) = follow_through(&o.reliability) {
        ui::line(format!("{} {words}", styled(BOLD, "Follow-ups:")))?;
    }
    let whose = |s: mutual_core::Side| {
        if s == mutual_core::Side::Me {
            "yours"
        } else {
            "theirs"
        }
    };
    if !record.needs.is_empty() {
        ui::line(styled(BOLD, "Needs"))?;
        for n in &record.needs {
            ui::line(format!(
                "  #{} {} ({}, since {})",
                n.id,
                n.text,
                whose(n.whose),
                day(n.since)
            ))?;
        }
    }
    if !record.boundaries.is_empty() {
        ui::line(styled(BOLD, "Boundaries"))?;
        for b in &record.boundaries {
            let rule = b
                .rule
                .as_ref()
                .map_or(String::new(), |r| format!(" — {}", r.describe()));
            ui::line(format!("  #{} {} ({}){rule}", b.id, b.text, whose(b.whose)))?;
        }
    }
    if let Some(checkin) = &profile.checkin {
        super::checkin::print_block(checkin, today, &app.tz)?;
    }
    let active: Vec<_> = record
        .agreements
        .iter()
        .filter(|a| a.is_active_at(app.now))
        .collect();
    if !active.is_empty() {
        ui::line(styled(BOLD, "Agreements"))?;
        for a in active {
            ui::line(format!(
                "  #{} {} (you: {}; {}: {})",
                a.id, a.text, a.roles.me, f.name, a.roles.them
            ))?;
        }
    }
    let open: Vec<_> = record.follow_ups.iter().filter(|x| x.done_at.is_none()).collect();
    if !open.is_empty() {
        ui::line(styled(BOLD, "Open follow-ups"))?;
        for x in open {
            ui::line(format!("  #{} {} (due {})", x.id, x.text, day(x.due)))?;
        }
    }
    if !entries.is_empty() {
        ui::line(styled(BOLD, "Recent"))?;
        for entry in entries.iter().take(5) {
            ui::line(format!("  {}", super::journal::summary(entry, app)))?;
        }
    }
    if let Some(chats) = chats {
        print_chats(chats, &f.name)?;
    }
    ui::line("")?;
    ui::line(styled(
        DIM,
        format!(
            "Log more: mutual log {} --gave ... --got ... --energy ...",
            ui::shell_quote(&f.name)
        ),
    ))
}

#[allow(clippy::too_many_arguments)]
/// What `friend edit` changes.
struct Changes {
    name: Option<String>,
    circle: Option<String>,
    every: Option<u32>,
    max: Option<u32>,
    default_rhythm: bool,
    notes: Option<String>,
    birthday: Option<String>,
}

fn edit(app: &App, name: &str, changes: Changes) -> Result<()> {
    let Changes {
        name: new_name,
        circle,
        every,
        max,
        default_rhythm,
        notes,
        birthday: birth,
    } = changes;
    let new_name = new_name.map(|n| clean("name", &n)).transpose()?;
    let birth = match birth.as_deref() {
        Some(b) if b.trim().eq_ignore_ascii_case("none") => Some(None),
        other => other.map(birthday).transpose()?.map(Some),
    };
    let circle = match circle.as_deref() {
        Some(c) if c.eq_ignore_ascii_case("none") => Some(None),
        other => parse_opt::<Circle>("--circle", other)?.map(Some),
    };
    let mut store = app.open()?;
    let mut friend = app.friend(store.db(), name)?;
    let rhythm = match (every, max) {
        (None, Some(max)) => {
            let ideal = friend.effective_cadence().ideal_days;
            Some(Cadence::new(ideal, max).map_err(|e| bad(e.to_string()))?)
        }
        _ => cadence(every, max)?,
    };
    if let Some(n) = new_name {
        friend.name = n;
    }
    if let Some(c) = circle {
        friend.circle = c;
    }
    if rhythm.is_some() {
        friend.cadence = rhythm;
    }
    if default_rhythm {
        friend.cadence = None;
    }
    if let Some(n) = notes {
        friend.notes = Some(n.trim().to_owned()).filter(|n| !n.is_empty());
    }
    if let Some(b) = birth {
        friend.birthday = b;
    }
    mutual_app::services::update_friend(app, &mut store, &friend)?;
    ui::done(format!(
        "Updated {} — check-ins {}.",
        styled(BOLD, &friend.name),
        describe_cadence(friend.effective_cadence())
    ))
}

fn add_alias(app: &App, name: &str, alias: &str, platform: Option<&str>, remove: bool) -> Result<()> {
    let alias = Alias {
        text: clean("alias", alias)?,
        platform: parse_opt::<Platform>("--platform", platform)?,
    };
    let mut store = app.open()?;
    let friend = app.friend(store.db(), name)?;
    if remove {
        if !mutual_app::services::remove_alias(app, &mut store, friend.id, &alias.text)? {
            bad_input!("{} has no alias '{}'", friend.name, alias.text);
        }
        return ui::done(format!("{} is no longer known as {}.", friend.name, alias.text));
    }
    mutual_app::services::add_alias(app, &mut store, friend.id, &alias)?;
    ui::done(format!("{} is also known as {}.", friend.name, alias.text))
}

fn pause(
    app: &App,
    name: &str,
    from: Option<&str>,
    until: Option<&str>,
    reason: Option<String>,
) -> Result<()> {
    let today = app.today();
    let from = from
        .map(|t| crate::when::day(t, app.now, &app.tz))
        .transpose()?
        .unwrap_or(today);
    let until = until
        .map(|t| crate::when::coming_day("--until", t, app.now, &app.tz))
        .transpose()?;
    if until.is_some_and(|u| u < from) {
        bad_input!("--until is before --from; expected the last paused day to come after the first");
    }
    let mut store = app.open()?;
    let friend = app.friend(store.db(), name)?;
    let pause = Pause { from, until, reason };
    mutual_app::notes::add_pause(&mut store, friend.id, pause)?;
    let until = until.map_or("until you resume".to_owned(), |u| format!("until {u}"));
    ui::done(format!(
        "Paused check-ins with {} from {from} {until}. Rest well, both of you.",
        friend.name
    ))
}

fn resume(app: &App, name: &str) -> Result<()> {
    let mut store = app.open()?;
    let friend = app.friend(store.db(), name)?;
    let changed = mutual_app::notes::end_pauses(app, &mut store, friend.id)?;
    if changed == 0 {
        bad_input!("check-ins with {} are not paused", friend.name);
    }
    ui::done(format!(
        "Welcome back: check-ins with {} are on again from today.",
        friend.name
    ))
}

fn snooze(app: &App, name: &str, until: &str) -> Result<()> {
    let until = crate::when::coming_day("--until", until, app.now, &app.tz)?;
    let mut store = app.open()?;
    let friend = app.friend(store.db(), name)?;
    let friend = mutual_app::services::snooze(&mut store, friend.id, until)?;
    ui::done(format!("No check-in nudges for {} until {until}.", friend.name))
}

/// How follow-ups went, as what happened rather than a grade: "you came
/// back to all 3 by their date", "1 date passed before you came back to
/// it; it is not too late".
fn follow_through(r: &mutual_core::Reliability) -> Option<String> {
    let (done, all) = (r.on_time, r.settled);
    Some(match (done, all) {
        (_, 0) => return None,
        (1, 1) => "you came back to it by its date.".to_owned(),
        (d, a) if d == a => format!("you came back to all {a} by their date."),
        (0, 1) => "its date passed before you came back to it; it is not too late.".to_owned(),
        (0, a) => format!("{a} dates passed before you came back; it is not too late."),
        (d, a) => format!("you came back to {d} of {a} by their date; the others can still happen."),
    })
}
