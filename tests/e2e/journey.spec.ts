// A new user's first journey: build Users → Load balancer → two Servers → SQL primary from the
// palette, wire it by dragging from the ports, run it at full speed, and read the results.
import { test, expect } from '@playwright/test';
import { App, RUN_TIMEOUT } from './app';

test('build a load-balanced web tier from the palette, run it, read the results', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();

  // Drop each component at its own spot, left to right, spread over the canvas.
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');
  const col = (i: number) => box.width * (0.12 + 0.19 * i);
  const row = (share: number) => 50 + (box.height - 70) * share;
  await app.dragFromPalette('client', col(0), row(0.5));
  await app.dragFromPalette('load_balancer', col(1), row(0.5));
  await app.dragFromPalette('server', col(2), row(0.15));
  await app.dragFromPalette('server', col(2), row(0.85));
  await app.dragFromPalette('sql_primary', col(3), row(0.5));
  for (const id of ['client', 'load_balancer', 'server', 'server-2', 'sql_primary']) {
    await expect(app.nodeLocator(id)).toBeVisible();
  }

  // Until it is wired, the scenario cannot run.
  await expect(app.validation).toBeVisible();
  await expect(app.runButton).toBeDisabled();

  await app.connect('client', 'load_balancer');
  await app.connect('load_balancer', 'server');
  await app.connect('load_balancer', 'server-2');
  await app.connect('server', 'sql_primary');
  await app.connect('server-2', 'sql_primary');
  await expect(app.validation).toBeHidden();
  await expect(app.runButton).toBeEnabled();

  // Offer 50 req/s from the client instead of the default 10.
  const offered = 50;
  await app.selectNode('client');
  await app.setParam('rps', offered);

  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  for (const chart of ['throughput', 'latency', 'availability'] as const) {
    expect(await app.chartHasData(chart), `the ${chart} chart has data`).toBe(true);
  }
  const summary = await app.summary();
  expect(summary.throughput).toBeGreaterThan(offered * 0.9);
  expect(summary.throughput).toBeLessThan(offered * 1.1);
  expect(summary.availability).toBeGreaterThan(99);
  app.expectNoErrors();
});
