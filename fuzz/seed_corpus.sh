#!/usr/bin/env bash
# Writes the fuzz seed corpora fuzz/corpus/<target>/ from the PHP fixtures (tests/data/php_*.jsonl),
# the sample bodies (examples/data/) and the committed seeds (fuzz/seeds/<target>/).
# The generated corpus is not committed (.gitignore); the committed inputs are fuzz/seeds/ and
# fuzz/regressions/, which `cargo test --test fuzz_corpus` replays.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --test fuzz_corpus -- --ignored --exact write_seed_corpus --nocapture
