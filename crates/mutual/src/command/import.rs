//! `mutual import`: chat exports in; per-message times and counts stored
//! (text only with `--keep-text`), merged so that nothing is counted twice.
//!
//! A message's identity is (sender, UTC minute, fingerprint of kind and
//! text, ordinal among identical ones in that minute), so a re-export, an
//! overlapping export or the same chat from another app lands on rows that
//! are already there. Spans of a chat that an earlier import covered are
//! known without asking the index (the watermark), which makes re-imports
//! cheap. Everything happens in one transaction: a failed or interrupted
//! import leaves nothing behind. The pipeline itself is in `merge`.

mod identity;
mod merge;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use mutual_core::{Alias, ChatId};
use mutual_import::{Format, Input, Options, Survey};
use mutual_store::{NewFriend, Tx};

use crate::app::App;
use crate::error::{bad, bad_input};
use crate::ui::{self, BOLD, count, shell_quote, styled};

/// Import chat exports: WhatsApp, Telegram, Signal, Messenger, Instagram, iMessage, SMS, Discord, LINE
///
/// Only times, senders and counts (characters, words, emoji) are stored
/// unless you add --keep-text. Importing the same or an overlapping export
/// again adds only what is new.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Export files: WhatsApp .txt/.zip, Telegram result.json, signal-export chat.md,
    /// Signal Desktop db.sqlite, Messenger/Instagram message_1.json, iMessage chat.db,
    /// SMS Backup & Restore .xml, DiscordChatExporter .json, LINE .txt
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The export format, when detection gets it wrong (whatsapp, telegram, signal-text,
    /// signal-desktop, messenger, instagram, imessage, sms, discord, line)
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Time zone of exports that write local times without one [default: the system's]
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Day/month order of numeric dates, for a file whose dates never settle it
    /// (dmy, mdy or ymd) [default: read from the file's own dates]
    #[arg(long, value_name = "ORDER")]
    date_order: Option<String>,
    /// The name you have in the export (repeat for several)
    #[arg(long, value_name = "SENDER")]
    me: Vec<String>,
    /// Link a sender to a friend, who is added if new (repeat for several; write \= for an = inside a name)
    #[arg(long, value_name = "SENDER=FRIEND")]
    map: Vec<String>,
    /// The chat this file is (the name of a stored chat, or of a new one), when the
    /// export cannot say which it is
    #[arg(long, value_name = "NAME")]
    chat: Option<String>,
    /// Also store the text of messages (by default it is read and dropped)
    #[arg(long)]
    keep_text: bool,
    /// Read the files and report what they hold; write nothing
    #[arg(long)]
    dry_run: bool,
    /// One JSON object per file
    #[arg(long)]
    json: bool,
}

impl Args {
    /// Imports `files` written by `me` with local times in `tz`.
    pub(crate) fn of(files: Vec<PathBuf>, me: &str, tz: &str) -> Args {
        Args {
            files,
            format: None,
            tz: Some(tz.to_owned()),
            date_order: None,
            me: vec![me.to_owned()],
            map: Vec::new(),
            chat: None,
            keep_text: false,
            dry_run: false,
            json: false,
        }
    }
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let format = args
        .format
        .as_deref()
        .map(|f| crate::command::parse::<Format>("--format", f))
        .transpose()?;
    let tz = match &args.tz {
        Some(name) => TimeZone::get(name).map_err(|_| {
            bad(format!(
                "--tz '{name}' is not a time zone; expected an IANA name such as Europe/Berlin"
            ))
        })?,
        None => app.tz.clone(),
    };
    let maps = args
        .map
        .iter()
        .map(|m| parse_map(m))
        .collect::<Result<Vec<_>>>()?;
    let me: Vec<String> = args
        .me
        .iter()
        .map(|m| crate::command::name("--me", m))
        .collect::<Result<_>>()?;
    let named_chat = args
        .chat
        .as_deref()
        .map(|c| crate::command::name("--chat", c))
        .transpose()?;
    let date_order = args
        .date_order
        .as_deref()
        .map(|o| crate::command::parse::<mutual_import::DateOrder>("--date-order", o))
        .transpose()?;
    let options = Options { tz, date_order };
    let mut inputs = Vec::new();
    for path in &args.files {
        let input = Input::file(path).map_err(|e| unreadable(path, e))?;
        let format = match format {
            Some(f) => f,
            None => mutual_import::detect(&input).map_err(|e| {
                // The importer does not know the command line's flags.
                let e = unreadable(path, e);
                bad(format!("{e}; or name the format with --format"))
            })?,
        };
        inputs.push((path, input, format));
    }
    if args.dry_run {
        for (path, input, format) in &inputs {
            let survey = mutual_import::survey(input, *format, &options).map_err(|e| unreadable(path, e))?;
            print_survey(path, *format, &survey, args.json)?;
        }
        return Ok(());
    }

    let path = app.db_path()?;
    let fresh = !path.exists();
    let mut store = app.open_at(&path, mutual_store::Access::Write)?;
    // The people of each single-chat export without ids tell its chat
    // apart, when there are chats to tell it from: stored ones, or another
    // file of this import.
    // A file imported before is known by its size and first bytes, and
    // needs no counting.
    let mut people = Vec::new();
    let mut files = Vec::new();
    let seed = store.db().meta(SEED)?.and_then(|s| s.parse::<u64>().ok());
    for (path, input, format) in &inputs {
        let file = if has_chat_ids(*format) {
            None
        } else {
            FileKey::of(path, input, *format)
        };
        let known = match (&file, seed) {
            (Some(file), Some(seed)) => store
                .db()
                .meta(&file.key(seed))?
                .and_then(|id| id.parse().ok())
                .map(ChatId),
            _ => None,
        };
        let needed = !has_chat_ids(*format)
            && known.is_none()
            && (inputs.len() > 1 || !store.db().chats(format.platform())?.is_empty());
        people.push(if needed {
            let survey = mutual_import::survey(input, *format, &options).map_err(|e| unreadable(path, e))?;
            Some(identity::people_of(survey.senders.keys()))
        } else {
            None
        });
        files.push((file, known));
    }
    let written = store.write(|tx| -> Result<Vec<Summary>> {
        for (sender, friend) in &maps {
            link(tx, sender, friend, app.now)?;
        }
        let seed = fingerprint_seed(tx)?;
        let mut me_names: HashSet<String> = me.iter().map(|m| m.to_lowercase()).collect();
        me_names.extend(
            tx.db()
                .senders()?
                .into_iter()
                .filter(|s| s.is_me)
                .map(|s| s.name.to_lowercase()),
        );
        let settings = merge::Settings {
            seed,
            keep_text: args.keep_text,
            me: &me_names,
        };
        let mut summaries = Vec::new();
        let mut touched: HashMap<ChatId, (Timestamp, Timestamp)> = HashMap::new();
        for (((path, input, format), people), (signature, known)) in inputs.iter().zip(&people).zip(&files) {
            let platform = format.platform();
            let stored = tx.db().chats(platform)?;
            let zone = writes_local_times(*format)
                .then(|| options.tz.iana_name().map(str::to_owned))
                .flatten();
            let mut matcher =
                identity::Matcher::new(stored.clone(), &me_names, named_chat.clone()).knowing(*known);
            let no_one = identity::People::new();
            let people_or_known = people.as_ref().or(known.map(|_| &no_one));
            if let (Some(people), Some(zone)) = (people_or_known, &zone) {
                identity::check_zone(tx, input, *format, &options, &mut matcher, people, &stored, zone, seed)
                    .map_err(|e| match e {
                        identity::ZoneError::Unreadable(e) => unreadable(path, e),
                        identity::ZoneError::Moved(why) => bad(format!("{}: {why}", path.display())),
                        identity::ZoneError::Other(e) => e,
                    })?;
            }
            let file = merge::FileSettings {
                matcher,
                people: people.as_ref(),
                zone,
            };
            let progress = progress_bar();
            let outcome = merge::import_file(tx, input, *format, &options, &settings, file, &progress);
            progress.finish_and_clear();
            let outcome = match outcome {
                Ok(outcome) => outcome,
                Err(merge::Failure::Unreadable(e)) => return Err(unreadable(path, e)),
                Err(merge::Failure::SeveralChats) => {
                    return Err(bad(format!(
                        "{}: --chat names the one chat of a file, and this file holds several; import it without --chat",
                        path.display()
                    )));
                }
                Err(merge::Failure::Other(e)) => return Err(e),
            };
            if let (Some(signature), [chat]) = (signature, outcome.chats.as_slice()) {
                tx.set_meta(&signature.key(seed), &chat.id.0.to_string())?;
            }
            for (&chat, &(first, last)) in &outcome.touched {
                let span = touched.entry(chat).or_insert((first, last));
                *span = (span.0.min(first), span.1.max(last));
            }
            summaries.push(summarize(tx, path, *format, outcome)?);
        }
        mutual_app::chats::refresh_touched(tx, &touched, &app.tz, &app.weeks)?;
        Ok(summaries)
    });
    let summaries = match written {
        Ok(summaries) => summaries,
        Err(e) => {
            // A first import that fails leaves no empty database behind
            // (unless another process wrote to it meanwhile).
            if fresh {
                let _ = store.remove_if_empty();
            }
            return Err(e);
        }
    };
    // Kept texts from before features were stored get theirs (once), and
    // any friend's weeks still stale are stored fresh: reads never write.
    app.refresh_chats(&mut store)?;
    for summary in &summaries {
        print_summary(summary, args.json)?;
    }
    Ok(())
}

/// What tells one export file apart: its format, size and first 64 KiB (a
/// newer export of the chat, with more in it, is another file).
#[derive(Debug)]
struct FileKey {
    format: Format,
    size: u64,
    head: Vec<u8>,
}

impl FileKey {
    fn of(path: &std::path::Path, input: &Input, format: Format) -> Option<FileKey> {
        Some(FileKey {
            format,
            size: std::fs::metadata(path).ok()?.len(),
            head: input.head(64 * 1024).ok()?,
        })
    }

    /// The `meta` key that remembers which chat the file went to, hashed
    /// with the database's own seed so it says nothing outside it (the
    /// store drops it with the chat).
    fn key(&self, seed: u64) -> String {
        format!(
            "{}{}:{}:{:016x}",
            mutual_store::IMPORT_FILE_PREFIX,
            self.format.as_str(),
            self.size,
            xxhash_rust::xxh3::xxh3_64_with_seed(&self.head, seed)
        )
    }
}

/// Formats whose exports give each conversation an id of its own.
fn has_chat_ids(format: Format) -> bool {
    matches!(
        format,
        Format::Telegram | Format::SignalDesktop | Format::Discord | Format::IMessage | Format::Sms
    )
}

/// Formats that write local times without a zone.
fn writes_local_times(format: Format) -> bool {
    matches!(format, Format::WhatsApp | Format::Line | Format::SignalText)
}

fn unreadable(path: &std::path::Path, err: mutual_import::Error) -> anyhow::Error {
    match err {
        mutual_import::Error::Io(io) => bad(format!("{}: cannot be read ({io})", path.display())),
        other => bad(format!("{}: {other}", path.display())),
    }
}

/// `SENDER=FRIEND`, split at the first `=` not written as `\=` (a name
/// that holds `=` writes it `\=`, and a backslash `\\`).
fn parse_map(text: &str) -> Result<(String, String)> {
    let mut sides = [String::new(), String::new()];
    let mut side = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('=' | '\\')) => sides[side].push(next),
                Some(other) => {
                    sides[side].push('\\');
                    sides[side].push(other);
                }
                None => sides[side].push('\\'),
            },
            '=' if side == 0 => side = 1,
            c => sides[side].push(c),
        }
    }
    let [sender, friend] = sides.map(|s| mutual_core::text::clean_name(&s));
    if side == 0 || sender.is_empty() || friend.is_empty() {
        bad_input!(
            "--map '{text}' is not SENDER=FRIEND; expected e.g. --map \"Sam Lee=Sam\" (write \\= for an = inside a name)"
        );
    }
    Ok((sender, friend))
}

