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
    common::run_on_tokio("server_hyper", |listener, log| serve(listener, Arc::new(App::new(log))))
}
