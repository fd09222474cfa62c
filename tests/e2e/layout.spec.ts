// Layout: at a laptop size and down to a tablet, the page does not scroll sideways and every
// part is there — palette, canvas, inspector, run bar, and all three plots side by side where they
// fit (each fully inside the window's width), and the node plot at its own size.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { App, PRESETS, apart, type Box } from './app';

/** The width of a canvas's content on the page, in CSS pixels. */
async function shownWidth(canvas: Locator): Promise<number> {
  return canvas.evaluate((c) => c.clientWidth);
}

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
];

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} everything is in reach and the plots fit the width`, async ({ page }) => {
    await page.setViewportSize(size);
    const app = new App(page);
    await app.goto();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    for (const id of ['palette-server', 'canvas', 'inspector', 'run', 'share']) {
      await expect(app.byTestId(id)).toBeVisible();
    }
    const charts = ['chart-throughput', 'chart-latency', 'chart-availability'];
    const boxes = [];
    for (const id of charts) {
      const box = await app.byTestId(id).boundingBox();
      if (!box) throw new Error(`${id} has no box`);
      expect(box.x, id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(size.width);
      // Never shrunk past legibility.
      expect(box.width, id).toBeGreaterThanOrEqual(300);
      // Drawn at the width it is shown at (one device pixel per CSS pixel here), not scaled.
      await expect(app.byTestId(id)).toHaveAttribute('width', String(await shownWidth(app.byTestId(id))));
      await expect(app.byTestId(id)).toHaveAttribute('height', '220');
      boxes.push(box);
    }
    if (size.width >= 1024) {
      // One row: the three plots share a top edge.
      expect(Math.abs(boxes[1].y - boxes[0].y)).toBeLessThan(1);
      expect(Math.abs(boxes[2].y - boxes[0].y)).toBeLessThan(1);
    }
    // The selected node's plot in the inspector keeps its drawn size (280 px), even where the
    // inspector spans the whole width.
    await app.setSpeed('max');
    await app.run();
    await app.waitForRunDone();
    await app.selectNode('box');
    const nodePlot = await app.byTestId('node-chart').boundingBox();
    if (!nodePlot) throw new Error('the node plot has no box');
    expect(nodePlot.width).toBeLessThanOrEqual(282);
    expect(nodePlot.x + nodePlot.width).toBeLessThanOrEqual(size.width);
    app.expectNoErrors();
  });
}

test('on a phone the page does not scroll sideways, even with the longest capacity line', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const app = new App(page);
  await app.goto();
  for (const preset of ['01', '10']) {
    await app.loadPreset(preset);
    await expect(app.byTestId('capacity')).toContainText('saturates');
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // The toolbar's capacity line used to push the page to 411 px.
    expect(sideways, `preset ${preset}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  }
  app.expectNoErrors();
});

test('on a phone a menu stays within the window', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const app = new App(page);
  await app.goto();
  for (const menu of ['file-menu', 'preset-menu']) {
    await app.byTestId(menu).locator('summary').click();
    await expect(app.byTestId(menu)).toHaveAttribute('open', '');
    const list = app.byTestId(menu).locator('ul');
    const box = await list.boundingBox();
    if (!box) throw new Error(`${menu} has no list`);
    // The File menu's list ran to 404 px, and the page scrolled sideways.
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, menu).toBeLessThanOrEqual(390);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, menu).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await expect(app.byTestId(menu)).not.toHaveAttribute('open', '');
  }
  app.expectNoErrors();
});

test("the inspector's fields show a long value whole", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  for (const [field, value] of [
    ['param-service_ms-mean', '80000000'],
    ['param-queue', '123456789'],
  ]) {
    const input = app.byTestId(field);
    await input.fill(value);
    await input.press('Enter');
    await expect(input).toHaveValue(value);
    // "800000" showed: the field was too narrow for the digits beside its spin buttons.
    const cut = await input.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(cut, `${field} cuts ${value} short`).toBe(false);
  }
  const at = app.byTestId('fault-at');
  await at.fill('45000');
  const cut = await at.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(cut, 'the fault time field cuts 45000 short').toBe(false);
  app.expectNoErrors();
});

