//! Clock changes: exports that write local times keep every message, in
//! order, through both directions of a clock change; within one file two
//! messages are never merged; and `export --messages` shows what is stored.

use serde_json::Value;

use crate::common::Env;

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn import(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(env.ok(&all).lines().next().unwrap()).unwrap()
}

/// The stored messages, oldest first.
fn messages(env: &Env) -> Vec<Value> {
    env.ok(&["export", "--messages"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// `at text` of each stored message, oldest first.
fn timeline(env: &Env) -> Vec<String> {
    messages(env)
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["at"].as_str().unwrap(),
                m["text"].as_str().unwrap_or("(media)")
            )
        })
        .collect()
}

#[test]
fn whatsapp_keeps_every_message_in_order_when_the_clocks_go_back() {
    let env = Env::new();
    let file = write(
        &env,
        "WhatsApp Chat with Sam.txt",
        "27/10/2024, 00:50 - Sam: night\n\
         27/10/2024, 01:30 - Sam: <Media omitted>\n\
         27/10/2024, 01:50 - Kim: still up?\n\
         27/10/2024, 01:10 - Sam: yes\n\
         27/10/2024, 01:30 - Sam: <Media omitted>\n\
         27/10/2024, 02:10 - Kim: ok bye\n",
    );
    let out = import(&env, &["--keep-text", "--tz", "Europe/London", &file]);
    assert_eq!(out["new"], 6, "{out}");
    assert_eq!(
        timeline(&env),
        [
            "2024-10-26T23:50:00Z night",
            "2024-10-27T00:30:00Z (media)",
            "2024-10-27T00:50:00Z still up?",
            "2024-10-27T01:10:00Z yes",
            "2024-10-27T01:30:00Z (media)",
            "2024-10-27T02:10:00Z ok bye",
        ]
    );
    let again = import(&env, &["--keep-text", "--tz", "Europe/London", &file]);
    assert_eq!(
        (again["new"].as_u64(), again["known"].as_u64()),
        (Some(0), Some(6))
    );
}

#[test]
fn whatsapp_keeps_every_message_in_order_when_the_clocks_go_forward() {
    let env = Env::new();
    let file = write(
        &env,
        "WhatsApp Chat with Sam.txt",
        "30/03/2025, 00:50 - Sam: late one\n\
         30/03/2025, 00:59 - Kim: night\n\
         30/03/2025, 02:01 - Sam: clocks moved!\n\
         30/03/2025, 02:30 - Kim: go to sleep\n",
    );
    let out = import(&env, &["--keep-text", "--tz", "Europe/London", &file]);
    assert_eq!(out["new"], 4, "{out}");
    assert_eq!(
        timeline(&env),
        [
            "2025-03-30T00:50:00Z late one",
            "2025-03-30T00:59:00Z night",
            "2025-03-30T01:01:00Z clocks moved!",
            "2025-03-30T01:30:00Z go to sleep",
        ]
    );
}

#[test]
fn line_keeps_every_message_in_order_through_both_clock_changes() {
    let env = Env::new();
    let file = write(
        &env,
        "[LINE] Chat with Sam.txt",
        "[LINE] Chat history with Sam\nSaved on: 11/5/2024, 11:00\n\n\
         Sun, 11/3/2024\n01:40\tSam\tfirst time round\n01:55\tMe\tstill here\n\
         01:05\tSam\tsecond time round\n01:40\tSam\tfirst time round\n02:05\tMe\tbye\n\n\
         Sun, 3/10/2024\n01:50\tSam\tbefore the jump\n03:10\tMe\tafter the jump\n",
    );
    let out = import(&env, &["--keep-text", "--tz", "America/New_York", &file]);
    assert_eq!(out["new"], 7, "{out}");
    let times = timeline(&env);
    assert_eq!(
        times,
        [
            "2024-03-10T06:50:00Z before the jump",
            "2024-03-10T07:10:00Z after the jump",
            "2024-11-03T05:40:00Z first time round",
            "2024-11-03T05:55:00Z still here",
            "2024-11-03T06:05:00Z second time round",
            "2024-11-03T06:40:00Z first time round",
            "2024-11-03T07:05:00Z bye",
        ]
    );
}

