//! Shared helpers: fixtures, snapshots, arbitrary bytes.

#![allow(dead_code)]

use std::path::PathBuf;

use mutual_import::{Collected, Format, Input, Options, collect};

/// A file under ../shared/fixtures/chat-samples (or `MUTUAL_FIXTURES`).
pub(crate) fn fixture(relative: &str) -> PathBuf {
    mutual_import::synth::fixtures_dir().join(relative)
}

/// Options for tests: UTC, so local and UTC agree unless the export says otherwise.
pub(crate) fn options() -> Options {
    Options::default()
}

/// Parses a fixture with format detection and checks the detected format.
pub(crate) fn parse_fixture(relative: &str, expected: Format) -> Collected {
    let input = Input::file(&fixture(relative)).expect("fixture opens");
    let (format, collected) = collect(&input, None, &options()).expect("fixture parses");
    assert_eq!(format, expected, "detected format of {relative}");
    collected
}

/// Snapshots a fixture's messages and diagnostics (detecting its format).
/// The snapshot is named after the fixture file.
pub(crate) fn check(relative: &str, expected: Format) {
    let collected = parse_fixture(relative, expected);
    let diagnostics: Vec<String> = collected.diagnostics.iter().map(ToString::to_string).collect();
    let name = relative.replace(['/', '.'], "_");
    insta::assert_json_snapshot!(
        name,
        serde_json::json!({
            "format": expected.as_str(),
            "messages": collected.messages,
            "diagnostics": diagnostics,
        })
    );
}

/// Parses bytes as `format`; the result may be an error but must not panic.
pub(crate) fn parse_bytes(
    format: Format,
    name: &str,
    bytes: &[u8],
) -> Result<Collected, mutual_import::Error> {
    let input = Input::bytes(name, bytes.to_vec());
    collect(&input, Some(format), &options()).map(|(_, c)| c)
}

/// One line per message of what a parser told apart: id, chat, sender,
/// from me, kind, text, reply-to, edited.
pub(crate) type Summary<'a> = (
    &'a str,
    &'a str,
    &'a str,
    bool,
    &'static str,
    &'a str,
    Option<&'a str>,
    bool,
);

pub(crate) fn summary(collected: &Collected) -> Vec<Summary<'_>> {
    collected
        .messages
        .iter()
        .map(|m| {
            (
                m.id.as_deref().unwrap_or(""),
                m.chat.as_str(),
                m.sender.as_str(),
                m.from_me,
                m.kind,
                m.text.as_str(),
                m.reply_to.as_deref(),
                m.edited,
            )
        })
        .collect()
}
