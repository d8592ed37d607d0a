//! Output fitted to the terminal: with `COLUMNS` set, prose wraps at word
//! boundaries within the width, a command is never broken, and tables keep
//! within the width by dropping columns. Each command is read at 60, 80 and
//! 120 columns against its unwrapped output (a pipe, no `COLUMNS`).

use crate::common::Env;

const WIDTHS: [usize; 3] = [60, 80, 120];

/// An environment whose database is the demo's, and the demo's output.
fn demo() -> (Env, String) {
    let mut env = Env::new();
    env.db = env.path("demo.db");
    let out = env.ok(&["demo", "--db", env.db.to_str().unwrap()]);
    (env, out)
}

fn at_width(env: &Env, width: usize, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COLUMNS", width.to_string())
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?} at {width} columns failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The commands a text shows to copy: spans in backticks, and `mutual`
/// with what follows it to the end of a line.
fn commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut parts = line.split('`');
        let mut outside = parts.next();
        while let Some(inside) = parts.next() {
            found.push(inside.to_owned());
            if let Some(at) = outside.and_then(|o| o.find("mutual ")) {
                found.push(outside.unwrap()[at..].trim_end().to_owned());
            }
            outside = parts.next();
        }
        if let Some(rest) = outside
            && let Some(at) = rest.find("mutual ")
            && rest[at + 7..].starts_with(|c: char| c.is_ascii_lowercase())
        {
            found.push(rest[at..].trim_end().to_owned());
        }
    }
    found.retain(|c| c.starts_with("mutual "));
    found
}

/// Checks `wrapped` is `plain` fitted to `width`: no line wider, the same
/// words in the same order, and every command of `plain` whole on one line.
fn fits(plain: &str, wrapped: &str, width: usize, what: &str) {
    for line in wrapped.lines() {
        assert!(
            line.chars().count() <= width,
            "{what} at {width} columns has a line of {}:\n{line}\n\n{wrapped}",
            line.chars().count()
        );
    }
    let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        words(wrapped),
        words(plain),
        "{what} at {width} columns lost or moved words"
    );
    let cmds = commands(plain);
    for cmd in &cmds {
        assert!(
            wrapped.lines().any(|l| l.contains(cmd.as_str())),
            "{what} at {width} columns broke `{cmd}`:\n{wrapped}"
        );
    }
}

#[test]
fn prose_wraps_to_the_width_without_breaking_a_command() {
    let (env, _) = demo();
    for args in [
        &["today"][..],
        &["signals"],
        &["review", "--period", "month"],
        &["friend", "show", "Jordan"],
        &["friend", "show", "Alex"],
    ] {
        let plain = env.ok(args);
        assert!(
            plain.lines().any(|l| l.chars().count() > 60),
            "{args:?} has nothing to wrap:\n{plain}"
        );
        for width in WIDTHS {
            fits(&plain, &at_width(&env, width, args), width, &args.join(" "));
        }
    }
}

#[test]
fn the_agenda_keeps_the_commands_it_suggests_whole() {
    let (env, _) = demo();
    let plain = env.ok(&["today"]);
    let cmds = commands(&plain);
    assert!(
        cmds.contains(&"mutual win respond 2 enthusiastic".to_owned()),
        "{cmds:?}"
    );
    assert!(cmds.len() >= 4, "{cmds:?}");
    let narrow = at_width(&env, 60, &["today"]);
    // A wrapped line goes on under the text of its bullet.
    let lines: Vec<&str> = narrow.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("  \u{2022} ") && l.contains("Alex's messages"))
        .unwrap();
    let next = lines[first + 1];
    assert!(next.starts_with("    ") && !next.starts_with("     "), "{narrow}");
    assert!(!next.contains("A low-pressure"), "not wrapped:\n{narrow}");
}

#[test]
fn tables_drop_columns_to_stay_within_the_width() {
    let (env, _) = demo();
    let plain = env.ok(&["balance"]);
    assert!(plain.lines().any(|l| l.chars().count() > 100), "{plain}");
    for width in WIDTHS {
        let out = at_width(&env, width, &["balance"]);
        for line in out.lines() {
            assert!(line.chars().count() <= width, "balance at {width}:\n{out}");
        }
        for name in ["Alex", "Chris", "Jordan", "Maya", "Priya", "Sam"] {
            assert!(out.contains(name), "{name} missing at {width}:\n{out}");
        }
        // The chat column goes first; the balance itself always stays.
        assert_eq!(out.contains("Chats, 8 weeks"), width >= 120, "{out}");
        assert!(out.contains("+0.83"), "{out}");

        let list = at_width(&env, width, &["friend", "list"]);
        for line in list.lines() {
            assert!(line.chars().count() <= width, "friend list at {width}:\n{list}");
        }
        assert!(list.contains("Last contact"), "{list}");
    }
}

#[test]
fn the_demo_says_once_how_to_reach_its_database() {
    let (env, plain) = demo();
    let db = env.db.to_str().unwrap();
    assert_eq!(
        plain.matches(&format!("export MUTUAL_DB={db}")).count(),
        1,
        "{plain}"
    );
    assert!(!plain.contains("--db "), "{plain}");
    for width in WIDTHS {
        let out = at_width(&env, width, &["demo", "--db", db]);
        for line in out.lines() {
            assert!(
                line.chars().count() <= width || line.contains(db),
                "demo at {width} has a line of {}:\n{line}",
                line.chars().count()
            );
        }
        for cmd in [
            "mutual friend show Jordan",
            "mutual signals Alex",
            "mutual review --period month",
        ] {
            assert!(
                out.lines().any(|l| l.contains(cmd)),
                "{cmd} broken at {width}:\n{out}"
            );
        }
    }
}
