//! `mutual serve`: the dashboard in a browser, on this computer only.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::app::{App, data_dir};
use crate::error::bad;

/// Open your dashboard in a browser, on this computer only
///
/// Prints a one-time login link as its first line; open it in a browser on
/// this computer. Press Ctrl-C to stop. An encrypted database asks for its
/// passphrase on the page, never on the command line.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 0, value_name = "N")]
    port: u16,
    /// Open the login link in the default browser
    #[arg(long)]
    open: bool,
    /// Serve a fresh demo database (never yours) instead
    #[arg(long)]
    demo: bool,
    /// Also serve on this address of the computer (e.g. 192.168.1.20, for a
    /// phone on the same network): over HTTPS with a certificate made on
    /// first use, logged into with the database's passphrase (it must be
    /// encrypted)
    #[arg(long, value_name = "ADDR", conflicts_with = "demo")]
    listen: Option<std::net::IpAddr>,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let db = if args.demo {
        make_demo(app)?
    } else {
        app.db_path()?
    };
    let remote = args.listen.filter(|ip| !ip.is_loopback());
    if let Some(ip) = remote {
        if ip.is_unspecified() {
            return Err(bad(format!(
                "--listen {ip} means every address; expected one address of this computer, such as 192.168.1.20"
            )));
        }
        if !mutual_store::is_encrypted(&db)? {
            return Err(bad(
                "serving beyond this computer needs a passphrase to log in, and this database has none; encrypt it first with mutual rekey",
            ));
        }
    }
    if !mutual_store::is_encrypted(&db)? {
        // A database that is not there is an error now, not on the first
        // page; and it is brought up to date once, as any command does.
        drop(app.with_db(&db).open_read()?);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the web server")?;
    runtime.block_on(serve(args, app, db))
}

async fn serve(args: Args, app: &App, db: std::path::PathBuf) -> Result<()> {
    let remote = args.listen.filter(|ip| !ip.is_loopback());
    let ip = remote.unwrap_or(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST));
    let addr = SocketAddr::from((ip, args.port));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        bad(format!(
            "could not listen on port {}: {e}; expected a free port, or --port 0 to pick one",
            args.port
        ))
    })?;
    let bound = listener.local_addr()?;
    let web = mutual_web::Web::new(mutual_web::Config {
        db: db.clone(),
        settings: app.settings().clone(),
        clock: if app.fixed_clock() {
            mutual_web::Clock::Fixed(app.now)
        } else {
            mutual_web::Clock::Live
        },
        host: bound.to_string(),
        remote: remote.is_some(),
    })
    .map_err(|e| match e {
        mutual_web::WebError::App(e) => anyhow::Error::from(e),
        other => anyhow::Error::from(other),
    })?;
    let url = web.login_url();
    let certificate = match remote {
        Some(ip) => {
            let dir = db
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            Some(mutual_web::tls::certificate(dir, ip)?)
        }
        None => None,
    };
    // The link comes first, alone on its line, for people and for tools.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{url}")?;
    out.flush()?;
    drop(out);
    match &certificate {
        None => eprintln!(
            "Your dashboard is at http://{bound}/ (this computer only). The link above logs one browser in, once. Press Ctrl-C to stop."
        ),
        Some(c) => eprintln!(
            "Your dashboard is at https://{bound}/ for devices on this network; log in with the database's passphrase.\n\
             The certificate is made here, so the browser will warn about it: check that its SHA-256 fingerprint is\n  {}\n\
             (kept at {}). Press Ctrl-C to stop.",
            c.fingerprint,
            c.cert.display()
        ),
    }
    if args.open {
        open_in_browser(&url);
    }
    let web = Arc::new(web);
    let served = async {
        match &certificate {
            Some(c) => mutual_web::serve(mutual_web::tls::TlsListener::new(listener, c), web).await,
            None => mutual_web::serve(listener, web).await,
        }
    };
    tokio::select! {
        served = served => served.context("the web server stopped")?,
        _ = tokio::signal::ctrl_c() => eprintln!("Stopped. Your data is where it was."),
    }
    Ok(())
}

/// Opens `url` with the platform's opener; says so when there is none.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("Could not open a browser ({opener} is not available); open the link above yourself.");
    }
}

/// A fresh demo database, made by `mutual demo` in a child process (its
/// words go nowhere, so the login link stays the first line).
fn make_demo(app: &App) -> Result<std::path::PathBuf> {
    let path = match app.db_flag() {
        Some(p) => p.to_owned(),
        None => data_dir()?.join("demo.db"),
    };
    let exe = std::env::current_exe().context("could not find this program to make the demo")?;
    let mut demo = std::process::Command::new(exe);
    demo.arg("--db").arg(&path).arg("demo");
    if app.fixed_clock() {
        demo.arg("--now").arg(app.now.to_string());
    }
    let status = demo
        .stdout(std::process::Stdio::null())
        .status()
        .context("could not make the demo database")?;
    if !status.success() {
        return Err(bad(
            "the demo database could not be made (see above); nothing is served",
        ));
    }
    Ok(path)
}
