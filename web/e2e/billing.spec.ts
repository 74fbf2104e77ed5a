import { expect, type Page, test } from "@playwright/test";

import { admin, checkPage, email, register, signIn, signOut } from "./support";

const payer = { name: "Bea Billing", email: email("billing") };

function nav(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

/** From /billing: ask for `amount` with PayPal; the browser lands on the sandbox's approval page. */
async function startPayPal(page: Page, amount: string): Promise<void> {
  await page.getByLabel("Amount").fill(amount);
  await page.getByRole("button", { name: "Continue to PayPal" }).click();
  await expect(page).toHaveURL(/\/checkoutnow\?token=[0-9A-Z]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Pay ${amount}.00 USD to ContainerStacks`);
}

test("a user adds funds with PayPal (sandbox), comes back to the new balance, and the dashboard shows it", async ({
  page,
}) => {
  // Given a new user: an empty wallet on the dashboard and on the billing page
  await register(page, payer.name, payer.email);
  await expect(page.getByTestId("dashboard-balance")).toHaveText("$0.00");
  await nav(page, "Billing").click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  const balance = page.getByTestId("wallet-balance");
  await expect(balance).toHaveText("$0.00");
  await expect(page.getByText("No transactions yet")).toBeVisible();
  await checkPage(page, "billing-empty");

  // When they start a top-up and cancel it at PayPal
  await startPayPal(page, "25");
  await page.getByRole("button", { name: "Cancel" }).click();

  // Then they are back on billing, told nothing was charged
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByText("Payment cancelled")).toBeVisible();
  await expect(balance).toHaveText("$0.00");
  await checkPage(page, "billing-cancelled");

  // When they start again and approve at PayPal
  await startPayPal(page, "25");
  await page.getByRole("button", { name: "Approve" }).click();

  // Then they are back on billing, the payment captured and the balance up by the amount
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByText("Payment received")).toBeVisible();
  await expect(page.getByText("$25.00 was added. Your balance is now $25.00.")).toBeVisible();
  await expect(balance).toHaveText("$25.00");
  const ledger = page.getByRole("table", { name: "Transactions, newest first" });
  await expect(ledger.getByRole("row").filter({ hasText: "Wallet top-up (PayPal)" })).toContainText("+$25.00");

  // And a reload does not capture (or credit) again
  await page.reload();
  await expect(balance).toHaveText("$25.00");
  await expect(ledger.getByRole("row").filter({ hasText: "Wallet top-up (PayPal)" })).toHaveCount(1);
  await expect(page.getByRole("region", { name: "Wallet" })).toContainText("No charges running");

  // When a container is deployed, Then billing shows what it costs per hour and how long the balance lasts
  await page.goto("/containers/new");
  await page.getByLabel("Name").fill("metered-web");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page).toHaveURL(/\/containers\/[0-9A-Z]+$/);
  await nav(page, "Billing").click();
  const wallet = page.getByRole("region", { name: "Wallet" });
  await expect(wallet).not.toContainText("$0.00 per hour");
  await expect(wallet).toContainText(/About \d+ (hour|day|week|month)s?|More than 2 years/);
  await checkPage(page, "billing");

  // And the dashboard shows the balance and how long it lasts
  await nav(page, "Dashboard").click();
  await expect(page.getByTestId("dashboard-balance")).toHaveText("$25.00");
  await expect(page.getByRole("region", { name: "Wallet" })).toContainText(/Lasts about \d+ \w+ at the current spending/);
  await checkPage(page, "dashboard-wallet");
});

test("a user saves a PayPal account at PayPal (sandbox), tops up with it in one step, and removes it", async ({
  page,
}) => {
  // Given a new user on the billing page, with no saved payment method
  await register(page, "Sam Saver", email("saver"));
  await nav(page, "Billing").click();
  const balance = page.getByTestId("wallet-balance");
  await expect(balance).toHaveText("$0.00");
  const methods = page.getByRole("region", { name: "Saved payment methods" });
  await expect(methods).toContainText("No saved payment methods");

  // When they start saving a PayPal account and cancel at PayPal
  await methods.getByRole("button", { name: "Save a PayPal account" }).click();
  await expect(page).toHaveURL(/\/checkoutnow\?token=[0-9A-Z]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Save your PayPal account for later payments");
  await page.getByRole("button", { name: "Cancel" }).click();

  // Then they are back on billing, told so, and nothing is saved
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByText("Saving the PayPal account was cancelled")).toBeVisible();
  await expect(methods).toContainText("No saved payment methods");

  // When they start again and approve at PayPal
  await methods.getByRole("button", { name: "Save a PayPal account" }).click();
  await expect(page).toHaveURL(/\/checkoutnow\?token=[0-9A-Z]+$/);
  await page.getByRole("button", { name: "Approve" }).click();

  // Then they are back on billing with the account saved, named and listed
  await expect(page).toHaveURL(/\/billing$/);
  const saved = page.getByText(/^PayPal account saved: PayPal \w\*\*\*@example\.com$/);
  await expect(saved).toBeVisible();
  const label = ((await saved.textContent()) ?? "").replace("PayPal account saved: ", "");
  const list = methods.getByRole("list", { name: "Saved payment methods" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText(label);
  await checkPage(page, "billing-saved-method");
  // And a reload does not save it again
  await page.reload();
  await expect(list.getByRole("listitem")).toHaveCount(1);

  // When they add funds with it
  await page.getByLabel("Payment method", { exact: true }).selectOption({ label: `Saved: ${label}` });
  await page.getByLabel("Amount").fill("15");
  await page.getByRole("button", { name: "Add funds", exact: true }).click();

  // Then it is charged at once: the balance goes up without leaving the page
  await expect(page.getByText("Funds added")).toBeVisible();
  await expect(balance).toHaveText("$15.00");
  await expect(page).toHaveURL(/\/billing$/);
  const ledger = page.getByRole("table", { name: "Transactions, newest first" });
  await expect(ledger.getByRole("row").filter({ hasText: "Wallet top-up" })).toContainText("+$15.00");

  // When they remove it
  await list.getByRole("button", { name: `Remove ${label}` }).click();
  await page.getByRole("dialog", { name: `Remove ${label}?` }).getByRole("button", { name: "Remove" }).click();

  // Then it is gone from the list and from the ways to add funds
  await expect(methods).toContainText("No saved payment methods");
  await expect(page.getByRole("option", { name: `Saved: ${label}` })).toHaveCount(0);
  await expect(balance).toHaveText("$15.00");
});

test("an administrator credits an organization's wallet by hand, with a reason the customer sees", async ({ page }) => {
  // Given a customer's organization
  await register(page, "Cora Credit", email("credit"));
  const organizationId = await page.evaluate(async () => {
    const token = (JSON.parse(localStorage.getItem("cs.session") ?? "{}") as { token: string }).token;
    const answer = await fetch("/api/organizations", { headers: { Authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { organizations: { id: string }[] };
    return body.organizations[0]?.id ?? "";
  });
  await signOut(page);

  // When the administrator records a credit for it
  await signIn(page, admin.email, admin.password);
  await nav(page, "Payments").click();
  await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
  await checkPage(page, "admin-payments");
  await page.getByLabel("Organization ID").fill(organizationId);
  await page.getByLabel("Amount").fill("5");
  await page.getByLabel("Reason").fill("Welcome credit");
  await page.getByRole("button", { name: "Record adjustment" }).click();

  // Then it is recorded with the new balance
  await expect(page.getByText("Adjustment recorded")).toBeVisible();
  await expect(page.getByText(/the balance is now \$5\.00/)).toBeVisible();
  await signOut(page);

  // And the customer sees it on their ledger, with the reason
  await signIn(page, email("credit"));
  await nav(page, "Billing").click();
  await expect(page.getByTestId("wallet-balance")).toHaveText("$5.00");
  await expect(page.getByRole("table", { name: "Transactions, newest first" })).toContainText("Welcome credit");
});
