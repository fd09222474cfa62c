// Validation: a scenario that cannot run says why and holds Run back until it is fixed, and
// a wire the rules forbid is refused with an explanation; text that is not a number is refused
// naming its field (the browser reads it as empty), an emptied field means its default, and a
// refusal leaves the banner once a later edit goes through.
import { test, expect, type Locator } from '@playwright/test';
import { App, apart } from './app';

test('an invalid topology names its problem and holds Run back until it is fixed', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  // A scenario that never had a problem is not announced as fixed.
  await expect(app.byTestId('problems-said')).toHaveText('');
  await app.clearCanvas();
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');

  // A lone server: nothing sends it traffic.
  await app.dragFromPalette('server', box.width * 0.6, box.height * 0.5);
  await expect(app.validation).toBeVisible();
  await expect(app.validation).toContainText('no client');
  await expect(app.runButton).toBeDisabled();

  // A client that calls nothing is still not a scenario that can run.
  await app.dragFromPalette('client', box.width * 0.2, box.height * 0.5);
  await expect(app.validation).toBeVisible();
  await expect(app.validation).not.toContainText('no client');
  await expect(app.validation.getByTestId('problem')).toHaveCount(1);
  await expect(app.validation.getByTestId('problem')).toContainText('no path to a server');
  await expect(app.validation).toContainText('1 problem to fix before running');
  await expect(app.runButton).toBeDisabled();
  await expect(app.runButton).toHaveAttribute('title', /listed in the inspector/);

  // Unavailable, not gone: Run stays in the keyboard's path (marked aria-disabled, not
  // disabled), and pressed it says what holds it back and goes to the problem.
  await expect(app.runButton).toHaveAttribute('aria-disabled', 'true');
  await expect(app.runButton).not.toHaveAttribute('disabled');
  await app.runButton.focus();
  await expect(app.runButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.banner).toContainText('Fix this first, then run');
  await expect(app.banner).toContainText('no path to a server');
  await expect(app.validation.getByTestId('problem')).toBeFocused();
  expect(await app.progress()).toBe(0);
  await expect(app.byTestId('reset')).toBeDisabled();

  // A screen reader hears the count as it changes, and that none are left.
  await expect(app.byTestId('problems-said')).toHaveText('1 problem to fix before running');
  await expect(app.byTestId('problems-said')).toHaveAttribute('aria-live', 'polite');

  await app.connect('client', 'server');
  await expect(app.validation).toBeHidden();
  await expect(app.runButton).toBeEnabled();
  await expect(app.byTestId('problems-said')).toHaveText('No problems left: the scenario can run');
  // The banner's reason went with the edit that fixed it (it stayed, as a notice, before).
  await expect(app.banner).toHaveCount(0);
  app.expectNoErrors();
});

test('a wire from a server to a client is refused with the reason', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');

  // While the wire hovers over the client, the canvas explains why it cannot connect.
  await app.startWire('web1', 'users');
  await expect(app.wireHint).toContainText('cannot call');
  await page.mouse.up();

  // Dropped anyway: the edit is refused, the banner says why, and no edge appears.
  await expect(app.banner).toContainText('cannot call');
  await expect(app.banner).toContainText('a server cannot call a client');
  await expect(app.edgeLocator('web1', 'users')).toHaveCount(0);
  app.expectNoErrors();
});

// A call back up the chain (balancer → web server → balancer) would close a loop, which no
// scenario may have: refused while dragging, as the inspector's list of calls leaves it out,
// not drawn and then reported as a problem holding Run back.
test('a wire that would close a loop of calls is refused, naming the loop', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.startWire('web1', 'lb');
  await expect(app.wireHint).toContainText('would close a loop (web1 → lb → web1)');
  await page.mouse.up();
  await expect(app.banner).toContainText('web1 calling lb would close a loop');
  await expect(app.edgeLocator('web1', 'lb')).toHaveCount(0);
  await expect(app.runButton).not.toHaveAttribute('aria-disabled', 'true');
  app.expectNoErrors();
});

