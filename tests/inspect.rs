//! The `inspect` example's contract, `--token` included, run as users run it (the binary cargo
//! builds for the tests).

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

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const SEED_FORM: &str = "examples/data/member-status-changed.form";
const SEED_JSON: &str = "examples/data/member-status-changed.json";
const TOKEN: &str = "81905784dd6e05280c9a2015e0e61e68";

#[test]
fn prints_the_typed_event_with_secrets_redacted() {
    let form = run(&[SEED_FORM], b"");
    let json = run(&["--format", "json", SEED_JSON], b"");
    assert!(form.status.success() && json.status.success());
    assert_eq!(stdout(&form), stdout(&json), "form and JSON print the same event");
    assert_eq!(stdout(&form).lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&form)).unwrap();
    assert_eq!(v["data"]["statusCode"], "done");
    assert_eq!(v["event_handler_id"], 1211);
    assert_eq!(v["auth"]["application_token"], "[redacted]");
    assert!(!stdout(&form).contains(TOKEN));

    let shown = run(&["--show-secrets", SEED_FORM], b"");
    let v: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(v["auth"]["application_token"], TOKEN);
}

#[test]
fn reads_stdin_and_prints_the_tree() {
    let o = run(&["--tree"], b"a[]=1&a[5]=2&a[]=3&b.c=x&d[e]f=1\n");
    assert!(o.status.success());
    assert_eq!(stdout(&o), "{\"a\":{\"0\":\"1\",\"5\":\"2\",\"6\":\"3\"},\"b_c\":\"x\",\"d\":{\"e\":\"1\"}}\n");
    let o = run(&["--tree", "--format", "auto"], br#" {"z":[1,"2"],"a":null}"#);
    assert_eq!(stdout(&o), "{\"z\":{\"0\":1,\"1\":\"2\"},\"a\":null}\n");
}

#[test]
fn lines_mode_keeps_going_after_a_bad_body() {
    let form = std::fs::read_to_string(SEED_FORM).unwrap();
    let json = std::fs::read_to_string(SEED_JSON).unwrap().replace('\n', " ");
    let input = format!("{form}\nnot=an&event\n{json}\r\nevent=X&data[a]=%FF\n");
    let o = run(&["--lines"], input.as_bytes());
    assert!(o.status.success());
    let lines: Vec<_> = stdout(&o).lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], lines[2]);
    assert_eq!(lines[1]["error"], "`ts` is missing");
    assert_eq!(lines[3]["error"], "key `data[a]`: decoded bytes are not valid UTF-8");
}

#[test]
fn a_failing_body_exits_1_with_the_message() {
    let o = run(&[], b"event=ONAPPINSTALL&ts=1&auth[domain]=d&auth[member_id]=m");
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim(), "error: `data` is missing");
    let o = run(&["--format", "yaml"], b"");
    assert_eq!(o.status.code(), Some(2));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Not the seed's token: its last character differs.
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
