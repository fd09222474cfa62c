// Failures: a scheduled failure makes availability dip and recover (preset 03), and so does one
// injected by hand mid-run from the inspector's "Fail now" / "Recover now"; a whole data
// center's outage is listed, removed and scheduled from the scenario's settings (preset 07).
// The key under the plots names the node of each fault line.
// "Fail now" / "Recover now" that would change nothing add nothing and say why (a node still
// down after Recover now says what holds it), as does one on a node the run does not have;
// with no success after the warm-up, the summary has no p99. With a fault of one instance on
// the schedule, the engine itself says what holds each instance.
import { test, expect } from '@playwright/test';
import { App, RUN_TIMEOUT } from './app';

test('preset 03: the scheduled failure of web2 makes availability dip, then recover', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  // No run, no fault lines: no key to them.
  await expect(app.byTestId('fault-key')).toHaveCount(0);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  // Until the next health check the balancer still sends web2 a third of the requests.
  const availability = await app.chart('availability');
  expect(availability.points).toBeGreaterThan(0);
  expect(availability.min, 'availability dips when web2 fails').toBeLessThan(90);
  expect(availability.last, 'availability is back at 100 % by the end').toBe(100);
  // web2 fails at 61 s and recovers at 95 s: both are marked, and the key under the plots
  // says which node each line is about (by the name on its box), in the lines' colours.
  expect(availability.faults).toBe(2);
  const key = app.byTestId('fault-key');
  await expect(key).toBeVisible();
  await expect(key.locator('li.fault-fail')).toHaveText('61 s Web 2 failed');
  await expect(key.locator('li.fault-recover')).toHaveText('95 s Web 2 recovered');

  const summary = await app.summary();
  expect(summary.availability).toBeLessThan(100);
  expect(summary.availability).toBeGreaterThan(95);
  expect(summary.failures.down, 'requests failed because web2 was down').toBeGreaterThan(0);
  app.expectNoErrors();
});

test("preset 04: the plots and their key mark when a replica took the primary's writes and gave them back", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('04');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  // The primary is down from 60 s to 100 s: red and green. Replica 1 takes its writes a
  // failover (10 s) after it failed, and the primary takes them back once it has replayed
  // what it missed: two blue lines, which say when writes failed and worked again.
  const availability = await app.chart('availability');
  expect([availability.faults, availability.failovers]).toEqual([2, 2]);
  const key = app.byTestId('fault-key');
  await expect(key).toHaveAttribute('data-failovers', '2');
  await expect(key).toContainText("blue, a replica took a failed primary's writes, or the primary took them back");
  await expect(key.locator('li')).toHaveText([
    '60 s Primary failed',
    "70 s Replica 1 promoted: it takes Primary's writes",
    '100 s Primary recovered',
    '110 s Primary takes its writes back from Replica 1',
  ]);
  await expect(key.locator('li.fault-failover')).toHaveCount(2);
  // Writes failed from 60 s to 70 s: the availability SLO was broken for that long, drawn as a
  // red bar from the alert to the end of the breach, and summed up beside the figures.
  await expect(app.chartLocator('availability')).toHaveAttribute('data-breaches', '61-71');
  await expect(app.byTestId('summary-breached')).toHaveText('10 s in 1 breach');
  // A screen reader hears how the run ended.
  await expect(app.byTestId('run-announcement')).toHaveText(/^Run finished: throughput [\d.]+ req\/s, p99 [\d.]+ ms, availability [\d.]+ %, [\d,]+ failed, SLO broken for 10 s in 1 breach$/);
  await expect(app.byTestId('summary-breached').locator('..')).toHaveAttribute('title', /^availability 61–71 s, at worst 8\d\.\d+ %$/);
  // The panels say it too: the replica that was promoted, and the primary.
  await app.selectNode('replica1');
  await expect(app.byTestId('metric-writes').locator('td')).toHaveText("gave Primary's writes back at 110 s");
  await app.selectNode('primary');
  await expect(app.byTestId('metric-writes').locator('th')).toHaveText('writes taken by');
  await expect(app.byTestId('metric-writes').locator('td')).toHaveText('its own again since 110 s');
  // Replica 2 was never promoted: no such line.
  await app.selectNode('replica2');
  await expect(app.byTestId('metric-lag')).toBeVisible();
  await expect(app.byTestId('metric-writes')).toHaveCount(0);
  app.expectNoErrors();
});