test("the run bar's seed takes every 64-bit seed exactly and refuses what is not one", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const seed = app.byTestId('setting-seed');
  await seed.fill('18446744073709551615');
  await seed.press('Enter');
  await expect(seed).toHaveValue('18446744073709551615');
  // Not a seed: said in the banner, and the stored seed stays (a float would have rounded it).
  for (const bad of ['1.5', '-1']) {
    await seed.fill(bad);
    await seed.press('Enter');
    await expect(app.banner).toContainText('the seed is a whole number');
    await expect(seed).toHaveValue('18446744073709551615');
  }
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(app.byTestId('setting-seed')).toHaveValue('18446744073709551615');
  // Longer than the field shows: the whole seed on hover. A short one has no tooltip (a
  // screen reader read it twice, as the value and as the title).
  await expect(app.byTestId('setting-seed')).toHaveAttribute('title', '18446744073709551615');
  await app.byTestId('setting-seed').fill('7');
  await app.byTestId('setting-seed').press('Enter');
  await expect(app.byTestId('setting-seed')).not.toHaveAttribute('title');
  app.expectNoErrors();
});

test('selecting another node shows the inspector from its top', async ({ page }) => {
  const app = new App(page);
  await page.setViewportSize({ width: 1280, height: 700 });
  await app.goto();
  await app.loadPreset('04');
  const inspector = page.getByTestId('inspector');
  await app.selectNode('web');
  await inspector.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  expect(await inspector.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await app.selectNode('users');
  await expect.poll(() => inspector.evaluate((el) => el.scrollTop)).toBe(0);
  app.expectNoErrors();
});

test("a client shows the fields of its traffic profile only", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('users');
  const profile = app.byTestId('param-profile');
  const shown = async () => {
    const ids = ['ramp_from_rps', 'spike_at_s', 'spike_s', 'spike_x', 'period_s', 'amplitude'];
    const visible = await Promise.all(ids.map((id) => app.byTestId(`param-${id}`).isVisible()));
    return ids.filter((_, i) => visible[i]);
  };
  await expect(profile).toHaveValue('constant');
  expect(await shown()).toEqual([]);
  await profile.selectOption('ramp');
  await expect.poll(shown).toEqual(['ramp_from_rps']);
  await profile.selectOption('spike');
  await expect.poll(shown).toEqual(['spike_at_s', 'spike_s', 'spike_x']);
  await profile.selectOption('diurnal');
  await expect.poll(shown).toEqual(['period_s', 'amplitude']);
  await expect(app.byTestId('param-rps')).toBeVisible();
  app.expectNoErrors();
});

test('a spike set on a profile that is no longer a spike is named in the panel', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('users');
  const profile = app.byTestId('param-profile');
  await profile.selectOption('spike');
  await app.setParam('spike_x', 4);
  await expect(app.byTestId('node-ignored')).toHaveCount(0);
  // Back to a constant rate: the spike field is hidden, and the panel says it does nothing.
  await profile.selectOption('constant');
  await expect(app.byTestId('node-ignored')).toContainText('no effect with profile "constant"');
  await expect(app.byTestId('node-ignored')).toContainText('spike_x');
  await expect(app.runButton).toBeEnabled();
  app.expectNoErrors();
});

test('an empty data center is named beside the dc field until one is given', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const dc = app.byTestId('node-dc');
  await dc.fill('');
  await dc.press('Enter');
  await dc.blur();
  await expect(app.byTestId('node-dc-error')).toContainText('dc must be 1 to 64 characters');
  await expect(app.runButton).toBeDisabled();
  await dc.fill('eu');
  await dc.press('Enter');
  await dc.blur();
  await expect(app.byTestId('node-dc-error')).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  app.expectNoErrors();
});

test('a second server behind a server is marked idle, and its panel says why', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const first = await app.addNode('server');
  const second = await app.addNode('server');
  await app.selectNode('box');
  for (const target of [first, second]) {
    await app.byTestId('add-call').selectOption(target);
    await app.byTestId('add-call-button').click();
  }
  // box forwards to the first; the second gets nothing, though an edge reaches it.
  await expect(app.nodeLocator(first)).not.toHaveClass(/\bidle\b/);
  await expect(app.nodeLocator(second)).toHaveClass(/\bidle\b/);
  await app.selectNode(second);
  await expect(app.byTestId('node-idle')).toContainText('box sends its calls to another server');
  await expect(app.byTestId('node-idle')).toContainText('put a load_balancer in front of several servers');
  app.expectNoErrors();
});

