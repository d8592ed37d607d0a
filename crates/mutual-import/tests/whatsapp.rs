//! WhatsApp: every fixture, the layouts no fixture has, errors, and bytes
//! that must not panic the parser.

use mutual_import::Format;

use crate::common;

mod fixtures {
    use super::*;

    macro_rules! fixtures {
        ($($name:ident => $file:literal,)*) => {$(
            #[test]
            fn $name() {
                common::check(concat!("whatsapp/", $file), Format::WhatsApp);
            }
        )*};
    }

    fixtures! {
        chatistics_chat => "Chatistics___chat.txt",
        chatistics_chat_2 => "Chatistics___chat_2.txt",
        chatistics_chat_3 => "Chatistics___chat_3.txt",
        chatistics_chat_4 => "Chatistics___chat_4.txt",
        chat_miner_bracketed_mmddyy_24hrs => "chat-miner__test_bracketed_mmddyy_24hrs.txt",
        chat_miner_dateformat2 => "chat-miner__test_dateformat2.txt",
        chat_miner_dateformat3 => "chat-miner__test_dateformat3.txt",
        chat_miner_dateformat4 => "chat-miner__test_dateformat4.txt",
        chat_miner_dateformat5 => "chat-miner__test_dateformat5.txt",
        chat_miner_dateformat6 => "chat-miner__test_dateformat6.txt",
        chat_miner_ddmmyy_24hrs => "chat-miner__test_ddmmyy_24hrs.txt",
        chat_miner_mmddyy_24hrs => "chat-miner__test_mmddyy_24hrs.txt",
        chat_miner_mmddyyyy_12hrs => "chat-miner__test_mmddyyyy_12hrs.txt",
        chat_miner_unicode => "chat-miner__test_unicode.txt",
        chat_miner_yyyymmdd_24hrs => "chat-miner__test_yyyymmdd_24hrs.txt",
        chat_miner_testlog => "chat-miner__testlog.txt",
        rb_sample_mixed => "whatsapp-chat-parser-rb__sample_mixed.txt",
        pustur_short_chat => "whatsapp-chat-parser__short-chat.txt",
        nmoya_test_chat_2 => "whatsapp-parser__testChat2.txt",
    }
}

use std::io::Write;

use jiff::civil::{DateTime, date};
use mutual_import::{Collected, Input, OwnedMessage, Position, collect, detect};
use proptest::prelude::*;

/// Parses `text` as a WhatsApp export named `name`, checking detection.
fn parse_named(name: &str, text: &str) -> Collected {
    let input = Input::bytes(name, text.as_bytes().to_vec());
    assert_eq!(
        detect(&input).expect("detected"),
        Format::WhatsApp,
        "detected as WhatsApp"
    );
    collect(&input, Some(Format::WhatsApp), &common::options())
        .expect("parses")
        .1
}

fn parse(text: &str) -> Collected {
    parse_named("WhatsApp Chat with Sam.txt", text)
}

/// `local sender kind text` of each message, for compact assertions.
fn lines_of(messages: &[OwnedMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|m| format!("{} {} {} {}", m.local, m.sender, m.kind, m.text))
        .collect()
}

fn error_of(text: &[u8]) -> String {
    common::parse_bytes(Format::WhatsApp, "chat.txt", text)
        .expect_err("unreadable")
        .to_string()
}

#[test]
fn ios_twelve_hour_with_marks_and_non_contacts() {
    let got = parse(
        "[31/12/2024, 9:03:07 PM] Sam Lee: Messages and calls are end-to-end encrypted.\n\
         [31/12/2024, 9:03:07\u{202F}PM] Sam Lee: \u{200E}Messages and calls are end-to-end encrypted.\n\
         \u{200E}[31/12/2024, 9:04:00 PM] ~\u{202F}Alex: \u{200E}<attached: 00000012-PHOTO-2024-12-31-21-04-00.jpg>\n\
         [31/12/2024, 9:05:00 PM] ~ Alex: \u{200E}image omitted\n\
         [1/1/2025, 12:00:01 AM] \u{202A}+1 555 0100\u{202C}: happy new year\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2024-12-31T21:03:07 Sam Lee text Messages and calls are end-to-end encrypted.",
            "2024-12-31T21:03:07  system Messages and calls are end-to-end encrypted.",
            "2024-12-31T21:04:00 Alex media <attached: 00000012-PHOTO-2024-12-31-21-04-00.jpg>",
            "2024-12-31T21:05:00 Alex media image omitted",
            "2025-01-01T00:00:01 +1 555 0100 text happy new year",
        ]
    );
    assert!(got.messages.iter().all(|m| m.chat == "Sam" && !m.from_me));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn media_placeholders_in_several_languages() {
    let got = parse(
        "31/12/24, 21:00 - Sam: <Media omitted>\n\
         31/12/24, 21:01 - Sam: <Medien ausgeschlossen>\n\
         31/12/24, 21:02 - Sam: <Multimedia omitido>\n\
         31/12/24, 21:03 - Sam: <Mídia oculta>\n\
         31/12/24, 21:04 - Sam: <Médias omis>\n\
         31/12/24, 21:05 - Sam: <Media weggelaten>\n\
         31/12/24, 21:06 - Sam: <Media omessi>\n\
         31/12/24, 21:07 - Sam: IMG-20241231-WA0001.jpg (file attached)\n\
         look at this\n\
         31/12/24, 21:08 - Sam: <Media omitted> is what it says\n",
    );
    let kinds: Vec<&str> = got.messages.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            "media", "media", "media", "media", "media", "media", "media", "media", "text"
        ]
    );
    assert_eq!(
        got.messages[7].text,
        "IMG-20241231-WA0001.jpg (file attached)\nlook at this"
    );
}

