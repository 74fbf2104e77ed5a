// Run by tests/e2e/test_web_clusters.py against a local stack whose Kubernetes sandbox is registered as a
// cluster (not part of test_web.py's suites, which glob e2e/*.spec.ts only).
import { expect, type Page, test } from "@playwright/test";

import { admin, checkPage, signIn } from "../support";

/** The status badge in the container page's heading. */
function status(page: Page) {
  return page.getByRole("main").getByText(/^(provisioning|running|stopped|exited|error)$/).first();
}

test("an administrator sees the sandbox cluster and a container deployed to it runs, stops and is deleted", async ({ page }) => {
  // Given the administrator on the clusters page: the local stack registered its Kubernetes sandbox
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/clusters");
  await expect(page.getByRole("heading", { level: 1, name: "Kubernetes clusters" })).toBeVisible();
  const clusters = page.getByRole("list", { name: "Clusters" });
  await expect(clusters.getByRole("heading", { name: "Kubernetes sandbox" })).toBeVisible();
  await checkPage(page, "admin-clusters");

  // When they deploy a container and choose the cluster
  await page.goto("/containers/new");
  await page.getByLabel("Name").fill(`k8s-${Date.now().toString(36)}`);
  await page.getByLabel("Target").selectOption({ label: "Kubernetes: Kubernetes sandbox" });
  await checkPage(page, "containers-new-cluster");
  await page.getByRole("button", { name: "Deploy" }).click();

  // Then its page follows it to running on the cluster
  await expect(page).toHaveURL(/\/containers\/[0-9A-Z]+$/);
  await expect(status(page)).toHaveText("running", { timeout: 90_000 });
  await expect(page.getByText("a Kubernetes cluster", { exact: false })).toBeVisible();
  await checkPage(page, "container-on-cluster");

  // And its logs come from its pod
  await page.getByRole("link", { name: "Logs" }).click();
  await expect(page.getByRole("log")).toContainText("started (nothing runs in the sandbox)");

  // When it is stopped and deleted (after confirming), Then it is gone
  await page.getByRole("link", { name: "Overview" }).click();
  await page.getByRole("button", { name: "Stop" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop" }).click();
  await expect(status(page)).toHaveText("stopped", { timeout: 60_000 });
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/containers$/);
});
