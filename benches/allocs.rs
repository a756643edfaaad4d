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
use serde::Deserialize;

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

const SEED_FORM: &[u8] = include_bytes!("../examples/data/member-status-changed.form");
const SEED_JSON: &[u8] = include_bytes!("../examples/data/member-status-changed.json");

/// The same plain struct as `benches/decode.rs` (strings only).
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainEvent {
    event: String,
    event_handler_id: String,
    data: PlainData,
    ts: String,
    auth: PlainAuth,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainData {
    #[serde(rename = "memberUid")]
    member_uid: String,
    #[serde(rename = "documentUid")]
    document_uid: String,
    #[serde(rename = "statusCode")]
    status_code: String,
    #[serde(rename = "statusName")]
    status_name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainAuth {
    access_token: String,
    expires_in: String,
    scope: String,
    domain: String,
    server_endpoint: String,
    status: String,
    client_endpoint: String,
    member_id: String,
    refresh_token: String,
    application_token: String,
}

fn pairs(body: &[u8]) -> usize {
    body.split(|&b| b == b'&').filter(|s| !s.is_empty()).count()
}

fn wide_body(n: usize) -> Vec<u8> {
    let mut body = String::from(
        "event=ONCRMDEALUPDATE&event_handler_id=77&ts=1770374945&auth%5Bdomain%5D=some-domain.bitrix24.com\
         &auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68",
    );
    let mut i = 0;
    while pairs(body.as_bytes()) < n {
        body.push_str(&format!("&data%5BFIELDS%5D%5BUF_CRM_{i}%5D=value+{i}+of+the+deal+field"));
        i += 1;
    }
    body.into_bytes()
}

fn deep_body(depth: usize) -> Vec<u8> {
    let mut key = String::from("data");
    for i in 0..depth - 1 {
        key.push_str(&format!("%5Blevel{i}%5D"));
    }
    format!(
        "event=ONCRMDEALUPDATE&ts=1770374945&auth%5Bdomain%5D=some-domain.bitrix24.com\
         &auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&{key}=x&{key}%5Bsibling%5D=y"
    )
    .into_bytes()
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

fn main() {
    // `cargo test --benches` runs this too: keep that quick.
    let n = if std::env::args().any(|a| a == "--bench") { 1000 } else { 10 };
    let large = wide_body(1000);
    let deep = deep_body(64);
    let qs = serde_qs::Config::new().max_depth(5).use_form_encoding(true);
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
