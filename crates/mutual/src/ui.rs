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

/// Prints one line (control characters in it shown escaped).
pub(crate) fn line(text: impl std::fmt::Display) -> Result<()> {
    writeln!(stdout(), "{}", visible(&text.to_string()))?;
    Ok(())
}

/// `text` safe for a terminal: control characters and direction overrides
/// are shown as escapes (`\x1b`, `\u{202e}`), so no name or note can move
/// the cursor, clear the screen or set a window title. Line breaks, tabs and
/// the exact sequences of this program's own styles pass.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write as _;
    let unsafe_char =
        |c: char| (c.is_control() && c != '\n' && c != '\t') || mutual_core::text::is_reordering(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    // Each escape sequence our styles write, one at a time (a style may
    // write several in a row).
    let own: Vec<String> = [BOLD, DIM, GOOD, HEADING]
        .iter()
        .flat_map(|s| [s.render().to_string(), s.render_reset().to_string()])
        .flat_map(|rendered| {
            rendered
                .split('\u{1b}')
                .filter(|part| !part.is_empty())
                .map(|part| format!("\u{1b}{part}"))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(seq) = own.iter().find(|seq| rest.starts_with(seq.as_str()))
        {
            out.push_str(seq);
            rest = &rest[seq.len()..];
            continue;
        }
        if unsafe_char(c) {
            if (c as u32) < 0x100 {
                let _ = write!(out, "\\x{:02x}", c as u32);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
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

/// "1 message", "3 messages", "1,204 messages".
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", indicatif::HumanCount(n))
    }
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
