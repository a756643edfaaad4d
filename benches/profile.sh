#!/usr/bin/env bash
# Instructions per decode, by callgrind (repeatable on a loaded machine, unlike wall time), and the
# same ratios as benches/decode.rs prints from criterion. Needs valgrind.
#   benches/profile.sh            # the table
#   KEEP=1 benches/profile.sh     # also keep callgrind.out.<path> files for callgrind_annotate
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench allocs --no-run >/dev/null 2>&1
bin=$(cargo bench --bench allocs --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*allocs[^"]*\)".*/\1/p' | tail -1)
n=${N:-200}
ir() { # ir PATH COUNT -> total instructions
  valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$$.$1.$2 "$bin" --run "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
declare -A per
for p in form_to_anyevent form_to_tree json_to_anyevent serde_json_plain serde_qs_plain large_to_anyevent large_to_tree deep_to_anyevent; do
  a=$(ir "$p" "$n"); b=$(ir "$p" $((2 * n)))
  per[$p]=$(( (b - a) / n ))
  printf '%-20s %12d instructions per decode\n' "$p" "${per[$p]}"
  if [[ -n "${KEEP:-}" ]]; then mv "/tmp/cg.$$.$p.$((2 * n))" "callgrind.out.$p"; fi
  rm -f /tmp/cg.$$."$p".*
done
seed_pairs=$(tr '&' '\n' < examples/data/member-status-changed.form | grep -c .)
awk -v f="${per[form_to_anyevent]}" -v j="${per[json_to_anyevent]}" -v sj="${per[serde_json_plain]}" \
    -v qs="${per[serde_qs_plain]}" -v l="${per[large_to_anyevent]}" -v sp="$seed_pairs" 'BEGIN {
  printf "\n%-42s %7s %8s\n", "ratio (instructions)", "value", "target"
  printf "%-42s %7.3f %8s\n", "form -> AnyEvent / serde_json -> plain", f / sj, "<= 1.00"
  printf "%-42s %7.3f %8s\n", "form -> AnyEvent / serde_qs -> plain", f / qs, "<= 0.33"
  printf "%-42s %7.3f %8s\n", "JSON -> AnyEvent / serde_json -> plain", j / sj, "<= 1.15"
  printf "%-42s %7.3f %8s\n", "per pair: 1000-pair body / seed", (l / 1000) / (f / sp), "<= 1.50"
}'
