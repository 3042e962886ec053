#!/usr/bin/env bash
# The fast Monte Carlo engine against the general one (issue 14's "per-month
# percentiles agree with the previous engine on 100,000 runs to within
# sampling error"): `forcecast mc` and the hidden `mc --reference-engine` on
# the same config, each month's p5 ... p95 of the counted total and mean,
# and the largest difference in units of its sampling error. Not a test: it
# takes about a minute of CPU per 100,000 runs of the baseline and engine.
#
#   scripts/compare-engines.sh                      the baseline, 100,000 runs
#   RUNS=20000 scripts/compare-engines.sh configs/retention_bonus.toml
#
# Two comparisons:
#   - same seed: the two engines' outputs are byte-identical wherever the fast
#     engine makes the general engine's draws in its order (tests/fast_engine.rs,
#     `the_runs_are_the_reference_runs`); printed as "identical" or "differ";
#   - different seeds (independent runs): per month and percentile, the gap
#     between the engines divided by its standard error. A sample quantile's
#     standard error is sqrt(q (1 - q) / n) / f(x_q); the density f is read
#     from the pooled percentiles' spacing (p25..p75 for p50, the neighbours
#     for the others), so the ratio is approximate. Percentiles are whole
#     people: where the spread is a few people (the first months), a sample
#     percentile is one of two neighbours by a coin flip at any number of
#     runs, so a one-person gap is the resolution and counts as none (the
#     gap beyond it is what is divided by the standard error; the largest raw
#     gap is printed too). The mean's standard error uses the spread
#     (p75 - p25) / 1.349 as the standard deviation.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/baseline.toml}
RUNS=${RUNS:-100000}
cargo build --release --quiet
bin=target/release/forcecast
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { "$bin" mc "$config" --runs "$RUNS" --out "$out/$1" "${@:2}" >/dev/null; }
run fast --seed 1
run general --seed 1 --reference-engine
run fast2 --seed 2
csv() { echo "$out/$1"/*/mc_percentiles.csv; }
if cmp -s "$(csv fast)" "$(csv general)"; then same=identical; else same=differ; fi
python3 - "$(csv fast2)" "$(csv general)" "$RUNS" "$config" "$same" <<'PY'
import csv, math, sys
a_path, b_path, n, config, same = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = lambda p: list(csv.DictReader(open(p)))
a, b = rows(a_path), rows(b_path)
qs = [("p5", .05), ("p10", .10), ("p25", .25), ("p50", .50), ("p75", .75), ("p90", .90), ("p95", .95)]
worst, where, skipped = 0.0, "none", 0
raw, raw_where = 0.0, ""
mean_z, mean_where = 0.0, ""
for ra, rb in zip(a, b):
    pooled = {k: (float(ra[k]) + float(rb[k])) / 2 for k, _ in qs}
    keys = [k for k, _ in qs]
    for i, (k, q) in enumerate(qs):
        lo, hi = (i - 1, i + 1) if 0 < i < len(qs) - 1 else ((i, i + 1) if i == 0 else (i - 1, i))
        if k == "p50":
            lo, hi = 2, 4
        dq = qs[hi][1] - qs[lo][1]
        dx = pooled[keys[hi]] - pooled[keys[lo]]
        if dx <= 0:
            skipped += 1  # no spread: a point mass (the initial state)
            continue
        se = math.sqrt(2 * q * (1 - q) / n) * dx / dq
        gap = abs(float(ra[k]) - float(rb[k]))
        if gap > raw:
            raw, raw_where = gap, f"{ra['month']} {k}: {ra[k]} vs {rb[k]}"
        z = max(gap - 1, 0) / max(se, 1e-300)
        if z > worst:
            worst, where = z, f"{ra['month']} {k}: {ra[k]} vs {rb[k]} (se {se:.2f})"
    sd = (pooled["p75"] - pooled["p25"]) / 1.349
    if sd > 0:
        z = abs(float(ra["mean"]) - float(rb["mean"])) / (sd * math.sqrt(2 / n))
        if z > mean_z:
            mean_z, mean_where = z, f"{ra['month']}: {ra['mean']} vs {rb['mean']}"
print(f"{config}, {n} runs a engine, both kinds of uncertainty, {len(a)} months:")
print(f"  same seed: outputs {same}")
print(f"  different seeds, percentiles p5..p95: largest gap beyond one person {worst:.2f} standard errors ({where}); largest raw gap {raw:.0f} people ({raw_where}); {skipped} point-mass cells skipped")
print(f"  different seeds, mean: largest gap {mean_z:.2f} standard errors ({mean_where})")
PY
