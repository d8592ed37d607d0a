//! Times and days as typed: impossible ones are refused rather than rolled
//! over, years need four digits, and everything falls between 1990 and the
//! end of next year (the tests run on 2026-06-15, so up to 2027-12-31).

use crate::common::Env;

#[test]
fn impossible_times_and_days_are_refused_not_rolled_over() {
    let env = Env::new();
    env.friends(&["Sam"]);
    for (at, says) in [
        ("2026-05-20 25:00", "no hour 25"),
        ("2026-05-20T24:00", "no hour 24"),
        ("2026-05-20 18:61", "no minute 61"),
        ("2026-05-20 18:30:75", "more than 59 seconds"),
        ("yesterday 25:00", "no hour 25"),
        ("yesterday 13pm", "no hour 13 with am or pm"),
        ("yesterday 13:30pm", "no hour 13 with am or pm"),
        ("2026-02-31", "February 2026 has 28 days"),
        ("2026-02-29 10:00", "February 2026 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-13-01", "no month 13"),
        ("2026-00-10", "no month 0"),
        ("31 feb", "not a date or time I can read"),
    ] {
        let line = env.bad(&["log", "Sam", "--at", at]);
        assert!(line.contains(says), "{at}: {line}");
        assert!(line.contains("expected"), "{at}: {line}");
    }
    for (due, says) in [
        ("2026-06-31", "June 2026 has 30 days"),
        ("tomorrow 24:00", "no hour 24"),
    ] {
        let line = env.bad(&["followup", "add", "Sam", "call back", "--due", due]);
        assert!(line.contains(says), "{due}: {line}");
    }
    // What exists still reads as before.
    env.ok(&["log", "Sam", "--at", "2024-02-29 23:59", "--via", "other"]);
    env.ok(&["log", "Sam", "--at", "yesterday 12:30pm", "--via", "other"]);
    env.ok(&["log", "Sam", "--at", "2026-06-14 7pm", "--via", "other"]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14T18:30:00.250+02:00",
        "--via",
        "other",
    ]);
    let entries = env.json(&["journal", "list"]);
    let times: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        [
            "2026-06-14T19:00:00Z",
            "2026-06-14T16:30:00Z",
            "2026-06-14T12:30:00Z",
            "2024-02-29T23:59:00Z"
        ]
    );
}

#[test]
fn a_year_needs_four_digits() {
    let env = Env::new();
    env.friends(&["Sam"]);
    for (args, year) in [
        (
            &["log", "Sam", "--at", "26-05-20", "--via", "other"][..],
            "a 2-digit year",
        ),
        (
            &["log", "Sam", "--at", "26-05-20 18:00", "--via", "other"],
            "a 2-digit year",
        ),
        (
            &["followup", "add", "Sam", "call", "--due", "26-11-20"],
            "a 2-digit year",
        ),
        (
            &["park", "add", "Sam", "money", "--until", "202-11-20"],
            "a 3-digit year",
        ),
        (
            &["need", "add", "Sam", "quiet", "--since", "20261-01-01"],
            "a 5-digit year",
        ),
    ] {
        let line = env.bad(args);
        assert!(line.contains(year), "{args:?}: {line}");
        assert!(line.contains("four digits"), "{args:?}: {line}");
    }
}

#[test]
fn dates_outside_1990_to_the_end_of_next_year_are_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "new job"]);
    let range = "expected a day from 1990-01-01 to 2027-12-31";
    let refused: &[&[&str]] = &[
        &["log", "Sam", "--at", "0001-01-01", "--via", "other"],
        &["log", "Sam", "--at", "1989-12-31 23:00", "--via", "other"],
        &["log", "Sam", "--at", "40 years ago", "--via", "other"],
        &["log", "Sam", "--at", "0001-01-01T00:00:00Z", "--via", "other"],
        &["followup", "add", "Sam", "call", "--due", "9999-12-31"],
        &["followup", "add", "Sam", "call", "--due", "2028-01-01"],
        &["followup", "add", "Sam", "call", "--due", "in 100 years"],
        &["log", "Sam", "--follow-up", "call", "--due", "in 2 years"],
        &["need", "add", "Sam", "quiet", "--since", "1985-01-01"],
        &["boundary", "add", "Sam", "no calls", "--since", "1900-01-01"],
        &["agree", "add", "Sam", "honesty", "--since", "2030-01-01"],
        &["win", "add", "Sam", "a prize", "--at", "1970-01-01"],
        &["thanks", "add", "Sam", "the soup", "--at", "1970-01-01"],
        &["park", "add", "Sam", "money", "--until", "2099-01-01"],
        &["prompt", "answered", "Sam", "light-01", "--at", "1989-06-01"],
        &["friend", "pause", "Sam", "--from", "1980-01-01"],
        &["friend", "pause", "Sam", "--until", "2031-01-01"],
        &["friend", "snooze", "Sam", "--until", "9999-01-01"],
        &["signals", "--as-of", "1985-01-01"],
        &["signals", "--as-of", "2028-01-01"],
    ];
    for args in refused {
        let line = env.bad(args);
        assert!(line.contains(range), "{args:?}: {line}");
    }
    // A natural form names the day it fell on.
    let line = env.bad(&["followup", "add", "Sam", "call", "--due", "in 100 years"]);
    assert!(line.contains("falls on 2126-06-15"), "{line}");
    // The ends of the range are fine.
    env.ok(&["log", "Sam", "--at", "1990-01-01 00:00", "--via", "other"]);
    env.ok(&["followup", "add", "Sam", "call", "--due", "2027-12-31"]);
    env.ok(&["signals", "--as-of", "1990-01-01"]);
}

#[test]
fn snooze_and_pause_need_a_day_that_has_not_passed() {
    let env = Env::new();
    env.friends(&["Sam"]);
    for args in [
        &["friend", "snooze", "Sam", "--until", "yesterday"][..],
        &["friend", "snooze", "Sam", "--until", "2026-06-14"],
        &["friend", "pause", "Sam", "--until", "2 days ago"],
        &[
            "friend",
            "pause",
            "Sam",
            "--from",
            "2026-06-01",
            "--until",
            "2026-06-10",
        ],
    ] {
        let line = env.bad(args);
        assert!(line.contains("has already passed"), "{args:?}: {line}");
        assert!(
            line.contains("expected today (2026-06-15) or a later day"),
            "{args:?}: {line}"
        );
    }
    env.ok(&["friend", "snooze", "Sam", "--until", "today"]);
    env.ok(&[
        "friend",
        "pause",
        "Sam",
        "--from",
        "2026-06-01",
        "--until",
        "today",
    ]);
}
