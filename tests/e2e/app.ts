// The page object for Scaleplay's browser tests: every journey drives the app through these
// methods, and every element is found by its `data-testid` (see the app's `src/panels/*.rs` and
// `src/editor/canvas.rs`). The tests run on a slow two-core machine, so nothing here sleeps for
// a fixed time: each step waits for the condition it needs, with generous timeouts.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';

/** The three plots under the canvas. */
export type ChartName = 'throughput' | 'latency' | 'availability';

/** Speeds offered by the run bar (`max` runs as fast as the engine can). */
export type Speed = '1' | '5' | '20' | '100' | 'max';

/** What a plot drew, read from the data attributes the app sets on its `<canvas>`. */
/** A box on the page, as Playwright's boundingBox gives it. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two boxes do not overlap (touching edges are apart). */
export function apart(a: Box, b: Box): boolean {
  return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

export interface ChartData {
  /** Points of the main series (ok throughput, p99 or availability). */
  points: number;
  /** Smallest value of the main series (NaN when it has no points). */
  min: number;
  /** Largest value of the main series (NaN when it has no points). */
  max: number;
  /** Last value of the main series (NaN when it has no points). */
  last: number;
  /** Fault markers drawn. */
  faults: number;
  /** Failover markers (blue lines): a replica took a primary's writes, or gave them back. */
  failovers: number;
  /** Gaps in the main series (windows with nothing to show, as latency with no success). */
  gaps: number;
}

/** The summary strip's figures, as numbers. */
export interface Summary {
  throughput: number;
  p99: number;
  availability: number;
  failures: { timeout: number; rejected: number; down: number };
}

/** Longest a run at full speed may take on a slow machine. */
export const RUN_TIMEOUT = 150_000;

/** The presets' numbers, in menu order. */
export const PRESETS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'];

/** The node ids of every preset (from `scenarios/*.json`). */
export const PRESET_NODES: Record<string, string[]> = {
  '01': ['users', 'dns', 'box'],
  '02': ['users', 'dns', 'web', 'db'],
  '03': ['users', 'dns', 'lb', 'web1', 'web2', 'web3', 'db'],
  '04': ['users', 'dns', 'lb', 'web', 'primary', 'replica1', 'replica2'],
  '05': ['users', 'dns', 'cdn', 'assets', 'lb', 'web', 'cache', 'db'],
  '06': ['users', 'dns', 'lb', 'web', 'sessions', 'db'],
  '07': ['users-eu', 'users-us', 'geodns', 'lb-eu', 'lb-us', 'web-eu', 'web-us', 'db-eu', 'db-us'],
  '08': ['users', 'dns', 'lb', 'web', 'jobs', 'workers', 'db'],
  '09': ['users', 'dns', 'lb', 'web', 'router', 'shard1', 'shard2', 'shard3', 'shard4'],
  '10': [
    'users-eu', 'users-us', 'geodns', 'cdn-eu', 'cdn-us', 'assets', 'lb-eu', 'lb-us', 'web-eu',
    'web-us', 'sessions-eu', 'sessions-us', 'cache-eu', 'cache-us', 'router', 'shard-a',
    'shard-b', 'shard-c', 'jobs', 'workers',
  ],
};

/** Parses a figure the app prints ("12.3", "5,966,886"); NaN for "–" or empty. */
export function num(text: string | null): number {
  const t = (text ?? '').trim().replace(/,/g, '');
  return t === '' ? NaN : Number(t);
}

/** Centre of an element on screen. */
async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no bounding box`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

export class App {
  /** Console errors and uncaught page errors seen so far (the favicon request excluded). */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location().url || '';
      const text = message.text();
      // Chromium asks for /favicon.ico on its own; a missing icon is not an app error.
      if (url.includes('favicon') || text.includes('favicon')) return;
      this.errors.push(`console: ${text}${url ? ` (at ${url})` : ''}`);
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  // ---- elements ----

  /** An element by its `data-testid`. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id, { exact: true });
  }

  get canvas(): Locator {
    return this.byTestId('canvas');
  }

  get runButton(): Locator {
    return this.byTestId('run');
  }

  get pauseButton(): Locator {
    return this.byTestId('pause');
  }

  get validation(): Locator {
    return this.byTestId('validation');
  }

  get banner(): Locator {
    return this.byTestId('error-banner');
  }

  get wireHint(): Locator {
    return this.byTestId('wire-hint');
  }

  /** The `<g>` of node `id` on the canvas. */
  nodeLocator(id: string): Locator {
    return this.byTestId(`node-${id}`);
  }

  /** Every node on the canvas. */
  get nodes(): Locator {
    return this.canvas.locator('[data-testid^="node-"]');
  }

  edgeLocator(from: string, to: string): Locator {
    return this.byTestId(`edge-${from}-${to}`);
  }

  chartLocator(name: ChartName): Locator {
    return this.byTestId(`chart-${name}`);
  }

  // ---- navigation and presets ----

  /** Opens the app and waits until it has drawn its opening scenario (preset 01). */
  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.canvas).toBeVisible({ timeout: 30_000 });
    await expect(this.nodes.first()).toBeVisible({ timeout: 30_000 });
  }

  /** Loads preset `nn` ("01" … "10", or a number) from the presets menu; waits for its nodes. */
  async loadPreset(nn: string | number): Promise<void> {
    const id = typeof nn === 'number' ? String(nn).padStart(2, '0') : nn;
    const menu = this.byTestId('preset-menu');
    if ((await menu.getAttribute('open')) === null) {
      await menu.locator('summary').click();
    }
    await this.byTestId(`preset-${id}`).click();
    const expected = PRESET_NODES[id];
    if (expected) {
      for (const node of expected) await expect(this.nodeLocator(node)).toBeVisible();
      await expect(this.nodes).toHaveCount(expected.length);
    }
    // The menu closes itself once a preset is chosen.
    await expect(menu).not.toHaveAttribute('open', /.*/);
  }

  /**
   * Empties the canvas the way a person would: Shift+drag a box around everything, press
   * Delete, then Fit (which, with nothing to fit, brings the view back to 100 % at the origin).
   */
  async clearCanvas(): Promise<void> {
    await this.byTestId('fit').click();
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the canvas has no bounding box');
    const mouse = this.page.mouse;
    await this.page.keyboard.down('Shift');
    // Start below the toolbar that floats over the canvas's top-left corner.
    await mouse.move(box.x + 4, box.y + 44);
    await mouse.down();
    await mouse.move(box.x + box.width - 4, box.y + box.height - 4, { steps: 10 });
    await mouse.up();
    await this.page.keyboard.up('Shift');
    await this.page.keyboard.press('Delete');
    await expect(this.nodes).toHaveCount(0);
    await this.byTestId('fit').click();
  }

  // ---- editing ----

  /**
   * Drags palette item `kind` onto the canvas and drops it at (x, y), in pixels from the
   * canvas's top-left corner; the new node is centred there (give or take the grid snap).
   */
  async dragFromPalette(kind: string, x: number, y: number): Promise<void> {
    const item = this.byTestId(`palette-${kind}`);
    const from = await centre(item);
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the canvas has no bounding box');
    const before = await this.nodes.count();
    const mouse = this.page.mouse;
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move(box.x + x, box.y + y, { steps: 10 });
    await mouse.up();
    await expect(this.nodes).toHaveCount(before + 1);
  }

  /** Starts a wire at node `from`'s output port and moves it (pressed) over node `to`. */
  async startWire(from: string, to: string): Promise<void> {
    const port = await centre(this.byTestId(`port-out-${from}`));
    const target = await centre(this.nodeLocator(to));
    const mouse = this.page.mouse;
    await mouse.move(port.x, port.y);
    await mouse.down();
    await mouse.move(target.x, target.y, { steps: 10 });
  }

  /** Connects `from → to` by dragging from `from`'s output port onto `to`; waits for the edge. */
  async connect(from: string, to: string): Promise<void> {
    await this.startWire(from, to);
    await this.page.mouse.up();
    await expect(this.edgeLocator(from, to)).toBeAttached();
  }

  /** Selects node `id` by clicking it (the inspector then shows it). */
  async selectNode(id: string): Promise<void> {
    await this.nodeLocator(id).click();
    await expect(this.nodeLocator(id)).toHaveClass(/\bselected\b/);
    await expect(this.byTestId('inspector-node-id')).toHaveText(id);
  }

  /** Types `value` into the selected node's param input `name` and commits it. */
  async setParam(name: string, value: string | number): Promise<void> {
    const input = this.byTestId(`param-${name}`);
    await input.fill(String(value));
    await input.press('Enter');
    await input.blur();
    await expect(input).toHaveValue(String(value));
  }

  /** Clicks the middle of the wire `from → to`, as a person selects an edge. */
  async clickEdge(from: string, to: string): Promise<void> {
    // The first, should a file repeat the call.
    const path = this.edgeLocator(from, to).first().locator('path.edge-line');
    const point = await path.evaluate((el) => {
      const p = el as SVGPathElement;
      const mid = p.getPointAtLength(p.getTotalLength() / 2);
      const m = p.getScreenCTM();
      if (!m) throw new Error('the edge is not drawn');
      return { x: mid.x * m.a + mid.y * m.c + m.e, y: mid.x * m.b + mid.y * m.d + m.f };
    });
    await this.page.mouse.click(point.x, point.y);
    await expect(this.edgeLocator(from, to).first()).toHaveClass(/\bselected\b/);
  }

  /** Every node's box lies inside the canvas: the view was fitted to the scenario. */
  async expectAllNodesInView(): Promise<void> {
    const canvas = await this.canvas.boundingBox();
    if (!canvas) throw new Error('the canvas has no bounding box');
    for (const id of await this.nodeIds()) {
      // Polled: the fit happens on the render after the scenario changes.
      await expect
        .poll(async () => {
          const b = await this.nodeLocator(id).boundingBox();
          return (
            b !== null &&
            b.x >= canvas.x - 1 &&
            b.y >= canvas.y - 1 &&
            b.x + b.width <= canvas.x + canvas.width + 1 &&
            b.y + b.height <= canvas.y + canvas.height + 1
          );
        }, { message: `node ${id} inside the canvas` })
        .toBe(true);
    }
  }

  /** The node ids on the canvas, in document order. */
  async nodeIds(): Promise<string[]> {
    const ids = await this.nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace(/^node-/, ''));
  }

  /** Adds a node of `kind` by clicking its palette item; returns the new node's id. */
  async addNode(kind: string): Promise<string> {
    const before = await this.nodeIds();
    await this.byTestId(`palette-${kind}`).click();
    await expect(this.nodes).toHaveCount(before.length + 1);
    const added = (await this.nodeIds()).find((id) => !before.includes(id));
    if (!added) throw new Error(`no new ${kind} node`);
    return added;
  }

  /** Where node `id` sits on the canvas (its SVG `translate`). */
  async nodePosition(id: string): Promise<{ x: number; y: number }> {
    const transform = (await this.nodeLocator(id).getAttribute('transform')) ?? '';
    const m = transform.match(/translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/);
    if (!m) throw new Error(`node ${id} has no translate in "${transform}"`);
    return { x: Number(m[1]), y: Number(m[2]) };
  }

  // ---- files ----

  /** Opens the File menu (if closed) and clicks item `testid`, returning the download it starts. */
  async download(testid: string): Promise<{ name: string; bytes: Buffer }> {
    const menuItem = this.byTestId(testid);
    if (!testid.startsWith('chart-')) {
      const menu = this.byTestId('file-menu');
      if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
    }
    const [download] = await Promise.all([this.page.waitForEvent('download'), menuItem.click()]);
    const path = await download.path();
    if (!path) throw new Error(`the download of ${testid} failed: ${await download.failure()}`);
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  }

  /** Imports a scenario file as a person would: File → Import, choosing the file. */
  async importFile(name: string, contents: string | Buffer): Promise<void> {
    const buffer = typeof contents === 'string' ? Buffer.from(contents) : contents;
    await this.byTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer });
  }

  // ---- running ----

  /** Picks a speed in the run bar. */
  async setSpeed(speed: Speed): Promise<void> {
    await this.byTestId('speed').selectOption(speed === 'max' ? '0' : speed);
  }

  /** Presses Run (which must be enabled) and waits until the run has started. */
  async run(): Promise<void> {
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
    // Running, or already finished when the run was short and fast.
    await expect(this.byTestId('reset')).toBeEnabled();
  }

  /** The run's progress, 0 to 1. */
  async progress(): Promise<number> {
    return this.byTestId('progress').evaluate((el) => (el as HTMLProgressElement).value);
  }

  /** Whether the run has reached its end (Run is back, Pause and Resume are not offered). */
  async runIsDone(): Promise<boolean> {
    const [pauseDisabled, resetEnabled, runText, progress] = await Promise.all([
      this.pauseButton.isDisabled(),
      this.byTestId('reset').isEnabled(),
      this.runButton.textContent(),
      this.progress(),
    ]);
    return pauseDisabled && resetEnabled && runText?.trim() === 'Run' && progress >= 0.999;
  }

  /** Waits until the run has reached its end. */
  async waitForRunDone(timeout = RUN_TIMEOUT): Promise<void> {
    await expect
      .poll(() => this.runIsDone(), { timeout, intervals: [250, 500, 1000], message: 'the run did not finish' })
      .toBe(true);
  }

  /** Waits until the run's progress has passed `share` (0 to 1). */
  async waitForProgress(share: number, timeout = RUN_TIMEOUT): Promise<void> {
    await expect
      .poll(() => this.progress(), { timeout, intervals: [100, 250, 500], message: `progress did not reach ${share}` })
      .toBeGreaterThanOrEqual(share);
  }

  /**
   * During a run, fails `node` by hand from the inspector ("Fail now"), waits `share` of the
   * run (0 to 1) and recovers it ("Recover now"). Each lands on the node's schedule.
   */
  async failByHandFor(node: string, share: number): Promise<void> {
    await this.selectNode(node);
    const faults = this.byTestId('fault-item');
    const before = await faults.count();
    await expect(this.byTestId('fault-fail')).toBeEnabled();
    await this.byTestId('fault-fail').click();
    // The manual failure lands on the node's schedule at the virtual time it happened.
    await expect(faults).toHaveCount(before + 1);
    const failedAt = await this.progress();
    await this.waitForProgress(failedAt + share);
    await this.byTestId('fault-recover').click();
    await expect(faults).toHaveCount(before + 2);
  }

  // ---- results ----

  /** The summary strip, as numbers (NaN before any run). */
  async summary(): Promise<Summary> {
    const text = (id: string) => this.byTestId(id).textContent();
    const [throughput, p99, availability, failures] = await Promise.all([
      text('summary-throughput'),
      text('summary-p99'),
      text('summary-availability'),
      text('summary-failures'),
    ]);
    const [timeout, rejected, down] = (failures ?? '').split('/').map(num);
    return {
      throughput: num(throughput),
      p99: num(p99),
      availability: num(availability),
      failures: { timeout, rejected, down },
    };
  }

  /** What plot `name` drew last (from its canvas's data attributes). */
  async chart(name: ChartName): Promise<ChartData> {
    const el = this.chartLocator(name);
    await expect(el).toHaveAttribute('data-points', /\d+/);
    return el.evaluate((c) => {
      const attr = (k: string) => c.getAttribute(`data-${k}`) ?? '';
      const n = (k: string) => (attr(k) === '' ? NaN : Number(attr(k)));
      return {
        points: n('points'),
        min: n('min'),
        max: n('max'),
        last: n('last'),
        faults: n('faults'),
        failovers: n('failovers'),
        gaps: n('gaps'),
      };
    });
  }

  /** Whether plot `name` has drawn at least one point of its main series. */
  async chartHasData(name: ChartName): Promise<boolean> {
    return (await this.chart(name)).points > 0;
  }

  // ---- autosave ----

  /**
   * The local-storage key this tab autosaves its work under: each tab has its own copy, named
   * in the tab's session storage (see `src/storage.rs`). Waits until the tab has saved once.
   */
  async savedKey(): Promise<string> {
    const name = () => this.page.evaluate(() => sessionStorage.getItem('scaleplay.autosave.tab'));
    await expect.poll(name, { message: 'the tab has not autosaved' }).not.toBeNull();
    return `scaleplay.autosave.v1.${await name()}`;
  }

  /** This tab's autosaved scenario, parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async savedScenario(): Promise<any> {
    const key = await this.savedKey();
    return this.page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? '{}'), key);
  }

  /** Asserts that no console error or page error has happened so far. */
  expectNoErrors(): void {
    expect(this.errors, 'errors in the browser console').toEqual([]);
  }
}
