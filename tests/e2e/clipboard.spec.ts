// Data centers and copies on the canvas: a node dropped or moved into a data center's frame
// joins that data center; nodes are duplicated, copied, cut and pasted with their params and
// the calls between them, each one step of undo.
import { test, expect, type Locator } from '@playwright/test';
import { App } from './app';

async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not drawn');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** The screen point halfway between the centres of nodes `a` and `b`. */
async function between(app: App, a: string, b: string): Promise<{ x: number; y: number }> {
  const [p, q] = [await centreOf(app.nodeLocator(a)), await centreOf(app.nodeLocator(b))];
  return { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
}

/** The data center the inspector shows for node `id`. */
async function dcOf(app: App, id: string): Promise<string> {
  await app.selectNode(id);
  return app.byTestId('node-dc').inputValue();
}

test('a server dropped into the EU frame is in eu; one moved there joins eu; undo moves it back', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  await app.byTestId('fit').click();
  const spot = await between(app, 'users-eu', 'lb-eu');
  const canvas = await app.canvas.boundingBox();
  if (!canvas) throw new Error('no canvas');
  await app.dragFromPalette('server', spot.x - canvas.x, spot.y - canvas.y);
  const added = (await app.nodeIds()).find((id) => id.startsWith('server'));
  if (!added) throw new Error('no new server');
  expect(await dcOf(app, added)).toBe('eu');

  // The US web server moved into the EU frame: it joins eu, inside that frame as drawn.
  const from = await centreOf(app.nodeLocator('web-us'));
  const to = await between(app, 'lb-eu', 'web-eu');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
  // Said in the banner (until the next press on a node), as calls across data centers cost more.
  await expect(app.banner).toContainText('"web-us" is now in data center "eu"');
  expect(await dcOf(app, 'web-us')).toBe('eu');
  const [frame, box] = [
    await app.byTestId('dc-eu').locator('rect').boundingBox(),
    await app.nodeLocator('web-us').boundingBox(),
  ];
  expect(box!.y).toBeGreaterThan(frame!.y);
  expect(box!.y + box!.height).toBeLessThan(frame!.y + frame!.height);


  await page.keyboard.press('Control+z');
  expect(await dcOf(app, 'web-us')).toBe('us');
  // Moved within its own frame, it stays where it was.
  const own = await between(app, 'lb-us', 'web-us');
  const at = await centreOf(app.nodeLocator('web-us'));
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(own.x, own.y, { steps: 10 });
  await page.mouse.up();
  expect(await dcOf(app, 'web-us')).toBe('us');

  // A server added by a palette click beside GeoDNS is in GeoDNS's data center.
  await app.selectNode('geodns');
  const beside = await app.addNode('server');
  expect(await dcOf(app, beside)).toBe('global');

  // The whole EU row moved onto the US row stays EU: the data center itself moved, and the
  // fault that names it still has it.
  await page.keyboard.down('Shift');
  const eu = await app.byTestId('dc-eu').locator('rect').boundingBox();
  await page.mouse.move(eu!.x - 4, eu!.y - 4);
  await page.mouse.down();
  await page.mouse.move(eu!.x + eu!.width + 4, eu!.y + eu!.height + 4, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const euIds = ['users-eu', 'lb-eu', 'web-eu', 'db-eu', added];
  for (const id of euIds) await expect(app.nodeLocator(id)).toHaveClass(/\bselected\b/);
  const grab = await centreOf(app.nodeLocator('lb-eu'));
  const onto = await centreOf(app.nodeLocator('lb-us'));
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(onto.x, onto.y + 10, { steps: 10 });
  await page.mouse.up();
  // Had they joined us, eu would have no nodes and so no frame.
  expect((await app.nodePosition('users-eu')).y).toBeGreaterThan(300);
  await expect(app.byTestId('dc-eu')).toHaveCount(1);
  await expect(app.validation).toBeHidden();
});

test('Ctrl+D and the Duplicate button copy a node with its params; Ctrl+Z takes the copy back', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  const before = await app.nodeIds();
  const server = before.find((id) => id.startsWith('web'));
  if (!server) throw new Error(`no web server in ${before}`);
  await app.selectNode(server);
  await app.setParam('workers', 11);
  await app.nodeLocator(server).click();
  await page.keyboard.press('Control+d');
  await expect(app.nodes).toHaveCount(before.length + 1);
  const copy = (await app.nodeIds()).find((id) => !before.includes(id))!;
  // The copy is selected, beside the original, with the same params.
  await expect(app.byTestId('inspector-node-id')).toHaveText(copy);
  await expect(app.byTestId('param-workers')).toHaveValue('11');
  // Below the original, clear of every node, and called by the same balancer.
  const [p, q] = [await app.nodePosition(server), await app.nodePosition(copy)];
  expect(q.x).toBe(p.x);
  expect(q.y).toBeGreaterThan(p.y);
  await expect(app.edgeLocator('lb', copy)).toBeAttached();
  await expect(app.edgeLocator(copy, 'db')).toBeAttached();

  await app.byTestId('node-duplicate').click();
  await expect(app.nodes).toHaveCount(before.length + 2);
  await page.keyboard.press('Control+z');
  await expect(app.nodes).toHaveCount(before.length + 1);

  // The inspector's Delete removes the node shown.
  await app.selectNode(copy);
  await app.byTestId('node-delete').click();
  await expect(app.nodes).toHaveCount(before.length);
  await expect(app.nodeLocator(copy)).toHaveCount(0);
});