#[test]
fn deleted_edited_and_calls() {
    let got = parse(
        "31/12/24, 21:00 - Sam: This message was deleted\n\
         31/12/24, 21:01 - Jo: You deleted this message\n\
         31/12/24, 21:02 - Sam: Se eliminó este mensaje.\n\
         31/12/24, 21:03 - Sam: Diese Nachricht wurde gelöscht.\n\
         31/12/24, 21:04 - Sam: see you at 8 <This message was edited>\n\
         31/12/24, 21:05 - Sam: Missed voice call\n\
         31/12/24, 21:06 - Jo: Video call\n\
         31/12/24, 21:07 - Sam: Video call later?\n\
         [31/12/24, 21:08:00] Sam: \u{200E}Missed video call, \u{200E}Tap to call back\n\
         [31/12/24, 21:09:00] Sam: line one\n\
         line two \u{200E}<This message was edited>\n",
    );
    let got: Vec<(&str, &str, bool)> = got
        .messages
        .iter()
        .map(|m| (m.kind, m.text.as_str(), m.edited))
        .collect();
    assert_eq!(
        got,
        [
            ("deleted", "This message was deleted", false),
            ("deleted", "You deleted this message", false),
            ("deleted", "Se eliminó este mensaje.", false),
            ("deleted", "Diese Nachricht wurde gelöscht.", false),
            ("text", "see you at 8", true),
            ("call", "Missed voice call", false),
            ("call", "Video call", false),
            ("text", "Video call later?", false),
            ("call", "Missed video call, \u{200E}Tap to call back", false),
            ("text", "line one\nline two", true),
        ]
    );
}

#[test]
fn system_lines_have_no_sender() {
    let got = parse(
        "31/12/24, 21:00 - Messages and calls are end-to-end encrypted. Tap to learn more.\n\
         31/12/24, 21:00 - Sam created group \"Trip\"\n\
         31/12/24, 21:01 - You were added\n\
         31/12/24, 21:02 - Your security code with Jo changed. Tap to learn more.\n\
         31/12/24, 21:03 - Sam: hi\n",
    );
    let kinds: Vec<(&str, &str)> = got.messages.iter().map(|m| (m.kind, m.sender.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("system", ""),
            ("system", ""),
            ("system", ""),
            ("system", ""),
            ("text", "Sam")
        ]
    );
}

#[test]
fn multi_line_messages_keep_inner_blank_lines_only() {
    let got = parse("31/12/24, 21:00 - Sam: one\n\ntwo\n\n\n31/12/24, 21:01 - Jo:\n\n  \nthree\n");
    let texts: Vec<&str> = got.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["one\n\ntwo", "three"]);
}

#[test]
fn bom_and_crlf() {
    let got = parse("\u{FEFF}31/12/24, 21:00 - Sam: one\r\nmore\r\n31/12/24, 21:01 - Jo: two\r\n");
    assert_eq!(
        lines_of(&got.messages),
        [
            "2024-12-31T21:00:00 Sam text one\nmore",
            "2024-12-31T21:01:00 Jo text two"
        ]
    );
}