test.describe('on a screen with two device pixels per CSS pixel', () => {
  test.use({ deviceScaleFactor: 2, viewport: { width: 1280, height: 800 } });

  test('the plots get twice the pixels and keep their size on the page', async ({ page }) => {
    const app = new App(page);
    await app.goto();
    expect(await page.evaluate(() => window.devicePixelRatio)).toBe(2);
    const throughput = app.byTestId('chart-throughput');
    // Twice its width on the page (inside its 1 px border: 412 where the box is 414).
    const shown = await shownWidth(throughput);
    expect(shown).toBeGreaterThan(390);
    await expect(throughput).toHaveAttribute('width', String(2 * shown));
    await expect(throughput).toHaveAttribute('height', '440');
    const box = await throughput.boundingBox();
    if (!box) throw new Error('no box');
    expect(box.width).toBeGreaterThanOrEqual(300);
    expect(box.width).toBeLessThanOrEqual(640);

    await app.setSpeed('max');
    await app.run();
    await app.waitForRunDone();
    expect((await app.chart('throughput')).points).toBeGreaterThan(0);
    // An exported plot has the canvas's pixels: twice as sharp.
    const png = await app.download('chart-latency-png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.bytes.readUInt32BE(16)).toBe(2 * shown);

    await app.selectNode('box');
    const nodePlot = app.byTestId('node-chart');
    await expect(nodePlot).toHaveAttribute('width', '560');
    const nodeBox = await nodePlot.boundingBox();
    if (!nodeBox) throw new Error('the node plot has no box');
    expect(nodeBox.width).toBeLessThanOrEqual(282);
    expect(nodeBox.width).toBeGreaterThan(200);
    app.expectNoErrors();
  });
});

// The canvas after a preset loads (which fits it to the view): every data center's frame below
// the floating zoom buttons, inside the canvas and apart from the others, every node's name
// and kind inside its box and clear of its output port (long ones are drawn condensed), and
// the bottleneck named above its box rather than on the kind line, where it ran past the edge.
// At 1024×640 the capacity line takes three lines, and the frames go below it too.
test("each preset's nodes, labels and frames fit the canvas", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const runs = [1280, 1024].flatMap((width) => PRESETS.map((preset) => ({ width, preset })));
  for (const { width, preset: nn } of runs) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 640 });
    const preset = `${nn} at ${width}`;
    await app.loadPreset(nn);
    const canvas = await app.canvas.boundingBox();
    const tools = await page.locator('.canvas-tools').boundingBox();
    if (!canvas || !tools) throw new Error('no canvas box');
    const frames = app.canvas.locator('[data-testid^="dc-"] rect');
    expect(await frames.count()).toBeGreaterThan(0);
    const boxes: Box[] = [];
    for (const frame of await frames.all()) {
      const box = await frame.boundingBox();
      if (!box) throw new Error('a frame has no box');
      // Each data center's frame stands apart: one drawn inside another reads as nesting.
      for (const other of boxes) {
        expect(apart(box, other), `preset ${preset}: two data centers' frames overlap`).toBe(true);
      }
      boxes.push(box);
      expect(box.y, `preset ${preset}: a frame under the zoom buttons`).toBeGreaterThanOrEqual(tools.y + tools.height);
      expect(box.x).toBeGreaterThanOrEqual(canvas.x);
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
      expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    }
    // In canvas units, within each node's own group: independent of the zoom.
    const overruns = await app.nodes.evaluateAll((nodes) =>
      nodes.flatMap((g) => {
        const box = (g.querySelector('.node-box') as SVGGraphicsElement).getBBox();
        return ['.node-name', '.node-kind'].flatMap((line) => {
          const text = (g.querySelector(line) as SVGGraphicsElement).getBBox();
          // The output port is a circle of radius 7 on the box's right edge.
          const over = text.x + text.width - (box.x + box.width - 7);
          return over > 0 ? [`${g.getAttribute('data-testid')} ${line} by ${over.toFixed(1)} px`] : [];
        });
      }),
    );
    expect(overruns, `preset ${preset}`).toEqual([]);
    // One tag, or one on each node as busy as the bottleneck (the capacity line's hover text
    // counts them).
    const tags = app.canvas.locator('.node-tag');
    const others = Number((await app.byTestId('capacity').getAttribute('title'))?.match(/^(\d+) other nodes? (?:is|are) as busy/)?.[1] ?? 0);
    await expect(tags).toHaveCount(1 + others);
    for (const tag of await tags.all()) await expect(tag).toHaveText('bottleneck');
    await expect(app.canvas.locator('.node.bottleneck .node-tag')).toHaveCount(1 + others);
    await expect(app.canvas.locator('.node-kind', { hasText: 'bottleneck' })).toHaveCount(0);
  }
  expect(app.errors).toEqual([]);
});

