#!/bin/sh
# Regenerates plots/: the outputs of `forcecast run` for every shipped config
# (configs/*.toml), `forcecast compare` of all of them, the planners'
# questions on the baseline (solve, sensitivity, sweep) and its Monte Carlo
# (`forcecast mc`), so reviewers can browse the charts without running
# anything. tests/plots_fresh.rs fails when
# plots/ does not match what this script makes.
#
# Usage: scripts/regen-plots.sh            (builds and runs with cargo)
#        FORCECAST=target/release/forcecast scripts/regen-plots.sh
set -eu
cd "$(dirname "$0")/.."
FORCECAST="${FORCECAST:-cargo run --quiet --}"

# The baseline first (the comparison's reference), then the others by file name.
configs=""
[ -f configs/baseline.toml ] && configs="configs/baseline.toml"
for c in $(LC_ALL=C ls configs/*.toml); do
    [ "$c" = configs/baseline.toml ] || configs="$configs $c"
done

# Start from an empty plots/ (keeping its README) so outputs of removed configs go.
find plots -mindepth 1 ! -name README.md -delete 2>/dev/null || true
mkdir -p plots

for c in $configs; do
    $FORCECAST run "$c" --out plots >/dev/null
    echo "plots/: $c"
done
# shellcheck disable=SC2086
$FORCECAST compare $configs --out plots
# The planners' questions on the baseline (README "What would it take?"); the
# same commands, flag for flag, are in tests/plots_fresh.rs.
$FORCECAST solve --lever inflows.transfers.per_year --out plots >/dev/null
$FORCECAST sensitivity --out plots >/dev/null
$FORCECAST sweep --x inflows.transfers.per_year=200:1000:30 \
    --y levels.basic.attrition=0.02:0.15:30 --out plots >/dev/null
echo "plots/: solve, sensitivity, sweep of the baseline"
# The baseline's Monte Carlo (default 10,000 runs, the scenario's seed).
$FORCECAST mc configs/baseline.toml --out plots >/dev/null
echo "plots/: Monte Carlo of configs/baseline.toml"
