//! The dashboard's routes, called in process with `oneshot`: the login,
//! the guards every request passes, each page and API route, and the forms.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use jiff::Timestamp;
use mutual_app::Settings;
use mutual_core::FriendId;
use mutual_store::{JournalFilter, NewFriend, Passphrase, Store};
use mutual_web::{Clock, Config, Web};
use tower::ServiceExt as _;

const HOST: &str = "127.0.0.1:4321";
const ORIGIN: &str = "http://127.0.0.1:4321";
/// A name no page may run as HTML.
const XSS: &str = "<img src=x onerror=alert(1)>";

fn settings() -> Settings {
    Settings::new("2026-06-15T12:00:00Z".parse().unwrap(), jiff::tz::TimeZone::UTC)
}

/// A database with Sam (a follow-up due today) and a friend named like an
/// attack, at `path`.
fn fill(path: &Path, passphrase: Option<&Passphrase>) {
    let mut store = Store::open(path, passphrase).unwrap();
    let now: Timestamp = settings().now;
    store
        .write(|tx| {
            let sam = tx.add_friend(
                &NewFriend {
                    name: "Sam".to_owned(),
                    ..NewFriend::default()
                },
                now,
            )?;
            tx.add_follow_up(
                sam,
                "ask how the move went",
                jiff::civil::date(2026, 6, 15),
                now,
                None,
            )?;
            tx.add_friend(
                &NewFriend {
                    name: XSS.to_owned(),
                    notes: Some("\"><script>alert(1)</script>".to_owned()),
                    ..NewFriend::default()
                },
                now,
            )?;
            Ok::<_, mutual_store::StoreError>(())
        })
        .unwrap();
}

