// Runs scenario.json through the engine compiled to WebAssembly (crates/wasm-probe, the C ABI
// described in its lib.rs; the same protocol as tests/wasm/run.mjs) on the page's main thread,
// and times probe_run with performance.now().

let probe = null; // { exports, compileMs, instantiateMs }
let scenarioBytes = null;
// engine.html?wasm=NAME runs another build of the probe (bench/web.sh serves probe.wasm and,
// after wasm-opt, probe-oz.wasm).
const wasmName = new URLSearchParams(location.search).get("wasm") ?? "probe.wasm";

async function load() {
  if (probe) return probe;
  const [wasm, scenario] = await Promise.all([
    fetch(wasmName).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${wasmName}: HTTP ${r.status}`)))),
    fetch("scenario.json").then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`scenario.json: HTTP ${r.status}`)))),
  ]);
  scenarioBytes = new Uint8Array(scenario);
  const t0 = performance.now();
  const module = await WebAssembly.compile(wasm);
  const t1 = performance.now();
  // The probe should import nothing; stub any import so a call fails loudly, naming it.
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function") throw new Error(`probe imports a ${kind} ${from}.${name}`);
    (imports[from] ??= {})[name] = () => {
      throw new Error(`probe called the import ${from}.${name}`);
    };
  }
  const { exports } = await WebAssembly.instantiate(module, imports);
  probe = { exports, compileMs: t1 - t0, instantiateMs: performance.now() - t1, wasmBytes: wasm.byteLength };
  return probe;
}

// Runs once; returns timings and the report's summary. The full report text is kept in
// window.benchReport for the driver to save.
window.runBench = async (seedArg = 7) => {
  const { exports, compileMs, instantiateMs, wasmBytes } = await load();
  const { memory, probe_alloc, probe_free, probe_run, probe_result_ptr } = exports;
  const seed = BigInt(seedArg);
  const len = scenarioBytes.length;
  const t0 = performance.now();
  const ptr = probe_alloc(len) >>> 0;
  new Uint8Array(memory.buffer, ptr, len).set(scenarioBytes);
  const n = probe_run(ptr, len, Number(seed & 0xffffffffn), Number(seed >> 32n), 1) >>> 0;
  const runMs = performance.now() - t0;
  probe_free(ptr, len);
  // Memory may have grown during the run, which detaches old views: take a fresh one.
  const text = new TextDecoder("utf-8", { fatal: true }).decode(
    new Uint8Array(memory.buffer, probe_result_ptr() >>> 0, n),
  );
  if (text.startsWith("ERROR: ")) throw new Error(text);
  const report = JSON.parse(text);
  window.benchReport = text;
  return {
    runMs,
    compileMs,
    instantiateMs,
    wasmBytes,
    scenarioBytes: len,
    reportLength: n,
    offered: report.summary.offered,
    succeeded: report.summary.succeeded,
    events: report.run.events,
    memoryBytes: memory.buffer.byteLength,
  };
};

document.getElementById("go").addEventListener("click", async () => {
  const out = document.getElementById("out");
  out.textContent = "running…";
  try {
    out.textContent = JSON.stringify(await window.runBench(7), null, 1);
  } catch (e) {
    out.textContent = String(e);
  }
});
