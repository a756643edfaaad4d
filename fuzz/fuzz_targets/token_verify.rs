//! Token verification of two arbitrary byte strings: no panic, Ok iff equal and non-empty.
//!
//! The check lives in `tests/support/fuzz_checks.rs`, shared with the corpus replay test.
#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_token_verify(data));
