// Import and export: the scenario as JSON (export, then import, gives the same scenario; a bad
// file is refused with a message and changes nothing), the run's series and per-node figures as
// CSV, and PNGs of a plot and of the canvas.
import { test, expect } from '@playwright/test';
import { App, apart, PRESET_NODES } from './app';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('export JSON then import it gives the same scenario', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  await app.selectNode('web-eu');
  await app.byTestId('node-name').fill('Web, "EU" <edge>');
  await app.byTestId('node-name').press('Enter');
  const exported = await app.download('export-json');
  expect(exported.name).toMatch(/\.json$/);
  const scenario = JSON.parse(exported.bytes.toString('utf8'));
  expect(scenario.version).toBe(1);
  expect(scenario.nodes.map((n: { id: string }) => n.id)).toEqual(PRESET_NODES['07']);

  await app.loadPreset('01');
  // Zoomed far in, as if working on a detail: the import brings every new node into view.
  // (Zoom in goes off at the largest zoom.)
  for (let i = 0; i < 6 && (await app.byTestId('zoom-in').isEnabled()); i++) await app.byTestId('zoom-in').click();
  await app.importFile(exported.name, exported.bytes);
  await expect(app.nodes).toHaveCount(PRESET_NODES['07'].length);
  await app.expectAllNodesInView();
  // (The box shows it cut short; its label has it whole.)
  await expect(app.nodeLocator('web-eu')).toHaveAttribute('aria-label', 'Web, "EU" <edge>, Server');
  const again = await app.download('export-json');
  expect(again.bytes.toString('utf8')).toEqual(exported.bytes.toString('utf8'));
  // The import is one undoable edit.
  await app.byTestId('undo').click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['01']);
  app.expectNoErrors();
});

test('a bad file is refused with a message and the scenario is unchanged', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  const bad: [string, string | Buffer, string][] = [
    ['notes.json', 'this is not json', 'does not hold a Scaleplay scenario'],
    ['future.json', '{"version": 9, "nodes": []}', 'unsupported version 9'],
    ['binary.json', Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'not text'],
    ['huge.json', Buffer.alloc(5 * 1024 * 1024, 32), 'more than the limit of 4 MB'],
  ];
  for (const [name, contents, message] of bad) {
    await app.importFile(name, contents);
    await expect(app.banner).toContainText(`Could not import "${name}"`);
    await expect(app.banner).toContainText(message);
    expect(await app.nodeIds()).toEqual(PRESET_NODES['03']);
    await app.banner.getByRole('button', { name: 'Dismiss' }).click();
  }
  await expect(app.runButton).toBeEnabled();
  app.expectNoErrors();
});

test('the CSV downloads hold the series and the per-node figures', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  await expect(app.byTestId('export-series-csv')).toBeDisabled();
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  const series = await app.download('export-series-csv');
  expect(series.name).toMatch(/-series\.csv$/);
  const rows = series.bytes.toString('utf8').trimEnd().split('\r\n');
  const header = rows[0].split(',');
  expect(header.slice(0, 3)).toEqual(['t_s', 'offered_rps', 'throughput_rps']);
  expect(header).toContain('p99_ms');
  const chart = await app.chart('throughput');
  expect(rows.length - 1).toBe(chart.points);
  const last = rows[rows.length - 1].split(',').map(Number);
  expect(last[header.indexOf('throughput_rps')]).toBeCloseTo(chart.last, 2);
  const p99 = rows.slice(1).map((r) => Number(r.split(',')[header.indexOf('p99_ms')]));
  expect(Math.max(...p99)).toBeCloseTo((await app.chart('latency')).max, 2);

  const nodes = await app.download('export-nodes-csv');
  const nodeRows = nodes.bytes.toString('utf8').trimEnd().split('\r\n');
  expect(nodeRows[0].split(',').slice(0, 4)).toEqual(['id', 'name', 'kind', 'utilization']);
  // Every node, the client too, with what its users saw.
  expect(nodeRows.slice(1).map((r) => r.split(',')[0]).sort()).toEqual(['db', 'dns', 'users', 'web']);
  const users = nodeRows.find((r) => r.startsWith('users,'))!.split(',');
  expect(users[2]).toBe('client');
  expect(users[3], 'a client has no utilization').toBe('');
  const web = nodeRows.find((r) => r.startsWith('web,'))!.split(',');
  const utilization = Number(web[3]);
  expect(utilization).toBeGreaterThan(0);
  expect(utilization).toBeLessThanOrEqual(1);

  // Per-node series: one row per window and node, in long form.
  const nodeSeries = await app.download('export-node-series-csv');
  expect(nodeSeries.name).toMatch(/-node-series\.csv$/);
  const nsRows = nodeSeries.bytes.toString('utf8').trimEnd().split('\r\n');
  const nsHeader = nsRows[0].split(',');
  expect(nsHeader.slice(0, 6)).toEqual(['t_s', 'id', 'name', 'kind', 'utilization', 'backlog']);
  // Three nodes and the users, whose rows have what they saw.
  expect(nsRows.length - 1).toBe(chart.points * 4);
  const webRows = nsRows.slice(1).map((r) => r.split(',')).filter((c) => c[1] === 'web');
  expect(webRows.length).toBe(chart.points);
  expect(webRows.every((c) => Number(c[4]) >= 0 && Number(c[4]) <= 1)).toBe(true);
  expect(nsHeader.slice(11)).toEqual(['dead_letters', 'sessions_lost', 'throughput_rps', 'availability', 'p99_ms']);
  const userRows = nsRows.slice(1).map((r) => r.split(',')).filter((c) => c[1] === 'users');
  expect(userRows.length).toBe(chart.points);
  expect(userRows.some((c) => Number(c[13]) > 0), 'the users were served').toBe(true);
  app.expectNoErrors();
});