test('preset 03: failing web1 by hand mid-run makes availability dip', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');

  // Take web2's scheduled failure out, so the only dip is the one made by hand.
  await app.selectNode('web2');
  const web2Faults = app.byTestId('fault-item');
  await expect(web2Faults).toHaveCount(2);
  while ((await web2Faults.count()) > 0) {
    const before = await web2Faults.count();
    await app.byTestId('fault-remove').first().click();
    await expect(web2Faults).toHaveCount(before - 1);
  }

  // 120 s at 5×: about 24 s of real time, slow enough to act mid-run.
  await app.setSpeed('5');
  await app.run();
  // Past the 10 s warm-up.
  await app.waitForProgress(15 / 120);
  // Down for a few virtual seconds: more than one health-check period of 5 s.
  await app.failByHandFor('web1', 8 / 120);
  await app.waitForRunDone();
  // The failure and recovery land on web1's schedule, and this run has them already.
  await expect(app.byTestId('run-stale'), 'a failure made by hand is part of this run').toHaveCount(0);

  const availability = await app.chart('availability');
  expect(availability.points).toBeGreaterThan(0);
  expect(availability.min, 'availability dips while web1 is down').toBeLessThan(100);
  expect(availability.last, 'availability is back at 100 % by the end').toBe(100);
  expect(availability.faults, 'the manual failure and recovery are marked').toBe(2);
  const key = app.byTestId('fault-key');
  await expect(key.locator('li.fault-fail')).toContainText('Web 1 failed (manual)');
  await expect(key.locator('li.fault-recover')).toContainText('Web 1 recovered (manual)');
  const summary = await app.summary();
  expect(summary.failures.down, 'requests failed because web1 was down').toBeGreaterThan(0);
  app.expectNoErrors();
});

test("preset 07's data-center outage is listed with the scenario, can be removed and scheduled again", async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  // Nothing selected (a preset load clears the selection): the settings list every fault.
  const faults = app.byTestId('scenario-faults');
  await expect(faults).toBeVisible();
  const items = faults.getByTestId('fault-item');
  const eu = items.filter({ hasText: 'data center eu' });
  await expect(eu).toHaveCount(2);
  await expect(eu.first()).toContainText('60 s');
  await expect(eu.first()).toContainText('fail');

  // A duration that ends before the outage: the fault never happens, which its line notes,
  // and the scenario still runs (a run shortened for a quick try had to lose its faults).
  const count = await items.count();
  await app.byTestId('scenario-duration').fill('100');
  await app.byTestId('scenario-duration').press('Enter');
  const late = items.filter({ hasText: '120 s' });
  await expect(late.getByTestId('fault-note')).toContainText('after the end of the run (100 s), so it never happens');
  await expect(late.getByTestId('fault-error')).toHaveCount(0);
  await expect(app.runButton).toBeEnabled();
  await late.getByTestId('fault-remove').click();
  await expect(items).toHaveCount(count - 1);
  await expect(app.runButton).toBeEnabled();

  // Remove the outage too, then schedule one for the US data center by hand.
  await eu.getByTestId('fault-remove').click();
  await expect(eu).toHaveCount(0);
  await app.byTestId('dc-fault-dc').selectOption('us');
  await app.byTestId('dc-fault-at').fill('30');
  await app.byTestId('dc-fault-add').click();
  const us = items.filter({ hasText: 'data center us' });
  await expect(us).toHaveCount(1);
  await expect(us).toContainText('30 s');
  const exported = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  expect(exported.faults).toContainEqual({ at_s: 30, dc: 'us', action: 'fail' });

  // The run shows it: US web serves nothing after 30 s, EU takes the traffic.
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await app.selectNode('web-us');
  const usShare = Number((await app.byTestId('metric-throughput').locator('td').innerText()).replace(/[^\d.]/g, ''));
  await app.selectNode('web-eu');
  const euShare = Number((await app.byTestId('metric-throughput').locator('td').innerText()).replace(/[^\d.]/g, ''));
  expect(euShare).toBeGreaterThan(usShare);
  app.expectNoErrors();
});

