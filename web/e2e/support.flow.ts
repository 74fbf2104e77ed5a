import { expect, type Page, test } from "@playwright/test";

import { admin, checkPage, email, register, signIn, signOut } from "./support";

const customer = { name: "Cora Customer", email: email("support-customer") };
const subject = `Database keeps restarting ${process.env.CS_E2E_RUN ?? ""}`.trim();

/** The local stack's mailbox page, reloaded until a message with `subject` to `to` is listed. */
async function mailArrives(page: Page, to: string, subjectText: string | RegExp): Promise<void> {
  await expect(async () => {
    await page.goto("/_mail");
    const row = page.getByRole("row").filter({ hasText: to }).filter({ hasText: subjectText });
    await expect(row.first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
}

test("a customer opens a ticket, support answers and resolves it, both read the mail, the customer reopens and closes it", async ({
  page,
}) => {
  // Given a new customer on the support page
  await register(page, customer.name, customer.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support" }).click();
  await expect(page.getByText("No tickets yet")).toBeVisible();
  await checkPage(page, "support-empty");

  // When they open a ticket (after the form says what is missing)
  await page.getByRole("link", { name: "New ticket" }).first().click();
  await page.getByRole("button", { name: "Send ticket" }).click();
  await expect(page.getByRole("alert")).toContainText("There are 2 problems");
  await checkPage(page, "support-new-errors");
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Priority").selectOption("urgent");
  await page.getByLabel("Category").selectOption("technical");
  await page.getByLabel("Message").fill("It restarts every five minutes.\nSince this morning.");
  await page.getByRole("button", { name: "Send ticket" }).click();

  // Then the thread shows it open, and the administrators were mailed
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.getByText("Your ticket was sent; support has been told.")).toBeVisible();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  await checkPage(page, "support-ticket");
  await mailArrives(page, admin.email, `New urgent ticket from ${customer.name}'s organization: ${subject}`);
  await checkPage(page, "local-mail");
  await page.getByRole("link", { name: "Back to ContainerStacks" }).click();
  await signOut(page);

  // When an administrator answers from the support desk, resolves the ticket and takes it
  await signIn(page, admin.email, admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support desk" }).click();
  await page.getByLabel("Status").selectOption("open");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await page.getByLabel("Your reply (mailed to the customer)").fill("We found it: the volume was full. Fixed now.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("list", { name: "Conversation" })).toContainText("We found it");
  await page.getByLabel("Status").selectOption("resolved");
  await page.getByLabel("Assigned to").selectOption({ label: "Me (Administrator)" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();
  await checkPage(page, "admin-support-ticket");
  await page.getByRole("link", { name: "Support desk" }).last().click();
  await page.getByLabel("Assigned to me").check();
  await expect(page.getByRole("link", { name: subject })).toBeVisible();
  await checkPage(page, "admin-support-desk");

  // Then the customer got the reply and the new status by mail
  await mailArrives(page, customer.email, `Re: ${subject}`);
  await mailArrives(page, customer.email, `is now resolved`);
  await page.getByRole("link", { name: new RegExp(`^Re: ${subject}`) }).first().click();
  await expect(page.getByText("We found it: the volume was full. Fixed now.")).toBeVisible();
  await page.goto("/dashboard");
  await signOut(page);

  // When the customer comes back, Then the ticket says support answered and is resolved
  await signIn(page, customer.email);
  await page.goto("/support");
  const row = page.getByRole("listitem").filter({ hasText: subject });
  await expect(row.getByText("Support answered")).toBeVisible();
  await expect(row.getByText("Resolved")).toBeVisible();
  await row.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("list", { name: "Conversation" })).toContainText("We found it");

  // When they reopen it and reply, Then it is open; when they close it, it takes no more replies
  await page.getByRole("button", { name: "Reopen ticket" }).click();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  await page.getByLabel("Your reply").fill("It happened again at noon.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("list", { name: "Conversation" })).toContainText("It happened again at noon.");
  await page.getByRole("button", { name: "Close ticket" }).click();
  await expect(page.getByText("This ticket is closed. Reopen it to write again.")).toBeVisible();
  await checkPage(page, "support-ticket-closed");
});
