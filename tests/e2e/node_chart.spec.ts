// A node's figures over time: after a run, the inspector plots the selected node's utilization,
// backlog and its kind's own series, chosen from a menu. Preset 5's cache fails at 70 s and comes
// back empty at 80 s: its hit-ratio plot leaves out the windows without lookups and starts low
// after the recovery. The main plots are named for screen readers, and the availability plot
// zooms to what it shows.
import { test, expect } from '@playwright/test';
import { App } from './app';

/** What the node plot drew last, from its canvas's data attributes. */
async function nodeChart(app: App): Promise<{ series: string; points: number; min: number; max: number }> {
  const el = app.byTestId('node-chart');
  await expect(el).toHaveAttribute('data-points', /\d+/);
  return el.evaluate((c) => ({
    series: c.getAttribute('data-series') ?? '',
    points: Number(c.getAttribute('data-points')),
    min: Number(c.getAttribute('data-min')),
    max: Number(c.getAttribute('data-max')),
  }));
}

test("a node's series are plotted in the inspector after a run", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.setSpeed('max');

  // Before any run there is nothing to plot.
  await app.selectNode('cache');
  await expect(app.byTestId('node-chart')).toHaveCount(0);

  await app.run();
  await app.waitForRunDone();
  const windows = (await app.chart('throughput')).points;
  expect(windows).toBe(120);

  // Utilization first: one point per window, a share in %.
  const series = app.byTestId('node-chart-series');
  await expect(series).toHaveValue('utilization');
  const util = await nodeChart(app);
  expect(util).toMatchObject({ series: 'utilization', points: windows });
  expect(util.min).toBeGreaterThanOrEqual(0);
  expect(util.max).toBeLessThanOrEqual(100);

  // A cache offers its hit ratio; the ten windows of the outage have no lookups.
  const options = await series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toEqual(['utilization', 'backlog', 'hit_ratio']);
  await series.selectOption('hit_ratio');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'hit_ratio');
  const hits = await nodeChart(app);
  expect(hits.points).toBe(windows - 10);
  // A cold cache after the recovery: far below the steady hit ratio.
  expect(hits.max - hits.min).toBeGreaterThan(20);
  await expect(app.byTestId('node-chart')).toHaveAttribute('aria-label', /hit ratio/);

  // The figures table has the mean backlog too.
  await expect(app.byTestId('metric-backlog').locator('td')).toHaveText(/^\d+\.\d\d$/);

  // Another node: its own menu, back on utilization.
  await app.selectNode('db');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'utilization');
  await expect(app.byTestId('node-chart-series').locator('option')).toHaveCount(2);

  // The main plots are images with names; the availability axis is zoomed, not 0–100 %.
  await expect(page.getByRole('img', { name: /^Availability over time/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Throughput over time/ })).toBeVisible();
  const availability = app.chartLocator('availability');
  const yMin = Number(await availability.getAttribute('data-y-min'));
  const lowest = (await app.chart('availability')).min;
  expect([0, 50, 90, 99]).toContain(yMin);
  expect(yMin).toBeLessThanOrEqual(lowest);
  app.expectNoErrors();
});