// Each legend goes where it hides the fewest drawn points (src/panels/legend.rs). Preset 05's
// availability stays at 100 % just above its SLO line, so the top of that plot is full and the
// rest is empty: the legend must sit off both lines. Every plot says where its legend went.
test("the legends sit off the data where there is room", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const places = [
    'upper-left', 'middle-left', 'lower-left', 'upper-middle', 'lower-middle', 'upper-right',
    'middle-right', 'lower-right', 'coordinate',
  ];
  for (const name of ['throughput', 'latency', 'availability'] as const) {
    const chart = app.chartLocator(name);
    expect(places, name).toContain(await chart.getAttribute('data-legend'));
    expect(Number(await chart.getAttribute('data-legend-hides')), name).toBeGreaterThanOrEqual(0);
  }
  const availability = app.chartLocator('availability');
  expect((await app.chart('availability')).min).toBeGreaterThan(99.9);
  await expect(availability).toHaveAttribute('data-legend-hides', '0');
  await expect(availability).not.toHaveAttribute('data-legend', /^upper/);
  expect(app.errors).toEqual([]);
});

// Preset 03's latency plot has a fault line at 61 s with an SLO alert at its top: the legend
// counts both as drawn (it covered them, as it counted neither the lines nor the triangles
// where they are drawn). Every place there hides some line (the SLO line runs along the top,
// the percentiles through the middle); the least is at the upper right, clear of both (at
// 1600x1000 it sat in the upper middle, on both).
test("the legends keep off the fault lines and the alerts", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const latency = app.chartLocator('latency');
  expect(Number(await latency.getAttribute('data-faults'))).toBeGreaterThan(0);
  await expect(latency).toHaveAttribute('data-legend', 'upper-right');
  expect(app.errors).toEqual([]);
});

// A plot is redrawn for its new width when the window is resized: its text and lines keep their
// size instead of being scaled with the picture.
test('the plots are redrawn at their new width when the window is resized', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new App(page);
  await app.goto();
  const latency = app.byTestId('chart-latency');
  const wide = await shownWidth(latency);
  expect(wide).toBeGreaterThan(390);
  await expect(latency).toHaveAttribute('width', String(wide));
  await page.setViewportSize({ width: 1024, height: 768 });
  const narrower = await shownWidth(latency);
  expect(narrower).toBeLessThan(wide - 40);
  expect(narrower).toBeGreaterThanOrEqual(290);
  await expect(latency).toHaveAttribute('width', String(narrower));
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(latency).toHaveAttribute('width', String(wide));
  expect(app.errors).toEqual([]);
});

// A fitted view stays fitted when the canvas changes size (a smaller window), so no part of
// the design is cut off; a view the user zoomed is left as it is.
test('a fitted view refits when the window shrinks, a zoomed one stays', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.expectAllNodesInView();
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.expectAllNodesInView();
  // Zoomed in by hand: a resize keeps the user's zoom.
  await app.byTestId('zoom-in').click();
  const zoomed = await app.nodeLocator('db').boundingBox();
  await page.setViewportSize({ width: 1300, height: 740 });
  await expect.poll(async () => (await app.nodeLocator('db').boundingBox())?.width).toBe(zoomed?.width);
  expect(app.errors).toEqual([]);
});

