//! Numbers that agree with each other and words that stay true: one energy
//! figure over one named window on every surface, best and worst in words
//! true for negative values, plurals, resting friendships told apart from
//! those in a good rhythm, and follow-ups told as what happened, not graded.

use crate::common::Env;

/// Jordan: five rated times in the last four weeks, all draining (in
/// person -1, -1; calls -3, -2, -3: a mean of -2.0), and two glowing ones
/// five and six weeks ago (in person +3, +3), which a longer-weighted mean
/// would mix in.
fn jordan(env: &Env) {
    env.friends(&["Jordan"]);
    for (at, via, energy) in [
        ("2026-05-04", "in-person", "3"),
        ("2026-05-10", "in-person", "3"),
        ("2026-05-25", "in-person", "-1"),
        ("2026-05-30", "call", "-3"),
        ("2026-06-03", "in-person", "-1"),
        ("2026-06-08", "call", "-2"),
        ("2026-06-12", "call", "-3"),
    ] {
        env.ok(&[
            "log",
            "Jordan",
            "--at",
            at,
            "--via",
            via,
            "--energy",
            energy,
            "--gave",
            "listening",
        ]);
    }
}

#[test]
fn every_surface_shows_the_same_energy_over_the_same_window() {
    let env = Env::new();
    jordan(&env);

    let row = &env.json(&["balance"])[0];
    assert_eq!(row["energy"], -2.0, "{row}");
    assert_eq!(
        (&row["energy_entries"], &row["energy_window_days"]),
        (&5.into(), &28.into())
    );
    assert_eq!(row["energy_trend"], "falling");
    let table = env.ok(&["balance"]);
    assert!(table.contains("-2.0"), "{table}");
    assert!(
        table.contains("Energy: the mean over the last 4 weeks"),
        "{table}"
    );

    let show = env.ok(&["friend", "show", "Jordan"]);
    assert!(
        show.contains(
            "Energy: -2.0 on average over the last 4 weeks (5 rated entries), lower than the 4 weeks before"
        ),
        "{show}"
    );
    let today = env.ok(&["today"]);
    assert!(
        today.contains("low on energy lately (-2.0 on average over the last 4 weeks, 5 entries)"),
        "{today}"
    );
    let review = env.ok(&["review", "--period", "week"]);
    assert!(review.contains("energy -2.0 over the last 4 weeks"), "{review}");
    let report = env.path("report.html");
    env.ok(&["report", "--out", report.to_str().unwrap()]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("Over the last 4 weeks you have felt drained after time together (-2.0 on a scale"),
        "the report's energy figure differs"
    );
    assert!(!html.contains("neither drained nor energized"));
}

#[test]
fn best_and_worst_stay_true_when_everything_drains() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    for (at, via, energy) in [
        ("2026-06-01", "in-person", "-1"),
        ("2026-06-03", "in-person", "0"),
        ("2026-06-05", "call", "-2"),
        ("2026-06-08", "call", "-1"),
        ("2026-06-10", "video", "0"),
        ("2026-06-12", "video", "0"),
    ] {
        env.ok(&["log", "Jordan", "--at", at, "--via", via, "--energy", energy]);
    }
    let show = env.ok(&["friend", "show", "Jordan"]);
    assert!(
        show.contains("by channel: video drains you least (0.0), call most (-1.5)"),
        "{show}"
    );
    assert!(!show.contains("most energized"), "{show}");
    assert!(!show.contains("steady") && !show.contains("unknown"), "{show}");
}

#[test]
fn one_is_one_and_resting_is_not_a_good_rhythm() {
    let env = Env::new();
    env.ok(&["friend", "add", "Kim", "--every", "1"]);
    env.friends(&["Sam", "Maya", "Alex"]);
    env.ok(&["log", "Kim", "--at", "yesterday", "--energy", "1"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--gave", "listening"]);
    env.ok(&["log", "Maya", "--at", "yesterday", "--via", "other"]);
    env.ok(&["log", "Alex", "--at", "yesterday", "--via", "other"]);
    env.ok(&["friend", "pause", "Maya", "--until", "2026-07-01"]);
    env.ok(&["friend", "snooze", "Alex", "--until", "2026-06-20"]);

    let kim = env.ok(&["friend", "show", "Kim"]);
    assert!(kim.contains("every day (at most 3 days)"), "{kim}");
    assert!(kim.contains("(1 day since contact)"), "{kim}");
    assert!(kim.contains("(1 rated entry)"), "{kim}");
    assert!(
        kim.contains("no support logged yet; 0 entries with support"),
        "{kim}"
    );
    let list = env.ok(&["friend", "list"]);
    assert!(list.contains("1 day ") || list.contains("1 day\n"), "{list}");

    let today = env.ok(&["today"]);
    assert!(
        today.contains("1 other friendship is in a good rhythm."),
        "{today}"
    );
    assert!(today.contains("Resting for now: "), "{today}");
    assert!(
        today.contains("Maya (paused)") && today.contains("Alex (snoozed)"),
        "{today}"
    );
    let resting = &env.json(&["today"])["resting"];
    assert_eq!(resting.as_array().unwrap().len(), 2, "{resting}");
}

#[test]
fn follow_ups_are_told_as_what_happened_not_graded() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    env.ok(&["log", "Jordan", "--at", "2026-06-01", "--via", "other"]);
    env.ok(&[
        "followup",
        "add",
        "Jordan",
        "ask about the move",
        "--due",
        "2026-06-10",
    ]);
    let show = env.ok(&["friend", "show", "Jordan"]);
    assert!(
        show.contains("Follow-ups: its date passed before you came back to it; it is not too late."),
        "{show}"
    );
    assert!(!show.contains('%'), "{show}");
    env.ok(&[
        "followup",
        "add",
        "Jordan",
        "send the photos",
        "--due",
        "2026-06-20",
    ]);
    env.ok(&["followup", "done", "2"]);
    let show = env.ok(&["friend", "show", "Jordan"]);
    assert!(
        show.contains("Follow-ups: you came back to 1 of 2 by their date; the others can still happen."),
        "{show}"
    );
}