#[test]
fn signal_export_text_keeps_every_message_in_order_through_both_clock_changes() {
    let env = Env::new();
    let file = write(
        &env,
        "chat.md",
        "[2024-03-31 01:50:00] Sam: before the jump  \n\n[2024-03-31 03:10:00] Me: after the jump  \n\n\
         [2024-10-27 02:20:00] Sam: once  \n\n[2024-10-27 02:45:00] Me: twice  \n\n\
         [2024-10-27 02:20:00] Sam: once  \n\n[2024-10-27 03:00:00] Me: done  \n",
    );
    let out = import(
        &env,
        &[
            "--keep-text",
            "--format",
            "signal-text",
            "--tz",
            "Europe/Berlin",
            &file,
        ],
    );
    assert_eq!(out["new"], 6, "{out}");
    assert_eq!(
        timeline(&env),
        [
            "2024-03-31T00:50:00Z before the jump",
            "2024-03-31T01:10:00Z after the jump",
            "2024-10-27T00:20:00Z once",
            "2024-10-27T00:45:00Z twice",
            "2024-10-27T01:20:00Z once",
            "2024-10-27T02:00:00Z done",
        ]
    );
}

#[test]
fn two_messages_of_one_file_are_never_merged() {
    let env = Env::new();
    // A file that goes back to a minute it already had (as exports stitched
    // together do): the same words from the same person, twice, apart.
    let file = write(
        &env,
        "WhatsApp Chat with Sam.txt",
        "01/06/2026, 10:00 - Sam: ok\n\
         01/06/2026, 10:00 - Sam: ok\n\
         01/06/2026, 10:05 - Sam: later\n\
         01/06/2026, 10:00 - Sam: ok\n",
    );
    let out = import(&env, &[&file]);
    assert_eq!(out["new"], 4, "{out}");
    let again = import(&env, &[&file]);
    assert_eq!(
        (again["new"].as_u64(), again["known"].as_u64()),
        (Some(0), Some(4))
    );
}

#[test]
fn export_messages_writes_every_stored_message_as_a_line() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let file = write(
        &env,
        "WhatsApp Chat with Sam.txt",
        "01/06/2026, 10:00 - Sam: thank you so much!\n\
         01/06/2026, 10:01 - Me: <Media omitted>\n",
    );
    import(&env, &["--me", "Me", &file]);
    let stored = messages(&env);
    assert_eq!(stored.len(), 2);
    let first = &stored[0];
    assert_eq!(first["at"], "2026-06-01T10:00:00Z");
    assert_eq!(
        (first["chat"].as_str(), first["sender"].as_str()),
        (Some("Sam"), Some("Sam"))
    );
    assert_eq!(
        (first["friend"].as_str(), first["kind"].as_str()),
        (Some("Sam"), Some("text"))
    );
    assert_eq!(first["words"], 4);
    assert_eq!(first["features"]["gratitude"], true);
    assert!(first["features"]["compound"].as_f64().unwrap() > 0.3);
    assert!(first.get("text").is_none(), "text only when kept");
    let second = &stored[1];
    assert_eq!(
        (second["kind"].as_str(), second["from_me"].as_bool()),
        (Some("media"), Some(true))
    );
    assert!(second["friend"].is_null() && second["features"].is_null());
}

