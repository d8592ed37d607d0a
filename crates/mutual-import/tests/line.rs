//! LINE: the fixture, the English and Japanese layouts no fixture has,
//! quoted multi-line messages, errors, and bytes that must not panic.

use mutual_import::{
    Collected, DateOrder, DateOrderUsed, Format, Input, OrderReason, OwnedMessage, Position, collect, detect,
};
use proptest::prelude::*;

use crate::common;

#[test]
fn fixture_zh_tw() {
    common::check("line/Line-analytics__chat_zh_tw.txt", Format::Line);
}

fn parse(text: &str) -> Collected {
    let input = Input::bytes("chat.txt", text.as_bytes().to_vec());
    assert_eq!(
        detect(&input).expect("detected"),
        Format::Line,
        "detected as LINE"
    );
    collect(&input, Some(Format::Line), &common::options())
        .expect("parses")
        .1
}

/// `local sender kind text` of each message, for compact assertions.
fn lines_of(messages: &[OwnedMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|m| format!("{} {} {} {}", m.local, m.sender, m.kind, m.text))
        .collect()
}

#[test]
fn english_export_with_weekdays_and_a_month_first_date() {
    let got = parse(
        "[LINE] Chat history with Jordan Lee\nSaved on: 9/26/2026, 11:00\n\nFri, 9/25/2026\n\
         21:03\tJordan Lee\tsee you at 8?\n21:04\tSam\t[Photo]\n21:05\tJordan Lee unsent a message.\n\
         21:06\tSam\t☎ Missed call\n\nSat, 9/26/2026\n08:00\tJordan Lee\tmorning\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2026-09-25T21:03:00 Jordan Lee text see you at 8?",
            "2026-09-25T21:04:00 Sam media [Photo]",
            "2026-09-25T21:05:00 Jordan Lee deleted Jordan Lee unsent a message.",
            "2026-09-25T21:06:00 Sam call ☎ Missed call",
            "2026-09-26T08:00:00 Jordan Lee text morning",
        ]
    );
    assert!(got.messages.iter().all(|m| m.chat == "Jordan Lee"));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn japanese_export_with_a_weekday_in_parentheses() {
    let got = parse(
        "[LINE] Jordanとのトーク履歴\n保存日時：2021/01/01 10:00\n\n2020/12/31(木)\n\
         23:59\tJordan\t[スタンプ]\n23:59\tJordan\tよいお年を\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2020-12-31T23:59:00 Jordan media [スタンプ]",
            "2020-12-31T23:59:00 Jordan text よいお年を",
        ]
    );
    assert_eq!(got.messages[0].chat, "Jordan");
}

#[test]
fn dotted_days_and_twelve_hour_times() {
    let got = parse(
        "[LINE] Chat history with Sam\n\n2026.01.15 Thursday\n9:30 PM\tSam\thi\n9:31PM\tJordan\thello\n\
         12:05 AM\tSam\tlate\n",
    );
    assert_eq!(
        lines_of(&got.messages),
        [
            "2026-01-15T21:30:00 Sam text hi",
            "2026-01-15T21:31:00 Jordan text hello",
            "2026-01-15T00:05:00 Sam text late",
        ]
    );
}

#[test]
fn quoted_messages_span_lines() {
    let got = parse(
        "[LINE] Chat history with Sam\n\n2020/12/31(Thu)\n21:03\tSam\t\"line one\n\n2020/12/31\nsaid \"\"hi\"\"\"\n\
         21:04\tJordan\t\"not closed\n21:05\tSam\t\"quoted\" on one line\n",
    );
    let texts: Vec<&str> = got.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "line one\n\n2020/12/31\nsaid \"hi\"",
            "\"not closed",
            "\"quoted\" on one line"
        ]
    );
}

