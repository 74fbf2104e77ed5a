// Run by tests/e2e/test_web_vps.py against a local stack whose Linode sandbox boots in a second (not part of
// test_web.py's suites, which glob e2e/*.spec.ts only).
import { expect, type Page, test } from "@playwright/test";
import { generateKeyPairSync } from "node:crypto";

import { admin, checkPage, email, register, signIn, signOut } from "../support";

const buyer = { name: "Vera Vps", email: email("vps") };

function nav(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

/** A fresh ed25519 public key as one OpenSSH line (what ~/.ssh/id_ed25519.pub holds). */
function sshPublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} ${comment}`;
}

async function organizationId(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const token = (JSON.parse(localStorage.getItem("cs.session") ?? "{}") as { token: string }).token;
    const answer = await fetch("/api/organizations", { headers: { Authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { organizations: { id: string }[] };
    return body.organizations[0]?.id ?? "";
  });
}

test("a customer buys a VPS from the sandbox, sees it running with an IP, reboots and deletes it", async ({ page }) => {
  // Given a new customer whose wallet an administrator credited
  await register(page, buyer.name, buyer.email);
  const org = await organizationId(page);
  await signOut(page);
  await signIn(page, admin.email, admin.password);
  await nav(page, "Payments").click();
  await page.getByLabel("Organization ID").fill(org);
  await page.getByLabel("Amount").fill("10");
  await page.getByLabel("Reason").fill("VPS trial");
  await page.getByRole("button", { name: "Record adjustment" }).click();
  await expect(page.getByText("Adjustment recorded")).toBeVisible();
  await signOut(page);
  await signIn(page, buyer.email);

  // When they open VPS: the sandbox's plans are on sale with prices per hour and month
  await nav(page, "VPS").click();
  await expect(page.getByRole("heading", { level: 1, name: "VPS" })).toBeVisible();
  await expect(page.getByText("No VPS yet")).toBeVisible();
  const plans = page.getByRole("list", { name: "Plans" });
  await expect(plans.getByRole("radio").first()).toBeChecked();
  await expect(plans).toContainText(/\$[\d.]+ per hour · \$[\d.]+ per month/);
  await checkPage(page, "vps-empty");

  // And they add an SSH key on the page
  const keys = page.getByRole("region", { name: "Your SSH keys" });
  await keys.getByLabel("Key name").fill("laptop");
  await keys.getByLabel("Public key").fill(sshPublicKey("vera@laptop"));
  await keys.getByRole("button", { name: "Add key" }).click();
  await expect(keys.getByText("Key laptop was added.")).toBeVisible();

  // When they buy one labelled e2e-vps with that key
  await page.getByLabel("Label").fill("e2e-vps");
  await page.getByRole("checkbox", { name: /laptop/ }).check();
  await page.getByRole("button", { name: "Buy VPS" }).click();

  // Then the root password is shown, once, with a way to copy it
  const secret = page.getByRole("region", { name: "Root password for e2e-vps: shown only now" });
  await expect(secret).toBeVisible();
  await expect(secret.getByTestId("root-password")).toHaveText(/^\S{20,}$/);
  await expect(secret.getByRole("button", { name: "Copy password" })).toBeVisible();
  await checkPage(page, "vps-root-password");
  await secret.getByRole("button", { name: "I have saved it" }).click();
  await expect(secret).toHaveCount(0);

  // And the VPS is listed, provisioned, then running with an IP address
  const item = page.getByRole("list", { name: "VPS" }).getByRole("listitem").filter({ hasText: "e2e-vps" });
  await expect(item.getByText("running", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(item.getByTestId("vps-ip")).toHaveText(/^\d+\.\d+\.\d+\.\d+/);
  await checkPage(page, "vps");

  // When they reboot it, Then it says so
  await item.getByRole("button", { name: "Reboot e2e-vps" }).click();
  await expect(item.getByText("rebooting", { exact: true })).toBeVisible();

  // When they delete it (after confirming), Then it goes away
  await item.getByRole("button", { name: "Delete e2e-vps" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete e2e-vps?" });
  await checkPage(page, "vps-delete-confirm");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("No VPS yet")).toBeVisible({ timeout: 60_000 });

  // And the keys are on the profile too
  await nav(page, "Profile").click();
  await expect(page.getByRole("region", { name: "SSH keys" }).getByText("laptop", { exact: true })).toBeVisible();
  await checkPage(page, "profile-ssh-keys");
});

test("an administrator manages providers: credentials, plans and markup, costs, reconciliation", async ({ page }) => {
  // Given the administrator on Providers, with the sandbox provider `make dev` seeded
  await signIn(page, admin.email, admin.password);
  await nav(page, "Providers").click();
  await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
  const sandbox = page.getByRole("listitem", { name: "Linode sandbox" });
  await expect(sandbox.getByText("••••oken")).toBeVisible();
  await checkPage(page, "admin-providers");

  // When they test its credentials and sync its plans, Then they see what was found
  await sandbox.getByRole("button", { name: "Test credentials of Linode sandbox" }).click();
  await expect(sandbox.getByText("The credentials work")).toBeVisible();
  await expect(sandbox).toContainText(/\d+ regions, \d+ plan types, \d+ instances/);
  await sandbox.getByRole("button", { name: "Sync plans of Linode sandbox" }).click();
  await expect(sandbox.getByText("Plans synced")).toBeVisible();

  // When they set a 25 % markup on the nanode plan, Then its price follows
  const plans = page.getByRole("list", { name: "Plans of the provider" });
  const nanode = plans.getByRole("listitem").filter({ hasText: "g6-nanode-1" });
  await nanode.getByRole("button", { name: /^Set markup of / }).click();
  await nanode.getByLabel("Percent").fill("25");
  await nanode.getByRole("button", { name: "Save markup" }).click();
  await expect(nanode).toContainText("markup 25.00 %");

  // And the costs of the VPS bought before are set against revenue
  await page.getByRole("button", { name: "Show costs" }).click();
  await expect(page.getByRole("table", { name: "By plan" })).toBeVisible();
  await expect(page.getByTestId("cost-totals")).toContainText("Revenue");

  // When they reconcile now, Then the report lists no orphans and no ghosts
  await page.getByRole("button", { name: "Reconcile now" }).click();
  const report = page.getByTestId("reconciliation-report");
  await expect(report).toContainText("Orphans (0)");
  await expect(report).toContainText("Ghosts (0)");
  await checkPage(page, "admin-providers-details");

  // When they add a second account, Then its webhook secret is shown once and its key as its last four
  const form = page.getByRole("form", { name: "Add a provider" });
  await form.getByLabel("Name").fill("Second sandbox");
  await form.getByLabel("API key").fill("linode-sandbox-token");
  await form.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByText("Second sandbox was added: its webhook secret is shown only now")).toBeVisible();
  await page.getByRole("button", { name: "Done" }).click();
  const second = page.getByRole("listitem", { name: "Second sandbox" });
  await expect(second.getByText("••••oken")).toBeVisible();

  // And its key can be rotated, and the account deleted after confirming
  await second.getByRole("button", { name: "Rotate key of Second sandbox" }).click();
  await second.getByLabel("New API key").fill("linode-sandbox-token");
  await second.getByRole("button", { name: "Save new key" }).click();
  await expect(second.getByText(/The new key is stored/)).toBeVisible();
  await second.getByRole("button", { name: "Delete Second sandbox" }).click();
  await page.getByRole("dialog", { name: "Delete provider Second sandbox?" }).getByRole("button", { name: "Delete" }).click();
  await expect(second).toHaveCount(0);
});
