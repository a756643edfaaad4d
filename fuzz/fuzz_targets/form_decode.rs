//! Form decoding of arbitrary bytes: no panic, limits hold, decode -> encode -> decode is a fixed point.
//!
//! The check lives in `tests/support/fuzz_checks.rs`, shared with the corpus replay test.
#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_form_decode(data));
