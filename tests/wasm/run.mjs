// Runs a scenario through the engine compiled to WebAssembly (crates/wasm-probe) and prints the
// report JSON, so `cargo xtask wasm-check` can compare it byte for byte with the native CLI.
//
//   node tests/wasm/run.mjs PROBE.wasm SCENARIO.json [SEED]
//
// Node 18+, no npm packages. Exit 0 with the report on stdout; exit 1 with a message on stderr.

import { readFile } from "node:fs/promises";

function fail(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.exit(1);
}

const [wasmPath, scenarioPath, seedArg] = process.argv.slice(2);
if (!wasmPath || !scenarioPath || process.argv.length > 5) {
  fail("usage: node tests/wasm/run.mjs PROBE.wasm SCENARIO.json [SEED]");
}

// The seed is a u64; split it into two u32 halves (JS numbers can't hold all u64 values).
let seed = null;
if (seedArg !== undefined) {
  if (!/^[0-9]+$/.test(seedArg) || BigInt(seedArg) >= 1n << 64n) {
    fail(`seed must be an integer from 0 to 2^64-1, got "${seedArg}"`);
  }
  seed = BigInt(seedArg);
}

const [wasmBytes, scenarioBytes] = await Promise.all([
  readFile(wasmPath).catch((e) => fail(`cannot read ${wasmPath}: ${e.message}`)),
  readFile(scenarioPath).catch((e) => fail(`cannot read ${scenarioPath}: ${e.message}`)),
]);

const module = await WebAssembly.compile(wasmBytes);
// The probe should import nothing; if the engine ever pulls in an import, fail loudly when it is
// called rather than at instantiation, naming it.
const imports = {};
for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
  if (kind !== "function") fail(`probe imports a ${kind} ${from}.${name}; it should import nothing`);
  (imports[from] ??= {})[name] = () => {
    throw new Error(`probe called the import ${from}.${name}, which this runner does not provide`);
  };
}
const { exports } = await WebAssembly.instantiate(module, imports);
const { memory, probe_alloc, probe_free, probe_run, probe_result_ptr } = exports;

const len = scenarioBytes.length;
const ptr = probe_alloc(len) >>> 0;
new Uint8Array(memory.buffer, ptr, len).set(scenarioBytes);

let resultLen;
try {
  resultLen =
    probe_run(
      ptr,
      len,
      seed === null ? 0 : Number(seed & 0xffffffffn),
      seed === null ? 0 : Number(seed >> 32n),
      seed === null ? 0 : 1,
    ) >>> 0;
} catch (e) {
  // A Rust panic in wasm32-unknown-unknown aborts as a trap ("unreachable").
  fail(`the engine trapped while running ${scenarioPath}: ${e.message}`);
}
probe_free(ptr, len);

// Memory may have grown during the run, which detaches old views: take a fresh one.
const resultPtr = probe_result_ptr() >>> 0;
const text = new TextDecoder("utf-8", { fatal: true }).decode(
  new Uint8Array(memory.buffer, resultPtr, resultLen),
);

if (text.startsWith("ERROR: ")) fail(`${scenarioPath}: ${text.slice("ERROR: ".length)}`);
// Set the exit code rather than exiting, so a large report is fully flushed to a pipe.
process.stdout.write(text + "\n");