test('a node nothing calls is marked idle, a standby entry point too, until traffic reaches it', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const spare = await app.addNode('server');
  // Valid (Run stays enabled), but marked, and its panel says why.
  await expect(app.runButton).toBeEnabled();
  await expect(app.nodeLocator(spare)).toHaveClass(/\bidle\b/);
  await app.selectNode(spare);
  await expect(app.byTestId('node-idle')).toContainText('Nothing calls this node');
  await expect(app.nodeLocator('box')).not.toHaveClass(/\bidle\b/);
  // The DNS calls it too, over a shorter wire than box's (0.5 ms against 15): a DNS picks
  // one entry point, the closest, so now the spare gets the traffic and box is the standby.
  await app.selectNode('dns');
  await app.byTestId('add-call').selectOption(spare);
  await app.byTestId('add-call-button').click();
  await expect(app.nodeLocator(spare)).not.toHaveClass(/\bidle\b/);
  await expect(app.nodeLocator('box')).toHaveClass(/\bidle\b/);
  await app.selectNode('box');
  await expect(app.byTestId('node-idle')).toContainText(
    `dns sends all its requests to ${spare} and turns to this node only when ${spare} is down`,
  );
  await expect(app.byTestId('node-idle')).toContainText('put a load_balancer in front of both');
  app.expectNoErrors();
});

/** Pastes `text` into `input` as the clipboard would; whether the page cancelled the paste. */
async function paste(input: Locator, text: string): Promise<boolean> {
  return input.evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData('text', pasted);
    const event = new ClipboardEvent('paste', { clipboardData: data, cancelable: true, bubbles: true });
    return !el.dispatchEvent(event);
  }, text);
}

/** Clears `input` and types `text` key by key, as a person does, then commits it with Enter. */
async function typeText(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.press('Control+A');
  await input.press('Backspace');
  await input.pressSequentially(text);
  await input.press('Enter');
}

test("a fault's instance that is not a number is refused, not taken for all instances", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.selectNode('web1');
  const faults = async () => (await app.savedScenario()).faults ?? [];
  const before = (await faults()).length;
  await app.byTestId('fault-at').fill('5');
  await typeText(app.byTestId('fault-instance'), '1e');
  await app.byTestId('fault-add').click();
  await expect(app.banner).toContainText('instance: "1e" is not a whole number >= 0');
  expect((await faults()).length).toBe(before);
  // Letters too: a number box dropped them, and the empty box read as "all instances".
  await typeText(app.byTestId('fault-instance'), 'abc');
  await app.byTestId('fault-add').click();
  await expect(app.banner).toContainText('instance: "abc" is not a whole number >= 0');
  expect((await faults()).length).toBe(before);
  // A whole number goes through.
  await typeText(app.byTestId('fault-instance'), '0');
  await app.byTestId('fault-add').click();
  await expect.poll(async () => (await faults()).length).toBe(before + 1);
  // A time that is not a number is named as such (it was told to type a time, as if empty).
  await typeText(app.byTestId('fault-at'), '1e');
  await app.byTestId('fault-add').click();
  await expect(app.banner).toContainText('time: what was typed is not a number');
  expect((await faults()).length).toBe(before + 1);
  // The data centers' form, in the scenario's settings.
  await app.byTestId('fault-at').blur();
  await page.keyboard.press('Escape');
  await expect(app.byTestId('inspector-node')).toHaveCount(0);
  await typeText(app.byTestId('dc-fault-at'), '--5');
  await app.byTestId('dc-fault-add').click();
  await expect(app.banner).toContainText('time: what was typed is not a number: type when the outage starts or ends');
  app.expectNoErrors();
});

