// A node's figures over time: after a run, the inspector plots the selected node's utilization,
// backlog and its kind's own series, chosen from a menu. Preset 5's cache fails at 70 s and comes
// back empty at 80 s: its hit-ratio plot leaves out the windows without lookups and starts low
// after the recovery. The main plots are named for screen readers, and the availability plot
// zooms to what it shows. A replica failed by hand mid-run (preset 4) comes back behind by its
// downtime: its replication-lag plot rises while it is down and falls as it catches up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, expect } from '@playwright/test';
import { App, RUN_TIMEOUT } from './app';

/** What the node plot drew last, from its canvas's data attributes. */
async function nodeChart(app: App): Promise<{ series: string; points: number; min: number; max: number }> {
  const el = app.byTestId('node-chart');
  await expect(el).toHaveAttribute('data-points', /\d+/);
  return el.evaluate((c) => ({
    series: c.getAttribute('data-series') ?? '',
    points: Number(c.getAttribute('data-points')),
    min: Number(c.getAttribute('data-min')),
    max: Number(c.getAttribute('data-max')),
  }));
}

test("a node's series are plotted in the inspector after a run", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('05');
  await app.setSpeed('max');

  // Before any run there is nothing to plot.
  await app.selectNode('cache');
  await expect(app.byTestId('node-chart')).toHaveCount(0);

  await app.run();
  await app.waitForRunDone();
  const windows = (await app.chart('throughput')).points;
  expect(windows).toBe(120);

  // Utilization first: one point per window, a share in %.
  const series = app.byTestId('node-chart-series');
  await expect(series).toHaveValue('utilization');
  const util = await nodeChart(app);
  expect(util).toMatchObject({ series: 'utilization', points: windows });
  expect(util.min).toBeGreaterThanOrEqual(0);
  expect(util.max).toBeLessThanOrEqual(100);

  // A cache offers its hit ratio; the ten windows of the outage have no lookups.
  const options = await series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toEqual(['utilization', 'backlog', 'hit_ratio']);
  await series.selectOption('hit_ratio');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'hit_ratio');
  const hits = await nodeChart(app);
  expect(hits.points).toBe(windows - 10);
  // A cold cache after the recovery: far below the steady hit ratio.
  expect(hits.max - hits.min).toBeGreaterThan(20);
  await expect(app.byTestId('node-chart')).toHaveAttribute('aria-label', /hit ratio/);

  // The figures table has the mean backlog too.
  await expect(app.byTestId('metric-backlog').locator('td')).toHaveText(/^\d+\.\d\d$/);

  // Another node: its own menu, back on utilization.
  await app.selectNode('db');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'utilization');
  await expect(app.byTestId('node-chart-series').locator('option')).toHaveCount(2);
  // A balancer has no series of its own: no plot, rather than an empty menu over a blank one.
  await app.selectNode('lb');
  await expect(app.byTestId('node-metrics')).toBeVisible();
  await expect(app.byTestId('node-chart')).toHaveCount(0);
  await expect(app.byTestId('node-chart-series')).toHaveCount(0);

  // The main plots are images with names; the availability axis is zoomed, not 0–100 %.
  await expect(page.getByRole('img', { name: /^Availability over time/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Throughput over time/ })).toBeVisible();
  const availability = app.chartLocator('availability');
  const yMin = Number(await availability.getAttribute('data-y-min'));
  const lowest = (await app.chart('availability')).min;
  expect([0, 50, 90, 99]).toContain(yMin);
  expect(yMin).toBeLessThanOrEqual(lowest);
  app.expectNoErrors();
});

