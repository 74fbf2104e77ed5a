import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Where every page's screenshots go (README: "Screenshots"). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, "..", "test-results", "screenshots");
export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 800 };
export const PASSWORD = "correct horse battery staple";

export const admin = {
  email: process.env.CS_ADMIN_EMAIL ?? "admin@example.test",
  password: process.env.CS_ADMIN_PASSWORD ?? "admin-password",
};

const run = process.env.CS_E2E_RUN ?? Date.now().toString(36);

export function email(who: string): string {
  return `${who}-${run}@example.test`;
}

/** axe-core finds no serious or critical problem on the page as it is now. */
async function accessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    // Legacy mode runs axe in the page itself instead of opening a helper page per check (faster).
    .setLegacyMode(true)
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, `accessibility problems on ${name}`).toEqual([]);
}

/**
 * Check a page at phone and desktop width: no serious/critical axe violation, no horizontal scrolling at
 * 360 px, and a full-page screenshot of each (`<name>-phone.png`, `<name>-desktop.png`).
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.evaluate(() => document.fonts.ready);
    await accessible(page, `${name} (${label})`);
    if (label === "phone") {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

export async function register(page: Page, name: string, address: string): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(address);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${name}` })).toBeVisible();
}

export async function signIn(page: Page, address: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(address);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signOut(page: Page): Promise<void> {
  const main = page.getByRole("navigation", { name: "Main" });
  if (!(await main.isVisible())) await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText("You have signed out.")).toBeVisible();
}
