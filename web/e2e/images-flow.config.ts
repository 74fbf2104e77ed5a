import { defineConfig } from "@playwright/test";

import base from "../playwright.config";

// The images flow runs against a stack of its own (tests/e2e/test_web_images.py), which hands it a docker save
// tarball and a build context made locally FROM scratch; `playwright test` with the main config skips it.
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "images.flow.ts",
  outputDir: "../test-results/playwright-images",
});
