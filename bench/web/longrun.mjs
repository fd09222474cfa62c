// A long run in the built app (dist/, served by bench/web.sh), as a person would do it: import a
// scenario whose duration_s is stretched to DURATION_S (so its series have one point a second
// for that long), pick speed "max", press Run and wait for the end. Prints one JSON object:
// the wall time of the run, the simulated seconds per real second, and the long animation frames
// (> 50 ms, reported by Chromium) while it ran: how often, how long in all, the longest. The
// app refreshes its report and redraws its plots a few times a second during a run; this shows
// whether that keeps the page responsive when the series are long.
//
// With NODE, that node is selected first, so its own plot (in the inspector) is redrawn too.
//
//   node bench/web/longrun.mjs BASE_URL SCENARIO_FILE DURATION_S [NODE]
import { readFileSync } from "node:fs";
import { launch, median, fail } from "./browser.mjs";

const [base, file, durationArg, node] = process.argv.slice(2);
if (!base || !file || !durationArg) fail("longrun.mjs", "usage: node longrun.mjs BASE_URL SCENARIO_FILE DURATION_S");
const scenario = JSON.parse(readFileSync(file, "utf8"));
scenario.duration_s = Number(durationArg);

function watchFrames() {
  window.__loaf = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__loaf.push(e.duration);
  }).observe({ type: "long-animation-frame" });
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("crash", () => fail("longrun.mjs", "the page crashed"));
  await page.goto(`${base}/`);
  await page.getByTestId("run").waitFor({ state: "visible", timeout: 60_000 });
  await page.getByTestId("import-file").setInputFiles({
    name: "long.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.waitForFunction(
    (d) => document.querySelector("[data-testid=setting-duration]")?.value === String(d),
    scenario.duration_s,
    { timeout: 30_000 },
  );
  if (node) {
    await page.getByTestId(`node-${node}`).click();
    await page.getByTestId("node-name").waitFor({ state: "visible" });
  }
  await page.getByTestId("speed").selectOption("0");
  await page.evaluate(watchFrames);
  const t0 = Date.now();
  await page.getByTestId("run").click();
  const progress = setInterval(async () => {
    const p = await page.getByTestId("progress").evaluate((el) => el.value).catch(() => NaN);
    process.stderr.write(`   ${((Date.now() - t0) / 1000).toFixed(0)} s: progress ${(100 * p).toFixed(1)} %\n`);
  }, 10_000);
  await page.waitForFunction(
    () => {
      const progress = document.querySelector("[data-testid=progress]");
      const pause = document.querySelector("[data-testid=pause]");
      return progress && progress.value >= 0.999 && pause && pause.disabled;
    },
    null,
    { timeout: 1_800_000, polling: 200 },
  );
  clearInterval(progress);
  const wallS = (Date.now() - t0) / 1000;
  const loaf = await page.evaluate(() => window.__loaf);
  const points = await page.getByTestId("chart-throughput").getAttribute("data-points");
  const nodePoints = node ? await page.getByTestId("node-chart").getAttribute("data-points") : null;
  if (node && nodePoints !== points) fail("longrun.mjs", `the node plot has ${nodePoints} points, not ${points}`);
  if (errors.length) fail("longrun.mjs", errors.join("; "));
  const total = loaf.reduce((a, b) => a + b, 0);
  process.stderr.write(
    `   ${scenario.duration_s} s (${points} points${node ? `, ${node} selected` : ""}): wall ${wallS.toFixed(2)} s, ` +
      `${Math.round(scenario.duration_s / wallS)} simulated s per s; long frames ${loaf.length} ` +
      `(${(total / 1000).toFixed(2)} s in all, longest ${Math.round(loaf.length ? Math.max(...loaf) : 0)} ms)\n`,
  );
  process.stdout.write(
    JSON.stringify({
      duration_s: scenario.duration_s,
      selected: node ?? null,
      series_points: Number(points),
      wall_s: Number(wallS.toFixed(2)),
      simulated_s_per_s: Math.round(scenario.duration_s / wallS),
      long_frames: loaf.length,
      long_frames_total_s: Number((total / 1000).toFixed(2)),
      long_frames_share: Number((total / 1000 / wallS).toFixed(3)),
      long_frame_median_ms: Math.round(median(loaf)),
      long_frame_max_ms: Math.round(loaf.length ? Math.max(...loaf) : 0),
    }) + "\n",
  );
  await context.close();
} finally {
  await browser.close();
}
