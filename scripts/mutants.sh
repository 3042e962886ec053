#!/usr/bin/env bash
# Mutation testing of one module with cargo-mutants: which changes to the
# code the tests catch. Too slow for every CI run (each mutant rebuilds and
# reruns the suite); run it on the module you changed. See docs/testing.md.
#
#   scripts/mutants.sh src/engine/sampler.rs      # one file, one build at a time
#   scripts/mutants.sh src/engine/sampler.rs --in-place   # reuse ./target (faster start)
#   scripts/mutants.sh 'src/montecarlo/*.rs'      # a module
#   JOBS=2 scripts/mutants.sh src/engine/mod.rs   # more parallel builds
#   TESTS="--lib --test mc_law --test model" scripts/mutants.sh src/engine/sampler.rs --shard 0/6
#                                                 # only those tests: quicker, and a
#                                                 # lower bound on the score
#   scripts/mutants.sh src/engine/sampler.rs --list   # the mutants, without running them
#
# The golden comparison with plots/ (tests/plots_fresh.rs) is skipped: it
# reports "changed", not "wrong", so a mutant only it notices counts as
# missed. Results go to mutants.out/ (missed.txt, caught.txt, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "usage: $0 FILE_GLOB [extra cargo-mutants options]" >&2
    exit 2
fi
if ! command -v cargo-mutants >/dev/null; then
    echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
    exit 2
fi
file=$1
shift
# shellcheck disable=SC2086 # TESTS is a list of cargo test options
jobs=()
if [ -n "${JOBS:-}" ]; then
    jobs=(--jobs "$JOBS")
fi
exec cargo mutants --file "$file" "${jobs[@]}" --timeout-multiplier 3 "$@" \
    -- ${TESTS:-} -- --skip committed_plots_are_current
