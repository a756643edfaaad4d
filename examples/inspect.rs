//! Decodes captured Bitrix24 event bodies and prints what the crate makes of them.
//!
//! ```text
//! cargo run --example inspect -- [--format form|json|auto] [--tree] [--lines] [--show-secrets] [--token TOKEN] [FILE]
//! ```
//!
//! - Reads one body from FILE, or from standard input (one trailing newline is ignored).
//! - `--format auto` (the default) takes a body as JSON when its first non-blank byte is `{`.
//! - Prints the typed event as one line of JSON, as the crate serializes it (Bitrix24's field names
//!   and values); tokens print as `"[redacted]"` unless `--show-secrets`.
//! - `--tree` prints the generic decoded tree instead: every PHP array as a JSON object with its keys
//!   in order, as PHP's `json_encode($tree, JSON_FORCE_OBJECT)` would (tokens redacted likewise).
//! - `--token TOKEN`: verifies each body's `auth[application_token]` against TOKEN (in constant
//!   time, as a handler would); a missing or different token is a failure like a decoding error.
//! - `--lines`: every input line is one body; one output line per input line; a body that fails
//!   prints `{"error": "..."}` on its line and the run goes on. Otherwise a failure prints the
//!   message on standard error and exits with status 1.

use std::io::{Read, Write};
use std::process::ExitCode;

use bitrix24_events::{AnyEvent, ApplicationToken, Decoder, Format, Value};

#[derive(Default)]
struct Options {
    format: Option<Format>,
    tree: bool,
    lines: bool,
    show_secrets: bool,
    token: Option<ApplicationToken>,
    file: Option<String>,
}

const USAGE: &str =
    "usage: inspect [--format form|json|auto] [--tree] [--lines] [--show-secrets] [--token TOKEN] [FILE]";

fn parse_args() -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => {
                options.format = match args.next().as_deref() {
                    Some("form") => Some(Format::Form),
                    Some("json") => Some(Format::Json),
                    Some("auto") => None,
                    _ => return Err(format!("--format takes form, json or auto\n{USAGE}")),
                }
            }
            "--tree" => options.tree = true,
            "--lines" => options.lines = true,
            "--show-secrets" => options.show_secrets = true,
            "--token" => {
                let token =
                    args.next().ok_or_else(|| format!("--token takes the expected application_token\n{USAGE}"))?;
                options.token = Some(ApplicationToken::new(token).map_err(|e| format!("--token: {e}\n{USAGE}"))?);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}\n{USAGE}")),
            file if options.file.is_none() => options.file = Some(file.to_owned()),
            _ => return Err(format!("only one FILE may be given\n{USAGE}")),
        }
    }
    Ok(options)
}

/// Replaces the value of every token key, at any depth, with `[redacted]`.
fn redact_tree(value: &mut Value) {
    if let Value::Array(array) = value {
        for name in ["access_token", "refresh_token", "application_token"] {
            if let Some(v) = array.get_mut(name) {
                if !matches!(v, Value::Array(_)) {
                    *v = Value::from("[redacted]");
                }
            }
        }
        let keys: Vec<String> = array.keys().map(|k| k.to_string()).collect();
        for key in keys {
            if let Some(child) = array.get_mut(&key) {
                redact_tree(child);
            }
        }
    }
}

/// Decodes one body and renders the output line.
fn render(body: &[u8], options: &Options) -> Result<String, bitrix24_events::Error> {
    let decoder = Decoder::default();
    let format = options.format.unwrap_or_else(|| Format::sniff(body));
    if let Some(expected) = &options.token {
        let event: AnyEvent = decoder.decode(format, body)?;
        expected.verify(event.auth().application_token.as_ref())?;
    }
    let json = if options.tree {
        let mut tree = decoder.tree(format, body)?;
        if !options.show_secrets {
            redact_tree(&mut tree);
        }
        serde_json::to_string(&tree)
    } else {
        let event: AnyEvent = decoder.decode(format, body)?;
        if options.show_secrets { serde_json::to_string(&event) } else { serde_json::to_string(&event.redacted()) }
    };
    Ok(json.expect("a decoded event always serializes"))
}

fn run(options: &Options) -> std::io::Result<ExitCode> {
    let mut input = Vec::new();
    match &options.file {
        Some(path) => input = std::fs::read(path)?,
        None => {
            std::io::stdin().read_to_end(&mut input)?;
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if options.lines {
        let text = input.strip_suffix(b"\n").unwrap_or(&input);
        for line in text.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match render(line, options) {
                Ok(json) => writeln!(out, "{json}")?,
                Err(e) => writeln!(out, "{}", serde_json::json!({ "error": e.to_string() }))?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let body = input.strip_suffix(b"\n").unwrap_or(&input);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    match render(body, options) {
        Ok(json) => {
            writeln!(out, "{json}")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
