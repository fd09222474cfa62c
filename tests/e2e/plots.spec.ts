// The plots' axes: the latency axis follows the lines, not an SLO far above them.
import { test, expect } from '@playwright/test';
import { App } from './app';

test('latencies far under the SLO fill the latency plot, whose legend says where the SLO is', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const fast = {
    version: 1,
    name: 'Fast',
    duration_s: 30,
    warmup_s: 5,
    slo: { p99_ms: 500 },
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 50 } },
      { id: 'web', kind: 'server', params: { workers: 4, service_ms: { dist: 'exp', mean: 1 } } },
    ],
    edges: [{ from: 'users', to: 'web', latency_ms: 0 }],
  };
  await app.importFile('fast.json', JSON.stringify(fast));
  const latency = app.chartLocator('latency');
  // Before a run there are no lines: the axis shows the SLO.
  await expect(latency).toHaveAttribute('data-slo', '500.000');
  expect(Number(await latency.getAttribute('data-y-max'))).toBeGreaterThan(500);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  // p99 of about 5 ms lay flat along zero under an axis stretched to 550 ms.
  const top = Number(await latency.getAttribute('data-y-max'));
  expect(top).toBeGreaterThan(2);
  expect(top).toBeLessThan(60);
  await expect(latency).toHaveAttribute('data-slo', '500.000');
  // An SLO the lines come near sets the axis as before: 10 ms.
  const slo = app.byTestId('scenario-slo-p99');
  await slo.fill('10');
  await slo.press('Enter');
  await app.run();
  await app.waitForRunDone();
  await expect(latency).toHaveAttribute('data-slo', '10.000');
  expect(Number(await latency.getAttribute('data-y-max'))).toBeGreaterThanOrEqual(11);
  app.expectNoErrors();
});

// A plot is a picture: its figures are also a table, for a screen reader and for exact numbers.
test("a plot's figures open as a table, a row per window, with an outage's window in it", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const outage = {
    version: 1,
    name: 'Outage',
    duration_s: 20,
    warmup_s: 0,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 100 } },
      { id: 'web', kind: 'server', params: { workers: 8, service_ms: { dist: 'exp', mean: 10 } } },
    ],
    edges: [{ from: 'users', to: 'web', latency_ms: 0 }],
    faults: [
      { at_s: 5, node: 'web', action: 'fail' },
      { at_s: 8, node: 'web', action: 'recover' },
    ],
  };
  await app.importFile('outage.json', JSON.stringify(outage));
  const toggle = app.byTestId('chart-availability-table-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');

  await expect(toggle).toHaveAccessibleName("The availability plot's figures as a table");
  // Before a run: says so, from the keyboard as by a click.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(app.byTestId('chart-availability-table')).toContainText('No run yet');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const table = app.byTestId('chart-availability-table');
  await expect(table.locator('thead th')).toHaveText(['time (s)', 'availability (%)']);
  // 20 windows of 1 s: a row each, each window's end as its time.
  await expect(table.locator('tbody tr')).toHaveCount(20);
  await expect(table.locator('tbody tr').first().locator('th')).toHaveText('1');
  await expect(table.locator('caption')).toContainText('one row per window');
  // Before the outage every request succeeded; during it, none did.
  await expect(table.locator('tbody tr').nth(2).locator('td')).toHaveText('100');
  await expect(table.locator('tbody tr').nth(6).locator('td')).toHaveText('0');
  // The throughput table has the failures' cause as a column, and only that one.
  const band = page.locator('.plots');
  const plotBox = page.locator('.chart-box').filter({ has: app.byTestId('chart-throughput') });
  const [bandBefore, plotBefore] = [await band.boundingBox(), await plotBox.boundingBox()];
  await app.byTestId('chart-throughput-table-toggle').click();
  await expect(app.byTestId('chart-throughput-table').locator('thead th')).toHaveText([
    'time (s)', 'offered (req/s)', 'ok (req/s)', 'down (req/s)',
  ]);
  await expect(app.byTestId('chart-throughput-table-toggle')).toHaveAttribute('title', 'Back to the plot');
  // In the plot's place: neither the band nor the plot changes size (the drawing above keeps
  // its height, the plots beside keep theirs).
  expect(await band.boundingBox()).toEqual(bandBefore);
  expect(await plotBox.boundingBox()).toEqual(plotBefore);
  // Closed again, it is gone.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(app.byTestId('chart-availability-table')).toHaveCount(0);
  app.expectNoErrors();
});
