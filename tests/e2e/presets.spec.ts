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
