//! `mutual serve`: the login link comes first, and the dashboard works in a
//! real browser (headless Chromium driven by playwright-core from
//! `e2e/`): logging through the form, a follow-up done from Today, names
//! that look like attacks shown as text, and the phone width.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::common::Env;

/// A `mutual serve` running until dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(env: &Env) -> Served {
    let mut child = env
        .std_cmd()
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    Served {
        child,
        url: first.trim_end().to_owned(),
    }
}

#[test]
fn the_login_link_is_the_first_line_and_works_once() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam"]);
    let served = serve(&env);
    let (base, token) = served.url.split_once("/login?token=").unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{}", served.url);
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    assert!(port > 0);
    assert_eq!(token.len(), 43);
    // One request by hand: the token answers with a cookie once.
    let ask = |path: &str| {
        use std::io::{Read as _, Write as _};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let first = ask(&format!("/login?token={token}"));
    assert!(first.starts_with("HTTP/1.1 303"), "{first}");
    assert!(first.contains("set-cookie: mutual_session="), "{first}");
    let second = ask(&format!("/login?token={token}"));
    assert!(second.starts_with("HTTP/1.1 403"), "{second}");
}

#[test]
fn a_missing_database_is_refused_before_serving() {
    let env = Env::new();
    let out = env.cmd().args(["serve", "--port", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no mutual database"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

/// The repository's `e2e/` folder.
fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// Why the browser tests cannot run here, if they cannot.
fn no_browser() -> Option<String> {
    let chromium =
        std::env::var_os("MUTUAL_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.exists() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return Some("no node".to_owned());
    }
    if !e2e_dir().join("node_modules/playwright-core").exists() {
        return Some("playwright-core is not installed (npm ci --prefix e2e)".to_owned());
    }
    None
}

/// Runs `e2e/<script>` against `url`; the script fails with what it saw.
pub(crate) fn browser(script: &str, url: &str, extra: &[(&str, &Path)]) -> bool {
    if let Some(why) = no_browser() {
        assert!(
            std::env::var_os("MUTUAL_REQUIRE_BROWSER").is_none(),
            "browser tests are required here (MUTUAL_REQUIRE_BROWSER) but cannot run: {why}"
        );
        eprintln!("SKIPPED browser test {script}: {why}");
        return false;
    }
    let mut node = std::process::Command::new("node");
    node.arg(e2e_dir().join(script)).arg(url);
    for (key, value) in extra {
        node.env(key, value);
    }
    let out = node.output().unwrap();
    assert!(
        out.status.success(),
        "the browser test {script} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

#[test]
fn the_dashboard_works_in_a_real_browser() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "7"]);
    env.ok(&[
        "friend",
        "add",
        "<img src=x onerror=alert(1)>",
        "--notes",
        "\"><script>alert(1)</script>",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-01 18:00",
        "--gave",
        "listening",
        "--follow-up",
        "ask how the move went",
        "--due",
        "2026-06-15",
    ]);
    env.ok(&[
        "need",
        "add",
        "Sam",
        "\"><script>alert(1)</script>",
        "--whose",
        "them",
    ]);
    env.ok(&[
        "win",
        "add",
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=alert(2)>",
    ]);
    let served = serve(&env);
    let shots = std::env::var_os("MUTUAL_SHOTS").map(PathBuf::from);
    let chat = mutual_import::synth::fixtures_dir().join("whatsapp/Chatistics___chat.txt");
    let hostile = env.path("hostile.txt");
    std::fs::write(
        &hostile,
        "12/06/2026, 18:00 - <img src=x onerror=alert(3)>: hi\n12/06/2026, 18:07 - \"><script>alert(4)</script>: bye\n",
    )
    .unwrap();
    let mut extra: Vec<(&str, &Path)> = vec![("MUTUAL_CHAT", &chat), ("MUTUAL_XSS_CHAT", &hostile)];
    if let Some(dir) = &shots {
        extra.push(("MUTUAL_SHOTS", dir));
    }
    if !browser("dashboard.mjs", &served.url, &extra) {
        return;
    }
    // What the browser logged is in the database.
    let entries = env.json(&["journal", "list", "Sam"]);
    let notes: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(notes.contains(&"walked by the river <b>"), "{entries}");
    let follow_ups = env.ok(&["followup", "list", "--all"]);
    assert!(follow_ups.contains("done"), "{follow_ups}");
    // The uploaded chat is stored, and its sender is Sam's alias now.
    let sam = env.json(&["friend", "show", "Sam"]);
    assert!(sam.to_string().contains("Alice Placeholder"), "{sam}");
}

#[test]
fn serving_beyond_this_computer_needs_an_encrypted_database_and_one_address() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam"]);
    for (listen, says) in [
        ("192.0.2.10", "needs a passphrase to log in"),
        ("0.0.0.0", "means every address"),
        ("not-an-ip", "invalid IP address"),
    ] {
        let out = env
            .cmd()
            .args(["serve", "--port", "0", "--listen", listen])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{listen}");
        assert!(out.stdout.is_empty(), "{listen}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{listen}: {err}");
    }
}
