//! `mutual signals` and `mutual features`: drift found in imported chats,
//! evaluated as of a date, and the features of single messages.

use std::io::Write;

use jiff::Timestamp;
use mutual_analysis::synth::{Plan, Scenario, generate};
use serde_json::Value;

use crate::common::Env;

/// Writes a generated two-person chat (me: "Ana", them: "Sam Lee") as an
/// Android WhatsApp export, in UTC.
fn export(env: &Env, name: &str, scenario: Scenario, seed: u64, weeks: usize, change_week: usize) -> String {
    let start: Timestamp = "2025-09-01T00:00:00Z".parse().unwrap();
    let plan = Plan::new(seed, scenario, start, weeks, change_week);
    let path = env.path(name);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for m in generate(&plan) {
        let local = m.at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        let sender = if m.from_me { "Ana" } else { "Sam Lee" };
        mutual_import::synth::write_whatsapp_line(&mut out, local, Some(sender), &m.text).unwrap();
    }
    out.flush().unwrap();
    path.display().to_string()
}

fn kinds(signals: &Value) -> Vec<&str> {
    signals
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn fatigue_in_an_imported_chat_is_a_dated_explained_signal() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    // 30 weeks from 1 Sep 2025; Sam tires from week 18 (5 Jan 2026).
    let chat = export(&env, "chat.txt", Scenario::Fatigue, 3, 30, 18);
    env.ok(&["import", &chat, "--me", "Ana", "--tz", "UTC"]);

    let signals = env.json(&["signals", "Sam", "--as-of", "2026-03-29"]);
    let fatigue = signals
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "fatigue")
        .unwrap_or_else(|| panic!("no fatigue in {signals:#}"));
    assert_eq!(fatigue["friend"], "Sam");
    let began: jiff::civil::Date = fatigue["began"].as_str().unwrap().parse().unwrap();
    let planted = jiff::civil::date(2026, 1, 5);
    assert!(
        began.since(planted).unwrap().get_days().abs() <= 21,
        "began {began}"
    );
    let confidence = fatigue["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    assert!(fatigue["evidence"].is_object());
    assert!(
        fatigue["message"]
            .as_str()
            .unwrap()
            .starts_with("Sam's messages have changed since")
    );
    assert!(!fatigue["suggestion"].as_str().unwrap().is_empty());

    // Before the change, nothing had drifted.
    let earlier = env.json(&["signals", "Sam", "--as-of", "2025-12-20"]);
    assert!(!kinds(&earlier).contains(&"fatigue"), "{earlier:#}");
    // Today's agenda and the human output carry it too.
    let mut env = env;
    let today = env.at("2026-03-29T12:00:00Z").ok(&["today"]);
    assert!(today.contains("Sam's messages have changed"), "{today}");
    let human = env.ok(&["signals"]);
    assert!(human.contains("fatigue"), "{human}");
    // So do the review, the balance and the friend's page.
    let review = env.ok(&["review", "--period", "month"]);
    assert!(review.contains("Sam's messages have changed"), "{review}");
    let balance = env.json(&["balance"]);
    assert!(
        balance[0]["chats"]["their_reply_minutes"].as_f64().unwrap() > 0.0,
        "{balance:#}"
    );
    let show = env.json(&["friend", "show", "Sam"]);
    let chats = &show["chats"];
    assert!(
        chats["my_messages"].as_u64().unwrap() > chats["their_messages"].as_u64().unwrap(),
        "{chats:#}"
    );
    assert!(
        env.ok(&["friend", "show", "Sam"])
            .contains("Chats, the last 8 weeks")
    );
}

#[test]
fn a_quiet_season_for_both_is_a_busy_season() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    let chat = export(&env, "chat.txt", Scenario::BusySeason, 101, 30, 18);
    env.ok(&["import", &chat, "--me", "Ana", "--tz", "UTC"]);
    let signals = env.at("2026-03-29T12:00:00Z").json(&["signals"]);
    let kinds = kinds(&signals);
    assert!(
        !kinds.contains(&"fatigue") && !kinds.contains(&"withdrawal"),
        "{signals:#}"
    );
}

