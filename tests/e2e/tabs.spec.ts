// Autosave with several tabs open: each tab keeps its own work. A reload of a tab restores that
// tab's scenario (not the one another tab saved last), a brand-new tab opens the most recently
// saved work, work saved by an earlier version under `scaleplay.autosave.v1` still opens, a
// duplicated tab goes its own way once both are edited, and closed tabs' copies do not pile
// up in the browser's storage.
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { App, PRESET_NODES } from './app';

/** A new tab of the same browser, with the app open in it. */
async function newTab(context: BrowserContext): Promise<{ page: Page; app: App }> {
  const page = await context.newPage();
  const app = new App(page);
  await app.goto();
  return { page, app };
}

/** Renames node `id` from the inspector, as a person does. */
async function rename(app: App, id: string, name: string): Promise<void> {
  await app.selectNode(id);
  await app.byTestId('node-name').fill(name);
  await app.byTestId('node-name').press('Enter');
  await expect(app.nodeLocator(id).locator('.node-name')).toHaveText(name);
}

/** The name shown on node `id`. */
function nameOf(app: App, id: string) {
  return app.nodeLocator(id).locator('.node-name');
}

/** Reloads the tab and waits until the app has drawn what it opened. */
async function reload(app: App): Promise<void> {
  await app.page.reload();
  await expect(app.canvas).toBeVisible({ timeout: 30_000 });
  await expect(app.nodes.first()).toBeVisible({ timeout: 30_000 });
}

/** The keys of the tabs' autosaved copies in local storage. */
async function copies(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('scaleplay.autosave.v1.')));
}

test('two tabs each keep their own work across reloads, and a new tab opens the latest', async ({ context }) => {
  const a = await newTab(context);
  await a.app.loadPreset('03');
  await rename(a.app, 'web1', 'Work of tab A');

  // A brand-new tab opens the most recently saved work: tab A's.
  const b = await newTab(context);
  expect(await b.app.nodeIds()).toEqual(PRESET_NODES['03']);
  await expect(nameOf(b.app, 'web1')).toHaveText('Work of tab A');
  // Then it goes its own way, and A keeps working too; B saves last.
  await b.app.loadPreset('05');
  await rename(b.app, 'web', 'Work of tab B');
  await rename(a.app, 'web2', 'More of tab A');
  await rename(b.app, 'db', 'Data of tab B');

  // Each reload brings back that tab's own work, whatever the other saved after it.
  await reload(a.app);
  expect(await a.app.nodeIds()).toEqual(PRESET_NODES['03']);
  await expect(nameOf(a.app, 'web1')).toHaveText('Work of tab A');
  await expect(nameOf(a.app, 'web2')).toHaveText('More of tab A');
  await reload(b.app);
  expect(await b.app.nodeIds()).toEqual(PRESET_NODES['05']);
  await expect(nameOf(b.app, 'db')).toHaveText('Data of tab B');
  // Reloading changed nothing: a third tab opens the work saved last, tab B's.
  const c = await newTab(context);
  expect(await c.app.nodeIds()).toEqual(PRESET_NODES['05']);
  await expect(nameOf(c.app, 'db')).toHaveText('Data of tab B');
  await expect(a.app.banner).toHaveCount(0);
  await expect(b.app.banner).toHaveCount(0);
  for (const t of [a, b, c]) t.app.expectNoErrors();
});

test('work saved by an earlier version under the old key opens in a new tab', async ({ context }) => {
  const first = await newTab(context);
  await first.app.loadPreset('04');
  await rename(first.app, 'web', 'Saved long ago');
  // What an earlier version left: that scenario under `scaleplay.autosave.v1`, nothing else.
  const text = await first.page.evaluate((k) => localStorage.getItem(k), await first.app.savedKey());
  expect(text).not.toBeNull();
  await first.page.evaluate((saved) => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('scaleplay.')) localStorage.removeItem(k);
    localStorage.setItem('scaleplay.autosave.v1', saved);
  }, text!);
  await first.page.close();

  const tab = await newTab(context);
  expect(await tab.app.nodeIds()).toEqual(PRESET_NODES['04']);
  await expect(nameOf(tab.app, 'web')).toHaveText('Saved long ago');
  await expect(tab.app.banner).toHaveCount(0);
  // From now on the tab saves under its own key, and a reload keeps its edits.
  await rename(tab.app, 'lb', 'Front door');
  expect((await tab.app.savedScenario()).nodes.find((n: { id: string }) => n.id === 'lb').name).toBe('Front door');
  await reload(tab.app);
  await expect(nameOf(tab.app, 'lb')).toHaveText('Front door');
  await expect(nameOf(tab.app, 'web')).toHaveText('Saved long ago');
  tab.app.expectNoErrors();
});

