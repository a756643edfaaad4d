//! Typed decoding (AnyEvent) of arbitrary bodies as form and as JSON: no panic, what decodes re-encodes to itself.
//!
//! The check lives in `tests/support/fuzz_checks.rs`, shared with the corpus replay test.
#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_typed_decode(data));
