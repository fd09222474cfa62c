// Overload made visible: when clients send more than the system can serve and have no timeout,
// nothing fails (they wait as long as it takes), so availability stays at 100 %. The throughput
// plot shows the offered rate above the successes, and the summary counts the requests still
// waiting, so the overload is plain anyway.
import { test, expect } from '@playwright/test';
import { App, num } from './app';

test('overload without a client timeout shows as a gap under the offered rate and requests still waiting', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.setSpeed('max');

  // A healthy run first: a handful still waiting at the end, the successes at the offered rate.
  await app.run();
  await app.waitForRunDone();
  const healthy = await app.chart('throughput');
  expect(num(await app.byTestId('summary-waiting').innerText())).toBeLessThan(50);
  await expect(app.byTestId('summary-waiting-note')).toHaveCount(0);
  const healthyOffered = Number(await app.chartLocator('throughput').getAttribute('data-offered-max'));
  expect(healthyOffered).toBeGreaterThan(40);
  expect(healthyOffered).toBeLessThan(80);
  expect(healthy.max).toBeGreaterThan(30);

  // 1,000 req/s into a box that serves about 666, with no client timeout and no backlog limit
  // (else the full backlog would reject the excess).
  await app.selectNode('box');
  await app.setParam('queue', '');
  await app.selectNode('users');
  await app.setParam('rps', 1000);
  await app.setParam('timeout_ms', '');
  await expect(app.byTestId('param-timeout_ms')).toHaveValue('');
  await app.run();
  await app.waitForRunDone();
  const overloaded = await app.chart('throughput');
  const offered = Number(await app.chartLocator('throughput').getAttribute('data-offered-max'));
  expect(offered).toBeGreaterThan(900);
  expect(overloaded.max).toBeLessThan(750);
  const waiting = num(await app.byTestId('summary-waiting').innerText());
  expect(waiting, 'a third of every second\'s requests pile up').toBeGreaterThan(10_000);
  const summary = await app.summary();
  expect(summary.failures.timeout).toBe(0);
  expect(summary.failures.rejected).toBe(0);
  // Availability counts answered requests only, so it reads high: a note beside it says so,
  // and what to do.
  await expect(app.byTestId('summary-waiting-note')).toContainText('still waiting for an answer');
  await expect(app.byTestId('summary-waiting-note')).toContainText('timeout_ms');
  await expect(app.byTestId('summary-timeout-note')).toHaveCount(0);

  // Given a timeout, the users give up and the requests fail: the note says where they
  // waited (the server keeps serving them after their users have left), and what to do.
  await app.setParam('timeout_ms', 2000);
  await app.run();
  await app.waitForRunDone();
  expect((await app.summary()).failures.timeout).toBeGreaterThan(1000);
  await expect(app.byTestId('summary-waiting-note')).toHaveCount(0);
  const note = app.byTestId('summary-timeout-note');
  await expect(note).toContainText(/% of the requests timed out: "Web \+ DB" kept a backlog of [\d,]+ on average/);
  await expect(note).toContainText('smaller queue there');
  app.expectNoErrors();
});
