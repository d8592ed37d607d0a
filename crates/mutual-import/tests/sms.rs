//! SMS Backup & Restore XML: every fixture snapshotted, then the cases that
//! matter named one by one.

use mutual_import::{Format, Input, Position, sms};
use proptest::prelude::*;

use crate::common::{check, fixture, parse_bytes, parse_fixture};

const DIR: &str = "sms-backup-restore";

#[test]
fn fixtures() {
    for name in [
        "sms-backup-reader-2__corrupt_attachments.xml",
        "sms-backup-reader-2__empty.xml",
        "sms-backup-reader-2__sample_mms.xml",
        "sms-backup-reader-2__sms_and_mms.xml",
        "sms-backup-reader-2__sms_small.xml",
        "sms-backup-restore-parser__edge_cases.xml",
        "sms-backup-restore-parser__malformed.xml",
        "sms-backup-restore-parser__minimal_calls.xml",
        "sms-backup-restore-parser__minimal_mms.xml",
        "sms-backup-restore-parser__minimal_sms.xml",
        "sms-backup-restore-parser__mixed.xml",
    ] {
        check(&format!("{DIR}/{name}"), Format::Sms);
    }
}

fn backup(records: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n{records}\n</smses>\n"
    )
    .into_bytes()
}

#[test]
fn surrogate_pair_references_become_emoji() {
    let xml = backup(
        r#"<sms address="+15550001" date="1609459200000" type="1" body="smile &#55357;&#56832; &#x1F30D;&#10;two&#55357;" contact_name="null" />"#,
    );
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    let [m] = got.messages.as_slice() else {
        panic!("one message: {got:?}")
    };
    assert_eq!(m.text, "smile \u{1F600} \u{1F30D}\ntwo\u{FFFD}");
    // contact_name "null" means there is none: the address names the chat.
    assert_eq!((m.chat.as_str(), m.sender.as_str()), ("+15550001", "+15550001"));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn group_mms_is_named_by_its_sorted_addresses_and_sent_by_addr_137() {
    let xml = backup(
        r#"<mms date="1721334048000" msg_box="1" address="+15550000013~+15550000009~+15550000012" contact_name="A, B, C">
             <parts><part ct="application/smil" text="&lt;smil/&gt;" /><part ct="text/plain" text="hello all" /></parts>
             <addrs><addr address="+15550000012" type="137" /><addr address="+15550000007" type="151" /></addrs>
           </mms>
           <mms date="1721334049000" msg_box="2" address="+15550000009~+15550000012~+15550000013" contact_name="A, B, C">
             <parts><part ct="image/jpeg" text="null" data="AAAA" /></parts>
           </mms>"#,
    );
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    let group = "+15550000009~+15550000012~+15550000013";
    let summary: Vec<_> = got
        .messages
        .iter()
        .map(|m| {
            (
                m.chat.as_str(),
                m.sender.as_str(),
                m.from_me,
                m.kind,
                m.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (group, "+15550000012", false, "text", "hello all"),
            (group, "", true, "media", "image/jpeg"),
        ]
    );
}

#[test]
fn the_fixture_rcs_group_names_each_sender_by_address() {
    // Its contact_name is "(Unknown)": the group's address names the chat.
    let got = parse_fixture(
        &format!("{DIR}/sms-backup-reader-2__sms_and_mms.xml"),
        Format::Sms,
    );
    let rcs = got
        .messages
        .iter()
        .filter(|m| m.chat == "group_8@rcs.google.com")
        .map(|m| (m.sender.as_str(), m.from_me))
        .collect::<Vec<_>>();
    assert_eq!(
        rcs,
        [("+15550000009", false), ("", true), ("+15550000010", false)]
    );
}

#[test]
fn a_call_log_gives_calls_in_both_directions() {
    let xml = br#"<?xml version="1.0"?>
<calls count="4">
  <call number="+15551234567" duration="125" date="1609632000000" type="1" contact_name="Alice Smith" />
  <call number="+15551234567" duration="30" date="1609632100000" type="2" contact_name="Alice Smith" />
  <call number="+15557654321" duration="0" date="1609632200000" type="3" contact_name="(Unknown)" />
  <call number="+15557654321" duration="0" date="1609632300000" type="99" />
</calls>"#;
    let got = parse_bytes(Format::Sms, "calls.xml", xml).expect("parses");
    let summary: Vec<_> = got
        .messages
        .iter()
        .map(|m| {
            (
                m.chat.as_str(),
                m.sender.as_str(),
                m.from_me,
                m.kind,
                m.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Alice Smith",
                "Alice Smith",
                false,
                "call",
                "incoming call (125 s)"
            ),
            ("Alice Smith", "", true, "call", "outgoing call (30 s)"),
            ("+15557654321", "+15557654321", false, "call", "missed call"),
        ]
    );
    assert_eq!(
        got.diagnostics[0].to_string(),
        "byte 352: <call> record 4: `type` is not a known call type (1 to 7); skipped"
    );
}

#[test]
fn a_truncated_backup_keeps_every_complete_record() {
    let path = format!("{DIR}/sms-backup-reader-2__sms_and_mms.xml");
    let got = parse_fixture(&path, Format::Sms);
    // 41 sms and 8 of the 9 mms: the last one is cut off inside <parts>.
    assert_eq!(got.messages.len(), 49);
    let size = std::fs::metadata(fixture(&path)).expect("fixture").len();
    let ends = &got.diagnostics[0];
    assert_eq!(ends.at, Position::Offset(size));
    assert!(
        ends.problem
            .starts_with("the file ends inside the <mms> record that starts at byte "),
        "{ends}"
    );
}

#[test]
fn a_backup_cut_off_inside_a_tag_keeps_the_records_before_it() {
    let mut xml = backup(r#"<sms address="+1" date="1609459200000" type="1" body="one" />"#);
    xml.truncate(xml.len() - "\n</smses>\n".len());
    xml.extend_from_slice(br#"<sms address="+1" date="16094"#);
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    assert_eq!(got.messages.len(), 1);
    let problem = got.diagnostics[0].to_string();
    // quick-xml reports the error just before the `<` of the unclosed tag.
    assert_eq!(
        problem,
        "byte 136: the XML breaks off here (syntax error: tag not closed: `>` not found before end of input); \
         the rest of the file is skipped"
    );
}

#[test]
fn the_malformed_fixture_gives_diagnostics_not_an_error() {
    // An `<sms` whose tag runs into a comment and is never closed, then the
    // end of the file: the backup is recognisable, so this is a diagnostic
    // naming both bytes, with no messages, rather than an error.
    let got = parse_fixture(
        &format!("{DIR}/sms-backup-restore-parser__malformed.xml"),
        Format::Sms,
    );
    assert!(got.messages.is_empty());
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "byte 183: the file ends inside the <sms> record that starts at byte 59 (expected </sms>); \
          that record is skipped"
        ]
    );
}

#[test]
fn a_bad_date_skips_the_record_and_says_where() {
    let xml = backup(
        r#"<sms address="+1" date="bad" type="1" body="x" />
<sms address="+1" date="99999999999999999" type="1" body="x" />
<sms address="+1" date="1609459200000" type="7" body="x" />
<sms address="+1" date="1609459200000" type="3" body="draft" />
<sms address="+1" date="1609459200000" type="2" body="ok" />"#,
    );
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    assert_eq!(got.messages.len(), 1);
    assert!(got.messages[0].from_me);
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "byte 75: <sms> record 1: `date` is not a time in milliseconds; skipped",
            "byte 125: <sms> record 2: `date` is out of range; skipped",
            "byte 189: <sms> record 3: `type` is not a known message box (1 to 6); skipped",
            "skipped 1 draft(s): messages never sent",
            "the backup says it holds 1 records, but 5 were found",
        ]
    );
}

