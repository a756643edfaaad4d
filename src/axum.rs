//! An [axum 0.8](https://docs.rs/axum/0.8) extractor: take a decoded, verified event as a handler
//! argument (feature `axum`).
//!
//! Put an [`EventConfig`] (the token store, and optionally a [`Decoder`] and a [`Validation`]) in the
//! router's state, or make it reachable from your state with `FromRef`, then take
//! [`VerifiedEvent`] in a handler. The extractor reads the body as axum's own `Bytes` extractor does,
//! under [`DefaultBodyLimit`](axum::extract::DefaultBodyLimit) (2 MB unless configured), and under
//! the decoder's [`Limits`](crate::Limits) (64 KiB by default): the smaller one wins, and a
//! `Content-Length` over the decoder's limit is refused before the body is read. It then runs
//! [`receive`](crate::receive): installs and updates are stored, uninstalls verified and forgotten,
//! every other event verified against its portal's stored token. A request that fails is answered
//! by [`Rejection`] with the status of [`Error::status_code`] (400, 401, 403, 413, 415, 422) and a
//! one-line text that never contains a token.
//!
//! ```
//! use axum::{Router, extract::DefaultBodyLimit, routing::post};
//! use bitrix24_events::axum::{EventConfig, VerifiedEvent};
//! use bitrix24_events::{AnyEvent, MemoryTokenStore};
//!
//! async fn events(verified: VerifiedEvent) -> &'static str {
//!     match &verified.event {
//!         AnyEvent::MemberStatusChanged(e) => println!("{} is now {}", e.data.member_uid, e.data.status_code),
//!         other => println!("{}", other.code()),
//!     }
//!     "ok"
//! }
//!
//! let app: Router = Router::new()
//!     .route("/bitrix24/events", post(events))
//!     .layer(DefaultBodyLimit::max(64 * 1024))
//!     .with_state(EventConfig::new(MemoryTokenStore::new()));
//! # drop(app);
//! ```
//!
//! To see why a request was refused (to log it), take `Result<VerifiedEvent, Rejection>` instead.

use std::fmt;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};

use crate::Error;
#[doc(no_inline)]
pub use crate::{EventConfig, VerifiedEvent};

/// Why [`VerifiedEvent`] refused a request. As a response it is its status and its text
/// (`text/plain`), which never contain a token.
#[derive(Debug)]
pub struct Rejection(Reason);

#[derive(Debug)]
enum Reason {
    /// The crate refused the request or the event.
    Event(Error),
    /// axum could not read the body (over `DefaultBodyLimit`, connection error).
    Body(axum::extract::rejection::BytesRejection),
}

impl Rejection {
    /// The HTTP status to answer with.
    pub fn status_code(&self) -> http::StatusCode {
        match &self.0 {
            Reason::Event(e) => e.status_code(),
            Reason::Body(e) => e.status(),
        }
    }

    /// The crate's error, when the request reached the decoder or the validation.
    pub fn error(&self) -> Option<&Error> {
        match &self.0 {
            Reason::Event(e) => Some(e),
            Reason::Body(_) => None,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Reason::Event(e) => fmt::Display::fmt(e, f),
            Reason::Body(e) => write!(f, "cannot read the request body: {}", e.body_text()),
        }
    }
}

impl std::error::Error for Rejection {}

impl From<Error> for Rejection {
    fn from(e: Error) -> Self {
        Rejection(Reason::Event(e))
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut response = (self.status_code(), format!("{self}\n")).into_response();
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain; charset=utf-8"));
        response
    }
}

impl<S> FromRequest<S> for VerifiedEvent
where
    S: Send + Sync,
    EventConfig: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Rejection> {
        let config = EventConfig::from_ref(state);
        config.check_content_length(req.headers())?;
        let headers = req.headers().clone();
        // axum's own extractor: honours DefaultBodyLimit.
        let body = Bytes::from_request(req, state).await.map_err(|e| Rejection(Reason::Body(e)))?;
        Ok(config.receive(&headers, &body, SystemTime::now())?)
    }
}