test('a plot and the canvas save as PNG', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  const plot = await app.download('chart-latency-png');
  expect(plot.name).toMatch(/chart-latency\.png$/);
  // Drawn again at twice the plot's size (a 1× screen's canvas made a blurry 1× image).
  const canvasWidth = await app.chartLocator('latency').evaluate((c) => (c as HTMLCanvasElement).width);
  const shownWidth = await app.chartLocator('latency').evaluate((c) => (c as HTMLCanvasElement).clientWidth);
  expect(canvasWidth).toBe(shownWidth);
  // Preset 05's cache fails and comes back: the plot's 440 pixels have the faults' key under
  // them (see the next test).
  expect(await app.byTestId('fault-key').locator('li').count()).toBe(2);
  expect(pngSize(plot.bytes)).toEqual({ width: 2 * canvasWidth, height: 440 + 32 + 3 * 36 });

  const picture = await app.download('export-canvas-png');
  expect(picture.name).toMatch(/-canvas\.png$/);
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');
  const size = pngSize(picture.bytes);
  expect(size.width).toBe(Math.floor(box.width * 2));
  expect(size.height).toBe(Math.floor(box.height * 2));
  // A drawn picture, not an empty one: nodes and edges compress far worse than a blank sheet.
  expect(picture.bytes.length).toBeGreaterThan(20_000);
  app.expectNoErrors();
});

test("a saved plot of a run with faults has the faults' key written under it", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  // Preset 03 fails web2 and brings it back: the page's key lists both.
  const keyLines = await app.byTestId('fault-key').locator('li').count();
  expect(keyLines).toBe(2);
  const plot = await app.download('chart-availability-png');
  const canvasWidth = await app.chartLocator('availability').evaluate((c) => (c as HTMLCanvasElement).width);
  // At twice the plot's pixels: the plot's 440, then 2 × 8 of margin each side of the key's
  // title line and its two faults, 2 × 18 each.
  expect(pngSize(plot.bytes)).toEqual({ width: 2 * canvasWidth, height: 440 + 32 + 3 * 36 });
  // Written, not blank: under the plot are dark letters and the red and green strokes of the
  // two faults' lines.
  const under = await page.evaluate(
    async ({ bytes, top }) => {
      const image = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const c = document.createElement('canvas');
      c.width = image.width;
      c.height = image.height;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(image, 0, 0);
      const d = ctx.getImageData(0, top, image.width, image.height - top).data;
      let dark = 0;
      let red = 0;
      let green = 0;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if (r < 110 && g < 110 && b < 110) dark++;
        if (r > 220 && g < 40 && b < 40) red++;
        if (g > 220 && r < 40 && b < 40) green++;
      }
      return { dark, red, green };
    },
    { bytes: [...plot.bytes], top: 440 },
  );
  expect(under.dark).toBeGreaterThan(1000);
  expect(under.red).toBeGreaterThan(50);
  expect(under.green).toBeGreaterThan(50);
  app.expectNoErrors();
});

test('File → New scenario opens an empty canvas of its own, one Undo away from the work before', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.byTestId('file-menu').locator('summary').click();
  await app.byTestId('new-scenario').click();
  await expect(app.nodes).toHaveCount(0);
  await expect(app.byTestId('scenario-name')).toHaveValue('New scenario');
  // No preset notes carried over to the new work.
  await expect(app.byTestId('notes')).toHaveCount(0);
  await app.byTestId('undo').click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['03']);
  app.expectNoErrors();
});

test('a file with a node far beyond the canvas opens with it brought into reach, and says so', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const scenario = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  const web = scenario.nodes.find((n: { id: string }) => n.id === 'web');
  web.x = 1e12;
  web.y = -1e12;
  await app.importFile('far.json', JSON.stringify(scenario));
  await expect(app.banner).toContainText('1 node lay more than 20,000 from the origin');
  // Moved beside the others and fitted: every node is drawn inside the canvas.
  await app.expectAllNodesInView();
  const moved = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  const at = (id: string) => moved.nodes.find((n: { id: string }) => n.id === id);
  expect(at('web').x).toBeGreaterThan(at('db').x);
  expect(Math.abs(at('web').y)).toBeLessThan(20_000);
  app.expectNoErrors();
});

test('a file whose nodes have no positions opens with them laid out by their calls, and says so', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  // Written by hand: no x or y, so every node would open at the origin, one on the others.
  const scenario = {
    version: 1,
    name: 'No positions',
    nodes: [
      { id: 'db', kind: 'sql_primary' },
      { id: 'users', kind: 'client', params: { rps: 50 } },
      { id: 'web', kind: 'server' },
    ],
    edges: [{ from: 'users', to: 'web' }, { from: 'web', to: 'db' }],
  };
  await app.importFile('no-positions.json', JSON.stringify(scenario));
  await expect(app.banner).toContainText('3 nodes lay on top of one another');
  await app.expectAllNodesInView();
  // Side by side on the canvas, callers left of what they call.
  const box = async (id: string) => (await app.nodeLocator(id).boundingBox())!;
  const [users, web, db] = [await box('users'), await box('web'), await box('db')];
  expect(apart(users, web) && apart(web, db) && apart(users, db)).toBe(true);
  expect(users.x).toBeLessThan(web.x);
  expect(web.x).toBeLessThan(db.x);
  // Each box can be clicked: none lies under another.
  for (const id of ['users', 'web', 'db']) await app.selectNode(id);
  app.expectNoErrors();
});