#[test]
fn chat_names_from_file_names() {
    for (name, chat) in [
        ("WhatsApp Chat with Sam Lee.txt", "Sam Lee"),
        ("dir/WhatsApp Chat - Sam.txt", "Sam"),
        ("Chat de WhatsApp con Ana.txt", "Ana"),
        ("WhatsApp-Chat mit Jo.txt", "Jo"),
        ("Conversa do WhatsApp com Bia.txt", "Bia"),
        ("Discussion WhatsApp avec Léa.txt", "Léa"),
        ("WhatsApp-chat met Daan.txt", "Daan"),
        ("family.txt", "family"),
    ] {
        let got = parse_named(name, "31/12/24, 21:00 - Sam: hi\n");
        assert_eq!(got.messages[0].chat, chat, "{name}");
    }
}

#[test]
fn a_zip_shared_by_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("WhatsApp Chat - Sam.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("_chat.txt", options).unwrap();
    zip.write_all(
        "[31.12.24, 21:03:07] Sam: hi\n[31.12.24, 21:04:00] Jo: \u{200E}sticker omitted\n".as_bytes(),
    )
    .unwrap();
    zip.start_file("00000003-STICKER-2024-12-31-21-04-00.webp", options)
        .unwrap();
    zip.write_all(b"RIFF").unwrap();
    zip.finish().unwrap();

    let input = Input::file(&path).unwrap();
    let (format, got) = collect(&input, None, &common::options()).unwrap();
    assert_eq!(format, Format::WhatsApp);
    assert_eq!(
        lines_of(&got.messages),
        [
            "2024-12-31T21:03:07 Sam text hi",
            "2024-12-31T21:04:00 Jo media sticker omitted"
        ]
    );
    assert_eq!(got.messages[0].chat, "Sam");
}

#[test]
fn local_times_convert_in_the_given_zone() {
    let input = Input::bytes(
        "chat.txt",
        &b"31/03/24, 01:30 - Sam: before\n31/03/24, 03:30 - Sam: after\n"[..],
    );
    let options = mutual_import::Options {
        tz: jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
        ..Default::default()
    };
    let (_, got) = collect(&input, Some(Format::WhatsApp), &options).unwrap();
    let utc: Vec<String> = got.messages.iter().map(|m| m.utc.to_string()).collect();
    assert_eq!(utc, ["2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z"]);
}

#[test]
fn the_day_order_settles_late_in_a_file() {
    let mut text = String::new();
    for day in 1..=12 {
        text.push_str(&format!("{day}/3/24, 10:00 - Sam: day {day}\n"));
    }
    text.push_str("3/13/24, 10:00 - Sam: the thirteenth\n");
    let got = parse(&text);
    let days: Vec<String> = got.messages.iter().map(|m| m.local.date().to_string()).collect();
    assert_eq!(days[0], "2024-01-03");
    assert_eq!(days[11], "2024-12-03");
    assert_eq!(days[12], "2024-03-13");
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn files_that_never_settle_the_order_say_so() {
    // Runs forward either way: the guess for a 24-hour clock is day first.
    let got = parse("1/2/24, 10:00 - Sam: a\n1/3/24, 10:00 - Sam: b\n");
    assert_eq!(got.messages[1].local, date(2024, 3, 1).at(10, 0, 0, 0));
    assert_eq!(got.diagnostics.len(), 1);
    assert_eq!(got.diagnostics[0].at, Position::Whole);
    assert!(
        got.diagnostics[0].problem.ends_with("read as day/month/year"),
        "{}",
        got.diagnostics[0]
    );

    // English AM/PM: month first.
    let got = parse("1/2/24, 10:00 AM - Sam: a\n1/3/24, 10:00 AM - Sam: b\n");
    assert_eq!(got.messages[1].local, date(2024, 1, 3).at(10, 0, 0, 0));
    assert!(got.diagnostics[0].problem.ends_with("read as month/day/year"));

    // Only month first runs forward in time.
    let got = parse("6/3/24, 10:00 - Sam: a\n8/5/24, 10:00 - Sam: b\n9/4/24, 10:00 - Sam: c\n");
    assert_eq!(got.messages[2].local, date(2024, 9, 4).at(10, 0, 0, 0));
    assert!(got.diagnostics[0].problem.contains("run forward in time"));
}

#[test]
fn impossible_dates_continue_the_message_before() {
    let got = parse("31/12/24, 21:00 - Sam: one\n31/02/24, 21:01 - Jo: two\n");
    assert_eq!(got.messages.len(), 1);
    assert_eq!(got.messages[0].text, "one\n31/02/24, 21:01 - Jo: two");
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "line 2: the line starts like a message, but its date does not exist; it was kept as part of the message before"
        ]
    );
}

