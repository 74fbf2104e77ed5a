import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";

import { admin, checkPage, email, PASSWORD, register, signIn, signOut } from "./support";

// One story, in order: a customer signs up; the operator finds them, suspends them (they cannot sign in),
// looks at their organization and the platform figures, reads and downloads the audit log, lifts the
// suspension; the customer reads their own organization's audit log.
test.describe.configure({ mode: "serial" });

const customer = { name: "Cora Customer", email: email("audit-customer") };

test("the operator's admin area and both audit logs", async ({ page }) => {
  // Given a customer who signed up
  await register(page, customer.name, customer.email);
  await signOut(page);

  // When the operator opens the admin area, Then the figures count them
  await signIn(page, admin.email, admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Platform figures" })).toBeVisible();
  const users = page.locator("dt", { hasText: /^Users$/ }).locator("..");
  await expect(users).toContainText(/[2-9]|\d\d/);
  await checkPage(page, "admin-figures");

  // When they find the customer by the start of their address and suspend them, giving a reason
  const adminNav = page.getByRole("navigation", { name: "Admin" });
  await adminNav.getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Starts with").fill(customer.email.slice(0, 18).toUpperCase());
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("list", { name: "Users" }).getByRole("listitem").filter({ hasText: customer.email });
  await expect(row).toHaveCount(1);
  await checkPage(page, "admin-users");
  await row.getByRole("button", { name: `Suspend ${customer.email}` }).click();
  const dialog = page.getByRole("dialog", { name: `Suspend ${customer.email}?` });
  await dialog.getByLabel(/Reason/).fill("card reported stolen");
  await dialog.getByRole("button", { name: "Suspend" }).click();
  // Then they are listed as suspended
  await expect(row.getByText("suspended", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Unsuspend ${customer.email}` })).toBeVisible();

  // And their organization shows its balance and its member
  await adminNav.getByRole("link", { name: "Organizations" }).click();
  await page.getByRole("link", { name: `${customer.name}'s organization` }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: `${customer.name}'s organization` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Members" })).toContainText(customer.email);
  await expect(page.locator("dt", { hasText: /^Balance$/ }).locator("..")).toContainText("0.00 USD");
  await checkPage(page, "admin-organization");

  // When they read the audit log of that organization, narrowed to suspensions
  await page.getByRole("link", { name: "Audit log of this organization" }).click();
  await page.getByLabel("Action").selectOption("user.suspended");
  await page.getByRole("button", { name: "Apply filters" }).click();
  const entries = page.getByRole("list", { name: "Audit entries" });
  // Then the suspension is there: who, from where, the state before and after
  await expect(entries.getByRole("listitem")).toHaveCount(1);
  await expect(entries).toContainText("Account suspended");
  await expect(entries).toContainText(`By ${admin.email}`);
  await expect(entries).toContainText("card reported stolen");
  await expect(entries).toContainText(/from \d+\.\d+\.\d+\.\d+/);
  await checkPage(page, "admin-audit");
  // And the CSV download holds it
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  const file = await download.path();
  const csv = readFileSync(file, "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,at,action,actor_id,actor_email,organization_id,target_type,target_id,ip,before,after");
  expect(csv).toContain("user.suspended");
  expect(csv).toContain("card reported stolen");
  await signOut(page);

  // When the customer tries to sign in, Then they are told they are suspended
  await page.goto("/login");
  await page.getByLabel("Email").fill(customer.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/suspended/)).toBeVisible();

  // When the operator lifts the suspension
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/users");
  await page.getByLabel("Starts with").fill(customer.email);
  await page.getByRole("button", { name: "Search" }).click();
  const again = page.getByRole("list", { name: "Users" }).getByRole("listitem").filter({ hasText: customer.email });
  await again.getByRole("button", { name: `Unsuspend ${customer.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
  await expect(again.getByText("active", { exact: true })).toBeVisible();
  await signOut(page);

  // Then the customer signs in and reads their organization's own audit log
  await signIn(page, customer.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  const own = page.getByRole("list", { name: "Audit entries" });
  await expect(own).toContainText("Suspension lifted");
  await expect(own).toContainText("Sign-in to a suspended account");
  await expect(own).toContainText("Account created");
  await checkPage(page, "organization-audit");
});
