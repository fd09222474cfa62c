#!/usr/bin/env bash
# The CLI's independent runs on all cores (see BENCHMARKS.md, "CLI: replications and sweeps on
# all cores"). Run from anywhere: bash bench/cli.sh
# For each case: wall time, CPU time and peak RSS with --jobs 1 and with --jobs $(nproc), the
# speed-up, and a check that both printed the same bytes (the output must not depend on jobs).
# Environment: REPS (runs per timed case, median taken; default 3).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
cd "$ROOT"
OUT="$BENCH/out"
mkdir -p "$OUT"
REPS="${REPS:-3}"
CORES="$(nproc)"
if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time"
  apt-get update -qq && apt-get install -y -qq time
fi

echo "== building scaleplay (release)"
cargo build --release -q -p scaleplay-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/scaleplay"
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(rustc --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# case NAME ARGS...: times "scaleplay ARGS --jobs J" for J = 1 and $CORES.
case_() {
  local name="$1"
  shift
  echo
  echo "-- $name: scaleplay $*"
  local walls1=() walls2=() cpu1="" cpu2="" rss1="" rss2=""
  for i in $(seq "$REPS"); do
    for j in 1 "$CORES"; do
      local tv="$OUT/cli-time.txt" t0 t1 wall cpu rss
      t0=$(date +%s.%N)
      /usr/bin/time -v -o "$tv" "$BIN" "$@" --jobs "$j" > "$OUT/cli-$name-$j.txt" 2> "$OUT/cli-$name-$j.err"
      t1=$(date +%s.%N)
      wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
      cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$tv")
      rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
      echo "   run $i, --jobs $j: wall $wall s, cpu $cpu s, peak RSS $rss KB"
      if [ "$j" = 1 ]; then walls1+=("$wall"); cpu1=$cpu; rss1=$rss; else walls2+=("$wall"); cpu2=$cpu; rss2=$rss; fi
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
