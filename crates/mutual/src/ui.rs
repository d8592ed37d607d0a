//! Printing: styled text that respects `NO_COLOR` and pipes (through
//! anstream), JSON for `--json`, and tables sized to the terminal.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use anyhow::Result;
use comfy_table::{ContentArrangement, Table, presets};

pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const GOOD: Style = AnsiColor::Green.on_default();
pub(crate) const HEADING: Style = AnsiColor::Cyan.on_default().bold();

/// Standard output, with styles stripped when they are not wanted.
pub(crate) fn stdout() -> anstream::AutoStream<std::io::StdoutLock<'static>> {
    anstream::AutoStream::auto(std::io::stdout().lock())
}

/// Text wrapped in a style.
pub(crate) fn styled(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// Prints one line.
pub(crate) fn line(text: impl std::fmt::Display) -> Result<()> {
    writeln!(stdout(), "{text}")?;
    Ok(())
}

/// Prints a value as pretty JSON.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints a value as compact JSON on one line (one object per item).
pub(crate) fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A table as wide as the terminal (or unwrapped when piped).
pub(crate) fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_HORIZONTAL_ONLY.row_separator(comfy_table::LineStyle::none()));
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(width), _)) => {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(header.iter().copied());
    table
}

/// A "did that" line: a check mark and the message.
pub(crate) fn done(text: impl std::fmt::Display) -> Result<()> {
    line(format!("{} {text}", styled(GOOD, "\u{2713}")))
}

/// A dimmed hint line, e.g. a command to try next.
pub(crate) fn hint(text: impl std::fmt::Display) -> Result<()> {
    line(styled(DIM, text))
}

/// A word as a POSIX shell reads it back: as it is when it is plainly
/// safe, else in single quotes, for hints that print a command to paste.
pub(crate) fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=@:".contains(c))
    {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}