#[test]
fn lines_before_the_first_message_are_one_diagnostic() {
    let got = parse("some title\nsecret words\n31/12/24, 21:00 - Sam: one\n31/12/24, 21:01 - Jo: two\n");
    assert_eq!(got.messages.len(), 2);
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["line 1: lines 1-2 come before the first message and were skipped"]
    );
}

#[test]
fn layouts_that_are_whatsapp_and_one_that_is_not() {
    for text in [
        "2024/12/31, 21:03 - Sam: hi\n",
        "[31.12.24, 21:03:07] Sam: hi\n",
        "2024-12-31 21:03 - Sam: hi\n",
        "31/12/2012 21:03:07: Sam: hi\n",
    ] {
        let input = Input::bytes("chat.txt", text.as_bytes().to_vec());
        assert_eq!(detect(&input).unwrap(), Format::WhatsApp, "{text:?}");
    }
    // signal-export's text: left to the Signal parser.
    for text in ["[2022-08-10, 19:33] Sam: hi\n", "[2022-08-10 19:33:38] Sam: hi\n"] {
        assert!(!mutual_import::whatsapp::sniff(
            &Input::bytes("chat.txt", text.as_bytes().to_vec()),
            text.as_bytes()
        ));
    }
}

/// Parses `text` as WhatsApp with the day/month order given.
fn parse_in(order: mutual_import::DateOrder, text: &str) -> Collected {
    let input = Input::bytes("WhatsApp Chat with Sam.txt", text.as_bytes().to_vec());
    let options = mutual_import::Options {
        date_order: Some(order),
        ..common::options()
    };
    collect(&input, Some(Format::WhatsApp), &options)
        .expect("parses")
        .1
}

/// The twelve "formats" of whatsapp-chat-parser's tests/parser.test.ts
/// (Pustur), each a file of one line: the day and month it reads (3 June
/// or 13 June 2018), and ours.
#[test]
fn the_twelve_formats_of_whatsapp_chat_parser() {
    let june_3 = "2018-06-03T13:55:00";
    let june_13 = "2018-06-13T21:25:15";
    let cases = [
        ("3/6/18, 1:55 p.m. - a: m", june_3),
        // English PM, and no date that settles the order: read month first.
        ("03-06-2018, 01.55 PM - a: m", "2018-03-06T13:55:00"),
        ("13.06.18 21.25.15: a: m", june_13),
        ("[06.13.18 21:25:15] a: m", june_13),
        ("13.6.2018 klo 21.25.15 - a: m", june_13),
        ("13. 6. 2018. 21:25:15 a: m", june_13),
        ("[3/6/18 1:55:00 p. m.] a: m", june_3),
        ("\u{200E}[3/6/18 1:55:00 p. m.] a: m", june_3),
        ("[2018/06/13, 21:25:15] a: m", june_13),
        ("[06/2018/13, 21:25:15] a: m", june_13),
        ("3/6/2018 1:55 p.\u{a0}m. - a: m", june_3),
        ("3/6/18, 1:55\u{202F}PM - a: m", "2018-03-06T13:55:00"),
    ];
    for (line, local) in cases {
        let got = parse(&format!("{line}\n"));
        assert_eq!(lines_of(&got.messages), [format!("{local} a text m")], "{line:?}");
    }
    // Told the day comes first, the English ones read as that parser reads them.
    for line in ["03-06-2018, 01.55 PM - a: m", "3/6/18, 1:55\u{202F}PM - a: m"] {
        let got = parse_in(mutual_import::DateOrder::Dmy, &format!("{line}\n"));
        assert_eq!(
            lines_of(&got.messages),
            [format!("{june_3} a text m")],
            "{line:?}"
        );
        assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    }
}

/// Finnish exports write `klo` between date and time, and dots in the time
/// (whatsapp-chat-parser's tests, format 5).
#[test]
fn finnish_klo_and_dotted_times() {
    let got = parse(
        "13.6.2018 klo 21.25.15 - Sam: moi\n\
         13.6.2018 klo 21.26.02 - Jo: hei\n\
         mitä kuuluu?\n\
         14.6.2018 klo 8.05.00 - Sam: huomenta\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2018-06-13T21:25:15 Sam text moi",
            "2018-06-13T21:26:02 Jo text hei\nmitä kuuluu?",
            "2018-06-14T08:05:00 Sam text huomenta",
        ]
    );
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

