#!/usr/bin/env bash
# Reproduces the benchmark ratios in README: one criterion run of benches/decode.rs (the crate's
# paths and the serde_json / serde_qs baselines in the same run; it prints medians and ratios at the
# end), then the allocation counts (benches/allocs.rs).
# For instruction counts, which do not move with machine load, see benches/profile.sh (valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench decode -- --warm-up-time "${WARMUP:-1}" --measurement-time "${MEASURE:-3}"
cargo bench --bench allocs
