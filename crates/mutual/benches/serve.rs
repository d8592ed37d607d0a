//! The dashboard under load (issue 10, "Speed"): the real release binary
//! runs `mutual serve` on a decade of data (50 friends, a journal entry with
//! each every day for ten years, 5,000,000 imported chat messages), and 20
//! clients on loopback ask for every page a bounded number of times over
//! keep-alive HTTP/1.1 connections, each with the session cookie. Prints
//! each page's latency (p50, p95, p99, max: the time from sending the
//! request to the last byte of the response), its size and the server's CPU
//! time per request; the largest Friend page; the binary's size and start
//! time; and whether each target is met:
//!
//! - every page's p95 under 50 ms with 20 concurrent clients;
//! - the Friend page under 300 KB.
//!
//! Then it times the parts of those pages in this process, one at a time
//! (the application layer's calls each handler makes), to show where a
//! request's time goes.
//!
//! The first run builds the database (the journal through the store, the
//! chats as WhatsApp exports imported by the real `mutual import`; a few
//! minutes) under `target/tmp/`, and later runs reuse it; delete that
//! folder after a change of the schema or the weekly measures.
//! `MUTUAL_BENCH_BEFORE=/path/to/an/older/mutual` also measures an older
//! binary's size and start time, for the before and after.
//!
//! Run with `cargo bench -p mutual --bench serve`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

#[path = "common/decade.rs"]
mod decade;

use decade::{FRIENDS, NOW, friend};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use mutual_import::synth::{Generator, write_whatsapp};
/// Lines per friend's chat: 50 × 100,100, of which about one in a
/// thousand is a system line, leaves about 5,000,000 messages.
const PER_CHAT: usize = 100_100;
/// Bumped when the database this bench builds changes.
const DATASET: &str = "serve-v2";

const CLIENTS: usize = 20;
/// Requests per page under load, shared by the clients
/// (`MUTUAL_BENCH_REQUESTS` to change).
const REQUESTS: usize = 400;
/// Requests per page from one client alone, to show each page's own cost.
const ALONE: usize = 20;
/// How many friends the Friend pages are asked for, in turn.
const FRIEND_IDS: usize = 5;
/// Runs of each command timed for the start time.
const STARTS: usize = 20;
/// How long each part is run in process, at least.
const PART_CPU: Duration = Duration::from_millis(300);

const TARGET_P95: Duration = Duration::from_millis(50);
const TARGET_FRIEND_PAGE: usize = 300_000;

