import { defineConfig } from "@playwright/test";

// The browser tests drive a running local stack: tests/e2e/test_web.py starts `python -m devstack` on a
// free port and passes its URL as CS_WEB_URL (see README: `make test`, or `make web-e2e`).
// Debian's Chromium, never a downloaded browser. Playwright gives every launch a fresh, temporary profile
// (user data dir) of its own.
// One id per run, shared by every worker (a worker restarted after a failure imports the tests again).
process.env.CS_E2E_RUN ??= Date.now().toString(36);

export const CHROMIUM = process.env.CS_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.CS_WEB_URL ?? "http://127.0.0.1:8000",
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