test('while nothing succeeds the latency plot has a gap, not a fall to 0 ms', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  // One server, down from 20 s to 40 s: no request succeeds, so no window has a latency.
  const scenario = {
    version: 1,
    name: 'Outage',
    duration_s: 60,
    warmup_s: 0,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 50 } },
      { id: 'web', kind: 'server', params: { workers: 4, service_ms: 20 } },
    ],
    edges: [{ from: 'users', to: 'web' }],
    faults: [
      { node: 'web', at_s: 20, action: 'fail' },
      { node: 'web', at_s: 40, action: 'recover' },
    ],
  };
  await app.importFile('outage.json', JSON.stringify(scenario));
  await expect(app.nodes).toHaveCount(2);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();

  const latency = await app.chart('latency');
  expect(latency.gaps, 'the outage breaks the p99 line').toBe(1);
  expect(latency.min, 'no window shows 0 ms').toBeGreaterThan(15);
  expect(latency.last, 'the line is back after the recovery').toBeGreaterThan(15);
  const throughput = await app.chart('throughput');
  expect(throughput.gaps, 'throughput has a value in every window (0 req/s)').toBe(0);
  expect(throughput.min).toBe(0);
  app.expectNoErrors();
});

test('Fail now on a node already down, or Recover now on one up, adds nothing and says why', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(15 / 120);
  // Paused, the buttons still act on the run, and nothing moves meanwhile.
  await app.pauseButton.click();
  await app.selectNode('web1');
  const faults = app.byTestId('fault-item');
  await expect(faults).toHaveCount(0);
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('"web1" is up: there is nothing to recover');
  await expect(faults).toHaveCount(0);
  await app.byTestId('fault-fail').click();
  await expect(faults).toHaveCount(1);
  // It lands at the run's exact time, and the list writes it as the plots' key does.
  const at = faults.first().locator('.fault-at');
  await expect(at).toHaveText(/^\d+(\.\d{1,2})? s$/);
  expect(await at.getAttribute('title'), 'the exact time on hover').toMatch(/^\d+(\.\d+)? s$/);
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('"web1" is already down');
  await expect(faults).toHaveCount(1);
  await app.byTestId('fault-recover').click();
  await expect(faults).toHaveCount(2);
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('"web1" is up: there is nothing to recover');
  await expect(faults).toHaveCount(2);
  app.expectNoErrors();
});

test('Fail now and Recover now name the node by the name it was given, and its id, as the fault list does', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.selectNode('db');
  const name = app.byTestId('node-name');
  await name.fill('Primary DB');
  await name.press('Enter');
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(15 / 120);
  await app.pauseButton.click();
  await app.byTestId('fault-fail').click();
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('Primary DB node "db" is already down');
  await app.byTestId('fault-recover').click();
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('Primary DB node "db" is up: there is nothing to recover');
  // The scenario's list of faults, with nothing selected, names it the same way.
  await page.keyboard.press('Escape');
  const targets = app.byTestId('scenario-faults').locator('.fault-target');
  await expect(targets.filter({ hasText: 'Primary DB node "db"' })).toHaveCount(2);
  await expect(targets.filter({ hasText: 'Web 2 node "web2"' })).not.toHaveCount(0);
  app.expectNoErrors();
});

test("Recover now on a node whose data center is out says it stays down until the data center recovers", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  // Data center eu is out from 60 s to 120 s.
  await app.loadPreset('07');
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(65 / 150);
  await app.pauseButton.click();
  expect(await app.progress()).toBeLessThan(115 / 150);
  // The outage is one line of the plots' key, not one per node of the data center.
  const key = app.byTestId('fault-key');
  // (A failover's blue line follows at 75 s: the US replica takes the EU primary's writes.)
  await expect(key.locator('li:not(.fault-failover)')).toHaveText(['60 s data center eu failed']);
  await app.selectNode('web-eu');
  const faults = app.byTestId('fault-item');
  await expect(faults).toHaveCount(0);
  // Its own failure does not hold it: recovering it would change nothing, so nothing is added.
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('"web-eu" stays down: its data center "eu" is out until that recovers');
  await expect(faults).toHaveCount(0);
  // Failed by hand as well, it needs its own recovery, which still leaves it down for now.
  await app.byTestId('fault-fail').click();
  await expect(faults).toHaveCount(1);
  await app.byTestId('fault-recover').click();
  await expect(faults).toHaveCount(2);
  await expect(app.banner).toContainText('"web-eu" stays down: its data center "eu" is out until that recovers');
  // Failing by hand what is already down starts no outage: nothing is added to the key.
  // (A failover's blue line follows at 75 s: the US replica takes the EU primary's writes.)
  await expect(key.locator('li:not(.fault-failover)')).toHaveText(['60 s data center eu failed']);
  app.expectNoErrors();
});

test('Fail now on a node added after the run started says to Reset and Run', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.setSpeed('1');
  await app.run();
  const id = await app.addNode('cache');
  await app.selectNode(id);
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText(`"${id}" was added after this run started`);
  await expect(app.banner).toContainText('Reset, then Run');
  await expect(app.byTestId('fault-item')).toHaveCount(0);
  app.expectNoErrors();
});

