//! Decoding benchmarks, with their baselines in the same run so that ratios hold on a noisy machine.
//!
//! ```text
//! cargo bench --bench decode -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! After a full run (no filter) it prints the ratios the crate targets, from criterion's medians
//! (`<target dir>/criterion/**/new/estimates.json`):
//!
//! | ratio                                                   | target  |
//! |---------------------------------------------------------|---------|
//! | form -> AnyEvent / serde_json -> plain struct           | <= 1.0  |
//! | form -> AnyEvent / serde_qs -> plain struct             | <= 0.33 |
//! | JSON -> AnyEvent / serde_json -> plain struct           | <= 1.15 |
//! | per pair: 1000-pair body / seed body (form -> AnyEvent) | <= 1.5  |

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bitrix24_events::{AnyEvent, ApplicationToken, Secret, Value, form};
use criterion::{BenchmarkId, Criterion, Throughput};

#[path = "support/bodies.rs"]
mod bodies;

use bodies::{PlainEvent, SEED_FORM, SEED_JSON, deep_body, pairs, serde_qs_config, wide_body};

const TOKEN: &str = "81905784dd6e05280c9a2015e0e61e68";

fn check_inputs(large: &[u8], deep: &[u8]) {
    // Every benchmark decodes successfully, and the baselines decode the same event.
    let typed: AnyEvent = bitrix24_events::from_form(SEED_FORM).expect("seed form");
    assert_eq!(bitrix24_events::from_json::<AnyEvent>(SEED_JSON).expect("seed json"), typed);
    let plain: PlainEvent = serde_json::from_slice(SEED_JSON).expect("serde_json plain");
    let qs: PlainEvent = serde_qs_config().deserialize_bytes(SEED_FORM).expect("serde_qs plain");
    assert_eq!(
        (plain.data.member_uid.as_str(), qs.auth.server_endpoint.as_str()),
        ("2ditmm6vjoolzbygaeua2jltkjb9hgks", "https://oauth.bitrix.info/rest/")
    );
    assert_eq!(pairs(large), 1000);
    let large: AnyEvent = bitrix24_events::from_form(large).expect("large body");
    assert!(large.is_other());
    let deep_event: AnyEvent = bitrix24_events::from_form(deep).expect("deep body");
    assert!(deep_event.is_other());
}

