import { expect, test } from "@playwright/test";

import { checkPage, email, register } from "./support";

const run = process.env.CS_E2E_RUN ?? "local";
const tarball = process.env.CS_E2E_IMAGE_TAR ?? "";
const context = process.env.CS_E2E_CONTEXT_TAR ?? "";

test("a customer uploads a docker save tarball with progress and builds an image watching its log", async ({ page }) => {
  test.setTimeout(180_000);
  // Given a new customer on the images page
  await register(page, "Ida Images", email("images"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Images" }).click();
  await expect(page.getByText("No images yet")).toBeVisible();
  await checkPage(page, "images-empty");

  // When they upload a docker save tarball (the browser PUTs it to the presigned URL)
  const upload = page.getByRole("form", { name: "Upload an image" });
  await upload.getByLabel("Name").fill(`web-${run}`);
  await upload.getByLabel("Tag").fill("1");
  await upload.getByLabel("Image tarball (docker save)").setInputFiles(tarball);
  await upload.getByRole("button", { name: "Upload image" }).click();

  // Then it is loaded onto the host and listed ready, to deploy as cs.local/...
  await expect(upload.getByText(`Loading cs.local/web-${run}:1 on the hosts.`)).toBeVisible({ timeout: 60_000 });
  const list = page.getByRole("list", { name: "Images" });
  const uploaded = list.getByRole("listitem").filter({ hasText: `cs.local/web-${run}:1` });
  await expect(uploaded.getByText("ready", { exact: true })).toBeVisible({ timeout: 60_000 });

  // When they build an image from a Dockerfile and a context holding busybox
  const build = page.getByRole("form", { name: "Build an image" });
  await build.getByLabel("Name").fill(`site-${run}`);
  await build.getByLabel("Tag").fill("v2");
  await build.getByLabel("Build context (tar)").setInputFiles(context);
  await build.getByRole("button", { name: "Build image" }).click();

  // Then its log shows while it builds, and it ends ready
  const log = page.getByRole("region", { name: `Build log of cs.local/site-${run}:v2` });
  await expect(log.getByLabel("Build log")).toContainText("COPY busybox /bin/busybox", { timeout: 60_000 });
  await expect(log.getByText("ready", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(log.getByLabel("Build log")).toContainText("Successfully built");
  await checkPage(page, "images");
});
