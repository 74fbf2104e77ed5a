import { expect, test } from "@playwright/test";

import { admin, checkPage, email, register, signIn, signOut } from "./support";

const buyer = { name: "Mia Market", email: email("market") };

/** The status badge in the container page's heading. */
const statusOf = (page: import("@playwright/test").Page) =>
  page.getByRole("main").getByText(/^(provisioning|running|stopped|exited|error)$/).first();

test("a user finds an app, sees its price, deploys it with its form and sees it count against the package", async ({
  page,
}) => {
  // Given a new user on the marketplace
  await register(page, buyer.name, buyer.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Marketplace" }).click();
  const apps = page.getByRole("list", { name: "Apps" });
  await expect(apps.getByRole("link", { name: "Static web site" })).toBeVisible();
  await checkPage(page, "marketplace");

  // When they search and pick a category, Then the cards narrow down
  await page.getByRole("searchbox", { name: "Search apps" }).fill("key-value");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(apps.getByRole("listitem")).toHaveCount(1);
  await expect(apps.getByRole("link", { name: "Key-value store" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search apps" }).fill("");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: "web", exact: true }).click();
  await expect(apps.getByRole("link", { name: "NGINX" })).toBeVisible();
  await expect(apps.getByRole("link", { name: "Key-value store" })).toHaveCount(0);

  // And a registry app says why this stack cannot deploy it
  await apps.getByRole("link", { name: "NGINX" }).click();
  await expect(page.getByText("This app cannot be deployed here")).toBeVisible();
  await expect(page.getByText(/never pulls images/)).toBeVisible();
  await checkPage(page, "marketplace-registry");

  // When they open the static web site, Then its hourly and monthly price are shown
  await page.getByRole("link", { name: "All apps" }).click();
  await page.getByRole("list", { name: "Apps" }).getByRole("link", { name: "Static web site" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Static web site/ })).toBeVisible();
  await expect(page.getByText("Per hour")).toBeVisible();
  await expect(page.getByText("Per month (730 hours)")).toBeVisible();
  await checkPage(page, "marketplace-detail");

  // When they deploy without its required field, Then the field says so
  await page.getByLabel("Name", { exact: true }).fill("mia-site");
  await page.getByRole("button", { name: "Deploy Static web site" }).click();
  await expect(page.getByLabel("Site title (required)")).toHaveAttribute("aria-invalid", "true");
  await checkPage(page, "marketplace-deploy-errors");

  // When they fill it in and deploy, Then the container runs
  await page.getByLabel("Site title (required)").fill("Mia's site");
  await page.getByRole("button", { name: "Deploy Static web site" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "mia-site" })).toBeVisible();
  await expect(statusOf(page)).toHaveText("running", { timeout: 60_000 });

  // And it counts against the organization's package
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Package: Starter" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Containers" })).toHaveAttribute("aria-valuetext", "1 of 10 containers");
  await checkPage(page, "resources");

  // When they delete it, Then nothing is used any more
  await page.goto("/containers");
  await page.getByRole("list", { name: "Containers" }).getByRole("link", { name: "mia-site" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete mia-site?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("mia-site was deleted.")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
  await expect(page.getByRole("progressbar", { name: "Containers" })).toHaveAttribute("aria-valuenow", "0");
  await signOut(page);
});

test("an administrator sees the packages, and customers never see the page", async ({ page }) => {
  await signIn(page, admin.email, admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Packages" }).click();
  const packages = page.getByRole("list", { name: "Packages" });
  await expect(packages.getByRole("heading", { name: "Starter" })).toBeVisible();
  await checkPage(page, "admin-packages");
  const name = `Pro ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Containers").fill("50");
  await page.getByLabel("Memory", { exact: true }).fill("32Gi");
  await page.getByRole("button", { name: "Add package" }).click();
  await expect(packages.getByRole("heading", { name })).toBeVisible();
  await packages.getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("dialog", { name: `Delete package ${name}?` }).getByRole("button", { name: "Delete" }).click();
  await expect(packages.getByRole("heading", { name })).toHaveCount(0);
  await signOut(page);
  await signIn(page, buyer.email);
  await expect(page.getByRole("link", { name: "Packages" })).toHaveCount(0);
});
