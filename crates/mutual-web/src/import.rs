//! The import page: exports uploaded (size-limited, refused before they are
//! read when too big), each file's format detected, the import run as a job
//! whose progress the page shows (server-sent events, with a refresh every
//! second for a browser without JavaScript), then the summary, where
//! senders not yet linked are linked to friends.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use askama::Template;
use axum::extract::{Extension, Form, Multipart, Path as UrlPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use mutual_app::import::{ImportError, ImportFile, ImportRequest, Progress, Summary};
use serde::Deserialize;

use crate::error::WebError;
use crate::guard::{check_csrf, render};
use crate::pages::Frame;
use crate::state::{Session, Web, secret};

/// The most an upload may weigh, all files together.
pub(crate) const MAX_UPLOAD: u64 = 256 << 20;

/// The body limit: the files and the form's few fields.
pub(crate) const BODY_LIMIT: usize = (MAX_UPLOAD + (1 << 20)) as usize;

/// An import running or done.
#[derive(Debug)]
pub(crate) struct Job {
    /// The files' names and detected formats.
    files: Vec<(String, &'static str)>,
    state: Mutex<JobState>,
}

#[derive(Debug)]
struct JobState {
    progress: Progress,
    outcome: Option<Result<Vec<Summary>, String>>,
    /// Senders linked from the summary since.
    linked: BTreeSet<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Refuses an upload whose declared size is over the limit before a byte
/// of it is read (the body limit catches one that lies).
pub(crate) async fn limit(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD) {
        return WebError::TooLarge(MAX_UPLOAD).into_response();
    }
    next.run(req).await
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    frame: Frame,
    problem: Option<String>,
    zone: String,
    max_mb: u64,
}

pub(crate) async fn form(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
) -> Result<Response, WebError> {
    page(&web, &session, None, StatusCode::OK)
}

fn page(
    web: &Web,
    session: &Session,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let zone = web.settings().tz.iana_name().unwrap_or("UTC").to_owned();
    let page = ImportPage {
        frame: Frame::new("import", session),
        problem,
        zone,
        max_mb: MAX_UPLOAD >> 20,
    };
    Ok((status, Html(render(&page)?)).into_response())
}

/// A folder only this user can read, removed when dropped.
struct Upload(PathBuf);

impl Upload {
    fn new() -> std::io::Result<Upload> {
        let dir = std::env::temp_dir().join(format!("mutual-upload-{}", secret()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
        Ok(Upload(dir))
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The last part of an uploaded file's name, safe to write in our folder.
fn safe_name(name: &str, index: usize) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() {
        format!("export-{index}")
    } else {
        format!("{index}-{clean}")
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// `POST /import`: the uploaded exports, imported as a job.
pub(crate) async fn upload(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let upload = Upload::new().map_err(|e| WebError::Internal(format!("no room for the upload: {e}")))?;
    let mut csrf = None;
    let mut me = String::new();
    let mut zone = String::new();
    let mut keep_text = false;
    let mut saved: Vec<(PathBuf, String)> = Vec::new();
    let too_big = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(MAX_UPLOAD)
        } else {
            WebError::BadRequest(format!("the upload could not be read ({e}); try again"))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf" => csrf = Some(field.text().await.map_err(too_big)?),
            "me" => me = field.text().await.map_err(too_big)?,
            "zone" => zone = field.text().await.map_err(too_big)?,
            "keep_text" => keep_text = true,
            "files" => {
                // The token comes first in the form; nothing is kept without it.
                check_csrf(&session, csrf.as_deref().unwrap_or_default())?;
                let original = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(too_big)?;
                if original.is_empty() && bytes.is_empty() {
                    continue;
                }
                let path = upload.0.join(safe_name(&original, saved.len() + 1));
                write_private(&path, &bytes)
                    .map_err(|e| WebError::Internal(format!("could not keep the upload: {e}")))?;
                saved.push((
                    path,
                    if original.is_empty() {
                        "export".to_owned()
                    } else {
                        original
                    },
                ));
            }
            _ => {}
        }
    }
    check_csrf(&session, csrf.as_deref().unwrap_or_default())?;
    if saved.is_empty() {
        return page(
            &web,
            &session,
            Some("No file was chosen; choose one or more chat exports.".to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let tz = match zone.trim() {
        "" => web.settings().tz,
        name => match jiff::tz::TimeZone::get(name) {
            Ok(tz) => tz,
            Err(_) => {
                let problem =
                    format!("'{name}' is not a time zone; expected an IANA name such as Europe/Berlin");
                return page(&web, &session, Some(problem), StatusCode::UNPROCESSABLE_ENTITY);
            }
        },
    };
    // Detection reads each file now: one that is not an export is said at
    // once, and nothing is imported.
    let mut files = Vec::new();
    for (path, original) in &saved {
        match ImportFile::open(path, None) {
            Ok(file) => files.push(file),
            Err(e) => {
                let problem = shown(&e, path, original);
                return page(&web, &session, Some(problem), StatusCode::UNPROCESSABLE_ENTITY);
            }
        }
    }
    let names: Vec<(String, &'static str)> = saved
        .iter()
        .zip(&files)
        .map(|((_, original), f)| (original.clone(), f.format.as_str()))
        .collect();
    let job = Arc::new(Job {
        files: names,
        state: Mutex::new(JobState {
            progress: Progress {
                file: 0,
                files: files.len(),
                read: 0,
            },
            outcome: None,
            linked: BTreeSet::new(),
        }),
    });
    let id = web.add_job(Arc::clone(&job));
    let me: Vec<String> = me
        .split(',')
        .map(mutual_core::text::clean_name)
        .filter(|m| !m.is_empty())
        .collect();
    let originals: HashMap<PathBuf, String> = saved.into_iter().collect();
    let running = Arc::clone(&job);
    tokio::spawn(async move {
        let state = Arc::clone(&running);
        let outcome = web
            .write(move |settings, store| {
                let options = mutual_import::Options { tz, date_order: None };
                let request = ImportRequest {
                    files: &files,
                    options: &options,
                    me: &me,
                    links: &[],
                    chat: None,
                    keep_text,
                };
                let tell = |p: Progress| lock(&state.state).progress = p;
                Ok(
                    mutual_app::import::run(settings, store, &request, &tell).map_err(|e| match e {
                        ImportError::Unreadable { ref path, .. } | ImportError::Moved { ref path, .. } => {
                            shown(&e, path, originals.get(path).map_or("the file", String::as_str))
                        }
                        e => e.to_string(),
                    }),
                )
            })
            .await;
        let outcome = match outcome {
            Ok(Ok(mut summaries)) => {
                // Say each file by the name it was uploaded with.
                for (summary, (name, _)) in summaries.iter_mut().zip(&running.files) {
                    summary.file = name.clone();
                }
                Ok(summaries)
            }
            Ok(Err(problem)) => Err(problem),
            Err(e) => Err(e.to_string()),
        };
        lock(&running.state).outcome = Some(outcome);
        drop(upload);
    });
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

/// An import error about an uploaded file, named as it was uploaded.
fn shown(e: &ImportError, path: &Path, original: &str) -> String {
    e.to_string().replacen(&path.display().to_string(), original, 1)
}

struct UnlinkedView {
    sender: String,
    messages: u64,
    likely: String,
    linked: bool,
}

struct SummaryView {
    file: String,
    format: &'static str,
    new: u64,
    known: u64,
    chats: Vec<String>,
    unlinked: Vec<UnlinkedView>,
    diagnostics: Vec<String>,
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    frame: Frame,
    id: u64,
    files: Vec<(String, &'static str)>,
    running: bool,
    progress: String,
    problem: Option<String>,
    summaries: Vec<SummaryView>,
    friends: Vec<String>,
}

fn progress_words(p: Progress) -> String {
    let file = if p.files > 1 {
        format!(" (file {} of {})", p.file + 1, p.files)
    } else {
        String::new()
    };
    format!("{} messages read so far{file}.", p.read)
}

pub(crate) async fn job(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    UrlPath(id): UrlPath<u64>,
) -> Result<Response, WebError> {
    let job = web.job(id).ok_or(WebError::NotFound)?;
    let friends: Vec<String> = web
        .read(|_, db| Ok(db.friends()?.into_iter().map(|f| f.name).collect()))
        .await?;
    let state = lock(&job.state);
    let (problem, summaries) = match &state.outcome {
        None => (None, Vec::new()),
        Some(Err(problem)) => (Some(problem.clone()), Vec::new()),
        Some(Ok(summaries)) => (
            None,
            summaries
                .iter()
                .map(|s| SummaryView {
                    file: s.file.clone(),
                    format: s.format,
                    new: s.new,
                    known: s.known,
                    chats: s
                        .chats
                        .iter()
                        .map(|c| match c.matched {
                            mutual_app::import::How::New => format!("{} (new)", c.name),
                            how => format!("{}, matched {}", c.name, how.phrase()),
                        })
                        .collect(),
                    unlinked: s
                        .unlinked
                        .iter()
                        .map(|u| UnlinkedView {
                            sender: u.sender.clone(),
                            messages: u.messages,
                            likely: u.likely_friend.clone(),
                            linked: state.linked.contains(&u.sender),
                        })
                        .collect(),
                    diagnostics: s.diagnostics.iter().take(20).cloned().collect(),
                })
                .collect(),
        ),
    };
    let page = JobPage {
        frame: Frame::new("import", &session),
        id,
        files: job.files.clone(),
        running: state.outcome.is_none(),
        progress: progress_words(state.progress),
        problem,
        summaries,
        friends,
    };
    drop(state);
    Ok(Html(render(&page)?).into_response())
}

/// `GET /import/{id}/events`: the progress as server-sent events, then
/// `done` when the import has ended.
pub(crate) async fn events(
    State(web): State<Arc<Web>>,
    UrlPath(id): UrlPath<u64>,
) -> Result<Sse<impl futures_core::Stream<Item = Result<Event, Infallible>>>, WebError> {
    let job = web.job(id).ok_or(WebError::NotFound)?;
    let stream = async_stream(job);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Every 200 ms the progress, until the job is done.
fn async_stream(job: Arc<Job>) -> impl futures_core::Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold((job, false), |(job, finished)| async move {
        if finished {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (words, done) = {
            let state = lock(&job.state);
            (progress_words(state.progress), state.outcome.is_some())
        };
        let event = if done {
            Event::default().event("done").data("done")
        } else {
            Event::default().event("progress").data(words)
        };
        Some((Ok(event), (job, done)))
    })
}

#[derive(Deserialize, Debug)]
pub(crate) struct LinkForm {
    csrf: String,
    sender: String,
    friend: String,
}

/// `POST /import/{id}/link`: a sender of the summary linked to a friend.
pub(crate) async fn link(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    UrlPath(id): UrlPath<u64>,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let job = web.job(id).ok_or(WebError::NotFound)?;
    let (sender, friend) = (form.sender.clone(), form.friend.clone());
    web.write(move |settings, store| {
        mutual_app::import::link_sender(settings, store, &sender, &friend).map_err(|e| match e {
            ImportError::App(e) => e,
            other => mutual_app::error::AppError::Invalid {
                field: "friend",
                value: friend.clone(),
                problem: other.to_string(),
                expected: "the name of one friend".to_owned(),
            },
        })
    })
    .await?;
    lock(&job.state).linked.insert(form.sender);
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_stay_inside_the_folder() {
        assert_eq!(safe_name("../../etc/passwd", 1), "1-passwd");
        assert_eq!(safe_name("C:\\Users\\me\\chat.txt", 2), "2-chat.txt");
        assert_eq!(safe_name("..", 3), "export-3");
        assert_eq!(
            safe_name("WhatsApp Chat with Sam.zip", 4),
            "4-WhatsApp Chat with Sam.zip"
        );
        assert_eq!(safe_name("a\u{1b}]0;x\u{7}.txt", 5), "5-a]0;x.txt");
    }
}