fn benches(c: &mut Criterion) {
    let large = wide_body(1000);
    let deep = deep_body(64);
    check_inputs(&large, &deep);

    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Bytes(SEED_FORM.len() as u64));
    g.bench_function("form_to_anyevent", |b| {
        b.iter(|| bitrix24_events::from_form::<AnyEvent>(black_box(SEED_FORM)).unwrap())
    });
    g.bench_function("form_to_tree", |b| b.iter(|| form::decode(black_box(SEED_FORM)).unwrap()));
    g.bench_function("json_to_anyevent", |b| {
        b.iter(|| bitrix24_events::from_json::<AnyEvent>(black_box(SEED_JSON)).unwrap())
    });
    g.bench_function("baseline_serde_json_plain", |b| {
        b.iter(|| serde_json::from_slice::<PlainEvent>(black_box(SEED_JSON)).unwrap())
    });
    let qs = serde_qs_config();
    g.bench_function("baseline_serde_qs_plain", |b| {
        b.iter(|| qs.deserialize_bytes::<PlainEvent>(black_box(SEED_FORM)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("large");
    for n in [250, 1000] {
        let body = wide_body(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("form_to_anyevent", n), &body, |b, body| {
            b.iter(|| bitrix24_events::from_form::<AnyEvent>(black_box(body)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("form_to_tree", n), &body, |b, body| {
            b.iter(|| form::decode(black_box(body)).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("deep");
    for depth in [16, 64] {
        let body = deep_body(depth);
        g.throughput(Throughput::Elements(depth as u64));
        g.bench_with_input(BenchmarkId::new("form_to_anyevent", depth), &body, |b, body| {
            b.iter(|| bitrix24_events::from_form::<AnyEvent>(black_box(body)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("form_to_tree", depth), &body, |b, body| {
            b.iter(|| form::decode(black_box(body)).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("token");
    let expected = ApplicationToken::new(TOKEN).expect("token");
    let equal = Secret::new(TOKEN);
    let unequal = Secret::new(format!("{}0", &TOKEN[..TOKEN.len() - 1]));
    let shorter = Secret::new(&TOKEN[..8]);
    g.bench_function("verify_equal", |b| b.iter(|| black_box(&expected).verify(Some(black_box(&equal))).is_ok()));
    g.bench_function("verify_unequal", |b| b.iter(|| black_box(&expected).verify(Some(black_box(&unequal))).is_ok()));
    g.bench_function("verify_shorter", |b| b.iter(|| black_box(&expected).verify(Some(black_box(&shorter))).is_ok()));
    g.finish();
}

/// Where criterion writes its results: `CRITERION_HOME`, else `<target dir>/criterion`.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// The median (ns) criterion measured for `id` (`group/bench[/param]`) during this run.
fn median(id: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir().join(id).join("new/estimates.json");
    let meta = std::fs::metadata(&path).ok()?;
    if meta.modified().ok()? < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json.pointer("/median/point_estimate")?.as_f64()
}

fn print_ratios(since: SystemTime) {
    let m = |id: &str| median(id, since);
    let seed_pairs = pairs(SEED_FORM) as f64;
    println!("\nMedians (ns):");
    for id in [
        "seed/form_to_anyevent",
        "seed/form_to_tree",
        "seed/json_to_anyevent",
        "seed/baseline_serde_json_plain",
        "seed/baseline_serde_qs_plain",
        "large/form_to_anyevent/250",
        "large/form_to_anyevent/1000",
        "large/form_to_tree/250",
        "large/form_to_tree/1000",
        "deep/form_to_anyevent/16",
        "deep/form_to_anyevent/64",
        "deep/form_to_tree/16",
        "deep/form_to_tree/64",
        "token/verify_equal",
        "token/verify_unequal",
        "token/verify_shorter",
    ] {
        if let Some(v) = m(id) {
            println!("  {id:<34} {v:>12.1}");
        }
    }
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    let per_pair = |id: &str, n: f64| m(id).map(|v| v / n);
    let rows = [
        (
            "form -> AnyEvent / serde_json -> plain",
            ratio(m("seed/form_to_anyevent"), m("seed/baseline_serde_json_plain")),
            1.0,
        ),
        (
            "form -> AnyEvent / serde_qs -> plain",
            ratio(m("seed/form_to_anyevent"), m("seed/baseline_serde_qs_plain")),
            1.0 / 3.0,
        ),
        (
            "JSON -> AnyEvent / serde_json -> plain",
            ratio(m("seed/json_to_anyevent"), m("seed/baseline_serde_json_plain")),
            1.15,
        ),
        (
            "per pair: 1000-pair body / seed",
            ratio(per_pair("large/form_to_anyevent/1000", 1000.0), per_pair("seed/form_to_anyevent", seed_pairs)),
            1.5,
        ),
    ];
    println!("\nRatios (medians of this run; seed body has {seed_pairs} pairs):");
    println!("  {:<42} {:>7} {:>8}  met", "ratio", "value", "target");
    for (name, value, target) in rows {
        match value {
            Some(v) => println!(
                "  {name:<42} {v:>7.3} {:>8}  {}",
                format!("<= {target:.2}"),
                if v <= target { "yes" } else { "NO" }
            ),
            None => println!("  {name:<42} {:>7} (not measured in this run)", "-"),
        }
    }
    let scale = |a: &str, b: &str, f: f64| ratio(m(a), m(b)).map(|r| format!("{r:.2} (linear: {f:.1})"));
    if let Some(s) = scale("large/form_to_anyevent/1000", "large/form_to_anyevent/250", 4.0) {
        println!("  1000 / 250 pairs (form -> AnyEvent): {s}");
    }
    if let Some(s) = scale("deep/form_to_tree/64", "deep/form_to_tree/16", 4.0) {
        println!("  depth 64 / depth 16 (form -> tree):  {s}");
    }
}

fn main() {
    let start = SystemTime::now() - Duration::from_secs(1);
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    // Ratios only for a real measurement (`cargo bench`), not `cargo test --benches`.
    if std::env::args().any(|a| a == "--bench") {
        print_ratios(start);
    }
    let _ = Value::Null;
}
