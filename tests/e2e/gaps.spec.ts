// Windows with nothing to show: at half a request a second, many one-second windows see no
// request end at all. Such a window has no availability and no latency, so the availability
// plot breaks there as the latency plot does (the report's series holds availability 1 and
// 0 ms for it), the selected client's plots break too, and the series CSV leaves those cells
// empty rather than writing 0 ms and 100 %. A window in which every request failed (preset 1's
// outage) is still 0 %, drawn and written.
import { test, expect } from '@playwright/test';
import { App } from './app';

/** Runs of consecutive true values in `xs`: how many gaps a plot breaks at. */
function runsOf(xs: boolean[]): number {
  return xs.filter((x, i) => x && (i === 0 || !xs[i - 1])).length;
}

/** What the node plot drew, from its canvas's data attributes. */
async function nodeChart(app: App, series: string): Promise<{ points: number; runs: number; min: number; max: number }> {
  await app.byTestId('node-chart-series').selectOption(series);
  const el = app.byTestId('node-chart');
  await expect(el).toHaveAttribute('data-series', series);
  return el.evaluate((c) => ({
    points: Number(c.getAttribute('data-points')),
    runs: Number(c.getAttribute('data-runs')),
    min: Number(c.getAttribute('data-min')),
    max: Number(c.getAttribute('data-max')),
  }));
}

test('a window in which nothing was answered is a gap in the plots and an empty cell in the CSV', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('users');
  await app.setParam('rps', 0.5);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  const csv = (await app.download('export-series-csv')).bytes.toString('utf8').trimEnd().split('\r\n');
  const header = csv[0].split(',');
  const rows = csv.slice(1).map((r) => r.split(','));
  expect(rows.length).toBe(120);
  const cell = (r: string[], name: string) => r[header.indexOf(name)];
  const latencies = ['p50_ms', 'p95_ms', 'p99_ms', 'mean_ms'];
  const quiet = rows.map((r) => Number(cell(r, 'throughput_rps')) === 0 && Number(cell(r, 'error_rps')) === 0);
  const failing = rows.map((r) => Number(cell(r, 'throughput_rps')) === 0 && Number(cell(r, 'error_rps')) > 0);
  // Both kinds of window happen: quiet ones all run long, failing ones in the outage (60–75 s).
  expect(quiet.filter(Boolean).length).toBeGreaterThan(10);
  expect(failing.filter(Boolean).length).toBeGreaterThan(0);
  rows.forEach((r, i) => {
    // Rates are figures in every window (no request is a rate of 0).
    for (const rate of ['offered_rps', 'throughput_rps', 'error_rps']) expect(cell(r, rate), `${rate} at ${r[0]} s`).not.toBe('');
    if (quiet[i]) {
      expect(cell(r, 'availability'), `availability at ${r[0]} s`).toBe('');
      for (const l of latencies) expect(cell(r, l), `${l} at ${r[0]} s`).toBe('');
    } else if (failing[i]) {
      expect(cell(r, 'availability'), `availability at ${r[0]} s`).toBe('0');
      for (const l of latencies) expect(cell(r, l), `${l} at ${r[0]} s`).toBe('');
    } else {
      expect(Number(cell(r, 'availability'))).toBeGreaterThan(0);
      for (const l of latencies) expect(Number(cell(r, l)), `${l} at ${r[0]} s`).toBeGreaterThan(0);
    }
  });

  // The availability plot breaks at every stretch of quiet windows, and still shows the
  // outage's 0 %: the same values as the CSV's cells.
  const availability = await app.chart('availability');
  expect(availability.points).toBe(120);
  expect(availability.gaps).toBe(runsOf(quiet));
  const shown = rows.filter((_, i) => !quiet[i]).map((r) => Number(cell(r, 'availability')) * 100);
  expect(availability.min).toBeCloseTo(Math.min(...shown), 2);
  expect(availability.max).toBeCloseTo(Math.max(...shown), 2);
  expect(availability.min).toBe(0);
  if (quiet[quiet.length - 1]) expect(availability.last).toBeNaN();
  // The latency plot breaks wherever nothing succeeded, as before.
  const latency = await app.chart('latency');
  expect(latency.gaps).toBe(runsOf(quiet.map((q, i) => q || failing[i])));

  // The client's own plots (its users' availability and p99) break in the same windows.
  await app.selectNode('users');
  const answered = quiet.filter((q) => !q).length;
  const users = await nodeChart(app, 'availability');
  expect(users.points).toBe(answered);
  expect(users.runs).toBeGreaterThan(1);
  expect(users.min).toBe(0);
  const p99 = await nodeChart(app, 'p99');
  expect(p99.points).toBe(rows.filter((r) => cell(r, 'p99_ms') !== '').length);
  expect(p99.min).toBeGreaterThan(0);

  // Per node: a DNS has no workers, so no utilization or backlog (not 0).
  const nodes = (await app.download('export-nodes-csv')).bytes.toString('utf8').trimEnd().split('\r\n');
  const nodeHeader = nodes[0].split(',');
  const dns = nodes.find((r) => r.startsWith('dns,'))!.split(',');
  expect(dns[nodeHeader.indexOf('utilization')]).toBe('');
  expect(dns[nodeHeader.indexOf('mean_backlog')]).toBe('');
  const box = nodes.find((r) => r.startsWith('box,'))!.split(',');
  expect(Number(box[nodeHeader.indexOf('utilization')])).toBeGreaterThan(0);
  expect(Number(box[nodeHeader.indexOf('latency_p99_ms')])).toBeGreaterThan(0);
  app.expectNoErrors();
});