/// `name` as one side of `--map`: `=` and `\` escaped.
fn map_side(name: &str) -> String {
    name.replace('\\', "\\\\").replace('=', "\\=")
}

/// Points `sender` at `friend` (adding the friend when new).
fn link(tx: &Tx<'_>, sender: &str, friend: &str, now: Timestamp) -> Result<()> {
    let friends = tx.db().friends()?;
    // The friend's name, or an alias only they go by; otherwise a new friend.
    let existing = match crate::app::find_friend(&friends, friend) {
        Ok(found)
            if found.name.eq_ignore_ascii_case(friend)
                || found.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(friend)) =>
        {
            Some(found)
        }
        _ if friends
            .iter()
            .any(|f| f.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(friend))) =>
        {
            bad_input!(
                "--map: '{friend}' is an alias of more than one friend; map to the name of the one you mean"
            )
        }
        _ => None,
    };
    let id = match existing {
        Some(f)
            if f.name.eq_ignore_ascii_case(sender)
                || f.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(sender)) =>
        {
            return Ok(());
        }
        Some(f) => f.id,
        None => tx.add_friend(
            &NewFriend {
                name: friend.to_owned(),
                circle: None,
                cadence: None,
                notes: None,
                aliases: Vec::new(),
                birthday: None,
            },
            now,
        )?,
    };
    if !sender.eq_ignore_ascii_case(friend) {
        tx.add_alias(
            id,
            &Alias {
                text: sender.to_owned(),
                platform: None,
            },
        )?;
    }
    Ok(())
}

