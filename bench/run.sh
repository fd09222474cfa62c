#!/usr/bin/env bash
# Scaleplay benchmarks (see BENCHMARKS.md). Run from anywhere: bash bench/run.sh
#  1. M/M/4, 1 M customers: scaleplay vs SimPy (customers/s, ratio, target >= 200x), and
#     the same model by a loop written for it alone (the "floor", engine/floor.rs);
#     both mean responses checked against the Erlang-C analytic value.
#  2. Preset 10 (scenarios/10-millions.json) stretched to 1 M and 2 M expected
#     client requests: wall time, peak RSS, requests/s; linear time, flat memory?
# Environment: REPS (runs per timed case, median taken; default 3),
#              SIMPY_CUSTOMERS (default 1000000).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
REPS="${REPS:-3}"
SIMPY_CUSTOMERS="${SIMPY_CUSTOMERS:-1000000}"
SIMPY_PIN="simpy==4.1.2"
PRESET="scenarios/10-millions.json"

# ---------------------------------------------------------------- setup
VENV="$BENCH/.venv"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "== creating $VENV"
  python3 -m venv "$VENV"
fi
if ! "$PY" -c 'import simpy' 2>/dev/null; then
  echo "== installing $SIMPY_PIN"
  "$PY" -m pip install -q "$SIMPY_PIN"
fi
need_gnu_time

echo "== building scaleplay (release)"
cargo build --release -q -p scaleplay-sim --example run
RUN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/run"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(rustc --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# run_report FILE REPORT: runs "$RUN FILE" with its report JSON in REPORT; sets WALL, CPU, RSS_KB.
run_report() { timed "$2" - "$RUN" "$1"; }

# ---------------------------------------------------------------- 1. M/M/4
echo
echo "== M/M/4 (lambda 3.2/s, 4 servers, mean service 1 s, rho 0.8)"
echo "-- SimPy $("$PY" -c 'import simpy; print(simpy.__version__)'), $SIMPY_CUSTOMERS customers (one run, ~30-60 s)"
"$PY" "$BENCH/mm4_simpy.py" "$SIMPY_CUSTOMERS" 1 | tee "$OUT/mm4-simpy.json"

echo "-- scaleplay, bench/mm4.json, $REPS runs"
walls=(); cpus=()
for i in $(seq "$REPS"); do
  run_report bench/mm4.json "$OUT/mm4-scaleplay.json"
  echo "   run $i: wall ${WALL} s, cpu ${CPU} s, peak RSS ${RSS_KB} KB"
  walls+=("$WALL"); cpus+=("$CPU")
done
SP_WALL=$(median "${walls[@]}")
SP_CPU=$(median "${cpus[@]}")

# The same model by a loop written for it alone (crates/sim/src/engine/floor.rs): how fast any
# engine built from these parts could go, to set the ratio against.
echo "-- the floor (crates/sim/src/engine/floor.rs), $REPS runs"
cargo test --release -q -p scaleplay-sim --lib floor --no-run 2>/dev/null
floors=(); skeletons=(); engines=()
for i in $(seq "$REPS"); do
  out=$(cargo test --release -q -p scaleplay-sim --lib floor -- --ignored --nocapture 2>/dev/null)
  floor_ns=$(printf '%s\n' "$out" | sed -nE 's/^floor: .* = ([0-9.]+) ns per customer$/\1/p')
  skeleton_ns=$(printf '%s\n' "$out" | sed -nE 's/^skeleton: .* = ([0-9.]+) ns per customer.*/\1/p')
  engine_ns=$(printf '%s\n' "$out" | sed -nE 's/^engine: .* = ([0-9.]+) ns per customer.*/\1/p')
  echo "   run $i: floor ${floor_ns} ns, skeleton ${skeleton_ns} ns, engine ${engine_ns} ns per customer"
  floors+=("$floor_ns"); skeletons+=("$skeleton_ns"); engines+=("$engine_ns")
done
FLOOR_NS=$(median "${floors[@]}")
SKELETON_NS=$(median "${skeletons[@]}")
ENGINE_NS=$(median "${engines[@]}")

