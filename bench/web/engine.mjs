// Drives bench/web/engine.html in headless Chromium: RUNS fresh pages, each runs the scenario
// once through the wasm probe (window.runBench). Prints one JSON object on stdout; saves the
// first run's report to REPORT_OUT so bench/web.sh can compare it with the native one.
//
//   node bench/web/engine.mjs BASE_URL RUNS SEED REPORT_OUT [WASM_NAME]
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { launch, median, fail } from "./browser.mjs";

const [base, runsArg = "3", seedArg = "7", reportOut, wasmName = "probe.wasm"] = process.argv.slice(2);
if (!base || !reportOut) fail("engine.mjs", "usage: node engine.mjs BASE_URL RUNS SEED REPORT_OUT [WASM_NAME]");

// CPU time (user + system, in clock ticks of 1/100 s) of the processes below this one (the
// browser's), all of them and the renderers only. Taken around the run, the renderer's is the
// page's main thread running the wasm (plus its few helper threads); it is less disturbed than
// wall time when other work shares the cores.
function descendantsCpuTicks() {
  const procs = [];
  for (const name of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const renderer = readFileSync(`/proc/${name}/cmdline`, "utf8").includes("--type=renderer");
      procs.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), renderer });
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) (mine.add(p.pid), (grew = true));
  }
  const below = procs.filter((p) => p.pid !== process.pid && mine.has(p.pid));
  return {
    all: below.reduce((a, p) => a + p.ticks, 0),
    renderer: below.filter((p) => p.renderer).reduce((a, p) => a + p.ticks, 0),
  };
}

const browser = await launch();
const version = browser.version();
const runs = [];
try {
  for (let i = 0; i < Number(runsArg); i++) {
    // A new context per run: a fresh page, a fresh wasm instance and memory.
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/engine.html?wasm=${encodeURIComponent(wasmName)}`, { waitUntil: "load" });
    await page.evaluate(() => new Promise((done) => setTimeout(done, 200))); // let the page settle
    const cpu0 = descendantsCpuTicks();
    const r = await page.evaluate((seed) => window.runBench(seed), seedArg).catch((e) => fail("engine.mjs", `run ${i + 1}: ${e.message}`));
    const cpu1 = descendantsCpuTicks();
    r.cpuMs = (cpu1.renderer - cpu0.renderer) * 10;
    r.browserCpuMs = (cpu1.all - cpu0.all) * 10;
    if (errors.length) fail("engine.mjs", `page errors: ${errors.join("; ")}`);
    if (i === 0) await writeFile(reportOut, await page.evaluate(() => window.benchReport));
    process.stderr.write(`   ${wasmName}${Number(runsArg) > 1 ? ` run ${i + 1}` : ""}: probe_run ${(r.runMs / 1000).toFixed(3)} s, cpu ${(r.cpuMs / 1000).toFixed(2)} s renderer / ${(r.browserCpuMs / 1000).toFixed(2)} s all browser processes (compile ${r.compileMs.toFixed(0)} ms)\n`);
    runs.push(r);
    await context.close();
  }
} finally {
  await browser.close();
}

const first = runs[0];
const consistent = runs.every((r) => r.offered === first.offered && r.succeeded === first.succeeded && r.reportLength === first.reportLength);
process.stdout.write(
  JSON.stringify({
    browser: version,
    runs_ms: runs.map((r) => r.runMs),
    median_ms: median(runs.map((r) => r.runMs)),
    cpu_ms: median(runs.map((r) => r.cpuMs)),
    browser_cpu_ms: median(runs.map((r) => r.browserCpuMs)),
    compile_ms: median(runs.map((r) => r.compileMs)),
    wasm_bytes: first.wasmBytes,
    report_length: first.reportLength,
    offered: first.offered,
    succeeded: first.succeeded,
    events: first.events,
    memory_bytes: Math.max(...runs.map((r) => r.memoryBytes)),
    runs_consistent: consistent,
  }) + "\n",
);