test('text that is not a number is refused in the banner, naming the field, and the old value stays', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  // The browser reads such text in a number field as "", which must not store "the default".
  // A setting, and the run bar's duration:
  const p99 = app.byTestId('scenario-slo-p99');
  const p99Before = await p99.inputValue();
  expect(p99Before).not.toBe('');
  await typeText(p99, '--5');
  await expect(app.banner).toContainText('SLO p99_ms: what was typed is not a number');
  await expect(p99).toHaveValue(p99Before);
  const duration = app.byTestId('setting-duration');
  const durationBefore = await duration.inputValue();
  await typeText(duration, '1e');
  await expect(app.banner).toContainText('duration_s: what was typed is not a number');
  await expect(duration).toHaveValue(durationBefore);

  // A node's param:
  await app.selectNode('web1');
  const workers = app.byTestId('param-workers');
  const before = await workers.inputValue();
  expect(before).not.toBe('');
  for (const bad of ['1e', '--5', '1e400']) {
    await typeText(workers, bad);
    await expect(app.banner).toContainText('workers: what was typed is not a number');
    await expect(workers).toHaveValue(before);
    await app.banner.getByRole('button', { name: 'Dismiss' }).click();
  }
  const saved = await app.savedScenario();
  expect(String(saved.nodes.find((n: { id: string }) => n.id === 'web1').params.workers)).toBe(before);

  // A call's latency:
  await app.clickEdge('lb', 'web1');
  const latency = app.byTestId('edge-latency');
  await typeText(latency, '3');
  await expect(latency).toHaveValue('3');
  await typeText(latency, '1e');
  await expect(app.banner).toContainText('latency_ms: what was typed is not a number');
  await expect(latency).toHaveValue('3');
  app.expectNoErrors();
});

test('text that is not a number typed into an empty field is refused too, on Enter or on leaving it', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  // Empty: the default. The browser reads "1e" as "", the value it had, so no change came:
  // the text stayed on screen and was silently not kept.
  const mtbf = app.byTestId('param-mtbf_s');
  await expect(mtbf).toHaveValue('');
  await typeText(mtbf, '1e');
  await expect(app.banner).toContainText('mtbf_s: what was typed is not a number');
  await expect(mtbf).toHaveValue('');
  await app.banner.getByRole('button', { name: 'Dismiss' }).click();
  // Leaving the field without Enter.
  await mtbf.click();
  await mtbf.pressSequentially('--5');
  await app.byTestId('param-workers').click();
  await expect(app.banner).toContainText('mtbf_s: what was typed is not a number');
  await expect(mtbf).toHaveValue('');
  const saved = await app.savedScenario();
  expect(saved.nodes.find((n: { id: string }) => n.id === 'box').params.mtbf_s).toBeUndefined();
  // A decimal comma: the browser read "2,5" as 25 without a word. The comma is kept out, and
  // the banner says so at once.
  await mtbf.click();
  await mtbf.pressSequentially('2,');
  await expect(app.banner).toContainText('mtbf_s: a number takes no comma');
  await expect(mtbf).toHaveValue('2');
  // Leaving the field keeps the 2, an edit that goes through, which clears the banner.
  await mtbf.blur();
  await expect(app.banner).toHaveCount(0);
  // Pasted, as well.
  const refused = await paste(mtbf, '1,5');
  expect(refused, 'the paste is cancelled').toBe(true);
  await expect(app.banner).toContainText('mtbf_s: a number takes no comma');
  app.expectNoErrors();
});