"$PY" - "$OUT/mm4-simpy.json" "$OUT/mm4-scaleplay.json" "$SP_WALL" "$SP_CPU" "$OUT/mm4-result.json" "$FLOOR_NS" "$ENGINE_NS" "$SKELETON_NS" <<'EOF'
import json, math, sys
simpy = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
sp_wall, sp_cpu = float(sys.argv[3]), float(sys.argv[4])
floor_ns, engine_ns, skeleton_ns = float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])

# Erlang C: M/M/c mean response time W = Wq + 1/mu, Wq = C(c, a) / (c mu - lambda)
lam, mu, c = 3.2, 1.0, 4
a = lam / mu
rho = a / c
top = a**c / math.factorial(c) / (1 - rho)
p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
w = p_wait / (c * mu - lam) + 1 / mu

sp_n = report["summary"]["succeeded"]
sp_mean = report["summary"]["latency_ms"]["mean"] / 1000
sp_rate = sp_n / sp_wall
py_rate = simpy["customers"] / simpy["wall_s"]
ratio = sp_rate / py_rate
cpu_ratio = (sp_n / sp_cpu) / (simpy["customers"] / simpy["cpu_s"])

print()
print(f"{'':12}{'customers':>11}{'wall s':>9}{'customers/s':>14}{'mean resp s':>13}{'vs Erlang C':>13}")
print(f"{'SimPy':12}{simpy['customers']:>11}{simpy['wall_s']:>9.3f}{py_rate:>14,.0f}{simpy['mean_response_s']:>13.4f}{(simpy['mean_response_s'] / w - 1) * 100:>+12.2f}%")
print(f"{'scaleplay':12}{sp_n:>11}{sp_wall:>9.3f}{sp_rate:>14,.0f}{sp_mean:>13.4f}{(sp_mean / w - 1) * 100:>+12.2f}%")
print(f"{'Erlang C':12}{'':>11}{'':>9}{'':>14}{w:>13.4f}   (P(wait) = {p_wait:.4f}, rho = {rho})")
print()
print(f"scaleplay/SimPy (wall, median of scaleplay runs, incl. process start): {ratio:.0f}x  "
      f"-> target >= 200x {'MET' if ratio >= 200 else 'MISSED'}")
print(f"scaleplay/SimPy (CPU time, less sensitive to a busy machine):         {cpu_ratio:.0f}x")
ok = all(abs(m / w - 1) < 0.03 for m in (sp_mean, simpy["mean_response_s"]))
print(f"sanity: both means within 3% of Erlang C: {'yes' if ok else 'NO'}")
floor_ratio = 1e9 / floor_ns / py_rate
print(f"the engine alone (median {engine_ns:.1f} ns per customer, no process start or parsing): "
      f"{1e9 / engine_ns / py_rate:.0f}x SimPy")
print(f"the floor (median {floor_ns:.1f} ns per customer): {floor_ratio:.0f}x SimPy; "
      f"200x needs {1e9 / (200 * py_rate):.1f} ns per customer")
print(f"the floor without its statistics (median {skeleton_ns:.1f} ns per customer): "
      f"{1e9 / skeleton_ns / py_rate:.0f}x SimPy")
json.dump({"simpy": simpy, "scaleplay": {"customers": sp_n, "wall_s": sp_wall, "cpu_s": sp_cpu,
           "customers_per_s": sp_rate, "mean_response_s": sp_mean, "events": report["run"]["events"]},
           "erlang_c_mean_s": w, "ratio_wall": ratio, "ratio_cpu": cpu_ratio,
           "floor_ns_per_customer": floor_ns, "engine_ns_per_customer": engine_ns,
           "ratio_floor": floor_ratio, "skeleton_ns_per_customer": skeleton_ns},
          open(sys.argv[5], "w"), indent=1)
EOF

# ---------------------------------------------------------------- 2. preset 10
echo
echo "== Preset 10 scaling ($PRESET)"
for target in 1000000 2000000; do
  "$PY" "$BENCH/stretch.py" "$PRESET" "$target" "$OUT/p10-$target.json"
done

