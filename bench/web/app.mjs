// Drives the built app (dist/, served by bench/web.sh) in headless Chromium and prints one JSON
// object on stdout:
//  - tti: LOADS cold page loads (a new browser context each, so empty caches); for each, the
//    page's performance.now() (ms since navigation start) at the first DOM mutation after which
//    [data-testid=run] is laid out with a non-zero box, visible and enabled, and
//    [data-testid=canvas] holds a [data-testid^=node-] element.
//  - drag: frame timing while one node is dragged with the mouse, on the app's default canvas
//    (3 nodes) and after adding NODES server nodes from the palette with the keyboard.
//
//   node bench/web/app.mjs BASE_URL [LOADS] [NODES]
import { launch, median, percentile, fail } from "./browser.mjs";

const [base, loadsArg = "5", nodesArg = "300"] = process.argv.slice(2);
if (!base) fail("app.mjs", "usage: node app.mjs BASE_URL [LOADS] [NODES]");
const LOADS = Number(loadsArg);
const NODES = Number(nodesArg);

// Installed before any page script runs; records window.__tti.
function watchReady() {
  const ready = () => {
    const run = document.querySelector("[data-testid=run]");
    const canvas = document.querySelector("[data-testid=canvas]");
    if (!run || !canvas || run.disabled) return false;
    if (!canvas.querySelector('[data-testid^="node-"]')) return false;
    const box = run.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(run).visibility !== "hidden";
  };
  window.__tti = null;
  const observer = new MutationObserver(() => {
    if (window.__tti === null && ready()) {
      window.__tti = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !(m.location().url || "").endsWith("/favicon.ico")) errors.push(`console: ${m.text()}`);
  });
}

async function openApp(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(watchReady);
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  const t0 = Date.now();
  await page.goto(`${base}/`, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__tti !== null, null, { timeout: 60_000, polling: 10 });
  const wallMs = Date.now() - t0;
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
    return {
      tti: window.__tti,
      responseEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      wasmFetched: wasm ? wasm.responseEnd : null,
    };
  });
  return { context, page, errors, timing: { ...t, wallMs } };
}

// --- in-page recorder for the drag -------------------------------------------------------------
// rAF timestamps (frame starts); per frame, the main-thread time from our rAF callback to a
// message posted from it (the message task runs after that frame's style, layout, paint and
// commit); per pointermove, the time from a window capture listener (first to run) to a window
// bubble listener added after the app's own window listener (last to run), including the
// microtasks (Leptos effects) that run in between.
function startRecorder() {
  const rec = { frames: [], rafAt: [], render: [], moves: [], loaf: [], running: true };
  window.__rec = rec;
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => {
    if (pending) rec.render[pending.i] = performance.now() - pending.t;
    pending = null;
  };
  const tick = (ts) => {
    if (!rec.running) return;
    const now = performance.now();
    rec.frames.push(ts);
    rec.rafAt.push(now);
    pending = { i: rec.frames.length - 1, t: now };
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  let at = null;
  rec.capture = () => (at = performance.now());
  rec.bubble = () => {
    if (at !== null) rec.moves.push({ at, ms: performance.now() - at });
    at = null;
  };
  window.addEventListener("pointermove", rec.capture, { capture: true });
  window.addEventListener("pointermove", rec.bubble);
  rec.presses = [];
  rec.press = () => rec.presses.push(performance.now());
  window.addEventListener("pointerdown", rec.press, { capture: true });
  window.addEventListener("pointerup", rec.press, { capture: true });
  try {
    rec.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) rec.loaf.push({ start: e.startTime, ms: e.duration });
    });
    rec.observer.observe({ type: "long-animation-frame" });
    rec.loafSupported = true;
  } catch {
    rec.loafSupported = false;
  }
}

function stopRecorder() {
  const rec = window.__rec;
  rec.running = false;
  window.removeEventListener("pointermove", rec.capture, { capture: true });
  window.removeEventListener("pointermove", rec.bubble);
  window.removeEventListener("pointerdown", rec.press, { capture: true });
  window.removeEventListener("pointerup", rec.press, { capture: true });
  if (rec.observer) {
    for (const e of rec.observer.takeRecords()) rec.loaf.push({ start: e.startTime, ms: e.duration });
    rec.observer.disconnect();
  }
  return { frames: rec.frames, rafAt: rec.rafAt, render: rec.render, moves: rec.moves, loaf: rec.loaf, loafSupported: rec.loafSupported, presses: rec.presses };
}