test('a duplicated tab opens the same work, then each keeps its own', async ({ context }) => {
  const original = await newTab(context);
  await original.app.loadPreset('02');
  await rename(original.app, 'web', 'Original');
  // Duplicating a tab copies its session storage, and with it the name of its autosave; the
  // browser does that itself, the test does it by hand before the page's first load.
  const tabName = await original.page.evaluate(() => sessionStorage.getItem('scaleplay.autosave.tab'));
  const twinPage = await context.newPage();
  await twinPage.addInitScript((name) => {
    if (!sessionStorage.getItem('duplicated')) {
      sessionStorage.setItem('duplicated', 'yes');
      sessionStorage.setItem('scaleplay.autosave.tab', name!);
    }
  }, tabName);
  const twin = new App(twinPage);
  await twin.goto();
  expect(await twin.nodeIds()).toEqual(PRESET_NODES['02']);
  await expect(nameOf(twin, 'web')).toHaveText('Original');
  // Both edit: each keeps its own.
  await rename(twin, 'web', 'Twin');
  await rename(original.app, 'db', 'Original data');
  await reload(original.app);
  await expect(nameOf(original.app, 'web')).toHaveText('Original');
  await expect(nameOf(original.app, 'db')).toHaveText('Original data');
  await reload(twin);
  await expect(nameOf(twin, 'web')).toHaveText('Twin');
  await expect(nameOf(twin, 'db')).not.toHaveText('Original data');
  original.app.expectNoErrors();
  twin.expectNoErrors();
});

test('a duplicate that saves first and closes leaves the original its own work', async ({ context }) => {
  const original = await newTab(context);
  await original.app.loadPreset('04');
  await rename(original.app, 'web', 'Original');
  // A page opened by `window.open` gets a copy of its opener's session storage, as a
  // duplicated tab does.
  const [twinPage] = await Promise.all([
    context.waitForEvent('page'),
    original.page.evaluate(() => window.open(location.href)),
  ]);
  const twin = new App(twinPage);
  await expect(twin.nodes.first()).toBeVisible({ timeout: 30_000 });
  await expect(nameOf(twin, 'web')).toHaveText('Original');
  // The twin edits first and is closed; the original, not edited since, is reloaded. It used
  // to open the twin's work: the twin had kept the original's key, and the original's work
  // was gone from storage.
  await rename(twin, 'web', 'Twin');
  await twinPage.close();
  await reload(original.app);
  await expect(nameOf(original.app, 'web')).toHaveText('Original');
  // The twin's work is kept too, as a copy of its own.
  const saved = await original.page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('scaleplay.autosave.v1.'))
      .map((k) => JSON.parse(localStorage.getItem(k)!).nodes.find((n: { id: string }) => n.id === 'web')?.name),
  );
  expect(saved.sort()).toEqual(['Original', 'Twin']);
  original.app.expectNoErrors();
});

test("closed tabs' copies do not pile up in the browser's storage", async ({ context }) => {
  test.setTimeout(120_000);
  // Twelve tabs opened and closed one after another, each saving work of its own.
  for (let i = 0; i < 12; i++) {
    const t = await newTab(context);
    await rename(t.app, 'box', `Tab ${i}`);
    await t.app.savedKey();
    await t.page.close();
  }
  const last = await newTab(context);
  // The newest work opens; only the few most recent copies are kept (see src/storage.rs).
  await expect(nameOf(last.app, 'box')).toHaveText('Tab 11');
  await last.app.savedKey();
  const kept = await copies(last.page);
  expect(kept.length).toBeGreaterThan(1);
  expect(kept.length).toBeLessThanOrEqual(8);
  // Each with its time beside it, and nothing else left behind.
  const times = await last.page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('scaleplay.autosave.when.')),
  );
  expect(times.length).toBe(kept.length);
  last.app.expectNoErrors();
});
