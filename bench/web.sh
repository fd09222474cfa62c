#!/usr/bin/env bash
# Scaleplay web-app benchmarks (see BENCHMARKS.md, "Web app (issue 3)").
# Run from anywhere: bash bench/web.sh
#  1. Preset 10 stretched to 1 M expected requests: native (target/release/examples/run) vs the
#     engine compiled to wasm (crates/wasm-probe) in headless Chromium, seed 7, same summary?
#     Target: wasm >= 0.6x native speed.
#  2. Bundle: dist/*.wasm + dist/*.js gzipped (-9). Target <= 700 KB.
#  3. Time to interactive on localhost: cold loads of dist/ until Run is enabled and the canvas
#     shows a node.
#  4. Frame times while dragging a node on a canvas of 300 (+3) nodes. Target: median < 16 ms.
#  5. Long runs in the app: preset 01 stretched to LONG_S simulated seconds (one series point
#     each), speed max: wall time to the end and long animation frames meanwhile; the longest
#     again with its server selected (its own plot redrawn too).
#  6. Editing a large wired canvas (a client, a balancer, BIG_NODES - 2 servers it calls):
#     wall time of opening it, a click selecting a node, one move of a drag, the drop, typing a
#     param, undo (medians of 5).
# Environment: REPS (engine runs each way, median; default 3), LOADS (cold page loads; default 5),
#              NODES (nodes added before the drag; default 300), SEED (default 7),
#              LONG_S (durations of the long runs; default "20000 200000 1000000"),
#              BIG_NODES (nodes of the large canvas; default 1000),
#              WAIT_BUILDS_MIN (wait for other cargo/trunk builds to finish; default 20),
#              CHROMIUM (default /usr/bin/chromium).
# Needs: node 18+, tests/e2e/node_modules (playwright-core), Debian's chromium, python3, gzip.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WEB="$BENCH/web"
: >"$OUT/web-http.log"
REPS="${REPS:-3}"
LOADS="${LOADS:-5}"
NODES="${NODES:-300}"
BIG_NODES="${BIG_NODES:-1000}"
LONG_S="${LONG_S:-20000 200000 1000000}"
SEED="${SEED:-7}"
WAIT_BUILDS_MIN="${WAIT_BUILDS_MIN:-20}"
PRESET="scenarios/10-millions.json"
TARGET_REQUESTS=1000000
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUN="$TARGET_DIR/release/examples/run"
PROBE="$TARGET_DIR/wasm32-unknown-unknown/release/scaleplay_wasm_probe.wasm"
WASM_OPT="$ROOT/target/tools/binaryen/node_modules/.bin/wasm-opt"

# ---------------------------------------------------------------- setup
[ -d tests/e2e/node_modules/playwright-core ] ||
  { echo "tests/e2e/node_modules/playwright-core is missing (cargo xtask setup installs it)" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "no Chromium at ${CHROMIUM:-/usr/bin/chromium}" >&2; exit 1; }
command -v node >/dev/null || { echo "node is missing" >&2; exit 1; }
need_gnu_time

PIDS=()
TMPS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for dir in "${TMPS[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