#[test]
fn system_lines_have_no_name() {
    let got = parse("[LINE] Family\n\n2020/12/31(Thu)\n21:03\tJordan joined the group.\n21:04\tSam\thi\n");
    assert_eq!(got.messages[0].kind, "system");
    assert_eq!(got.messages[0].sender, "");
    assert_eq!(got.messages[0].chat, "Family");
    assert_eq!(got.messages[1].kind, "text");
}

#[test]
fn a_day_order_settled_late_and_one_never_settled() {
    let got = parse(
        "[LINE] Chat history with Sam\n\n3/4/2026\n10:00\tSam\ta\n\n3/5/2026\n10:00\tSam\tb\n\n3/25/2026\n10:00\tSam\tc\n",
    );
    let days: Vec<String> = got.messages.iter().map(|m| m.local.date().to_string()).collect();
    assert_eq!(days, ["2026-03-04", "2026-03-05", "2026-03-25"]);
    assert!(got.diagnostics.is_empty());

    let got = parse("[LINE] Chat history with Sam\n\n3/4/2026\n10:00\tSam\ta\n\n5/4/2026\n10:00\tSam\tb\n");
    let days: Vec<String> = got.messages.iter().map(|m| m.local.date().to_string()).collect();
    assert_eq!(days, ["2026-04-03", "2026-04-05"]);
    assert_eq!(got.diagnostics.len(), 1);
    assert_eq!(got.diagnostics[0].at, Position::Whole);
    assert!(
        got.diagnostics[0].problem.contains("day/month/year"),
        "{}",
        got.diagnostics[0]
    );
}

#[test]
fn weekdays_settle_the_day_order() {
    // 10 July 2019 was a Wednesday: the weekday says the day comes first.
    let got = parse("[LINE] แชทกับ Sam\n\nWed, 10/07/2562 BE\n10:00\tSam\ta\n");
    assert_eq!(got.messages[0].local.date().to_string(), "2019-07-10");
    assert!(got.diagnostics.is_empty());
    let got = parse("[LINE] Chat history with Sam\n\nSat, 10/5/2019\n10:00\tSam\ta\n");
    assert_eq!(got.messages[0].local.date().to_string(), "2019-10-05");
}

/// Parses `text` as LINE with the day/month order given.
fn parse_in(order: DateOrder, text: &str) -> Collected {
    let input = Input::bytes("chat.txt", text.as_bytes().to_vec());
    let options = mutual_import::Options {
        date_order: Some(order),
        ..common::options()
    };
    collect(&input, Some(Format::Line), &options).expect("parses").1
}

#[test]
fn the_day_order_is_told_and_may_be_given() {
    let used = |order, reason| DateOrderUsed { order, reason };
    let unsettled = "[LINE] Chat history with Sam\n\n3/4/2026\n10:00\tSam\ta\n\n5/4/2026\n10:00\tSam\tb\n";
    let got = parse(unsettled);
    assert_eq!(got.date_orders, [used(DateOrder::Dmy, OrderReason::Assumed)]);

    // Given, it is used without a word of doubt.
    let got = parse_in(DateOrder::Mdy, unsettled);
    let days: Vec<String> = got.messages.iter().map(|m| m.local.date().to_string()).collect();
    assert_eq!(days, ["2026-03-04", "2026-05-04"]);
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    assert_eq!(got.date_orders, [used(DateOrder::Mdy, OrderReason::Given)]);

    // Settled by the date on line 9, or by a weekday on line 3.
    let got = parse(
        "[LINE] Chat history with Sam\n\n3/4/2026\n10:00\tSam\ta\n\n3/5/2026\n10:00\tSam\tb\n\n3/25/2026\n10:00\tSam\tc\n",
    );
    assert_eq!(
        got.date_orders
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["mdy (month/day/year), settled by the date 3/25/2026 on line 9"]
    );
    let got = parse("[LINE] Chat history with Sam\n\nSat, 10/5/2019\n10:00\tSam\ta\n");
    assert!(matches!(
        got.date_orders[..],
        [DateOrderUsed {
            order: DateOrder::Mdy,
            reason: OrderReason::Weekday { line: 3, .. }
        }]
    ));

    // Days written year first need no order, given or not.
    for got in [
        common::parse_fixture("line/Line-analytics__chat_zh_tw.txt", Format::Line),
        parse_in(
            DateOrder::Dmy,
            "[LINE] Chat history with Sam\n\n2026/03/04(Wed)\n10:00\tSam\ta\n",
        ),
    ] {
        assert_eq!(got.date_orders, [used(DateOrder::Ymd, OrderReason::YearFirst)]);
    }
}

