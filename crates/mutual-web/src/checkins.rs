//! The check-ins page: each two-sided check-in, where it stands, both
//! perspectives once both have answered, and a field to paste the reply
//! code a friend sent back.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mutual_app::checkin::{CheckinView, Stage};
use serde::Deserialize;

use crate::error::WebError;
use crate::guard::{check_csrf, render};
use crate::pages::Frame;
use crate::state::{Session, Web};

struct Row {
    friend: String,
    friend_id: i64,
    started: String,
    stage: String,
    both: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "checkins.html")]
struct CheckinsPage {
    frame: Frame,
    rows: Vec<Row>,
    problem: Option<String>,
    done: bool,
}

/// Where a check-in stands, in words.
fn stage_words(v: &CheckinView) -> String {
    let name = &v.friend;
    match (v.stage, v.closed) {
        (Stage::New, _) => {
            "Not answered yet: answer first with mutual checkin answer, then send the invitation.".to_owned()
        }
        (Stage::Waiting, false) => {
            format!("Your answers are in, sealed. Waiting for {name}'s, with no hurry.")
        }
        (Stage::Waiting, true) => {
            format!("Closed before {name}'s answers came; a new one can start whenever it feels right.")
        }
        (Stage::TheirsSealed, _) => format!("{name}'s answers are here, sealed until you answer too."),
        (Stage::Both, _) => "Both sides are here.".to_owned(),
    }
}

fn rows(views: &[CheckinView], tz: &jiff::tz::TimeZone) -> Vec<Row> {
    views
        .iter()
        .map(|v| Row {
            friend: v.friend.clone(),
            friend_id: v.friend_id.0,
            started: v
                .started_at
                .to_zoned(tz.clone())
                .strftime("%-d %B %Y")
                .to_string(),
            stage: stage_words(v),
            both: v
                .both
                .iter()
                .map(|b| (b.prompt.clone(), b.sentence.clone()))
                .collect(),
        })
        .collect()
}

async fn page(
    web: &Arc<Web>,
    session: &Session,
    problem: Option<String>,
    done: bool,
) -> Result<Response, WebError> {
    let (views, tz) = web
        .read(|s, db| Ok((mutual_app::checkin::list(s, db, None)?, s.tz.clone())))
        .await?;
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CheckinsPage {
        frame: Frame::new("checkins", session),
        rows: rows(&views, &tz),
        problem,
        done,
    };
    Ok((status, Html(render(&page)?)).into_response())
}

#[derive(Deserialize, Debug, Default)]
pub(crate) struct Query {
    received: Option<String>,
}

/// `GET /checkins`.
pub(crate) async fn list(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    axum::extract::Query(q): axum::extract::Query<Query>,
) -> Result<Response, WebError> {
    page(&web, &session, None, q.received.is_some()).await
}

#[derive(Deserialize, Debug)]
pub(crate) struct ReceiveForm {
    csrf: String,
    code: String,
}

/// `POST /checkins/receive`: a friend's reply code, pasted.
pub(crate) async fn receive(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<ReceiveForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let code = form.code.trim().to_owned();
    match web
        .write(move |s, store| mutual_app::checkin::receive(s, store, &code))
        .await
    {
        Ok(_) => Ok(Redirect::to("/checkins?received=1").into_response()),
        Err(e) if e.status().is_client_error() => page(&web, &session, Some(e.to_string()), false).await,
        Err(e) => Err(e),
    }
}

/// `GET /api/checkins`: every check-in, as `checkin list --json` prints it.
pub(crate) async fn api(State(web): State<Arc<Web>>) -> Response {
    match web.read(|s, db| mutual_app::checkin::list(s, db, None)).await {
        Ok(views) => axum::Json(views).into_response(),
        Err(e) => e.json(),
    }
}