fn main() {
    let db = decade();
    print_counts(&db);

    println!();
    println!("binary (size in bytes; start time: median of {STARTS} runs)");
    let mut binaries = vec![("after", PathBuf::from(binary()))];
    if let Some(before) = std::env::var_os("MUTUAL_BENCH_BEFORE") {
        binaries.insert(0, ("before", PathBuf::from(before)));
    }
    println!(
        "  {:<8} {:>12} {:>12} {:>12} {:>12}",
        "", "bytes", "stripped", "--version", "today"
    );
    for (label, exe) in &binaries {
        let size = std::fs::metadata(exe).map(|m| m.len()).unwrap_or(0);
        let stripped = stripped_size(exe).map_or("-".to_owned(), |b| b.to_string());
        let version = median_start(exe, &["--version"]);
        let today = median_start(exe, &["--db", db.to_str().expect("a UTF-8 path"), "today"]);
        println!(
            "  {label:<8} {size:>12} {stripped:>12} {:>12} {:>12}",
            ms(version),
            ms(today)
        );
    }

    let server = Server::start(&db);
    let mut first = server.connect();
    let started = Instant::now();
    let front = first.get("/").expect("the first page");
    assert_eq!(front.status, 200, "GET /: {}", front.text());
    println!();
    println!("first page after start: {}", ms(started.elapsed()));

    let listed = first.get("/friends").expect("the friends page");
    let ids = friend_ids(&listed.text());
    assert_eq!(ids.len(), FRIENDS, "the Friends page links every friend");
    let mut largest = (0, 0);
    let mut largest_json = (0, 0);
    for &id in &ids {
        let page = first.get(&format!("/friends/{id}")).expect("a friend page");
        assert_eq!(page.status, 200, "GET /friends/{id}: {}", page.text());
        largest = largest.max((page.body.len(), id));
        let json = first.get(&format!("/api/friends/{id}")).expect("a friend's JSON");
        assert_eq!(json.status, 200, "GET /api/friends/{id}: {}", json.text());
        largest_json = largest_json.max((json.body.len(), id));
    }
    println!(
        "largest Friend page: {} bytes (/friends/{}); largest /api/friends/<id>: {} bytes (/api/friends/{})",
        largest.0, largest.1, largest_json.0, largest_json.1
    );

    let some: Vec<i64> = (0..FRIEND_IDS).map(|i| ids[i * ids.len() / FRIEND_IDS]).collect();
    let pages = pages(&some);

    println!();
    println!("one client alone, {ALONE} requests per page");
    header();
    let mut alone = Vec::new();
    for page in &pages {
        let phase = load(&server, std::slice::from_mut(&mut first), page, ALONE);
        phase.print(&page.name);
        alone.push(phase);
    }

    let requests = std::env::var("MUTUAL_BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(REQUESTS);
    println!();
    println!("{CLIENTS} clients at once (keep-alive), {requests} requests per page");
    header();
    let mut clients: Vec<Conn> = (0..CLIENTS).map(|_| server.connect()).collect();
    let mut loaded = Vec::new();
    for page in &pages {
        let phase = load(&server, &mut clients, page, requests);
        phase.print(&page.name);
        loaded.push(phase);
    }
    drop(server);

    parts(&db, largest.1);

    println!();
    println!("targets");
    let mut met = true;
    for (page, phase) in pages.iter().zip(&loaded) {
        if page.baseline {
            continue;
        }
        let p95 = phase.percentile(0.95);
        let ok = p95 < TARGET_P95;
        met &= ok;
        println!(
            "  {} {:<20} p95 {} under {CLIENTS} clients (target < {})",
            verdict(ok),
            page.name,
            ms(p95),
            ms(TARGET_P95)
        );
    }
    let ok = largest.0 < TARGET_FRIEND_PAGE;
    met &= ok;
    println!(
        "  {} {:<20} {} bytes at most (target < {TARGET_FRIEND_PAGE})",
        verdict(ok),
        "Friend page size",
        largest.0
    );
    println!(
        "{}",
        if met {
            "every target is met"
        } else {
            "some targets are missed"
        }
    );
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_mutual")
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET   " } else { "MISSED" }
}

/// A command of `exe` on the bench's clock and zone.
fn mutual(exe: &Path) -> Command {
    let mut cmd = Command::new(exe);
    cmd.env("TZ", "UTC")
        .env("MUTUAL_NOW", NOW)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null());
    cmd
}

// ------------------------------------------------------------ The data

