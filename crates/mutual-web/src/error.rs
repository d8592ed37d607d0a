//! The web app's one error: the application layer's errors mapped to
//! status codes, and what only the web has (no session, a foreign origin,
//! too many logins). Pages show it as a short page in the same words the
//! command line uses; the API as `{"error": "..."}`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mutual_app::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] AppError),
    /// The database is encrypted and waits for its passphrase.
    #[error("the database is locked; unlock it with its passphrase first")]
    Locked,
    #[error("that passphrase does not open this database; try again")]
    WrongPassphrase,
    #[error("please log in first: open the link `mutual serve` printed")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("too many attempts to log in; wait a minute and try again")]
    TooManyAttempts,
    #[error("there is no page here")]
    NotFound,
    /// An upload over the limit (in bytes), refused before it was read.
    #[error("that upload is over {} MB, so it was not read; import a smaller export, or use mutual import on the command line", .0 >> 20)]
    TooLarge(u64),
    /// A form or query that cannot be used, and what was expected.
    #[error("{0}")]
    BadRequest(String),
    #[error("something went wrong on this computer: {0}")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::App(AppError::NotFound { .. }) => StatusCode::NOT_FOUND,
            WebError::App(AppError::Store(mutual_store::StoreError::NotFound { .. })) => {
                StatusCode::NOT_FOUND
            }
            WebError::App(AppError::Ambiguous { .. }) => StatusCode::CONFLICT,
            WebError::App(e) if e.is_bad_input() => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::App(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Locked | WebError::WrongPassphrase | WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// The message as JSON, for the API.
    pub(crate) fn json(&self) -> Response {
        let body = serde_json::json!({ "error": self.to_string() });
        (self.status(), axum::Json(body)).into_response()
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct Message<'a> {
    title: &'a str,
    text: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if matches!(self, WebError::Locked) {
            return Redirect::to("/unlock").into_response();
        }
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::UNAUTHORIZED => "Please log in",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::TOO_MANY_REQUESTS => "Please wait a minute",
            s if s.is_server_error() => "Something went wrong",
            _ => "That did not work",
        };
        let page = Message {
            title,
            text: self.to_string(),
        };
        let html = page.render().unwrap_or_else(|_| {
            "<!DOCTYPE html><title>mutual</title><p>Something went wrong.</p>".to_owned()
        });
        (status, Html(html)).into_response()
    }
}
