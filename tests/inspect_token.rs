//! `inspect --token TOKEN`: verifies each body's application_token, run as users run it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn inspect_binary() -> PathBuf {
    // Integration tests live in target/<profile>/deps; examples in target/<profile>/examples.
    let mut dir = std::env::current_exe().unwrap();
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let exe = dir.join("examples").join(format!("inspect{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.exists(), "{} not built (cargo test builds examples)", exe.display());
    exe
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(inspect_binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const SEED_FORM: &str = "examples/data/member-status-changed.form";
const SEED_JSON: &str = "examples/data/member-status-changed.json";
/// The seed's `auth[application_token]`.
const TOKEN: &str = "81905784dd6e05280c9a2015e0e61e68";
const WRONG: &str = "81905784dd6e05280c9a2015e0e61e69";

fn seed_line() -> String {
    std::fs::read_to_string(format!("{}/{SEED_FORM}", env!("CARGO_MANIFEST_DIR"))).unwrap().trim_end().to_owned()
}

#[test]
fn the_right_token_prints_the_event_as_without_it() {
    for file in [SEED_FORM, SEED_JSON] {
        let plain = run(&[file], b"");
        let verified = run(&["--token", TOKEN, file], b"");
        assert!(verified.status.success(), "{}", text(&verified.stderr));
        assert_eq!(verified.stdout, plain.stdout);
        assert!(!text(&verified.stdout).contains(TOKEN), "still redacted");
    }
    let tree = run(&["--tree", "--token", TOKEN, SEED_FORM], b"");
    assert!(tree.status.success());
    assert_eq!(tree.stdout, run(&["--tree", SEED_FORM], b"").stdout);
}

#[test]
fn a_wrong_token_fails_with_a_message_on_stderr_and_status_1() {
    for args in [
        &["--token", WRONG, SEED_FORM][..],
        &["--tree", "--token", WRONG, SEED_JSON],
        &["--token", &TOKEN[..31], SEED_FORM],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        let stderr = text(&out.stderr);
        assert!(stderr.contains("application_token") && stderr.contains("does not match"), "{stderr}");
        assert!(!stderr.contains(TOKEN) && !stderr.contains(WRONG), "{stderr}");
    }
    // A body without a token fails too.
    let body = seed_line().replace(&format!("&auth%5Bapplication_token%5D={TOKEN}"), "");
    let out = run(&["--token", TOKEN], body.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("missing"), "{}", text(&out.stderr));
}

#[test]
fn in_lines_mode_a_wrong_token_prints_an_error_line_and_goes_on() {
    let line = seed_line();
    let forged = line.replace(TOKEN, WRONG);
    let input = format!("{line}\n{forged}\n{line}\n");
    let out = run(&["--lines", "--token", TOKEN], input.as_bytes());
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], lines[2]);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["event"], "ONSIGNB2EMEMBERSTATUSCHANGED");
    let error: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    let message = error["error"].as_str().unwrap();
    assert!(message.contains("does not match"), "{message}");
    assert!(!stdout.contains(WRONG) && !stdout.contains(TOKEN), "{stdout}");
}

#[test]
fn a_missing_or_empty_token_argument_is_a_usage_error() {
    for args in [&["--token"][..], &["--token", "", SEED_FORM]] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("--token"), "{}", text(&out.stderr));
    }
}