/// Other languages write their own word in the same place: French `à`
/// (JBGruber/rwhatsapp#8); Portuguese `às`, Dutch `om` and German `um` are
/// named in issue 9 (no export of them was found).
#[test]
fn a_word_between_date_and_time_in_other_languages() {
    for (word, date) in [
        ("à", "26/09/2019"),
        ("às", "26/09/2019"),
        ("om", "26-09-2019"),
        ("um", "26.09.19"),
    ] {
        let got = parse(&format!(
            "{date} {word} 22:39 - Les messages envoyés dans cette discussion sont chiffrés.\n\
             {date} {word} 22:39 - XXX: Salut :)\n\
             {date} {word} 22:40 - AB: Salut XXX :)\n"
        ));
        assert_eq!(
            lines_of(&got.messages),
            [
                "2019-09-26T22:39:00  system Les messages envoyés dans cette discussion sont chiffrés.",
                "2019-09-26T22:39:00 XXX text Salut :)",
                "2019-09-26T22:40:00 AB text Salut XXX :)",
            ],
            "{word}"
        );
        assert!(got.diagnostics.is_empty(), "{word}: {:?}", got.diagnostics);
    }
}

/// Times with dots, with and without a meridiem: Indonesian exports
/// (mtln/chat-export#28) and whatsapp-chat-parser's format 2.
#[test]
fn dotted_times() {
    let got = parse("30/08/25 18.00 - Sam: halo\n30/08/25 18.05 - Jo: ya\n31/08/25 07.30 - Sam: pagi\n");
    assert_eq!(
        lines_of(&got.messages),
        [
            "2025-08-30T18:00:00 Sam text halo",
            "2025-08-30T18:05:00 Jo text ya",
            "2025-08-31T07:30:00 Sam text pagi",
        ]
    );
    let got = parse("13-06-2018, 01.55 PM - a: m\n14-06-2018, 11.05 AM - b: n\n");
    assert_eq!(
        lines_of(&got.messages),
        ["2018-06-13T13:55:00 a text m", "2018-06-14T11:05:00 b text n"]
    );
}

/// A colon right after the time: old exports (nmoya/whatsapp-parser#4)
/// and whatsapp-chat-parser's format 3, always with seconds.
#[test]
fn a_colon_after_the_time() {
    let got = parse(
        "13.06.18 21.25.15: Sam: hi: there\n\
         24/3/14, 13:59:59: Jo: hello\n\
         3/24/14, 1:59:59 PM: Kim: hey\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2018-06-13T21:25:15 Sam text hi: there",
            "2014-03-24T13:59:59 Jo text hello",
            "2014-03-24T13:59:59 Kim text hey",
        ]
    );
}

/// The year between month and day, as whatsapp-chat-parser's format 10
/// writes it: the other two settle their order as ever.
#[test]
fn the_year_in_the_middle() {
    let got = parse("[06/2018/12, 21:25:15] a: m\n[06/2018/13, 08:00:00] b: n\n");
    assert_eq!(
        lines_of(&got.messages),
        ["2018-06-12T21:25:15 a text m", "2018-06-13T08:00:00 b text n"]
    );
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

/// Year first with dashes or slashes and a lower-case meridiem: English
/// (Canada) and English (South Africa), dimagi/open-chat-studio#221.
#[test]
fn year_first_with_lower_case_meridiems() {
    let got = parse("2023-12-20, 5:46 p.m. - Farid: hi\n2023/12/20, 5:47 pm - Farid: again\n");
    assert_eq!(
        lines_of(&got.messages),
        [
            "2023-12-20T17:46:00 Farid text hi",
            "2023-12-20T17:47:00 Farid text again"
        ]
    );
    let survey = survey_of(&common::options(), "2023-12-20, 5:46 p.m. - Farid: hi\n");
    assert_eq!(survey.date_orders.len(), 1);
    assert_eq!(
        survey.date_orders[0].to_string(),
        "ymd (year/month/day): the year is written first"
    );
}

fn survey_of(options: &mutual_import::Options, text: &str) -> mutual_import::Survey {
    let input = Input::bytes("chat.txt", text.as_bytes().to_vec());
    mutual_import::survey(&input, Format::WhatsApp, options).expect("surveys")
}

#[test]
fn a_given_date_order_is_used_and_told() {
    use mutual_import::{DateOrder, DateOrderUsed, OrderReason};
    let text = "1/2/24, 10:00 - Sam: a\n1/3/24, 10:00 - Sam: b\n";
    let got = parse_in(DateOrder::Mdy, text);
    assert_eq!(
        lines_of(&got.messages),
        ["2024-01-02T10:00:00 Sam text a", "2024-01-03T10:00:00 Sam text b"]
    );
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    let given = DateOrderUsed {
        order: DateOrder::Mdy,
        reason: OrderReason::Given,
    };
    assert_eq!(got.date_orders, [given]);
    // Even where a date would settle it otherwise: that date does not exist.
    let got = parse_in(
        DateOrder::Mdy,
        "1/2/24, 10:00 - Sam: a\n13/2/24, 10:00 - Sam: b\n",
    );
    assert_eq!(got.messages.len(), 1);
    assert_eq!(
        got.diagnostics[0].to_string(),
        "line 2: the line starts like a message, but its date does not exist; it was kept as part of the message before"
    );
    // A two-digit year read first.
    let got = parse_in(DateOrder::Ymd, "24/01/02, 10:00 - Sam: a\n");
    assert_eq!(lines_of(&got.messages), ["2024-01-02T10:00:00 Sam text a"]);
    // A file none of whose dates exists in the given order is no export.
    let input = Input::bytes("chat.txt", &b"13/2/24, 10:00 - Sam: a\n"[..]);
    let options = mutual_import::Options {
        date_order: Some(DateOrder::Mdy),
        ..common::options()
    };
    let err = collect(&input, Some(Format::WhatsApp), &options).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no line is a WhatsApp message header with a date that exists"),
        "{err}"
    );
}

