//! The event endpoint on hyper 1.x: the http edge of the crate, with `http_body_util::Limited`
//! capping the body. Also the accept loop the axum example reuses.

use std::convert::Infallible;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::SystemTime;

use bitrix24_events::{Decoder, MemoryTokenStore, Validation};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::{Service, service_fn};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::{BODY_LIMIT, PATH, Reply, outcome};

/// The server's state: how to decode, what to accept, the in-memory token store.
#[derive(Clone, Debug, Default)]
pub struct App {
    /// The decoder (64 KiB bodies).
    pub decoder: Decoder,
    /// The validation rules (the defaults: install trust on first use, no age limit).
    pub validation: Validation,
    /// The portals that installed the app.
    pub store: MemoryTokenStore,
    /// Whether to print one line per handled event.
    pub log: bool,
}

impl App {
    /// The default state; `log` prints one line per handled event.
    pub fn new(log: bool) -> Self {
        App { log, ..App::default() }
    }

    /// Handles one request that reached `POST /bitrix24/events`, given its headers and its body
    /// (already read under the limit): decode, verify, store or forget, answer.
    pub fn respond(&self, headers: &HeaderMap, body: &[u8]) -> Reply {
        let received =
            bitrix24_events::receive(headers, body, &self.decoder, &self.validation, &self.store, SystemTime::now());
        outcome(received.as_ref().map(|(event, action)| (event, action)).map_err(|e| (e.status_code(), e)), self.log)
    }

    /// Handles any request: routing, method, body limit, then [`App::respond`].
    pub async fn handle<B>(&self, req: Request<B>) -> Response<Full<Bytes>>
    where
        B: Body,
        B::Error: Into<Box<dyn StdError + Send + Sync>>,
    {
        if req.uri().path() != PATH {
            return text(StatusCode::NOT_FOUND, "not found\n");
        }
        if req.method() != Method::POST {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed: POST only\n");
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        let (parts, body) = req.into_parts();
        // A Content-Length over the limit is refused before anything is read.
        if let Err(e) = bitrix24_events::check_content_length(&parts.headers, self.decoder.limits()) {
            return reply(outcome(Err((e.status_code(), e)), self.log));
        }
        match Limited::new(body, self.decoder.limits().max_body_bytes).collect().await {
            Ok(collected) => reply(self.respond(&parts.headers, &collected.to_bytes())),
            Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => reply(outcome(
                Err((StatusCode::PAYLOAD_TOO_LARGE, format!("body exceeds the limit of {BODY_LIMIT} bytes"))),
                self.log,
            )),
            Err(e) => reply(outcome(Err((StatusCode::BAD_REQUEST, format!("cannot read the body: {e}"))), self.log)),
        }
    }
}

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    reply(Reply { status, body: body.to_owned() })
}

fn reply(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = reply.status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// Serves `app` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, app: Arc<App>) {
    let service = service_fn(move |req: Request<Incoming>| {
        let app = Arc::clone(&app);
        async move { Ok::<_, Infallible>(app.handle(req).await) }
    });
    accept_loop(listener, service).await;
}

/// Accepts connections forever and serves each with `service` over HTTP/1.1 on its own task.
/// (What `axum::serve` does; the axum example uses it so the crate needs none of axum's
/// optional features.) An accept error is reported and the loop goes on.
pub async fn accept_loop<S, B>(listener: TcpListener, service: S)
where
    S: Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn StdError + Send + Sync>>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: wait a little rather than spin.
                eprintln!("accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = service.clone();
        tokio::spawn(async move {
            // A client that goes away mid-request is its own business.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
