//! `mutual serve`: the dashboard, a small web app served by the binary
//! itself on loopback. Pages are rendered on the server from askama
//! templates (escaped by default) over the application layer's view
//! models; the same models are the JSON under `/api/`. Every page works
//! with JavaScript off; `assets/app.js` only adds small comforts.
//!
//! - [`Web`]: the shared state: where the database is, the settings, the
//!   one-time login token, the sessions, and a small pool of connections.
//! - `guard`: what every request passes first: the Host check (DNS
//!   rebinding), the session, the Origin check and CSRF token on writes, and
//!   the security headers on every response.
//! - `pages`: the HTML pages and their forms; `api`: the JSON.
//!
//! **Invariant**: a read never takes the write connection, and nothing is
//! fetched from outside the binary (no CDN, no font, no script from
//! elsewhere).

mod api;
mod checkins;
mod error;
mod guard;
mod import;
mod pages;
mod state;
pub mod tls;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

pub use error::WebError;
pub use state::{Clock, Config, Web};

/// The dashboard's routes over the shared state.
pub fn app(web: Arc<Web>) -> Router {
    let api = Router::new()
        .route("/today", get(api::today))
        .route("/balance", get(api::balance))
        .route("/signals", get(api::signals))
        .route("/friends", get(api::friends))
        .route("/friends/{id}", get(api::friend))
        .route("/checkins", get(checkins::api));
    Router::new()
        .route("/", get(pages::today))
        .route("/friends", get(pages::friends))
        .route("/friends/{id}", get(pages::friend))
        .route("/friends/{id}/snooze", post(pages::snooze))
        .route("/log", get(pages::log_form).post(pages::log))
        .route("/entries/{id}/remove", post(pages::remove_entry))
        .route("/entries/{id}/edit", get(pages::edit_form).post(pages::edit))
        .route("/act", post(pages::act))
        .route(
            "/import",
            get(import::form)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(import::BODY_LIMIT))
                .layer(axum::middleware::from_fn(import::limit)),
        )
        .route("/import/{id}", get(import::job))
        .route("/import/{id}/events", get(import::events))
        .route("/import/{id}/link", post(import::link))
        .route("/checkins", get(checkins::list))
        .route("/checkins/receive", post(checkins::receive))
        .route("/review", get(pages::review).post(pages::reflect))
        .route("/settings", get(pages::settings))
        .route("/settings/export", get(pages::export))
        .route("/settings/calendar", post(pages::new_feed))
        .route("/friends/{id}/rhythm", post(pages::rhythm))
        .route("/friends/{id}/note", post(pages::add_note))
        .route("/friends/{id}/forget", post(pages::forget))
        .route("/calendar.ics", get(pages::feed))
        .route("/login", get(guard::login).post(guard::login_with_passphrase))
        .route("/unlock", get(guard::unlock_form).post(guard::unlock))
        .route("/logout", post(guard::logout))
        .route("/assets/style.css", get(pages::style))
        .route("/assets/app.js", get(pages::script))
        .nest("/api", api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(web.clone(), guard::guard))
        .with_state(web)
}

/// Serves the dashboard on `listener` (a TCP listener on loopback, or a
/// [`tls::TlsListener`]) until the process is stopped.
pub async fn serve<L>(listener: L, web: Arc<Web>) -> std::io::Result<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    axum::serve(listener, app(web)).await
}
