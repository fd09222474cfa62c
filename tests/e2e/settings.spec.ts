// The scenario's settings as a learner meets them: the summary says what it covers (and waits
// out the warm-up rather than showing zeros), the plot window is a setting of its own, a
// setting left empty is named in the message, and autoscale switched off and on again comes
// back as it was.
import { test, expect } from '@playwright/test';
import { App } from './app';

test('the summary waits for the warm-up and then says it covers the steady state', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.setSpeed('1');
  await app.run();
  const span = app.byTestId('summary-span');
  await expect(span).toHaveText('Warming up: the figures start at 10 s');
  // Not zeros: nothing is measured yet.
  await expect(app.byTestId('summary-throughput')).toHaveText('–');
  await expect(app.byTestId('summary-availability')).toHaveText('–');
  await app.setSpeed('max');
  await expect(span).toHaveText('Steady state, after the 10 s warm-up', { timeout: 60_000 });
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(40);
  app.expectNoErrors();
});

test('the plot window is a setting: a run keeps one point per window', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const window = app.byTestId('scenario-window');
  await expect(window).toHaveValue('1');
  await window.fill('5');
  await window.press('Enter');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const csv = (await app.download('export-series-csv')).bytes.toString('utf8').trimEnd().split('\r\n');
  const duration = Number(await app.byTestId('scenario-duration').inputValue());
  expect(csv.length - 1).toBe(Math.ceil(duration / 5));
  // Out of range: the message sits under the field.
  await window.fill('0');
  await window.press('Enter');
  await expect(app.byTestId('scenario-window-error')).toContainText('window_s must be from 0.001');
  await expect(app.runButton).toBeDisabled();
  app.expectNoErrors();
});

test('an emptied duration is refused with a message that names it', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const duration = app.byTestId('scenario-duration');
  const before = await duration.inputValue();
  await duration.fill('');
  await duration.press('Enter');
  await expect(app.banner).toContainText('the duration needs a number of seconds');
  await expect(duration).toHaveValue(before);
  app.expectNoErrors();
});

test('autoscale switched off and on again keeps its policy', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('08');
  await app.selectNode('workers');
  const max = app.byTestId('param-autoscale-max');
  const before = await max.inputValue();
  expect(before).toBe('12');
  const enabled = app.byTestId('param-autoscale-enabled');
  await enabled.uncheck();
  await expect(max).toHaveCount(0);
  await enabled.check();
  await expect(max).toHaveValue(before);
  await expect(app.byTestId('param-autoscale-target_depth')).toHaveValue('20');
  app.expectNoErrors();
});

test('autoscale switched off, left and switched on again restores its policy, of a worker pool and of a server', async ({ page }) => {
  // The panel is rebuilt for every selection, and the policy it kept went with it: coming
  // back to the node to tick the box gave the defaults (min 1, max 10), not the preset's.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('08');
  await app.selectNode('workers');
  const enabled = app.byTestId('param-autoscale-enabled');
  const field = (part: string) => app.byTestId(`param-autoscale-${part}`);
  await enabled.uncheck();
  await expect(field('max')).toHaveCount(0);
  const other = (await app.nodeIds()).find((id) => id !== 'workers')!;
  await app.selectNode(other);
  await app.selectNode('workers');
  await expect(enabled).not.toBeChecked();
  await enabled.check();
  const preset = { min: '3', max: '12', target_depth: '20', cooldown_s: '5', boot_s: '5' };
  for (const [part, value] of Object.entries(preset)) await expect(field(part)).toHaveValue(value);
  let saved = await app.savedScenario();
  expect(saved.nodes.find((n: { id: string }) => n.id === 'workers').params.autoscale).toEqual({
    min: 3, max: 12, target_depth: 20, cooldown_s: 5, boot_s: 5,
  });

  // A server's policy on utilization too.
  await app.loadPreset('06');
  await app.selectNode('web');
  await enabled.uncheck();
  await app.selectNode('sessions');
  await app.selectNode('web');
  await enabled.check();
  await expect(field('target_utilization')).toHaveValue('0.6');
  await expect(field('cooldown_s')).toHaveValue('10');
  saved = await app.savedScenario();
  expect(saved.nodes.find((n: { id: string }) => n.id === 'web').params.autoscale).toEqual({
    min: 3, max: 12, target_utilization: 0.6, cooldown_s: 10, boot_s: 5,
  });
  app.expectNoErrors();
});

