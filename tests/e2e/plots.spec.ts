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