# Other builds on this 2-core machine slow everything down: wait for them (up to a limit).
BUILDS='trunk build|cargo (build|check|clippy|test)|bin/rustc '
wait_builds() {
  local waited=0
  while pgrep -f "$BUILDS" >/dev/null; do
    if [ "$waited" -ge $((WAIT_BUILDS_MIN * 60)) ]; then
      echo "   (other cargo/trunk builds still running after $WAIT_BUILDS_MIN min; going on)"
      break
    fi
    [ "$waited" -eq 0 ] && echo "   waiting for other cargo/trunk builds to finish"
    sleep 10
    waited=$((waited + 10))
  done
  echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Notes when another build ran during a phase (checked at its end), as it skews the figures.
BUSY=()
building() {
  if pgrep -f "$BUILDS" >/dev/null; then
    echo "   note: another cargo/trunk build was running at the end of the $1"
    BUSY+=("$1")
  fi
}

# Serves directory $1 on 127.0.0.1 at a free port; sets URL.
serve() {
  local dir="$1" port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server --bind 127.0.0.1 --directory "$dir" "$port" >>"$OUT/web-http.log" 2>&1 &
  PIDS+=($!)
  URL="http://127.0.0.1:$port"
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "$URL/" 2>/dev/null && return
    sleep 0.1
  done
  echo "the http server for $dir did not start" >&2
  exit 1
}

echo "== building (release): the native runner and the wasm probe"
wait_builds
cargo build --release -q -p scaleplay-sim --example run
wait_builds
cargo build --release -q -p scaleplay-wasm-probe --target wasm32-unknown-unknown
if ! ls dist/*.wasm >/dev/null 2>&1; then
  echo "== dist/ has no app build: trunk build --release"
  wait_builds
  PATH="$ROOT/target/tools/binaryen/node_modules/.bin:$PATH" trunk build --release
fi
wait_builds
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(rustc --version)"
echo "browser: $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1), node $(node --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. engine: native vs wasm
echo
echo "== 1. Preset 10 at ~1 M requests, seed $SEED: native vs wasm in Chromium"
SCN="$OUT/web-p10-$TARGET_REQUESTS.json"
python3 "$BENCH/stretch.py" "$PRESET" "$TARGET_REQUESTS" "$SCN"

ENGINE_DIR=$(mktemp -d)
TMPS+=("$ENGINE_DIR")
cp "$WEB/engine.html" "$WEB/engine.js" "$ENGINE_DIR/"
cp "$SCN" "$ENGINE_DIR/scenario.json"
cp "$PROBE" "$ENGINE_DIR/probe.wasm"
# The app ships the engine through wasm-opt -Oz (index.html: data-wasm-opt="z"); time that too.
OZ=0
if [ -x "$WASM_OPT" ] && "$WASM_OPT" -Oz "$PROBE" -o "$ENGINE_DIR/probe-oz.wasm" 2>"$OUT/web-wasm-opt.log"; then
  OZ=1
else
  echo "   (no wasm-opt at $WASM_OPT, or it failed: skipping the -Oz variant)"
fi
serve "$ENGINE_DIR"
echo "-- $REPS rounds, each: native ($RUN), wasm ($(basename "$PROBE"), $(stat -c %s "$PROBE") bytes)$(
  [ "$OZ" = 1 ] && echo ", wasm after wasm-opt -Oz ($(stat -c %s "$ENGINE_DIR/probe-oz.wasm") bytes)"); pages at $URL/engine.html"
# Interleaved, so that a change in the machine's load hits all of them alike.
walls=()
cpus=()
: >"$OUT/web-engine.jsonl"
rm -f "$OUT/web-engine-oz.jsonl"
wait_builds
for i in $(seq "$REPS"); do
  timed "$OUT/web-native-report.json" - "$RUN" "$SCN" "$SEED"
  wall=$WALL
  cpu=$CPU
  echo "   native run $i: wall $wall s, cpu $cpu s"
  walls+=("$wall")
  cpus+=("$cpu")
  node "$WEB/engine.mjs" "$URL" 1 "$SEED" "$OUT/web-wasm-report.json" probe.wasm >>"$OUT/web-engine.jsonl"
  if [ "$OZ" = 1 ]; then
    node "$WEB/engine.mjs" "$URL" 1 "$SEED" "$OUT/web-wasm-oz-report.json" probe-oz.wasm >>"$OUT/web-engine-oz.jsonl"
  fi
done
NATIVE_S=$(median "${walls[@]}")
NATIVE_CPU=$(median "${cpus[@]}")
building "engine runs"

# ---------------------------------------------------------------- 2. bundle size
echo
echo "== 2. Bundle size (dist/, gzip -9)"
wait_builds
BUNDLE="$OUT/web-bundle.tsv"
: >"$BUNDLE"
for f in dist/*.wasm dist/*.js dist/*.css dist/*.html; do
  [ -f "$f" ] || continue
  printf '%s\t%s\t%s\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)" >>"$BUNDLE"
  printf '   %-45s %9s bytes, gzipped %9s bytes\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
echo "   (dist/ built $(stat -c %y "$(ls dist/*.wasm | head -1)" | cut -d. -f1))"

# ---------------------------------------------------------------- 3 + 4. the app in Chromium
echo
echo "== 3. Time to interactive ($LOADS cold loads) and 4. frame times while dragging a node"
serve "$ROOT/dist"
echo "-- serving dist/ at $URL"
wait_builds
node "$WEB/app.mjs" "$URL" "$LOADS" "$NODES" >"$OUT/web-app.json"
building "page loads and drags"

# ---------------------------------------------------------------- 5. long runs in the app
echo
echo "== 5. Long runs in the app (scenarios/01-single-server.json, duration_s = $LONG_S, speed max)"
wait_builds
: >"$OUT/web-longrun.jsonl"
for d in $LONG_S; do
  node "$WEB/longrun.mjs" "$URL" scenarios/01-single-server.json "$d" >>"$OUT/web-longrun.jsonl"
done
node "$WEB/longrun.mjs" "$URL" scenarios/01-single-server.json "${d:?}" box >>"$OUT/web-longrun.jsonl"
building "long runs"

# ---------------------------------------------------------------- 6. a large canvas
echo
echo "== 6. Editing a canvas of $BIG_NODES wired nodes"
wait_builds
node "$WEB/big_canvas.mjs" "$URL" "$BIG_NODES" 5 >"$OUT/web-big-canvas.json"
building "large canvas"

# ---------------------------------------------------------------- summary
echo
python3 - "$OUT" "$NATIVE_S" "${walls[*]}" "$NATIVE_CPU" <<'EOF'
import json, os, sys
out, native_s, native_runs, native_cpu = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), float(sys.argv[4])

def engine_runs(path):
    """Merges the one-run JSON lines of engine.mjs; median like the native side."""
    if not os.path.exists(path):
        return None
    runs = [json.loads(line) for line in open(path) if line.strip()]
    ms = sorted(r["median_ms"] for r in runs)
    first = runs[0]
    return dict(first, runs_ms=[r["median_ms"] for r in runs], median_ms=ms[(len(ms) - 1) // 2],
                compile_ms=sorted(r["compile_ms"] for r in runs)[(len(runs) - 1) // 2],
                cpu_ms=sorted(r["cpu_ms"] for r in runs)[(len(runs) - 1) // 2],
                browser_cpu_ms=sorted(r["browser_cpu_ms"] for r in runs)[(len(runs) - 1) // 2],
                runs_consistent=all(r["offered"] == first["offered"] and r["succeeded"] == first["succeeded"]
                                    and r["report_length"] == first["report_length"] for r in runs))

nat = json.load(open(f"{out}/web-native-report.json"))
eng = engine_runs(f"{out}/web-engine.jsonl")
wrep = json.load(open(f"{out}/web-wasm-report.json"))
oz = engine_runs(f"{out}/web-engine-oz.jsonl")
app = json.load(open(f"{out}/web-app.json"))
bundle = [line.split("\t") for line in open(f"{out}/web-bundle.tsv").read().splitlines()]
res = {}

def same(a, b):
    return all(a["summary"][k] == b["summary"][k] for k in ("offered", "succeeded"))

# 1. engine
wasm_s = eng["median_ms"] / 1000
ratio = native_s / wasm_s
summary_ok = same(nat, wrep) and eng["runs_consistent"]
identical = open(f"{out}/web-native-report.json").read().strip() == open(f"{out}/web-wasm-report.json").read().strip()
print(f"1. engine, preset 10 at 1 M expected requests (offered {nat['summary']['offered']:,}, "
      f"succeeded {nat['summary']['succeeded']:,}, events {nat['run']['events']:,})")
print(f"   native wall (median of {', '.join(native_runs)}):  {native_s:.3f} s")
print(f"   wasm probe_run in Chromium (median of {', '.join(f'{x / 1000:.3f}' for x in eng['runs_ms'])}): {wasm_s:.3f} s"
      f"  (compile {eng['compile_ms']:.0f} ms, not included)")
print(f"   native/wasm: {ratio:.2f}x  -> target >= 0.6x {'MET' if ratio >= 0.6 else 'MISSED'}")
cpu_ratio = native_cpu / (eng["cpu_ms"] / 1000)
print(f"   by CPU time (less disturbed by other work): native {native_cpu:.2f} s, renderer process during probe_run "
      f"{eng['cpu_ms'] / 1000:.2f} s (all browser processes {eng['browser_cpu_ms'] / 1000:.2f} s) -> {cpu_ratio:.2f}x")
if oz:
    oz_ratio = native_s / (oz["median_ms"] / 1000)
    oz_same = same(nat, json.load(open(f"{out}/web-wasm-oz-report.json"))) and oz["runs_consistent"]
    print(f"   wasm after wasm-opt -Oz (median of {', '.join(f'{x / 1000:.3f}' for x in oz['runs_ms'])}): "
          f"{oz['median_ms'] / 1000:.3f} s -> native/wasm {oz_ratio:.2f}x; by CPU {native_cpu / (oz['cpu_ms'] / 1000):.2f}x "
          f"(summary equal: {'yes' if oz_same else 'NO'})")
    res.update(wasm_oz_s=oz["median_ms"] / 1000, ratio_oz=oz_ratio, ratio_oz_cpu=native_cpu / (oz["cpu_ms"] / 1000))
print(f"   same summary.offered and summary.succeeded: {'yes' if summary_ok else 'NO'}; "
      f"whole report byte-identical: {'yes' if identical else 'no'} (length {eng['report_length']:,})")
res.update(native_s=native_s, wasm_s=wasm_s, ratio=ratio, native_cpu_s=native_cpu, wasm_cpu_s=eng["cpu_ms"] / 1000, ratio_cpu=cpu_ratio, summary_equal=summary_ok, report_identical=identical)

# 2. bundle
rows = [(f, int(raw), int(gz)) for f, raw, gz in bundle]
core = [r for r in rows if r[0].endswith((".wasm", ".js"))]
gz_total = sum(r[2] for r in core)
all_total = sum(r[2] for r in rows)
print()
print(f"2. bundle: wasm + js gzipped {gz_total:,} bytes = {gz_total / 1024:.1f} KiB "
      f"(raw {sum(r[1] for r in core):,} bytes); with css + html {all_total / 1024:.1f} KiB")
print(f"   -> target <= 700 KB {'MET' if gz_total <= 700 * 1000 else 'MISSED'} (700 KB read as 700,000 bytes)")
res.update(bundle_gz_bytes=gz_total, bundle_all_gz_bytes=all_total, bundle_files=rows)

# 3. TTI
t = app["tti"]
print()
print(f"3. time to interactive, localhost, {t['loads']} cold loads: median {t['median_ms']:.0f} ms "
      f"(runs {', '.join(f'{x:.0f}' for x in t['runs_ms'])}); DOMContentLoaded {t['dom_content_loaded_median_ms']:.0f} ms, "
      f"wasm fetched {t['wasm_fetched_median_ms']:.0f} ms")

# 4. drag
print()
for key, label in (("drag_default", "default canvas"), ("drag_many", "after adding nodes")):
    d = app[key]
    fi, h, r, w = d["frame_interval_ms"], d["pointermove_handler_ms"], d["render_ms"], d["work_per_frame_ms"]
    extra = f", adding them took {d['add_ms'] / 1000:.1f} s" if "add_ms" in d else ""
    print(f"4. drag, {label}: {d['nodes']} nodes on the canvas{extra}; dragged {d['dragged']} "
          f"(moved during drag: {'yes' if d['moved_during_drag'] else 'NO'}, after drop: {'yes' if d['moved_after_drop'] else 'NO'})")
    print(f"   {d['pointermove_events']} pointermove events over {d['drag_ms'] / 1000:.1f} s, "
          f"{d['frames']} frames, {d['frames_with_moves']} of them drawing a move")
    print(f"   frame interval   median {fi['median']:6.2f} ms  p95 {fi['p95']:6.2f}  max {fi['max']:6.2f}  (all frames, rAF timestamps)")
    print(f"   pointermove      median {h['median']:6.2f} ms  p95 {h['p95']:6.2f}  max {h['max']:6.2f}  (per event: handlers incl. microtasks)")
    print(f"   render           median {r['median']:6.2f} ms  p95 {r['p95']:6.2f}  max {r['max']:6.2f}  (frames with a move: rAF -> task after the frame)")
    print(f"   work per frame   median {w['median']:6.2f} ms  p95 {w['p95']:6.2f}  max {w['max']:6.2f}  (frames with a move: handlers + render)")
    lf = d["long_animation_frames"]
    if isinstance(lf, dict):
        a, b = lf["at_press_or_drop"], lf["during_moves"]
        print(f"   long animation frames (> 50 ms): {a['count']} at the press or the drop (max {a['max_ms']:.0f} ms), "
              f"{b['count']} while moving (max {b['max_ms']:.0f} ms)")
    else:
        print(f"   long animation frames: {lf}")
    print()
many = app["drag_many"]
fi_med = many["frame_interval_ms"]["median"]
work_med = many["work_per_frame_ms"]["median"]
# Headless Chromium paces rAF at 60 Hz: an interval of 16.7 ms means every frame was on time.
paced = fi_med <= 16.8
work_ok = work_med < 16.0
print(f"   -> target median frame < 16 ms with {many['nodes']} nodes: main-thread work per frame {work_med:.2f} ms "
      f"{'MET' if work_ok else 'MISSED'}; frame interval median {fi_med:.2f} ms "
      f"({'= the 60 Hz pace, no frame dropped at the median' if paced else 'frames dropped'})")
res.update(app=app)

# 6. a large canvas
big = json.load(open(f"{out}/web-big-canvas.json"))
print()
print(f"6. editing a canvas of {big['nodes']:,} nodes and {big['calls']:,} calls (wall ms to two frames after, "
      f"median of {big['reps']}): open {big['open_ms']:.0f}, select {big['select_ms']:.0f}, "
      f"one move of a drag {big['move_ms']:.0f}, drop {big['drop_ms']:.0f}, type a param {big['type_ms']:.0f}, "
      f"undo {big['undo_ms']:.0f}")
res.update(big_canvas=big)

# table
verdict = lambda ok: "met" if ok else "MISSED"
rows = [
    ("engine, native wall s", f"{native_s:.3f}", "", ""),
    ("engine, wasm in Chromium s", f"{wasm_s:.3f}", "", ""),
    ("engine, native/wasm (= wasm speed)", f"{ratio:.2f}x", ">= 0.6x", verdict(ratio >= 0.6)),
    ("engine, native/wasm by CPU time", f"{cpu_ratio:.2f}x", ">= 0.6x", verdict(cpu_ratio >= 0.6)),
]
if oz:
    rows.append(("engine, wasm-opt -Oz: native/wasm", f"{oz_ratio:.2f}x", ">= 0.6x", verdict(oz_ratio >= 0.6)))
    rows.append(("engine, wasm-opt -Oz: by CPU time", f"{res['ratio_oz_cpu']:.2f}x", ">= 0.6x", verdict(res["ratio_oz_cpu"] >= 0.6)))
rows += [
    ("bundle, wasm + js, gzip -9", f"{gz_total / 1000:.1f} kB", "<= 700 KB", verdict(gz_total <= 700000)),
    ("time to interactive, median", f"{t['median_ms']:.0f} ms", "(none given)", ""),
    (f"drag, {many['nodes']} nodes: frame interval median", f"{fi_med:.2f} ms", "", "60 Hz pace" if paced else "dropping"),
    (f"drag, {many['nodes']} nodes: frame interval p95", f"{many['frame_interval_ms']['p95']:.2f} ms", "", ""),
    (f"drag, {many['nodes']} nodes: work per frame median", f"{work_med:.2f} ms", "< 16 ms", verdict(work_ok)),
    (f"drag, {many['nodes']} nodes: work per frame p95", f"{many['work_per_frame_ms']['p95']:.2f} ms", "", ""),
]
print(f"{'figure':48}{'measured':>12}  {'target':<13} verdict")
for name, value, target, v in rows:
    print(f"{name:48}{value:>12}  {target:<13} {v}")
json.dump(res, open(f"{out}/web-result.json", "w"), indent=1)
EOF
echo
[ "${#BUSY[@]}" -gt 0 ] && echo "another build was running at the end of: ${BUSY[*]} (expect slower figures there)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
