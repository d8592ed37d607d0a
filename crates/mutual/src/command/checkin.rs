//! `mutual checkin`: a two-sided check-in. I answer a few questions about
//! the friendship, my friend answers the same ones on a page in any
//! browser, their answers come back as a short code sealed to my key, and
//! each of us sees both sides only once both have answered.

use std::io::{BufRead as _, IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use mutual_app::checkin::{self as service, CheckinView, ReceivedKind, Stage};
use mutual_checkin::{Answer, Answers, ItemKind, ItemSet};
use mutual_core::SupportKind;

use crate::app::App;
use crate::error::{bad, bad_input};
use crate::output;
use crate::ui::{self, BOLD, DIM, styled};

/// Where the name my friend sees for me is remembered.
const NAME_KEY: &str = "checkin_name";
/// Where the address of the hosted page is remembered.
const PAGE_KEY: &str = "checkin_page_url";
/// The name an invitation shows when none was chosen.
const DEFAULT_NAME: &str = "Your friend";
/// The largest answers file or reply code file read.
const MAX_INPUT: u64 = 1 << 20;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Start a check-in with a friend and give your answers (from a file, or asked one by one)
    New {
        friend: String,
        /// Your answers as JSON, e.g. {"closeness": 5, "balance": 3, "heard": 4, "time": 3}
        #[arg(long, value_name = "FILE.json")]
        answers: Option<PathBuf>,
        /// The name your friend sees for you on their page (remembered)
        #[arg(long = "as", value_name = "NAME")]
        name_shown: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Give or change your answers to a check-in
    Answer {
        id: String,
        /// Your answers as JSON [default: asked one by one in a terminal]
        #[arg(long, value_name = "FILE.json")]
        answers: Option<PathBuf>,
    },
    /// Write the check-in page alone, to put on any static web host
    Page {
        /// The HTML file to write
        #[arg(long, value_name = "FILE.html")]
        out: PathBuf,
    },
    /// What to send your friend: a link, or the page with the invitation inside
    Invite {
        id: String,
        /// Where you host the page (mutual checkin page); remembered
        #[arg(long, value_name = "URL", conflicts_with = "out")]
        page_url: Option<String>,
        /// Write the page with the invitation inside, to send as a file
        #[arg(long, value_name = "FILE.html")]
        out: Option<PathBuf>,
        /// The name your friend sees for you on their page (remembered)
        #[arg(long = "as", value_name = "NAME")]
        name_shown: Option<String>,
    },
    /// Add the reply code your friend sent back
    Receive {
        /// The code, - to read it from standard input, or a file that holds it
        #[arg(value_name = "CODE|-")]
        code: String,
    },
    /// Both sides of a check-in, once both of you have answered
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// A link that shows your friend both sides, sealed to their key
    Reveal { id: String },
    /// Every check-in and where it stands
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save your friend's need and boundary from a check-in as theirs
    Keep { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::New {
            friend,
            answers,
            name_shown,
            json,
        } => new(app, &friend, answers.as_deref(), name_shown.as_deref(), json),
        Command::Answer { id, answers } => answer(app, &id, answers.as_deref()),
        Command::Page { out } => page(app, &out),
        Command::Invite {
            id,
            page_url,
            out,
            name_shown,
        } => invite(
            app,
            &id,
            page_url.as_deref(),
            out.as_deref(),
            name_shown.as_deref(),
        ),
        Command::Receive { code } => receive(app, &code),
        Command::Show { id, json } => show(app, &id, json),
        Command::Reveal { id } => reveal(app, &id),
        Command::List { json } => list(app, json),
        Command::Keep { id } => keep(app, &id),
    }
}

fn new(app: &App, friend: &str, file: Option<&Path>, shown: Option<&str>, json: bool) -> Result<()> {
    let shown = shown.map(name_shown).transpose()?;
    let set = service::latest_items()?;
    let from_file = file.map(|f| answers_from(set, f)).transpose()?;
    let mut store = app.open()?;
    let friend = app.friend(store.db(), friend)?;
    let mine = match from_file {
        Some(answers) => Some(answers),
        None if std::io::stdin().is_terminal() => Some(ask(set, &friend.name)?),
        None => None,
    };
    if let Some(shown) = &shown {
        store.write(|tx| tx.set_meta(NAME_KEY, shown))?;
    }
    let started = service::start(app, &mut store, &friend, mine.as_ref())?;
    if json {
        return ui::json(&started);
    }
    let today = app.today();
    let id = started.id.to_string();
    ui::done(format!(
        "Started a check-in with {} ({id}), open until {}.",
        started.friend,
        mutual_core::words::day(started.expires, today)
    ))?;
    if started.answered {
        ui::line(format!(
            "Your answers are sealed: you will see them beside {}'s once theirs arrive.",
            started.friend
        ))?;
    } else {
        ui::line(format!(
            "Answer it when you are ready: mutual checkin answer {id} --answers FILE.json"
        ))?;
    }
    ui::line(format!(
        "Next, send {} the invitation: mutual checkin invite {id}",
        started.friend
    ))?;
    if let Some(previous) = started.previous.filter(|p| {
        p.until(today)
            .is_ok_and(|span| span.get_days() < service::RHYTHM_DAYS as i32)
    }) {
        ui::hint(format!(
            "Your last check-in with {} began {}; about once a season is plenty, so there is no hurry to send this one.",
            started.friend,
            mutual_core::words::day(previous, today)
        ))?;
    }
    Ok(())
}

fn answer(app: &App, id: &str, file: Option<&Path>) -> Result<()> {
    let id = service::parse_id(id)?;
    let mut store = app.open()?;
    let set = service::items_of(store.db(), id)?;
    let friend = service::show(app, store.db(), id)?.friend;
    let mine = match file {
        Some(file) => answers_from(set, file)?,
        None if std::io::stdin().is_terminal() => ask(set, &friend)?,
        None => bad_input!(
            "no answers were given and there is no terminal to ask them in; expected --answers FILE.json, e.g. {{\"closeness\": 5, \"balance\": 3, \"heard\": 4, \"time\": 3}}"
        ),
    };
    let done = service::answer(app, &mut store, id, &mine)?;
    let verb = if done.replaced { "replaced" } else { "are in" };
    match done.stage {
        Stage::Both => {
            ui::done(format!("Your answers {verb}. Both sides are here now."))?;
            ui::line(format!("See them side by side: mutual checkin show {id}"))
        }
        _ => {
            ui::done(format!(
                "Your answers {verb}, sealed until {}'s arrive.",
                done.friend
            ))?;
            ui::line(format!(
                "Send {} the invitation: mutual checkin invite {id}",
                done.friend
            ))
        }
    }
}

fn page(app: &App, out: &Path) -> Result<()> {
    let db = app.db_path()?;
    check_out(out, &db)?;
    output::write(out, service::blank_page()?.as_bytes(), Some(&db))?;
    ui::line(format!("Wrote {}", out.display()))?;
    ui::hint(
        "Put it on any static web host; it asks nothing of the host and sends nothing anywhere. Then: mutual checkin invite ID --page-url URL",
    )
}

fn invite(
    app: &App,
    id: &str,
    page_url: Option<&str>,
    out: Option<&Path>,
    shown: Option<&str>,
) -> Result<()> {
    let id = service::parse_id(id)?;
    let page_url = page_url.map(checked_page_url).transpose()?;
    let shown = shown.map(name_shown).transpose()?;
    let db_path = app.db_path()?;
    if let Some(out) = out {
        check_out(out, &db_path)?;
    }
    let mut store = app.open()?;
    let name = match &shown {
        Some(name) => name.clone(),
        None => store
            .db()
            .meta(NAME_KEY)?
            .unwrap_or_else(|| DEFAULT_NAME.to_owned()),
    };
    let invitation = service::invitation(app, store.db(), id, &name)?;
    let remembered = store.db().meta(PAGE_KEY)?;
    // The file first: a name or an address is remembered only once it is out.
    if let Some(out) = out {
        let page = service::invitation_page(&invitation.code)?;
        output::write(out, page.as_bytes(), Some(&db_path))?;
    }
    store.write(|tx| {
        if let Some(shown) = &shown {
            tx.set_meta(NAME_KEY, shown)?;
        }
        if let Some(url) = &page_url {
            tx.set_meta(PAGE_KEY, url)?;
        }
        Ok::<_, mutual_store::StoreError>(())
    })?;
    let friend = &invitation.friend;
    let until = mutual_core::words::day(invitation.expires, app.today());
    if let Some(out) = out {
        ui::line(format!("Wrote {}", out.display()))?;
        ui::hint(format!(
            "Send it to {friend} as a file: it opens in any browser, sends nothing anywhere, and takes answers until {until}."
        ))?;
    } else {
        match page_url.or(remembered) {
            Some(url) => ui::unwrapped(format!("{url}#{}", invitation.code))?,
            None => ui::unwrapped(&invitation.code)?,
        }
        if store.db().meta(PAGE_KEY)?.is_some() {
            ui::hint(format!(
                "Send {friend} this link over any chat; it is open until {until}."
            ))?;
        } else {
            ui::hint(format!(
                "Send {friend} this invitation over any chat; it is open until {until}. It opens on the check-in page: host the page (mutual checkin page --out checkin.html) and add --page-url URL for a link, or send the page itself with --out invite.html."
            ))?;
        }
    }
    if !invitation.answered {
        ui::hint(format!(
            "You have not answered yet; do it any time: mutual checkin answer {id}"
        ))?;
    }
    if name == DEFAULT_NAME {
        ui::hint(format!(
            "The page calls you \u{201c}{DEFAULT_NAME}\u{201d}; add --as NAME to show the name {friend} knows you by."
        ))?;
    }
    ui::hint(format!(
        "{friend}'s answers come back as a code: mutual checkin receive CODE"
    ))
}

fn receive(app: &App, arg: &str) -> Result<()> {
    let code = code_from(arg)?;
    let mut store = app.open()?;
    let got = service::receive(app, &mut store, &code)?;
    let (friend, id) = (&got.friend, got.id);
    match (got.received, got.stage) {
        (ReceivedKind::Again, _) => ui::done(format!(
            "This code from {friend} was already here; nothing changed."
        )),
        (kind, Stage::Both) => {
            ui::done(if kind == ReceivedKind::Changed {
                format!("{friend} answered again; their new answers replace the earlier ones.")
            } else {
                format!("{friend}'s answers are in. Both sides are here now.")
            })?;
            ui::line(format!("See them side by side: mutual checkin show {id}"))
        }
        (kind, _) => {
            ui::done(if kind == ReceivedKind::Changed {
                format!("{friend} answered again; their new answers replace the earlier ones.")
            } else {
                format!("{friend}'s answers are in.")
            })?;
            ui::line(format!(
                "They stay sealed until you add yours: mutual checkin answer {id}"
            ))
        }
    }
}

fn show(app: &App, id: &str, json: bool) -> Result<()> {
    let id = service::parse_id(id)?;
    let store = app.open_read()?;
    let view = service::show(app, store.db(), id)?;
    if json {
        return ui::json(&view);
    }
    let today = app.today();
    let day = |at: jiff::Timestamp| mutual_core::words::day(at.to_zoned(app.tz.clone()).date(), today);
    ui::line(styled(
        ui::HEADING,
        format!(
            "Check-in with {} \u{00b7} started {}",
            view.friend,
            day(view.started_at)
        ),
    ))?;
    let friend = &view.friend;
    match view.stage {
        Stage::New if view.closed => {
            ui::line(format!(
                "Nobody answered before the invitation closed {}; that happens. A fresh one can start whenever it feels right: mutual checkin new {}",
                mutual_core::words::day(view.expires, today),
                ui::shell_quote(friend)
            ))?;
        }
        Stage::New => {
            ui::line("Nobody has answered yet.")?;
            ui::line(format!(
                "Answer it when you are ready: mutual checkin answer {id}"
            ))?;
        }
        Stage::Waiting => {
            ui::line(format!("Your answers are in, sealed until {friend}'s arrive."))?;
            if view.closed {
                ui::line(format!(
                    "The invitation closed {}; a code {friend} already has can still be added.",
                    mutual_core::words::day(view.expires, today)
                ))?;
            } else {
                ui::line(format!(
                    "The invitation is open until {}. When {friend}'s code comes: mutual checkin receive CODE",
                    mutual_core::words::day(view.expires, today)
                ))?;
            }
        }
        Stage::TheirsSealed => {
            ui::line(format!(
                "{friend}'s answers are in, sealed until you add yours: mutual checkin answer {id}"
            ))?;
        }
        Stage::Both => print_both(&view)?,
    }
    Ok(())
}

/// Both sides, item by item: the question, each answer as given, and the
/// two perspectives in one sentence.
fn print_both(view: &CheckinView) -> Result<()> {
    ui::line(styled(
        DIM,
        "Two perspectives, neither of them the right one. Anything that surprises you is a good place to start talking.",
    ))?;
    let friend = &view.friend;
    let open = |a: &Option<String>| a.clone().unwrap_or_else(|| "left open".to_owned());
    for line in &view.both {
        ui::line("")?;
        ui::line(styled(BOLD, &line.prompt))?;
        ui::line(format!(
            "  You: {}  \u{00b7}  {friend}: {}",
            open(&line.mine),
            open(&line.theirs)
        ))?;
        ui::line(format!("  {}", line.sentence))?;
    }
    ui::line("")?;
    let next = view
        .started_at
        .checked_add(jiff::SignedDuration::from_hours(24 * service::RHYTHM_DAYS))
        .map(|t| t.strftime("%-d %B").to_string())
        .unwrap_or_default();
    let revealed = if view.revealed_at.is_some() {
        format!("{friend} has a link to see both sides. ")
    } else {
        format!(
            "Let {friend} see both sides too: mutual checkin reveal {}. ",
            view.id
        )
    };
    ui::hint(format!(
        "{revealed}About once a season is a good rhythm; a next check-in would fit around {next}."
    ))
}

fn reveal(app: &App, id: &str) -> Result<()> {
    let id = service::parse_id(id)?;
    let mut store = app.open()?;
    let name = store
        .db()
        .meta(NAME_KEY)?
        .unwrap_or_else(|| DEFAULT_NAME.to_owned());
    let revealed = service::reveal(app, &mut store, id, &name)?;
    match store.db().meta(PAGE_KEY)? {
        Some(url) => ui::unwrapped(format!("{url}#reveal={}", revealed.code))?,
        None => ui::unwrapped(&revealed.code)?,
    }
    ui::hint(format!(
        "Send it to {}: it opens on the check-in page in the browser where they answered (the key that unlocks it stays there), and shows both sides.",
        revealed.friend
    ))
}

fn list(app: &App, json: bool) -> Result<()> {
    let store = app.open_read()?;
    let views = service::list(app, store.db(), None)?;
    if json {
        return ui::json(&views);
    }
    if views.is_empty() {
        return ui::line("No check-ins yet. Start one, about once a season: mutual checkin new NAME");
    }
    let today = app.today();
    for v in &views {
        let started = mutual_core::words::day(v.started_at.to_zoned(app.tz.clone()).date(), today);
        let stage = match v.stage {
            Stage::New => "nobody has answered yet".to_owned(),
            Stage::Waiting if v.closed => format!(
                "your answers are in; the invitation closed, {}'s code can still be added",
                v.friend
            ),
            Stage::Waiting => format!("your answers are in; waiting for {}'s code", v.friend),
            Stage::TheirsSealed => format!("{}'s answers are in; waiting for yours", v.friend),
            Stage::Both if v.revealed_at.is_some() => "both sides are in, and shared".to_owned(),
            Stage::Both => "both sides are in".to_owned(),
        };
        ui::line(format!(
            "{}  {} \u{2014} started {started}; {stage}",
            v.id, v.friend
        ))?;
    }
    Ok(())
}

fn keep(app: &App, id: &str) -> Result<()> {
    let id = service::parse_id(id)?;
    let mut store = app.open()?;
    let kept = service::keep(app, &mut store, id)?;
    let friend = &kept.friend;
    if let Some(need) = &kept.need {
        ui::done(format!("Saved {friend}'s need: {need}"))?;
    }
    if let Some(boundary) = &kept.boundary {
        ui::done(format!("Saved {friend}'s boundary: {boundary}"))?;
    }
    for text in &kept.already {
        ui::line(format!("Already saved as {friend}'s: {text}"))?;
    }
    if kept.need.is_none() && kept.boundary.is_none() && kept.already.is_empty() {
        return ui::line(format!(
            "{friend} left the need and the boundary open this time, so there is nothing to save."
        ));
    }
    ui::hint(format!(
        "See them with mutual friend show {}",
        ui::shell_quote(friend)
    ))
}

/// Two sides of one check-in in a few lines, for `friend show`.
pub(crate) fn print_block(
    view: &CheckinView,
    today: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
) -> Result<()> {
    let answered = view
        .their_answers_at
        .max(view.my_answers_at)
        .map(|at| mutual_core::words::day(at.to_zoned(tz.clone()).date(), today))
        .unwrap_or_default();
    ui::line(format!(
        "{} both sides, {answered} (mutual checkin show {})",
        styled(BOLD, "Check-in:"),
        view.id
    ))?;
    for line in &view.both {
        ui::line(format!("  {}", line.sentence))?;
    }
    Ok(())
}

/// `--out`, refused when it is a folder or the database.
fn check_out(out: &Path, db: &Path) -> Result<()> {
    if out.is_dir() {
        bad_input!(
            "--out {} is a folder; expected a file name such as checkin.html",
            out.display()
        );
    }
    output::check(out, db)
}

/// The name shown to the friend: cleaned, 1 to 64 bytes.
fn name_shown(text: &str) -> Result<String> {
    let name = super::name("--as name", text)?;
    if name.len() > mutual_checkin::codec::MAX_NAME_BYTES {
        bad_input!(
            "--as: '{name}' is {} bytes long; expected a first name or a nickname of at most {} bytes",
            name.len(),
            mutual_checkin::codec::MAX_NAME_BYTES
        );
    }
    Ok(name)
}

/// A page address to put an invitation after: http(s) or file, no fragment.
fn checked_page_url(text: &str) -> Result<String> {
    let url = text.trim();
    let scheme_ok = ["https://", "http://", "file://"]
        .iter()
        .any(|s| url.len() > s.len() && url.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)));
    if !scheme_ok || url.contains(char::is_whitespace) || url.contains('#') {
        bad_input!(
            "--page-url '{text}' is not the address of a page; expected an https:// (or http://, file://) address without a '#', such as https://example.org/checkin.html"
        );
    }
    Ok(url.to_owned())
}

