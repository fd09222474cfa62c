// Playwright for Scaleplay's browser tests. Run them with `cargo xtask e2e` (or `cargo xtask
// test`): xtask builds the app, serves dist/ and sets BASE_URL. By hand, `npx playwright test`
// here starts `cargo xtask serve --no-build --port 8137` itself (build first).
import { defineConfig } from '@playwright/test';

const port = 8137;
const baseURL = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Two cores: one browser at a time, and no retries, so a flaky test shows as a failure.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  // `list` prints one pass/fail line per test, which is what CI logs show.
  reporter: 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium (installed by `cargo xtask setup`); never `npx playwright install`.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      // Without the networking flags Chromium keeps trying hosts this machine cannot reach.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // xtask serves the app itself and sets BASE_URL; only a manual run needs a server started here.
  webServer: process.env.BASE_URL
    ? undefined
    : {
        command: `cargo xtask serve --no-build --port ${port}`,
        url: baseURL,
        reuseExistingServer: true,
        timeout: 120_000,
      },
});