#[test]
fn a_date_order_the_file_never_settles_can_be_given_and_the_dry_run_says_which() {
    let env = Env::new();
    let file = write(
        &env,
        "WhatsApp Chat with Sam.txt",
        "03-06-2018, 01.55 PM - Sam: hi\n03-06-2018, 02.10 PM - Me: hey\n",
    );
    let assumed: Value = serde_json::from_str(&env.ok(&["import", "--dry-run", "--json", &file])).unwrap();
    assert_eq!(assumed["first"], "2018-03-06T13:55:00");
    assert_eq!(assumed["date_orders"][0]["order"], "mdy");
    let text = env.ok(&["import", "--dry-run", &file]);
    assert!(
        text.contains("Dates read as mdy") && text.contains("--date-order"),
        "{text}"
    );
    let given: Value =
        serde_json::from_str(&env.ok(&["import", "--dry-run", "--json", "--date-order", "dmy", &file]))
            .unwrap();
    assert_eq!(given["first"], "2018-06-03T13:55:00");
    assert!(
        given["date_orders"][0]["why"]
            .as_str()
            .unwrap()
            .contains("as given")
    );
    let line = env.bad(&["import", "--date-order", "yymmdd", &file]);
    assert!(
        line.contains("--date-order") && line.contains("dmy, mdy, ymd"),
        "{line}"
    );
    let out = import(&env, &["--keep-text", "--date-order", "dmy", &file]);
    assert_eq!(out["new"], 2);
    assert_eq!(messages(&env)[0]["at"], "2018-06-03T13:55:00Z");
}

#[test]
fn messages_in_a_language_mutual_cannot_read_keep_their_rhythm_without_a_tone() {
    let env = Env::new();
    let file = write(
        &env,
        "WhatsApp Chat with Asha.txt",
        "01/06/2026, 10:00 - Asha: मैं ठीक हूँ, धन्यवाद\n\
         01/06/2026, 10:01 - Me: how are you doing these days?\n\
         01/06/2026, 10:02 - Asha: कल मिलते हैं\n\
         01/06/2026, 10:03 - Asha: 👍\n",
    );
    import(&env, &["--me", "Me", &file]);
    let stored = messages(&env);
    assert_eq!(stored.len(), 4);
    assert_eq!(
        (stored[0]["lang"].as_str(), stored[0]["tone_measured"].as_bool()),
        (None, Some(false))
    );
    assert_eq!(stored[0]["words"], 4, "its words still count");
    assert_eq!(
        (stored[1]["lang"].as_str(), stored[1]["tone_measured"].as_bool()),
        (Some("en"), Some(true))
    );
    // A short message takes its chat's language: here the one it cannot read.
    assert_eq!(stored[3]["tone_measured"], false);
    let out = env
        .cmd()
        .arg("features")
        .write_stdin("मैं ठीक हूँ, धन्यवाद\nthanks so much!\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().next().unwrap().starts_with("tone not measured"),
        "{text}"
    );
    assert!(text.lines().nth(1).unwrap().starts_with("en "), "{text}");
}

#[test]
fn a_later_export_of_a_chat_reads_its_short_messages_in_the_chats_language() {
    let env = Env::new();
    let first = write(
        &env,
        "first/WhatsApp Chat with Lucía.txt",
        "01/06/2026, 10:00 - Lucía: ¿qué tal te fue la entrevista? me acordé de ti\n\
         01/06/2026, 10:01 - Me: muy bien, creo que me lo van a dar\n\
         01/06/2026, 10:02 - Lucía: me alegro muchísimo por ti, de verdad\n",
    );
    import(&env, &["--me", "Me", &first]);
    // The later export (from a phone that kept only the last day) holds a
    // few words that alone say nothing of their language; the stored
    // messages say it.
    let later = write(
        &env,
        "later/WhatsApp Chat with Lucía.txt",
        "02/06/2026, 09:00 - Lucía: jajaja\n\
         02/06/2026, 09:01 - Me: ok\n",
    );
    import(&env, &["--me", "Me", &later]);
    let stored = messages(&env);
    let langs: Vec<_> = stored.iter().map(|m| m["lang"].as_str()).collect();
    assert_eq!(langs, [Some("es"); 5], "{stored:?}");
}