/// Where the fingerprint key is kept.
const SEED: &str = "message_fingerprint_seed";

/// The per-database key of message fingerprints, made on first use, so that
/// stored fingerprints say nothing about text outside this file.
fn fingerprint_seed(tx: &Tx<'_>) -> Result<u64> {
    const KEY: &str = SEED;
    if let Some(seed) = tx.db().meta(KEY)?.and_then(|s| s.parse().ok()) {
        return Ok(seed);
    }
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for the fingerprint key: {e}"))?;
    let seed = u64::from_le_bytes(bytes);
    tx.set_meta(KEY, &seed.to_string())?;
    Ok(seed)
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr_with_hz(8));
    let style =
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} messages read, {rate} a second")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = write!(out, "{}", indicatif::HumanCount(state.per_sec() as u64));
                },
            );
    bar.set_style(style);
    bar
}

fn local_text(t: Option<DateTime>) -> Option<String> {
    t.map(|t| t.strftime("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The senders a dry run counted, named as an import would store them.
fn clean_senders(s: &Survey) -> BTreeMap<String, u64> {
    let mut senders = BTreeMap::new();
    for (name, n) in &s.senders {
        *senders.entry(mutual_core::text::clean_name(name)).or_insert(0) += n;
    }
    senders
}

fn print_survey(path: &std::path::Path, format: Format, s: &Survey, json: bool) -> Result<()> {
    if json {
        let senders = clean_senders(s);
        let value = serde_json::json!({
            "file": path.display().to_string(),
            "format": format.as_str(),
            "messages": s.messages,
            "system": s.system,
            "senders": senders,
            "first": local_text(s.first),
            "last": local_text(s.last),
            "date_orders": s.date_orders.iter().map(|o| serde_json::json!({
                "order": o.order.as_str(),
                "why": o.to_string(),
            })).collect::<Vec<_>>(),
            "diagnostics": s.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        return ui::json_line(&value);
    }
    let span = match (s.first, s.last) {
        (Some(first), Some(last)) => format!(", from {} to {}", first.date(), last.date()),
        _ => String::new(),
    };
    ui::line(format!(
        "{} ({}): {}{span}, {}. Nothing was written.",
        styled(BOLD, path.display()),
        format,
        count(s.messages, "message", "messages"),
        count(s.system, "system line", "system lines")
    ))?;
    let mut senders: Vec<_> = clean_senders(s).into_iter().collect();
    senders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (name, n) in senders {
        // An SMS backup leaves my own messages without a name.
        let shown = match (name.is_empty(), format) {
            (true, Format::Sms) => "you",
            (true, _) => "(no name)",
            (false, _) => name.as_str(),
        };
        ui::line(format!("  {shown} {n}"))?;
    }
    for order in &s.date_orders {
        ui::line(format!("  Dates read as {order}."))?;
    }
    if s.date_orders.iter().any(|o| {
        matches!(
            o.reason,
            mutual_import::OrderReason::Assumed | mutual_import::OrderReason::RunsForward
        )
    }) {
        ui::hint("  If that is not how the phone wrote them, say it with --date-order dmy, mdy or ymd.")?;
    }
    print_diagnostics(&s.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>())
}

fn print_diagnostics(diagnostics: &[String]) -> Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let odd = if diagnostics.len() == 1 {
        "1 thing was odd".to_owned()
    } else {
        format!("{} things were odd", diagnostics.len())
    };
    ui::line(format!("  {odd} but did not stop the import:"))?;
    for d in diagnostics.iter().take(20) {
        ui::hint(format!("    {d}"))?;
    }
    if diagnostics.len() > 20 {
        ui::hint(format!("    … and {} more (see --json)", diagnostics.len() - 20))?;
    }
    Ok(())
}

/// Sums up one file: counts, and the senders still to link.
fn summarize(
    tx: &Tx<'_>,
    path: &std::path::Path,
    format: Format,
    outcome: merge::Outcome,
) -> Result<Summary> {
    let file = path.display().to_string();
    let mut unmapped_senders = Vec::new();
    let mut me_known = false;
    let friends = tx.db().friends()?;
    for info in tx.db().senders()? {
        let Some(&messages) = outcome.per_sender.get(&info.id) else {
            continue;
        };
        me_known |= info.is_me;
        if info.is_me || info.friend.is_some() {
            continue;
        }
        // A friend with a close name is most likely who it is.
        let friend =
            crate::app::closest_friend(&friends, &info.name).map_or(info.name.as_str(), |f| f.name.as_str());
        let command = format!(
            "mutual import --map {} {}",
            shell_quote(&format!("{}={}", map_side(&info.name), map_side(friend))),
            shell_quote(&file)
        );
        unmapped_senders.push(Unmapped {
            sender: info.name,
            messages,
            command,
        });
    }
    unmapped_senders.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.sender.cmp(&b.sender)));
    Ok(Summary {
        file,
        format: format.as_str(),
        chat: match outcome.chats.as_slice() {
            [one] => Some(one.name.clone()),
            _ => None,
        },
        chats: outcome.chats,
        new: outcome.new,
        known: outcome.known,
        system: outcome.system,
        unmapped: unmapped_senders.iter().map(|u| u.messages).sum(),
        unmapped_senders,
        me_known,
        diagnostics: outcome.diagnostics.iter().map(ToString::to_string).collect(),
    })
}

#[derive(Debug, serde::Serialize)]
struct Unmapped {
    sender: String,
    messages: u64,
    command: String,
}

#[derive(Debug, serde::Serialize)]
struct Summary {
    file: String,
    format: &'static str,
    /// The chat the file was matched to (when it holds one chat).
    chat: Option<String>,
    /// Each chat of the file and how it was matched.
    chats: Vec<merge::ChatMatch>,
    new: u64,
    known: u64,
    system: u64,
    /// Messages from senders not linked to a friend (kept, and counted once linked).
    unmapped: u64,
    unmapped_senders: Vec<Unmapped>,
    /// Some sender of the file is known to be the user.
    #[serde(skip)]
    me_known: bool,
    diagnostics: Vec<String>,
}

fn print_summary(s: &Summary, json: bool) -> Result<()> {
    if json {
        return ui::json_line(s);
    }
    let known = if s.known > 0 {
        format!(", {} already known", indicatif::HumanCount(s.known))
    } else {
        String::new()
    };
    let system = if s.system > 0 {
        format!(", {} skipped", count(s.system, "system line", "system lines"))
    } else {
        String::new()
    };
    ui::done(format!(
        "{} ({}): {}{known}{system}.",
        styled(BOLD, &s.file),
        s.format,
        count(s.new, "new message", "new messages")
    ))?;
    if s.chats.len() > 5 {
        let new = s.chats.iter().filter(|c| c.matched == identity::How::New).count() as u64;
        let checked = s.chats.iter().filter(|c| c.checked_each).count() as u64;
        ui::line(format!(
            "  {}: {new} new, {} already here{}.",
            count(s.chats.len() as u64, "chat", "chats"),
            s.chats.len() as u64 - new,
            if checked > 0 {
                format!(" ({checked} matched less surely, so each of their messages was checked)")
            } else {
                String::new()
            }
        ))?;
    }
    for chat in s.chats.iter().filter(|_| s.chats.len() <= 5) {
        let line = match chat.matched {
            identity::How::New => format!("  Chat: {} (new).", chat.name),
            identity::How::Named => format!("  Chat: {} (as you named it).", chat.name),
            how => format!("  Chat: {}, matched {}.", chat.name, how.phrase()),
        };
        ui::line(line)?;
        if chat.checked_each {
            ui::hint(
                "    Not sure enough to skip what earlier imports covered, so each message was checked against the stored ones; --chat NAME says which chat it is.",
            )?;
        }
    }
    if !s.unmapped_senders.is_empty() {
        ui::line("  Not linked to a friend yet (their messages are kept and count once linked):")?;
        for u in &s.unmapped_senders {
            ui::line(format!(
                "    {} ({})",
                if u.sender.is_empty() {
                    "(no name)"
                } else {
                    &u.sender
                },
                count(u.messages, "message", "messages")
            ))?;
            ui::hint(format!("      {}", u.command))?;
        }
        if !s.me_known {
            ui::hint("  If one of these names is you, add --me NAME so your side counts as yours.")?;
        }
    }
    print_diagnostics(&s.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_read_back_names_that_hold_an_equals_sign() {
        assert_eq!(
            parse_map("Sam Lee=Sam").unwrap(),
            ("Sam Lee".into(), "Sam".into())
        );
        assert_eq!(parse_map(r"a\=b=a\=b").unwrap(), ("a=b".into(), "a=b".into()));
        assert_eq!(
            parse_map(r"back\\slash=B").unwrap(),
            (r"back\slash".into(), "B".into())
        );
        let name = r"x=\=y\";
        let written = format!("{0}={0}", map_side(name));
        assert_eq!(parse_map(&written).unwrap(), (name.to_owned(), name.to_owned()));
        assert!(parse_map("no equals").is_err());
        assert!(parse_map(r"only\=escaped").is_err());
    }

    #[test]
    fn shell_quoting_survives_apostrophes() {
        assert_eq!(shell_quote("Sam=Sam"), "Sam=Sam");
        assert_eq!(shell_quote("Jo O'Neil=Jo O'Neil"), r"'Jo O'\''Neil=Jo O'\''Neil'");
    }
}
