import { expect, test } from "@playwright/test";

import { checkPage, email } from "./support";

test("a visitor reads what ContainerStacks is and finds sign-in and registration", async ({ page }) => {
  // Given a visitor on the start page
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Run your containers");
  await checkPage(page, "landing");

  // When they follow "Sign in", Then the sign-in form is there
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Email")).toBeVisible();
  await checkPage(page, "login");

  // When they open registration, Then the form is there
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await checkPage(page, "register");
});

test("registration shows the API's field errors at the fields", async ({ page }) => {
  // Given the registration form with a bad email and a short password
  await page.goto("/register");
  await page.getByLabel("Name").fill("Short Password");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");

  // When it is sent
  await page.getByRole("button", { name: "Create account" }).click();

  // Then each field says what is wrong with it, and the summary has the focus
  await expect(page.getByRole("alert")).toContainText("There are 2 problems");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/at least 8 characters/i);
  await expect(page.getByRole("alert")).toBeFocused();
  await checkPage(page, "register-errors");
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email("nobody"));
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test("an unknown address shows a page-not-found page", async ({ page }) => {
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await checkPage(page, "not-found");
});
