#!/usr/bin/env bash
# Benchmarks (criterion, release build). Targets on a 2-core machine:
#   benches/planning.rs   - 30x30 deterministic sweep of the baseline < 1 s;
#                           solve --probability 0.8 --runs 2000 < 10 s.
#   benches/montecarlo.rs - Monte Carlo, 10,000 runs of the baseline < 1 s.
# Pass a filter to run one, e.g. scripts/bench.sh sweep or scripts/bench.sh mc.
# scripts/bench-mc.sh times the `forcecast mc` binary itself (and peak memory).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench planning --bench montecarlo -- "$@"
