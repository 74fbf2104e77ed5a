import { expect, type Page, test } from "@playwright/test";

import { checkPage, email, register, signOut } from "./support";

const owner = { name: "Ada Owner", email: email("owner") };
const other = { name: "Bob Other", email: email("other") };

/** The status badge in the container page's heading. */
function status(page: Page) {
  return page.getByRole("main").getByText(/^(provisioning|running|stopped|exited|error)$/).first();
}

test("a user deploys the sample image, sees it run, reads its logs, stops and deletes it, and signs out", async ({
  page,
  browser,
}) => {
  // Given a new user
  await register(page, owner.name, owner.email);
  await expect(page.getByText("Nothing deployed yet")).toBeVisible();
  await checkPage(page, "dashboard-empty");
  await expect(page.getByRole("link", { name: "Hosts" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await expect(page.getByText("No containers yet")).toBeVisible();
  await checkPage(page, "containers-empty");

  // When they deploy with a name the API refuses, Then the error is shown at the name field
  await page.getByRole("link", { name: "Deploy a container" }).first().click();
  await expect(page.getByLabel("Image")).toHaveValue("containerstacks/hello:local");
  await checkPage(page, "containers-new");
  await page.getByLabel("Name").fill("Not A Valid Name!");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toContainText("Name");
  await checkPage(page, "containers-new-errors");

  // When they deploy the sample image with a valid name
  await page.getByLabel("Name").fill("hello-web");
  await page.getByRole("button", { name: "Deploy" }).click();

  // Then its page follows it from provisioning to running
  await expect(page).toHaveURL(/\/containers\/[0-9A-Z]+$/);
  const containerUrl = page.url();
  await expect(status(page)).toHaveText("running", { timeout: 90_000 });
  await expect(page.getByRole("heading", { level: 1, name: "hello-web" })).toBeVisible();
  await checkPage(page, "container-overview");

  // And its logs show what the image printed
  await page.getByRole("link", { name: "Logs" }).click();
  const log = page.getByRole("log");
  await expect(log).toContainText("starting");
  await expect(log).toContainText("warming up");
  await checkPage(page, "container-logs");

  // And its metrics are charted
  await page.getByRole("link", { name: "Metrics" }).click();
  await expect(page.getByText("Processes")).toBeVisible();
  await expect(page.locator("figure").first().locator("svg").first()).toBeVisible();
  await checkPage(page, "container-metrics");

  // And the dashboard and the list show it running
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("link", { name: "Logs of hello-web" })).toBeVisible();
  await checkPage(page, "dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await expect(page.getByRole("list", { name: "Containers" }).getByRole("link", { name: "hello-web" })).toBeVisible();
  await checkPage(page, "containers");

  // And another user sees none of it, not even by its address
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await register(otherPage, other.name, other.email);
  await otherPage.goto("/containers");
  await expect(otherPage.getByText("No containers yet")).toBeVisible();
  await otherPage.goto(containerUrl);
  await expect(otherPage.getByRole("heading", { level: 1, name: "Container not found" })).toBeVisible();
  await checkPage(otherPage, "container-not-found");
  // nor the admin pages
  await otherPage.goto("/admin/hosts");
  await expect(otherPage.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
  await checkPage(otherPage, "admin-not-allowed");
  await otherContext.close();

  // When they stop it (after confirming)
  await page.goto(containerUrl);
  await expect(status(page)).toHaveText("running");
  await page.getByRole("button", { name: "Stop" }).click();
  const confirm = page.getByRole("dialog", { name: "Stop hello-web?" });
  await expect(confirm).toBeVisible();
  await checkPage(page, "container-stop-confirm");
  await confirm.getByRole("button", { name: "Stop" }).click();
  await expect(status(page)).toHaveText("stopped", { timeout: 60_000 });

  // And delete it (after confirming)
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete hello-web?" }).getByRole("button", { name: "Delete" }).click();

  // Then it is gone from the list
  await expect(page).toHaveURL(/\/containers$/);
  await expect(page.getByText("hello-web was deleted.")).toBeVisible();
  await expect(page.getByText("No containers yet")).toBeVisible();

  // And signing out returns to the sign-in page
  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login$/);
});
