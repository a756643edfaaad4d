//! The three example servers over real sockets: each is started on 127.0.0.1:0 and sent real
//! HTTP/1.1 requests by a hyper client (`examples/common/client.rs`), never by calling its handler.
//!
//! Every server must pass the same live table ([`table`]) in both encodings, and answer 200
//! concurrent requests correctly ([`concurrent`]). hyper always runs; actix-web and axum with their
//! features (`cargo test --all-features` runs all three in this one test binary).

#[path = "../examples/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use bitrix24_events::testkit::{self, EventBuilder};
use bitrix24_events::{DocumentStatus, Format, MemberStatus};
use common::client::{self, Answer, Payload};
use common::{BODY_LIMIT, PATH};
use http::{Method, StatusCode};
use hyper::body::Bytes;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Sends requests, checks their status, and collects every failure (and every answer that
/// contains one of `secrets`) instead of stopping at the first.
struct Checker {
    server: &'static str,
    addr: SocketAddr,
    failures: Vec<String>,
    secrets: Vec<String>,
    sent: usize,
}

impl Checker {
    fn new(server: &'static str, addr: SocketAddr) -> Self {
        Checker { server, addr, failures: Vec::new(), secrets: Vec::new(), sent: 0 }
    }

    /// A token used in the table, that no answer may contain.
    fn secret(&mut self, token: String) -> String {
        self.secrets.push(token.clone());
        token
    }

    async fn send(
        &mut self,
        what: &str,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        payload: Payload,
        want: StatusCode,
    ) -> Option<Answer> {
        self.sent += 1;
        match client::send(self.addr, method, path, content_type, payload).await {
            Ok(answer) => {
                if answer.status != want {
                    self.failures.push(format!(
                        "{what}: got {} ({}), want {want}",
                        answer.status,
                        answer.body.trim_end()
                    ));
                }
                for secret in &self.secrets {
                    if answer.body.contains(secret.as_str()) {
                        self.failures.push(format!("{what}: the answer contains a token: {}", answer.body.trim_end()));
                    }
                }
                Some(answer)
            }
            Err(e) => {
                self.failures.push(format!("{what}: no answer: {e}"));
                None
            }
        }
    }

    async fn post(&mut self, what: &str, format: Format, body: impl Into<Payload>, want: StatusCode) -> Option<Answer> {
        let what = format!("{format:?} {what}");
        self.send(&what, Method::POST, PATH, Some(testkit::content_type(format)), body.into(), want).await
    }

    async fn event(&mut self, what: &str, format: Format, event: &EventBuilder, want: StatusCode) -> Option<Answer> {
        self.post(what, format, event.body(format), want).await
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{}: {} of {} requests failed:\n{}",
            self.server,
            self.failures.len(),
            self.sent,
            self.failures.join("\n")
        );
    }
}

/// A body of exactly `len` bytes in `format`: a valid event of `portal`, padded in `data[pad]`.
fn padded(portal: &EventBuilder, format: Format, len: usize) -> String {
    let lead =
        EventBuilder::new("ONCRMLEADADD").member_id(portal_member(portal)).application_token(portal_token(portal));
    let base = lead.clone().set(&["data", "pad"], "").body(format).len();
    let body = lead.set(&["data", "pad"], "a".repeat(len.saturating_sub(base))).body(format);
    assert_eq!(body.len(), len, "padding is 1:1 in both encodings");
    body
}

fn portal_member(portal: &EventBuilder) -> String {
    portal.build().auth().member_id.clone()
}

fn portal_token(portal: &EventBuilder) -> String {
    portal.build().auth().application_token.as_ref().map(|t| t.secret().to_owned()).unwrap_or_default()
}

