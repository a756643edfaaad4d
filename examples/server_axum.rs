//! Bitrix24 event handler on axum 0.8, with the crate's `VerifiedEvent` extractor.
//!
//! ```text
//! cargo run --example server_axum --features axum -- [--addr ADDR] [--quiet]   (default 127.0.0.1:3000)
//! ```
//!
//! Same behaviour as `server_hyper` (table in `examples/common/mod.rs`); the body limit is axum's
//! `DefaultBodyLimit`, honoured by the extractor.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

use bitrix24_events::MemoryTokenStore;

fn main() -> ExitCode {
    common::run_on_tokio("server_axum", |listener, log| {
        common::axum_server::serve(listener, MemoryTokenStore::new(), log)
    })
}