/// Answers read from a JSON file (or `-`, standard input) against `set`.
fn answers_from(set: &ItemSet, file: &Path) -> Result<Answers> {
    let text = if file == Path::new("-") {
        read_limited(std::io::stdin().lock(), "standard input")?
    } else {
        let handle = std::fs::File::open(file).map_err(|e| {
            bad(format!(
                "--answers {}: cannot read it ({e}); expected a JSON file of answers",
                file.display()
            ))
        })?;
        read_limited(handle, &file.display().to_string())?
    };
    service::read_answers(set.version, &text).map_err(|e| bad(format!("--answers {}: {e}", file.display())))
}

/// At most [`MAX_INPUT`] bytes of text.
fn read_limited(reader: impl std::io::Read, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what}"))?;
    if bytes.len() as u64 > MAX_INPUT {
        bad_input!("{what} is over 1 MB; expected a short JSON object or code");
    }
    String::from_utf8(bytes).map_err(|_| {
        bad(format!(
            "{what} is not UTF-8 text; expected a JSON object or a code"
        ))
    })
}

/// The reply code: as given, from standard input (`-`), or from a file.
fn code_from(arg: &str) -> Result<String> {
    if arg == "-" {
        return read_limited(std::io::stdin().lock(), "standard input");
    }
    let path = Path::new(arg);
    if !arg.trim_start().starts_with("mutual-") && path.is_file() {
        let file = std::fs::File::open(path).with_context(|| format!("opening {arg}"))?;
        return read_limited(file, arg);
    }
    // A code never holds a path separator or a file ending; such an
    // argument was meant as a file that is not there.
    let looks_like_a_file = arg.contains(std::path::MAIN_SEPARATOR)
        || [".txt", ".json", ".html", ".code"]
            .iter()
            .any(|end| arg.ends_with(end));
    if !arg.trim_start().starts_with("mutual-") && looks_like_a_file {
        return Err(crate::error::bad(format!(
            "there is no file {arg}; expected a reply code (mutual-reply1.…), a file that holds one, or - for standard input"
        )));
    }
    Ok(arg.to_owned())
}

