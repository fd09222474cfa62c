// Compare runs: pin a run; the next run's plots show the pinned one as a faded line, and the
// summary shows both figures with the difference. A run in its warm-up has no figures to pin.
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

  // Same scenario, so no word about it; another preset's run is compared with it, named.
  await expect(app.byTestId('pinned-from')).toHaveCount(0);
  await app.loadPreset('01');
  await expect(app.byTestId('pinned-from')).toContainText('another scenario');

  await app.byTestId('unpin').click();
  await expect(app.byTestId('pinned-from')).toHaveCount(0);
  await expect(app.byTestId('summary-throughput-pinned')).toHaveCount(0);
  await expect(app.chartLocator('throughput')).toHaveAttribute('data-pinned-points', '0');
  app.expectNoErrors();
});

test('an edit after a run is flagged until the next run, and undoing it clears the flag', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const stale = app.byTestId('run-stale');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await expect(stale).toHaveCount(0);

  // Moving a node changes nothing the run simulates.
  const before = await app.nodePosition('users');
  const node = app.nodeLocator('users');
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  expect(await app.nodePosition('users')).not.toEqual(before);
  await expect(stale).toHaveCount(0);

  // A parameter does: the results are now of the scenario as it was.
  await app.selectNode('users');
  const rps = Number(await app.byTestId('param-rps').inputValue());
  await app.setParam('rps', rps * 2);
  await expect(stale).toBeVisible();
  await expect(stale).toContainText('Run again to see your edits');
  await app.byTestId('undo').click();
  await expect(app.byTestId('param-rps')).toHaveValue(String(rps));
  await expect(stale).toHaveCount(0);

  await app.setParam('rps', rps * 2);
  await expect(stale).toBeVisible();
  await app.run();
  await expect(stale).toHaveCount(0);
  await app.waitForRunDone();
  await app.byTestId('reset').click();
  await app.setParam('rps', rps);
  await expect(stale, 'no run, nothing to be stale').toHaveCount(0);
  app.expectNoErrors();
});

test('a run cannot be pinned during its warm-up, when it has no figures yet', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  // 10 s of warm-up: at 1×, a pause a second in is well inside it.
  await app.loadPreset('01');
  await app.setSpeed('1');
  await app.run();
  await app.pauseButton.click();
  await expect(app.byTestId('summary-span')).toHaveText('Warming up: the figures start at 10 s');
  await expect(app.byTestId('pin')).toBeDisabled();
  // Once it measures, it can be pinned, and the pinned figures are real ones.
  await app.setSpeed('max');
  await app.runButton.click();
  await app.waitForRunDone();
  await expect(app.byTestId('pin')).toBeEnabled();
  await app.byTestId('pin').click();
  const throughput = Number(await app.byTestId('summary-throughput-pinned').textContent());
  expect(throughput).toBeGreaterThan(40);
  app.expectNoErrors();
});
