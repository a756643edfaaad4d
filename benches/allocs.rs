//! Counts heap allocations per decoded event, with a counting global allocator.
//!
//! ```text
//! cargo bench --bench allocs
//! ```
//!
//! Prints, for each decoding path of `benches/decode.rs`, the allocations (and bytes requested) of
//! one decode, averaged over many. Reallocations count as allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use bitrix24_events::{AnyEvent, ApplicationToken, Secret, form};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[path = "support/bodies.rs"]
mod bodies;

use bodies::{PlainEvent, SEED_FORM, SEED_JSON, deep_body, pairs, serde_qs_config, wide_body};

/// For profiling only: an unknown event with `n` pairs shaped like the seed's (one bracket group,
/// a 32-character value), to tell the cost of more pairs from the cost of costlier pairs.
fn seedlike_body(n: usize) -> Vec<u8> {
    let seed = std::str::from_utf8(SEED_FORM).expect("seed is text").replace("ONSIGNB2EMEMBERSTATUSCHANGED", "ONFOO");
    let mut body = seed.clone();
    for i in 0..n.saturating_sub(pairs(seed.as_bytes())) {
        body.push_str(&format!("&data%5Bfield_{i}%5D=2ditmm6vjoolzbygaeua2jltkjb9hgks"));
    }
    body.into_bytes()
}

/// Allocations and bytes of one call of `f` (after a warm-up call), averaged over `n` calls; the
/// result is dropped inside the measured region, as a real handler would.
fn count<T>(n: u64, mut f: impl FnMut() -> T) -> (f64, f64) {
    drop(black_box(f()));
    let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..n {
        drop(black_box(f()));
    }
    let (a1, b1) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    ((a1 - a0) as f64 / n as f64, (b1 - b0) as f64 / n as f64)
}

/// `--run PATH N`: decodes with one path N times and exits, for a profiler. Under callgrind,
/// the instructions of one decode are `(Ir(2N) - Ir(N)) / N`, free of start-up costs
/// (`benches/profile.sh` does that).
fn run(path: &str, n: usize, large: &[u8], deep: &[u8]) {
    let qs = serde_qs_config();
    let seedlike = seedlike_body(if path == "seedlike250_to_anyevent" { 250 } else { 1000 });
    for _ in 0..n {
        match path {
            "form_to_anyevent" => {
                drop(black_box(bitrix24_events::from_form::<AnyEvent>(black_box(SEED_FORM)).unwrap()))
            }
            "form_to_tree" => drop(black_box(form::decode(black_box(SEED_FORM)).unwrap())),
            "json_to_anyevent" => {
                drop(black_box(bitrix24_events::from_json::<AnyEvent>(black_box(SEED_JSON)).unwrap()))
            }
            "serde_json_plain" => drop(black_box(serde_json::from_slice::<PlainEvent>(black_box(SEED_JSON)).unwrap())),
            "serde_qs_plain" => drop(black_box(qs.deserialize_bytes::<PlainEvent>(black_box(SEED_FORM)).unwrap())),
            "large_to_anyevent" => drop(black_box(bitrix24_events::from_form::<AnyEvent>(black_box(large)).unwrap())),
            "large_to_tree" => drop(black_box(form::decode(black_box(large)).unwrap())),
            "seedlike_to_anyevent" | "seedlike250_to_anyevent" => {
                drop(black_box(bitrix24_events::from_form::<AnyEvent>(black_box(&seedlike)).unwrap()))
            }
            "deep_to_anyevent" => drop(black_box(bitrix24_events::from_form::<AnyEvent>(black_box(deep)).unwrap())),
            other => panic!("unknown path {other}"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let large = wide_body(1000);
    let deep = deep_body(64);
    if let Some(i) = args.iter().position(|a| a == "--run") {
        let n = args.get(i + 2).and_then(|n| n.parse().ok()).expect("--run PATH N");
        return run(&args[i + 1], n, &large, &deep);
    }
    // `cargo test --benches` runs this too: keep that quick.
    let n = if args.iter().any(|a| a == "--bench") { 1000 } else { 10 };
    let qs = serde_qs_config();
    let token = ApplicationToken::new("81905784dd6e05280c9a2015e0e61e68").expect("token");
    let received = Secret::new("81905784dd6e05280c9a2015e0e61e68");
    let rows: Vec<(&str, usize, (f64, f64))> = vec![
        (
            "seed form -> AnyEvent",
            pairs(SEED_FORM),
            count(n, || bitrix24_events::from_form::<AnyEvent>(SEED_FORM).unwrap()),
        ),
        ("seed form -> tree", pairs(SEED_FORM), count(n, || form::decode(SEED_FORM).unwrap())),
        (
            "seed JSON -> AnyEvent",
            pairs(SEED_FORM),
            count(n, || bitrix24_events::from_json::<AnyEvent>(SEED_JSON).unwrap()),
        ),
        (
            "baseline serde_json -> plain",
            pairs(SEED_FORM),
            count(n, || serde_json::from_slice::<PlainEvent>(SEED_JSON).unwrap()),
        ),
        (
            "baseline serde_qs -> plain",
            pairs(SEED_FORM),
            count(n, || qs.deserialize_bytes::<PlainEvent>(SEED_FORM).unwrap()),
        ),
        (
            "1000 pairs form -> AnyEvent",
            1000,
            count(n / 10 + 1, || bitrix24_events::from_form::<AnyEvent>(&large).unwrap()),
        ),
        ("1000 pairs form -> tree", 1000, count(n / 10 + 1, || form::decode(&large).unwrap())),
        (
            "depth 64 form -> AnyEvent",
            pairs(&deep),
            count(n, || bitrix24_events::from_form::<AnyEvent>(&deep).unwrap()),
        ),
        ("token verify (equal)", 0, count(n, || token.verify(Some(&received)).is_ok())),
    ];
    println!("{:<30} {:>6} {:>10} {:>10} {:>11}", "path", "pairs", "allocs", "bytes", "allocs/pair");
    for (name, pairs, (allocs, bytes)) in rows {
        let per_pair = if pairs > 0 { format!("{:.2}", allocs / pairs as f64) } else { "-".into() };
        println!("{name:<30} {pairs:>6} {allocs:>10.1} {bytes:>10.0} {per_pair:>11}");
    }
}
