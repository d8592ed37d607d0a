//! The one helper every CLI test uses: a temporary home with its own
//! database, a fixed clock and time zone, and no colours.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The moment tests run at, unless they say otherwise.
pub(crate) const NOW: &str = "2026-06-15T12:00:00Z";

pub(crate) struct Env {
    pub(crate) dir: TempDir,
    pub(crate) db: PathBuf,
    now: String,
}

impl Env {
    pub(crate) fn new() -> Env {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("data").join("mutual.db");
        Env {
            dir,
            db,
            now: NOW.to_owned(),
        }
    }

    /// The same database, evaluated at another moment.
    pub(crate) fn at(&mut self, now: &str) -> &mut Env {
        self.now = now.to_owned();
        self
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mutual` with this environment's database, clock and zone.
    pub(crate) fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain process to spawn.
    pub(crate) fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("mutual"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("MUTUAL_DB", &self.db)
            .env("MUTUAL_NOW", &self.now)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs and expects success; returns standard output.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("mutual runs");
        assert!(
            out.status.success(),
            "mutual {args:?} failed ({:?}):\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs a read command with `--json` and parses its output.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("valid JSON")
    }

    /// Runs and expects bad input: exit code 2, one line on stderr that
    /// starts with "mutual:", nothing on stdout, nothing written. Returns
    /// the line.
    pub(crate) fn bad(&self, args: &[&str]) -> String {
        let before = self.snapshot();
        let out = self.cmd().args(args).output().expect("mutual runs");
        let line = check_bad_input(&out, args);
        assert_eq!(self.snapshot(), before, "mutual {args:?} changed the database");
        line
    }

    /// Everything in the database, or nothing when there is none yet.
    pub(crate) fn snapshot(&self) -> Option<Value> {
        if !self.db.exists() {
            return None;
        }
        let out = self.cmd().arg("export").output().expect("mutual runs");
        if !out.status.success() {
            return None;
        }
        let mut doc: Value = serde_json::from_slice(&out.stdout).expect("export is JSON");
        doc.as_object_mut().expect("an object").remove("exported_at");
        Some(doc)
    }

    /// Today's agenda items of one kind.
    pub(crate) fn agenda(&self, kind: &str) -> Vec<Value> {
        self.json(&["today"])["items"]
            .as_array()
            .expect("agenda items")
            .iter()
            .filter(|i| i["kind"] == kind)
            .cloned()
            .collect()
    }

    /// Adds friends by name.
    pub(crate) fn friends(&self, names: &[&str]) {
        for name in names {
            self.ok(&["friend", "add", name]);
        }
    }

    /// All bytes of the database files (main, WAL, shared memory).
    pub(crate) fn db_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.db.as_os_str().to_owned();
            name.push(suffix);
            if let Ok(b) = std::fs::read(Path::new(&name)) {
                bytes.extend(b);
            }
        }
        bytes
    }
}

pub(crate) fn check_bad_input(out: &Output, args: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "mutual {args:?} should fail with 2; stderr: {stderr}; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "mutual {args:?}: one line expected, got:\n{stderr}"
    );
    assert!(stderr.starts_with("mutual: "), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "mutual {args:?} printed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr.trim_end().to_owned()
}

pub(crate) fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