#[test]
fn stray_lines_are_diagnostics_without_text() {
    let got = parse(
        "[LINE] Chat history with Sam\n\n2020/12/31(Thu)\nsecret stray words\n21:03\tSam\thi\n\n2020/02/30(Sun)\n21:04\tSam\tlost\n",
    );
    assert_eq!(lines_of(&got.messages), ["2020-12-31T21:03:00 Sam text hi"]);
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "line 4: the line is neither a day, a message nor part of one, and was skipped",
            "line 7: the day line's date does not exist; the line was skipped",
            "line 8: the message comes before any day line it could belong to; the line was skipped",
        ]
    );
}

#[test]
fn not_line_at_all() {
    let input = Input::bytes("notes.txt", &b"just some notes\nand more\n"[..]);
    let err = collect(&input, Some(Format::Line), &common::options()).unwrap_err();
    assert!(err.to_string().starts_with("no line is a LINE"), "{err}");
}

#[test]
fn legacy_encodings_name_the_line() {
    let input = Input::bytes(
        "chat.txt",
        &b"[LINE] Chat history with Sam\n\n2020/12/31(Thu)\n21:03\tSam\tcaf\xe9\n"[..],
    );
    let err = collect(&input, Some(Format::Line), &common::options()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("line 4: byte 14 of the line is not UTF-8"),
        "{err}"
    );
}

#[test]
fn whatsapp_is_not_line() {
    let input = Input::bytes(
        "chat.txt",
        &b"31/12/24, 21:03 - Sam: hi\n31/12/24, 21:04 - Jo: yo\n"[..],
    );
    assert_eq!(detect(&input).unwrap(), Format::WhatsApp);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = common::parse_bytes(Format::Line, "chat.txt", &bytes);
    }

    #[test]
    fn mutated_fixture_never_panics(
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    ) {
        let mut bytes = std::fs::read(common::fixture("line/Line-analytics__chat_zh_tw.txt")).unwrap();
        for (at, byte) in cuts {
            let i = at.index(bytes.len());
            match byte % 3 {
                0 => bytes[i] = byte,
                1 => { bytes.insert(i, byte); }
                _ => { bytes.remove(i); }
            }
        }
        let _ = common::parse_bytes(Format::Line, "chat.txt", &bytes);
    }
}

#[test]
fn a_quoted_message_of_many_mebibytes_is_cut_and_the_next_one_read() {
    let max = mutual_import::MAX_MESSAGE_BYTES;
    let mut text = String::from(
        "[LINE] Chat history with Jordan Lee\n\n2024/12/31(Tue)\n21:03\tJordan Lee\t\"a long one\n",
    );
    let line = "with \"\"quotes\"\" and \u{e9}\n";
    while text.len() < 20 << 20 {
        text.push_str(line);
    }
    text.push_str("and the end\"\n21:05\tSam\tafter\n");
    let got = parse(&text);
    let [long, after] = got.messages.as_slice() else {
        panic!("two messages, got {}", got.messages.len())
    };
    // Cut as written, then its doubled quotes undone.
    assert!(
        long.text.len() <= max && long.text.len() > max * 9 / 10,
        "{}",
        long.text.len()
    );
    assert!(long.text.starts_with("a long one\nwith \"quotes\" and \u{e9}\n"));
    assert_eq!((after.sender.as_str(), after.text.as_str()), ("Sam", "after"));
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["line 4: a message of 20 MiB was cut to its first 256 KiB"]
    );
}
