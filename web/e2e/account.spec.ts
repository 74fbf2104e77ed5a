import { expect, test } from "@playwright/test";

import { checkPage, email, register } from "./support";

test("the profile shows the account and changes the name", async ({ page }) => {
  const address = email("profile");
  await register(page, "Pat Profile", address);
  await page.goto("/profile");
  await expect(page.getByLabel("Email")).toHaveValue(address);
  await expect(page.getByRole("region", { name: "Organizations" })).toContainText("owner");
  await checkPage(page, "profile");
  await page.getByLabel("Name", { exact: true }).fill("Pat Renamed");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your name was saved.")).toBeVisible();
  await expect(page.getByRole("banner")).toContainText("Pat Renamed");
});

test("at phone width the menu opens and lists the pages", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await register(page, "Phil Phone", email("phone"));
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Organization" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/menu-open-phone.png" });
});

test("a revoked session returns to the sign-in page with a message", async ({ page }) => {
  // Given a signed-in user whose token is then revoked (signed out elsewhere)
  await register(page, "Rita Revoked", email("revoked"));
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem("cs.session") ?? "{}") as { token: string }).token);
  const revoked = await page.request.post("/api/auth/logout", { headers: { Authorization: `Bearer ${token}` } });
  expect(revoked.ok()).toBe(true);

  // When the app next talks to the API (here: the page is opened again)
  await page.goto("/containers");

  // Then it is back on the sign-in page, saying why
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText(/Your session has ended/)).toBeVisible();
  await checkPage(page, "login-session-ended");
});
