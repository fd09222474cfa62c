// Undo and redo over every kind of edit (add, connect, move, param change, delete, preset
// load), with the keyboard (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) and the run bar's buttons; and the
// autosave: a reload keeps the work, and unreadable saved data gives a message and a fresh
// scenario, not a broken app.
import { test, expect } from '@playwright/test';
import { App, PRESET_NODES } from './app';

test('undo and redo walk back and forth through every kind of edit', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const undo = app.byTestId('undo');
  const redo = app.byTestId('redo');
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();
  const box = await app.canvas.boundingBox();
  if (!box) throw new Error('the canvas has no bounding box');

  // 1 add, 2 add, 3 connect, 4 move, 5 param, 6 delete, 7 preset load.
  await app.dragFromPalette('server', box.width * 0.3, box.height * 0.8);
  await app.dragFromPalette('sql_primary', box.width * 0.7, box.height * 0.8);
  await app.connect('box', 'sql_primary');
  const before = await app.nodePosition('server');
  const at = await app.nodeLocator('server').boundingBox();
  if (!at) throw new Error('no box for the new server');
  await page.mouse.move(at.x + 20, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x + 20 - 160, at.y + at.height / 2, { steps: 8 });
  await page.mouse.up();
  const moved = await app.nodePosition('server');
  expect(moved.x).toBeLessThan(before.x - 40);
  await app.selectNode('users');
  await app.setParam('rps', 77);
  await app.selectNode('server');
  await page.keyboard.press('Delete');
  await expect(app.nodeLocator('server')).toHaveCount(0);
  await app.loadPreset('03');

  // Back through all seven, alternating keyboard and button.
  await page.keyboard.press('Control+z');
  await expect(app.nodes).toHaveCount(4);
  expect(await app.nodeIds()).toEqual(['users', 'dns', 'box', 'sql_primary']);
  await undo.click();
  await expect(app.nodeLocator('server')).toBeVisible();
  expect(await app.nodePosition('server')).toEqual(moved);
  await page.keyboard.press('Control+z');
  await app.selectNode('users');
  await expect(app.byTestId('param-rps')).toHaveValue('50');
  await undo.click();
  expect(await app.nodePosition('server')).toEqual(before);
  await page.keyboard.press('Control+z');
  await expect(app.edgeLocator('box', 'sql_primary')).toHaveCount(0);
  await undo.click();
  await undo.click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['01']);
  await expect(undo).toBeDisabled();

  // Forward again with both redo shortcuts, then a new edit ends the redo branch.
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+y');
  await redo.click();
  await expect(app.edgeLocator('box', 'sql_primary')).toBeAttached();
  expect(await app.nodePosition('server')).toEqual(before);
  await app.selectNode('users');
  await app.setParam('rps', 60);
  await expect(redo).toBeDisabled();
  await page.keyboard.press('Control+z');
  await expect(app.byTestId('param-rps')).toHaveValue('50');
  app.expectNoErrors();
});

test('more than 100 edits can all be undone', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.selectNode('users');
  const input = app.byTestId('param-rps');
  for (let i = 1; i <= 110; i++) {
    await input.fill(String(100 + i));
    await input.press('Enter');
  }
  await expect(input).toHaveValue('210');
  await input.blur();
  for (let i = 0; i < 110; i++) await page.keyboard.press('Control+z');
  await expect(input).toHaveValue('50');
  await expect(app.byTestId('undo')).toBeDisabled();
  app.expectNoErrors();
});

test('a reload keeps the work', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('04');
  await app.selectNode('web');
  await app.byTestId('node-name').fill('Front door');
  await app.byTestId('node-name').press('Enter');
  await expect(app.nodeLocator('web').locator('.node-name')).toHaveText('Front door');
  await page.reload();
  await expect(app.nodes).toHaveCount(PRESET_NODES['04'].length, { timeout: 30_000 });
  await expect(app.nodeLocator('web').locator('.node-name')).toHaveText('Front door');
  await expect(app.banner).toHaveCount(0);
  // A value still being typed when the page reloads is kept too.
  await app.selectNode('web');
  await app.byTestId('param-workers').fill('5');
  await page.reload();
  await expect(app.nodes).toHaveCount(PRESET_NODES['04'].length, { timeout: 30_000 });
  await app.selectNode('web');
  await expect(app.byTestId('param-workers')).toHaveValue('5');
  app.expectNoErrors();
});

