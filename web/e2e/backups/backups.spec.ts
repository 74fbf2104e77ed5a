import { expect, test } from "@playwright/test";

import { checkPage, email, register } from "../support";

// Run by tests/e2e/test_web_backups.py against a local stack (it removes the volume afterwards).
test("a user backs up a container's volume, sees it verified restorable, restores it and deletes it", async ({ page }) => {
  // Given a user with a running container that has a volume
  await register(page, "Bea Backup", email("backups"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Backups" }).click();
  await expect(page.getByText("Nothing to back up")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await page.getByRole("link", { name: "Deploy a container" }).first().click();
  await page.getByLabel("Name").fill("db");
  await page.getByRole("button", { name: "Add a volume" }).click();
  await page.getByLabel("Volume 1 name").fill("data");
  await page.getByLabel("Volume 1 mount path").fill("/data");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByRole("main").getByText(/^running$/).first()).toBeVisible({ timeout: 90_000 });

  // When they back it up every night, keeping three
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Backups" }).click();
  await expect(page.getByText("No backups yet")).toBeVisible();
  await checkPage(page, "backups-empty");
  await page.getByLabel("Schedule (optional)").fill("0 3 * * *");
  await page.getByLabel("Keep (optional)").fill("3");
  await page.getByRole("button", { name: "Back up now" }).click();

  // Then it is listed with its size and checksum, and proven restorable by a test restore
  const list = page.getByRole("list", { name: "Backups" });
  await expect(list).toContainText(/Verified restorable/, { timeout: 90_000 });
  await expect(list).toContainText("sha256:");
  await expect(list).toContainText("Schedule 0 3 * * * (UTC) · keeps 3");
  await expect(page.getByRole("list", { name: "Schedules" })).toContainText("0 3 * * * (UTC)");
  await checkPage(page, "backups");

  // When they restore it (after confirming)
  await page.getByRole("button", { name: "Restore backup of db" }).click();
  const dialog = page.getByRole("dialog", { name: "Restore this backup?" });
  await expect(dialog).toContainText("db is stopped");
  await dialog.getByRole("button", { name: "Restore" }).click();

  // Then the backup says it was restored
  await expect(list).toContainText(/restored /, { timeout: 90_000 });

  // When they delete it (after confirming), Then it is gone
  await page.getByRole("button", { name: "Delete backup of db" }).click();
  await page.getByRole("dialog", { name: "Delete this backup?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("No backups yet")).toBeVisible();

  // When they stop the schedule (after confirming), Then none is left
  await page.getByRole("button", { name: "Stop schedule of db" }).click();
  await page.getByRole("dialog", { name: "Stop this schedule?" }).getByRole("button", { name: "Stop schedule" }).click();
  await expect(page.getByText(/No schedules/)).toBeVisible();
});
