//! A structured event from `arbitrary`, encoded as a form and as JSON, decodes to equal events.
//!
//! The check lives in `tests/support/fuzz_checks.rs`, shared with the corpus replay test.
#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_form_json_equivalence(data));