test('unreadable saved work gives a message and a fresh scenario that runs', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  const garbage = '{"version": 1, "nodes": [ cut short';
  // Spoil this tab's autosaved copy, which is what the tab opens next.
  const key = await app.savedKey();
  await page.evaluate(([k, text]) => localStorage.setItem(k, text), [key, garbage]);
  await page.reload();
  await expect(app.banner).toContainText('the saved work does not hold a Scaleplay scenario', { timeout: 30_000 });
  expect(await app.nodeIds()).toEqual(PRESET_NODES['01']);
  // Nothing is lost: the unreadable text is kept aside.
  expect(await page.evaluate(() => localStorage.getItem('scaleplay.autosave.unreadable'))).toBe(garbage);
  await app.setSpeed('max');
  await app.run();
  await app.waitForRunDone();
  expect((await app.summary()).throughput).toBeGreaterThan(0);
});

test('opening a shared link keeps the previous work one Undo away', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  await app.loadPreset('06');
  await page.goto('about:blank');
  await page.goto(link);
  await expect(app.nodes).toHaveCount(PRESET_NODES['03'].length, { timeout: 30_000 });
  expect(await app.nodeIds()).toEqual(PRESET_NODES['03']);
  // The link is consumed: the address bar no longer holds it, so a reload keeps later edits.
  expect(new URL(page.url()).hash).toBe('');
  await app.byTestId('undo').click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['06']);
  await page.reload();
  await expect(app.nodes).toHaveCount(PRESET_NODES['06'].length, { timeout: 30_000 });
  app.expectNoErrors();
});

test('undoing or redoing the opening of a preset ends the run, as opening one does; undoing an edit does not', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('02');
  await app.loadPreset('03');
  await app.setSpeed('1');
  await app.run();
  await app.waitForProgress(0.01);
  // An ordinary edit and its undo leave the run going: it runs the scenario as it was started.
  await app.selectNode('users');
  await app.setParam('rps', 77);
  await app.byTestId('param-rps').blur();
  await page.keyboard.press('Control+z');
  await expect(app.byTestId('param-rps')).not.toHaveValue('77');
  await expect(app.pauseButton).toBeEnabled();

  // Undo back over the opening of preset 03: its run ends, its plots empty.
  await app.byTestId('undo').click();
  expect(await app.nodeIds()).toEqual(PRESET_NODES['02']);
  await expect(app.byTestId('reset')).toBeDisabled();
  await expect(app.pauseButton).toBeDisabled();
  expect(await app.progress()).toBe(0);
  expect(Number.isNaN((await app.summary()).throughput)).toBe(true);

  // Run preset 02, then redo the opening of 03 with the keyboard: that run ends too.
  await app.setSpeed('1');
  await app.run();
  await app.waitForProgress(0.01);
  await page.keyboard.press('Control+Shift+z');
  expect(await app.nodeIds()).toEqual(PRESET_NODES['03']);
  await expect(app.byTestId('reset')).toBeDisabled();
  await expect(app.runButton).toBeEnabled();
  await app.expectAllNodesInView();
  app.expectNoErrors();
});

test('Ctrl+Z on a ticked checkbox undoes the tick; in a text field it stays the field\'s own', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const sessions = app.byTestId('param-stateful_sessions');
  const ticked = await sessions.isChecked();
  await sessions.click();
  await expect(sessions).toBeChecked({ checked: !ticked });
  await expect(sessions).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(sessions).toBeChecked({ checked: ticked });
  await page.keyboard.press('Control+Shift+z');
  await expect(sessions).toBeChecked({ checked: !ticked });

  // Typing in the name field and pressing Ctrl+Z there is the field's business: the scenario
  // keeps the tick (no scenario undo happens).
  const name = app.byTestId('node-name');
  await name.click();
  await name.press('End');
  await name.pressSequentially('x');
  await page.keyboard.press('Control+z');
  await expect(sessions).toBeChecked({ checked: !ticked });
  app.expectNoErrors();
});