// Nodes placed on a fitted canvas make its view the user's: a resize then leaves it (the view
// of an empty canvas was refitted to the first nodes when the window or the plots changed
// size, rezooming the design under the pointer).
/** A new canvas at 1440x900 with a client and a server added: a view the user built in. */
async function builtIn(page: Page): Promise<{ app: App; server: string }> {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new App(page);
  await app.goto();
  await app.clearCanvas();
  await app.addNode('client');
  return { app, server: await app.addNode('server') };
}

test('a view built in stays as it is when the window changes size', async ({ page }) => {
  const { app, server } = await builtIn(page);
  const placed = await app.nodeLocator(server).boundingBox();
  const canvasBefore = await app.canvas.boundingBox();
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(async () => (await app.canvas.boundingBox())?.height).not.toBe(canvasBefore?.height);
  // Two frames for the resize observer and a refit it would have asked for.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const after = await app.nodeLocator(server).boundingBox();
  expect(after?.width).toBe(placed?.width);
  expect(after?.x).toBe(placed?.x);
  expect(after?.y).toBe(placed?.y);
  expect(app.errors).toEqual([]);
});

// A view built in is kept, but moved up as the canvas loses height under it (a run's notes
// grow the panel below, a window shrinks), as far as keeps the nodes it showed in sight: a
// node placed near the bottom edge went out of reach.
test('a view built in moves up as the canvas loses height, keeping its nodes in sight', async ({ page }) => {
  const { app, server } = await builtIn(page);
  const canvas = await app.canvas.boundingBox();
  const box = await app.nodeLocator(server).boundingBox();
  if (!canvas || !box) throw new Error('no canvas or node box');
  // Dragged down to 12 pixels above the canvas's bottom edge.
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const toY = canvas.y + canvas.height - 12 - box.height / 2;
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, (from.y + toY) / 2, { steps: 4 });
  await page.mouse.move(from.x, toY, { steps: 4 });
  await page.mouse.up();
  await app.expectAllNodesInView();
  await page.setViewportSize({ width: 1440, height: 780 });
  await expect.poll(async () => (await app.canvas.boundingBox())?.height).toBeLessThan(canvas.height - 60);
  await app.expectAllNodesInView();
  expect(app.errors).toEqual([]);
});

// On a large screen the plots take the width (up to 640 px each) rather than leaving most of
// the row empty, and are drawn at that width.
test('on a wide screen the plots use the width', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const app = new App(page);
  await app.goto();
  for (const id of ['chart-throughput', 'chart-latency', 'chart-availability']) {
    const chart = app.byTestId(id);
    const shown = await shownWidth(chart);
    expect(shown, id).toBeGreaterThan(560);
    await expect(chart).toHaveAttribute('width', String(shown));
  }
  expect(app.errors).toEqual([]);
});

// On a laptop's short screen the plots took 270 of 720 pixels: folded away, the canvas gets
// their height and refits a fitted drawing to it, the figures go on showing the run, and the
// choice is kept across a reload. Shown again, the plots draw the run at their width.
test('the plots fold away to give the canvas their height, and come back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('10');
  const before = await app.canvas.boundingBox();
  const db = await app.nodeLocator('shard-a').boundingBox();
  if (!before || !db) throw new Error('no canvas or node box');
  const fold = app.byTestId('plots-fold');
  await expect(fold).toHaveText(/Hide plots/);
  await fold.click();
  await expect(app.byTestId('chart-latency')).toHaveCount(0);
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  // The canvas takes the plots' height, and the fitted drawing grows into it.
  await expect.poll(async () => (await app.canvas.boundingBox())?.height ?? 0).toBeGreaterThan(before.height + 200);
  await expect.poll(async () => (await app.nodeLocator('shard-a').boundingBox())?.width ?? 0).toBeGreaterThan(db.width * 1.2);
  await app.expectAllNodesInView();
  // A run still shows its figures.
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await expect(app.byTestId('summary-throughput')).toHaveText(/^[0-9]/);
  // Kept across a reload.
  await page.reload();
  await expect(app.canvas).toBeVisible();
  await expect(app.byTestId('plots-fold')).toHaveText(/Show plots/);
  await expect(app.byTestId('chart-latency')).toHaveCount(0);
  // Shown again: the plots are back, each drawn at the width it is shown at.
  await app.byTestId('plots-fold').click();
  for (const id of ['chart-throughput', 'chart-latency', 'chart-availability']) {
    const chart = app.byTestId(id);
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute('width', String(await shownWidth(chart)));
  }
  await expect.poll(async () => (await app.canvas.boundingBox())?.height ?? 0).toBeLessThan(before.height + 5);
  app.expectNoErrors();
});