/// The live table, in one encoding, on a fresh portal.
async fn table_in(c: &mut Checker, format: Format) {
    use StatusCode as S;
    let tag = format!("{format:?}").to_lowercase();
    let member = format!("portal-{tag}-0123456789abcdef");
    let token = c.secret(format!("{tag}-application-token-0123456789abcdef"));
    let other_token = c.secret(format!("{tag}-other-token-fedcba9876543210"));
    let access = c.secret(testkit::DEFAULT_ACCESS_TOKEN.to_owned());
    let refresh = c.secret(testkit::DEFAULT_REFRESH_TOKEN.to_owned());
    let _ = (access, refresh);
    let of = |b: EventBuilder| b.member_id(member.clone()).application_token(token.clone());
    let signed = of(EventBuilder::member_status_changed(MemberStatus::Done));

    // Before the install: the portal is unknown.
    c.event("event of an unknown portal", format, &signed, S::UNAUTHORIZED).await;
    c.event("uninstall of an unknown portal", format, &of(EventBuilder::uninstall()), S::UNAUTHORIZED).await;

    // The lifecycle.
    c.event("install", format, &of(EventBuilder::install()), S::OK).await;
    c.event("install again, same token", format, &of(EventBuilder::install()), S::OK).await;
    c.event("update, same token", format, &of(EventBuilder::update()), S::OK).await;
    let takeover = EventBuilder::install().member_id(member.clone()).application_token(other_token.clone());
    c.event("install with another token (trust on first use)", format, &takeover, S::FORBIDDEN).await;
    let takeover = EventBuilder::update().member_id(member.clone()).application_token(other_token.clone());
    c.event("update with another token", format, &takeover, S::FORBIDDEN).await;
    c.event(
        "install without application_token",
        format,
        &of(EventBuilder::install()).without_application_token(),
        S::UNAUTHORIZED,
    )
    .await;

    // Verified events.
    c.event("member status, with OAuth tokens", format, &signed, S::OK).await;
    c.event("member status, no OAuth tokens", format, &signed.clone().without_tokens(), S::OK).await;
    c.event("document status", format, &of(EventBuilder::document_status_changed(DocumentStatus::Signing)), S::OK)
        .await;
    c.event("hcm link signed", format, &of(EventBuilder::hcm_link_document_signed(42, "ACME")), S::OK).await;
    let lead = of(EventBuilder::new("ONCRMLEADADD")).set(&["data", "FIELDS", "ID"], "365");
    c.event("an event the crate does not type", format, &lead, S::OK).await;
    c.event("old webhook body (no handler id)", format, &signed.clone().without_event_handler_id(), S::OK).await;
    if let Some(answer) = c.event("answer names the event", format, &signed, S::OK).await {
        if !answer.body.contains("ONSIGNB2EMEMBERSTATUSCHANGED") || !answer.body.contains(&member) {
            c.failures.push(format!("{format:?} answer names the event: {}", answer.body.trim_end()));
        }
    }

    // Refused events.
    c.event("wrong application_token", format, &signed.clone().application_token(other_token.clone()), S::UNAUTHORIZED)
        .await;
    c.event("no application_token", format, &signed.clone().without_application_token(), S::UNAUTHORIZED).await;
    c.event("empty application_token", format, &signed.clone().application_token(""), S::UNAUTHORIZED).await;
    c.event("unknown portal", format, &signed.clone().member_id("someone-else"), S::UNAUTHORIZED).await;

    // Malformed bodies.
    c.event("no auth[member_id]", format, &signed.clone().remove(&["auth", "member_id"]), S::BAD_REQUEST).await;
    c.event("no event code", format, &signed.clone().remove(&["event"]), S::BAD_REQUEST).await;
    c.event("ts is not a number", format, &signed.clone().set(&["ts"], "yesterday"), S::BAD_REQUEST).await;
    c.event("auth is not an array", format, &signed.clone().set(&["auth"], "x"), S::BAD_REQUEST).await;
    match format {
        Format::Form => {
            c.post("value not UTF-8", format, format!("{}&data%5Bx%5D=%FF", signed.form_body()), S::BAD_REQUEST).await;
            c.post("raw NUL byte", format, format!("{}&x=\0", signed.form_body()), S::BAD_REQUEST).await;
            c.post("empty body", format, "", S::BAD_REQUEST).await;
        }
        _ => {
            c.post("truncated JSON", format, "{\"event\":", S::BAD_REQUEST).await;
            c.post("JSON list", format, "[1,2]", S::BAD_REQUEST).await;
            c.post("form body sent as JSON", format, signed.form_body(), S::BAD_REQUEST).await;
            c.post("empty body", format, "", S::BAD_REQUEST).await;
        }
    }

    // Sizes: the limit is inclusive.
    c.post("body of exactly 64 KiB", format, padded(&signed, format, BODY_LIMIT), S::OK).await;
    c.post("body of 64 KiB + 1", format, padded(&signed, format, BODY_LIMIT + 1), S::PAYLOAD_TOO_LARGE).await;
    let chunks = |body: String| Payload::Chunked(body.into_bytes().chunks(4096).map(Bytes::copy_from_slice).collect());
    c.post("chunked body of exactly 64 KiB", format, chunks(padded(&signed, format, BODY_LIMIT)), S::OK).await;
    c.post("chunked body of 64 KiB + 1", format, chunks(padded(&signed, format, BODY_LIMIT + 1)), S::PAYLOAD_TOO_LARGE)
        .await;
    c.post("body of 1 MiB", format, padded(&signed, format, 1 << 20), S::PAYLOAD_TOO_LARGE).await;

    // Media types.
    let body = signed.body(format);
    for (what, ct) in [
        ("text/plain", Some("text/plain")),
        ("multipart", Some("multipart/form-data; boundary=x")),
        (
            "charset latin1",
            Some(if format == Format::Form {
                "application/x-www-form-urlencoded; charset=latin1"
            } else {
                "application/json; charset=latin1"
            }),
        ),
        ("no Content-Type", None),
    ] {
        let what = format!("{format:?} media type {what}");
        c.send(&what, Method::POST, PATH, ct, body.clone().into(), S::UNSUPPORTED_MEDIA_TYPE).await;
    }
    let ct = format!("{}; charset=UTF-8", testkit::content_type(format)).to_uppercase();
    c.send(
        &format!("{format:?} media type in capitals with charset"),
        Method::POST,
        PATH,
        Some(&ct),
        body.clone().into(),
        S::OK,
    )
    .await;

    // Methods and paths.
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let what = format!("{format:?} {method}");
        if let Some(answer) = c
            .send(&what, method, PATH, Some(testkit::content_type(format)), body.clone().into(), S::METHOD_NOT_ALLOWED)
            .await
        {
            if !answer.allow.as_deref().is_some_and(|a| a.contains("POST")) {
                c.failures.push(format!("{what}: 405 without `Allow: POST` ({:?})", answer.allow));
            }
        }
    }
    c.send(
        &format!("{format:?} other path"),
        Method::POST,
        "/other",
        Some(testkit::content_type(format)),
        body.into(),
        S::NOT_FOUND,
    )
    .await;

    // The uninstall: verified, then the portal is gone.
    c.event(
        "uninstall, wrong token",
        format,
        &of(EventBuilder::uninstall()).application_token(other_token.clone()),
        S::UNAUTHORIZED,
    )
    .await;
    c.event("uninstall", format, &of(EventBuilder::uninstall()), S::OK).await;
    c.event("event after uninstall", format, &signed, S::UNAUTHORIZED).await;
    c.event("uninstall again", format, &of(EventBuilder::uninstall()), S::UNAUTHORIZED).await;
    // A new install after the uninstall may bring a new token.
    let reinstall = EventBuilder::install().member_id(member.clone()).application_token(other_token.clone());
    c.event("reinstall with a new token", format, &reinstall, S::OK).await;
    c.event("event with the new token", format, &signed.clone().application_token(other_token.clone()), S::OK).await;
}

