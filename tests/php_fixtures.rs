//! The form decoder and encoder against PHP itself.
//!
//! `tests/php/gen_fixtures.php` runs PHP's `parse_str` / `http_build_query` and writes one JSON
//! object per line: the raw body (`body`, or `body_hex` when it is not UTF-8), what PHP decodes it to
//! (`expect`) or the error we must return instead (`error`: `utf8`, `depth`, `pairs`), and for bodies
//! made by `http_build_query` the input tree (`tree`), which our encoder must turn back into the very
//! same bytes. The committed corpora are `tests/data/php_edge.jsonl` (hand-written edge cases) and
//! `tests/data/php_random.jsonl` (`random 20261203 2000`); a fresh random corpus is generated on every
//! run when `php` is installed.
//!
//! Every expectation comes from PHP: a disagreement is a decoder (or encoder) bug, never a reason to
//! edit the fixtures by hand. Regenerate them with the script instead (see its header comment).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use bitrix24_events::{Error, ErrorKind, Value, form};
use serde::Deserialize;

/// Limits the fixtures assume: PHP's `max_input_nesting_level` and `max_input_vars` defaults, which are
/// also our decoder's defaults.
const PHP_MAX_DEPTH: usize = 64;
const PHP_MAX_PAIRS: usize = 1000;

/// Longest rendering of one field in the panic message (the full report goes to a file).
const SHOWN: usize = 600;

struct Case {
    source: String,
    name: String,
    body: Vec<u8>,
    expect: Expect,
    tree: Option<Value>,
}

enum Expect {
    Tree(Value),
    Error(String),
}

/// One fixture line. `expect` and `tree` are deserialized straight from the line's text into
/// [`Value`]: going through `serde_json::Value` would sort object keys (serde_json's default map is
/// a `BTreeMap`) and lose the order PHP produced.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    name: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_hex: Option<String>,
    expect: Option<Value>,
    error: Option<String>,
    #[serde(default)]
    tree: Option<Value>,
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn hex_decode(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err("odd length".into());
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("{e} at {i}"))).collect()
}

/// Parses a JSONL corpus. Malformed lines are reported as problems, not skipped silently.
fn parse_corpus(source: &str, text: &str) -> (Vec<Case>, Vec<String>) {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{source}:{}", i + 1);
        let parsed: Result<Case, String> = (|| {
            let l: Line = serde_json::from_str(line).map_err(|e| format!("does not deserialize: {e}"))?;
            let body = match (l.body, l.body_hex) {
                (Some(b), None) => b.into_bytes(),
                (None, Some(h)) => hex_decode(&h).map_err(|e| format!("bad body_hex: {e}"))?,
                _ => return Err("needs exactly one of \"body\" / \"body_hex\"".into()),
            };
            let expect = match (l.expect, l.error) {
                (Some(tree @ Value::Array(_)), None) => Expect::Tree(tree),
                (None, Some(kind)) => Expect::Error(kind),
                _ => {
                    return Err(
                        "needs \"expect\": {...} with \"error\": null, or \"expect\": null with \"error\": \"...\""
                            .into(),
                    );
                }
            };
            Ok(Case { source: at.clone(), name: l.name, body, expect, tree: l.tree })
        })();
        match parsed {
            Ok(case) => cases.push(case),
            Err(e) => problems.push(format!("{at}: malformed fixture line: {e}")),
        }
    }
    (cases, problems)
}

fn to_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| format!("{v:?}"))
}

fn clip(s: String) -> String {
    if s.len() <= SHOWN {
        return s;
    }
    let mut end = SHOWN;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes in all)", &s[..end], s.len())
}

fn show_body(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok(s) => format!("{s:?}"),
        Err(_) => {
            let hex: String = body.iter().map(|b| format!("{b:02x}")).collect();
            format!("hex {hex} (lossy {:?})", String::from_utf8_lossy(body))
        }
    }
}

fn show_result(r: &Result<Value, Error>) -> String {
    match r {
        Ok(v) => to_json(v),
        Err(e) => format!("Err({:?}) \"{e}\"", e.kind()),
    }
}

fn error_matches(expected: &str, e: &Error) -> bool {
    match (expected, e.kind()) {
        ("utf8", ErrorKind::InvalidUtf8 { .. }) => true,
        ("depth", ErrorKind::TooDeep { limit, .. }) => *limit == PHP_MAX_DEPTH,
        ("pairs", ErrorKind::TooManyPairs { limit, .. }) => *limit == PHP_MAX_PAIRS,
        _ => false,
    }
}

/// Checks every case; returns one description per mismatch.
fn check(cases: &[Case]) -> Vec<String> {
    let mut mismatches = Vec::new();
    for case in cases {
        let got = form::decode(&case.body);
        let head = format!("{} [{}]\n    body:     {}", case.name, case.source, clip(show_body(&case.body)));
        match &case.expect {
            Expect::Tree(want) => {
                if got.as_ref().ok() != Some(want) {
                    mismatches.push(format!(
                        "{head}\n    PHP:      {}\n    ours:     {}",
                        clip(to_json(want)),
                        clip(show_result(&got))
                    ));
                }
            }
            Expect::Error(kind) => {
                let ok = match &got {
                    Err(e) => error_matches(kind, e),
                    Ok(_) => false,
                };
                if !matches!(kind.as_str(), "utf8" | "depth" | "pairs") {
                    mismatches.push(format!("{head}\n    fixture has unknown error kind {kind:?}"));
                } else if !ok {
                    let want = match kind.as_str() {
                        "utf8" => "Err(InvalidUtf8 { .. })".to_owned(),
                        "depth" => format!("Err(TooDeep {{ limit: {PHP_MAX_DEPTH}, .. }})"),
                        _ => format!("Err(TooManyPairs {{ limit: {PHP_MAX_PAIRS}, .. }})"),
                    };
                    mismatches.push(format!(
                        "{head}\n    expected: {want} (error {kind:?})\n    ours:     {}",
                        clip(show_result(&got))
                    ));
                }
            }
        }
        if let Some(tree) = &case.tree {
            let encoded = form::encode(tree);
            if encoded.as_bytes() != case.body.as_slice() {
                mismatches.push(format!(
                    "{} [{}] (encode)\n    tree:     {}\n    PHP http_build_query: {}\n    ours form::encode:    {}",
                    case.name,
                    case.source,
                    clip(to_json(tree)),
                    clip(show_body(&case.body)),
                    clip(format!("{encoded:?}"))
                ));
            }
        }
    }
    mismatches
}

