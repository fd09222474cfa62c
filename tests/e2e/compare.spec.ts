// Compare runs: pin a run; the next run's plots show the pinned one as a faded line, and the
// summary shows both figures with the difference.
import { test, expect } from '@playwright/test';
import { App } from './app';

test('a pinned run is compared with the next one', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  await expect(app.byTestId('pin')).toBeDisabled();
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const first = await app.summary();
  await app.byTestId('pin').click();
  await expect(app.byTestId('summary-throughput-pinned')).toHaveText(first.throughput.toFixed(1));
  await expect(app.byTestId('summary-p99-pinned')).toHaveText(first.p99.toFixed(1));

  // Half the traffic: lower throughput, and the difference says by how much.
  await app.selectNode('users');
  const rps = Number(await app.byTestId('param-rps').inputValue());
  await app.setParam('rps', rps / 2);
  await app.run();
  await app.waitForRunDone();
  const second = await app.summary();
  expect(second.throughput).toBeLessThan(first.throughput * 0.7);
  const diff = Number(await app.byTestId('summary-throughput-diff').textContent());
  expect(diff).toBeCloseTo(second.throughput - first.throughput, 0);
  expect(diff).toBeLessThan(0);
  await expect(app.byTestId('summary-throughput-pinned')).toHaveText(first.throughput.toFixed(1));
  for (const chart of ['throughput', 'latency', 'availability'] as const) {
    const el = app.chartLocator(chart);
    const pinned = Number(await el.getAttribute('data-pinned-points'));
    expect(pinned, `${chart} shows the pinned run`).toBe((await app.chart(chart)).points);
  }

  await app.byTestId('unpin').click();
  await expect(app.byTestId('summary-throughput-pinned')).toHaveCount(0);
  await expect(app.chartLocator('throughput')).toHaveAttribute('data-pinned-points', '0');
  app.expectNoErrors();
});