test('when nothing succeeds after the warm-up, the summary shows no p99 rather than 0 ms', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  // The only server is down from 5 s on: after the 10 s warm-up no request succeeds.
  const scenario = {
    version: 1,
    name: 'Dead',
    duration_s: 30,
    warmup_s: 10,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 50 } },
      { id: 'web', kind: 'server', x: 200 },
    ],
    edges: [{ from: 'users', to: 'web' }],
    faults: [{ node: 'web', at_s: 5, action: 'fail' }],
  };
  await app.importFile('dead.json', JSON.stringify(scenario));
  await expect(app.nodes).toHaveCount(2);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await expect(app.byTestId('summary-availability')).toHaveText('0.000');
  await expect(app.byTestId('summary-p99')).toHaveText('–');
  app.expectNoErrors();
});

test('with one of two instances failed, Fail now fails the other, and a second Fail now says it is already down', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  // Instance 0 of web fails at 1 s and is never recovered: web keeps serving on instance 1.
  const scenario = {
    version: 1,
    name: 'Half down',
    duration_s: 120,
    warmup_s: 0,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 20 } },
      { id: 'web', kind: 'server', params: { instances: 2, workers: 4, service_ms: 20 } },
    ],
    edges: [{ from: 'users', to: 'web' }],
    faults: [{ node: 'web', instance: 0, at_s: 1, action: 'fail' }],
  };
  await app.importFile('half.json', JSON.stringify(scenario));
  await expect(app.nodes).toHaveCount(2);
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(5 / 120);
  await app.pauseButton.click();
  // The box says one of its two instances serves.
  const kindLine = app.nodeLocator('web').locator('.node-kind');
  await expect(kindLine).toHaveText('Server 1/2 up');
  await app.selectNode('web');
  const faults = app.byTestId('fault-item');
  await expect(faults).toHaveCount(1);
  // Instance 1 still serves, so failing the node changes something: it is added.
  await app.byTestId('fault-fail').click();
  await expect(faults).toHaveCount(2);
  await expect(kindLine).toHaveText('Server 0/2 up');
  // Now both instances are held by their own failure: a second one would change nothing.
  // (The app used to read this from the schedule, could not tell with a fault of one
  // instance there, and added it.)
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('"web" is already down');
  await expect(faults).toHaveCount(2);
  // Recover now ends the node's own failure on both instances; a second one has nothing left.
  await app.byTestId('fault-recover').click();
  await expect(faults).toHaveCount(3);
  await expect(kindLine).toHaveText('Server ×2');
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('"web" is up: there is nothing to recover');
  await expect(faults).toHaveCount(3);
  app.expectNoErrors();
});

test('Fail now and Recover now act on one instance when one is typed beside them', async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  const scenario = {
    version: 1,
    name: 'Three web instances',
    duration_s: 120,
    warmup_s: 0,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 20 } },
      { id: 'web', kind: 'server', params: { instances: 3, workers: 4, service_ms: 20 } },
    ],
    edges: [{ from: 'users', to: 'web' }],
    faults: [],
  };
  await app.importFile('three.json', JSON.stringify(scenario));
  await expect(app.nodes).toHaveCount(2);
  await app.setSpeed('20');
  const seedAt = async () => (await app.byTestId('setting-seed').boundingBox())?.x;
  const seedBefore = await seedAt();
  await app.run();
  await app.waitForProgress(5 / 120);
  await app.pauseButton.click();
  // "Resume" takes no more room than "Run": the bar's controls stay put.
  await expect(app.runButton).toHaveText('Resume');
  expect(await seedAt()).toBe(seedBefore);
  await app.selectNode('web');
  const kindLine = app.nodeLocator('web').locator('.node-kind');
  await expect(kindLine).toHaveText('Server ×3');
  const faults = app.byTestId('fault-item');
  // With the box empty the buttons say they act on every instance; with one typed, on it.
  await expect(app.byTestId('fault-fail')).toHaveText('Fail all now');
  await expect(app.byTestId('fault-recover')).toHaveText('Recover all now');
  await app.byTestId('fault-now-instance').fill('1');
  await expect(app.byTestId('fault-fail')).toHaveText('Fail now');
  await app.byTestId('fault-fail').click();
  // On the schedule as a fault of that instance, which the box shows down.
  await expect(faults).toHaveCount(1);
  await expect(faults.first()).toContainText('instance 1');
  await expect(kindLine).toHaveText('Server 2/3 up');
  // Which one, and since when: in the node's figures and its hover text.
  const downRow = app.byTestId('metric-instances_down');
  await expect(downRow).toContainText(/instances down now\s*1 \(failed at \d+\.\d s\)/);
  await expect(app.nodeLocator('web').locator('title').first()).toContainText('instances down now: 1 (failed at');
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('instance 1 of "web" is already down');
  await expect(faults).toHaveCount(1);
  // Letters are refused by name (not dropped, which read as all instances).
  await app.byTestId('fault-now-instance').fill('one');
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('instance: "one" is not a whole number >= 0');
  await expect(faults).toHaveCount(1);
  // One the node lacks is named, with what to do.
  await app.byTestId('fault-now-instance').fill('7');
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('"web" has 3 instances in this run, counted from 0: instance 7 does not exist');
  await expect(faults).toHaveCount(1);
  // Back on instance 1: recovered, the tier is whole again; the run goes on.
  await app.byTestId('fault-now-instance').fill('1');
  await app.byTestId('fault-recover').click();
  await expect(faults).toHaveCount(2);
  await expect(kindLine).toHaveText('Server ×3');
  await expect(downRow).toHaveCount(0);
  await app.runButton.click();
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(15);
  app.expectNoErrors();
});

