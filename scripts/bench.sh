#!/usr/bin/env bash
# Benchmarks (criterion, release build). Targets on a 2-core machine:
#   benches/planning.rs  - 30x30 deterministic sweep of the baseline < 1 s;
#                          solve --probability 0.8 --runs 2000 < 10 s.
# Pass a filter to run one, e.g. scripts/bench.sh sweep
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench planning -- "$@"