#[test]
fn the_survey_tells_which_date_order_and_why() {
    let told = |options: &mutual_import::Options, text: &str| -> Vec<String> {
        let survey = survey_of(options, text);
        survey.date_orders.iter().map(ToString::to_string).collect()
    };
    let options = common::options();
    assert_eq!(
        told(&options, "1/2/24, 10:00 - Sam: a\n25/12/24, 10:00 - Sam: b\n"),
        ["dmy (day/month/year), settled by the date 25/12/24 on line 2"]
    );
    assert_eq!(
        told(&options, "1/2/24, 10:00 - Sam: a\n1/3/24, 10:00 - Sam: b\n"),
        ["dmy (day/month/year): assumed, as no date settles it"]
    );
    assert_eq!(
        told(
            &options,
            "6/3/24, 10:00 - Sam: a\n8/5/24, 10:00 - Sam: b\n9/4/24, 10:00 - Sam: c\n"
        ),
        ["mdy (month/day/year): no date settles it, and the dates only run forward in time when read so"]
    );
    let given = mutual_import::Options {
        date_order: Some(mutual_import::DateOrder::Dmy),
        ..common::options()
    };
    assert_eq!(
        told(&given, "1/2/24, 10:00 - Sam: a\n"),
        ["dmy (day/month/year), as given"]
    );
    // Exports joined together: each layout tells its own, once.
    assert_eq!(
        told(
            &options,
            "1/2/24, 10:00 - Sam: a\n\
             [12.31.24, 09:00:00] Jo: b\n\
             2/2/24, 10:00 - Sam: c\n\
             13/2/24, 10:00 - Sam: d\n"
        ),
        [
            "dmy (day/month/year), settled by the date 13/2/24 on line 4",
            "mdy (month/day/year), settled by the date 12.31.24 on line 2",
        ]
    );
}

#[test]
fn errors_name_what_was_wrong() {
    let err = error_of(b"just some notes\nand more\n");
    assert!(err.starts_with("no line starts with a WhatsApp date and time; expected WhatsApp lines like '31/12/24, 21:03 - Name: text'"), "{err}");

    let err = error_of(b"31/12/24, 21:00 - Sam: one\n31/12/24, 21:01 - Jo: caf\xe9\n");
    assert!(
        err.starts_with("line 2: byte 26 of the line is not UTF-8 text"),
        "{err}"
    );

    let err = error_of(b"31/02/24, 21:00 - Sam: one\n");
    assert!(
        err.starts_with("no line is a WhatsApp message header with a date that exists"),
        "{err}"
    );
}

/// How a datetime is written in one layout.
type Layout = fn(DateTime) -> String;

fn twelve(dt: DateTime) -> (i8, &'static str) {
    let h = dt.hour() % 12;
    (
        if h == 0 { 12 } else { h },
        if dt.hour() < 12 { "AM" } else { "PM" },
    )
}

