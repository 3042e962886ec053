#!/usr/bin/env bash
# Times `forcecast mc` on the embedded baseline: 10,000 runs, both kinds of
# uncertainty, all cores, charts included (target: under 1 s on 2 cores).
#
#   scripts/bench-mc.sh            three timed runs of 10,000
#   scripts/bench-mc.sh --memory   also 1,000,000 runs with peak memory (target
#                                  under 500 MB; takes a few minutes)
#   cargo bench --bench montecarlo   the criterion benchmark of the library call
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/forcecast
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "cores: $(nproc); $(uptime | sed 's/.*load/load/')"
timed() {
  local label=$1
  shift
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "$label: %e s wall, %U s user, peak %M KB" "$@" >/dev/null
  else
    local t0=$SECONDS
    "$@" >/dev/null
    echo "$label: $((SECONDS - t0)) s wall"
  fi
}
for _ in 1 2 3; do
  timed "10,000 runs" "$bin" mc --runs 10000 --out "$out"
done
if [[ "${1:-}" == "--memory" ]]; then
  timed "1,000,000 runs" "$bin" mc --runs 1000000 --out "$out"
fi
