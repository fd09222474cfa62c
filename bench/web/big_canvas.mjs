// Times the editing gestures on a large wired canvas in headless Chromium and prints one JSON
// object on stdout. The scenario: a client, a balancer and NODES - 2 servers each called by the
// balancer (NODES nodes, NODES - 1 calls), opened as a file. Each gesture is repeated REPS
// times and the median wall time is kept, from the input to two animation frames after it
// (the app's reactions and the browser's paint):
//  - open: the file chosen until its last node is drawn (once);
//  - select: a click on a server until the inspector shows it;
//  - move: one pointer move of a drag (10 per drag, each to the next frame);
//  - drop: releasing the drag (the move is committed: undo history, saved draft);
//  - type: a new value typed into the selected server's `workers` field;
//  - undo: Ctrl+Z.
//
//   node bench/web/big_canvas.mjs BASE_URL [NODES] [REPS]
import { launch, median, fail } from "./browser.mjs";

const [base, nodesArg = "1000", repsArg = "5"] = process.argv.slice(2);
if (!base) fail("big_canvas.mjs", "usage: node big_canvas.mjs BASE_URL [NODES] [REPS]");
const NODES = Number(nodesArg);
const REPS = Number(repsArg);
if (!(NODES >= 3)) fail("big_canvas.mjs", `NODES must be 3 or more, not ${nodesArg}`);

function scenario(n) {
  const nodes = [
    { id: "users", kind: "client", params: { rps: 100 }, x: 0, y: 0 },
    { id: "lb", kind: "load_balancer", x: 200, y: 0 },
  ];
  const edges = [{ from: "users", to: "lb" }];
  const cols = Math.ceil(Math.sqrt(n));
  for (let i = 0; i < n - 2; i++) {
    nodes.push({ id: `web${i}`, kind: "server", x: 400 + (i % cols) * 200, y: Math.floor(i / cols) * 100 });
    edges.push({ from: "lb", to: `web${i}` });
  }
  return JSON.stringify({ version: 1, name: `${n} nodes`, duration_s: 60, nodes, edges });
}

const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function timed(page, f) {
  const t0 = performance.now();
  await f();
  await frames(page);
  return performance.now() - t0;
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  await page.locator('[data-testid=canvas] [data-testid^="node-"]').first().waitFor({ timeout: 60_000 });
  const last = `[data-testid="node-web${NODES - 3}"]`;
  const open = await timed(page, async () => {
    await page.locator("[data-testid=import-file]").setInputFiles({
      name: "big.json",
      mimeType: "application/json",
      buffer: Buffer.from(scenario(NODES)),
    });
    await page.locator(last).waitFor({ timeout: 120_000 });
  });
  const drawn = await page.locator('[data-testid=canvas] [data-testid^="node-"]').count();
  if (drawn !== NODES) fail("big_canvas.mjs", `expected ${NODES} nodes drawn, found ${drawn}`);
  const select = [], move = [], drop = [], type = [], undo = [];
  let moved = 0;
  for (let r = 0; r < REPS; r++) {
    // A server in the middle of the drawing, a different one each time.
    const id = `web${Math.floor((NODES - 2) / 2) + r}`;
    const node = page.locator(`[data-testid="node-${id}"]`);
    const before = await node.getAttribute("transform");
    const box = await node.boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    select.push(await timed(page, async () => {
      await page.mouse.click(x, y);
      await page.waitForFunction((id) => document.querySelector("[data-testid=inspector-node-id]")?.textContent === id, id, { timeout: 60_000 });
    }));
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) move.push(await timed(page, () => page.mouse.move(x + i * 6, y + i * 4)));
    drop.push(await timed(page, () => page.mouse.up()));
    if ((await node.getAttribute("transform")) !== before) moved++;
    const field = page.locator("[data-testid=param-workers]");
    type.push(await timed(page, async () => {
      await field.fill(String(10 + r));
      await field.press("Enter");
    }));
    undo.push(await timed(page, () => page.keyboard.press("Control+z")));
  }
  if (moved !== REPS) fail("big_canvas.mjs", `only ${moved} of ${REPS} drags moved their node`);
  if (errors.length) fail("big_canvas.mjs", `page errors: ${errors.join("; ")}`);
  const round = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    nodes: NODES,
    calls: NODES - 1,
    reps: REPS,
    open_ms: round(open),
    select_ms: round(median(select)),
    move_ms: round(median(move)),
    drop_ms: round(median(drop)),
    type_ms: round(median(type)),
    undo_ms: round(median(undo)),
  }));
} finally {
  await browser.close();
}
