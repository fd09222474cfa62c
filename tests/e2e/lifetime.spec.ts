// A cache's TTL has three states and the inspector reaches all of them: a number of seconds,
// omitted (the default, 300 s) and "never expires" (an explicit null in the file). Ticking
// "never expires" stores the null, survives export, undo and reload, and a run shows what it does:
// preset 5's cache answers far more reads than with a one-second TTL.
import { test, expect } from '@playwright/test';
import { App } from './app';

/** The cache node's params in the exported scenario file. */
async function exportedCacheParams(app: App): Promise<Record<string, unknown>> {
  const exported = await app.download('export-json');
  const scenario = JSON.parse(exported.bytes.toString('utf8'));
  return scenario.nodes.find((n: { id: string }) => n.id === 'cache').params;
}

/** Runs to the end and returns the cache's hit ratio (0-1) from its figures. */
async function runAndReadHitRatio(app: App): Promise<number> {
  await app.run();
  await app.waitForRunDone();
  await app.selectNode('cache');
  const text = await app.byTestId('metric-hit_ratio').locator('td').innerText();
  const percent = Number(text.replace('%', '').trim());
  expect(percent, `hit ratio "${text}"`).not.toBeNaN();
  return percent / 100;
}

test("a cache's TTL can be set to never expire, and a run shows the difference", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.setSpeed('max');
  await app.selectNode('cache');
  const ttl = app.byTestId('param-ttl_s');
  const never = app.byTestId('param-ttl_s-never');
  await expect(ttl).toHaveValue('300');
  await expect(never).not.toBeChecked();

  // A one-second lifetime: most entries are gone before they are read again.
  await app.setParam('ttl_s', 1);
  const shortLived = await runAndReadHitRatio(app);

  // Never expires: the box stores an explicit null, the input shows what that means.
  await never.check();
  await expect(never).toBeChecked();
  await expect(ttl).toHaveValue('');
  await expect(ttl).toHaveAttribute('placeholder', 'never');
  expect(await exportedCacheParams(app)).toHaveProperty('ttl_s', null);
  const forever = await runAndReadHitRatio(app);
  expect(forever).toBeGreaterThan(shortLived + 0.1);

  // Undo takes it back to one second, redo to never; the null survives a reload (the autosave).
  await app.byTestId('undo').click();
  await expect(never).not.toBeChecked();
  await expect(ttl).toHaveValue('1');
  await app.byTestId('redo').click();
  await expect(never).toBeChecked();
  await page.reload();
  await app.selectNode('cache');
  await expect(never).toBeChecked();

  // Typing a lifetime unticks the box; unticking it drops back to the default.
  await app.setParam('ttl_s', 60);
  await expect(never).not.toBeChecked();
  expect(await exportedCacheParams(app)).toHaveProperty('ttl_s', 60);
  await never.check();
  await never.uncheck();
  await expect(ttl).toHaveValue('');
  await expect(ttl).toHaveAttribute('placeholder', '300');
  expect(await exportedCacheParams(app)).not.toHaveProperty('ttl_s');
  app.expectNoErrors();
});
