//! The JSON API: each page's view model, the same types the command line
//! prints with `--json`, behind the same session.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::state::Web;

fn json<T: serde::Serialize>(out: Result<T, crate::WebError>) -> Response {
    match out {
        Ok(value) => Json(value).into_response(),
        Err(e) => e.json(),
    }
}

/// `GET /api/today`: the agenda.
pub(crate) async fn today(State(web): State<Arc<Web>>) -> Response {
    json(
        web.snapshot()
            .await
            .map(|(s, snap)| mutual_app::views::today_with(&s, &snap.records, &snap.drift)),
    )
}

/// `GET /api/balance`: every friend's balance row.
pub(crate) async fn balance(State(web): State<Arc<Web>>) -> Response {
    let body = match web.snapshot().await {
        Ok((s, snap)) => web.read(move |_, db| snap.balance_json(&s, db)).await,
        Err(e) => Err(e),
    };
    match body {
        Ok(body) => {
            let mut response = axum::body::Body::from(body.as_ref().clone()).into_response();
            response.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(e) => e.json(),
    }
}

/// `GET /api/signals`: every signal, with the friend it is about.
pub(crate) async fn signals(State(web): State<Arc<Web>>) -> Response {
    json(
        web.snapshot()
            .await
            .map(|(s, snap)| mutual_app::views::signal_rows_with(&s, &snap.records, &snap.drift)),
    )
}

/// `GET /api/friends`: every friend, as stored.
pub(crate) async fn friends(State(web): State<Arc<Web>>) -> Response {
    json(web.read(|_, db| Ok(db.friends()?)).await)
}

/// `GET /api/friends/{id}`: one friend's profile.
pub(crate) async fn friend(State(web): State<Arc<Web>>, Path(id): Path<i64>) -> Response {
    let profile = match web.snapshot().await {
        Ok((s, snap)) => web.read(move |_, db| snap.profile(&s, db, id)).await,
        Err(e) => Err(e),
    };
    match profile {
        Ok(profile) => Json(&*profile).into_response(),
        Err(e) => e.json(),
    }
}
