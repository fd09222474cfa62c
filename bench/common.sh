# What every bench script shares; each sources it first (`. "$(dirname "${BASH_SOURCE[0]}")/common.sh"`).
# Sets BENCH (this folder), ROOT (the repository, made the working directory) and OUT
# (bench/out, created; gitignored), and defines the helpers the scripts time with.

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
cd "$ROOT"
OUT="$BENCH/out"
mkdir -p "$OUT"

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# largest of the numbers given as arguments
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }

# GNU time (for CPU time and peak RSS), installed when missing.
need_gnu_time() {
  if [ ! -x /usr/bin/time ]; then
    echo "== installing GNU time"
    apt-get update -qq && apt-get install -y -qq time
  fi
}

# timed STDOUT STDERR CMD...: runs CMD with its output in those files (STDERR `-`: the script's
# own, not reopened: reopening /dev/stderr would truncate a log the script writes to) and sets
# WALL (s, around the whole process), CPU (user + sys s) and RSS_KB (peak resident set).
timed() {
  local stdout="$1" stderr="$2" tv="$OUT/time-v.txt" t0 t1
  shift 2
  t0=$(date +%s.%N)
  if [ "$stderr" = - ]; then
    /usr/bin/time -v -o "$tv" "$@" >"$stdout"
  else
    /usr/bin/time -v -o "$tv" "$@" >"$stdout" 2>"$stderr"
  fi
  t1=$(date +%s.%N)
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  CPU=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.3f", s}' "$tv")
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
}
