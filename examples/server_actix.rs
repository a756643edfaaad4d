//! Bitrix24 event handler on actix-web 4, with the crate's `VerifiedEvent` extractor.
//!
//! ```text
//! cargo run --example server_actix --features actix -- [--addr ADDR] [--quiet]   (default 127.0.0.1:3000)
//! ```
//!
//! Same behaviour as `server_hyper` (table in `examples/common/mod.rs`); the body limit is actix's
//! `PayloadConfig`, honoured by the extractor.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

use bitrix24_events::MemoryTokenStore;

fn main() -> ExitCode {
    let options = match common::options("server_actix") {
        Ok(options) => options,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match std::net::TcpListener::bind(options.addr) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", options.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().map_or(options.addr, |a| a);
    let server = match common::actix_server::server(listener, MemoryTokenStore::new(), options.log) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start the server: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("server_actix: listening on http://{addr}{}", common::PATH);
    // actix-web runs on its own runtime (actix-rt, over tokio).
    match actix_web::rt::System::new().block_on(server) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server failed: {e}");
            ExitCode::FAILURE
        }
    }
}
