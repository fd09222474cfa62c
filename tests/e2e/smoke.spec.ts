// Smoke test: the app loads without console errors and shows its main controls, and a preset
// can be opened from the menu. The user journeys live in the other *.spec.ts files.
import { test, expect } from '@playwright/test';

test('the app loads without errors and opens a preset', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url || 'unknown';
    // Chromium asks for /favicon.ico on its own; a missing icon is not an app error.
    if (url.endsWith('/favicon.ico')) return;
    errors.push(`console: ${message.text()} (at ${url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

  await page.goto('/');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('run')).toBeVisible();

  await page.getByTestId('preset-menu').click();
  // Each preset says what it teaches before it is chosen (its notes, on hover).
  await expect(page.getByTestId('preset-03')).toHaveAttribute('title', /Try:/);
  await page.getByTestId('preset-03').click();
  await expect(page.getByTestId('node-web1')).toBeVisible();

  expect(errors, 'errors in the browser console').toEqual([]);
});