test('a letter typed in a number field is refused in the banner, not dropped without a word', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const users = (await app.savedScenario()).nodes.find((n: { kind: string }) => n.kind === 'client');
  await app.selectNode(users.id);
  // The browser drops a letter in a number input: "2k" became 2 rps without a word.
  const rps = app.byTestId('param-rps');
  await rps.click();
  await rps.press('Control+a');
  await rps.pressSequentially('2k');
  await expect(app.banner).toContainText('rps: a number takes digits, a point and an exponent only, so "k" was not taken');
  await expect(app.banner).toContainText('write 2k as 2000');
  await expect(rps).toHaveValue('2');
  // What a number may hold still goes in, the exponent among it, and the edit clears the banner.
  await rps.pressSequentially('e3');
  await rps.press('Enter');
  await expect(app.banner).toHaveCount(0);
  const saved = await app.savedScenario();
  expect(saved.nodes.find((n: { id: string }) => n.id === users.id).params.rps).toBe(2000);
  // The run bar's fields and a fault's time, typed or pasted.
  const duration = app.byTestId('setting-duration');
  await duration.click();
  await duration.pressSequentially('5m');
  await expect(app.banner).toContainText('duration_s: a number takes digits');
  await expect(duration).not.toHaveValue(/m/);
  await app.selectNode('box');
  const at = app.byTestId('fault-at');
  const refused = await paste(at, '60 s');
  expect(refused, 'the paste is cancelled').toBe(true);
  await expect(app.banner).toContainText('fault time: a number takes digits, a point and an exponent only, so a space was not taken');
  app.expectNoErrors();
});

test('an emptied mean means the default mean, and an emptied bound of a uniform is refused', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const mean = app.byTestId('param-service_ms-mean');
  const defaultMean = await mean.getAttribute('placeholder');
  expect(defaultMean).toMatch(/^\d/);
  await typeText(mean, '25');
  await expect(mean).toHaveValue('25');
  await typeText(mean, '');
  // The default's mean (a distribution needs one): nothing to fix, Run stays enabled.
  await expect(mean).toHaveValue(defaultMean ?? '');
  await expect(app.validation).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();

  await app.byTestId('param-service_ms-dist').selectOption('uniform');
  const max = app.byTestId('param-service_ms-max');
  const maxBefore = await max.inputValue();
  expect(maxBefore).not.toBe('');
  await typeText(max, '');
  await expect(app.banner).toContainText("a uniform's min and max have no default");
  await expect(max).toHaveValue(maxBefore);
  await expect(app.validation).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  app.expectNoErrors();
});

test('a refusal leaves the banner once a later edit goes through; a notice about a file stays', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const workers = app.byTestId('param-workers');
  await typeText(workers, '1e');
  await expect(app.banner).toContainText('workers: what was typed is not a number');
  // Typed again, right: the refusal no longer holds.
  await typeText(workers, '12');
  await expect(workers).toHaveValue('12');
  await expect(app.banner).toHaveCount(0);

  // A file that could not be imported is said until dismissed, edits or not.
  await app.importFile('broken.json', '{"version": 1, "nodes": [');
  await expect(app.banner).toContainText('Could not import "broken.json"');
  await typeText(workers, '10');
  await expect(workers).toHaveValue('10');
  await expect(app.banner).toContainText('Could not import "broken.json"');
  app.expectNoErrors();
});

test('a call from a node that does not exist is removed from the problems list, and the list shows above a selected node', async ({ page }) => {
  // Such a call cannot be drawn, nor listed under a node: nothing a person could click
  // reached it, and Run stayed disabled.
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 } },
      { id: 's', kind: 'server' },
    ],
    edges: [
      { from: 'u', to: 's' },
      { from: 'ghost', to: 's' },
    ],
  });
  await app.importFile('dangling.json', file);
  await expect(app.validation).toContainText('edge ghost → s names "ghost", which is not a node');
  await expect(app.runButton).toBeDisabled();
  // With a node selected, the list is at the top of the inspector, in sight.
  await app.selectNode('s');
  const list = await app.validation.boundingBox();
  const panel = await app.byTestId('inspector-node').boundingBox();
  expect(list && panel && list.y < panel.y).toBe(true);
  await app.byTestId('remove-dangling').click();
  await expect(app.validation).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  // One undoable edit.
  await app.byTestId('undo').click();
  await expect(app.validation).toContainText('"ghost"');
  app.expectNoErrors();
});