/// The decade database, built once and kept under `target/tmp/`.
fn decade() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mutual-bench-{DATASET}"));
    let db = dir.join("decade.db");
    let done = dir.join("complete");
    if done.exists() {
        println!("reusing {}", db.display());
        return db;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("chats")).expect("a bench directory");
    let started = Instant::now();
    decade::write(&db);
    println!("journal written in {:.0} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let files = chats(&dir.join("chats"));
    println!("chats written in {:.0} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let mut import = mutual(Path::new(binary()));
    import
        .arg("--db")
        .arg(&db)
        .args(["import", "--me", "Me"])
        .args(&files);
    for i in 0..FRIENDS {
        import.arg("--map").arg(format!("{0}={0}", friend(i)));
    }
    let status = import.status().expect("mutual import runs");
    assert!(status.success(), "the import failed");
    println!("chats imported in {:.0} s", started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(dir.join("chats"));
    std::fs::write(&done, DATASET).expect("the bench directory is writable");
    db
}

/// One WhatsApp export per friend, 100,000 messages between "Me" and them
/// (about nine years), the chat with friend `i` ending `1 + 3i` days before
/// now, so some chats are current and some went quiet months ago.
fn chats(dir: &Path) -> Vec<PathBuf> {
    let now = NOW
        .parse::<Timestamp>()
        .expect("a time")
        .to_zoned(TimeZone::UTC)
        .datetime();
    (0..FRIENDS)
        .map(|i| {
            let people = ["Me", &friend(i)];
            let origin = jiff::civil::date(2016, 1, 4).at(8, 0, 0, 0);
            let mut probe = Generator::new(i as u64, &people, origin);
            let last = (0..PER_CHAT).fold(origin, |_, _| probe.next_message().local);
            let end: DateTime = now - jiff::SignedDuration::from_hours(24 * (1 + 3 * i as i64));
            let start = origin + end.duration_since(last);
            let path = dir.join(format!("WhatsApp Chat with {}.txt", friend(i)));
            let file = std::fs::File::create(&path).expect("a bench file");
            let mut out = std::io::BufWriter::new(file);
            write_whatsapp(&mut out, &mut Generator::new(i as u64, &people, start), PER_CHAT)
                .expect("written");
            out.flush().expect("written");
            path
        })
        .collect()
}

/// What the database holds, counted with SQL.
fn print_counts(db: &Path) {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let conn = rusqlite::Connection::open_with_flags(db, flags).expect("the bench database opens");
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))
            .expect("a count")
    };
    let bytes = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {} friends, {} journal entries, {} messages, {} stored weeks, {:.0} MB",
        count("friend"),
        count("interaction"),
        count("message"),
        count("week"),
        bytes as f64 / 1e6
    );
}

// ----------------------------------------------------------- The binary

/// The size of `exe` without its symbols and debug lines, where `strip` is
/// installed.
fn stripped_size(exe: &Path) -> Option<u64> {
    let copy = std::env::temp_dir().join(format!("mutual-serve-bench-strip-{}", std::process::id()));
    std::fs::copy(exe, &copy).ok()?;
    let stripped = Command::new("strip")
        .arg(&copy)
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&copy).ok())
        .map(|m| m.len());
    let _ = std::fs::remove_file(&copy);
    stripped
}