const LAYOUTS: [(Layout, bool, bool); 15] = [
    // (layout, two-digit year, seconds written)
    (
        |t| {
            format!(
                "{}/{}/{:02}, {:02}:{:02} - ",
                t.day(),
                t.month(),
                t.year() % 100,
                t.hour(),
                t.minute()
            )
        },
        true,
        false,
    ),
    (
        |t| {
            let (h, m) = twelve(t);
            format!(
                "{}/{}/{:02}, {h}:{:02} {m} - ",
                t.month(),
                t.day(),
                t.year() % 100,
                t.minute()
            )
        },
        true,
        false,
    ),
    (
        |t| {
            format!(
                "[{:02}.{:02}.{:02}, {:02}:{:02}:{:02}] ",
                t.day(),
                t.month(),
                t.year() % 100,
                t.hour(),
                t.minute(),
                t.second()
            )
        },
        true,
        true,
    ),
    (
        |t| {
            let (h, m) = twelve(t);
            format!(
                "[{}/{}/{:02}, {h}:{:02}:{:02}\u{202F}{m}] ",
                t.month(),
                t.day(),
                t.year() % 100,
                t.minute(),
                t.second()
            )
        },
        true,
        true,
    ),
    (
        |t| {
            format!(
                "{}-{:02}-{:02} {:02}:{:02} - ",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            )
        },
        false,
        false,
    ),
    (
        |t| {
            let (h, _) = twelve(t);
            let m = if t.hour() < 12 { "a. m." } else { "p.\u{a0}m." };
            format!(
                "{}/{}/{}, {h}:{:02} {m} - ",
                t.day(),
                t.month(),
                t.year(),
                t.minute()
            )
        },
        false,
        false,
    ),
    (
        |t| {
            format!(
                "{:02}/{:02}/{} {:02}:{:02}:{:02}: ",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute(),
                t.second()
            )
        },
        false,
        true,
    ),
    (
        |t| {
            format!(
                "{:02}.{:02}.{}, {:02}:{:02} - ",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute()
            )
        },
        false,
        false,
    ),
    (
        |t| {
            let (h, m) = twelve(t);
            format!(
                "{:02}/{:02}/{:02}, {h}:{:02}:{:02} {} \u{2013} ",
                t.month(),
                t.day(),
                t.year() % 100,
                t.minute(),
                t.second(),
                m.to_lowercase()
            )
        },
        true,
        true,
    ),
    (
        |t| {
            let (h, _) = twelve(t);
            let m = if t.hour() < 12 { "오전" } else { "오후" };
            format!(
                "{}. {}. {}. {m} {h}:{:02} - ",
                t.year(),
                t.month(),
                t.day(),
                t.minute()
            )
        },
        false,
        false,
    ),
    // Finnish: a word, dotted times (whatsapp-chat-parser's format 5).
    (
        |t| {
            format!(
                "{}.{}.{} klo {}.{:02}.{:02} - ",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute(),
                t.second()
            )
        },
        false,
        true,
    ),
    // A colon after a dotted time (format 3).
    (
        |t| {
            format!(
                "{:02}.{:02}.{:02} {:02}.{:02}.{:02}: ",
                t.day(),
                t.month(),
                t.year() % 100,
                t.hour(),
                t.minute(),
                t.second()
            )
        },
        true,
        true,
    ),
    // The year in the middle (format 10).
    (
        |t| {
            format!(
                "[{:02}/{}/{:02}, {:02}:{:02}:{:02}] ",
                t.month(),
                t.year(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        },
        false,
        true,
    ),
    // French `à` (JBGruber/rwhatsapp#8).
    (
        |t| {
            format!(
                "{:02}/{:02}/{} à {:02}:{:02} - ",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute()
            )
        },
        false,
        false,
    ),
    // A dotted 12-hour time (format 2).
    (
        |t| {
            let (h, m) = twelve(t);
            format!(
                "{:02}-{:02}-{}, {h:02}.{:02} {m} - ",
                t.day(),
                t.month(),
                t.year(),
                t.minute()
            )
        },
        false,
        false,
    ),
];

proptest! {
    #[test]
    fn dates_round_trip_in_every_layout(
        layout in 0..LAYOUTS.len(),
        days in 0i64..36_000,
        seconds in 0i64..86_400,
    ) {
        let (write, two_digit_year, with_seconds) = LAYOUTS[layout];
        let first = if two_digit_year { date(2000, 1, 1) } else { date(1971, 1, 1) };
        let span = if two_digit_year { 25_000 } else { 36_000 };
        let day = first.checked_add(jiff::Span::new().days(days % span)).unwrap();
        let seconds = if with_seconds { seconds } else { seconds / 60 * 60 };
        let t = day.at(0, 0, 0, 0).checked_add(jiff::Span::new().seconds(seconds)).unwrap();
        // A first message on the 25th settles the day/month order; the
        // second is the one checked.
        let settle = date(first.year(), 1, 25).at(12, 0, 0, 0);
        let text = format!("{}Sam: settle\n{}Sam Lee: hi\n", write(settle), write(t));
        let got = common::parse_bytes(Format::WhatsApp, "chat.txt", text.as_bytes()).unwrap();
        prop_assert_eq!(got.messages.len(), 2, "{}", text);
        prop_assert_eq!(got.messages[1].local, t, "{}", text);
        prop_assert_eq!(got.messages[1].sender.as_str(), "Sam Lee");
        prop_assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = common::parse_bytes(Format::WhatsApp, "chat.txt", &bytes);
    }

    #[test]
    fn header_like_noise_never_panics(
        lines in proptest::collection::vec("\u{200E}?\\[?[0-9]{1,4}[./-][0-9 ]{1,4}[./-][0-9]{1,5}[,.]? (klo |à |at )?[0-9]{1,3}[:.][0-9]{1,3}([:.][0-9]{2})?( ?[aApP]\\.? ?[mM]\\.?)?\\.?(\\] | - |: | )[~ a-z:]{0,12}", 0..30),
    ) {
        let _ = common::parse_bytes(Format::WhatsApp, "chat.txt", lines.join("\n").as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        fixture in 0usize..4,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    ) {
        let name = [
            "whatsapp/chat-miner__testlog.txt",
            "whatsapp/Chatistics___chat.txt",
            "whatsapp/whatsapp-chat-parser-rb__sample_mixed.txt",
            "whatsapp/chat-miner__test_unicode.txt",
        ][fixture];
        let mut bytes = std::fs::read(common::fixture(name)).unwrap();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            match byte % 3 {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        let _ = common::parse_bytes(Format::WhatsApp, "chat.txt", &bytes);
    }
}

/// A chat whose first message goes on for `mib` MiB of lines, then a
/// second message.
fn one_long_message(mib: usize) -> String {
    let mut text = String::from("31/12/24, 21:03 - Sam: start\n");
    let line = "more words of a very long message \u{1F642}\n";
    while text.len() < mib << 20 {
        text.push_str(line);
    }
    text.push_str("31/12/24, 21:05 - Jo: after\n");
    text
}

#[test]
fn a_message_of_many_mebibytes_is_cut_and_the_next_one_read() {
    let text = one_long_message(24);
    let got = parse(&text);
    let [long, after] = got.messages.as_slice() else {
        panic!("two messages, got {}", got.messages.len())
    };
    assert!(long.text.len() <= mutual_import::MAX_MESSAGE_BYTES);
    assert!(long.text.len() > mutual_import::MAX_MESSAGE_BYTES - 64);
    assert!(
        long.text
            .starts_with("start\nmore words of a very long message \u{1F642}\nmore")
    );
    assert_eq!((long.sender.as_str(), long.kind), ("Sam", "text"));
    assert_eq!(
        (
            after.sender.as_str(),
            after.text.as_str(),
            after.local.to_string().as_str()
        ),
        ("Jo", "after", "2024-12-31T21:05:00")
    );
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["line 1: a message of 24 MiB was cut to its first 256 KiB"]
    );
}

#[test]
fn one_line_longer_than_a_message_may_be_is_cut_too() {
    let text = format!(
        "[31/12/24, 21:03:00] Sam: {}\n[31/12/24, 21:04:00] Jo: ok\n",
        "é".repeat(700_000)
    );
    let got = parse(&text);
    assert_eq!(got.messages.len(), 2);
    assert_eq!(got.messages[0].text.len(), mutual_import::MAX_MESSAGE_BYTES);
    assert_eq!(got.messages[1].text, "ok");
    assert_eq!(
        got.diagnostics[0].to_string(),
        "line 1: a message of 1 MiB was cut to its first 256 KiB"
    );
}

#[test]
fn the_survey_of_a_long_message_is_bounded_alike() {
    let text = one_long_message(12);
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), &text).expect("write");
    let input = Input::file(file.path()).expect("opens");
    // Large enough to be surveyed in parts (more than 4 MiB).
    let surveyed = mutual_import::survey(&input, Format::WhatsApp, &common::options()).expect("surveys");
    let mut whole = mutual_import::Survey::default();
    Format::WhatsApp
        .parse(&input, &common::options(), &mut whole)
        .expect("parses");
    assert_eq!(surveyed, whole);
    assert_eq!((surveyed.messages, surveyed.senders.len()), (2, 2));
    let diagnostics: Vec<String> = surveyed.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["line 1: a message of 12 MiB was cut to its first 256 KiB"]
    );
}