test('a replica failed by hand mid-run comes back behind: its lag plot rises and falls', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('04');
  // 120 s at 5×: slow enough to fail and recover a replica mid-run.
  await app.setSpeed('5');
  await app.run();
  await app.waitForProgress(20 / 120);
  await app.failByHandFor('replica1', 12 / 120);
  await app.waitForRunDone();

  const series = app.byTestId('node-chart-series');
  const options = await series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toEqual(['utilization', 'backlog', 'lag', 'stale_reads']);
  await series.selectOption('lag');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'lag');
  const lag = await nodeChart(app);
  expect(lag.points).toBe(120);
  // 151 ms while it is up to date (its lag_ms and the 1 ms edge from the primary); while
  // down it falls a second behind every second (at least 12 s of virtual time passed between
  // the two clicks); none while it is promoted in the primary's place (the primary is down
  // from 60 s, replica1 is the first replica up at the failover).
  expect(lag.min).toBe(0);
  expect(lag.max).toBeGreaterThan(10_000);
  await expect(app.byTestId('metric-lag').locator('td')).toHaveText(/^\d+ ms$/);
  const mean = Number((await app.byTestId('metric-lag').locator('td').textContent())?.replace(' ms', ''));
  expect(mean, 'the mean lag counts the time behind').toBeGreaterThan(151);

  // The other replica never went down: 151 ms throughout.
  await app.selectNode('replica2');
  await series.selectOption('lag');
  const steady = await nodeChart(app);
  expect([steady.min, steady.max]).toEqual([151, 151]);
  app.expectNoErrors();
});

// A client's own figures: what its users saw. In preset 7 the EU data center fails at 60 s, so
// the EU users lose more requests than the US users. Both p99s show the ocean (80 ms each way):
// the US users' writes cross it to the EU primary, and the EU users' requests cross it while
// the US serves them. The EU users' own availability plot shows their outage. The two clients'
// failures add up to the summary's.
test("a client's inspector shows what its users saw", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  await app.setSpeed('max');
  await app.selectNode('users-eu');
  await expect(app.byTestId('node-metrics')).toHaveCount(0);
  await app.run();
  await app.waitForRunDone();

  const figures = async (id: string) => {
    await app.selectNode(id);
    const value = async (key: string) =>
      (await app.byTestId(`metric-${key}`).locator('td').textContent()) ?? '';
    return {
      offered: Number(await value('offered')),
      availability: parseFloat(await value('availability')),
      p99: parseFloat(await value('p99')),
      failed: await value('failed'),
    };
  };
  const eu = await figures('users-eu');
  const us = await figures('users-us');
  expect(eu.offered).toBeGreaterThan(10_000);
  expect(us.offered).toBeGreaterThan(10_000);
  expect(eu.availability).toBeLessThan(us.availability);
  expect(us.p99).toBeGreaterThan(160);
  expect(eu.p99).toBeGreaterThan(160);
  expect(eu.failed).toMatch(/^\d+ \/ \d+ \/ \d+$/);
  await expect(app.byTestId('metric-availability')).toHaveText(/%/);
  // On the canvas a client is coloured by its users' failures (green here: at the end of the
  // run everyone is served again) and its tooltip names their figures.
  const eu_node = app.nodeLocator('users-eu');
  // Its tooltip names two spans: now (the colour's) and since the warm-up (the panel's).
  await expect(eu_node.locator('title')).toHaveText(
    /its users now: availability 100\.00%\nsince the warm-up: availability \d+\.\d\d%/,
  );
  const panelAvailability = eu.availability.toFixed(2);
  await expect(eu_node.locator('title')).toContainText(`since the warm-up: availability ${panelAvailability}`);
  const fill = await eu_node.locator('.node-box').evaluate((e) => getComputedStyle(e).fill);
  expect(fill).toBe('rgb(80, 190, 90)');

  // Its own figures over time: the EU users' availability drops when their data center fails.
  await app.selectNode('users-eu');
  const series = app.byTestId('node-chart-series');
  const options = await series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toEqual(['throughput', 'availability', 'p99']);
  await series.selectOption('availability');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'availability');
  const plot = await nodeChart(app);
  expect(plot.points).toBe((await app.chart('throughput')).points);
  expect(plot.max).toBeGreaterThan(99.9);
  expect(plot.min).toBeLessThan(60);

  // Summed, the clients' failures are the summary's.
  const down = (failed: string) => Number(failed.split(' / ')[2]);
  expect(down(eu.failed)).toBeGreaterThan(0);
  const summary = await app.summary();
  expect(down(eu.failed) + down(us.failed)).toBe(summary.failures.down);
  app.expectNoErrors();
});

