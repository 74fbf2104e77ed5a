import { writeFileSync } from "node:fs";

import { expect, type Page, test } from "@playwright/test";

import { checkPage, email, register } from "./support";

// Started by tests/e2e/test_web_notifications.py: a webhook receiver on 127.0.0.1, and a local stack that lets
// endpoints point at it (CS_WEBHOOKS_ALLOW_LOOPBACK=1). The secret goes to CS_WEBHOOK_SECRET_FILE, so that test
// can check the signatures its receiver got.
const receiver = process.env.CS_WEBHOOK_RECEIVER_URL ?? "";
const secretFile = process.env.CS_WEBHOOK_SECRET_FILE ?? "";

function bell(page: Page) {
  return page.getByRole("banner").getByRole("button", { name: /^Notifications/ });
}

test("a user is told in the app and by a signed webhook when a deployment fails, and reads it", async ({ page }) => {
  test.skip(!receiver || !secretFile, "run by tests/e2e/test_web_notifications.py (it starts the receiver)");

  // Given a new user with nothing to read
  await register(page, "Nora Notified", email("notified"));
  await expect(bell(page)).toHaveAccessibleName("Notifications");
  await bell(page).click();
  await expect(page.getByRole("region", { name: "Notifications" })).toContainText("Nothing yet.");
  await checkPage(page, "notifications-bell-empty");
  await page.keyboard.press("Escape");

  // When they add a webhook endpoint for all events
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByText("No endpoints")).toBeVisible();
  await checkPage(page, "webhooks-empty");
  await page.getByLabel("URL").fill("not a url");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("URL").fill(receiver);
  await page.getByLabel("Description (optional)").fill("Our on-call receiver");
  await page.getByRole("button", { name: "Add endpoint" }).click();

  // Then its secret is shown once
  const secret = (await page.getByTestId("webhook-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);
  writeFileSync(secretFile, secret);
  await checkPage(page, "webhooks-secret");
  await page.getByRole("button", { name: "I have saved the secret" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  // And a test event reaches the receiver, as the delivery log says
  await page.getByRole("button", { name: `Send test event to ${receiver}` }).click();
  const log = page.getByRole("table", { name: `Deliveries to ${receiver}` });
  await expect(log).toContainText("webhook.ping");
  await expect(log).toContainText("delivered");
  await expect(log).toContainText("HTTP 200");
  await checkPage(page, "webhooks-delivery-log");

  // When a deployment fails (its image does not exist)
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await page.getByRole("link", { name: "Deploy a container" }).first().click();
  await page.getByLabel("Name").fill("doomed");
  await page.getByLabel("Image").fill("cs-e2e-missing:nope");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page).toHaveURL(/\/containers\/[0-9A-Z]+$/);
  await expect(page.getByRole("main").getByText(/^error$/).first()).toBeVisible({ timeout: 90_000 });

  // Then the bell counts it (after the next look at the server) and shows why
  await page.reload();
  await expect(bell(page)).toHaveAccessibleName(/^Notifications, [1-9]\d* unread$/);
  await bell(page).click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel.getByRole("link", { name: "Container doomed failed to deploy" })).toBeVisible();
  await expect(panel).toContainText("cs-e2e-missing:nope");
  await checkPage(page, "notifications-bell");

  // And the feed lists it until they mark everything read
  await panel.getByRole("link", { name: "All notifications" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const feed = page.getByRole("list", { name: "Notifications" });
  await expect(feed).toContainText("Container doomed failed to deploy");
  await checkPage(page, "notifications");
  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(feed.getByRole("button", { name: /^Mark read/ })).toHaveCount(0);
  await expect(bell(page)).toHaveAccessibleName("Notifications");
  await page.getByLabel("Unread only").check();
  await expect(page.getByText("Nothing unread", { exact: true })).toBeVisible();
  await checkPage(page, "notifications-all-read");
});
