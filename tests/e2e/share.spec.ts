// Share links: the scenario travels in the URL fragment; opening the link elsewhere restores it
// and reproduces the run; a broken or hostile link says what is wrong and the app keeps working.
import { test, expect } from '@playwright/test';
import { App, PRESET_NODES } from './app';

test('a shared link opens the same scenario and reproduces the run in a fresh browser', async ({ page, browser }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  expect(link).toContain('#s=2.');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const mine = await app.summary();

  const other = await browser.newContext();
  const page2 = await other.newPage();
  const app2 = new App(page2);
  await page2.goto(link);
  for (const id of ['users', 'dns', 'lb', 'web1', 'web2', 'web3', 'db']) {
    await expect(app2.nodeLocator(id)).toBeVisible();
  }
  await expect(app2.byTestId('error-banner')).toHaveCount(0);
  await app2.setSpeed('max');
  await app2.run();
  await app2.waitForRunDone();
  expect(await app2.summary()).toEqual(mine);
  await other.close();
});

test('a truncated or hostile link shows a banner and the app keeps the previous work', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  for (const bad of [link.slice(0, link.length - 25), link.replace('#s=2.', '#s=7.'), '/#s=2.' + 'A'.repeat(300 * 1024)]) {
    await page.goto('about:blank');
    await page.goto(bad);
    await expect(app.byTestId('error-banner')).toBeVisible({ timeout: 30_000 });
    await expect(app.byTestId('error-banner')).toContainText('Opening your previous work instead');
    // The previous (autosaved) work, preset 05, not the default scenario.
    await expect(app.nodes).toHaveCount(PRESET_NODES['05'].length);
    expect(await app.nodeIds()).toEqual(PRESET_NODES['05']);
    await expect(app.runButton).toBeEnabled();
    // Said once: the broken link leaves the address bar, so a reload does not say it again.
    expect(new URL(page.url()).hash).toBe('');
  }
  await page.reload();
  await expect(app.nodes).toHaveCount(PRESET_NODES['05'].length);
  await expect(app.byTestId('error-banner')).toHaveCount(0);
  // Pasted into the open app's address bar, a broken link goes too, the scenario unchanged.
  await page.evaluate((f) => { window.location.hash = f; }, link.slice(link.indexOf('#'), link.length - 25));
  await expect(app.byTestId('error-banner')).toContainText('Your scenario is unchanged');
  await expect.poll(() => new URL(page.url()).hash).toBe('');
  expect(await app.nodeIds()).toEqual(PRESET_NODES['05']);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(0);
});

test('the share link opens under the run bar without moving it, and closes', async ({ page }) => {
  // At the default 1280 px width, the bar keeps one line with the link shown.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  const bar = page.locator('header.runbar');
  const before = await bar.boundingBox();
  await app.byTestId('share').click();
  const popover = app.byTestId('share-popover');
  await expect(popover).toBeVisible();
  expect(await bar.boundingBox()).toEqual(before);
  // The link is focused and selected, ready for Ctrl+C; the status says what became of it.
  await expect(app.byTestId('share-link')).toBeFocused();
  const selected = await app.byTestId('share-link').evaluate((el: HTMLInputElement) =>
    el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0));
  expect(selected).toContain('#s=2.');
  expect(selected).toEqual(await app.byTestId('share-link').inputValue());
  await expect(app.byTestId('share-status')).toContainText('exact scenario and seed');
  // Escape closes it; so does its button.
  await page.keyboard.press('Escape');
  await expect(popover).toHaveCount(0);
  await app.byTestId('share').click();
  await app.byTestId('share-close').click();
  await expect(popover).toHaveCount(0);
  // An edit makes a shown link stale, so it goes.
  await app.byTestId('share').click();
  await expect(popover).toBeVisible();
  await app.byTestId('setting-seed').fill('99');
  await app.byTestId('setting-seed').press('Enter');
  await expect(popover).toHaveCount(0);
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(app.byTestId('setting-seed')).toHaveValue('99');
});

test('without a clipboard (a page served over plain http) Share still shows the link', async ({ page }) => {
  // Browsers leave navigator.clipboard undefined outside a secure context.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  const app = new App(page);
  await app.goto();
  await app.byTestId('share').click();
  await expect(app.byTestId('share-popover')).toBeVisible();
  await expect(app.byTestId('share-status')).toContainText('did not allow copying');
  expect(await app.byTestId('share-link').inputValue()).toContain('#s=2.');
  app.expectNoErrors();
});

test('a link pasted into the address bar of the open app replaces the scenario, ends the old run and fits the view', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('10');
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  const fragment = link.slice(link.indexOf('#'));
  await app.loadPreset('01');
  // (Zoom in goes off at the largest zoom.)
  for (let i = 0; i < 6 && (await app.byTestId('zoom-in').isEnabled()); i++) await app.byTestId('zoom-in').click();
  await app.setSpeed('1');
  await app.run();
  await expect(app.pauseButton).toBeEnabled();

  // What pasting the link and pressing Enter does: only the fragment changes, no reload.
  await page.evaluate((f) => { window.location.hash = f; }, fragment);
  await expect(app.nodes).toHaveCount(PRESET_NODES['10'].length);
  expect(await app.nodeIds()).toEqual(PRESET_NODES['10']);
  // The run of the old scenario is gone, and every new node is in view.
  await expect(app.pauseButton).toBeDisabled();
  await expect(app.runButton).toHaveText('Run');
  expect(await app.progress()).toBe(0);
  await app.expectAllNodesInView();
  // One Undo brings back what the link replaced.
  await app.byTestId('undo').click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['01']);
  app.expectNoErrors();
});

test('a scenario too large for a link gets a message to export it instead, not a link', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  // 1,000 nodes with long names of random letters and 10,000 calls: a file the app opens,
  // whose link would be over the 256 KB the app accepts.
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rnd() * letters.length)]).join('');
  const nodes = Array.from({ length: 1000 }, (_, i) => ({
    id: `n${i}`,
    kind: 'server',
    name: word(200),
    x: rnd() * 5000,
    y: rnd() * 5000,
    params: { service_ms: rnd() * 100, workers: Math.floor(rnd() * 1e6) },
  }));
  const edges = Array.from({ length: 10000 }, () => ({
    from: `n${Math.floor(rnd() * 1000)}`,
    to: `n${Math.floor(rnd() * 1000)}`,
    latency_ms: rnd() * 100,
  }));
  await app.importFile('big.json', JSON.stringify({ version: 1, name: 'Big', nodes, edges }));
  await expect(app.nodes).toHaveCount(1000, { timeout: 30_000 });
  await app.byTestId('share').click();
  await expect(app.banner).toContainText('too large for a link');
  await expect(app.banner).toContainText('Export JSON');
  await expect(app.byTestId('share-popover')).toHaveCount(0);
  app.expectNoErrors();
});
