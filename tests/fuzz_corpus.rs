//! Replays fuzz inputs through the fuzz targets' own checks (`tests/support/fuzz_checks.rs`), so a
//! crash the fuzzer found once stays fixed, with no fuzzer needed:
//!
//! - `fuzz/regressions/<target>/*`: every input that ever made a target fail (committed);
//! - `fuzz/seeds/<target>/*`: a small committed seed set;
//! - the PHP fixture bodies (`tests/data/php_*.jsonl`) and the sample bodies (`examples/data/`),
//!   through the byte-input targets;
//! - with `FUZZ_CORPUS_FULL=1`, also the whole generated corpus `fuzz/corpus/<target>/*` (not
//!   committed; see `fuzz/seed_corpus.sh`).
//!
//! `cargo test --test fuzz_corpus -- --ignored write_seed_corpus` writes the seed corpus the fuzzer
//! starts from (`fuzz/corpus/<target>/`), from the same fixtures.

#[path = "support/fuzz_checks.rs"]
mod fuzz_checks;

use std::path::{Path, PathBuf};

use fuzz_checks::{TARGETS, join_two};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a directory, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    out.sort();
    out
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// Every body of the PHP fixtures and the samples.
fn fixture_bodies() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in files(&root().join("tests/data")) {
        let name = entry.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !(name.starts_with("php_") && name.ends_with(".jsonl")) {
            continue;
        }
        let text = std::fs::read_to_string(&entry).expect("read fixture");
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            let body = match (case.get("body").and_then(|b| b.as_str()), case.get("body_hex").and_then(|b| b.as_str()))
            {
                (Some(b), _) => b.as_bytes().to_vec(),
                (None, Some(h)) => hex_decode(h),
                _ => continue,
            };
            out.push((format!("{name}:{}", n + 1), body));
        }
    }
    for entry in files(&root().join("examples/data")) {
        let body = std::fs::read(&entry).expect("read sample");
        out.push((entry.display().to_string(), body));
    }
    out
}

/// The application tokens of the samples, for token seeds.
fn sample_tokens() -> Vec<String> {
    let mut out = vec!["81905784dd6e05280c9a2015e0e61e68".to_owned()];
    for (_, body) in fixture_bodies().iter().filter(|(n, _)| n.contains("examples")) {
        if let Ok(tree) = bitrix24_events::form::decode(body).or_else(|_| serde_json::from_slice(body)) {
            for field in ["application_token", "access_token", "refresh_token"] {
                if let Some(t) = tree.pointer(&["auth", field]).and_then(|v| v.as_str()) {
                    out.push(t.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Runs a check, naming the input if it panics.
fn replay(target: &str, check: fuzz_checks::Check, name: &str, input: &[u8]) {
    if std::panic::catch_unwind(|| check(input)).is_err() {
        panic!("fuzz target {target} fails on {name} ({} bytes: {:?})", input.len(), String::from_utf8_lossy(input));
    }
}

#[test]
fn regressions_and_seeds() {
    let full = std::env::var_os("FUZZ_CORPUS_FULL").is_some_and(|v| v != "0");
    let mut total = 0;
    for &(target, check) in TARGETS {
        let mut dirs = vec![root().join("fuzz/regressions").join(target), root().join("fuzz/seeds").join(target)];
        if full {
            dirs.push(root().join("fuzz/corpus").join(target));
        }
        for file in dirs.iter().flat_map(|d| files(d)) {
            let input = std::fs::read(&file).expect("read input");
            replay(target, check, &file.display().to_string(), &input);
            total += 1;
        }
    }
    assert!(total > 0, "no committed fuzz inputs found");
}

#[test]
fn fixture_bodies_through_byte_targets() {
    let bodies = fixture_bodies();
    assert!(bodies.len() > 100, "fixtures not found");
    for (name, body) in &bodies {
        replay("form_decode", fuzz_checks::check_form_decode, name, body);
        replay("typed_decode", fuzz_checks::check_typed_decode, name, body);
    }
}

#[test]
fn sample_tokens_verify() {
    let tokens = sample_tokens();
    for a in &tokens {
        for b in &tokens {
            fuzz_checks::check_verify(a, b);
        }
        fuzz_checks::check_verify(a, "");
        fuzz_checks::check_verify("", a);
        fuzz_checks::check_verify(a, &a[..a.len() - 1]);
    }
}

/// A short stable name for a corpus file (FNV-1a, as libFuzzer names files by content too).
fn content_name(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("seed-{h:016x}")
}

/// Writes `fuzz/corpus/<target>/` from the fixtures (run by `fuzz/seed_corpus.sh`).
#[test]
#[ignore = "writes the fuzz seed corpus; run by fuzz/seed_corpus.sh"]
fn write_seed_corpus() {
    let corpus = root().join("fuzz/corpus");
    let write = |target: &str, bytes: &[u8]| {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).expect("create corpus dir");
        std::fs::write(dir.join(content_name(bytes)), bytes).expect("write seed");
    };
    let bodies = fixture_bodies();
    for (_, body) in &bodies {
        write("form_decode", body);
        write("typed_decode", body);
    }
    // Events built from the fixtures' bytes, and the committed seeds.
    for (_, body) in bodies.iter().step_by(8) {
        write("form_json_equivalence", body);
    }
    let tokens = sample_tokens();
    for a in &tokens {
        for b in &tokens {
            write("token_verify", &join_two(a.as_bytes(), b.as_bytes()));
        }
        write("token_verify", &join_two(a.as_bytes(), &a.as_bytes()[1..]));
    }
    for &(target, _) in TARGETS {
        for file in files(&root().join("fuzz/seeds").join(target)) {
            write(target, &std::fs::read(&file).expect("read seed"));
        }
    }
    for &(target, _) in TARGETS {
        eprintln!("{target}: {} files", files(&corpus.join(target)).len());
    }
}

#[test]
fn lone_surrogate_detector() {
    use fuzz_checks::has_lone_surrogate_escape as lone;
    assert!(lone(br#""\ud800""#));
    assert!(lone(br#""\udc00x""#));
    assert!(lone(br#""\uD925x""#));
    assert!(lone(br#""\ud800\u0041""#));
    assert!(!lone(br#""\ud83d\ude00""#));
    assert!(!lone(br#""\\ud800""#));
    assert!(!lone(br#""\u00e9 \" \\""#));
}