test('an edit typed and left by clicking another node is kept', async ({ page }) => {
  // Typing a value and clicking the next node is how most people edit. The canvas keeps its
  // presses to itself, so the field was still focused when the panel changed: its edit was
  // lost, with a panic on the disposed panel.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  await app.byTestId('param-workers').fill('3');
  await app.selectNode('dns');
  await app.selectNode('box');
  await expect(app.byTestId('param-workers')).toHaveValue('3');
  // The name too, and a call's latency left for a node.
  await app.byTestId('node-name').fill('One box');
  await app.selectNode('users');
  await app.clickEdge('users', 'dns');
  await app.byTestId('edge-latency').fill('7');
  await app.selectNode('box');
  await expect(app.byTestId('node-name')).toHaveValue('One box');
  await app.clickEdge('users', 'dns');
  await expect(app.byTestId('edge-latency')).toHaveValue('7');
  const saved = await app.savedScenario();
  expect(saved.nodes.find((n: { id: string }) => n.id === 'box').params.workers).toBe(3);
  app.expectNoErrors();
});

test('the inspector says what a component does and, on hover, what each param means', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('06');
  // The palette's tooltip says what a kind is for before it is added.
  await expect(app.byTestId('palette-session_store')).toHaveAttribute('title', /any instance can serve any user/);
  // With nothing selected, the scenario's settings explain themselves the same way.
  await expect(app.byTestId('help-warmup_s')).toHaveAttribute('title', /left out of the steady-state figures/);
  await expect(app.byTestId('help-slo.p99_ms')).toHaveAttribute('title', /99th-percentile latency/);
  await app.selectNode('web');
  await expect(app.byTestId('kind-help')).toContainText('A web or app server tier');
  // The same lines as `scaleplay reference` and docs/scenario.md: one source in the engine.
  await expect(app.byTestId('help-workers')).toHaveAttribute('title', 'Requests one instance serves at once (threads); the others wait in its backlog.');
  await expect(app.byTestId('help-blocking')).toHaveAttribute('title', /thread per request/);
  await expect(app.byTestId('help-autoscale-cooldown_s')).toHaveAttribute('title', /before it holds or scales in again/);
  await expect(app.byTestId('help-mtbf_s')).toHaveAttribute('title', /mean time between failures/);
  // Another kind's params have their own lines.
  await app.selectNode('db');
  await expect(app.byTestId('kind-help')).toContainText('SQL database primary');
  // Plain text: the reference's Markdown backticks are left out of the app.
  await expect(app.byTestId('kind-help')).toContainText('Edges to sql_replica nodes mean replication');
  await expect(app.byTestId('help-workers')).toHaveAttribute('title', 'Connections: queries it runs at once.');
  await expect(app.byTestId('help-failover_s')).toHaveAttribute('title', /replica is promoted/);
  app.expectNoErrors();
});

test("a field reached from the keyboard shows what it means under it, and describes it to a screen reader", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('04');
  await app.selectNode('primary');
  const workers = app.byTestId('help-text-workers');
  const readMs = app.byTestId('help-text-read_ms');
  // A click into the field shows nothing (the fields below would move under the pointer).
  await app.byTestId('param-workers').click();
  await expect(workers).toBeHidden();
  // Tab out and back: the line shows while the field has the keyboard's focus.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(app.byTestId('param-workers')).toBeFocused();
  await expect(workers).toBeVisible();
  await expect(workers).toHaveText('Connections: queries it runs at once.');
  // On to the next param's first field: its line instead.
  await page.keyboard.press('Tab');
  await expect(workers).toBeHidden();
  await expect(readMs).toBeVisible();
  // The block is a group described by its line, which a screen reader reads on the way in.
  const block = app.byTestId('help-workers');
  await expect(block).toHaveAttribute('role', 'group');
  await expect(block).toHaveAttribute('aria-describedby', 'help-text-workers');
  // A field's name reads its unit once: "read_ms", not "read_ms ms"; a unit that says more
  // than the name is read.
  await expect(app.byTestId('param-read_ms')).toHaveAccessibleName('read_ms');
  await expect(app.byTestId('param-workers')).toHaveAccessibleName('workers connections');
  // A click on a name keeps its line until the next click, whatever the focus does.
  await app.byTestId('help-failover_s').locator('.param-name').click();
  await expect(app.byTestId('help-text-failover_s')).toBeVisible();
  await app.byTestId('param-workers').click();
  await expect(app.byTestId('help-text-failover_s')).toBeVisible();
  app.expectNoErrors();
});
