//! A small HTTP/1.1 client on hyper for the demo and the tests: one connection per request.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{HeaderValue, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper::body::{Body, Bytes, Frame};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A response as the client saw it.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The `Allow` header, if any.
    pub allow: Option<String>,
    /// The body, as text.
    pub body: String,
}

/// A request body: in one piece with a `Content-Length`, or in chunks without one
/// (`Transfer-Encoding: chunked`).
#[derive(Clone, Debug)]
pub enum Payload {
    /// One piece.
    Sized(Bytes),
    /// Chunks, size unknown to the server until the end.
    Chunked(Vec<Bytes>),
}

impl From<String> for Payload {
    fn from(s: String) -> Self {
        Payload::Sized(Bytes::from(s))
    }
}

impl From<&str> for Payload {
    fn from(s: &str) -> Self {
        Payload::Sized(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<Vec<u8>> for Payload {
    fn from(v: Vec<u8>) -> Self {
        Payload::Sized(Bytes::from(v))
    }
}

/// The body type sent: frames in order; no size hint when chunked.
struct Frames {
    frames: VecDeque<Bytes>,
    exact: Option<u64>,
}

impl Body for Frames {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.frames.pop_front().map(|b| Ok(Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.frames.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self.exact {
            Some(n) => hyper::body::SizeHint::with_exact(n),
            None => hyper::body::SizeHint::default(),
        }
    }
}

/// Sends one request on a new connection and reads the whole answer, within 20 seconds.
pub async fn send(
    addr: SocketAddr,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    payload: impl Into<Payload>,
) -> Result<Answer, String> {
    let work = async {
        let stream = TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(connection);
        let frames = match payload.into() {
            Payload::Sized(b) => Frames { exact: Some(b.len() as u64), frames: VecDeque::from([b]) },
            Payload::Chunked(chunks) => Frames { exact: None, frames: chunks.into() },
        };
        let mut request = Request::new(frames);
        *request.method_mut() = method;
        *request.uri_mut() = path.parse().map_err(|e| format!("path {path}: {e}"))?;
        let headers = request.headers_mut();
        headers.insert(header::HOST, HeaderValue::from_str(&addr.to_string()).map_err(|e| e.to_string())?);
        headers.insert(header::USER_AGENT, HeaderValue::from_static(bitrix24_events::testkit::USER_AGENT));
        if let Some(ct) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).map_err(|e| e.to_string())?);
        }
        let response = sender.send_request(request).await.map_err(|e| format!("request: {e}"))?;
        let status = response.status();
        let allow = response.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.into_body().collect().await.map_err(|e| format!("response body: {e}"))?.to_bytes();
        Ok(Answer { status, allow, body: String::from_utf8_lossy(&body).into_owned() })
    };
    tokio::time::timeout(Duration::from_secs(20), work).await.map_err(|_| "timed out".to_owned())?
}

/// `POST /bitrix24/events` with a body and its `Content-Type`.
pub async fn post(addr: SocketAddr, content_type: &str, body: impl Into<Payload>) -> Result<Answer, String> {
    send(addr, Method::POST, super::PATH, Some(content_type), body).await
}
