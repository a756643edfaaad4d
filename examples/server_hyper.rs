//! Bitrix24 event handler on hyper 1.x (hyper-util, http-body-util `Limited` for the body limit).
//!
//! ```text
//! cargo run --example server_hyper -- [--addr ADDR] [--quiet]      (default 127.0.0.1:3000)
//! ```
//!
//! Serves `POST /bitrix24/events`: installs and updates store the portal's application_token,
//! every other event is verified against it, uninstalls are verified and forget the portal.
//! Prints one line per handled event. The behaviour table is in `examples/common/mod.rs`; the
//! same table holds for `server_actix` and `server_axum`.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;
use std::sync::Arc;

use common::hyper_server::{App, serve};

fn main() -> ExitCode {
    let options = match common::options("server_hyper") {
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
        println!("server_hyper: listening on http://{addr}{}", common::PATH);
        serve(listener, Arc::new(App::new(options.log))).await;
        ExitCode::SUCCESS
    })
}
