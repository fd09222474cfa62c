// Canvas gestures beyond the journeys: wheel and button zoom, fit, and a two-finger pinch.
import { test, expect } from '@playwright/test';
import { App } from './app';

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