test("a problem of a node with a long name wraps inside the problems box", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const long = 'TheServerWhoseNameRunsOnAndOnWithoutASingleSpace'.repeat(3);
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 } },
      { id: 's', kind: 'server', name: long, params: { workers: -1 } },
    ],
    edges: [{ from: 'u', to: 's' }],
  });
  await app.importFile('long.json', file);
  const problem = app.validation.getByTestId('problem').first();
  await expect(problem).toContainText(long);
  const box = (await app.validation.boundingBox())!;
  const item = (await problem.boundingBox())!;
  expect(item.x + item.width, 'the problem stays inside its box').toBeLessThanOrEqual(box.x + box.width);
  const overflows = await problem.evaluate((e) => e.scrollWidth > e.clientWidth + 1);
  expect(overflows, 'no text runs out of the problem').toBe(false);
  // The name is cut to one line before the message, not written out over several.
  const name = problem.locator('.problem-node');
  expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth), 'the name is cut').toBe(true);
  expect((await name.boundingBox())!.height).toBeLessThan(30);
  app.expectNoErrors();
});

test("a node's problem selects the node from the keyboard as by a click", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 } },
      { id: 's', kind: 'server', params: { workers: -1 } },
    ],
    edges: [{ from: 'u', to: 's' }],
  });
  await app.importFile('bad.json', file);
  const problem = app.validation.getByTestId('problem').first();
  await expect(problem).toHaveAttribute('role', 'button');
  await problem.focus();
  await expect(problem).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('inspector-node-id')).toHaveText('s');
  app.expectNoErrors();
});

test('a file with two nodes of one id opens both, the second renamed, each deleted on its own', async ({ page }) => {
  // The canvas knows nodes by id: the copy sat hidden under the first, and Delete removed both.
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 }, x: 80, y: 200 },
      { id: 's', kind: 'server', name: 'First', x: 300, y: 200 },
      { id: 's', kind: 'server', name: 'Second', x: 300, y: 400 },
    ],
    edges: [{ from: 'u', to: 's' }],
  });
  await app.importFile('twins.json', file);
  await expect(app.banner).toContainText('Two nodes had the id "s": the second is now "s-2"');
  expect((await app.nodeIds()).sort()).toEqual(['s', 's-2', 'u']);
  await expect(app.validation).toHaveCount(0);
  const first = (await app.nodeLocator('s').boundingBox())!;
  const second = (await app.nodeLocator('s-2').boundingBox())!;
  expect(apart(first, second), 'both are drawn, apart').toBe(true);
  await app.selectNode('s-2');
  await page.keyboard.press('Delete');
  expect((await app.nodeIds()).sort()).toEqual(['s', 'u']);
  await expect(app.edgeLocator('u', 's')).toBeAttached();
  app.expectNoErrors();
});

test('a file with a node without an id opens it named, with the call that named no node', async ({ page }) => {
  // Ids cannot be edited in the app: "give it one" asked for what no field offers.
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 }, x: 80, y: 200 },
      { id: '', kind: 'server', x: 300, y: 200 },
    ],
    edges: [{ from: 'u', to: '' }],
  });
  await app.importFile('unnamed.json', file);
  await expect(app.banner).toContainText('A node had no id: it is now "server"');
  expect((await app.nodeIds()).sort()).toEqual(['server', 'u']);
  await expect(app.edgeLocator('u', 'server')).toBeAttached();
  await expect(app.validation).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  app.expectNoErrors();
});

test('a tab pasted into a name becomes a space; a name stops at 200 characters', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const name = app.byTestId('node-name');
  await name.fill('Web\tand DB');
  await name.press('Enter');
  await name.blur();
  await expect(name).toHaveValue('Web and DB');
  await expect(app.validation).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  await name.fill('x'.repeat(250));
  await expect(name).toHaveValue('x'.repeat(200));
  app.expectNoErrors();
});

test('a plot window longer than the run is noted under the settings', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.byTestId('scenario-window').fill('500');
  await app.byTestId('scenario-window').press('Enter');
  await expect(app.byTestId('scenario-window-note')).toContainText(
    'window_s 500 s is longer than the run (120 s): the plots and series get a single point',
  );
  // A note, not a problem: the run is not held back.
  await expect(app.runButton).toBeEnabled();
  await app.byTestId('scenario-window').fill('1');
  await app.byTestId('scenario-window').press('Enter');
  await expect(app.byTestId('scenario-window-note')).toHaveCount(0);
  app.expectNoErrors();
});
