import { expect, test } from "@playwright/test";

import { checkPage, email, PASSWORD, register, signIn, signOut } from "./support";

const olivia = { name: "Olivia Owner", email: email("team-owner") };
const dan = { name: "Dan Developer", email: email("team-dev") };

test("an owner invites a teammate by link, who signs up, joins as a developer and sees only what a developer may do", async ({
  page,
}) => {
  // Given Olivia on her Team page, with a project
  await register(page, olivia.name, olivia.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await page.getByLabel("Project name").fill("web");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("list", { name: "Projects" })).toContainText("web");

  // When she invites Dan as a developer
  await page.getByLabel("Email").fill(dan.email);
  await page.getByLabel("Role", { exact: true }).selectOption("developer");
  await page.getByRole("button", { name: "Invite" }).click();

  // Then she sees the link to copy, told that it was mailed, and the invitation waits for an answer
  await expect(page.getByText(`The invitation was mailed to ${dan.email}`)).toBeVisible();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invites\/[^/]+$/);
  await expect(page.getByRole("list", { name: "Pending invitations" })).toContainText(dan.email);
  await checkPage(page, "team-owner");
  await signOut(page);

  // When Dan, who has no account yet, opens the link, creates one on the way and accepts
  await page.goto(new URL(link).pathname);
  await expect(page).toHaveURL(/\/login$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name").fill(dan.name);
  await page.getByLabel("Email").fill(dan.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/invited .* as developer/)).toBeVisible();
  await checkPage(page, "team-invitation");
  await page.getByRole("button", { name: "Accept and join" }).click();

  // Then he is on the team's page, acting in Olivia's organization as a developer
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Organization" })).toHaveValue(/.+/);
  const members = page.getByRole("list", { name: "Members" });
  await expect(members).toContainText(olivia.name);
  await expect(members).toContainText(dan.name);
  await expect(page.getByText("Your role:")).toContainText("developer");
  // And what a developer may not do is not offered
  await expect(page.getByRole("heading", { name: "Invite people" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create project" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await checkPage(page, "team-developer");
  // And the link does not work a second time
  await page.goto(new URL(link).pathname);
  await expect(page.getByText("This invitation cannot be used")).toBeVisible();
  await page.getByRole("link", { name: "Go to your dashboard" }).click();
  await signOut(page);

  // When Olivia makes Dan a viewer
  await signIn(page, olivia.email);
  await page.goto("/collaboration");
  await page.getByLabel(`Role of ${dan.name}`).selectOption("viewer");
  await expect(page.getByLabel(`Role of ${dan.name}`)).toHaveValue("viewer");
  await expect(page.getByRole("list", { name: "Pending invitations" })).toHaveCount(0);
  await signOut(page);

  // Then Dan, in Olivia's organization, is not offered a deploy any more
  await signIn(page, dan.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
  await expect(page.getByText("Nothing is deployed here yet.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Deploy/ })).toHaveCount(0);
  await checkPage(page, "containers-viewer");
});
