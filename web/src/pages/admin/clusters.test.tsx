import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Cluster } from "../../api/types";
import { json, mockApi, ORGANIZATIONS, renderApp, signedIn, user } from "../../test/render";

const ADMIN = user({ id: "admin-1", email: "root@example.test", name: "Root", role: "admin" });

function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    id: "0b0c5a4e-1111-4222-8333-444455556666",
    name: "sandbox",
    endpoint: "http://127.0.0.1:6443",
    ca_cert: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the admin clusters page", { timeout: 20_000 }, () => {
  it("adds a cluster with its token and shows it listed without the token", async () => {
    // Given an admin on the clusters page, with no cluster yet
    signedIn(ADMIN);
    let clusters: Cluster[] = [];
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/clusters": () => json(200, { clusters }),
      "POST /api/admin/clusters": () => {
        clusters = [cluster({ name: "prod", endpoint: "https://k8s.example.test:6443", ca_cert: true })];
        return json(201, clusters[0]);
      },
    });
    renderApp("/admin/clusters");
    expect(await screen.findByText("No clusters")).toBeInTheDocument();
    const person = userEvent.setup();

    // When they fill in the form and add it
    await person.type(screen.getByLabelText("Name"), "prod");
    await person.clear(screen.getByLabelText("API endpoint"));
    await person.paste("https://k8s.example.test:6443");
    await person.click(screen.getByLabelText("Service account token"));
    await person.paste("secret-token");
    await person.click(screen.getByLabelText(/CA certificate/));
    await person.paste("-----BEGIN CERTIFICATE-----");
    await person.click(screen.getByRole("button", { name: "Add cluster" }));

    // Then the cluster is listed, with its CA noted and no token anywhere
    const list = await screen.findByRole("list", { name: "Clusters" });
    expect(within(list).getByRole("heading", { name: "prod" })).toBeInTheDocument();
    expect(within(list).getByText(/CA certificate stored/)).toBeInTheDocument();
    expect(screen.queryByText(/secret-token/)).not.toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({
      name: "prod",
      endpoint: "https://k8s.example.test:6443",
      token: "secret-token",
      ca_cert: "-----BEGIN CERTIFICATE-----",
    });
  });

  it("shows the API's message at the token when the cluster refuses it", async () => {
    signedIn(ADMIN);
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/clusters": () => json(200, { clusters: [] }),
      "POST /api/admin/clusters": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "The Kubernetes API server cannot be used: Unauthorized",
            details: [{ field: "token", message: "The Kubernetes API server cannot be used: Unauthorized" }],
          },
        }),
    });
    renderApp("/admin/clusters");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "prod");
    await person.type(screen.getByLabelText("Service account token"), "wrong");
    await person.click(screen.getByRole("button", { name: "Add cluster" }));
    const token = screen.getByLabelText("Service account token");
    await waitFor(() => expect(token).toHaveAttribute("aria-invalid", "true"));
    expect(token).toHaveAccessibleDescription(/Unauthorized/);
  });

  it("says why a cluster in use cannot be removed", async () => {
    signedIn(ADMIN);
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/clusters": () => json(200, { clusters: [cluster()] }),
      [`DELETE /api/admin/clusters/${cluster().id}`]: () =>
        json(409, { error: { code: "conflict", message: "Containers still run on this cluster; delete them first." } }),
    });
    renderApp("/admin/clusters");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Remove sandbox" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove" }));
    expect(await screen.findByText("Containers still run on this cluster; delete them first.")).toBeInTheDocument();
  });
});
