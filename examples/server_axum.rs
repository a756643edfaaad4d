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
    let options = match common::options("server_axum") {
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
        println!("server_axum: listening on http://{addr}{}", common::PATH);
        common::axum_server::serve(listener, MemoryTokenStore::new(), options.log).await;
        ExitCode::SUCCESS
    })
}
