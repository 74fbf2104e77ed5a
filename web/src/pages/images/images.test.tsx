import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { BuildStatus, Image } from "../../api/types";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";

function image(overrides: Partial<Image> = {}): Image {
  return {
    id: "img-1",
    organization_id: ORG,
    name: "web",
    tag: "1",
    reference: "cs.local/web:1",
    source: "upload",
    status: "ready",
    status_reason: null,
    size_bytes: 2_000_000,
    digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    repo_tags: ["web:1"],
    created_by: "user-1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    finished_at: "2026-01-01T00:00:05Z",
    ...overrides,
  };
}

const UPLOAD = { url: "http://127.0.0.1:9000/bucket/images/x/uploads.tar?X-Amz-Signature=abc", method: "PUT", headers: { "Content-Type": "application/x-tar" }, expires_at: "2026-01-01T01:00:00Z" };

/** A stand-in for the browser's XMLHttpRequest: the test decides when the upload progresses and ends. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.last = this;
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  finish(status = 200) {
    this.status = status;
    this.onload?.();
  }
}

function imagesApi(list: () => Image[], more: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    ...ORGANIZATIONS,
    "GET /api/images": () => json(200, { images: list(), next_cursor: null }),
    "GET /api/images/usage": () => json(200, { used_bytes: 2_000_000, limit_bytes: 10 * 1024 ** 3 }),
    ...more,
  });
}

afterEach(() => {
  FakeXhr.last = null;
});

describe("the images page", { timeout: 20_000 }, () => {
  it("lists the organization's images with how to deploy them and the space they use", async () => {
    signedIn();
    imagesApi(() => [image(), image({ id: "img-2", name: "api", reference: "cs.local/api:2", status: "error", status_reason: "The tarball must hold exactly one image" })]);
    renderApp("/images");
    const list = within(await screen.findByRole("list", { name: "Images" }));
    expect(list.getByText("cs.local/web:1", { selector: "p" })).toBeInTheDocument();
    expect(list.getByText("The tarball must hold exactly one image")).toBeInTheDocument();
    expect(await screen.findByText(/1.9 MiB of 10.0 GiB used/)).toBeInTheDocument();
  });

  it("uploads a docker save tarball with progress, then has it loaded", async () => {
    // Given an empty list
    signedIn();
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    let list: Image[] = [];
    const requests = imagesApi(() => list, {
      "POST /api/images/upload": () => json(201, { image: image({ status: "awaiting_upload", size_bytes: 0, digest: null }), upload: UPLOAD }),
      "POST /api/images/img-1/complete": () => {
        list = [image({ status: "loading" })];
        return json(202, list[0]);
      },
    });
    renderApp("/images");
    const person = userEvent.setup();
    const form = within(await screen.findByRole("form", { name: "Upload an image" }));
    // When they name it, pick the tarball and upload
    await person.type(form.getByLabelText("Name"), "web");
    await person.clear(form.getByLabelText("Tag"));
    await person.type(form.getByLabelText("Tag"), "1");
    const tarball = new File([new Uint8Array(4096)], "web.tar", { type: "application/x-tar" });
    await person.upload(form.getByLabelText("Image tarball (docker save)"), tarball);
    await person.click(form.getByRole("button", { name: "Upload image" }));
    // Then the file goes to the presigned URL, and its progress shows
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    const xhr = FakeXhr.last as unknown as FakeXhr;
    expect([xhr.method, xhr.url, xhr.headers["Content-Type"], xhr.body]).toEqual(["PUT", UPLOAD.url, "application/x-tar", tarball]);
    xhr.progress(2048, 4096);
    expect(await form.findByText("50% uploaded")).toBeInTheDocument();
    expect(form.getByRole("progressbar", { name: "Image upload" })).toHaveAttribute("value", "50");
    // And when the upload ends the image is completed and shows as loading
    xhr.finish();
    expect(await form.findByText("Loading cs.local/web:1 on the hosts.")).toBeInTheDocument();
    const announce = requests.find((r) => r.method === "POST" && r.url.endsWith("/api/images/upload"));
    expect(await announce?.json()).toEqual({ name: "web", tag: "1", size_bytes: 4096 });
    expect(announce?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(await within(await screen.findByRole("list", { name: "Images" })).findByText("loading")).toBeInTheDocument();
  });

  it("builds from a Dockerfile and follows the build's log as it grows", async () => {
    signedIn();
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const built = image({ id: "b-1", name: "site", tag: "v2", reference: "cs.local/site:v2", source: "build", status: "building" });
    let status: BuildStatus = { id: "b-1", status: "building", status_reason: null, reference: "cs.local/site:v2", log_tail: ["Step 1/2 : FROM scratch"], finished_at: null };
    const requests = imagesApi(() => [built], {
      "POST /api/images/build": () => json(201, { image: { ...built, status: "awaiting_upload" }, upload: UPLOAD }),
      "POST /api/images/b-1/complete": () => json(202, built),
      "GET /api/images/build/b-1/status": () => json(200, status),
    });
    renderApp("/images");
    const person = userEvent.setup();
    const form = within(await screen.findByRole("form", { name: "Build an image" }));
    await person.type(form.getByLabelText("Name"), "site");
    await person.clear(form.getByLabelText("Tag"));
    await person.type(form.getByLabelText("Tag"), "v2");
    await person.upload(form.getByLabelText("Build context (tar)"), new File([new Uint8Array(100)], "ctx.tar"));
    await person.click(form.getByRole("button", { name: "Build image" }));
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    (FakeXhr.last as unknown as FakeXhr).finish();
    // Then the build's log shows, and grows while it builds
    const log = await screen.findByRole("region", { name: "Build log of cs.local/site:v2" });
    expect(within(log).getByLabelText("Build log")).toHaveTextContent("Step 1/2 : FROM scratch");
    status = { ...status, status: "ready", log_tail: ["Step 1/2 : FROM scratch", "Step 2/2 : COPY busybox /bin/busybox", "Successfully built 0123abcd"] };
    await waitFor(() => expect(within(log).getByLabelText("Build log")).toHaveTextContent("Successfully built 0123abcd"), { timeout: 5000 });
    expect(within(log).getByText("ready")).toBeInTheDocument();
    const announce = requests.find((r) => r.method === "POST" && r.url.endsWith("/api/images/build"));
    expect(await announce?.json()).toEqual({ name: "site", tag: "v2", size_bytes: 100, dockerfile: "FROM scratch\nCOPY busybox /bin/busybox\n" });
  });

  it("says why an image in use cannot be deleted", async () => {
    signedIn();
    imagesApi(() => [image()], {
      "DELETE /api/images/img-1": () => json(409, { error: { code: "conflict", message: "Containers use cs.local/web:1; delete them or deploy another image first.", details: { containers: ["web"] } } }),
    });
    renderApp("/images");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Delete cs.local/web:1" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText(/Containers use cs.local\/web:1/)).toBeInTheDocument();
  });
});