test('copied nodes paste with the call between them, cut removes, and the copy runs', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  const canvas = await app.canvas.boundingBox();
  if (!canvas) throw new Error('no canvas');
  await app.dragFromPalette('client', 120, 200);
  await app.dragFromPalette('server', 340, 200);
  await app.connect('client', 'server');

  // Both selected by a Shift+drag box, copied, pasted twice: each paste a step further.
  await page.keyboard.down('Shift');
  await page.mouse.move(canvas.x + 10, canvas.y + 60);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 480, canvas.y + 300, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(app.canvas.locator('.node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(app.nodes).toHaveCount(4);
  await expect(app.edgeLocator('client-2', 'server-2')).toBeAttached();
  await expect(app.canvas.locator('.node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+v');
  await expect(app.nodes).toHaveCount(6);
  const [a, b] = [await app.nodePosition('server-2'), await app.nodePosition('server-3')];
  expect(b.y).toBeGreaterThan(a.y);

  // Cut the last paste, then put it back: where it was.
  await page.keyboard.press('Control+x');
  await expect(app.nodes).toHaveCount(4);
  await page.keyboard.press('Control+v');
  await expect(app.nodes).toHaveCount(6);
  await expect(app.edgeLocator('client-3', 'server-3')).toBeAttached();
  expect(await app.nodePosition('server-3')).toEqual(b);

  // Three clients, three servers, three calls: a scenario that runs, every client served.
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  // Each client sends 10 req/s by default: three of them, all answered.
  const summary = await app.summary();
  expect(summary.throughput).toBeGreaterThan(25);
  expect(summary.throughput).toBeLessThan(35);
  expect(summary.availability).toBe(100);
  expect(app.errors).toEqual([]);
});

test('with several nodes selected, the inspector duplicates, copies and deletes them all', async ({ page }) => {
  // With only "3 nodes selected" there, a mouse could not delete a selection.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  const before = await app.nodeIds();
  await app.selectNode('web1');
  await page.keyboard.down('Shift');
  await app.nodeLocator('web2').click();
  await app.nodeLocator('web3').click();
  await page.keyboard.up('Shift');
  await expect(app.byTestId('selection-count')).toHaveText('3 nodes selected');

  // Duplicate: three copies, selected, each called by the balancer.
  await app.byTestId('selection-duplicate').click();
  await expect(app.nodes).toHaveCount(before.length + 3);
  const copies = (await app.nodeIds()).filter((id) => !before.includes(id));
  for (const id of copies) {
    await expect(app.nodeLocator(id)).toHaveClass(/\bselected\b/);
    await expect(app.edgeLocator('lb', id)).toBeAttached();
  }

  // Delete: the copies go, with their calls; one Undo brings them back.
  await app.byTestId('selection-delete').click();
  await expect(app.nodes).toHaveCount(before.length);
  await expect(app.byTestId('selection-count')).toHaveCount(0);
  for (const id of copies) await expect(app.edgeLocator('lb', id)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(app.nodes).toHaveCount(before.length + 3);

  // Copy: what Ctrl+V then pastes.
  await app.selectNode('web1');
  await page.keyboard.down('Shift');
  await app.nodeLocator('web2').click();
  await page.keyboard.up('Shift');
  await app.byTestId('selection-copy').click();
  await expect(app.nodes).toHaveCount(before.length + 3);
  await app.nodeLocator('web1').click();
  await page.keyboard.press('Control+v');
  await expect(app.nodes).toHaveCount(before.length + 5);
  app.expectNoErrors();
});

test('nodes of two data centers duplicated together land beside them, each data center framed apart', async ({ page }) => {
  // A row down, the EU copy stretched the EU frame over the global one and the US one: its
  // nodes looked to be in the other data centers.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  const before = await app.nodeIds();
  await app.selectNode('web-eu');
  await page.keyboard.down('Shift');
  await app.nodeLocator('web-us').click();
  await page.keyboard.up('Shift');
  await app.byTestId('selection-duplicate').click();
  await expect(app.nodes).toHaveCount(before.length + 2);
  const copies = (await app.nodeIds()).filter((id) => !before.includes(id));
  await page.keyboard.press('Escape');
  expect([await dcOf(app, copies[0]), await dcOf(app, copies[1])]).toEqual(['eu', 'us']);
  await app.byTestId('fit').click();
  const frames = await Promise.all(
    ['dc-eu', 'dc-us', 'dc-global'].map(async (id) => {
      const box = await app.byTestId(id).locator('rect').boundingBox();
      if (!box) throw new Error(`${id} not drawn`);
      return { id, ...box };
    }),
  );
  for (const [i, f] of frames.entries()) {
    for (const g of frames.slice(i + 1)) {
      const apart =
        f.x + f.width <= g.x || g.x + g.width <= f.x || f.y + f.height <= g.y || g.y + g.height <= f.y;
      expect(apart, `${f.id} and ${g.id} drawn apart`).toBe(true);
    }
  }
  // Each copy inside its own data center's frame, on the row of its original.
  const original = await app.nodePosition('web-eu');
  const copy = await app.nodePosition(copies[0]);
  expect(copy.y).toBe(original.y);
  expect(copy.x).toBeGreaterThan(original.x);
  app.expectNoErrors();
});