test("Fail now on an autoscaled tier's standby instance says it is not running", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  // Light load: the tier stays at its minimum of 2 of its 6 slots.
  const scenario = {
    version: 1,
    name: 'Autoscaled web',
    duration_s: 120,
    warmup_s: 0,
    nodes: [
      { id: 'users', kind: 'client', params: { rps: 5 } },
      {
        id: 'web',
        kind: 'server',
        // A decision every second: a failed instance is retired at the next one.
        params: { instances: 2, workers: 4, service_ms: 20, autoscale: { min: 2, max: 6, target_utilization: 0.6, cooldown_s: 1 } },
      },
    ],
    edges: [{ from: 'users', to: 'web' }],
    faults: [],
  };
  await app.importFile('autoscaled.json', JSON.stringify(scenario));
  await app.setSpeed('20');
  await app.run();
  await app.waitForProgress(5 / 120);
  await app.pauseButton.click();
  await app.selectNode('web');
  await app.byTestId('fault-now-instance').fill('5');
  await app.byTestId('fault-fail').click();
  await expect(app.banner).toContainText('instance 5 of "web" is not running now: "web" runs 2 of its 6 instances');
  await expect(app.byTestId('fault-item')).toHaveCount(0);
  // One it runs fails; the box counts those serving.
  await app.byTestId('fault-now-instance').fill('0');
  await app.byTestId('fault-fail').click();
  await expect(app.byTestId('fault-item')).toHaveCount(1);
  // The autoscaler replaces it with a standby, and retires it at its next decision; recovered,
  // it comes back in reserve, which the banner says (it blamed "another fault" that was not
  // there).
  await app.runButton.click();
  await app.waitForProgress(15 / 120);
  await app.pauseButton.click();
  await app.byTestId('fault-recover').click();
  await expect(app.banner).toContainText('instance 0 of "web" is up again, in reserve: while it was down, its autoscaler started another instance in its place');
  await expect(app.byTestId('fault-item')).toHaveCount(2);
  app.expectNoErrors();
});

test('a fault time typed with a minus sign keeps it, and is refused by name', async ({ page }) => {
  // The browser reads a lone "-" as no number; the form used to write that back, which
  // cleared the "-", so "-5" scheduled a fault at 5 s without a word.
  const app = new App(page);
  await app.goto();
  await app.loadPreset('07');
  const at = app.byTestId('dc-fault-at');
  await at.pressSequentially('-5');
  await expect(at).toHaveValue('-5');
  await app.byTestId('dc-fault-add').click();
  await expect(app.banner).toContainText("a fault's time must be a number of seconds >= 0, got -5");
  const items = app.byTestId('scenario-faults').getByTestId('fault-item');
  await expect(items).toHaveCount(2);
  await expect(app.runButton).toBeEnabled();
  // A node's form too.
  await app.selectNode('web-eu');
  const nodeAt = app.byTestId('fault-at');
  await nodeAt.pressSequentially('-2');
  await expect(nodeAt).toHaveValue('-2');
  app.expectNoErrors();
});

