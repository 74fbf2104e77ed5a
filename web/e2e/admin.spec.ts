import { expect, test } from "@playwright/test";

import { admin, checkPage, signIn } from "./support";

test("an administrator adds a host, drains, activates and removes it", async ({ page }) => {
  // Given the platform administrator
  await signIn(page, admin.email, admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Hosts" }).click();
  const hosts = page.getByRole("list", { name: "Hosts" });
  await expect(hosts.getByRole("listitem")).not.toHaveCount(0);
  await checkPage(page, "admin-hosts");

  // When they add the local engine again as a second host
  const name = `second-engine-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Engine URL").fill("unix:///var/run/docker.sock");
  await page.getByRole("button", { name: "Add host" }).click();

  // Then it is listed as active
  const host = hosts.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
  await expect(host).toBeVisible();
  await expect(host.getByText("active", { exact: true })).toBeVisible();

  // When it is drained, Then it says so; when activated again, it is active
  await host.getByRole("button", { name: `Drain ${name}` }).click();
  await expect(host.getByText("draining", { exact: true })).toBeVisible();
  await checkPage(page, "admin-hosts-draining");
  await host.getByRole("button", { name: `Activate ${name}` }).click();
  await expect(host.getByText("active", { exact: true })).toBeVisible();

  // When it is removed (after confirming), Then it is gone
  await host.getByRole("button", { name: `Remove ${name}` }).click();
  await page.getByRole("dialog", { name: `Remove host ${name}?` }).getByRole("button", { name: "Remove" }).click();
  await expect(host).toHaveCount(0);
});
