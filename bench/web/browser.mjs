// Shared by the bench/web drivers: loads playwright-core from tests/e2e/node_modules (installed
// by `cargo xtask setup`) and launches Debian's headless Chromium the way the e2e tests do.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../tests/e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

export const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

// Nearest-rank percentile (p in 0..100).
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function fail(who, message) {
  process.stderr.write(`${who}: ${message}\n`);
  process.exit(1);
}
