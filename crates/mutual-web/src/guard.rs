//! What every request passes first, and the login: a Host header that names
//! this server (against DNS rebinding), a session cookie got once for the
//! one-time token, writes only from our own pages (the Origin check here,
//! the CSRF token in each form), and the security headers on every answer.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, Form, Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mutual_store::Passphrase;
use serde::Deserialize;

use crate::error::WebError;
use crate::state::{Session, Web, same_secret};

/// The session cookie's name.
pub(crate) const COOKIE: &str = "mutual_session";

/// Scripts, styles and images only from this server; no frames, no
/// plugins, forms only back to us.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The value of cookie `name` in these headers, if any.
fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// Routes anyone may ask for: the login, the static assets, and the
/// calendar feed (whose secret key is its permission).
fn is_public(path: &str) -> bool {
    path == "/login" || path == "/calendar.ics" || path.starts_with("/assets/")
}

/// Whether a write came from one of our own pages: its Origin is this
/// server; or, where the browser withholds the origin (our
/// `Referrer-Policy: no-referrer` makes Chromium send `Origin: null`), the
/// browser's own `Sec-Fetch-Site: same-origin` or a Referer here says so.
/// Each form's CSRF token is checked besides.
fn same_origin(req: &Request, web: &Web) -> bool {
    let ours = web.origin();
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    match header(header::ORIGIN) {
        Some(origin) if origin != "null" => origin == ours,
        _ => {
            header(SEC_FETCH_SITE) == Some("same-origin")
                || header(header::REFERER).is_some_and(|r| r == ours || r.starts_with(&format!("{ours}/")))
        }
    }
}

/// The browser's word on where a request comes from.
const SEC_FETCH_SITE: header::HeaderName = header::HeaderName::from_static("sec-fetch-site");

/// The checks every request passes, and the headers every answer gets.
pub(crate) async fn guard(State(web): State<Arc<Web>>, mut req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut response = match check(&web, &mut req) {
        Ok(None) => next.run(req).await,
        Ok(Some(elsewhere)) => elsewhere,
        Err(e) if api => e.json(),
        Err(e) => e.into_response(),
    };
    secure(&mut response);
    response
}

/// `None` when the request may go on; else where it goes instead.
fn check(web: &Web, req: &mut Request) -> Result<Option<Response>, WebError> {
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(|h| web.is_our_host(h)) {
        return Err(WebError::Forbidden(
            "this address is not the one mutual serves; open the link mutual serve printed",
        ));
    }
    let path = req.uri().path().to_owned();
    if !is_public(&path) {
        match cookie(req.headers(), COOKIE).and_then(|id| web.session(id)) {
            Some(session) => {
                req.extensions_mut().insert(session);
            }
            None if path.starts_with("/api/") || req.method() != Method::GET => {
                return Err(WebError::Unauthorized);
            }
            None => return Ok(Some(Redirect::to("/login").into_response())),
        }
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) && !same_origin(req, web) {
        return Err(WebError::Forbidden(
            "this form was not sent from mutual's own pages, so nothing was changed",
        ));
    }
    if web.is_locked() && !is_public(&path) && path != "/unlock" && path != "/logout" {
        return Ok(Some(Redirect::to("/unlock").into_response()));
    }
    Ok(None)
}

/// The security headers of every answer.
fn secure(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

/// A form's CSRF token must be its session's.
pub(crate) fn check_csrf(session: &Session, given: &str) -> Result<(), WebError> {
    if same_secret(&session.csrf, given) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "this form is out of date or not from mutual's own pages; reload the page and try again",
        ))
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage;

/// The session cookie for `session`: HttpOnly, SameSite=Strict, and
/// Secure over TLS.
fn session_cookie(web: &Web, session: &str) -> Result<HeaderValue, WebError> {
    let secure = if web.is_remote() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/{secure}"
    ))
    .map_err(|e| WebError::Internal(e.to_string()))
}

#[derive(Template)]
#[template(path = "login_passphrase.html")]
struct PassphraseLogin {
    problem: Option<String>,
}