test('where the inspector is below the canvas, clicking a node brings it into view; beside it, nothing scrolls', async ({ page }) => {
  // At 800x600 and on a phone the inspector is laid out under the canvas: a click on a node
  // seemed to do nothing.
  const app = new App(page);
  // In sight: its top in the window, with a third of the window below it (a strip at the
  // bottom shows its heading but no param).
  const inSight = () =>
    app.byTestId('inspector').evaluate((e) => {
      const top = e.getBoundingClientRect().top;
      return top >= 0 && top <= (window.innerHeight * 2) / 3;
    });
  for (const size of [{ width: 800, height: 600 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await app.goto();
    await app.loadPreset('03');
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await inSight(), `at ${size.width}x${size.height} the inspector starts out of sight`).toBe(false);
    await app.selectNode('web1');
    await expect.poll(inSight, { message: `at ${size.width}x${size.height}` }).toBe(true);
    // The focus stays where the click put it, not in the panel's fields.
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=inspector]'))).toBe(false);
  }
  // At a desktop size the inspector is beside the canvas: the page does not move.
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.goto();
  await app.loadPreset('03');
  await app.selectNode('web1');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(await inSight()).toBe(true);
  app.expectNoErrors();
});

test.describe('on a phone held sideways, by touch', () => {
  test.use({ viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true });

  test('a swipe on the palette scrolls and adds nothing; a tap adds a node; the canvas leaves room to scroll', async ({ page }) => {
    const app = new App(page);
    await app.goto();
    // A swipe on the canvas pans the drawing, so the canvas must not fill the window: it was
    // 571 px tall in a 390 px window, and the page below it could not be reached.
    const canvas = await app.byTestId('canvas').boundingBox();
    if (!canvas) throw new Error('the canvas has no box');
    expect(canvas.height).toBeLessThanOrEqual(390 * 0.62 + 1);
    const nodes = await app.nodes.count();
    const cdp = await page.context().newCDPSession(page);
    const swipe = async (x: number, from: number, to: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: from }] });
      for (let i = 1; i <= 10; i++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from + ((to - from) * i) / 10 }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    const server = await app.byTestId('palette-server').boundingBox();
    if (!server) throw new Error('the palette has no Server');
    const scrolled = () =>
      page.evaluate(() => window.scrollY + (document.querySelector('.palette')?.scrollTop ?? 0));
    expect(await scrolled()).toBe(0);
    // Up the palette, as to scroll: a Server was added every time.
    await swipe(server.x + server.width / 2, server.y + server.height / 2, server.y - 100);
    await expect.poll(scrolled, { message: 'the swipe scrolled the palette or the page' }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await app.nodes.count(), 'the swipe added a node').toBe(nodes);
    // A tap on an item still adds one.
    await app.byTestId('palette-cache').tap();
    await expect(app.nodes).toHaveCount(nodes + 1);
    app.expectNoErrors();
  });
});

test('on a phone a refused value is explained in sight of the field', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const workers = app.byTestId('param-workers');
  await workers.scrollIntoViewIfNeeded();
  await workers.click();
  await workers.pressSequentially('8k');
  // The banner sat at the top of the canvas, out of sight above the inspector.
  await expect(app.banner).toContainText('workers: a number takes digits');
  await expect(app.banner).toBeInViewport();
  const field = await workers.boundingBox();
  const banner = await app.banner.boundingBox();
  if (!field || !banner) throw new Error('no box');
  expect(field.y + field.height <= banner.y || banner.y + banner.height <= field.y, 'the banner covers the field').toBe(true);
  app.expectNoErrors();
});

