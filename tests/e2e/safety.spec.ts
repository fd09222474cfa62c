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
  // Too long for the box, the name is cut short there with an ellipsis; the node's label
  // (and tooltip) carry it whole, as text.
  const label = app.nodeLocator('box');
  await expect(label).toHaveAttribute('aria-label', `${HOSTILE}, Server, bottleneck`);
  await expect(label.locator('.node-name')).toHaveText(/^<img src=x.*…$/);
  expect(await page.locator('img').count()).toBe(0);

  await page.reload();
  await expect(label).toHaveAttribute('aria-label', `${HOSTILE}, Server, bottleneck`, { timeout: 30_000 });
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  const other = await browser.newContext();
  const page2 = await other.newPage();
  const app2 = new App(page2);
  await page2.goto(link);
  await expect(app2.nodeLocator('box')).toHaveAttribute('aria-label', `${HOSTILE}, Server, bottleneck`, { timeout: 30_000 });
  expect(await page2.locator('img').count()).toBe(0);
  await other.close();

  expect(dialogs).toEqual([]);
  expect(await violations(page)).toEqual([]);
  app.expectNoErrors();
});

test('the page has a Content-Security-Policy that forbids inline scripts and style elements, and the app runs under it', async ({ page }) => {
  await watch(page);
  const app = new App(page);
  await app.goto();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("style-src-elem 'self';");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("connect-src 'self'");
  // A <style> element injected now is refused: stylesheets come only from the app's origin.
  const styled = await page.evaluate(() => {
    const d = document.createElement('div');
    d.id = 'injected';
    document.body.appendChild(d);
    const s = document.createElement('style');
    s.textContent = '#injected { width: 123px; }';
    document.head.appendChild(s);
    const width = getComputedStyle(d).width;
    d.remove();
    s.remove();
    return width;
  });
  expect(styled).not.toBe('123px');
  expect((await violations(page)).some((v) => v.startsWith('style-src-elem'))).toBe(true);
  await page.evaluate(() => ((window as unknown as { violations: string[] }).violations = []));

  // The app's own styles go through the CSSOM, which the policy allows: the palette's ghost
  // follows the pointer while a component is dragged...
  const item = await app.byTestId('palette-cache').boundingBox();
  const canvas = await app.canvas.boundingBox();
  if (!item || !canvas) throw new Error('no bounding box');
  await page.mouse.move(item.x + item.width / 2, item.y + item.height / 2);
  await page.mouse.down();
  const to = { x: canvas.x + canvas.width * 0.6, y: canvas.y + canvas.height * 0.8 };
  await page.mouse.move(to.x, to.y, { steps: 10 });
  const ghost = await page.locator('.palette-ghost').boundingBox();
  if (!ghost) throw new Error('no drag ghost');
  expect(Math.abs(ghost.x + ghost.width / 2 - to.x)).toBeLessThan(2);
  expect(Math.abs(ghost.y + ghost.height / 2 - to.y)).toBeLessThan(2);
  await page.mouse.up();
  await expect(page.locator('.palette-ghost')).toHaveCount(0);
  await app.byTestId('undo').click();
  // An inline script injected now is blocked: the policy is really in force.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.appendChild(s);
  });
  expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
  expect((await violations(page)).some((v) => v.startsWith('script-src'))).toBe(true);
  await page.evaluate(() => ((window as unknown as { violations: string[] }).violations = []));
  await app.loadPreset('05');
  const idle = await app.nodeLocator('db').locator('.node-box').evaluate((e) => getComputedStyle(e).fill);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(0);
  // ...and nodes are coloured by utilization after a run.
  const busy = await app.nodeLocator('db').locator('.node-box').evaluate((e) => getComputedStyle(e).fill);
  expect(busy).not.toBe(idle);
  // Nothing the app did since was refused. (The console holds the two refusals above, so it is
  // not checked for errors here.)
  expect(await violations(page)).toEqual([]);
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