declare -A P_WALL P_CPU P_RSS
for target in 1000000 2000000; do
  echo "-- $((target / 1000000)) M requests, $REPS runs"
  walls=(); cpus=(); rsss=()
  for i in $(seq "$REPS"); do
    run_report "$OUT/p10-$target.json" "$OUT/p10-$target-report.json"
    echo "   run $i: wall ${WALL} s, cpu ${CPU} s, peak RSS ${RSS_KB} KB"
    walls+=("$WALL"); cpus+=("$CPU"); rsss+=("$RSS_KB")
  done
  P_WALL[$target]=$(median "${walls[@]}")
  P_CPU[$target]=$(median "${cpus[@]}")
  P_RSS[$target]=$(maxof "${rsss[@]}")
done

"$PY" - "$OUT" "${P_WALL[1000000]}" "${P_CPU[1000000]}" "${P_RSS[1000000]}" \
  "${P_WALL[2000000]}" "${P_CPU[2000000]}" "${P_RSS[2000000]}" <<'EOF'
import json, sys
out = sys.argv[1]
rows = {}
for k, target in enumerate((1000000, 2000000)):
    wall, cpu, rss = (float(x) for x in sys.argv[2 + 3 * k: 5 + 3 * k])
    r = json.load(open(f"{out}/p10-{target}-report.json"))
    rows[target] = dict(wall_s=wall, cpu_s=cpu, rss_mb=rss / 1024, offered=r["summary"]["offered"],
                        events=r["run"]["events"], sim_s=r["run"]["duration_s"],
                        warmup_s=r["run"]["warmup_s"], availability=r["summary"]["availability"],
                        p99_ms=r["summary"]["latency_ms"]["p99"])
print()
print(f"{'expected':>10}{'sim s':>7}{'offered':>10}{'events':>12}{'wall s':>8}{'cpu s':>8}"
      f"{'peak RSS MB':>13}{'req/s':>11}{'events/s':>12}")
for target, x in rows.items():
    print(f"{target:>10,}{x['sim_s']:>7g}{x['offered']:>10,}{x['events']:>12,}{x['wall_s']:>8.2f}{x['cpu_s']:>8.2f}"
          f"{x['rss_mb']:>13.1f}{x['offered'] / x['wall_s']:>11,.0f}{x['events'] / x['wall_s']:>12,.0f}")
a, b = rows[1000000], rows[2000000]
tr, cr, mr = b["wall_s"] / a["wall_s"], b["cpu_s"] / a["cpu_s"], b["rss_mb"] / a["rss_mb"]
print("(offered counts requests after warmup, as the report does)")
print()
print(f"time 2M/1M: wall {tr:.2f}x, cpu {cr:.2f}x (linear = 2.00; events {b['events'] / a['events']:.2f}x) "
      f"-> {'~linear' if 1.7 <= cr <= 2.3 else 'NOT linear'}")
print(f"peak RSS 2M/1M: {mr:.2f}x -> {'flat' if mr <= 1.2 else 'NOT flat'}")
json.dump({str(k): v for k, v in rows.items()}, open(f"{out}/p10-result.json", "w"), indent=1)
EOF

# Memory diagnostic: the same two runs with every client's user population cut to
# 10,000. Sessions and last writes are arrays sized by the population from the start;
# cache keys fill up to the caches' capacity or the number of distinct users, whichever
# is smaller, so if RSS grows above but not here, it follows the caches filling with
# users, not requests.
echo
echo "-- memory diagnostic: same runs with users = 10000 per client (one run each)"
declare -A U_RSS
for target in 1000000 2000000; do
  "$PY" - "$OUT/p10-$target.json" "$OUT/p10u-$target.json" <<'EOF2'
import json, sys
scn = json.load(open(sys.argv[1]))
for n in scn["nodes"]:
    if n["kind"] == "client":
        n["params"]["users"] = min(n["params"].get("users", 10000), 10000)
json.dump(scn, open(sys.argv[2], "w"), indent=1)
EOF2
  run_report "$OUT/p10u-$target.json" "$OUT/p10u-$target-report.json"
  echo "   $((target / 1000000)) M requests: wall ${WALL} s, peak RSS ${RSS_KB} KB"
  U_RSS[$target]=$RSS_KB
done
awk -v a="${U_RSS[1000000]}" -v b="${U_RSS[2000000]}" 'BEGIN {printf "   peak RSS 2M/1M with 10k users: %.2fx\n", b / a}'
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