/// Asks every question of `set` at the terminal, one at a time, showing
/// the choices; a wrong answer is asked again. On standard error, so that
/// standard output stays clean for `--json`.
fn ask(set: &ItemSet, friend: &str) -> Result<Answers> {
    let mut err = anstream::stderr();
    writeln!(
        err,
        "A few questions about you and {friend}. Answer from your side; {friend} answers the same ones, and neither of you sees the other's answers until both have answered.\n"
    )?;
    let mut answers = Answers::new();
    let stdin = std::io::stdin();
    let total = set.items.len();
    for (n, item) in set.items.iter().enumerate() {
        writeln!(
            err,
            "{} {}",
            styled(BOLD, format!("{}/{total}", n + 1)),
            styled(BOLD, &item.prompt)
        )?;
        if let Some(hint) = &item.hint {
            writeln!(err, "  {}", styled(DIM, hint))?;
        }
        let kinds = SupportKind::ALL;
        match &item.kind {
            ItemKind::Kinds { .. } => {
                for (i, kind) in kinds.iter().enumerate() {
                    writeln!(err, "  {}  {}", i + 1, set.kind_label(*kind))?;
                }
                writeln!(
                    err,
                    "  {}",
                    styled(DIM, "Numbers separated by spaces or commas; Enter for none.")
                )?;
            }
            ItemKind::Text { .. } => {
                writeln!(err, "  {}", styled(DIM, "Enter on an empty line leaves it open."))?;
            }
            _ => {
                for (i, choice) in item.choices().iter().enumerate() {
                    writeln!(err, "  {}  {}", i + 1, choice.label)?;
                }
            }
        }
        loop {
            write!(err, "> ")?;
            err.flush()?;
            let mut line = String::new();
            if stdin.lock().read_line(&mut line)? == 0 {
                bad_input!(
                    "the questions were left before the end, so nothing was saved; expected an answer to each"
                );
            }
            let line = line.trim();
            let answer = match &item.kind {
                ItemKind::Kinds { .. } => {
                    let picked: Option<Vec<SupportKind>> = line
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|w| !w.is_empty())
                        .map(|w| {
                            w.parse::<usize>()
                                .ok()
                                .and_then(|i| i.checked_sub(1))
                                .and_then(|i| kinds.get(i).copied())
                                .or_else(|| w.parse::<SupportKind>().ok())
                        })
                        .collect();
                    match picked {
                        Some(kinds) => Some(Answer::Kinds(kinds)),
                        None => {
                            writeln!(err, "  Please use the numbers shown, from 1 to {}.", kinds.len())?;
                            continue;
                        }
                    }
                }
                ItemKind::Text { .. } if line.is_empty() => None,
                ItemKind::Text { .. } => Some(Answer::Text(line.to_owned())),
                _ if line.is_empty() && item.optional => None,
                _ => match line.parse::<u8>() {
                    Ok(step) if step >= 1 && usize::from(step) <= item.choices().len() => {
                        Some(Answer::Step(step))
                    }
                    _ => {
                        writeln!(
                            err,
                            "  Please type one of the numbers, 1 to {}.",
                            item.choices().len()
                        )?;
                        continue;
                    }
                },
            };
            let Some(answer) = answer else { break };
            match answers.set(set, &item.id, answer) {
                Ok(()) => break,
                Err(e) => writeln!(err, "  {e}")?,
            }
        }
        writeln!(err)?;
    }
    answers.check_complete(set)?;
    Ok(answers)
}