test.describe('on a phone held upright, by touch', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the palette is a strip above a canvas as wide as the window, and a tap on it adds a node', async ({ page }) => {
    const app = new App(page);
    await app.goto();
    const canvas = await app.byTestId('canvas').boundingBox();
    const palette = await page.locator('nav.palette').boundingBox();
    if (!canvas || !palette) throw new Error('no box');
    // Beside a 140 px palette the canvas had 250 px.
    expect(canvas.width).toBeGreaterThan(370);
    expect(palette.y + palette.height).toBeLessThanOrEqual(canvas.y + 1);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    // Every kind is in the strip, reached by scrolling it.
    const item = app.byTestId('palette-object_store');
    await item.scrollIntoViewIfNeeded();
    await expect(item).toBeInViewport();
    const nodes = await app.nodes.count();
    await item.tap();
    await expect(app.nodes).toHaveCount(nodes + 1);
    app.expectNoErrors();
  });

  test("the fields a finger taps are at least 36 px tall", async ({ page }) => {
    const app = new App(page);
    await app.goto();
    await app.loadPreset('05');
    await app.selectNode('cache');
    const fields = page.locator('.inspector input:not([type=checkbox]), .inspector select, .runbar input, .runbar select');
    expect(await fields.count()).toBeGreaterThan(5);
    for (const field of await fields.all()) {
      const box = await field.boundingBox();
      if (!box) continue; // not shown (a folded part)
      const what = (await field.getAttribute('data-testid')) ?? (await field.getAttribute('aria-label'));
      expect(box.height, `${what} is ${box.height} px tall`).toBeGreaterThanOrEqual(36);
    }
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    // So are the inspector's buttons (a fault's Add was 26 px).
    for (const button of await page.locator('.inspector button').all()) {
      const box = await button.boundingBox();
      if (!box) continue;
      expect(box.height, `${await button.textContent()} is ${box.height} px tall`).toBeGreaterThanOrEqual(36);
    }
    // A plot's finger-sized buttons are under it, not over its top right corner.
    const plot = await app.byTestId('chart-throughput').boundingBox();
    const button = await app.byTestId('chart-throughput-table-toggle').boundingBox();
    if (!plot || !button) throw new Error('no box');
    expect(button.height).toBeGreaterThanOrEqual(36);
    expect(button.y).toBeGreaterThanOrEqual(plot.y + plot.height - 1);
    app.expectNoErrors();
  });

  test("a tap on a param's name shows what it means under it, and a second tap hides it", async ({ page }) => {
    const app = new App(page);
    await app.goto();
    await app.loadPreset('04');
    await app.selectNode('primary');
    // The tooltip is out of reach of a finger: the name's tap shows the same text.
    const name = app.byTestId('help-failover_s').locator('.param-name');
    await name.scrollIntoViewIfNeeded();
    const text = app.byTestId('help-text-failover_s');
    await expect(text).toBeHidden();
    await name.tap();
    await expect(text).toBeVisible();
    await expect(text).toHaveText(/replica is promoted/);
    expect(await app.byTestId('help-failover_s').getAttribute('title')).toBe(await text.textContent());
    // Not the field's focus as well, which would open the keyboard over it.
    await expect(app.byTestId('param-failover_s')).not.toBeFocused();
    // Each name opens its own help, and leaves the others as they are.
    const workers = app.byTestId('help-workers').locator('.param-name');
    await workers.tap();
    await expect(app.byTestId('help-text-workers')).toHaveText('Connections: queries it runs at once.');
    await expect(text).toBeVisible();
    await name.tap();
    await expect(text).toBeHidden();
    await expect(app.byTestId('help-text-workers')).toBeVisible();
    app.expectNoErrors();
  });
});
