//! Exports saved as UTF-16 (with a byte-order mark) read as their UTF-8
//! originals do, whatever the format and however they are given.

use std::io::Write;
use std::path::Path;

use mutual_import::{Format, Input, collect, survey};

use crate::common::{fixture, options};
use crate::telegram::all_fixtures;

/// `text` as UTF-16 with its byte-order mark, little- or big-endian.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    std::iter::once(0xFEFF)
        .chain(text.encode_utf16())
        .flat_map(|unit| {
            if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            }
        })
        .collect()
}

/// What a parse with detection gives, as text to compare.
fn read(input: &Input) -> String {
    match collect(input, None, &options()) {
        Ok((format, got)) => format!("{format} {:?} {:?}", got.messages, got.diagnostics),
        Err(e) => format!("error: {e}"),
    }
}

/// `bytes` written as `dir/name`, the input of that file.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> Input {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    Input::file(&path).expect("opens")
}

#[test]
fn a_utf16_whatsapp_export_reads_as_its_utf8_original() {
    let name = "whatsapp/chat-miner__test_unicode.txt";
    let text = std::fs::read_to_string(fixture(name)).expect("UTF-8 fixture");
    assert!(text.chars().any(|c| c.len_utf16() == 2), "has surrogate pairs");
    let dir = tempfile::tempdir().expect("temp dir");
    let original = file(dir.path(), "WhatsApp Chat with Sam.txt", text.as_bytes());
    let expected = read(&original);
    assert!(expected.starts_with("whatsapp [OwnedMessage"), "{expected}");
    for little_endian in [true, false] {
        let bytes = utf16(&text, little_endian);
        // A file, the same bytes in memory, and the chat of a zip.
        let input = file(dir.path(), "WhatsApp Chat with Sam.txt", &bytes);
        assert_eq!(read(&input), expected, "little endian: {little_endian}");
        let input = Input::bytes("WhatsApp Chat with Sam.txt", bytes.clone());
        assert_eq!(read(&input), expected, "little endian: {little_endian}");
        let zip_path = dir.path().join("WhatsApp Chat with Sam.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
        zip.start_file(
            "WhatsApp Chat with Sam.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("entry");
        zip.write_all(&bytes).expect("write");
        zip.finish().expect("finish");
        let input = Input::file(&zip_path).expect("zip opens");
        assert_eq!(read(&input), expected, "little endian: {little_endian}");
    }
}

#[test]
fn every_text_fixture_reads_alike_in_utf16() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for (relative, input) in all_fixtures() {
        let path = fixture(&relative);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // a database
        };
        let expected = read(&input);
        // The same folders: some formats are told by them (instagram/).
        let copy = dir.path().join(&relative);
        std::fs::create_dir_all(copy.parent().expect("a folder")).expect("folders");
        for little_endian in [true, false] {
            let transcoded = file(dir.path(), &relative, &utf16(&text, little_endian));
            assert_eq!(
                read(&transcoded),
                expected,
                "{relative}, little endian: {little_endian}"
            );
        }
        checked += 1;
    }
    assert!(checked > 30, "{checked} fixtures");
}

#[test]
fn a_large_utf16_export_is_surveyed_as_a_whole() {
    use mutual_import::synth::{Generator, write_whatsapp};
    let mut bytes = Vec::new();
    let mut generator = Generator::new(5, &["Sam", "Jo"], jiff::civil::date(2021, 3, 1).at(9, 0, 0, 0));
    write_whatsapp(&mut bytes, &mut generator, 80_000).expect("in memory");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let dir = tempfile::tempdir().expect("temp dir");
    let original = file(dir.path(), "chat.txt", text.as_bytes());
    let transcoded = file(dir.path(), "chat16.txt", &utf16(&text, true));
    // Large enough to be surveyed in parts when it is UTF-8.
    assert!(text.len() > 4 << 20);
    let expected = survey(&original, Format::WhatsApp, &options()).expect("surveys");
    let got = survey(&transcoded, Format::WhatsApp, &options()).expect("surveys");
    assert_eq!(got, expected);
    assert!(got.messages > 60_000);
}
