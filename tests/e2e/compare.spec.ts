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

test("the plots keep the run's duration and SLO after an edit, and a paused run resumes whatever the edit", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const latency = app.chartLocator('latency');
  const duration = app.byTestId('setting-duration');
  const ranFor = await duration.inputValue();
  const slo = await app.byTestId('scenario-slo-p99').inputValue();
  await expect(latency).toHaveAttribute('data-slo', `${Number(slo).toFixed(3)}`);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const axis = await latency.getAttribute('data-t-max');
  // Edits after the run: the plots stay those of the run (they drew an 80 s run on a 200 s
  // axis, with an SLO line no alert had been raised against).
  await duration.fill(String(Number(ranFor) * 2));
  await duration.press('Enter');
  await app.byTestId('scenario-slo-p99').fill('50');
  await app.byTestId('scenario-slo-p99').press('Enter');
  await expect(app.byTestId('run-stale')).toBeVisible();
  await expect(latency).toHaveAttribute('data-t-max', axis!);
  await expect(latency).toHaveAttribute('data-slo', `${Number(slo).toFixed(3)}`);
  // Without a run, they show the scenario being edited.
  await app.byTestId('reset').click();
  await expect(latency).toHaveAttribute('data-slo', '50.000');
  await expect(latency).not.toHaveAttribute('data-t-max', axis!);

  // A paused run goes on with the scenario it started with, so a problem in the edited copy
  // does not hold it back: Resume stays enabled (it was disabled).
  await app.setSpeed('5');
  await app.run();
  await app.pauseButton.click();
  await expect(app.runButton).toHaveText('Resume');
  await app.selectNode('users');
  await app.setParam('rps', -1);
  await expect(app.byTestId('problem').first()).toBeVisible();
  await expect(app.runButton).toBeEnabled();
  const at = await app.progress();
  await app.runButton.click();
  await expect(app.pauseButton).toBeEnabled();
  await app.waitForProgress(at + 0.01, 60_000);
  // Once it ends, a new run needs the problem fixed.
  await app.pauseButton.click();
  await app.byTestId('reset').click();
  await expect(app.runButton).toBeDisabled();
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

test('a run pinned while paused says its figures cover only the part it ran', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(0.3, 60_000);
  await app.pauseButton.click();
  await app.byTestId('pin').click();
  const note = app.byTestId('pinned-partial');
  await expect(note).toContainText('The pinned run was pinned at');
  await expect(note).toContainText('of its 120 s: its figures cover that part only.');
  // A pin of a finished run is whole: no such note.
  await app.setSpeed('max');
  await app.runButton.click();
  await app.waitForRunDone();
  await app.byTestId('unpin').click();
  await app.byTestId('pin').click();
  await expect(note).toHaveCount(0);
  app.expectNoErrors();
});
