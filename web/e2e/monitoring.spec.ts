import { expect, test } from "@playwright/test";

import { checkPage, email, register } from "./support";

// Run by tests/e2e/test_web_monitoring.py (CS_E2E_MONITORING=1): it waits for the local stack's collector, which
// samples running containers once a minute, so it is kept out of the quick page suite.
const enabled = process.env.CS_E2E_MONITORING === "1";

test("a user sees a container's metrics on /monitoring and manages an alert rule", async ({ page }) => {
  test.skip(!enabled, "run by tests/e2e/test_web_monitoring.py");
  test.setTimeout(300_000);

  // Given a user with a running container
  await register(page, "Mona Monitor", email("monitor"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await page.getByRole("link", { name: "Deploy a container" }).first().click();
  await page.getByLabel("Name").fill("watched");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page).toHaveURL(/\/containers\/[0-9A-Z]+$/);
  await expect(page.getByRole("main").getByText(/^running$/).first()).toBeVisible({ timeout: 120_000 });

  // When they open Monitoring and add a rule for containers that exit
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitoring" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add an alert rule" });
  await form.getByLabel("Name").fill("exits");
  await form.getByLabel("Kind").selectOption("event");
  await form.getByLabel("Event").selectOption("container_exited");
  await form.getByRole("button", { name: "Add rule" }).click();

  // Then the rule is listed
  const rules = page.getByRole("list", { name: "Alert rules" });
  await expect(rules).toContainText("exits");
  await expect(rules).toContainText("container_exited on every container");

  // And once the collector has sampled the container, its charts show (the page asks again every minute)
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("img", { name: /^CPU: / })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [10_000] });
  await expect(page.getByRole("img", { name: /^Memory: / })).toBeVisible();
  await expect(page.getByText(/^1 of 1$/)).toBeVisible();
  await checkPage(page, "monitoring");

  // When they remove the rule, after confirming
  await rules.getByRole("button", { name: "Remove exits" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove rule" }).click();
  await expect(page.getByText("No alert rules")).toBeVisible();
});
