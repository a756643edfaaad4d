//! The quick start: runs the hyper example server on a free loopback port and posts it what a
//! portal would, printing each response.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! It sends the install of the docs' example portal, the docs' member-status event
//! (`examples/data/member-status-changed.form` and `.json`) as form and as JSON, a forged copy (another
//! application_token), a malformed one (no `auth[member_id]`), a GET, the uninstall, and the
//! member-status event once more (the portal is gone). Bodies are made with
//! `bitrix24_events::testkit`. Exits 0 when every answer is the expected one, 1 otherwise.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;
use std::sync::Arc;

use bitrix24_events::testkit::{self, EventBuilder};
use bitrix24_events::{AnyEvent, Format};
use common::client::{self, Answer};
use common::hyper_server::{App, serve};
use http::{Method, StatusCode};

const SEED_FORM: &str = include_str!("data/member-status-changed.form");
const SEED_JSON: &str = include_str!("data/member-status-changed.json");

/// One request of the demo.
struct Step {
    what: String,
    method: Method,
    content_type: &'static str,
    body: String,
    expect: StatusCode,
}

fn post(what: impl Into<String>, format: Format, body: String, expect: StatusCode) -> Step {
    Step { what: what.into(), method: Method::POST, content_type: testkit::content_type(format), body, expect }
}

fn steps() -> Result<Vec<Step>, String> {
    let seed: AnyEvent = bitrix24_events::from_form(SEED_FORM.trim_end().as_bytes())
        .map_err(|e| format!("the seed does not decode: {e}"))?;
    let auth = seed.auth();
    let token = auth.application_token.as_ref().ok_or("the seed has no application_token")?.secret();
    // The portal of the seed installs the app, with the token the seed event carries.
    let install =
        EventBuilder::install().domain(auth.domain.clone()).member_id(auth.member_id.clone()).application_token(token);
    let seed_builder = EventBuilder::from_any(&seed);
    let forged = seed_builder.clone().application_token("00000000000000000000000000000000");
    let malformed = seed_builder.clone().remove(&["auth", "member_id"]);
    let uninstall = EventBuilder::uninstall()
        .domain(auth.domain.clone())
        .member_id(auth.member_id.clone())
        .application_token(token);
    Ok(vec![
        post("ONAPPINSTALL (stores the portal's token)", Format::Form, install.form_body(), StatusCode::OK),
        post("seed member-status event", Format::Form, SEED_FORM.trim_end().to_owned(), StatusCode::OK),
        post("seed member-status event", Format::Json, SEED_JSON.to_owned(), StatusCode::OK),
        post("forged copy (another application_token)", Format::Form, forged.form_body(), StatusCode::UNAUTHORIZED),
        post("malformed copy (no auth[member_id])", Format::Json, malformed.json_body(), StatusCode::BAD_REQUEST),
        Step {
            what: "the endpoint with another method".into(),
            method: Method::GET,
            content_type: testkit::FORM_CONTENT_TYPE,
            body: String::new(),
            expect: StatusCode::METHOD_NOT_ALLOWED,
        },
        post("ONAPPUNINSTALL (forgets the portal)", Format::Form, uninstall.form_body(), StatusCode::OK),
        post("seed member-status event again", Format::Form, SEED_FORM.trim_end().to_owned(), StatusCode::UNAUTHORIZED),
    ])
}

async fn run() -> Result<bool, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("demo: server_hyper listening on http://{addr}{}", common::PATH);
    let server = tokio::spawn(serve(listener, Arc::new(App::new(false))));
    let mut all_expected = true;
    for step in steps()? {
        let format = if step.method != Method::POST {
            "    "
        } else if step.content_type == testkit::JSON_CONTENT_TYPE {
            "json"
        } else {
            "form"
        };
        let Answer { status, body, .. } =
            client::send(addr, step.method.clone(), common::PATH, Some(step.content_type), step.body).await?;
        let mark = if status == step.expect { "" } else { "   <-- unexpected" };
        all_expected &= status == step.expect;
        println!(
            "{:<4} {format} {:<42} -> {} {}{mark}",
            step.method.as_str(),
            step.what,
            status.as_u16(),
            body.trim_end()
        );
    }
    server.abort();
    Ok(all_expected)
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("demo: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(true) => {
            println!("demo: every answer as expected");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            eprintln!("demo: some answers were not the expected ones");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::FAILURE
        }
    }
}
