//! What the example servers (`server_hyper`, `server_actix`, `server_axum`), the `demo` and
//! `tests/servers.rs` share, included by each with `#[path = "common/mod.rs"] mod common;`.
//!
//! Every server answers `POST /bitrix24/events` the same way; the crate does the work
//! ([`bitrix24_events::receive`], or the actix / axum extractors that call it), and [`outcome`]
//! turns its result into the response and the log line, so the three servers cannot drift apart:
//!
//! | request | status |
//! |---|---|
//! | ONAPPINSTALL / ONAPPUPDATE (first install of a portal, or the same token again) | 200, token stored |
//! | ONAPPINSTALL / ONAPPUPDATE with another token than the stored one | 403 (install trust on first use) |
//! | any other event with its portal's stored token | 200 |
//! | ONAPPUNINSTALL with the stored token | 200, portal forgotten |
//! | unknown portal, wrong or missing application_token | 401 |
//! | malformed body | 400 |
//! | body over 64 KiB | 413 |
//! | Content-Type neither form nor JSON | 415 |
//! | another method | 405 |
//! | another path | 404 |
//!
//! No response or log line contains a token: they name the event, the portal's `member_id` and
//! the crate's error text, which never carries a value from the body's secret fields.
#![allow(dead_code)]

use std::fmt;
use std::net::SocketAddr;

use bitrix24_events::{Action, AnyEvent};
use http::StatusCode;

pub mod client;
pub mod hyper_server;

#[cfg(feature = "actix")]
pub mod actix_server;
#[cfg(feature = "axum")]
pub mod axum_server;

/// The one path the servers serve.
pub const PATH: &str = "/bitrix24/events";
/// The body limit of every server (the crate's default [`bitrix24_events::Limits`]).
pub const BODY_LIMIT: usize = bitrix24_events::Limits::DEFAULT_MAX_BODY_BYTES;
/// Where the servers listen unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// A response: its status and its text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The body (`text/plain`, one line).
    pub body: String,
}

/// The response to a request that reached the event endpoint, and its log line (printed when
/// `log` is set): `200 ONAPPINSTALL portal 0123…: stored` or `401 refused: unknown portal: …`.
pub fn outcome<E: fmt::Display>(result: Result<(&AnyEvent, &Action), (StatusCode, E)>, log: bool) -> Reply {
    let reply = match result {
        Ok((event, action)) => {
            let what = match action {
                Action::Stored { .. } => "portal stored",
                Action::Forgotten { .. } => "portal forgotten",
                _ => "verified",
            };
            Reply {
                status: StatusCode::OK,
                body: format!("ok: {} from portal {}: {what}\n", event.code(), event.auth().member_id),
            }
        }
        Err((status, error)) => Reply { status, body: format!("refused: {error}\n") },
    };
    if log {
        println!("{} {}", reply.status.as_u16(), reply.body.trim_end());
    }
    reply
}

/// Command line of the servers: `[--addr ADDR] [--quiet]`.
pub struct Options {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Whether to print one line per handled event.
    pub log: bool,
}

/// Parses the command line (`--help` prints the usage and exits); `Err` carries the usage text.
pub fn options(name: &str) -> Result<Options, String> {
    let usage = format!("usage: {name} [--addr ADDR] [--quiet]   (default address {DEFAULT_ADDR})");
    let mut options = Options { addr: DEFAULT_ADDR.parse().map_err(|_| usage.clone())?, log: true };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => {
                let value = args.next().ok_or_else(|| format!("--addr needs a value\n{usage}"))?;
                options.addr = value.parse().map_err(|e| format!("--addr {value}: {e}\n{usage}"))?;
            }
            "--quiet" => options.log = false,
            "-h" | "--help" => {
                println!("{usage}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{usage}")),
        }
    }
    Ok(options)
}

/// What `server_hyper` and `server_axum` do in `main`: parse the options, start a multi-threaded
/// tokio runtime, bind the listener and hand it to `serve` (with the `--quiet` choice).
pub fn run_on_tokio<F, Fut>(name: &str, serve: F) -> std::process::ExitCode
where
    F: FnOnce(tokio::net::TcpListener, bool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use std::process::ExitCode;
    let options = match options(name) {
        Ok(options) => options,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(options.addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("cannot listen on {}: {e}", options.addr);
                return ExitCode::FAILURE;
            }
        };
        let addr = listener.local_addr().map_or(options.addr, |a| a);
        println!("{name}: listening on http://{addr}{PATH}");
        serve(listener, options.log).await;
        ExitCode::SUCCESS
    })
}