#[test]
fn input_that_is_not_a_backup_is_an_error_naming_the_byte() {
    let err = parse_bytes(
        Format::Sms,
        "x.xml",
        b"<?xml version='1.0'?>\n<html><body/></html>",
    )
    .expect_err("not a backup");
    assert_eq!(
        err.to_string(),
        "byte 22: the first element is not <smses> or <calls>; expected an SMS Backup & Restore XML \
         backup (<smses> with <sms>/<mms>, or <calls> with <call>)"
    );
    let err = parse_bytes(Format::Sms, "x.xml", b"just text").expect_err("not XML");
    assert!(
        err.to_string()
            .starts_with("byte 9: there is no <smses> or <calls> element"),
        "{err}"
    );
    let err = parse_bytes(Format::Sms, "x.xml", b"<smses <<").expect_err("broken XML");
    assert!(err.to_string().starts_with("byte "), "{err}");
}

#[test]
fn only_backups_are_sniffed() {
    assert_sniff_claims(sms::sniff, |path| path.starts_with(DIR));
}

/// Asserts that `sniff` claims exactly the fixtures that `claims` names,
/// among the fixtures of every format. Shared by the imessage and signal tests.
pub(crate) fn assert_sniff_claims(sniff: impl Fn(&Input, &[u8]) -> bool, claims: impl Fn(&str) -> bool) {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(fixture("")).expect("fixtures") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("fixture dir") {
            files.push(file.expect("entry").path());
        }
    }
    assert!(files.len() > 40, "all fixtures found");
    for path in files {
        let relative = path
            .strip_prefix(fixture(""))
            .expect("under the fixtures")
            .to_string_lossy()
            .replace('\\', "/");
        let input = Input::file(&path).expect("fixture opens");
        let head = input.head(mutual_import::detect::HEAD).expect("fixture reads");
        assert_eq!(sniff(&input, &head), claims(&relative), "{relative}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_bytes(Format::Sms, "sms.xml", &bytes);
        let _ = sms::sniff(&Input::bytes("sms.xml", bytes.clone()), &bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = [
            "sms-backup-reader-2__sms_small.xml",
            "sms-backup-restore-parser__minimal_mms.xml",
            "sms-backup-restore-parser__edge_cases.xml",
        ][which];
        let mut bytes = std::fs::read(fixture(&format!("{DIR}/{name}"))).expect("fixture");
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = parse_bytes(Format::Sms, name, &bytes);
    }
}

#[test]
fn conversations_are_told_apart_by_their_normalised_addresses() {
    let xml = backup(
        r#"<sms address="+1 555-000-0003" date="1609459200000" type="1" body="one" contact_name="Contact B" />
           <sms address="+15550000005" date="1609459201000" type="2" body="two" contact_name="Contact B" />
           <sms address="001 (555) 000-0003" date="1609459202000" type="2" body="three" contact_name="Contact B" />
           <mms date="1609459203000" msg_box="2" address="+1 555 000 0009~+15550000003" contact_name="A, B">
             <parts><part ct="text/plain" text="group" /></parts>
           </mms>
           <sms address="null" date="1609459204000" type="1" body="four" contact_name="Nobody" />"#,
    );
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    let ids: Vec<(&str, Option<&str>)> = got
        .messages
        .iter()
        .map(|m| (m.chat.as_str(), m.chat_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("Contact B", Some("+15550000003")),
            ("Contact B", Some("+15550000005")),
            ("Contact B", Some("+15550000003")),
            ("+1 555 000 0009~+15550000003", Some("+15550000003~+15550000009")),
            ("Nobody", None),
        ]
    );
    // The fixture has two contacts named "Contact B".
    let got = parse_fixture(
        "sms-backup-restore/sms-backup-reader-2__sms_and_mms.xml",
        Format::Sms,
    );
    let mut contact_b: Vec<&str> = got
        .messages
        .iter()
        .filter(|m| m.chat == "Contact B")
        .filter_map(|m| m.chat_id.as_deref())
        .collect();
    contact_b.sort_unstable();
    contact_b.dedup();
    assert_eq!(contact_b, ["+15550000003", "+15550000005"]);
}

#[test]
fn a_backup_with_a_doctype_is_detected_and_read() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE smses [
  <!ELEMENT smses (sms*)>
  <!ATTLIST smses count CDATA #IMPLIED>
  <!-- records: <sms> -->
]>
<!-- File Created By SMS Backup & Restore v10.05.602 -->
<?xml-stylesheet type="text/xsl" href="sms.xsl"?>
<smses count="1">
  <sms address="+15550001" date="1609459200000" type="1" body="hi" contact_name="Sam" />
</smses>
"#;
    let input = Input::bytes("sms-20240101.xml", xml.to_vec());
    let (format, got) =
        mutual_import::collect(&input, None, &crate::common::options()).expect("detected and read");
    assert_eq!(format, Format::Sms);
    let [m] = got.messages.as_slice() else {
        panic!("one message: {got:?}")
    };
    assert_eq!((m.chat.as_str(), m.text.as_str()), ("Sam", "hi"));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn texts_and_files_of_tens_of_mebibytes_are_cut_and_the_next_record_read() {
    let max = mutual_import::MAX_MESSAGE_BYTES;
    // Emoji as the app writes them: each half of the pair a reference.
    let body = "&#55357;&#56832; caf\u{e9} &amp; ".repeat(1 << 20);
    let text = "a long part ".repeat(2 << 20);
    let data = "QUJD".repeat(5 << 20);
    let xml = backup(&format!(
        r#"<sms address="+15550001" date="1609459200000" type="1" body="{body}" contact_name="Sam" />
           <mms date="1609459201000" msg_box="2" address="+15550001" contact_name="Sam">
             <parts><part ct="image/jpeg" data="{data}" /><part ct="text/plain" text="{text}" /></parts>
           </mms>
           <sms address="+15550001" date="never" type="1" body="x" contact_name="Sam" />
           <sms address="+15550001" date="1609459203000" type="2" body="after" contact_name="Sam" />"#
    ));
    let got = parse_bytes(Format::Sms, "sms.xml", &xml).expect("parses");
    let [body, parts, after] = got.messages.as_slice() else {
        panic!("three messages, got {}", got.messages.len())
    };
    // What is kept of references as written decodes to less than the limit.
    assert!(
        body.text.len() <= max && body.text.len() > max * 3 / 4,
        "{}",
        body.text.len()
    );
    assert!(body.text.starts_with("\u{1F600} caf\u{e9} & \u{1F600}"));
    assert_eq!(parts.text.len(), max);
    assert!(parts.text.starts_with("a long part a long part"));
    assert_eq!(after.text, "after");
    assert!(!got.messages[0].text.contains('\u{FFFD}'));
    // Positions are the file's, past the bytes left out.
    let xml = String::from_utf8(xml).expect("UTF-8");
    let at = |needle: &str| xml.find(needle).expect("in the file");
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            // As written: its references take more bytes than their text.
            format!(
                "byte {}: a message of 29 MiB was cut to its first 256 KiB",
                at("<sms ")
            ),
            format!(
                "byte {}: a message of 24 MiB was cut to its first 256 KiB",
                at("<mms ")
            ),
            format!(
                "byte {}: <sms> record 3: `date` is not a time in milliseconds; skipped",
                at(r#"<sms address="+15550001" date="never""#)
            ),
            "the backup says it holds 1 records, but 4 were found".to_owned(),
        ]
    );
}
