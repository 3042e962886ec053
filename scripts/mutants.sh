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
jobs=()
if [ -n "${JOBS:-}" ]; then
    jobs=(--jobs "$JOBS")
fi
# TESTS goes to every cargo call (--cargo-arg), the build as well as the
# test run: given only to the test run, each mutant's build would still
# compile every test target (31 s instead of 7 s a mutant for `--lib`).
targets=()
# shellcheck disable=SC2206 # TESTS is a list of cargo test options
words=(${TESTS:-})
i=0
while [ $i -lt ${#words[@]} ]; do
    w=${words[$i]}
    case $w in
    --test | --bin | --example | --bench)
        i=$((i + 1))
        targets+=("--cargo-arg=$w=${words[$i]}")
        ;;
    *) targets+=("--cargo-arg=$w") ;;
    esac
    i=$((i + 1))
done
# Quicker rebuilds: the mutants' builds do not need optimised or debuggable
# code (override by exporting your own values).
export CARGO_PROFILE_DEV_OPT_LEVEL=${CARGO_PROFILE_DEV_OPT_LEVEL:-0}
export CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-0}
# A generous timeout for slow mutants, unless the caller sets one
# (cargo-mutants refuses --timeout and --timeout-multiplier together).
timeout=(--timeout-multiplier 3)
for a in "$@"; do
    case $a in
    -t | -t?* | --timeout | --timeout=* | --timeout-multiplier | --timeout-multiplier=*) timeout=() ;;
    esac
done
exec cargo mutants --file "$file" "${jobs[@]}" "${targets[@]}" "${timeout[@]}" "$@" \
    -- -- --skip committed_plots_are_current
