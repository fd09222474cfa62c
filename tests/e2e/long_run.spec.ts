// A long run: its plots draw a few points per pixel column, yet still show every window's
// extremes. Preset 01 over 20,000 s (20,000 windows): the plots' lowest and highest values and
// their last point are those of the series CSV, row for row, and the node plot counts every
// window too.
import { test, expect } from '@playwright/test';
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
  const rows = csv.slice(1).map((r) => r.split(',').map(Number));
  expect(rows.length).toBe(20_000);
  const column = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];
  for (const [plot, name, scale] of [
    ['throughput', 'throughput_rps', 1],
    ['latency', 'p99_ms', 1],
    ['availability', 'availability', 100],
  ] as const) {
    // A window with no success has no latency: the plot leaves a gap there.
    const ok = column('throughput_rps');
    const all = column(name).map((v) => v * scale);
    const values = plot === 'latency' ? all.filter((_, i) => ok[i] > 0) : all;
    const [min, max] = range(values);
    const drawn = await app.chart(plot);
    expect(drawn.points, plot).toBe(20_000);
    expect(drawn.min, `${plot} lowest`).toBeCloseTo(min, 2);
    expect(drawn.max, `${plot} highest`).toBeCloseTo(max, 2);
    if (plot === 'latency' && ok[ok.length - 1] === 0) {
      expect(drawn.last, 'the line ends in a gap').toBeNaN();
    } else {
      expect(drawn.last, `${plot} last`).toBeCloseTo(all[all.length - 1], 2);
    }
    if (plot === 'latency') {
      expect(drawn.gaps > 0, 'gaps where nothing succeeded').toBe(ok.some((v) => v === 0));
    }
  }
  // The latency line really varies: a thinned line that lost its spikes would show less.
  const [p99min, p99max] = range(column('p99_ms'));
  expect(p99max).toBeGreaterThan(p99min);
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-points', '20000');
  app.expectNoErrors();
});
