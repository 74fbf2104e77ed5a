import { defineConfig } from "@playwright/test";

import base from "../playwright.config";

// The admin area's flow runs against a stack of its own (tests/e2e/test_web_admin.py), which then checks the
// audit trail the flow left; `playwright test` with the main config does not pick it up (not a *.spec.ts).
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "admin-area.flow.ts",
  outputDir: "../test-results/playwright-admin",
});