/// The median wall time of running `exe args` to its end.
fn median_start(exe: &Path, args: &[&str]) -> Duration {
    let mut times: Vec<Duration> = (0..STARTS)
        .map(|_| {
            let started = Instant::now();
            let status = mutual(exe).args(args).status().expect("the binary runs");
            assert!(status.success(), "{} {args:?} failed", exe.display());
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

// ----------------------------------------------------------- The server

/// `mutual serve` in a child process, logged in once.
struct Server {
    child: Child,
    /// Kept open: the server's stdout.
    _stdout: BufReader<ChildStdout>,
    /// `127.0.0.1:PORT`, the address and the Host header.
    host: String,
    /// `mutual_session=...`.
    cookie: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = mutual(Path::new(binary()))
            .arg("--db")
            .arg(db)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mutual serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("a piped stdout"));
        let mut url = String::new();
        stdout.read_line(&mut url).expect("the login link");
        let rest = url.trim().strip_prefix("http://").expect("an http:// link");
        let (host, login) = rest.split_at(rest.find('/').expect("a path"));
        let mut server = Server {
            child,
            _stdout: stdout,
            host: host.to_owned(),
            cookie: String::new(),
        };
        let response = server.connect().get(login).expect("the login");
        assert!(
            (300..400).contains(&response.status),
            "the login link redirects: {}",
            response.text()
        );
        let set = response.header("set-cookie").expect("a session cookie");
        server.cookie = set.split(';').next().unwrap_or_default().to_owned();
        assert!(server.cookie.starts_with("mutual_session="), "{set}");
        server
    }

    fn connect(&self) -> Conn {
        Conn::open(&self.host, &self.cookie)
    }

    /// The CPU time the server has used so far (user and system, all its
    /// threads), from `/proc`; zero where there is none.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // After the command name: state is field 3; utime and stime are 14 and 15.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        // /proc counts in USER_HZ, which is 100 on Linux.
        Duration::from_millis((ticks(14) + ticks(15)) * 10)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection, as a browser tab keeps one.
struct Conn {
    host: String,
    cookie: String,
    stream: TcpStream,
    buf: Vec<u8>,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Conn {
    fn open(host: &str, cookie: &str) -> Conn {
        let stream = TcpStream::connect(host).expect("the server accepts");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        Conn {
            host: host.to_owned(),
            cookie: cookie.to_owned(),
            stream,
            buf: Vec::new(),
        }
    }

    fn get(&mut self, path: &str) -> std::io::Result<Response> {
        let cookie = if self.cookie.is_empty() {
            String::new()
        } else {
            format!("Cookie: {}\r\n", self.cookie)
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{cookie}Accept: text/html,application/json\r\n\r\n",
            self.host
        );
        self.stream.write_all(request.as_bytes())?;
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            self.fill()?;
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        self.buf.drain(..head_end);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {head}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().map_err(std::io::Error::other)?;
            response.body = self.take(length)?;
        } else if response
            .header("transfer-encoding")
            .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let line_end = loop {
                    if let Some(i) = find(&self.buf, b"\r\n") {
                        break i;
                    }
                    self.fill()?;
                };
                let size = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
                self.buf.drain(..line_end + 2);
                let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(std::io::Error::other)?;
                let chunk = self.take(size + 2)?;
                if size == 0 {
                    break;
                }
                response.body.extend_from_slice(&chunk[..size]);
            }
        } else {
            return Err(std::io::Error::other(
                "a response without a length; this client keeps connections open",
            ));
        }
        Ok(response)
    }

    fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    fn take(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        while self.buf.len() < n {
            self.fill()?;
        }
        Ok(self.buf.drain(..n).collect())
    }
}