// A node in front of a failing one answers with the failures it got from below: preset 2's web
// server, while its database is down from 60 to 70 s. Its panel read "rejected 0, answered
// down 0" through the outage, as if untouched; the database's own panel counts the outage.
test("a node's panel counts the failures it passed on from below", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const value = async (id: string, key: string) => {
    await app.selectNode(id);
    return Number((await app.byTestId(`metric-${key}`).locator('td').textContent()) ?? 'NaN');
  };
  const down = await value('db', 'down');
  expect(down).toBeGreaterThan(100);
  expect(await value('web', 'down')).toBe(0);
  // Every request the database answered "down" came from the web server, which passed it on.
  expect(await value('web', 'errors')).toBe(down);
  await expect(app.nodeLocator('web').locator('title')).toContainText(`failures passed on ${down}`);
  app.expectNoErrors();
});

// A NoSQL store's utilization is the mean over its partitions, which hides a hot one: its panel
// shows each partition's share of the requests, and with skewed users one takes far more.
test("a NoSQL store's panel shows each partition's share, a hot one standing out", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  const scenario = {
    version: 1,
    name: 'Hot partition',
    duration_s: 60,
    warmup_s: 5,
    nodes: [
      { id: 'users', kind: 'client', x: 40, y: 100, params: { rps: 200, users: 1000, zipf_s: 1.3 } },
      { id: 'web', kind: 'server', x: 240, y: 100, params: { workers: 64 } },
      { id: 'kv', kind: 'nosql', x: 440, y: 100, params: { partitions: 4, workers: 8 } },
    ],
    edges: [{ from: 'users', to: 'web' }, { from: 'web', to: 'kv' }],
    faults: [],
  };
  await app.importFile('hot.json', JSON.stringify(scenario));
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await app.selectNode('kv');
  const row = app.byTestId('metric-partitions');
  await expect(row.locator('th')).toHaveText('share by partition');
  const text = (await row.locator('td').textContent()) ?? '';
  const shares = [...text.matchAll(/(\d): (\d+) %/g)].map((m) => Number(m[2]));
  expect(shares, text).toHaveLength(4);
  // An even split is 25 % each; the most popular users' partition takes well over a third.
  expect(Math.max(...shares), text).toBeGreaterThan(33);
  // A server has no partitions.
  await app.selectNode('web');
  await expect(app.byTestId('metric-throughput')).toBeVisible();
  await expect(app.byTestId('metric-partitions')).toHaveCount(0);
  app.expectNoErrors();
});

