// Canvas gestures beyond the journeys: wheel and button zoom, fit, a two-finger pinch, and
// Space: held over the canvas it pans (even starting on a node), on a focused button or menu it
// presses it.
import { test, expect } from '@playwright/test';
import { App, apart } from './app';

/** The canvas's current pan, read from its transform ("translate(x,y) scale(z)"). */
async function pan(app: App): Promise<{ x: number; y: number }> {
  const t = (await app.canvas.locator(':scope > g[transform*="scale"]').getAttribute('transform')) ?? '';
  const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(t);
  if (!m) throw new Error(`no translate in transform "${t}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** The canvas's current zoom, read from its transform ("translate(x,y) scale(z)"). */
async function zoom(app: App): Promise<number> {
  const t = (await app.canvas.locator(':scope > g[transform*="scale"]').getAttribute('transform')) ?? '';
  const m = /scale\(([\d.]+)\)/.exec(t);
  if (!m) throw new Error(`no scale in transform "${t}"`);
  return Number(m[1]);
}

test('wheel, buttons and fit change the zoom', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.byTestId('fit').click();
  const z0 = await zoom(app);
  await app.byTestId('zoom-in').click();
  await expect.poll(() => zoom(app)).toBeGreaterThan(z0);
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const z1 = await zoom(app);
  await page.mouse.wheel(0, 300);
  await expect.poll(() => zoom(app)).toBeLessThan(z1);
  await app.byTestId('fit').click();
  await expect.poll(() => zoom(app)).toBeCloseTo(z0, 3);
  // At its limits a button goes off (a press there did nothing): 300 % in, 1 % out.
  const zoomIn = app.byTestId('zoom-in');
  const zoomOut = app.byTestId('zoom-out');
  for (let i = 0; i < 20 && (await zoomIn.isEnabled()); i++) await zoomIn.click();
  await expect(zoomIn).toBeDisabled();
  await expect.poll(() => zoom(app)).toBeCloseTo(3, 3);
  await expect(zoomOut).toBeEnabled();
  for (let i = 0; i < 40 && (await zoomOut.isEnabled()); i++) await zoomOut.click();
  await expect(zoomOut).toBeDisabled();
  await expect.poll(() => zoom(app)).toBeCloseTo(0.01, 4);
  await expect(zoomIn).toBeEnabled();
});

test('in a window narrow enough to scroll, the wheel scrolls the page and Ctrl+wheel zooms', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  const app = new App(page);
  await app.goto();
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
  const z0 = await zoom(app);
  await page.mouse.wheel(0, 400);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  expect(await zoom(app)).toBeCloseTo(z0, 6);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await expect.poll(() => zoom(app)).toBeGreaterThan(z0);
  app.expectNoErrors();
});

test('two fingers spreading apart zoom in', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const z0 = await zoom(app);
  // Touch pointers, as a tablet sends them: two go down on empty canvas and move apart.
  await page.evaluate(() => {
    const svg = document.querySelector('[data-testid=canvas]') as SVGSVGElement;
    const r = svg.getBoundingClientRect();
    const y = r.top + 30;
    const fire = (type: string, id: number, x: number) =>
      svg.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true, button: 0 }));
    const cx = r.left + r.width / 2;
    fire('pointerdown', 1, cx - 20);
    fire('pointerdown', 2, cx + 20);
    for (let k = 1; k <= 10; k++) {
      fire('pointermove', 1, cx - 20 - 6 * k);
      fire('pointermove', 2, cx + 20 + 6 * k);
    }
    fire('pointerup', 1, cx - 80);
    fire('pointerup', 2, cx + 80);
  });
  await expect.poll(() => zoom(app)).toBeGreaterThan(z0 * 1.5);
});

// A pinch may begin with a finger on a node: the second finger makes it a pinch, which
// zooms, and the node stays where it was (it was dragged along with the first finger).
test('two fingers spreading apart from a node zoom in and leave the node in place', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const z0 = await zoom(app);
  const node0 = await app.nodePosition('box');
  await page.evaluate(() => {
    const node = document.querySelector('[data-testid=node-box]') as SVGGElement;
    const svg = document.querySelector('[data-testid=canvas]') as SVGSVGElement;
    const r = node.getBoundingClientRect();
    const y = r.top + r.height / 2;
    const cx = r.left + r.width / 2;
    const fire = (target: Element, type: string, id: number, x: number) =>
      target.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true, button: 0 }));
    fire(node, 'pointerdown', 1, cx);
    fire(node, 'pointermove', 1, cx - 10);
    fire(svg, 'pointerdown', 2, cx + 40);
    for (let k = 1; k <= 10; k++) {
      fire(svg, 'pointermove', 1, cx - 10 - 6 * k);
      fire(svg, 'pointermove', 2, cx + 40 + 6 * k);
    }
    fire(svg, 'pointerup', 1, cx - 70);
    fire(svg, 'pointerup', 2, cx + 100);
  });
  await expect.poll(() => zoom(app)).toBeGreaterThan(z0 * 1.5);
  expect(await app.nodePosition('box')).toEqual(node0);
  app.expectNoErrors();
});

test('Space pans over the canvas and presses a focused button or menu', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  // Held over a node, Space turns the drag into a pan: the view moves, the node does not.
  const at = await app.nodeLocator('box').boundingBox();
  if (!at) throw new Error('no box for the server');
  const node0 = await app.nodePosition('box');
  const pan0 = await pan(app);
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.keyboard.down(' ');
  await page.mouse.down();
  await page.mouse.move(at.x + at.width / 2 + 90, at.y + at.height / 2 + 40, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  const pan1 = await pan(app);
  expect(pan1.x - pan0.x).toBeCloseTo(90, 0);
  expect(pan1.y - pan0.y).toBeCloseTo(40, 0);
  expect(await app.nodePosition('box')).toEqual(node0);

  // On a focused control Space does what it does everywhere: opens the menu, presses the button.
  const menu = app.byTestId('preset-menu');
  await menu.locator('summary').focus();
  await page.keyboard.press(' ');
  await expect(menu).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await app.byTestId('share').focus();
  await page.keyboard.press(' ');
  await expect(app.byTestId('share-popover')).toBeVisible();
  expect(await pan(app)).toEqual(pan1);
  app.expectNoErrors();
});

test('nodes added by click or keyboard go side by side, each selected as it lands', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  // An empty canvas says how to begin, and stops saying it once something is on it.
  await expect(app.byTestId('canvas-empty')).toContainText('Drag a component from the palette');
  // Nor is there a data center to fail: the scenario's fault form says so instead.
  await expect(app.byTestId('dc-fault-none')).toBeVisible();
  await expect(app.byTestId('dc-fault-dc')).toHaveCount(0);
  await app.byTestId('palette-client').click();
  await expect(app.byTestId('canvas-empty')).toHaveCount(0);
  await app.byTestId('palette-server').focus();
  await page.keyboard.press('Enter');
  // From the keyboard, the focus goes on to the new node's name in its panel.
  await expect(app.byTestId('node-name')).toBeFocused();
  await app.byTestId('palette-dns').click();
  const ids = await app.nodeIds();
  expect(ids).toHaveLength(3);
  // The last one added is selected: the inspector shows it.
  await expect(app.byTestId('inspector-node-id')).toHaveText(ids[2]);
  const boxes = await Promise.all(ids.map((id) => app.nodeLocator(id).locator('.node-box').boundingBox()));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      expect(apart(boxes[i]!, boxes[j]!), `${ids[i]} and ${ids[j]} overlap`).toBe(true);
    }
  }
  app.expectNoErrors();
});

test('a node dropped at the edge of the canvas lands whole inside it', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  const canvas = (await app.canvas.boundingBox())!;
  // Released right at the right edge, next to the inspector, at the bottom-left corner, and
  // at the top edge, under the zoom buttons.
  await app.dragFromPalette('server', canvas.width - 2, canvas.height / 2);
  await app.dragFromPalette('client', 2, canvas.height - 2);
  await app.dragFromPalette('dns', 30, 2);
  const ids = await app.nodeIds();
  expect(ids).toHaveLength(3);
  const tools = [app.byTestId('zoom-in'), app.byTestId('fit'), app.byTestId('capacity')];
  const toolBoxes = await Promise.all(tools.map(async (t) => (await t.boundingBox())!));
  for (const id of ids) {
    const box = (await app.nodeLocator(id).locator('.node-box').boundingBox())!;
    expect(box.x, `${id} left`).toBeGreaterThanOrEqual(canvas.x);
    expect(box.y, `${id} top`).toBeGreaterThanOrEqual(canvas.y);
    expect(box.x + box.width, `${id} right`).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(box.y + box.height, `${id} bottom`).toBeLessThanOrEqual(canvas.y + canvas.height);
    for (const tool of toolBoxes) expect(apart(box, tool), `${id} clear of the buttons`).toBe(true);
  }
  app.expectNoErrors();
});

test('a node is reached, selected, moved and deleted from the keyboard', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const node = app.nodeLocator('dns');
  await node.focus();
  await expect(node).toHaveAttribute('aria-label', /DNS/);
  await page.keyboard.press('Enter');
  await expect(node).toHaveClass(/\bselected\b/);
  await expect(app.byTestId('inspector-node-id')).toHaveText('dns');
  const before = await app.nodePosition('dns');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowRight');
  // A grid step down, five to the right.
  await expect
    .poll(async () => {
      const after = await app.nodePosition('dns');
      return [after.x - before.x, after.y - before.y];
    })
    .toEqual([100, 20]);
  await page.keyboard.press('Delete');
  await expect(app.nodeLocator('dns')).toHaveCount(0);
  // Focus stays on the canvas (not the page's top), so Tab goes on from there; its name says
  // what is left.
  await expect(app.canvas).toBeFocused();
  await expect(app.canvas).toHaveAccessibleName('Drawing: 2 nodes, 0 calls');
  // Space selects a focused node as it presses a button, rather than starting a pan.
  const box = app.nodeLocator('box');
  const pan0 = await pan(app);
  await box.focus();
  await page.keyboard.press(' ');
  await expect(box).toHaveClass(/\bselected\b/);
  await expect(app.byTestId('inspector-node-id')).toHaveText('box');
  await page.mouse.move(300, 300);
  expect(await pan(app)).toEqual(pan0);
  // Deleted from its panel, the focus goes back to the canvas too.
  await app.byTestId('node-delete').focus();
  await page.keyboard.press('Enter');
  await expect(box).toHaveCount(0);
  await expect(app.canvas).toBeFocused();
  await expect(app.canvas).toHaveAccessibleName('Drawing: 1 node, 0 calls');
  app.expectNoErrors();
});

// A pressed control that disables or replaces itself hands the focus on, so the keyboard goes
// on from where it was (it fell to the page's top): Run to Pause, Pause to Resume, a menu's
// item to its menu, Share's Close to Share.
test('the focus stays on the run bar as its buttons change', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.setSpeed('5');
  await app.byTestId('run').focus();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('run')).toHaveText('Resume');
  await expect(app.byTestId('run')).toBeFocused();
  await app.byTestId('reset').focus();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('run')).toHaveText('Run');
  await expect(app.byTestId('run')).toBeFocused();
  // A preset chosen from its menu: the focus is back on the menu.
  const menu = app.byTestId('preset-menu');
  await menu.locator('summary').focus();
  await page.keyboard.press('Enter');
  await app.byTestId('preset-02').focus();
  await page.keyboard.press('Enter');
  await expect(menu).not.toHaveAttribute('open', '');
  await expect(menu.locator('summary')).toBeFocused();
  // Tab past its last item: the menu closes, as the focus goes on along the bar.
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('open', '');
  await app.byTestId('preset-10').focus();
  await page.keyboard.press('Tab');
  await expect(menu.locator('summary')).not.toBeFocused();
  await expect(menu).not.toHaveAttribute('open', '');
  // The share link's Close: back on Share.
  await app.byTestId('share').focus();
  await page.keyboard.press('Enter');
  await app.byTestId('share-close').focus();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('share-popover')).toHaveCount(0);
  await expect(app.byTestId('share')).toBeFocused();
  // Ctrl+Enter runs and pauses from anywhere, a field being typed in included: what was typed
  // goes in first.
  await app.setSpeed('5');
  await app.selectNode('web');
  const workers = app.byTestId('param-workers');
  await workers.fill('24');
  await page.keyboard.press('Control+Enter');
  await expect(app.byTestId('pause')).toBeEnabled();
  await expect(workers).toHaveValue('24');
  // The keyboard stays in the field (taking the focus to commit the value dropped it).
  await expect(workers).toBeFocused();
  await expect(app.byTestId('run-stale')).toHaveCount(0);
  await page.keyboard.press('Control+Enter');
  await expect(app.byTestId('run')).toHaveText('Resume');
  app.expectNoErrors();
});

test("a node's calls are listed in the inspector, and a call is added from there", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  await app.byTestId('palette-client').click();
  await app.byTestId('palette-server').click();
  const [client, server] = await app.nodeIds();
  await app.selectNode(client);
  await expect(app.byTestId('calls')).toContainText('It calls nothing yet.');
  // Picking only chooses (arrow keys on the closed list pass over options); the button adds.
  const list = app.byTestId('add-call');
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await expect(app.edgeLocator(client, server)).toHaveCount(0);
  await list.selectOption(server);
  await expect(app.edgeLocator(client, server)).toHaveCount(0);
  await app.byTestId('add-call-button').click();
  await expect(app.edgeLocator(client, server)).toBeAttached();
  await expect(app.byTestId(`call-${server}`)).toBeVisible();
  // Nothing left to call: the list of candidates is gone.
  await expect(app.byTestId('add-call')).toHaveCount(0);
  // The call's button selects it: its own panel (latency, delete) shows, with the focus.
  await app.byTestId(`call-${server}`).focus();
  await page.keyboard.press('Enter');
  await expect(app.byTestId('inspector-edge')).toBeVisible();
  await expect(app.byTestId('edge-latency')).toBeFocused();
  app.expectNoErrors();
});

test("dragging from a node's input port wires it back to its caller, and the node stays put", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const spare = await app.addNode('server');
  const at = await app.nodePosition(spare);
  const port = await app.byTestId(`port-in-${spare}`).boundingBox();
  const dns = await app.nodeLocator('dns').boundingBox();
  if (!port || !dns) throw new Error('no port or node box');
  await page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
  await page.mouse.down();
  await page.mouse.move(dns.x + dns.width / 2, dns.y + dns.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(app.edgeLocator('dns', spare)).toBeAttached();
  expect(await app.nodePosition(spare)).toEqual(at);
  // A second caller, the same way: the users call it directly too.
  await page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
  await page.mouse.down();
  const users = await app.nodeLocator('users').boundingBox();
  if (!users) throw new Error('no users box');
  await page.mouse.move(users.x + users.width / 2, users.y + users.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(app.edgeLocator('users', spare)).toBeAttached();
  app.expectNoErrors();
});

test('a right press on a port starts no wire: only the main button pulls one', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const spare = await app.addNode('server');
  const port = await app.byTestId(`port-out-${spare}`).boundingBox();
  if (!port) throw new Error('no port');
  await page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
  // The right button opens the browser's context menu, which takes the release: a wire it
  // started was left hanging from the port.
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(port.x + 120, port.y + 60, { steps: 5 });
  await expect(app.canvas.locator('.wire-preview')).toHaveCount(0);
  await page.mouse.up({ button: 'right' });
  // The main button still does.
  await page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
  await page.mouse.down();
  await page.mouse.move(port.x + 120, port.y + 60, { steps: 5 });
  await expect(app.canvas.locator('.wire-preview')).toHaveCount(1);
  await page.mouse.up();
  await expect(app.canvas.locator('.wire-preview')).toHaveCount(0);
  app.expectNoErrors();
});

test('nodes added by clicking the palette line up left to right, in the order added', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  for (const kind of ['client', 'dns', 'load_balancer', 'server', 'sql_primary']) {
    await app.byTestId(`palette-${kind}`).click();
  }
  const ids = await app.nodeIds();
  expect(ids).toHaveLength(5);
  const at = await Promise.all(ids.map((id) => app.nodePosition(id)));
  for (let i = 1; i < at.length; i++) {
    // Each to the right of the one before (they went round the view's centre: the second to
    // the left of the first, the third above).
    expect(at[i].x, `node ${i}`).toBeGreaterThan(at[i - 1].x);
    expect(at[i].y, `node ${i}`).toBe(at[0].y);
  }
  // The view followed the row past the canvas's right edge: the last one added shows whole.
  const canvas = await app.canvas.boundingBox();
  const last = await app.nodeLocator(ids[4]).boundingBox();
  if (!canvas || !last) throw new Error('no box');
  expect(last.x + last.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  expect(last.x).toBeGreaterThanOrEqual(canvas.x);
  app.expectNoErrors();
});

test('after Add call the focus stays in the list, for the next call', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  for (const kind of ['load_balancer', 'server', 'server', 'server']) {
    await app.byTestId(`palette-${kind}`).click();
  }
  const [lb, a, b, c] = await app.nodeIds();
  await app.selectNode(lb);
  const list = app.byTestId('add-call');
  await list.selectOption(a);
  await app.byTestId('add-call-button').focus();
  await page.keyboard.press('Enter');
  await expect(app.edgeLocator(lb, a)).toBeAttached();
  // Back on the list (it fell to the page's top), so the keyboard goes on from there.
  await expect(list).toBeFocused();
  await list.selectOption(b);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(app.edgeLocator(lb, b)).toBeAttached();
  await list.selectOption(c);
  await app.byTestId('add-call-button').click();
  // Nothing left to call: the list goes, and the focus is on the call just added.
  await expect(list).toHaveCount(0);
  await expect(app.byTestId(`call-${c}`)).toBeFocused();
  app.expectNoErrors();
});

test('the usual ways out: a press outside closes a menu, Escape clears the selection', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const menu = app.byTestId('file-menu');
  await menu.locator('summary').click();
  await expect(menu).toHaveAttribute('open', '');
  // Pressing on a node (whose press does not bubble) closes it too.
  await app.selectNode('dns');
  await expect(menu).not.toHaveAttribute('open', '');
  await expect(app.byTestId('inspector-node-id')).toHaveText('dns');
  await page.keyboard.press('Escape');
  await expect(app.nodeLocator('dns')).not.toHaveClass(/\bselected\b/);
  await expect(app.byTestId('inspector-node')).toHaveCount(0);
  app.expectNoErrors();
});

test('a node without a name goes by its id: on the canvas and in the bottleneck line', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const name = app.byTestId('node-name');
  await name.fill('');
  await name.press('Enter');
  await expect(app.byTestId('capacity')).toContainText('Bottleneck: box saturates');
  // Its title on the canvas was blank, and a screen reader heard ", Server".
  const node = app.nodeLocator('box');
  await expect(node.locator('.node-name')).toHaveText('box');
  await expect(node).toHaveAttribute('aria-label', 'box, Server, bottleneck');
  // A name of spaces only is no name either; the field keeps what was typed.
  await name.fill('   ');
  await name.press('Enter');
  await expect(node.locator('.node-name')).toHaveText('box');
  await expect(name).toHaveValue('   ');
  app.expectNoErrors();
});


// Three identical servers behind a balancer saturate together: each box is tagged, and the
// capacity line's hover text says so (one of three was tagged, and read as the weak one).
test('servers as busy as the bottleneck are tagged with it', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const server = (id: string, mean: number) =>
    ({ id, kind: 'server', name: id.toUpperCase(), x: 400, y: 60 + 120 * Number(id.slice(-1)), params: { workers: 4, service_ms: { dist: 'exp', mean } } });
  const scenario = {
    version: 1, name: 'three servers', duration_s: 30, warmup_s: 5,
    nodes: [
      { id: 'users', kind: 'client', x: 0, y: 180, params: { rps: 100 } },
      { id: 'lb', kind: 'load_balancer', x: 200, y: 180 },
      server('web1', 20), server('web2', 20), server('web3', 20),
    ],
    edges: [{ from: 'users', to: 'lb' }, { from: 'lb', to: 'web1' }, { from: 'lb', to: 'web2' }, { from: 'lb', to: 'web3' }],
  };
  await app.importFile('three.json', JSON.stringify(scenario));
  await expect(app.byTestId('capacity')).toHaveAttribute('title', /^2 other nodes are as busy: they saturate at the same rate\.\nWith every part up/);
  await expect(app.canvas.locator('.node.bottleneck')).toHaveCount(3);
  // Slowed, one of them is the bottleneck alone.
  await app.selectNode('web3');
  await app.setParam('service_ms-mean', 30);
  await expect(app.byTestId('capacity')).toContainText('Bottleneck: WEB3 saturates');
  await expect(app.byTestId('capacity')).toHaveAttribute('title', /^With every part up, as drawn: faults/);
  await expect(app.canvas.locator('.node.bottleneck')).toHaveCount(1);
  await expect(app.nodeLocator('web3')).toHaveClass(/\bbottleneck\b/);
  app.expectNoErrors();
});

test('a name too long for its box is cut short with an ellipsis, and kept whole', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const long = 'Primary web application server with database and background jobs';
  await app.byTestId('node-name').fill(long);
  await app.byTestId('node-name').press('Enter');
  const node = app.nodeLocator('box');
  await expect(node).toHaveAttribute('aria-label', `${long}, Server, bottleneck`);
  const shown = (await node.locator('.node-name').textContent()) ?? '';
  expect(shown.endsWith('…') && long.startsWith(shown.slice(0, -1).trimEnd()), shown).toBe(true);
  expect(shown.length).toBeGreaterThan(8);
  // Drawn inside the box, and not squeezed into a smear: at least 5 px a character (13 px type).
  const fit = await node.evaluate((g) => {
    const box = (g.querySelector('.node-box') as SVGGraphicsElement).getBBox();
    const text = g.querySelector('.node-name') as SVGTextElement;
    const b = text.getBBox();
    return { right: b.x + b.width, edge: box.x + box.width - 7, width: b.width };
  });
  expect(fit.right).toBeLessThanOrEqual(fit.edge);
  expect(fit.width / shown.length).toBeGreaterThanOrEqual(5);
  await expect(app.byTestId('node-name')).toHaveValue(long);
  app.expectNoErrors();
});

// Every node and call is a stop of Tab: a button before them skips the drawing, shown while it
// has the focus.
test("from the keyboard the drawing can be skipped, on to the inspector", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('10');
  await app.byTestId('snap').focus();
  await page.keyboard.press('Tab');
  const skip = app.byTestId('skip-drawing');
  await expect(skip).toBeFocused();
  const box = await skip.boundingBox();
  expect(box && box.width > 40 && box.height > 10, 'shown while focused').toBe(true);
  await page.keyboard.press('Enter');
  await expect(app.byTestId('scenario-name')).toBeFocused();
  // Without it, the next stop is the drawing's first.
  await app.byTestId('snap').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  expect(focused).toMatch(/^(node|edge)-/);
  app.expectNoErrors();
});
