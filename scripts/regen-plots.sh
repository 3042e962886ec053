#!/bin/sh
# Regenerates plots/: the outputs of `forcecast run` for every shipped config
# (configs/*.toml), `forcecast compare` of all of them, the planners'
# questions on the baseline (solve, sensitivity, sweep), its back-test
# (`forcecast calibrate`), its Monte Carlo (`forcecast mc`) and the briefing
# of them all (`forcecast report`), so reviewers can browse the charts
# without running anything. tests/plots_fresh.rs fails when
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
# The back-test (README "Does it reproduce history?"): the baseline's two
# fitted parameters refitted to the published figures to end FY2023 (counts
# and the FY2023 plan); the Jul 2024 count and the FY2024 plan are held out.
# Writes plots/baseline/calibration.json, calibrated.toml and backtest.png.
$FORCECAST calibrate configs/baseline.toml \
    --fit inflows.transfers_history.per_year=0:1000 --fit events.0.change=0:2000 \
    --use all --until 2024-03 --out plots >/dev/null
echo "plots/: back-test of configs/baseline.toml"
# The baseline's Monte Carlo (default 10,000 runs, the scenario's seed).
$FORCECAST mc configs/baseline.toml --out plots >/dev/null
echo "plots/: Monte Carlo of configs/baseline.toml"
# The reviewer's briefing of every shipped config and of the baseline with
# its assumed unit costs (the report's costs section; default 1,000 Monte
# Carlo runs per scenario, each scenario's seed): plots/report.html and
# report.xlsx.
# shellcheck disable=SC2086
$FORCECAST report $configs configs/costs/baseline_costs.toml --out plots >/dev/null
echo "plots/: report.html and report.xlsx of every config"
