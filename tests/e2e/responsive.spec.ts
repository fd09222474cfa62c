// Responsiveness: while a long simulation runs, the page still answers clicks within a frame or
// so. Each measurement is taken in the page: the time from a click to the DOM change it causes,
// plus the animation frame that follows (when the change can be painted).
import { test, expect, type Page } from '@playwright/test';
import { App } from './app';

/** Largest median delay, in milliseconds, from a click to the frame that shows its effect. */
const BUDGET_MS = 100;
const REPEATS = 5;
/** Pause and Resume alternate, so an even count leaves the run going. */
const PAUSE_REPEATS = 6;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Clicks the element `click` and returns how many milliseconds pass until attribute `attr` of
 * element `watch` changes, then until the next animation frame after that change. A node is
 * selected on `pointerdown`, so `pointer` sends the press and release a mouse click would.
 */
async function clickToChange(
  page: Page,
  opts: { click: string; watch: string; attr: string; pointer: boolean },
): Promise<{ dom: number; frame: number }> {
  return page.evaluate(
    ({ click, watch, attr, pointer }) =>
      new Promise<{ dom: number; frame: number }>((resolve, reject) => {
        const target = document.querySelector(click);
        const watched = document.querySelector(watch);
        if (!target || !watched) {
          reject(new Error(`no element ${target ? watch : click}`));
          return;
        }
        const timer = setTimeout(() => reject(new Error(`${watch} [${attr}] did not change within 5 s`)), 5000);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          observer.disconnect();
          const dom = performance.now() - start;
          requestAnimationFrame(() => {
            clearTimeout(timer);
            resolve({ dom, frame: performance.now() - start });
          });
        });
        observer.observe(watched, { attributes: true, attributeFilter: [attr] });
        if (pointer) {
          const r = target.getBoundingClientRect();
          const at = { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, button: 0, bubbles: true, pointerId: 1, isPrimary: true };
          target.dispatchEvent(new PointerEvent('pointerdown', at));
          target.dispatchEvent(new PointerEvent('pointerup', at));
          target.dispatchEvent(new MouseEvent('click', at));
        } else {
          (target as HTMLElement).click();
        }
      }),
    opts,
  );
}

test('the page answers clicks within a frame while a long run is going', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('10');
  // 120 s of the largest preset in real time: the run lasts the whole test.
  await app.setSpeed('1');
  await app.run();
  await expect(app.pauseButton).toBeEnabled();

  // The run advances.
  const first = await app.progress();
  await app.waitForProgress(first + 2 / 120, 30_000);
  // And the live report reaches the plots.
  await expect.poll(() => app.chartHasData('throughput'), { timeout: 30_000 }).toBe(true);

  // Selecting a node (alternating between two) restyles it at once.
  const selectTimes: number[] = [];
  const selectDom: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const id = i % 2 === 0 ? 'web-eu' : 'web-us';
    const node = `[data-testid="node-${id}"]`;
    const t = await clickToChange(page, { click: node, watch: node, attr: 'class', pointer: true });
    await expect(app.nodeLocator(id)).toHaveClass(/\bselected\b/);
    selectTimes.push(t.frame);
    selectDom.push(t.dom);
  }

  // Pause and Resume answer at once too.
  const pauseTimes: number[] = [];
  for (let i = 0; i < PAUSE_REPEATS; i++) {
    const pausing = i % 2 === 0;
    const t = await clickToChange(page, {
      click: pausing ? '[data-testid="pause"]' : '[data-testid="run"]',
      watch: '[data-testid="pause"]',
      attr: 'disabled',
      pointer: false,
    });
    if (pausing) {
      await expect(app.pauseButton).toBeDisabled();
      await expect(app.runButton).toHaveText('Resume');
    } else {
      await expect(app.pauseButton).toBeEnabled();
    }
    pauseTimes.push(t.frame);
  }

  test.info().annotations.push({
    type: 'latency (ms)',
    description:
      `select → DOM ${selectDom.map((t) => t.toFixed(1)).join(', ')}; ` +
      `select → next frame ${selectTimes.map((t) => t.toFixed(1)).join(', ')}; ` +
      `pause/resume → next frame ${pauseTimes.map((t) => t.toFixed(1)).join(', ')}`,
  });
  expect(median(selectTimes), `click → selected node, in ms (${selectTimes.join(', ')})`).toBeLessThan(BUDGET_MS);
  expect(median(pauseTimes), `click → paused / resumed, in ms (${pauseTimes.join(', ')})`).toBeLessThan(BUDGET_MS);

  // After all that the run is still going and still advancing.
  await expect(app.pauseButton).toBeEnabled();
  const later = await app.progress();
  await app.waitForProgress(later + 1 / 120, 30_000);
  app.expectNoErrors();
});
