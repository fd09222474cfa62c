// Every preset loads, runs to its end at full speed and draws its plots, without a single error
// in the browser console.
import { test, expect } from '@playwright/test';
import { App, PRESETS, RUN_TIMEOUT } from './app';

for (const nn of PRESETS) {
  test(`preset ${nn} loads, runs to the end and draws its plots`, async ({ page }) => {
    test.setTimeout(RUN_TIMEOUT + 60_000);
    const app = new App(page);
    await app.goto();
    // Every node of the preset appears (loadPreset waits for each one).
    await app.loadPreset(nn);
    await expect(app.validation).toBeHidden();

    await app.setSpeed('max');
    await app.run();
    await app.waitForRunDone();

    for (const chart of ['throughput', 'latency', 'availability'] as const) {
      const drawn = await app.chart(chart);
      expect(drawn.points, `points on the ${chart} plot`).toBeGreaterThan(0);
    }
    const summary = await app.summary();
    expect(summary.throughput, 'summary throughput').toBeGreaterThan(0);
    expect(summary.availability, 'summary availability').toBeGreaterThan(0);
    app.expectNoErrors();
  });
}

test('a menu closes with Escape, and opening one closes the other', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const presets = app.byTestId('preset-menu');
  const file = app.byTestId('file-menu');
  await presets.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(presets).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await expect(presets).not.toHaveAttribute('open', '');
  await expect(presets.locator('summary')).toBeFocused();

  await presets.locator('summary').click();
  await expect(presets).toHaveAttribute('open', '');
  await file.locator('summary').click();
  await expect(file).toHaveAttribute('open', '');
  await expect(presets, 'one menu open at a time').not.toHaveAttribute('open', '');
  app.expectNoErrors();
});

test("a preset's notes stay at hand, folded, while the learner selects what they name", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await expect(app.byTestId('notes')).toContainText('Try:');
  await expect(app.byTestId('notes-folded'), 'nothing selected: the notes in full').toHaveCount(0);

  await app.selectNode('users');
  const folded = app.byTestId('notes-folded');
  await expect(folded).toBeVisible();
  await expect(folded, 'folded at first').not.toHaveAttribute('open', '');
  await folded.locator('summary').click();
  await expect(folded.locator('.notes')).toBeVisible();
  await expect(folded.locator('.notes')).toContainText('raise users.rps');

  // The next step selects another node: the notes stay open above its panel.
  await app.selectNode('box');
  await expect(app.byTestId('notes-folded')).toHaveAttribute('open', '');
  await expect(app.byTestId('notes-folded').locator('.notes')).toBeVisible();
  await app.byTestId('notes-folded').locator('summary').click();
  await app.selectNode('users');
  await expect(app.byTestId('notes-folded'), 'closed stays closed').not.toHaveAttribute('open', '');
  app.expectNoErrors();
});

test("a shard router's panel shows how its shards shared the work (preset 09: the hot shard)", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('09');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await app.selectNode('router');
  const shares = app.byTestId('metric-shares');
  await expect(shares).toContainText('share by shard');
  const text = (await shares.locator('td').textContent()) ?? '';
  const percents = [...text.matchAll(/(\d+) %/g)].map((m) => Number(m[1]));
  expect(percents.length, text).toBe(4);
  expect(percents[0], `shard 1 takes most of the queries: ${text}`).toBeGreaterThan(80);
  app.expectNoErrors();
});

test("an autoscaled tier's box counts its instances as the run goes, and its settings again after Reset", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('06');
  const kind = app.nodeLocator('web').locator('.node-kind');
  await expect(kind).toHaveText('Server ×3');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await app.selectNode('web');
  const now = Number(await app.byTestId('metric-instances').locator('td').textContent());
  expect(now, 'preset 06 scales its web tier out').toBeGreaterThan(3);
  await expect(kind).toHaveText(`Server ×${now}`);
  await app.byTestId('reset').click();
  await expect(kind).toHaveText('Server ×3');
  app.expectNoErrors();
});
