//! `mutual import`: chat exports in; per-message times and counts stored
//! (text only with `--keep-text`), merged so that nothing is counted twice.
//! The import itself is `mutual_app::import`; this reads the flags, shows
//! progress and says what happened.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use mutual_app::import::{How, ImportError, ImportFile, ImportRequest, Summary};
use mutual_import::{Format, Options, Survey};

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
        inputs.push(ImportFile::open(path, format).map_err(|e| match e {
            // The importer does not know the command line's flags.
            e @ ImportError::Unreadable { .. } if format.is_none() => {
                bad(format!("{e}; or name the format with --format"))
            }
            e => import_error(e),
        })?);
    }
    if args.dry_run {
        for f in &inputs {
            let survey = mutual_import::survey(&f.input, f.format, &options).map_err(|error| {
                import_error(ImportError::Unreadable {
                    path: f.path.clone(),
                    error,
                })
            })?;
            print_survey(&f.path, f.format, &survey, args.json)?;
        }
        return Ok(());
    }

    let path = app.db_path()?;
    let fresh = !path.exists();
    let mut store = app.open_at(&path, mutual_store::Access::Write)?;
    let request = ImportRequest {
        files: &inputs,
        options: &options,
        me: &me,
        links: &maps,
        chat: named_chat.as_deref(),
        keep_text: args.keep_text,
    };
    let bar = progress_bar();
    let shown = std::cell::Cell::new(None);
    let summaries = mutual_app::import::run(app, &mut store, &request, &|p| {
        if shown.get() != Some(p.file) {
            // A new file: the count starts again.
            bar.reset();
            shown.set(Some(p.file));
        }
        bar.set_position(p.read);
    });
    bar.finish_and_clear();
    let summaries = match summaries {
        Ok(summaries) => summaries,
        Err(e) => {
            // A first import that fails leaves no empty database behind
            // (unless another process wrote to it meanwhile).
            if fresh {
                let _ = store.remove_if_empty();
            }
            return Err(import_error(e));
        }
    };
    for summary in &summaries {
        print_summary(summary, args.json)?;
    }
    Ok(())
}

/// An import error in the command line's words (its flags named).
fn import_error(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::SeveralChats { path } => bad(format!(
            "{}: --chat names the one chat of a file, and this file holds several; import it without --chat",
            path.display()
        )),
        ImportError::AliasOfSeveral { friend } => bad(format!(
            "--map: '{friend}' is an alias of more than one friend; map to the name of the one you mean"
        )),
        ImportError::NoSuchSender { sender } => bad(format!(
            "--map: no one called '{sender}' writes in these chats; expected a sender's name as the import lists it (see --dry-run)"
        )),
        ImportError::App(e) => e.into(),
        e => bad(e.to_string()),
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

/// A sender to link, with the command that links them.
#[derive(Debug, serde::Serialize)]
struct Unmapped<'a> {
    sender: &'a str,
    messages: u64,
    command: String,
}

fn unmapped(s: &Summary) -> Vec<Unmapped<'_>> {
    s.unlinked
        .iter()
        .map(|u| Unmapped {
            sender: &u.sender,
            messages: u.messages,
            command: format!(
                "mutual import --map {} {}",
                shell_quote(&format!("{}={}", map_side(&u.sender), map_side(&u.likely_friend))),
                shell_quote(&s.file)
            ),
        })
        .collect()
}

/// One file's summary as `--json` prints it.
#[derive(Debug, serde::Serialize)]
struct Shown<'a> {
    file: &'a str,
    format: &'static str,
    chat: &'a Option<String>,
    chats: &'a [mutual_app::import::ChatMatch],
    new: u64,
    known: u64,
    system: u64,
    unmapped: u64,
    unmapped_senders: Vec<Unmapped<'a>>,
    diagnostics: &'a [String],
}

fn print_summary(s: &Summary, json: bool) -> Result<()> {
    let unmapped_senders = unmapped(s);
    if json {
        return ui::json_line(&Shown {
            file: &s.file,
            format: s.format,
            chat: &s.chat,
            chats: &s.chats,
            new: s.new,
            known: s.known,
            system: s.system,
            unmapped: s.unmapped,
            unmapped_senders,
            diagnostics: &s.diagnostics,
        });
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
        let new = s.chats.iter().filter(|c| c.matched == How::New).count() as u64;
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
            How::New => format!("  Chat: {} (new).", chat.name),
            How::Named => format!("  Chat: {} (as you named it).", chat.name),
            how => format!("  Chat: {}, matched {}.", chat.name, how.phrase()),
        };
        ui::line(line)?;
        if chat.checked_each {
            ui::hint(
                "    Not sure enough to skip what earlier imports covered, so each message was checked against the stored ones; --chat NAME says which chat it is.",
            )?;
        }
    }
    if !unmapped_senders.is_empty() {
        ui::line("  Not linked to a friend yet (their messages are kept and count once linked):")?;
        for u in &unmapped_senders {
            ui::line(format!(
                "    {} ({})",
                if u.sender.is_empty() {
                    "(no name)"
                } else {
                    u.sender
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