/// The ids in a page's `/friends/<id>` links, in order, each once.
fn friend_ids(html: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for (i, _) in html.match_indices("href=\"/friends/") {
        let rest = &html[i + "href=\"/friends/".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse()
            && rest[digits.len()..].starts_with('"')
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

// ------------------------------------------------------------ The load

struct Page {
    name: String,
    /// Asked for in turn.
    paths: Vec<String>,
    /// For scale only (no target): a static asset, a plain list.
    baseline: bool,
}

fn pages(ids: &[i64]) -> Vec<Page> {
    let one = |path: &str| Page {
        name: path.to_owned(),
        paths: vec![path.to_owned()],
        baseline: false,
    };
    let each = |name: &str, prefix: &str| Page {
        name: name.to_owned(),
        paths: ids.iter().map(|id| format!("{prefix}{id}")).collect(),
        baseline: false,
    };
    let baseline = |path: &str| Page {
        baseline: true,
        ..one(path)
    };
    vec![
        baseline("/assets/style.css"),
        baseline("/api/friends"),
        one("/"),
        one("/friends"),
        each("/friends/<id>", "/friends/"),
        one("/log"),
        one("/review"),
        one("/settings"),
        one("/api/today"),
        one("/api/balance"),
        one("/api/signals"),
        each("/api/friends/<id>", "/api/friends/"),
    ]
}

/// The latencies of one page's requests.
struct Phase {
    latencies: Vec<Duration>,
    /// Response body sizes, smallest and largest.
    bytes: (usize, usize),
    wall: Duration,
    cpu: Duration,
}

impl Phase {
    /// The nearest-rank percentile `p` (0 to 1).
    fn percentile(&self, p: f64) -> Duration {
        let n = self.latencies.len();
        let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
        self.latencies[rank - 1]
    }

    fn print(&self, name: &str) {
        let n = self.latencies.len();
        let bytes = if self.bytes.0 == self.bytes.1 {
            self.bytes.1.to_string()
        } else {
            format!("{}-{}", self.bytes.0, self.bytes.1)
        };
        println!(
            "  {name:<20} {n:>5} {:>10} {:>10} {:>10} {:>10} {bytes:>15} {:>10} {:>8.0}",
            ms(self.percentile(0.5)),
            ms(self.percentile(0.95)),
            ms(self.percentile(0.99)),
            ms(self.latencies[n - 1]),
            ms(self.cpu / n as u32),
            n as f64 / self.wall.as_secs_f64(),
        );
    }
}

fn header() {
    println!(
        "  {:<20} {:>5} {:>10} {:>10} {:>10} {:>10} {:>15} {:>10} {:>8}",
        "page", "n", "p50", "p95", "p99", "max", "bytes", "cpu/req", "req/s"
    );
}

/// `total` requests for `page`, shared by the connections, all at once.
fn load(server: &Server, conns: &mut [Conn], page: &Page, total: usize) -> Phase {
    let clients = conns.len();
    let barrier = Barrier::new(clients + 1);
    let (cpu, started, results) = std::thread::scope(|scope| {
        let handles: Vec<_> = conns
            .iter_mut()
            .enumerate()
            .map(|(c, conn)| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    (c..total)
                        .step_by(clients)
                        .map(|i| {
                            let path = &page.paths[i % page.paths.len()];
                            let started = Instant::now();
                            let response = conn.get(path).unwrap_or_else(|e| panic!("GET {path}: {e}"));
                            let took = started.elapsed();
                            assert_eq!(response.status, 200, "GET {path}: {}", response.text());
                            (took, response.body.len())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let cpu = server.cpu();
        barrier.wait();
        let started = Instant::now();
        let results: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client finished"))
            .collect();
        (cpu, started, results)
    });
    let wall = started.elapsed();
    let cpu = server.cpu().saturating_sub(cpu);
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.0).collect();
    latencies.sort();
    let sizes = results.iter().map(|r| r.1);
    let bytes = (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0));
    Phase {
        latencies,
        bytes,
        wall,
        cpu,
    }
}

// ----------------------------------------------------------- The parts

/// The CPU time this thread has used so far (from `/proc`, so that other
/// work on the machine does not count); `None` where there is none.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The mean CPU time of running `f` over and over for at least
/// `PART_CPU` of CPU time (`/proc` counts it in scheduler ticks), or the
/// mean wall time where the CPU time is unknown.
fn mean<T>(mut f: impl FnMut() -> T) -> Duration {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    let mut runs = 0u32;
    loop {
        std::hint::black_box(f());
        runs += 1;
        let spent = match (cpu, thread_cpu()) {
            (Some(before), Some(after)) => after.saturating_sub(before),
            _ => wall.elapsed(),
        };
        if spent >= PART_CPU || wall.elapsed() >= PART_CPU * 20 {
            return spent / runs;
        }
    }
}

/// Times, in this process and one at a time, the application layer's
/// calls that the pages make (as `mutual serve` makes them, on the same
/// clock and zone), for friend `id` where one friend is asked for.
fn parts(db: &Path, id: i64) {
    use mutual_app::Settings;
    use mutual_core::FriendId;
    use mutual_store::{Access, Store};

    let settings = Settings {
        now: NOW.parse().expect("a time"),
        tz: TimeZone::get("UTC").expect("UTC"),
        config: mutual_core::ModelConfig::default(),
        weeks: mutual_analysis::weekly::WeekConfig::default(),
        drift: mutual_analysis::drift::DriftConfig::default(),
    };
    let s = &settings;
    let open = || Store::open_as(db, None, Access::Read).expect("the bench database opens");
    let store = open();
    let db = store.db();
    let cx = s.context();
    let records = s.records(db, None).expect("records");
    let weeks = s.weeks(db, None).expect("weeks");
    let drift = s.drift_in(&weeks, &records);
    let friend = FriendId(id);
    let one = s.records(db, Some(friend)).expect("a record");
    let one_weeks = s.weeks(db, Some(friend)).expect("weeks");
    let one_drift = s.drift_in(&one_weeks, &one);
    let empty = Vec::new();
    let report = || {
        mutual_app::report::friend_report(&one[0], one_weeks.get(&friend).unwrap_or(&empty), &one_drift, &cx)
    };
    let report_made = report();
    let lookback = mutual_core::days(s.config.signals.lookback_days + 1);
    let since = s.now - lookback;
    let ids: Vec<FriendId> = records.iter().map(|r| r.friend.id).collect();

    let rows: Vec<(&str, Duration)> = vec![
        ("open a read connection", mean(open)),
        (
            "Db::records, every friend",
            mean(|| db.records(None, s.horizon(), s.now).expect("records")),
        ),
        (
            "  Db::exchanges_of x50 (since the horizon)",
            mean(|| {
                for &f in &ids {
                    db.exchanges_of(f, Some(s.horizon())).expect("exchanges");
                }
            }),
        ),
        (
            "  Db::last_message x50",
            mean(|| {
                for &f in &ids {
                    db.last_message(f, s.now).expect("a time");
                }
            }),
        ),
        (
            "chats::add_chat_contacts, every friend",
            mean(|| {
                let mut records = records.clone();
                mutual_app::chats::add_chat_contacts(db, &mut records, since, s.now, &s.weeks)
                    .expect("contacts")
            }),
        ),
        (
            "Settings::records, every friend",
            mean(|| s.records(db, None).expect("records")),
        ),
        (
            "Db::weeks, every friend (rows)",
            mean(|| db.weeks(None).expect("weeks")),
        ),
        (
            "Settings::weeks, every friend",
            mean(|| s.weeks(db, None).expect("weeks")),
        ),
        (
            "Settings::drift_in, every friend",
            mean(|| s.drift_in(&weeks, &records)),
        ),
        (
            "mutual_core::agenda",
            mean(|| mutual_core::agenda(&records, &drift, &cx)),
        ),
        (
            "views::today (/, /api/today)",
            mean(|| mutual_app::views::today(s, db).expect("today")),
        ),
        (
            "views::balance_rows (/friends, /api/balance)",
            mean(|| mutual_app::views::balance_rows(s, db, &records).expect("rows")),
        ),
        (
            "views::signal_rows, every friend (/api/signals)",
            mean(|| mutual_app::views::signal_rows(s, db, &records).expect("rows")),
        ),
        (
            "views::review (/review)",
            mean(|| {
                mutual_app::views::review(s, db, records.clone(), mutual_core::Period::Week, None)
                    .expect("a review")
            }),
        ),
        (
            "Settings::records, one friend",
            mean(|| s.records(db, Some(friend)).expect("a record")),
        ),
        (
            "views::friend_profile (/friends/<id>, /api/friends/<id>)",
            mean(|| mutual_app::views::friend_profile(s, db, friend).expect("a profile")),
        ),
        (
            "  Db::interactions, one friend (every entry)",
            mean(|| {
                let filter = mutual_store::JournalFilter {
                    friend: Some(friend),
                    ..mutual_store::JournalFilter::default()
                };
                db.interactions(&filter).expect("entries")
            }),
        ),
        (
            "Settings::weeks, one friend",
            mean(|| s.weeks(db, Some(friend)).expect("weeks")),
        ),
        (
            "Settings::drift_in, one friend",
            mean(|| s.drift_in(&one_weeks, &one)),
        ),
        ("report::friend_report", mean(report)),
        (
            "mutual_report::figures (the charts' HTML)",
            mean(|| mutual_report::figures(&report_made, s.today())),
        ),
        (
            "views::signal_rows, one friend",
            mean(|| mutual_app::views::signal_rows(s, db, &one).expect("rows")),
        ),
    ];
    println!();
    println!("where the time goes: each part alone in this process, mean CPU time per run (friend {id})");
    for (part, took) in rows {
        println!("  {part:<58} {:>10}", ms(took));
    }
}
