//! `mutual checkin`: every verb through the binary, every bad input (one
//! line, exit 2, nothing written), and the friend's page in a real browser
//! (headless Chromium, `e2e/checkin.mjs`).

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use mutual_checkin::crypto::KeyPair;
use mutual_checkin::{Answers, Invite, ItemSet, Reply, Reveal};
use serde_json::Value;

use crate::common::{Env, check_bad_input};

const MINE: &str = r#"{"closeness": 5, "balance": 3, "heard": 4, "time": 2, "more": ["presence"], "less": [],
    "need": "more notice before plans change"}"#;
const THEIRS: &str = r#"{"closeness": 6, "balance": 4, "heard": 4, "time": 2, "more": ["presence", "listening"],
    "need": "a call on Sundays", "boundary": "no plans after ten"}"#;

fn write(env: &Env, name: &str, text: &str) -> PathBuf {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A check-in with Sam, my answers in; its id.
fn started(env: &Env) -> String {
    env.friends(&["Sam"]);
    let answers = write(env, "mine.json", MINE);
    let out = env.json(&["checkin", "new", "Sam", "--answers", answers.to_str().unwrap()]);
    out["id"].as_str().unwrap().to_owned()
}

/// The invitation's code, as `checkin invite` prints it.
fn invitation(env: &Env, id: &str) -> String {
    let out = env.ok(&["checkin", "invite", id, "--as", "Alex"]);
    out.lines().next().unwrap().trim().to_owned()
}

/// What the friend's page does: seals `answers` to the invitation.
fn reply(invite: &str, answers: &str) -> (String, KeyPair) {
    let invite = Invite::decode(invite).unwrap();
    let set = ItemSet::version(invite.items).unwrap();
    let answers = Answers::from_json(set, answers).unwrap();
    let key = KeyPair::generate();
    (Reply::seal(&invite, &key.public, &answers).unwrap().encode(), key)
}

fn show(env: &Env, id: &str) -> Value {
    env.json(&["checkin", "show", id])
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs with `input` on standard input.
fn with_stdin(env: &Env, args: &[&str], input: &str) -> std::process::Output {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_round_trip_shows_both_sides_only_once_both_answered() {
    let env = Env::new();
    let id = started(&env);
    assert_eq!(id.len(), 16, "{id}");
    let view = show(&env, &id);
    assert_eq!(view["stage"], "waiting");
    assert_eq!(view["expires"], "2026-07-15");
    assert_eq!(view["both"], serde_json::json!([]), "my answers stay sealed");
    let human = env.ok(&["checkin", "show", &id]);
    assert!(
        human.contains("Your answers are in, sealed until Sam's arrive."),
        "{human}"
    );
    assert!(!human.contains("Halfway overlapping"), "{human}");

    let code = invitation(&env, &id);
    assert!(code.starts_with("i1."), "{code}");
    let (reply, their_key) = reply(&code, THEIRS);
    let out = env.ok(&["checkin", "receive", &reply]);
    assert!(
        out.contains("Sam's answers are in. Both sides are here now."),
        "{out}"
    );
    assert!(out.contains(&format!("mutual checkin show {id}")), "{out}");

    let view = show(&env, &id);
    assert_eq!(view["stage"], "both");
    let balance = view["both"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "balance")
        .unwrap();
    assert_eq!(balance["mine"], "About even");
    assert_eq!(balance["theirs"], "You, a little more");
    assert_eq!(
        balance["sentence"],
        "You see the last months as balanced; Sam feels you have been giving a little more lately."
    );
    let text = view.to_string();
    assert!(!text.contains("score") && !text.contains("verdict"), "{text}");
    let human = env.ok(&["checkin", "show", &id]);
    assert!(
        human.contains("Two perspectives, neither of them the right one."),
        "{human}"
    );
    assert!(
        human.contains("You: About even  ·  Sam: You, a little more"),
        "{human}"
    );
    assert!(human.contains("About once a season"), "{human}");
    assert!(human.contains(&format!("mutual checkin reveal {id}")), "{human}");

    // The reveal opens with the friend's key and shows both sides to them.
    let out = env.ok(&["checkin", "reveal", &id]);
    let code = out.lines().next().unwrap();
    let opened = Reveal::decode(code).unwrap().open(&their_key.secret).unwrap();
    assert_eq!(opened.name, "Alex");
    let sentences: Vec<&str> = opened.sentences.iter().map(|(_, s)| s.as_str()).collect();
    assert!(
        sentences.contains(
            &"You feel Alex has been giving a little more lately; Alex sees the last months as balanced."
        ),
        "{sentences:?}"
    );
    assert!(show(&env, &id)["revealed_at"].is_string());

    let list = env.json(&["checkin", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["friend"], "Sam");
    assert!(
        env.ok(&["checkin", "list"])
            .contains("both sides are in, and shared")
    );
}

#[test]
fn new_without_answers_and_without_a_terminal_asks_nothing() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = with_stdin(&env, &["checkin", "new", "Sam"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Started a check-in with Sam"), "{stdout}");
    assert!(stdout.contains("--answers FILE.json"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "no questions: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = env.json(&["checkin", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(show(&env, &id)["stage"], "new");

    // Answering needs answers when there is no terminal.
    let line = env.bad(&["checkin", "answer", &id]);
    assert!(line.contains("expected --answers FILE.json"), "{line}");
    let answers = write(&env, "mine.json", MINE);
    let out = env.ok(&["checkin", "answer", &id, "--answers", answers.to_str().unwrap()]);
    assert!(
        out.contains("Your answers are in, sealed until Sam's arrive."),
        "{out}"
    );
    let out = env.ok(&["checkin", "answer", &id, "--answers", answers.to_str().unwrap()]);
    assert!(out.contains("Your answers replaced"), "{out}");
    assert_eq!(show(&env, &id)["stage"], "waiting");
}

#[test]
fn their_answers_stay_sealed_until_mine_are_in() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let id = env.json(&["checkin", "new", "Sam"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    let out = env.ok(&["checkin", "receive", &code]);
    assert!(out.contains("They stay sealed until you add yours"), "{out}");
    let view = show(&env, &id);
    assert_eq!(view["stage"], "theirs-sealed");
    assert_eq!(view["both"], serde_json::json!([]));
    assert!(!env.ok(&["checkin", "show", &id]).contains("Sunday"));
    let line = env.bad(&["checkin", "reveal", &id]);
    assert!(line.contains("you have not answered check-in"), "{line}");
    let line = env.bad(&["checkin", "keep", &id]);
    assert!(line.contains("you have not answered"), "{line}");
    let answers = write(&env, "mine.json", MINE);
    let out = env.ok(&["checkin", "answer", &id, "--answers", answers.to_str().unwrap()]);
    assert!(out.contains("Both sides are here now."), "{out}");
    assert_eq!(show(&env, &id)["stage"], "both");
}

#[test]
fn receiving_the_same_code_twice_is_harmless_and_a_new_one_replaces() {
    let env = Env::new();
    let id = started(&env);
    let invite = invitation(&env, &id);
    let (code, _) = reply(&invite, THEIRS);
    env.ok(&["checkin", "receive", &code]);
    let before = show(&env, &id);
    let out = env.ok(&["checkin", "receive", &code]);
    assert!(
        out.contains("This code from Sam was already here; nothing changed."),
        "{out}"
    );
    assert_eq!(show(&env, &id), before);

    // From standard input, wrapped by a chat app, and from a file.
    let wrapped: String = code
        .as_bytes()
        .chunks(60)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let out = with_stdin(&env, &["checkin", "receive", "-"], &wrapped);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already here"));
    let file = write(&env, "code.txt", &wrapped);
    assert!(
        env.ok(&["checkin", "receive", file.to_str().unwrap()])
            .contains("already here")
    );

    // They answered again: the new answers replace the earlier ones.
    let (again, _) = reply(&invite, &THEIRS.replace("\"closeness\": 6", "\"closeness\": 7"));
    let out = env.ok(&["checkin", "receive", &again]);
    assert!(out.contains("Sam answered again"), "{out}");
    let view = show(&env, &id);
    let closeness = view["both"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "closeness")
        .unwrap();
    assert_eq!(closeness["theirs"], "Almost one circle");
}

#[test]
fn codes_that_do_not_fit_get_one_line_and_change_nothing() {
    let env = Env::new();
    let id = started(&env);
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    let before = show(&env, &id);

    // A character changed on the way.
    let mut tampered = code.clone().into_bytes();
    let at = tampered.len() - 20;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    let line = env.bad(&["checkin", "receive", std::str::from_utf8(&tampered).unwrap()]);
    assert!(line.contains("does not open with this check-in's key"), "{line}");
    // Cut short.
    let line = env.bad(&["checkin", "receive", &code[..100]]);
    assert!(line.contains("cut short"), "{line}");
    // Another database's check-in.
    let other = Env::new();
    let other_id = started(&other);
    let (foreign, _) = reply(&invitation(&other, &other_id), THEIRS);
    let line = env.bad(&["checkin", "receive", &foreign]);
    assert!(line.contains("which is not in this database"), "{line}");
    // Not a reply code at all, or another kind of code.
    let line = env.bad(&["checkin", "receive", "hello"]);
    assert!(line.contains("this is not a reply code"), "{line}");
    let line = env.bad(&["checkin", "receive", &invitation(&env, &id)]);
    assert!(line.contains("this is an invitation, not a reply code"), "{line}");
    let line = env.bad(&["checkin", "receive", "mutual-reply1.abc$def"]);
    assert!(line.contains("characters that cannot be in it"), "{line}");
    // A file that is not there is said as such.
    for missing in ["replies/sam.txt", "sam-reply.txt"] {
        let line = env.bad(&["checkin", "receive", missing]);
        assert!(line.contains(&format!("there is no file {missing}")), "{line}");
    }
    // Nothing on standard input.
    let out = with_stdin(&env, &["checkin", "receive", "-"], "");
    check_bad_input(&out, &["checkin", "receive", "-"]);

    assert_eq!(show(&env, &id), before, "nothing was written");
}

#[test]
fn unknown_ids_friends_and_malformed_answers_are_refused() {
    let env = Env::new();
    let id = started(&env);
    let line = env.bad(&["checkin", "show", "0123456789abcdef"]);
    assert!(
        line.contains("there is no check-in with id 0123456789abcdef"),
        "{line}"
    );
    assert!(line.contains("mutual checkin list"), "{line}");
    let line = env.bad(&["checkin", "show", "42"]);
    assert!(
        line.contains("'42' is not a check-in id; expected 16 hex digits"),
        "{line}"
    );
    for verb in ["answer", "invite", "reveal", "keep"] {
        env.bad(&["checkin", verb, "0123456789abcdef"]);
        env.bad(&["checkin", verb, "nope"]);
    }

    let line = env.bad(&["checkin", "new", "Kim"]);
    assert!(line.contains("there is no friend called 'Kim'"), "{line}");

    let cases = [
        ("{not json", "not JSON we can read"),
        (
            r#"{"closeness": 9, "balance": 3, "heard": 4, "time": 2}"#,
            "the answer to 'closeness' is step 9; expected a step from 1 to 7",
        ),
        (r#"{"closeness": 5}"#, "the answer to 'balance' is missing"),
        (
            r#"{"closeness": 5, "balance": 3, "heard": 4, "time": 2, "mood": 3}"#,
            "there is no question 'mood'",
        ),
        (
            r#"{"closeness": 5, "balance": 3, "heard": 4, "time": 2, "more": ["hugs"]}"#,
            "has 'hugs' in its list",
        ),
        ("[1, 2]", "not an object"),
    ];
    for (json, says) in cases {
        let file = write(&env, "bad.json", json);
        let file = file.to_str().unwrap();
        let line = env.bad(&["checkin", "new", "Sam", "--answers", file]);
        assert!(
            line.contains(says) && line.contains("--answers"),
            "{json}: {line}"
        );
        let line = env.bad(&["checkin", "answer", &id, "--answers", file]);
        assert!(line.contains(says), "{json}: {line}");
    }
    let line = env.bad(&["checkin", "new", "Sam", "--answers", "missing.json"]);
    assert!(line.contains("--answers missing.json: cannot read it"), "{line}");
    assert_eq!(
        env.json(&["checkin", "list"]).as_array().unwrap().len(),
        1,
        "no check-in was started"
    );
}

#[test]
fn reveal_and_keep_wait_for_their_answers() {
    let env = Env::new();
    let id = started(&env);
    let line = env.bad(&["checkin", "reveal", &id]);
    assert!(line.contains("Sam's reply code for check-in"), "{line}");
    assert!(line.contains("has not arrived yet"), "{line}");
    let line = env.bad(&["checkin", "keep", &id]);
    assert!(line.contains("has not arrived yet"), "{line}");
}

#[test]
fn keep_saves_their_need_and_boundary_as_theirs_once() {
    let env = Env::new();
    let id = started(&env);
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    env.ok(&["checkin", "receive", &code]);
    let out = env.ok(&["checkin", "keep", &id]);
    assert!(out.contains("Saved Sam's need: a call on Sundays"), "{out}");
    assert!(out.contains("Saved Sam's boundary: no plans after ten"), "{out}");
    let needs = env.json(&["need", "list", "Sam"]);
    assert_eq!(needs.as_array().unwrap().len(), 1, "{needs}");
    assert_eq!(needs[0]["whose"], "them");
    assert_eq!(needs[0]["text"], "a call on Sundays");
    let boundaries = env.json(&["boundary", "list", "Sam"]);
    assert_eq!(boundaries[0]["whose"], "them");
    assert_eq!(boundaries[0]["text"], "no plans after ten");
    let out = env.ok(&["checkin", "keep", &id]);
    assert!(out.contains("Already saved as Sam's: a call on Sundays"), "{out}");
    assert_eq!(env.json(&["need", "list", "Sam"]).as_array().unwrap().len(), 1);
}

#[test]
fn friend_show_and_balance_show_both_sides_once_both_answered() {
    let env = Env::new();
    let id = started(&env);
    let plain_show = env.ok(&["friend", "show", "Sam"]);
    let plain_balance = env.ok(&["balance"]);
    assert!(env.json(&["friend", "show", "Sam"]).get("checkin").is_none());
    assert!(env.json(&["balance"])[0].get("checkin").is_none());
    assert!(!plain_show.contains("Check-in"), "{plain_show}");

    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    env.ok(&["checkin", "receive", &code]);
    let shown = env.ok(&["friend", "show", "Sam"]);
    assert!(shown.contains("Check-in: both sides, today"), "{shown}");
    assert!(
        shown.contains(
            "  You see the last months as balanced; Sam feels you have been giving a little more lately."
        ),
        "{shown}"
    );
    // Everything else reads as before.
    for line in plain_show.lines() {
        assert!(shown.contains(line), "lost: {line}\n{shown}");
    }
    let json = env.json(&["friend", "show", "Sam"]);
    assert_eq!(json["checkin"]["id"], id.as_str());
    assert_eq!(json["checkin"]["stage"], "both");

    let balance = env.ok(&["balance"]);
    assert!(
        balance.contains("Sam check-in: You see the last months as balanced; Sam feels you have been giving a little more lately."),
        "{balance}"
    );
    for line in plain_balance.lines() {
        assert!(balance.contains(line), "lost: {line}\n{balance}");
    }
    assert_eq!(env.json(&["balance"])[0]["checkin"]["id"], id.as_str());
}

#[test]
fn pages_are_written_owner_only_and_never_over_the_database() {
    let env = Env::new();
    let id = started(&env);
    let page = env.path("checkin.html");
    let out = env.ok(&["checkin", "page", "--out", page.to_str().unwrap()]);
    assert!(out.contains("Wrote"), "{out}");
    assert_eq!(mode(&page), 0o600);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(html.contains("<script type=\"application/json\" id=\"invite\">null</script>"));

    let invite = env.path("invite.html");
    let out = env.ok(&[
        "checkin",
        "invite",
        &id,
        "--out",
        invite.to_str().unwrap(),
        "--as",
        "Alex",
    ]);
    assert!(out.contains("Send it to Sam as a file"), "{out}");
    assert_eq!(mode(&invite), 0o600);
    let html = std::fs::read_to_string(&invite).unwrap();
    let start = html.find("id=\"invite\">\"").unwrap() + "id=\"invite\">\"".len();
    let embedded = &html[start..start + html[start..].find('"').unwrap()];
    let decoded = Invite::decode(embedded).unwrap();
    assert_eq!(decoded.id.to_string(), id);
    assert_eq!(decoded.name, "Alex");

    let db = env.db.to_str().unwrap();
    let wal = format!("{db}-wal");
    let before = std::fs::read(&env.db).unwrap();
    for target in [db, wal.as_str()] {
        let line = env.bad(&["checkin", "page", "--out", target]);
        assert!(line.contains("so nothing was written"), "{line}");
        let line = env.bad(&["checkin", "invite", &id, "--out", target]);
        assert!(line.contains("so nothing was written"), "{line}");
    }
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
    let line = env.bad(&["checkin", "page", "--out", env.dir.path().to_str().unwrap()]);
    assert!(line.contains("is a folder"), "{line}");
}

#[test]
fn invitations_are_links_once_the_page_has_an_address() {
    let env = Env::new();
    let id = started(&env);
    let out = env.ok(&["checkin", "invite", &id]);
    assert!(out.starts_with("i1."), "{out}");
    assert!(
        out.contains("The page calls you “Your friend”; add --as NAME"),
        "{out}"
    );
    let out = env.ok(&[
        "checkin",
        "invite",
        &id,
        "--page-url",
        "https://example.org/checkin.html",
        "--as",
        "Alex",
    ]);
    let link = out.lines().next().unwrap();
    assert!(link.starts_with("https://example.org/checkin.html#i1."), "{out}");
    assert!(!out.contains("Your friend"), "{out}");
    assert!(link.len() < 200, "a short link: {} characters", link.len());
    // Remembered, with the name.
    let again = env.ok(&["checkin", "invite", &id]);
    assert_eq!(again.lines().next().unwrap(), link);
    assert_eq!(Invite::decode(link).unwrap().name, "Alex");

    for url in [
        "example.org",
        "ftp://example.org/x",
        "https://example.org/a#b",
        "https://exa mple.org",
    ] {
        let line = env.bad(&["checkin", "invite", &id, "--page-url", url]);
        assert!(line.contains("is not the address of a page"), "{url}: {line}");
    }
    let long = "A".repeat(65);
    let line = env.bad(&["checkin", "invite", &id, "--as", &long]);
    assert!(line.contains("at most 64 bytes"), "{line}");
    let out = env
        .cmd()
        .args([
            "checkin",
            "invite",
            &id,
            "--page-url",
            "https://x.org/p",
            "--out",
            "x.html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_invitation_is_not_sent_again() {
    let mut env = Env::new();
    let id = started(&env);
    env.at("2026-07-16T12:00:00Z");
    let line = env.bad(&["checkin", "invite", &id]);
    assert!(line.contains("closed on 2026-07-15"), "{line}");
    assert!(line.contains("mutual checkin new Sam"), "{line}");
    // A reply that was already on its way is still welcome.
    env.at("2026-07-10T12:00:00Z");
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    env.at("2026-07-20T12:00:00Z");
    assert!(env.ok(&["checkin", "receive", &code]).contains("answers are in"));

    // One nobody answered says so kindly once it has closed.
    let fresh = env.json(&["checkin", "new", "Sam"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.at("2026-09-01T12:00:00Z");
    let out = env.ok(&["checkin", "show", &fresh]);
    assert!(
        out.contains("Nobody answered before the invitation closed"),
        "{out}"
    );
    assert!(out.contains("mutual checkin new Sam"), "{out}");
}

#[test]
fn a_second_checkin_soon_after_suggests_a_seasonal_rhythm() {
    let env = Env::new();
    started(&env);
    let answers = env.path("mine.json");
    let out = env.ok(&["checkin", "new", "Sam", "--answers", answers.to_str().unwrap()]);
    assert!(out.contains("about once a season is plenty"), "{out}");
    assert_eq!(env.json(&["checkin", "list"]).as_array().unwrap().len(), 2);
    assert!(env.ok(&["checkin", "list"]).contains("waiting for Sam's code"));
}

#[test]
fn forgetting_a_friend_removes_their_checkins() {
    let env = Env::new();
    let id = started(&env);
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    env.ok(&["checkin", "receive", &code]);
    env.ok(&["forget", "Sam", "--yes"]);
    assert_eq!(env.json(&["checkin", "list"]), serde_json::json!([]));
    assert!(env.ok(&["checkin", "list"]).contains("No check-ins yet"));
    env.bad(&["checkin", "show", &id]);
    let bytes = env.db_bytes();
    assert!(!crate::common::contains(&bytes, "a call on Sundays"));
}

#[test]
fn the_friends_page_works_in_a_real_browser() {
    // The page reads the browser's own clock, so the check-in starts now.
    let mut env = Env::new();
    let at = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let now = at(jiff::Timestamp::now());
    let long_ago = at(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 60));
    env.at(&long_ago);
    env.friends(&["Sam"]);
    let answers = write(&env, "mine.json", MINE);
    let old = env.json(&["checkin", "new", "Sam", "--answers", answers.to_str().unwrap()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let expired = env.path("expired.html");
    env.ok(&[
        "checkin",
        "invite",
        &old,
        "--as",
        "Alex",
        "--out",
        expired.to_str().unwrap(),
    ]);
    env.at(&now);
    let id = env.json(&["checkin", "new", "Sam", "--answers", answers.to_str().unwrap()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invite = env.path("invite.html");
    env.ok(&["checkin", "invite", &id, "--out", invite.to_str().unwrap()]);

    let url = |p: &Path| format!("file://{}", p.canonicalize().unwrap().display());
    let bin = assert_cmd::cargo::cargo_bin("mutual");
    let expired_url = url(&expired);
    let shots = std::env::var_os("MUTUAL_SHOTS").map(PathBuf::from);
    let mut extra: Vec<(&str, &Path)> = vec![
        ("MUTUAL_BIN", &bin),
        ("MUTUAL_DB", &env.db),
        ("MUTUAL_NOW", Path::new(&now)),
        ("CHECKIN_ID", Path::new(&id)),
        ("EXPIRED_URL", Path::new(&expired_url)),
    ];
    if let Some(dir) = &shots {
        extra.push(("MUTUAL_SHOTS", dir));
    }
    if !super::serve::browser("checkin.mjs", &url(&invite), &extra) {
        return;
    }
    // What the browser sealed is here, both sides.
    let view = show(&env, &id);
    assert_eq!(view["stage"], "both");
    assert!(view["revealed_at"].is_string());
    let need = view["both"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "need")
        .unwrap();
    assert_eq!(need["theirs"], "a call on Sundays");
}

#[test]
fn at_a_terminal_new_asks_each_question_and_asks_again_after_a_slip() {
    // util-linux `script` gives the binary a terminal; without it, say so.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: no `script` to give mutual a terminal");
        return;
    }
    let env = Env::new();
    env.friends(&["Sam"]);
    let cmd = env.std_cmd();
    let bin = cmd.get_program().to_str().unwrap().to_owned();
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &format!("{bin} checkin new Sam --json"), "/dev/null"])
        .env_clear()
        .current_dir(env.dir.path());
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            script.env(key, value);
        }
    }
    // Closeness 5; balance 9 (a slip), then 3; heard 4; time 3; more: 1 and
    // time together; less: none; a need; the rest left open.
    let answers = "5\n9\n3\n4\n3\n1, 7\n\na walk on Sundays\n\n\n";
    let mut child = script
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1/9 Which picture is closest"), "{text}");
    assert!(text.contains("7  Almost one circle"), "{text}");
    assert!(text.contains("Please type one of the numbers, 1 to 5."), "{text}");
    let id = env.json(&["checkin", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(show(&env, &id)["stage"], "waiting");
    // What was typed is what is sealed: the friend's reply shows it beside theirs.
    let (code, _) = reply(&invitation(&env, &id), THEIRS);
    env.ok(&["checkin", "receive", &code]);
    let view = show(&env, &id);
    let mine = |item: &str| {
        view["both"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["item"] == item)
            .unwrap()["mine"]
            .clone()
    };
    assert_eq!(mine("closeness"), "Halfway overlapping");
    assert_eq!(mine("balance"), "About even");
    assert_eq!(mine("more"), "Listening and time together");
    assert_eq!(mine("need"), "a walk on Sundays");
    assert_eq!(mine("boundary"), Value::Null);
}