// A NoSQL store is eventually consistent: reads of a key written less than its lag ago are
// stale. The panel counts them; set the lag to 0 (strongly consistent reads) and, run again,
// none is.
test('a NoSQL store counts stale reads until its lag is set to 0', async ({ page }) => {
  test.setTimeout(2 * RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  const scenario = {
    version: 1,
    name: 'Eventual consistency',
    duration_s: 30,
    warmup_s: 5,
    nodes: [
      { id: 'users', kind: 'client', x: 40, y: 100,
        params: { rps: 400, users: 50, zipf_s: 0, mix: { read: 0.5, write: 0.5 } } },
      { id: 'web', kind: 'server', x: 240, y: 100, params: { workers: 64 } },
      { id: 'kv', kind: 'nosql', x: 440, y: 100, params: {} },
    ],
    edges: [{ from: 'users', to: 'web' }, { from: 'web', to: 'kv' }],
    faults: [],
  };
  await app.importFile('eventual.json', JSON.stringify(scenario));
  await app.setSpeed('max');
  await app.selectNode('kv');
  // The default lag, shown where the field is left empty.
  await expect(app.byTestId('param-lag_ms')).toHaveAttribute('placeholder', '20');
  // "412 (8.1 % of 5,046 reads)": the count, and its share of the reads.
  const staleReads = async () => {
    const row = app.byTestId('metric-stale_reads');
    await expect(row.locator('th')).toHaveText('stale reads');
    const text = (await row.locator('td').textContent()) ?? '';
    const m = text.match(/^([\d,]+) \(([\d.]+) % of ([\d,]+) reads\)$/);
    expect(m, text).not.toBeNull();
    const n = (s: string) => Number(s.replaceAll(',', ''));
    return { stale: n(m![1]), share: Number(m![2]), reads: n(m![3]) };
  };
  await app.run();
  await app.waitForRunDone();
  // 4 writes/s per user: about 1 - e^(-0.08), 7.7 %, of some 5,000 reads.
  const eventual = await staleReads();
  expect(eventual.reads).toBeGreaterThan(4000);
  expect(eventual.share).toBeGreaterThan(6);
  expect(eventual.share).toBeLessThan(10);
  await app.setParam('lag_ms', 0);
  await app.run();
  await app.waitForRunDone();
  await expect.poll(async () => (await staleReads()).stale).toBe(0);
  app.expectNoErrors();
});

// A queue has no workers: it is coloured by the pools it feeds, so one growing behind a
// saturated pool is drawn hot (it was green with thousands of messages waiting), and its
// hover text says why.
test('a queue in front of a saturated worker pool is drawn hot', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  const scenario = {
    version: 1,
    name: 'Backed-up queue',
    duration_s: 30,
    warmup_s: 5,
    nodes: [
      { id: 'users', kind: 'client', x: 40, y: 100, params: { rps: 100, mix: { async: 1 } } },
      { id: 'web', kind: 'server', x: 240, y: 100, params: { workers: 64 } },
      { id: 'jobs', kind: 'queue', x: 440, y: 100, params: {} },
      { id: 'pool', kind: 'worker_pool', x: 640, y: 100,
        params: { workers: 2, service_ms: { dist: 'exp', mean: 200 } } },
    ],
    edges: [{ from: 'users', to: 'web' }, { from: 'web', to: 'jobs' }, { from: 'jobs', to: 'pool' }],
    faults: [],
  };
  await app.importFile('backed-up.json', JSON.stringify(scenario));
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const fill = (id: string) =>
    app.nodeLocator(id).locator('.node-box').evaluate((e) => getComputedStyle(e).fill);
  // Two workers of 200 ms serve 10 jobs a second of the 100 sent: the pool is full, and
  // the queue takes its colour, the scale's hottest; the web tier is nearly idle.
  expect(await fill('pool')).toBe('rgb(255, 40, 90)');
  expect(await fill('jobs')).toBe('rgb(255, 40, 90)');
  expect(await fill('web')).not.toBe('rgb(255, 40, 90)');
  await expect(app.nodeLocator('jobs').locator('title').first()).toContainText('now: its worker pools 100% busy');
  app.expectNoErrors();
});

// Preset 6 with sticky sessions instead of its session store, as its notes suggest: the web
// tier offers its sessions lost per window, and the plot shows when they went (instance 1 dies
// at 60 s; the tier also grows with the ramp, and ip_hash moves users as it does).
test("a server with sticky sessions plots the sessions it lost", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const scenario = JSON.parse(fs.readFileSync(path.join(__dirname, '../../scenarios/06-stateless.json'), 'utf8'));
  scenario.nodes = scenario.nodes.filter((n: { id: string }) => n.id !== 'sessions');
  scenario.edges = scenario.edges.filter((e: { to: string }) => e.to !== 'sessions');
  const node = (id: string) => scenario.nodes.find((n: { id: string }) => n.id === id);
  node('web').params.stateful_sessions = true;
  node('lb').params = { ...node('lb').params, algorithm: 'ip_hash' };
  const app = new App(page);
  await app.goto();
  await app.importFile('sticky.json', JSON.stringify(scenario));
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const windows = (await app.chart('throughput')).points;

  await app.selectNode('web');
  const series = app.byTestId('node-chart-series');
  const options = await series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toContain('sessions_lost');
  await series.selectOption('sessions_lost');
  await expect(app.byTestId('node-chart')).toHaveAttribute('data-series', 'sessions_lost');
  const lost = await nodeChart(app);
  expect(lost.points).toBe(windows);
  expect(lost.min).toBe(0);
  expect(lost.max, 'some window lost sessions').toBeGreaterThan(0);
  // The figures table has the steady state's total.
  const total = Number(await app.byTestId('metric-sessions_lost').locator('td').textContent());
  expect(total).toBeGreaterThan(0);
  app.expectNoErrors();
});