/// `GET /login?token=...`: the one-time token for a session cookie. Served
/// beyond this computer, the page asks for the passphrase instead.
pub(crate) async fn login(
    State(web): State<Arc<Web>>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    if web.is_remote() {
        return Ok((
            StatusCode::UNAUTHORIZED,
            Html(render(&PassphraseLogin { problem: None })?),
        )
            .into_response());
    }
    let Some(token) = q.token else {
        return Ok((StatusCode::UNAUTHORIZED, Html(render(&LoginPage)?)).into_response());
    };
    if web.login_blocked() {
        return Err(WebError::TooManyAttempts);
    }
    let Some(session) = web.exchange(&token) else {
        return Err(WebError::Forbidden(
            "this login link was used already or is not right; stop mutual serve and start it again for a new one",
        ));
    };
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&web, &session)?);
    Ok(response)
}

#[derive(Deserialize)]
pub(crate) struct PassphraseForm {
    passphrase: String,
}

impl std::fmt::Debug for PassphraseForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseForm(..)")
    }
}

/// `POST /login`: the database's passphrase, beyond this computer.
pub(crate) async fn login_with_passphrase(
    State(web): State<Arc<Web>>,
    Form(form): Form<PassphraseForm>,
) -> Result<Response, WebError> {
    if !web.is_remote() {
        return Err(WebError::Forbidden(
            "on this computer, log in with the link mutual serve printed",
        ));
    }
    if web.login_blocked() {
        return Err(WebError::TooManyAttempts);
    }
    let again = |problem: String, status| -> Result<Response, WebError> {
        Ok((
            status,
            Html(render(&PassphraseLogin {
                problem: Some(problem),
            })?),
        )
            .into_response())
    };
    if form.passphrase.is_empty() {
        web.failed_login();
        return again(
            "The passphrase is empty; type the one of this database.".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let check = Arc::clone(&web);
    let passphrase = Passphrase::new(form.passphrase);
    let opened = tokio::task::spawn_blocking(move || check.unlock(passphrase))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    match opened {
        Ok(()) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(&web, &web.passphrase_session())?,
            );
            Ok(response)
        }
        Err(WebError::WrongPassphrase) => {
            again(WebError::WrongPassphrase.to_string(), StatusCode::UNAUTHORIZED)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage<'a> {
    csrf: &'a str,
    problem: Option<String>,
}

pub(crate) async fn unlock_form(Extension(session): Extension<Session>) -> Result<Html<String>, WebError> {
    Ok(Html(render(&UnlockPage {
        csrf: &session.csrf,
        problem: None,
    })?))
}

#[derive(Deserialize)]
pub(crate) struct UnlockForm {
    csrf: String,
    passphrase: String,
}

impl std::fmt::Debug for UnlockForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnlockForm(..)")
    }
}

/// `POST /unlock`: the passphrase of an encrypted database.
pub(crate) async fn unlock(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<UnlockForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    if web.login_blocked() {
        return Err(WebError::TooManyAttempts);
    }
    if form.passphrase.is_empty() {
        let page = UnlockPage {
            csrf: &session.csrf,
            problem: Some("The passphrase is empty; type the one you chose for this database.".to_owned()),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page)?)).into_response());
    }
    let web2 = Arc::clone(&web);
    let passphrase = Passphrase::new(form.passphrase);
    let opened = tokio::task::spawn_blocking(move || web2.unlock(passphrase))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    match opened {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(WebError::WrongPassphrase) => {
            let page = UnlockPage {
                csrf: &session.csrf,
                problem: Some(WebError::WrongPassphrase.to_string()),
            };
            Ok((StatusCode::UNAUTHORIZED, Html(render(&page)?)).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Debug)]
pub(crate) struct CsrfOnly {
    csrf: String,
}

/// `POST /logout`: ends this browser's session.
pub(crate) async fn logout(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    headers: axum::http::HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    if let Some(id) = cookie(&headers, COOKIE) {
        web.end_session(id);
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("mutual_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(response)
}

pub(crate) fn render(page: &impl Template) -> Result<String, WebError> {
    page.render().map_err(|e| WebError::Internal(e.to_string()))
}
