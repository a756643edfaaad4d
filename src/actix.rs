//! An [actix-web 4](https://docs.rs/actix-web/4) extractor: take a decoded, verified event as a
//! handler argument (feature `actix`).
//!
//! Register an [`EventConfig`] (the token store, and optionally a [`Decoder`] and a [`Validation`])
//! with `App::app_data`, then take [`VerifiedEvent`] in a handler. The extractor reads the body under
//! actix's own limit ([`PayloadConfig`](web::PayloadConfig), default 256 KiB, honoured as
//! for [`web::Bytes`]) and under the decoder's [`Limits`](crate::Limits)
//! (64 KiB by default): the smaller one wins, and a `Content-Length` over either is refused before
//! the body is read. It then runs [`receive`](crate::receive): installs and updates are stored,
//! uninstalls verified and forgotten, every other event verified against its portal's stored token.
//! A request that fails is answered by [`Rejection`] with the status of
//! [`Error::status_code`] (400, 401, 403, 413, 415, 422) and a one-line text that never contains a
//! token.
//!
//! ```
//! use actix_web::{web, App, HttpResponse};
//! use bitrix24_events::actix::{EventConfig, VerifiedEvent};
//! use bitrix24_events::{AnyEvent, MemoryTokenStore};
//!
//! async fn events(verified: VerifiedEvent) -> HttpResponse {
//!     match &verified.event {
//!         AnyEvent::MemberStatusChanged(e) => println!("{} is now {}", e.data.member_uid, e.data.status_code),
//!         other => println!("{}", other.code()),
//!     }
//!     HttpResponse::Ok().finish()
//! }
//!
//! let config = EventConfig::new(MemoryTokenStore::new());
//! let app = App::new()
//!     .app_data(config)
//!     .app_data(web::PayloadConfig::new(64 * 1024))
//!     .route("/bitrix24/events", web::post().to(events));
//! # drop(app);
//! ```
//!
//! To see why a request was refused (to log it), take `Result<VerifiedEvent, Rejection>` instead:
//! actix then calls the handler either way.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};

use crate::Error;
#[doc(no_inline)]
pub use crate::{EventConfig, VerifiedEvent};

impl EventConfig {
    /// The configuration registered with `App::app_data`, directly or as `web::Data`.
    fn from_req(req: &HttpRequest) -> Option<EventConfig> {
        req.app_data::<EventConfig>()
            .or_else(|| req.app_data::<web::Data<EventConfig>>().map(|data| data.get_ref()))
            .cloned()
    }
}

/// Why [`VerifiedEvent`] refused a request. As an actix `ResponseError` it answers with its status
/// and its text (`text/plain`), which never contain a token.
#[derive(Debug)]
pub struct Rejection(Reason);

#[derive(Debug)]
enum Reason {
    /// The crate refused the request or the event.
    Event(Error),
    /// actix could not read the body (over `PayloadConfig`'s limit, connection error).
    Body(actix_web::Error),
    /// No [`EventConfig`] is registered.
    NotConfigured,
}

impl Rejection {
    /// The HTTP status to answer with.
    pub fn status_code(&self) -> http::StatusCode {
        match &self.0 {
            Reason::Event(e) => e.status_code(),
            Reason::Body(e) => http::StatusCode::from_u16(e.as_response_error().status_code().as_u16())
                .unwrap_or(http::StatusCode::BAD_REQUEST),
            Reason::NotConfigured => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The crate's error, when the request reached the decoder or the validation.
    pub fn error(&self) -> Option<&Error> {
        match &self.0 {
            Reason::Event(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Reason::Event(e) => fmt::Display::fmt(e, f),
            Reason::Body(e) => write!(f, "cannot read the request body: {e}"),
            Reason::NotConfigured => {
                f.write_str("bitrix24_events::actix::EventConfig is not registered (App::app_data)")
            }
        }
    }
}

impl std::error::Error for Rejection {}

impl From<Error> for Rejection {
    fn from(e: Error) -> Self {
        Rejection(Reason::Event(e))
    }
}

impl ResponseError for Rejection {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(Rejection::status_code(self).as_u16())
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(ResponseError::status_code(self))
            .content_type("text/plain; charset=utf-8")
            .body(format!("{self}\n"))
    }
}

/// The headers the crate looks at (`Content-Type`, `Content-Length`), as `http` 1.x types.
fn edge_headers(req: &HttpRequest) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for name in [http::header::CONTENT_TYPE, http::header::CONTENT_LENGTH] {
        for value in req.headers().get_all(name.as_str()) {
            if let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes()) {
                headers.append(name.clone(), value);
            }
        }
    }
    headers
}

impl FromRequest for VerifiedEvent {
    type Error = Rejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Rejection>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let Some(config) = EventConfig::from_req(req) else {
            return Box::pin(std::future::ready(Err(Rejection(Reason::NotConfigured))));
        };
        let headers = edge_headers(req);
        if let Err(e) = config.check_content_length(&headers) {
            return Box::pin(std::future::ready(Err(e.into())));
        }
        // actix's own extractor: honours PayloadConfig (limit, and its Content-Length check).
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| Rejection(Reason::Body(e)))?;
            Ok(config.receive(&headers, &body, SystemTime::now())?)
        })
    }
}
