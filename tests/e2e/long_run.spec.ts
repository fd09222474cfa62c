// A long run: its plots draw a few points per pixel column, yet still show every window's
// extremes. Preset 01 over 20,000 s (20,000 windows): the plots' lowest and highest values and
// their last point are those of the series CSV, row for row, and the node plot counts every
// window too. A million requests per second runs without freezing the page, and 1× keeps to
// real time.
import { test, expect, type Page } from '@playwright/test';
import { App } from './app';

test('a 20,000-window run plots the same extremes as its series CSV holds', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  const duration = app.byTestId('setting-duration');
  await duration.fill('20000');
  await duration.press('Enter');
  await expect(duration).toHaveValue('20000');
  await app.selectNode('box');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  const csv = (await app.download('export-series-csv')).bytes.toString('utf8').trimEnd().split('\r\n');
  const header = csv[0].split(',');
  // An empty cell is a window without that figure (no latency where nothing succeeded, no
  // availability where nothing was answered): NaN, as the plot's gap.
  const rows = csv.slice(1).map((r) => r.split(',').map((c) => (c === '' ? NaN : Number(c))));
  expect(rows.length).toBe(20_000);
  const column = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];
  for (const [plot, name, scale] of [
    ['throughput', 'throughput_rps', 1],
    ['latency', 'p99_ms', 1],
    ['availability', 'availability', 100],
  ] as const) {
    // A window without the figure is a gap in the plot and an empty cell in the CSV.
    const all = column(name).map((v) => v * scale);
    const values = all.filter((v) => !Number.isNaN(v));
    const [min, max] = range(values);
    const drawn = await app.chart(plot);
    expect(drawn.points, plot).toBe(20_000);
    expect(drawn.min, `${plot} lowest`).toBeCloseTo(min, 2);
    expect(drawn.max, `${plot} highest`).toBeCloseTo(max, 2);
    if (Number.isNaN(all[all.length - 1])) {
      expect(drawn.last, 'the line ends in a gap').toBeNaN();
    } else {
      expect(drawn.last, `${plot} last`).toBeCloseTo(all[all.length - 1], 2);
    }
    expect(drawn.gaps > 0, `${plot}: gaps where windows have no figure`).toBe(values.length < all.length);
  }
  // The latency line really varies: a thinned line that lost its spikes would show less.
  const [p99min, p99max] = range(column('p99_ms').filter((v) => !Number.isNaN(v)));
  expect(p99max).toBeGreaterThan(p99min);
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-points', '20000');
  app.expectNoErrors();
});

/** Starts recording the page's long tasks (over 50 ms of script without a frame). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
}

/** The longest task recorded since `watchLongTasks`, in ms (0 when none). */
async function longestTask(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
}

test('a million requests per second runs without freezing the page', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('users');
  await app.setParam('rps', 1000000);
  await watchLongTasks(page);
  await app.setSpeed('max');
  await app.run();
  await page.waitForTimeout(8_000);
  // Each frame does a bounded number of events: the page answers, the run moves on.
  expect(await longestTask(page), 'the longest task, ms').toBeLessThan(200);
  expect(await app.progress()).toBeGreaterThan(0);
  await app.pauseButton.click();
  app.expectNoErrors();
});

test('at 1× the run keeps to real time', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.setSpeed('1');
  const started = Date.now();
  await app.run();
  await page.waitForTimeout(4_000);
  const progress = await app.progress();
  const seconds = (Date.now() - started) / 1000;
  // 120 virtual seconds in all: about one per real second, never ahead of the clock.
  expect(progress * 120).toBeLessThanOrEqual(seconds + 0.5);
  expect(progress * 120).toBeGreaterThan(seconds * 0.5);
  app.expectNoErrors();
});