test("a fault naming an instance the node lacks shows its problem on its own line, once", async ({ page }) => {
  // The node's section listed them again under the schedule, run together.
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 } },
      { id: 'web', kind: 'server' },
    ],
    edges: [{ from: 'u', to: 'web' }],
    faults: [
      { node: 'web', at_s: 10, action: 'fail', instance: 3 },
      { node: 'web', at_s: 20, action: 'recover', instance: 3 },
    ],
  });
  await app.importFile('instance3.json', file);
  await app.selectNode('web');
  const schedule = app.byTestId('fault-schedule');
  const items = schedule.getByTestId('fault-item');
  await expect(items).toHaveCount(2);
  for (let k = 0; k < 2; k++) {
    await expect(items.nth(k).getByTestId('fault-error')).toHaveText(
      // On its own row, as "this fault": the scenario-wide "faults[k]" counted other nodes' too.
      'This fault names instance 3, but the node has 1 (instances count from 0): name instance 0, or none for the whole node',
    );
  }
  await expect(schedule.getByTestId('fault-error')).toHaveCount(2);
  app.expectNoErrors();
});

test('a client whose users are failed is shown down on the canvas, as a failed server is', async ({ page }) => {
  // Its own figures alone looked served: a failed client sends nothing, and nothing fails.
  const app = new App(page);
  await app.goto();
  const file = JSON.stringify({
    version: 1,
    duration_s: 30,
    nodes: [
      { id: 'u', kind: 'client', params: { rps: 10 } },
      { id: 'web', kind: 'server' },
    ],
    edges: [{ from: 'u', to: 'web' }],
    faults: [{ node: 'u', at_s: 10, action: 'fail' }],
  });
  await app.importFile('client-down.json', file);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  await expect(app.nodeLocator('u')).toHaveClass(/\bdown\b/);
  await expect(app.nodeLocator('web')).not.toHaveClass(/\bdown\b/);
  // Said to a screen reader as well as drawn grey.
  await expect(app.nodeLocator('u')).toHaveAttribute('aria-label', /, down\b/);
  await expect(app.nodeLocator('web')).not.toHaveAttribute('aria-label', /, down\b/);
  app.expectNoErrors();
});

// Random failures fill the key only after what the scenario scheduled: preset 10's random web
// failures hid the EU cache outage its notes are about, behind "and 2 more", which said
// nothing more on hover.
test("preset 10's key lists its scheduled cache outage among the random failures, and the rest on hover", async ({ page }) => {
  test.setTimeout(RUN_TIMEOUT + 60_000);
  const app = new App(page);
  await app.goto();
  await app.loadPreset('10');
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  const key = app.byTestId('fault-key');
  await expect(key.locator('li.fault-fail', { hasText: /^90 s .* failed$/ })).toHaveCount(1);
  await expect(key.locator('li.fault-recover', { hasText: /^100 s .* recovered$/ })).toHaveCount(1);
  const more = app.byTestId('fault-more');
  if ((await more.count()) > 0) {
    const count = Number((await more.textContent())?.match(/and (\d+) more/)?.[1]);
    const hover = (await more.getAttribute('title')) ?? '';
    expect(hover.split('\n')).toHaveLength(Math.min(count, 40));
    expect(hover).toContain('(random)');
  }
  app.expectNoErrors();
});

test('a long schedule lists its first 100 faults, and the rest on request', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  const scenario = JSON.parse((await app.download('export-json')).bytes.toString('utf8'));
  // 250 faults of web1, alternating, one every 0.2 s.
  scenario.faults = Array.from({ length: 250 }, (_, i) => ({
    node: 'web1',
    at_s: 1 + i * 0.2,
    action: i % 2 === 0 ? 'fail' : 'recover',
  }));
  await app.importFile('long.json', JSON.stringify(scenario));
  const list = app.byTestId('scenario-faults');
  await expect(list.getByTestId('fault-item')).toHaveCount(100);
  await expect(list.getByTestId('fault-show-all')).toHaveText('Show all 250 faults (150 more)');
  await list.getByTestId('fault-show-all').click();
  await expect(list.getByTestId('fault-item')).toHaveCount(250);
  await expect(list.getByTestId('fault-show-all')).toHaveCount(0);
  // A node's own list is cut the same way, and its faults still remove one by one.
  await app.selectNode('web1');
  const own = app.byTestId('fault-schedule');
  await expect(own.getByTestId('fault-item')).toHaveCount(100);
  await own.getByTestId('fault-item').first().getByTestId('fault-remove').click();
  await expect(own.getByTestId('fault-show-all')).toHaveText('Show all 249 faults (149 more)');
  app.expectNoErrors();
});
