#!/usr/bin/env bash
# The CLI's independent runs on all cores (see BENCHMARKS.md, "CLI: replications and sweeps on
# all cores"). Run from anywhere: bash bench/cli.sh
# For each case: wall time, CPU time and peak RSS with --jobs 1 and with --jobs $(nproc), the
# speed-up, and a check that both printed the same bytes (the output must not depend on jobs).
# Environment: REPS (runs per timed case, median taken; default 3).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
REPS="${REPS:-3}"
CORES="$(nproc)"
need_gnu_time

echo "== building scaleplay (release)"
cargo build --release -q -p scaleplay-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/scaleplay"
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(rustc --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# case NAME ARGS...: times "scaleplay ARGS --jobs J" for J = 1 and $CORES.
case_() {
  local name="$1"
  shift
  echo
  echo "-- $name: scaleplay $*"
  local walls1=() walls2=() rss1="" rss2=""
  for i in $(seq "$REPS"); do
    for j in 1 "$CORES"; do
      timed "$OUT/cli-$name-$j.txt" "$OUT/cli-$name-$j.err" "$BIN" "$@" --jobs "$j"
      echo "   run $i, --jobs $j: wall $WALL s, cpu $CPU s, peak RSS $RSS_KB KB"
      if [ "$j" = 1 ]; then walls1+=("$WALL"); rss1=$RSS_KB; else walls2+=("$WALL"); rss2=$RSS_KB; fi
    done
  done
  local w1 w2
  w1=$(median "${walls1[@]}")
  w2=$(median "${walls2[@]}")
  local same="identical"
  cmp -s "$OUT/cli-$name-1.txt" "$OUT/cli-$name-$CORES.txt" || same="DIFFERENT"
  awk -v n="$name" -v c="$CORES" -v a="$w1" -v b="$w2" -v s="$same" -v r1="$rss1" -v r2="$rss2" \
    'BEGIN {printf "   %s: --jobs 1 %.2f s, --jobs %d %.2f s (median wall): %.2fx faster; peak RSS %.1f -> %.1f MB; output %s\n", n, a, c, b, a / b, r1 / 1024, r2 / 1024, s}'
  [ "$same" = identical ]
}

case_ replications run scenarios/10-millions.json --replications 8
case_ sweep sweep scenarios/10-millions.json --param users-eu.rps --from 1000 --to 4000 --steps 6