const round = (x, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const stats = (xs) => ({ n: xs.length, median: round(median(xs)), p95: round(percentile(xs, 95)), max: round(Math.max(...xs)) });

// Drags the topmost node under the centre of `selector` along a wavy path: 60 page.mouse.move
// calls of 4 steps each (240 pointermove events), ending 200 px to the right.
async function drag(page, selector, label) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) fail("app.mjs", `${label}: ${selector} is not visible`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const target = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid^="node-"]')?.getAttribute("data-testid"),
    [cx, cy],
  );
  if (!target) fail("app.mjs", `${label}: no node under the centre of ${selector}`);
  const before = await page.locator(`[data-testid="${target}"]`).getAttribute("transform");

  await page.mouse.move(cx, cy);
  await page.evaluate(startRecorder);
  await page.waitForTimeout(100);
  const moves = 60;
  const steps = 4;
  const t0 = Date.now();
  await page.mouse.down();
  let midway = before;
  for (let i = 1; i <= moves; i++) {
    // A wavy path ending 200 px right of the start.
    const f = i / moves;
    await page.mouse.move(cx + 200 * f + 60 * Math.sin(4 * Math.PI * f), cy + 80 * Math.sin(2 * Math.PI * f), { steps });
    if (i === moves / 2) midway = await page.locator(`[data-testid="${target}"]`).getAttribute("transform");
  }
  await page.mouse.up();
  const dragMs = Date.now() - t0;
  await page.waitForTimeout(100);
  const rec = await page.evaluate(stopRecorder);
  const after = await page.locator(`[data-testid="${target}"]`).getAttribute("transform");

  // Frame intervals and per-frame work between mouse down and up (rAF timestamps only).
  const intervals = [];
  for (let i = 1; i < rec.frames.length; i++) intervals.push(rec.frames[i] - rec.frames[i - 1]);
  // Work per frame, over the frames that drew at least one pointermove: the handling of the
  // moves dispatched since the previous frame's rAF (Chromium dispatches pointermove aligned to
  // frames, just before rAF callbacks) + this frame's render.
  const work = [];
  const renders = [];
  let m = 0;
  for (let i = 0; i < rec.frames.length; i++) {
    let handlers = 0;
    let count = 0;
    while (m < rec.moves.length && rec.moves[m].at <= rec.rafAt[i]) {
      handlers += rec.moves[m++].ms;
      count++;
    }
    if (count > 0 && rec.render[i] !== undefined) {
      work.push(handlers + rec.render[i]);
      renders.push(rec.render[i]);
    }
  }
  return {
    dragged: target,
    moved_during_drag: before !== midway,
    moved_after_drop: before !== after,
    mouse_moves_sent: moves * steps,
    drag_ms: dragMs,
    pointermove_events: rec.moves.length,
    frames: rec.frames.length,
    frames_with_moves: work.length,
    frame_interval_ms: stats(intervals),
    pointermove_handler_ms: stats(rec.moves.map((x) => x.ms)),
    render_ms: stats(renders),
    work_per_frame_ms: stats(work),
    long_animation_frames: rec.loafSupported ? longFrames(rec) : "unsupported",
  };
}

// Long animation frames (> 50 ms, reported by Chromium), split into those that handled the
// press or the release (selection change, the move edit on drop) and the others.
function longFrames(rec) {
  const atPress = (f) => rec.presses.some((t) => t >= f.start - 1 && t <= f.start + f.ms + 1);
  const press = rec.loaf.filter(atPress).map((f) => f.ms);
  const other = rec.loaf.filter((f) => !atPress(f)).map((f) => f.ms);
  return {
    at_press_or_drop: { count: press.length, max_ms: press.length ? round(Math.max(...press)) : 0 },
    during_moves: { count: other.length, max_ms: other.length ? round(Math.max(...other)) : 0 },
  };
}

const browser = await launch();
const out = { browser: browser.version() };
try {
  // 1. Time to interactive, cold loads.
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const { context, errors, timing } = await openApp(browser);
    if (errors.length) fail("app.mjs", errors.join("; "));
    process.stderr.write(
      `   load ${i + 1}: ready at ${timing.tti.toFixed(0)} ms (DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, ` +
        `wasm fetched ${timing.wasmFetched?.toFixed(0)} ms; Node goto→seen ${timing.wallMs} ms)\n`,
    );
    loads.push(timing);
    await context.close();
  }
  const col = (k) => loads.map((l) => l[k]);
  out.tti = {
    loads: LOADS,
    runs_ms: col("tti").map((x) => round(x, 1)),
    median_ms: round(median(col("tti")), 1),
    dom_content_loaded_median_ms: round(median(col("domContentLoaded")), 1),
    wasm_fetched_median_ms: round(median(col("wasmFetched")), 1),
    node_wall_median_ms: median(col("wallMs")),
  };

  // 2. Drag on the default canvas (the first preset, 3 nodes), as a baseline.
  {
    const { context, page, errors } = await openApp(browser);
    const count = await page.locator('[data-testid=canvas] [data-testid^="node-"]').count();
    out.drag_default = { nodes: count, ...(await drag(page, '[data-testid=canvas] [data-testid^="node-"]', "default canvas")) };
    if (errors.length) fail("app.mjs", errors.join("; "));
    await context.close();
  }

  // 3. Drag with NODES more server nodes, added with the keyboard from the palette.
  {
    const { context, page, errors } = await openApp(browser);
    const item = page.getByTestId("palette-server");
    await item.focus();
    const t0 = Date.now();
    for (let i = 0; i < NODES; i++) {
      await page.keyboard.press("Enter");
      if ((i + 1) % 100 === 0) process.stderr.write(`   added ${i + 1} nodes (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
    const addMs = Date.now() - t0;
    const count = await page.locator('[data-testid=canvas] [data-testid^="node-"]').count();
    if (count < NODES) fail("app.mjs", `expected at least ${NODES} nodes on the canvas, found ${count}`);
    out.drag_many = { nodes: count, add_ms: addMs, ...(await drag(page, "[data-testid=node-server]", `${NODES} nodes`)) };
    if (errors.length) fail("app.mjs", errors.join("; "));
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
