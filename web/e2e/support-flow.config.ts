import { defineConfig } from "@playwright/test";

import base from "../playwright.config";

// The support flow runs against a stack of its own (tests/e2e/test_web_support.py), which then reads the
// mail that stack received; `playwright test` with the main config does not pick it up (not a *.spec.ts).
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "support.flow.ts",
  outputDir: "../test-results/playwright-support",
});