struct Server {
    web: Arc<Web>,
    app: Router,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

fn server_with(passphrase: Option<&Passphrase>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    fill(&db, passphrase);
    let web = Arc::new(
        Web::new(Config {
            db: db.clone(),
            settings: settings(),
            clock: Clock::Fixed(settings().now),
            host: HOST.to_owned(),
            remote: false,
        })
        .unwrap(),
    );
    Server {
        app: mutual_web::app(web.clone()),
        web,
        _dir: dir,
        db,
    }
}

fn server() -> Server {
    server_with(None)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap()
}

fn post(path: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap()
}

fn with_cookie(mut req: Request<Body>, cookie: &str) -> Request<Body> {
    req.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    req
}

async fn send(app: &Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.unwrap()
}

async fn text(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The import job's page once it no longer says "Importing…" (at most
/// five seconds).
async fn finished_job(app: &Router, job: &str, cookie: &str) -> String {
    let mut page = String::new();
    for _ in 0..100 {
        page = text(send(app, with_cookie(get(job), cookie)).await).await;
        if !page.contains("Importing…") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    page
}

fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

/// Posts `form` to `path` with the session `cookie`.
async fn submit(app: &Router, cookie: &str, path: &str, form: String) -> Response<Body> {
    send(app, with_cookie(post(path, &form), cookie)).await
}

/// Logs in with the one-time token: the session cookie and its CSRF token.
async fn login(s: &Server) -> (String, String) {
    let url = s.web.login_url();
    let path = url.strip_prefix(ORIGIN).unwrap();
    let response = send(&s.app, get(path)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    let cookie = set.split(';').next().unwrap().to_owned();
    let page = text(send(&s.app, with_cookie(get("/log"), &cookie)).await).await;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

fn entries(db: &Path) -> usize {
    Store::open(db, None)
        .unwrap()
        .db()
        .interactions(&JournalFilter::default())
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_token_works_once_for_an_http_only_strict_cookie() {
    let s = server();
    let url = s.web.login_url();
    assert!(url.starts_with("http://127.0.0.1:4321/login?token="));
    let path = url.strip_prefix(ORIGIN).unwrap();
    let first = send(&s.app, get(path)).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&first), "/");
    let cookie = first.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("mutual_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let again = send(&s.app, get(path)).await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert!(again.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn every_route_but_the_login_needs_the_session() {
    let s = server();
    for path in [
        "/",
        "/friends",
        "/friends/1",
        "/log",
        "/review",
        "/settings",
        "/unlock",
    ] {
        let response = send(&s.app, get(path)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/login", "{path}");
    }
    for path in [
        "/api/today",
        "/api/balance",
        "/api/signals",
        "/api/friends",
        "/api/friends/1",
    ] {
        let response = send(&s.app, get(path)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(text(response).await.contains("\"error\""), "{path}");
    }
    for path in [
        "/log",
        "/act",
        "/review",
        "/friends/1/snooze",
        "/entries/1/remove",
        "/logout",
        "/unlock",
    ] {
        let response = send(&s.app, post(path, "csrf=x")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // A made-up cookie is no session.
    let response = send(&s.app, with_cookie(get("/"), "mutual_session=guess")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The login page itself explains where the link is.
    let response = send(&s.app, get("/login")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(text(response).await.contains("mutual serve"));
}

#[tokio::test]
async fn another_host_is_refused_against_dns_rebinding() {
    let s = server();
    let (cookie, _) = login(&s).await;
    for host in ["evil.example:4321", "127.0.0.1:9999", "localhost:1", ""] {
        let mut req = with_cookie(get("/"), &cookie);
        req.headers_mut().insert(header::HOST, host.parse().unwrap());
        assert_eq!(send(&s.app, req).await.status(), StatusCode::FORBIDDEN, "{host}");
    }
    let mut req = with_cookie(get("/"), &cookie);
    req.headers_mut()
        .insert(header::HOST, "localhost:4321".parse().unwrap());
    assert_eq!(send(&s.app, req).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn cross_site_and_tokenless_posts_change_nothing() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let form = format!("csrf={csrf}&friend=1&channel=call&gave-listening=2");
    // Another site's page posting with the (SameSite-less, say) cookie.
    let mut evil = with_cookie(post("/log", &form), &cookie);
    evil.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    assert_eq!(send(&s.app, evil).await.status(), StatusCode::FORBIDDEN);
    // No Origin and no Referer.
    let mut bare = with_cookie(post("/log", &form), &cookie);
    bare.headers_mut().remove(header::ORIGIN);
    assert_eq!(send(&s.app, bare).await.status(), StatusCode::FORBIDDEN);
    // An origin withheld: only the browser's same-origin word lets it by.
    for (site, expected) in [
        ("cross-site", StatusCode::FORBIDDEN),
        ("same-site", StatusCode::FORBIDDEN),
    ] {
        let mut hidden = with_cookie(post("/log", &form), &cookie);
        hidden
            .headers_mut()
            .insert(header::ORIGIN, "null".parse().unwrap());
        hidden
            .headers_mut()
            .insert("sec-fetch-site", site.parse().unwrap());
        assert_eq!(send(&s.app, hidden).await.status(), expected, "{site}");
    }
    // Our origin but a wrong CSRF token.
    let wrong = with_cookie(
        post("/log", "csrf=nope&friend=1&channel=call&gave-listening=2"),
        &cookie,
    );
    assert_eq!(send(&s.app, wrong).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(entries(&s.db), 0);
    // And the real thing works, with the origin named or withheld.
    let mut hidden = with_cookie(post("/log", &form), &cookie);
    hidden
        .headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    hidden
        .headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().unwrap());
    assert_eq!(send(&s.app, hidden).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(entries(&s.db), 1);
    let ok = send(&s.app, with_cookie(post("/log", &form), &cookie)).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), "/friends/1#entries");
    assert_eq!(entries(&s.db), 2);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let s = server();
    let (cookie, _) = login(&s).await;
    let requests = [
        get("/login"),
        get("/"),
        with_cookie(get("/"), &cookie),
        with_cookie(get("/nowhere"), &cookie),
        with_cookie(get("/api/today"), &cookie),
        get("/assets/style.css"),
        with_cookie(get("/friends/999"), &cookie),
    ];
    for req in requests {
        let path = req.uri().path().to_owned();
        let response = send(&s.app, req).await;
        let h = response.headers();
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{path}"
        );
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn logins_are_rate_limited() {
    let s = server();
    for _ in 0..5 {
        let response = send(&s.app, get("/login?token=wrong")).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // Even the right token waits now.
    let url = s.web.login_url();
    let response = send(&s.app, get(url.strip_prefix(ORIGIN).unwrap())).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn every_page_renders_and_user_text_stays_text() {
    let s = server();
    let (cookie, _) = login(&s).await;
    for path in [
        "/",
        "/friends",
        "/friends/1",
        "/friends/2",
        "/log",
        "/log?friend=2",
        "/review",
        "/settings",
        "/friends?q=sa&circle=",
    ] {
        let response = send(&s.app, with_cookie(get(path), &cookie)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let page = text(response).await;
        assert!(
            !page.contains("<img src=x") && !page.contains("<script>alert"),
            "{path}"
        );
    }
    let friends = text(send(&s.app, with_cookie(get("/friends"), &cookie)).await).await;
    assert!(friends.contains("&lt;img src=x onerror=alert(1)&gt;") || friends.contains("&#60;img"));
    assert!(friends.contains("href=\"/friends/1\""));
    // Search narrows the cards.
    let found = text(send(&s.app, with_cookie(get("/friends?q=SAM"), &cookie)).await).await;
    assert!(found.contains(">Sam</a>") && !found.contains("href=\"/friends/2\""));
    let missing = send(&s.app, with_cookie(get("/friends/999"), &cookie)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let not_a_number = send(&s.app, with_cookie(get("/friends/abc"), &cookie)).await;
    assert_eq!(not_a_number.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_api_serializes_the_same_view_models_as_the_command_line() {
    let s = server();
    let (cookie, _) = login(&s).await;
    let json = |path: &'static str| {
        let app = s.app.clone();
        let cookie = cookie.clone();
        async move {
            let response = app.oneshot(with_cookie(get(path), &cookie)).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            serde_json::from_str::<serde_json::Value>(&text(response).await).unwrap()
        }
    };
    let store = Store::open(&s.db, None).unwrap();
    let st = settings();
    let records = st.records(store.db(), None).unwrap();
    let expected =
        serde_json::to_value(mutual_app::views::balance_rows(&st, store.db(), &records).unwrap()).unwrap();
    assert_eq!(json("/api/balance").await, expected);
    let expected = serde_json::to_value(mutual_app::views::today(&st, store.db()).unwrap()).unwrap();
    assert_eq!(json("/api/today").await, expected);
    let expected =
        serde_json::to_value(mutual_app::views::friend_profile(&st, store.db(), FriendId(1)).unwrap())
            .unwrap();
    assert_eq!(json("/api/friends/1").await, expected);
    let expected =
        serde_json::to_value(mutual_app::views::signal_rows(&st, store.db(), &records).unwrap()).unwrap();
    assert_eq!(json("/api/signals").await, expected);
    assert_eq!(json("/api/friends").await.as_array().unwrap().len(), 2);
    let missing = send(&s.app, with_cookie(get("/api/friends/999"), &cookie)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forms_log_act_snooze_remove_and_reflect() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let go = |path: &'static str, form: String| submit(&s.app, &cookie, path, form);
    // Today offers the follow-up due today with a button, and it works.
    let today = text(send(&s.app, with_cookie(get("/"), &cookie)).await).await;
    assert!(today.contains("ask how the move went") && today.contains("value=\"follow-up-done\""));
    assert!(
        !today.contains("mutual followup done"),
        "the page offers a button, not a command"
    );
    let done = go("/act", format!("csrf={csrf}&kind=follow-up-done&id=1&back=/")).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let store = Store::open(&s.db, None).unwrap();
    assert!(store.db().follow_ups(None).unwrap()[0].done_at.is_some());
    let unknown = go("/act", format!("csrf={csrf}&kind=explode&id=1")).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A full entry, then the friend page shows it, its note as text.
    let form = format!(
        "csrf={csrf}&friend=1&at=2026-06-14T18:30&channel=in-person&started_by=them&gave-listening=3&got-practical=1&energy=2&heard=4&note=%3Cb%3Ebig%3C%2Fb%3E+news&tags=walk%2C+park&follow_up=send+the+photos&due=2026-06-20"
    );
    let logged = go("/log", form).await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let page = text(send(&s.app, with_cookie(get("/friends/1"), &cookie)).await).await;
    assert!(page.contains("&lt;b&gt;big&lt;/b&gt; news") || page.contains("&#60;b&#62;big"));
    assert!(page.contains("you gave listening (3)") && page.contains("send the photos"));
    let entry = store.db().interactions(&JournalFilter::default()).unwrap();
    assert_eq!(entry.len(), 1);
    assert_eq!(entry[0].tags, ["park", "walk"]);
    assert_eq!(entry[0].exchange.energy.map(|e| e.get()), Some(2));

    // Bad input: the form again with the one-line reason, nothing written.
    for bad in [
        format!("csrf={csrf}&friend=1&energy=9&gave-listening=1"),
        format!("csrf={csrf}&friend=1&gave-listening=7"),
        format!("csrf={csrf}&friend=1&at=someday&gave-listening=1"),
        format!("csrf={csrf}&friend=1&at=2027-01-01T10:00&gave-listening=1"),
        format!("csrf={csrf}&friend=1"),
        format!("csrf={csrf}&friend=99&gave-listening=1"),
        format!("csrf={csrf}&friend=x&gave-listening=1"),
    ] {
        let response = go("/log", bad.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let page = text(response).await;
        assert!(page.contains("class=\"problem\""), "{bad}");
    }
    assert_eq!(entries(&s.db), 1);

    // Snooze, remove, reflect.
    assert_eq!(
        go("/friends/1/snooze", format!("csrf={csrf}&back=/"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let sam = store
        .db()
        .friends()
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Sam")
        .unwrap();
    assert_eq!(sam.snoozed_until, Some(jiff::civil::date(2026, 6, 22)));
    let id = entry[0].id.0;
    let removed = s
        .app
        .clone()
        .oneshot(with_cookie(
            post(
                &format!("/entries/{id}/remove"),
                &format!("csrf={csrf}&back=/friends/1"),
            ),
            &cookie,
        ))
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), "/friends/1");
    assert_eq!(entries(&s.db), 0);
    assert_eq!(
        go("/review", format!("csrf={csrf}&went_well=a+long+walk"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let review = text(send(&s.app, with_cookie(get("/review"), &cookie)).await).await;
    assert!(review.contains("a long walk"));
    assert_eq!(
        go("/review", format!("csrf={csrf}")).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn an_encrypted_database_asks_for_its_passphrase_on_the_page() {
    let secret = Passphrase::new("correct horse".to_owned());
    let s = server_with(Some(&secret));
    let (cookie, csrf) = {
        let url = s.web.login_url();
        let response = send(&s.app, get(url.strip_prefix(ORIGIN).unwrap())).await;
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let page = send(&s.app, with_cookie(get("/"), &cookie)).await;
        assert_eq!(page.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&page), "/unlock");
        let form = text(send(&s.app, with_cookie(get("/unlock"), &cookie)).await).await;
        assert!(form.contains("type=\"password\""));
        let csrf = form
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        (cookie, csrf)
    };
    let api = send(&s.app, with_cookie(get("/api/today"), &cookie)).await;
    assert_eq!(api.status(), StatusCode::SEE_OTHER);
    let wrong = send(
        &s.app,
        with_cookie(post("/unlock", &format!("csrf={csrf}&passphrase=nope")), &cookie),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(text(wrong).await.contains("does not open this database"));
    let right = send(
        &s.app,
        with_cookie(
            post("/unlock", &format!("csrf={csrf}&passphrase=correct+horse")),
            &cookie,
        ),
    )
    .await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let page = send(&s.app, with_cookie(get("/friends"), &cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(text(page).await.contains(">Sam</a>"));
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let out = send(
        &s.app,
        with_cookie(post("/logout", &format!("csrf={csrf}")), &cookie),
    )
    .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = send(&s.app, with_cookie(get("/"), &cookie)).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&after), "/login");
}

#[test]
fn methods_a_route_does_not_take_are_refused() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = server();
        let (cookie, _) = login(&s).await;
        for (method, path) in [
            (Method::DELETE, "/"),
            (Method::PUT, "/log"),
            (Method::GET, "/act"),
            (Method::GET, "/logout"),
        ] {
            let mut req = with_cookie(get(path), &cookie);
            *req.method_mut() = method.clone();
            req.headers_mut().insert(header::ORIGIN, ORIGIN.parse().unwrap());
            let status = send(&s.app, req).await.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        }
    });
}

/// A multipart form: the CSRF token, then `fields`, then files.
fn multipart(csrf: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "mutualboundary7MA4YWxk";
    let mut body = Vec::new();
    let mut part = |head: String, value: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"csrf\"".to_owned(),
        csrf.as_bytes(),
    );
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (name, bytes) in files {
        part(
            format!(
                "Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(cookie: &str, kind: &str, body: Vec<u8>) -> Request<Body> {
    Request::post("/import")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, kind)
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

fn chats(db: &Path) -> usize {
    let store = Store::open(db, None).unwrap();
    store.db().chats(mutual_core::Platform::WhatsApp).unwrap().len()
}

#[tokio::test]
async fn an_upload_is_imported_as_a_job_and_its_senders_linked() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let form = text(send(&s.app, with_cookie(get("/import"), &cookie)).await).await;
    assert!(form.contains("enctype=\"multipart/form-data\""));
    let chat =
        std::fs::read(mutual_import::synth::fixtures_dir().join("whatsapp/Chatistics___chat.txt")).unwrap();
    let (kind, body) = multipart(
        &csrf,
        &[("me", "John Doe"), ("zone", "UTC")],
        &[("chat.txt", &chat)],
    );
    let started = send(&s.app, upload(&cookie, &kind, body)).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let job = location(&started).to_owned();
    assert!(job.starts_with("/import/"));
    // The job page shows progress until the summary is there.
    let page = finished_job(&s.app, &job, &cookie).await;
    assert!(page.contains("chat.txt") && page.contains("whatsapp"), "{page}");
    assert!(
        page.contains("20 new messages") || page.contains(">20 new messages"),
        "{page}"
    );
    assert!(
        page.contains("Alice Placeholder") && page.contains("Who is who"),
        "{page}"
    );
    assert_eq!(chats(&s.db), 1);
    // Link Alice to Sam: an alias, and the page says so.
    let linked = send(
        &s.app,
        with_cookie(
            post(
                &format!("{job}/link"),
                &format!("csrf={csrf}&sender=Alice+Placeholder&friend=Sam"),
            ),
            &cookie,
        ),
    )
    .await;
    assert_eq!(linked.status(), StatusCode::SEE_OTHER);
    let store = Store::open(&s.db, None).unwrap();
    let sam = store
        .db()
        .friends()
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Sam")
        .unwrap();
    assert!(sam.aliases.iter().any(|a| a.text == "Alice Placeholder"));
    let page = text(send(&s.app, with_cookie(get(&job), &cookie)).await).await;
    assert!(page.contains("is linked"), "{page}");
    // The progress stream ends with `done` for a finished job.
    let events = text(send(&s.app, with_cookie(get(&format!("{job}/events")), &cookie)).await).await;
    assert!(events.contains("event: done"), "{events}");
    assert_eq!(
        send(&s.app, with_cookie(get("/import/999"), &cookie))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_malformed_upload_says_why_and_changes_nothing() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let (kind, body) = multipart(&csrf, &[], &[("notes.txt", b"just some notes\nnot a chat\n")]);
    let response = send(&s.app, upload(&cookie, &kind, body)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(response).await;
    let problem = page
        .split("class=\"problem\" role=\"alert\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert!(problem.starts_with("notes.txt: "), "{problem}");
    assert!(
        !problem.contains("mutual-upload"),
        "the temporary path stays hidden: {problem}"
    );
    assert_eq!(chats(&s.db), 0);
    // No file, a bad zone, no CSRF token: refused too.
    let (kind, body) = multipart(&csrf, &[], &[]);
    assert_eq!(
        send(&s.app, upload(&cookie, &kind, body)).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let chat =
        std::fs::read(mutual_import::synth::fixtures_dir().join("whatsapp/Chatistics___chat.txt")).unwrap();
    let (kind, body) = multipart(&csrf, &[("zone", "Mars/Olympus")], &[("chat.txt", &chat)]);
    assert_eq!(
        send(&s.app, upload(&cookie, &kind, body)).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (kind, body) = multipart("wrong", &[], &[("chat.txt", &chat)]);
    assert_eq!(
        send(&s.app, upload(&cookie, &kind, body)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(chats(&s.db), 0);
}

#[tokio::test]
async fn an_oversized_upload_is_refused_before_it_is_read() {
    let s = server();
    let (cookie, _) = login(&s).await;
    // Says it is 1 GB and sends nothing: refused on what it declares.
    let req = Request::post("/import")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie.as_str())
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::CONTENT_LENGTH, 1u64 << 30)
        .body(Body::empty())
        .unwrap();
    let response = send(&s.app, req).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text(response).await.contains("MB"));
}

#[tokio::test]
async fn settings_save_rhythms_export_and_forget_with_confirmation() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let go = |path: &'static str, form: String| submit(&s.app, &cookie, path, form);
    let page = text(send(&s.app, with_cookie(get("/settings"), &cookie)).await).await;
    assert!(page.contains("not encrypted") && page.contains("About every"));
    assert!(
        page.contains("within ±0.20 of even") && page.contains("ends after 180 minutes"),
        "{page}"
    );
    let saved = go("/friends/1/rhythm", format!("csrf={csrf}&ideal=10&max=30")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let store = Store::open(&s.db, None).unwrap();
    let sam = store.db().friend(FriendId(1)).unwrap();
    assert_eq!(sam.cadence.map(|c| (c.ideal_days, c.max_days)), Some((10, 30)));
    for bad in ["ideal=0&max=30", "ideal=20&max=10", "ideal=ten&max=30"] {
        let response = go("/friends/1/rhythm", format!("csrf={csrf}&{bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(
        store
            .db()
            .friend(FriendId(1))
            .unwrap()
            .cadence
            .map(|c| c.ideal_days),
        Some(10)
    );

    let export = send(&s.app, with_cookie(get("/settings/export"), &cookie)).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let doc: serde_json::Value = serde_json::from_str(&text(export).await).unwrap();
    assert_eq!(doc["format"], "mutual-export");
    assert_eq!(doc["friends"].as_array().unwrap().len(), 2);

    // Forgetting needs the name typed again.
    let wrong = go("/friends/1/forget", format!("csrf={csrf}&confirm=Sma")).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.db().friends().unwrap().len(), 2);
    let right = go("/friends/1/forget", format!("csrf={csrf}&confirm=sam")).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let names: Vec<String> = store
        .db()
        .friends()
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, [XSS]);
    assert!(store.db().follow_ups(None).unwrap().is_empty());
}

#[tokio::test]
async fn the_calendar_feed_needs_its_secret_key_which_can_be_replaced() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    // No address made yet: nothing is served.
    assert_eq!(
        send(&s.app, get("/calendar.ics?key=")).await.status(),
        StatusCode::FORBIDDEN
    );
    let made = send(
        &s.app,
        with_cookie(post("/settings/calendar", &format!("csrf={csrf}")), &cookie),
    )
    .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let page = text(send(&s.app, with_cookie(get("/settings"), &cookie)).await).await;
    let feed = page
        .split("value=\"http://127.0.0.1:4321")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(feed.starts_with("/calendar.ics?key="));
    // A calendar app has no session: the key is enough.
    let served = send(&s.app, get(&feed)).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert!(
        served.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = text(served).await;
    assert!(
        ics.contains("BEGIN:VCALENDAR") && ics.contains("ask how the move went"),
        "{ics}"
    );
    assert_eq!(
        send(&s.app, get("/calendar.ics?key=guess")).await.status(),
        StatusCode::FORBIDDEN
    );
    // A new address: the old one stops working.
    send(
        &s.app,
        with_cookie(post("/settings/calendar", &format!("csrf={csrf}")), &cookie),
    )
    .await;
    assert_eq!(send(&s.app, get(&feed)).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn beyond_this_computer_the_login_is_the_passphrase_and_the_cookie_secure() {
    let secret = Passphrase::new("correct horse".to_owned());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    fill(&db, Some(&secret));
    let host = "192.168.1.20:4321";
    let web = Arc::new(
        Web::new(Config {
            db,
            settings: settings(),
            clock: Clock::Fixed(settings().now),
            host: host.to_owned(),
            remote: true,
        })
        .unwrap(),
    );
    let app = mutual_web::app(web.clone());
    assert_eq!(web.login_url(), "https://192.168.1.20:4321/login");
    let on = |mut req: Request<Body>| {
        req.headers_mut().insert(header::HOST, host.parse().unwrap());
        if req.method() == Method::POST {
            req.headers_mut()
                .insert(header::ORIGIN, "https://192.168.1.20:4321".parse().unwrap());
        }
        req
    };
    let page = send(&app, on(get("/login"))).await;
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    assert!(text(page).await.contains("type=\"password\""));
    // No token works here.
    assert_eq!(
        send(&app, on(get("/login?token=anything"))).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The plain-HTTP origin of the same host is another origin.
    let mut plain = on(post("/login", "passphrase=correct+horse"));
    plain
        .headers_mut()
        .insert(header::ORIGIN, "http://192.168.1.20:4321".parse().unwrap());
    assert_eq!(send(&app, plain).await.status(), StatusCode::FORBIDDEN);
    let wrong = send(&app, on(post("/login", "passphrase=nope"))).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = send(&app, on(post("/login", "passphrase=correct+horse"))).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let cookie = right.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let session = cookie.split(';').next().unwrap();
    let friends = send(&app, on(with_cookie(get("/friends"), session))).await;
    assert_eq!(friends.status(), StatusCode::OK);
}

#[tokio::test]
async fn over_tls_the_certificate_made_here_serves_the_passphrase_login() {
    use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject as _};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let secret = Passphrase::new("correct horse".to_owned());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    fill(&db, Some(&secret));
    let ip: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let certificate = mutual_web::tls::certificate(dir.path(), ip).unwrap();
    let tcp = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let bound = tcp.local_addr().unwrap();
    let web = Arc::new(
        Web::new(Config {
            db,
            settings: settings(),
            clock: Clock::Fixed(settings().now),
            host: bound.to_string(),
            remote: true,
        })
        .unwrap(),
    );
    let listener = mutual_web::tls::TlsListener::new(tcp, &certificate);
    tokio::spawn(mutual_web::serve(listener, web));

    // A client that trusts only this certificate, as a checked phone would.
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(&certificate.cert).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let ask = |path: &'static str| {
        let connector = connector.clone();
        async move {
            let tcp = tokio::net::TcpStream::connect(bound).await.unwrap();
            let mut tls = connector
                .connect(ServerName::try_from("localhost").unwrap(), tcp)
                .await
                .unwrap();
            let request = format!("GET {path} HTTP/1.1\r\nHost: {bound}\r\nConnection: close\r\n\r\n");
            tls.write_all(request.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            let _ = tls.read_to_end(&mut answer).await;
            String::from_utf8_lossy(&answer).into_owned()
        }
    };
    let login = ask("/login").await;
    assert!(login.starts_with("HTTP/1.1 401"), "{login}");
    assert!(login.contains("type=\"password\""), "{login}");
    let today = ask("/").await;
    assert!(
        today.starts_with("HTTP/1.1 303") && today.contains("location: /login"),
        "{today}"
    );
    // Plain HTTP on the same port gets no page.
    let mut plain = tokio::net::TcpStream::connect(bound).await.unwrap();
    plain
        .write_all(format!("GET /login HTTP/1.1\r\nHost: {bound}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(15), plain.read_to_end(&mut answer)).await;
    assert!(
        !String::from_utf8_lossy(&answer).contains("HTTP/1.1 "),
        "plain HTTP was answered"
    );
}

#[tokio::test]
async fn an_entry_is_edited_in_the_form_it_was_logged_with() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let form = format!(
        "csrf={csrf}&friend=1&at=2026-06-14T18:30&channel=call&started_by=me&gave-listening=3&energy=-1&note=first+try&tags=walk"
    );
    let logged = send(&s.app, with_cookie(post("/log", &form), &cookie)).await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let store = Store::open(&s.db, None).unwrap();
    let id = store.db().interactions(&JournalFilter::default()).unwrap()[0]
        .id
        .0;
    let page = text(send(&s.app, with_cookie(get(&format!("/entries/{id}/edit")), &cookie)).await).await;
    assert!(page.contains("value=\"2026-06-14T18:30\""), "{page}");
    assert!(page.contains("<option value=\"call\" selected>"), "{page}");
    assert!(page.contains("value=\"me\" checked"), "{page}");
    assert!(page.contains("<option value=\"3\" selected>3</option>"), "{page}");
    assert!(
        page.contains(">first try</textarea>") && page.contains("value=\"walk\""),
        "{page}"
    );
    let changed = format!(
        "csrf={csrf}&friend=1&at=2026-06-14T19:00&channel=in-person&started_by=them&got-practical=2&energy=2&note=better&tags="
    );
    let saved = send(
        &s.app,
        with_cookie(post(&format!("/entries/{id}/edit"), &changed), &cookie),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/friends/1#entries");
    let entry = store.db().interaction(mutual_core::InteractionId(id)).unwrap();
    assert_eq!(entry.exchange.channel, mutual_core::Channel::InPerson);
    assert_eq!(entry.exchange.energy.map(|e| e.get()), Some(2));
    assert!(entry.exchange.gave.is_empty() && !entry.exchange.got.is_empty());
    assert_eq!(entry.note.as_deref(), Some("better"));
    assert!(entry.tags.is_empty());
    // A bad value: the form again with what was sent, and nothing changed.
    let bad = format!("csrf={csrf}&friend=1&energy=7&got-practical=2&note=kept+in+the+form");
    let response = send(
        &s.app,
        with_cookie(post(&format!("/entries/{id}/edit"), &bad), &cookie),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains(">kept in the form</textarea>"));
    assert_eq!(
        store
            .db()
            .interaction(mutual_core::InteractionId(id))
            .unwrap()
            .note
            .as_deref(),
        Some("better")
    );
    let missing = send(&s.app, with_cookie(get("/entries/999/edit"), &cookie)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_friend_card_draws_the_balance_lately_once_there_is_enough() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let cards = text(send(&s.app, with_cookie(get("/friends"), &cookie)).await).await;
    assert!(
        !cards.contains("class=\"spark\""),
        "no trend before there is evidence"
    );
    for day in [
        "2026-04-01",
        "2026-04-20",
        "2026-05-05",
        "2026-05-20",
        "2026-06-01",
        "2026-06-10",
    ] {
        let form = format!("csrf={csrf}&friend=1&at={day}T18:00&channel=call&gave-listening=3&got-advice=2");
        assert_eq!(
            send(&s.app, with_cookie(post("/log", &form), &cookie))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let cards = text(send(&s.app, with_cookie(get("/friends"), &cookie)).await).await;
    let points = cards
        .split("<polyline points=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let xy: Vec<(f64, f64)> = points
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert!(xy.len() >= 3, "{points}");
    assert!(xy.windows(2).all(|w| w[0].0 < w[1].0), "{points}");
    assert!(
        xy.iter()
            .all(|&(x, y)| (0.0..=120.0).contains(&x) && (2.0..=30.0).contains(&y)),
        "{points}"
    );
    assert_eq!(xy.last().unwrap().0, 120.0, "the line ends today: {points}");
}

#[tokio::test]
async fn the_friend_page_adds_needs_boundaries_and_moments() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let add = |form: String| submit(&s.app, &cookie, "/friends/1/note", form);
    for (kind, text) in [
        ("need-mine", "more+notice+before+plans"),
        ("need-theirs", "quiet+evenings"),
        ("boundary-theirs", "no+calls+after+ten"),
        ("follow-up", "send+the+photos"),
        ("win", "got+the+job"),
        ("thanks", "the+soup"),
    ] {
        let response = add(format!("csrf={csrf}&kind={kind}&text={text}&due=")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{kind}");
    }
    let store = Store::open(&s.db, None).unwrap();
    let db = store.db();
    let needs = db.needs(Some(FriendId(1))).unwrap();
    assert_eq!(needs.len(), 2);
    assert!(
        needs
            .iter()
            .any(|n| n.whose == mutual_core::Side::Them && n.text == "quiet evenings")
    );
    assert_eq!(
        db.boundaries(Some(FriendId(1))).unwrap()[0].whose,
        mutual_core::Side::Them
    );
    assert!(
        db.follow_ups(Some(FriendId(1)))
            .unwrap()
            .iter()
            .any(|f| f.text == "send the photos")
    );
    let page = text(send(&s.app, with_cookie(get("/friends/1"), &cookie)).await).await;
    for shown in ["quiet evenings", "no calls after ten", "got the job", "the soup"] {
        assert!(page.contains(shown), "{shown}");
    }
    for bad in [
        "kind=need-mine&text=",
        "kind=explode&text=x",
        "kind=follow-up&text=x&due=someday",
    ] {
        let response = add(format!("csrf={csrf}&{bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let missing = send(
        &s.app,
        with_cookie(
            post("/friends/99/note", &format!("csrf={csrf}&kind=win&text=x")),
            &cookie,
        ),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reply_code_pasted_on_the_check_ins_page_shows_both_sides() {
    use mutual_checkin::crypto::KeyPair;
    use mutual_checkin::{Invite, Reply};
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let (id, invite) = {
        let mut store = Store::open(&s.db, None).unwrap();
        let st = settings();
        let sam = store.db().friend(FriendId(1)).unwrap();
        let mine = mutual_app::checkin::read_answers(
            1,
            r#"{"closeness": 5, "balance": 3, "heard": 4, "time": 2, "more": ["presence"]}"#,
        )
        .unwrap();
        let started = mutual_app::checkin::start(&st, &mut store, &sam, Some(&mine)).unwrap();
        let invite = mutual_app::checkin::invitation(&st, store.db(), started.id, "Alex").unwrap();
        (started.id, invite.code)
    };
    let page = text(send(&s.app, with_cookie(get("/checkins"), &cookie)).await).await;
    assert!(page.contains("Waiting for Sam"), "{page}");
    // What the friend's page does: seal answers to the invitation.
    let invite = Invite::decode(&invite).unwrap();
    let theirs = mutual_app::checkin::read_answers(
        invite.items,
        r#"{"closeness": 6, "balance": 4, "heard": 4, "time": 2, "more": ["listening"]}"#,
    )
    .unwrap();
    let code = Reply::seal(&invite, &KeyPair::generate().public, &theirs)
        .unwrap()
        .encode();
    // A damaged code: the one-line reason, nothing stored.
    let mut damaged = code.clone();
    damaged.truncate(code.len() - 10);
    let bad = send(
        &s.app,
        with_cookie(
            post("/checkins/receive", &format!("csrf={csrf}&code={damaged}")),
            &cookie,
        ),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let store = Store::open(&s.db, None).unwrap();
    assert!(store.db().checkin(id).unwrap().their_answers.is_none());
    let ok = send(
        &s.app,
        with_cookie(
            post("/checkins/receive", &format!("csrf={csrf}&code={code}")),
            &cookie,
        ),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let page = text(send(&s.app, with_cookie(get("/checkins?received=1"), &cookie)).await).await;
    assert!(
        page.contains("Both sides are here") && page.contains("class=\"perspectives\""),
        "{page}"
    );
    let api = text(send(&s.app, with_cookie(get("/api/checkins"), &cookie)).await).await;
    let views: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(views[0]["stage"], "both");
    let friend = text(send(&s.app, with_cookie(get("/friends/1"), &cookie)).await).await;
    assert!(friend.contains("Your last check-in, both sides"), "{friend}");
}

#[tokio::test]
async fn the_shared_snapshot_follows_writes_from_another_process() {
    let s = server();
    let (cookie, _) = login(&s).await;
    let before = text(send(&s.app, with_cookie(get("/api/today"), &cookie)).await).await;
    assert!(!before.contains("water the plants"));
    // Another process (the command line) writes: the next read sees it.
    let mut other = Store::open(&s.db, None).unwrap();
    let now = settings().now;
    other
        .write(|tx| {
            tx.add_follow_up(
                FriendId(1),
                "water the plants",
                jiff::civil::date(2026, 6, 15),
                now,
                None,
            )
            .map(|_| ())
        })
        .unwrap();
    let after = text(send(&s.app, with_cookie(get("/api/today"), &cookie)).await).await;
    assert!(after.contains("water the plants"), "{after}");
    let page = text(send(&s.app, with_cookie(get("/"), &cookie)).await).await;
    assert!(page.contains("water the plants"));
}

#[tokio::test]
async fn an_imported_sender_named_like_an_attack_stays_text() {
    let s = server();
    let (cookie, csrf) = login(&s).await;
    let chat = "12/06/2026, 18:00 - <img src=x onerror=alert(1)>: hi\n12/06/2026, 18:05 - Me: hello\n12/06/2026, 18:07 - \"><script>alert(1)</script>: bye\n";
    let (kind, body) = multipart(
        &csrf,
        &[("me", "Me"), ("zone", "UTC")],
        &[("chat.txt", chat.as_bytes())],
    );
    let started = send(&s.app, upload(&cookie, &kind, body)).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let job = location(&started).to_owned();
    let page = finished_job(&s.app, &job, &cookie).await;
    assert!(page.contains("Who is who"), "{page}");
    assert!(
        !page.contains("<img src=x") && !page.contains("<script>alert"),
        "{page}"
    );
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;") || page.contains("&#60;img"),
        "{page}"
    );
}
