// Edges are calls with a one-way network delay: clicking one shows it in the inspector, its
// latency can be set (a run then shows it in the latency) or cleared back to the default, and
// the call can be deleted from there.
import { test, expect } from '@playwright/test';
import { App } from './app';

test("a call's latency is edited from the inspector and a run shows it", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const before = await app.summary();

  // Select the web → db call: the inspector says which call and shows the preset's latency.
  await app.clickEdge('web', 'db');
  const inspector = app.byTestId('inspector-edge');
  await expect(inspector).toBeVisible();
  await expect(app.byTestId('edge-ends')).toContainText('→');
  const latency = app.byTestId('edge-latency');
  await expect(latency).toHaveValue('0.5');

  // 20 ms each way on every database call: p99 grows by about the 40 ms round trip. (At
  // 200 ms the web workers, blocked on the database, cannot keep up and nothing succeeds.)
  await latency.fill('20');
  await latency.press('Enter');
  const exported = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  expect(exported.edges).toContainEqual({ from: 'web', to: 'db', latency_ms: 20 });
  // Hovering the wire tells the delay too.
  await expect(app.edgeLocator('web', 'db').locator('title')).toHaveText('web → db: 20 ms');
  await app.run();
  await app.waitForRunDone();
  const slower = await app.summary();
  expect(slower.p99).toBeGreaterThan(before.p99 + 30);

  // Out of range: the problem shows on the edge's panel and Run waits for a fix.
  await app.clickEdge('web', 'db');
  await latency.fill('70000');
  await latency.press('Enter');
  await expect(app.byTestId('edge-latency-error')).toContainText('latency_ms must be from 0 to 60000');
  await expect(app.runButton).toBeDisabled();
  // Emptied: back to the default (within one data center), and the file carries no latency.
  await latency.fill('');
  await latency.press('Enter');
  await expect(latency).toHaveAttribute('placeholder', '0.5');
  await expect(app.runButton).toBeEnabled();
  const cleared = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  expect(cleared.edges).toContainEqual({ from: 'web', to: 'db' });

  // Delete from the panel; Undo brings the call back.
  await app.byTestId('edge-delete').click();
  await expect(app.edgeLocator('web', 'db')).toHaveCount(0);
  await expect(inspector).toHaveCount(0);
  await app.byTestId('undo').click();
  await expect(app.edgeLocator('web', 'db')).toBeAttached();
  app.expectNoErrors();
});

test('a file that repeats a call opens, says so, and deleting the call removes every copy', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const scenario = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  scenario.edges.push({ from: 'web', to: 'db' });
  await app.importFile('repeated.json', JSON.stringify(scenario));
  await expect(app.edgeLocator('web', 'db')).toHaveCount(2);
  await expect(app.validation).toContainText('appears twice');
  await expect(app.runButton).toBeDisabled();
  await app.clickEdge('web', 'db');
  await app.byTestId('edge-delete').click();
  await expect(app.edgeLocator('web', 'db')).toHaveCount(0);
  await expect(app.edgeLocator('users', 'dns')).toHaveCount(1);
  await expect(app.validation.filter({ hasText: 'appears twice' })).toHaveCount(0);
  app.expectNoErrors();
});

test('a call is reached, selected and deleted from the keyboard', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const call = app.edgeLocator('web', 'db');
  const stop = app.byTestId('edge-key-web-db');
  // The nodes come first, then the calls (they came first, being drawn under the nodes): Tab
  // from the last node lands on the first call.
  await app.nodeLocator('db').focus();
  await page.keyboard.press('Tab');
  await expect(app.byTestId('edge-key-users-dns')).toBeFocused();
  // Tab from the call before it lands on it: calls take focus in the order they are drawn.
  await app.byTestId('edge-key-dns-web').focus();
  await page.keyboard.press('Tab');
  await expect(stop).toBeFocused();
  await expect(stop).toHaveAttribute('aria-label', 'call from Web server to Database');
  await expect(stop).toHaveAttribute('role', 'button');
  // Space selects it, as Enter does.
  await page.keyboard.press(' ');
  await expect(call).toHaveClass(/\bselected\b/);
  await expect(stop).toHaveAttribute('aria-pressed', 'true');
  await expect(app.byTestId('inspector-edge')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(call).toHaveCount(0);
  await expect(stop).toHaveCount(0);
  await expect(app.nodeLocator('web')).toHaveCount(1);
  app.expectNoErrors();
});