#[test]
fn importing_more_of_the_chat_updates_only_the_weeks_it_touches() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    let whole = export(&env, "whole.txt", Scenario::Control, 5, 12, 12);
    let text = std::fs::read_to_string(&whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = env.path("first.txt");
    std::fs::write(&first, lines[..lines.len() / 2].join("\n") + "\n").unwrap();
    env.ok(&["import", first.to_str().unwrap(), "--me", "Ana", "--tz", "UTC"]);
    env.ok(&["import", &whole, "--me", "Ana", "--tz", "UTC"]);
    let step_by_step = env.ok(&["export"]);

    let fresh = Env::new();
    fresh.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    fresh.ok(&["import", &whole, "--me", "Ana", "--tz", "UTC"]);
    let at_once = fresh.ok(&["export"]);
    let weeks = |export: &str| serde_json::from_str::<Value>(export).unwrap()["chat_weeks"].clone();
    assert!(
        weeks(&at_once).as_array().is_some_and(|w| w.len() >= 10),
        "{at_once}"
    );
    assert_eq!(weeks(&step_by_step), weeks(&at_once));
}

#[test]
fn signals_reject_a_bad_date_with_one_line() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam"]);
    let out = env
        .cmd()
        .args(["signals", "--as-of", "next tuesday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("expected YYYY-MM-DD"), "{err}");
}

#[test]
fn features_print_one_object_per_line() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["features", "--json"])
        .write_stdin("Thank you so much, that means a lot!\nhow are you doing?\n\nI got the job!!\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    for key in [
        "neg",
        "neu",
        "pos",
        "compound",
        "question",
        "gratitude",
        "apology",
        "good_news",
        "disclosure",
        "words",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "{key} missing");
    }
    assert!(rows[0]["compound"].as_f64().unwrap() > 0.3);
    assert_eq!(rows[0]["gratitude"], true);
    assert_eq!(rows[1]["question"], true);
    assert_eq!(rows[2]["words"], 0);
    assert_eq!(rows[3]["good_news"], true);
    let bad = env
        .cmd()
        .args(["features"])
        .write_stdin(vec![b'o', b'k', 0xff, b'\n'])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_report_is_one_self_contained_page_with_the_chats_and_signals() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    env.ok(&[
        "need",
        "add",
        "Sam",
        "a heads-up before plans change",
        "--whose",
        "them",
    ]);
    let chat = export(&env, "chat.txt", Scenario::Fatigue, 3, 30, 18);
    env.ok(&["import", &chat, "--me", "Ana", "--tz", "UTC"]);
    let out = env.path("report.html");
    env.at("2026-03-29T12:00:00Z")
        .ok(&["report", "Sam", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("<html").count(), 1);
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(
        html.matches("<svg").count() >= 7,
        "the six charts of the chats and the signal timeline are drawn as SVG"
    );
    assert!(
        html.contains("Sam&#39;s messages have changed since")
            || html.contains("Sam's messages have changed since")
    );
    assert!(html.contains("a heads-up before plans change"));
    assert!(!env.path("report.html.partial").exists());

    let bad = env
        .cmd()
        .args(["report", "--out", env.dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn kept_texts_stored_before_features_get_them_before_the_next_view() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    let chat = export(&env, "chat.txt", Scenario::Control, 9, 4, 4);
    env.ok(&["import", &chat, "--me", "Ana", "--tz", "UTC", "--keep-text"]);
    let count = |sql: &str| -> i64 {
        let db = rusqlite::Connection::open(&env.db).unwrap();
        db.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let with_features = "SELECT count(*) FROM message WHERE flags IS NOT NULL";
    let before = count(with_features);
    assert!(before > 20, "{before}");
    let weeks_before = env.ok(&["export"]);
    // As a database from before features were computed would hold them.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "UPDATE message SET neg = NULL, neu = NULL, pos = NULL, compound = NULL,
                    emoji_sentiment = NULL, flags = NULL, style = NULL;
             DELETE FROM meta WHERE key = 'features_backfilled';",
        )
        .unwrap();
    env.ok(&["signals"]);
    assert_eq!(count(with_features), before);
    let weeks = |export: &str| serde_json::from_str::<Value>(export).unwrap()["chat_weeks"].clone();
    assert_eq!(weeks(&env.ok(&["export"])), weeks(&weeks_before));
}

#[test]
fn weekly_measures_count_what_the_messages_say_and_nothing_else() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    let chat = env.path("plain.txt");
    std::fs::write(
        &chat,
        "3/6/26, 10:00 - Sam Lee: The meeting is at noon on the third floor\n\
         3/6/26, 10:05 - Ana: The train leaves from platform four\n\
         3/6/26, 10:09 - Sam Lee: Thank you so much, that means a lot\n\
         3/6/26, 10:12 - Ana: Did you get the job?\n",
    )
    .unwrap();
    env.ok(&["import", chat.to_str().unwrap(), "--me", "Ana", "--tz", "UTC"]);
    let export: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    let week = &export["chat_weeks"][0];
    let (me, them) = (&week["me"], &week["them"]);
    assert_eq!(
        (me["messages"].as_u64(), them["messages"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        (me["questions"].as_u64(), them["gratitude"].as_u64()),
        (Some(1), Some(1))
    );
    for side in [me, them] {
        for flag in [
            "apologies",
            "hard_news",
            "disclosures",
            "support",
            "good_news",
            "friction",
            "repairs",
        ] {
            assert_eq!(side[flag], 0, "{flag} in {week:#}");
        }
    }
    assert_eq!(me["gratitude"], 0);
    assert_eq!(them["questions"], 0);
    assert!(
        them["enthusiasm"].as_f64().unwrap() > 0.0,
        "thanks are warm: {week:#}"
    );
}

#[test]
fn a_later_import_that_continues_a_long_conversation_updates_the_weeks_it_began_in() {
    // Sam opens up on Sunday night; we keep writing every two hours until
    // Monday morning; a later export adds my own disclosure on Monday.
    let first = "\
7/6/26, 23:00 - Sam Lee: honestly I've been feeling really lonely lately
8/6/26, 01:00 - Ana: that sounds hard, I am here
8/6/26, 03:00 - Sam Lee: thanks, it helps to say it
8/6/26, 05:00 - Ana: want to talk tomorrow?
";
    let later = "8/6/26, 06:30 - Ana: I never told anyone this but I have been struggling a lot\n";
    let step_by_step = Env::new();
    let at_once = Env::new();
    for env in [&step_by_step, &at_once] {
        env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    }
    let write = |env: &Env, name: &str, text: &str| {
        let path = env.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let part = write(&step_by_step, "WhatsApp Chat with Sam Lee.txt", first);
    step_by_step.ok(&["import", &part, "--me", "Ana", "--tz", "UTC"]);
    let whole = write(
        &step_by_step,
        "later/WhatsApp Chat with Sam Lee.txt",
        &format!("{first}{later}"),
    );
    step_by_step.ok(&["import", &whole, "--me", "Ana", "--tz", "UTC"]);
    let whole = write(
        &at_once,
        "WhatsApp Chat with Sam Lee.txt",
        &format!("{first}{later}"),
    );
    at_once.ok(&["import", &whole, "--me", "Ana", "--tz", "UTC"]);

    let weeks =
        |env: &Env| serde_json::from_str::<Value>(&env.ok(&["export"])).unwrap()["chat_weeks"].clone();
    let (a, b) = (weeks(&step_by_step), weeks(&at_once));
    // Sam's disclosure (in the week of Sunday 7 June) was answered in kind.
    let sunday_week = a
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week"] == "2026-06-01")
        .unwrap();
    assert_eq!(sunday_week["them"]["disclosures_reciprocated"], 1, "{a:#}");
    assert_eq!(a, b);
}

#[test]
fn reads_never_take_the_write_lock() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Lee"]);
    let chat = export(&env, "chat.txt", Scenario::Control, 9, 12, 12);
    env.ok(&["import", &chat, "--me", "Ana", "--tz", "UTC"]);
    // Changing who Sam is in the chats refreshes the weeks in that write.
    env.ok(&["friend", "alias", "Sam", "Samuel Lee"]);
    env.ok(&["friend", "add", "Kim"]);
    let chat_weeks = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("export");
        serde_json::from_str::<Value>(&env.ok(&all)).unwrap()["chat_weeks"].clone()
    };
    let default_gap = chat_weeks(&[]);
    assert!(
        default_gap.as_array().is_some_and(|w| w.len() >= 10),
        "{default_gap}"
    );

    // Another process holds the write lock for as long as the reads run.
    let writer = rusqlite::Connection::open(&env.db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    for args in [
        &["today"][..],
        &["balance"],
        &["friend", "show", "Sam"],
        &["friend", "list"],
        &["signals"],
        &["review", "--period", "month"],
    ] {
        env.ok(args);
    }
    let report = env.path("report.html");
    env.ok(&["report", "--out", report.to_str().unwrap()]);
    // Other settings than the stored weeks' are computed for the view only.
    let short_gap = chat_weeks(&["--conversation-gap", "5m"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_ne!(short_gap, default_gap, "a 5-minute gap reads other conversations");
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    // And the stored weeks are still the default gap's.
    assert_eq!(chat_weeks(&[]), default_gap);
}