/// Panics with every problem at once, and writes the unabridged list to a file.
fn report(what: &str, checked: usize, problems: &[String], extra: &str) {
    if problems.is_empty() {
        return;
    }
    let full = problems.join("\n\n");
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("php_fixtures_{what}.txt"));
    let saved = match std::fs::write(&file, &full) {
        Ok(()) => format!("full report: {}", file.display()),
        Err(e) => format!("(could not write full report to {}: {e})", file.display()),
    };
    let mut msg = String::new();
    let _ = writeln!(msg, "{what}: {} of {checked} cases disagree with PHP {extra}", problems.len());
    let _ = writeln!(msg, "{saved}\n");
    msg.push_str(&full);
    panic!("{msg}");
}

fn load(rel: &str) -> (Vec<Case>, Vec<String>) {
    let path = manifest_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse_corpus(rel, &text)
}

fn count_errors(cases: &[Case], kind: &str) -> usize {
    cases.iter().filter(|c| matches!(&c.expect, Expect::Error(k) if k == kind)).count()
}

#[test]
fn php_edge_cases() {
    let (cases, mut problems) = load("tests/data/php_edge.jsonl");
    // Guard against a truncated or regenerated-wrong corpus.
    if cases.len() < 150 {
        problems.push(format!("only {} edge cases in the corpus (expected 150+)", cases.len()));
    }
    for kind in ["utf8", "depth", "pairs"] {
        if count_errors(&cases, kind) == 0 {
            problems.push(format!("edge corpus has no case expecting error {kind:?}"));
        }
    }
    if !cases.iter().any(|c| c.tree.is_some()) {
        problems.push("edge corpus has no http_build_query tree case".into());
    }
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        if !names.insert(c.name.as_str()) {
            problems.push(format!("duplicate case name {}", c.name));
        }
    }
    problems.extend(check(&cases));
    report("edge", cases.len(), &problems, "(tests/data/php_edge.jsonl)");
}

#[test]
fn php_random_corpus() {
    let (cases, mut problems) = load("tests/data/php_random.jsonl");
    if cases.len() != 2000 {
        problems.push(format!("{} cases in the random corpus (expected 2000: random 20261203 2000)", cases.len()));
    }
    if cases.iter().filter(|c| c.tree.is_some()).count() < 500 {
        problems.push("fewer than 500 http_build_query tree cases in the random corpus".into());
    }
    problems.extend(check(&cases));
    report("random", cases.len(), &problems, "(tests/data/php_random.jsonl)");
}

/// A new random corpus on every run, straight from PHP. Set `PHP_FIXTURE_SEED` to replay a seed and
/// `PHP_FIXTURE_COUNT` for a longer run (default 500 cases).
#[test]
fn php_fresh_random_corpus() {
    let seed: u64 = match std::env::var("PHP_FIXTURE_SEED") {
        Ok(s) => s.trim().parse().expect("PHP_FIXTURE_SEED must be a non-negative integer"),
        Err(_) => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock before 1970");
            (now.as_secs() ^ u64::from(now.subsec_nanos())) % 2_147_483_648
        }
    };
    let count: usize = match std::env::var("PHP_FIXTURE_COUNT") {
        Ok(s) => s.trim().parse().expect("PHP_FIXTURE_COUNT must be a non-negative integer"),
        Err(_) => 500,
    };
    let script = manifest_dir().join("tests/php/gen_fixtures.php");
    let (seed_arg, count_arg) = (seed.to_string(), count.to_string());
    let output = match Command::new("php").arg(&script).args(["random", seed_arg.as_str(), count_arg.as_str()]).output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var_os("CI").is_some() {
                panic!("`php` is not on PATH, but CI is set: CI must install php-cli to check the decoder against PHP");
            }
            eprintln!(
                "notice: `php` is not on PATH; skipping the fresh PHP-generated corpus (the committed corpora still ran)"
            );
            return;
        }
        Err(e) => panic!("cannot run php: {e}"),
    };
    eprintln!("fresh PHP corpus: seed {seed}, {count} cases (replay with PHP_FIXTURE_SEED={seed})");
    assert!(
        output.status.success(),
        "php {} random {seed} {count} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("generator output is not UTF-8");
    let (cases, mut problems) = parse_corpus(&format!("random {seed} {count}"), &text);
    if cases.len() != count {
        problems.push(format!("generator produced {} cases, expected {count}", cases.len()));
    }
    problems.extend(check(&cases));
    report("fresh", cases.len(), &problems, &format!("(seed {seed}; replay with PHP_FIXTURE_SEED={seed})"));
}