test('Ctrl+Z in a field after its value is committed undoes that edit, as Undo does', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('01');
  await app.selectNode('box');
  const workers = app.byTestId('param-workers');
  const before = await workers.inputValue();
  await workers.fill('4');
  await workers.press('Enter');
  await expect(workers).toBeFocused();
  await expect(workers).toHaveValue('4');
  // Committed: Ctrl+Z undoes the edit (the browser's own undo emptied the field, and that
  // emptied value was then saved as a new edit).
  await page.keyboard.press('Control+z');
  await expect(workers).toHaveValue(before);
  await expect(app.byTestId('redo')).toBeEnabled();
  await page.keyboard.press('Control+Shift+z');
  await expect(workers).toHaveValue('4');
  // While typing, Ctrl+Z stays the field's own: the typing goes, the scenario keeps 4.
  await workers.pressSequentially('2');
  await expect(workers).toHaveValue('42');
  await page.keyboard.press('Control+z');
  await expect(workers).toHaveValue('4');
  // Back at the committed text, the next Ctrl+Z is the app's: the edit to 4 is undone.
  // (The browser's undo went on past the commit: the box showed the old value while the
  // scenario kept 4.)
  await workers.press('Control+a');
  await workers.pressSequentially('123');
  await page.keyboard.press('Control+z');
  await expect(workers).toHaveValue('4');
  await page.keyboard.press('Control+z');
  await expect(workers).toHaveValue(before);
  await expect(app.byTestId('redo')).toBeEnabled();
  await workers.blur();
  await expect(workers).toHaveValue(before);
  await app.byTestId('redo').click();
  await expect(workers).toHaveValue('4');
  app.expectNoErrors();
});

test('opening a link while the saved work is unreadable says where that work went', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  await app.loadPreset('03');
  await app.byTestId('share').click();
  const link = await app.byTestId('share-link').inputValue();
  const garbage = '{"version": 1, "nodes": [ cut short';
  // Spoil this tab's autosaved copy, which is what the tab opens next.
  const key = await app.savedKey();
  await page.evaluate(([k, text]) => localStorage.setItem(k, text), [key, garbage]);
  await page.goto('about:blank');
  await page.goto(link);
  // The link's scenario opens, and the banner says the saved work was unreadable and kept.
  await expect(app.nodes).toHaveCount(PRESET_NODES['03'].length, { timeout: 30_000 });
  await expect(app.banner).toContainText('the saved work does not hold a Scaleplay scenario');
  await expect(app.banner).toContainText('scaleplay.autosave.unreadable');
  expect(await page.evaluate(() => localStorage.getItem('scaleplay.autosave.unreadable'))).toBe(garbage);
  app.expectNoErrors();
});

// A pressed button that turns itself off (Zoom in at the largest zoom, Undo with nothing left
// to undo) hands the focus to its pair, not to the page's start.
test('at its limit a pressed button hands the focus to its pair', async ({ page }) => {
  const app = new App(page);
  await app.goto();
  const zoomIn = app.byTestId('zoom-in');
  await zoomIn.focus();
  for (let i = 0; i < 40 && (await zoomIn.isEnabled()); i++) await page.keyboard.press('Enter');
  await expect(zoomIn).toBeDisabled();
  await expect(app.byTestId('zoom-out')).toBeFocused();

  await app.addNode('server');
  const undo = app.byTestId('undo');
  await undo.focus();
  for (let i = 0; i < 40 && (await undo.isEnabled()); i++) await page.keyboard.press('Enter');
  await expect(undo).toBeDisabled();
  await expect(app.byTestId('redo')).toBeFocused();
  app.expectNoErrors();
});