/// The live table in both encodings, then a check that the server is still up.
async fn table(server: &'static str, addr: SocketAddr) {
    let mut c = Checker::new(server, addr);
    table_in(&mut c, Format::Form).await;
    table_in(&mut c, Format::Json).await;
    let still_up = EventBuilder::install().member_id("still-up");
    c.event("after everything, the server still answers", Format::Form, &still_up, StatusCode::OK).await;
    c.finish();
}

/// 200 requests at once, each on its own connection: valid form and JSON (200), forged (401),
/// malformed (400); every answer must be the right one for its request.
async fn concurrent(server: &'static str, addr: SocketAddr) {
    const N: usize = 200;
    let member = "portal-concurrent";
    let token = "concurrent-application-token-0001";
    let install = EventBuilder::install().member_id(member).application_token(token);
    let answer = client::post(addr, testkit::FORM_CONTENT_TYPE, install.form_body()).await.expect("install");
    assert_eq!(answer.status, StatusCode::OK, "{server}: install: {}", answer.body);

    let mut tasks = Vec::with_capacity(N);
    for i in 0..N {
        let event = EventBuilder::member_status_changed(MemberStatus::Ready)
            .member_id(member)
            .application_token(token)
            .set(&["data", "memberUid"], format!("member-{i}"));
        let (format, event, want) = match i % 4 {
            0 => (Format::Form, event, StatusCode::OK),
            1 => (Format::Json, event, StatusCode::OK),
            2 => (Format::Form, event.application_token(format!("forged-{i}")), StatusCode::UNAUTHORIZED),
            _ => (Format::Json, event.remove(&["auth", "member_id"]), StatusCode::BAD_REQUEST),
        };
        let body = event.body(format);
        tasks.push(tokio::spawn(
            async move { (i, want, client::post(addr, testkit::content_type(format), body).await) },
        ));
    }
    let mut failures = Vec::new();
    for task in tasks {
        match task.await {
            Ok((_, want, Ok(answer))) if answer.status == want => {}
            Ok((i, want, Ok(answer))) => {
                failures.push(format!("request {i}: got {} ({}), want {want}", answer.status, answer.body.trim_end()))
            }
            Ok((i, _, Err(e))) => failures.push(format!("request {i}: {e}")),
            Err(e) => failures.push(format!("task: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{server}: {} of {N} concurrent requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn hyper_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(common::hyper_server::serve(listener, Arc::new(common::hyper_server::App::new(false))));
    addr
}

#[test]
fn hyper_live_table() {
    runtime().block_on(async { table("hyper", hyper_server().await).await });
}

#[test]
fn hyper_concurrent() {
    runtime().block_on(async { concurrent("hyper", hyper_server().await).await });
}

#[cfg(feature = "axum")]
mod axum_server {
    use super::*;
    use bitrix24_events::MemoryTokenStore;

    async fn axum_server() -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(common::axum_server::serve(listener, MemoryTokenStore::new(), false));
        addr
    }

    #[test]
    fn axum_live_table() {
        runtime().block_on(async { table("axum", axum_server().await).await });
    }

    #[test]
    fn axum_concurrent() {
        runtime().block_on(async { concurrent("axum", axum_server().await).await });
    }
}

#[cfg(feature = "actix")]
mod actix_server {
    use super::*;
    use bitrix24_events::MemoryTokenStore;

    /// Runs the actix server on its own thread and actix system; stops it when dropped.
    struct Running {
        addr: SocketAddr,
        handle: actix_web::dev::ServerHandle,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl Running {
        fn start() -> Running {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            let addr = listener.local_addr().expect("local addr");
            let (tx, rx) = std::sync::mpsc::channel();
            let thread = std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let server =
                        common::actix_server::server(listener, MemoryTokenStore::new(), false).expect("actix server");
                    tx.send(server.handle()).expect("send handle");
                    let _ = server.await;
                });
            });
            let handle = rx.recv().expect("actix server started");
            Running { addr, handle, thread: Some(thread) }
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            // `stop` only sends a command: any executor can drive it.
            runtime().block_on(self.handle.stop(false));
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }

    #[test]
    fn actix_live_table() {
        let server = Running::start();
        runtime().block_on(table("actix", server.addr));
    }

    #[test]
    fn actix_concurrent() {
        let server = Running::start();
        runtime().block_on(concurrent("actix", server.addr));
    }
}
