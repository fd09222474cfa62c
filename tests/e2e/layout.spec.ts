// Layout: at a laptop size and down to a tablet, the page does not scroll sideways and every
// part is there — palette, canvas, inspector, run bar, and all three plots side by side where they
// fit (each fully inside the window's width), and the node plot at its own size.
import { test, expect } from '@playwright/test';
import { App } from './app';

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
      // Never shrunk past legibility: the plots are drawn 400 px wide.
      expect(box.width, id).toBeGreaterThanOrEqual(300);
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

test.describe('on a screen with two device pixels per CSS pixel', () => {
  test.use({ deviceScaleFactor: 2, viewport: { width: 1280, height: 800 } });

  test('the plots get twice the pixels and keep their size on the page', async ({ page }) => {
    const app = new App(page);
    await app.goto();
    expect(await page.evaluate(() => window.devicePixelRatio)).toBe(2);
    const throughput = app.byTestId('chart-throughput');
    await expect(throughput).toHaveAttribute('width', '800');
    await expect(throughput).toHaveAttribute('height', '440');
    const box = await throughput.boundingBox();
    if (!box) throw new Error('no box');
    expect(box.width).toBeGreaterThanOrEqual(300);
    expect(box.width).toBeLessThanOrEqual(402);

    await app.setSpeed('max');
    await app.run();
    await app.waitForRunDone();
    expect((await app.chart('throughput')).points).toBeGreaterThan(0);
    // An exported plot has the canvas's pixels: twice as sharp.
    const png = await app.download('chart-latency-png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.bytes.readUInt32BE(16)).toBe(800);

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
