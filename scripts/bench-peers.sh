#!/usr/bin/env bash
# forcecast's Monte Carlo side by side with its two Python peers (issue 14),
# on the frozen scenario they implement (benches/peer_scenario.toml, a copy of
# shared/peers/scenario.toml): same machine, same moment, interleaved
# repetitions, medians and ratios. Prints a Markdown table for README.md.
#
#   scripts/bench-peers.sh                 5 repetitions of 100,000 runs
#   RUNS=10000 REPS=3 scripts/bench-peers.sh
#   SWEEP=0 scripts/bench-peers.sh         skip the 30 x 30 probability sweep
#   PEERS=/path/to/peers scripts/bench-peers.sh
#
# Timed (wall clock of the whole process, one thread each, process noise only):
#   forcecast   forcecast mc --threads 1 --no-parameter-uncertainty (outputs
#               and charts included)
#   draws       forcecast mc --draws-only: the same runs' random draws and
#               nothing else (src/montecarlo/bound.rs): the draw bound
#   numba       peer_numba.py --mode grouped (compiled and cached by a first,
#               untimed call)
#   numpy       peer_numpy.py
#   loop        examples/peer_loop.rs: the numba peer's loop written in Rust
#               for this one scenario, with numpy's algorithms (rand_distr):
#               the peer's algorithm without Python
#   loop+fc     the same loop with forcecast's sampler: how fast an engine
#               hand-written for this one scenario could be with that sampler
# then a 30 x 30 `sweep --metric probability` at 1,000 runs a point with both
# kinds of uncertainty on all cores (target under 10 s), and forcecast's peak
# memory at RUNS/10 and RUNS runs (flat in the number of runs).
#
# The peers need numpy and numba (see the peers' README.md):
#   pip install numpy numba
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-100000}
REPS=${REPS:-5}
SWEEP=${SWEEP:-1}
if [[ -z "${PEERS:-}" ]]; then
  for d in ../shared/peers ../../shared/peers /work/shared/peers; do
    [[ -f $d/peer_numba.py ]] && PEERS=$d && break
  done
fi
if [[ -z "${PEERS:-}" || ! -f $PEERS/peer_numba.py ]]; then
  echo "peers not found: set PEERS to the folder holding peer_numba.py and peer_numpy.py" >&2
  exit 2
fi
if ! python3 -c 'import numpy, numba' 2>/dev/null; then
  echo "the peers need numpy and numba: pip install numpy numba" >&2
  exit 2
fi
scenario=benches/peer_scenario.toml
cargo build --release --quiet --bin forcecast --example peer_loop
bin=target/release/forcecast
loop=target/release/examples/peer_loop
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python3 "$@"; }
# Wall-clock seconds of a command, output discarded.
secs() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

py "$PEERS/peer_numba.py" --runs 1000 --mode grouped >/dev/null # compile and cache
declare -A times
for rep in $(seq "$REPS"); do
  times[forcecast]+="$(secs "$bin" mc "$scenario" --runs "$RUNS" --threads 1 --no-parameter-uncertainty --out "$out")"$'\n'
  times[draws]+="$(secs "$bin" mc "$scenario" --runs "$RUNS" --threads 1 --no-parameter-uncertainty --draws-only --out "$out")"$'\n'
  times[numba]+="$(secs py "$PEERS/peer_numba.py" --runs "$RUNS" --mode grouped)"$'\n'
  times[numpy]+="$(secs py "$PEERS/peer_numpy.py" --runs "$RUNS" --json)"$'\n'
  times[loop]+="$(secs "$loop" "$RUNS" rand-distr)"$'\n'
  times[loopfc]+="$(secs "$loop" "$RUNS" forcecast)"$'\n'
  echo "repetition $rep of $REPS done" >&2
done
m() { printf '%s' "${times[$1]}" | median; }
f=$(m forcecast) d=$(m draws) nb=$(m numba) np=$(m numpy) lp=$(m loop) lf=$(m loopfc)
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%d)."
echo "$RUNS runs of benches/peer_scenario.toml, process noise only, one thread, whole process, median of $REPS interleaved repetitions:"
echo
echo "| program | seconds | ratio |"
echo "|---|---:|---|"
echo "| forcecast \`mc\` (outputs and charts included) | $f | 1 |"
echo "| draw bound (\`mc --draws-only\`: the same draws, nothing else) | $d | forcecast / draws = $(ratio "$f" "$d") (target ≤ 1.5) |"
echo "| numba peer (\`--mode grouped\`) | $nb | numba / forcecast = $(ratio "$nb" "$f") (target ≥ 3) |"
echo "| numpy peer | $np | numpy / forcecast = $(ratio "$np" "$f") (target ≥ 4) |"
echo "| the numba peer's loop in Rust, numpy's algorithms (\`examples/peer_loop.rs rand-distr\`) | $lp | numba / this = $(ratio "$nb" "$lp") |"
echo "| the same loop with forcecast's sampler (\`peer_loop forcecast\`) | $lf | forcecast / this = $(ratio "$f" "$lf"); 3× numba would be $(echo "$nb / 3" | bc -l | xargs printf '%.2f') s |"

if [[ "$SWEEP" != 0 ]]; then
  s=$(secs "$bin" sweep "$scenario" --x inflows.transfers.per_year=200:900:30 \
    --y courses.cyber_school.seats_per_class=0:200:30 --metric probability --runs 1000 --out "$out")
  echo "| 30 × 30 \`sweep --metric probability\`, 1,000 runs a point, both kinds of uncertainty, all cores | $(printf '%.3f' "$s") | target < 10 |"
fi
peak() {
  /usr/bin/time -f %M "$bin" mc "$scenario" --runs "$1" --threads 1 --out "$out" 2>&1 >/dev/null | tail -1
}
if [[ -x /usr/bin/time ]]; then
  small=$((RUNS / 10))
  echo
  echo "Peak memory of \`mc\`: $(peak "$small") KB at $small runs, $(peak "$RUNS") KB at $RUNS runs."
fi
