// Safety: names typed by users are text, never markup (on the canvas, after a reload and through
// a share link); the Content-Security-Policy lets the app run without a single violation; and a
// whole session (edit, run, share, open the link, export, import) sends no request anywhere but
// the app's own origin.
import { test, expect, type Page } from '@playwright/test';
import { App } from './app';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Records CSP violations and dialogs (an executed `alert`) in the page. */
async function watch(page: Page): Promise<{ dialogs: string[] }> {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { dialogs };
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

test('a name like an HTML tag shows as text, everywhere', async ({ page, browser }) => {
  const { dialogs } = await watch(page);
  const app = new App(page);
  await app.goto();
  await app.selectNode('box');
  await app.byTestId('node-name').fill(HOSTILE);
  await app.byTestId('node-name').press('Enter');
  const label = app.nodeLocator('box').locator('.node-name');
  await expect(label).toHaveText(HOSTILE);
  expect(await page.locator('img').count()).toBe(0);

  await page.reload();
  await expect(label).toHaveText(HOSTILE, { timeout: 30_000 });
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  const other = await browser.newContext();
  const page2 = await other.newPage();
  const app2 = new App(page2);
  await page2.goto(link);
  await expect(app2.nodeLocator('box').locator('.node-name')).toHaveText(HOSTILE, { timeout: 30_000 });
  expect(await page2.locator('img').count()).toBe(0);
  await other.close();

  expect(dialogs).toEqual([]);
  expect(await violations(page)).toEqual([]);
  app.expectNoErrors();
});

test('the page has a Content-Security-Policy that forbids inline scripts, and the app runs under it', async ({ page }) => {
  await watch(page);
  const app = new App(page);
  await app.goto();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("connect-src 'self'");
  // An inline script injected now is blocked: the policy is really in force.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.appendChild(s);
  });
  expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
  expect((await violations(page)).some((v) => v.startsWith('script-src'))).toBe(true);
  await app.loadPreset('05');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(0);
});

test('a whole session sends no request beyond the app\'s own origin', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL ?? 'http://127.0.0.1:8137').origin;
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await watch(page);
  const app = new App(page);
  await app.goto();
  const loaded = requests.length;
  expect(loaded).toBeGreaterThan(0);

  // Edit, run, pin, run again, share and open the link, export and import, save pictures.
  await app.loadPreset('04');
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');
  await app.dragFromPalette('cache', box.width * 0.5, box.height * 0.85);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await app.byTestId('pin').click();
  await app.run();
  await app.waitForRunDone();
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  const exported = await app.download('export-json');
  await app.download('export-series-csv');
  await app.download('chart-throughput-png');
  await app.download('export-canvas-png');
  await app.importFile('again.json', exported.bytes);
  await app.byTestId('undo').click();
  const page2 = await context.newPage();
  const app2 = new App(page2);
  await page2.goto(link);
  await expect(app2.nodeLocator('cache')).toBeVisible({ timeout: 30_000 });

  const elsewhere = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(elsewhere, 'requests that left the app\'s origin').toEqual([]);
  // After the page has loaded, only the second tab's own load goes to the server.
  const after = requests.slice(loaded).filter((u) => u.startsWith(origin + '/'));
  for (const u of after) expect(new URL(u).pathname).toMatch(/^\/($|boot\.js$|scaleplay-app-[0-9a-f]+(_bg\.wasm|\.js)$|main-[0-9a-f]+\.css$)/);
  expect(await violations(page)).toEqual([]);
  app.expectNoErrors();
});
