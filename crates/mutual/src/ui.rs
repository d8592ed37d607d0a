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

/// Prints one line (control characters in it shown escaped), wrapped at
/// word boundaries to the terminal's width (see [`fit`]).
pub(crate) fn line(text: impl std::fmt::Display) -> Result<()> {
    let text = visible(&text.to_string()).into_owned();
    match width() {
        Some(width) => writeln!(stdout(), "{}", fit(&text, width))?,
        None => writeln!(stdout(), "{text}")?,
    }
    Ok(())
}

/// Prints text as it is (control characters shown escaped), never wrapped:
/// for tables already fitted to the width.
pub(crate) fn unwrapped(text: impl std::fmt::Display) -> Result<()> {
    writeln!(stdout(), "{}", visible(&text.to_string()))?;
    Ok(())
}

/// The width printed text is fitted to: `COLUMNS` when it is set (as
/// scripts and tests set it), else the terminal's; `None` when the output
/// goes to a pipe or a file, which get one line per line.
pub(crate) fn width() -> Option<usize> {
    static WIDTH: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        columns
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .map(|w| w.max(MIN_WIDTH))
    })
}

/// Narrower than this, wrapping does more harm than good.
const MIN_WIDTH: usize = 30;

/// Stands for a space that must not break a line, while wrapping.
const GLUE: char = '\u{e000}';

/// `text` wrapped at spaces to `width` columns, line by line. Style
/// sequences count as no width, and a command is never broken: text in
/// backticks, and from `mutual` and one of its subcommands to the end of the
/// line, stays on one line even when that line is longer than `width`.
///
/// A wrapped line goes on under its own text: under the words after a bullet
/// or a check mark, and as deep as the line when it is indented as deep as
/// the text after a bullet (four spaces or more, a suggestion under its
/// item); any other line (a heading, `label: value`) goes on two spaces
/// deeper than it starts, so its continuation reads as one.
pub(crate) fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if textwrap::core::display_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let (prefix, marked) = indentation(line);
        let (prefix, rest) = line.split_at(prefix);
        let mut hang = textwrap::core::display_width(prefix);
        if !marked && hang < 4 {
            hang += 2;
        }
        let indent = " ".repeat(hang);
        let options = textwrap::Options::new(width)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false)
            .initial_indent(prefix)
            .subsequent_indent(&indent);
        let glued = glue_commands(rest);
        for (j, wrapped) in textwrap::wrap(&glued, options).iter().enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.extend(wrapped.chars().map(|c| if c == GLUE { ' ' } else { c }));
        }
    }
    out
}

/// Where a line's text starts after its indentation (leading spaces, style
/// sequences, and a bullet or mark followed by a space), and whether there
/// was a bullet or mark.
fn indentation(line: &str) -> (usize, bool) {
    let mut at = 0;
    let mut marked = false;
    loop {
        let rest = &line[at..];
        if rest.starts_with(' ') {
            at += 1;
        } else if rest.starts_with("\u{1b}[") {
            match rest.find(|c: char| c.is_ascii_alphabetic()) {
                Some(end) => at += end + 1,
                None => return (at, marked),
            }
        } else if let Some(mark) = ['\u{2022}', '\u{2713}', '-', '*']
            .into_iter()
            .find(|&m| rest.starts_with(m) && rest[m.len_utf8()..].starts_with(' '))
        {
            at += mark.len_utf8() + 1;
            marked = true;
        } else {
            return (at, marked);
        }
    }
}

/// `text` with the spaces inside commands replaced by [`GLUE`].
fn glue_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_ticks = false;
    let mut command = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_ticks = !in_ticks;
        } else if !in_ticks
            && !command
            && starts_command(rest)
            && !out.ends_with(|c: char| c.is_alphanumeric())
        {
            command = true;
        }
        out.push(if c == ' ' && (in_ticks || command) {
            GLUE
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `text` starts with `mutual` and one of its subcommands.
fn starts_command(text: &str) -> bool {
    static SUBCOMMANDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let Some(rest) = text.strip_prefix("mutual ") else {
        return false;
    };
    let word = rest.split(' ').next().unwrap_or_default();
    SUBCOMMANDS
        .get_or_init(|| {
            crate::cli_command()
                .get_subcommands()
                .map(|c| c.get_name().to_owned())
                .collect()
        })
        .iter()
        .any(|name| name == word)
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

/// Prints a table within the width: when it would be wider, the columns
/// in `drop` go first, in that order, and what still does not fit wraps
/// inside its cells. Unfitted when the output is not a terminal. Returns how
/// many columns of `drop` were left out.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>], drop: &[usize]) -> Result<usize> {
    let build = |keep: &dyn Fn(usize) -> bool| {
        let mut table = Table::new();
        table.load_style(presets::UTF8_HORIZONTAL_ONLY.row_separator(comfy_table::LineStyle::none()));
        table.set_content_arrangement(ContentArrangement::Disabled);
        let pick = |cells: &mut dyn Iterator<Item = String>| -> Vec<String> {
            cells
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, c)| c)
                .collect()
        };
        table.set_header(pick(&mut header.iter().map(|h| (*h).to_owned())));
        for row in rows {
            table.add_row(pick(&mut row.iter().cloned()));
        }
        table
    };
    let Some(width) = width() else {
        unwrapped(build(&|_| true))?;
        return Ok(0);
    };
    let wide = |table: &Table| {
        table
            .to_string()
            .lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap_or(0)
            > width
    };
    let mut dropped = 0;
    let mut table = build(&|_| true);
    while wide(&table) && dropped < drop.len() {
        dropped += 1;
        table = build(&|i| !drop[..dropped].contains(&i));
    }
    if wide(&table) {
        table
            .set_width(u16::try_from(width).unwrap_or(u16::MAX))
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    unwrapped(table)?;
    Ok(dropped)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_wraps_prose_and_keeps_commands_whole() {
        let text =
            "  \u{2022} Asking Alex how it feels would land well. Then: `mutual win respond 2 enthusiastic`.";
        let wrapped = fit(text, 40);
        assert_eq!(
            wrapped,
            "  \u{2022} Asking Alex how it feels would land\n    well. Then:\n    `mutual win respond 2 enthusiastic`."
        );
        // A hint's command runs to the end of its line; "mutual" as a word is prose.
        assert_eq!(
            fit("Start your own with: mutual friend add \"Name\" --every 14", 30),
            "Start your own with:\n  mutual friend add \"Name\" --every 14"
        );
        assert_eq!(
            fit("a mutual acquaintance is coming too", 20),
            "a mutual\n  acquaintance is\n  coming too"
        );
        // Style sequences take no width; a line that fits is left alone.
        let dim = styled(DIM, "    a suggestion that is long enough to wrap");
        assert_eq!(fit(&dim, 60), dim);
        assert_eq!(fit(&dim, 30).lines().count(), 2);
    }
}
