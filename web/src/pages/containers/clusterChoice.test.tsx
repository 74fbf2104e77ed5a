import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../../test/fixtures";
import { json, mockApi, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";

const CLUSTER = { id: "0b0c5a4e-1111-4222-8333-444455556666", name: "sandbox" };

describe("choosing where a container runs", { timeout: 20_000 }, () => {
  it("offers the Kubernetes clusters and sends the one chosen", async () => {
    // Given a signed-in user and a platform with one cluster
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/clusters": () => json(200, { clusters: [CLUSTER] }),
      "POST /api/containers": () => json(202, container({ status: "provisioning", cluster_id: CLUSTER.id })),
      "GET /api/containers/01HCONTAINER": () => json(200, container({ status: "provisioning", cluster_id: CLUSTER.id })),
    });
    renderApp("/containers/new");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "web");

    // When they choose the cluster and deploy
    await person.selectOptions(await screen.findByLabelText("Target"), "Kubernetes: sandbox");
    await person.click(screen.getByRole("button", { name: "Deploy" }));

    // Then the request names the cluster
    expect(await screen.findByRole("heading", { level: 1, name: "web" })).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect((await post?.json()) as unknown).toMatchObject({ name: "web", cluster_id: CLUSTER.id });
  });

  it("shows no choice when there is no cluster, and deploys to a host", async () => {
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/clusters": () => json(200, { clusters: [] }),
      "POST /api/containers": () => json(202, container({ status: "provisioning" })),
      "GET /api/containers/01HCONTAINER": () => json(200, container({ status: "provisioning" })),
    });
    renderApp("/containers/new");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "web");
    await person.click(screen.getByRole("button", { name: "Deploy" }));
    expect(await screen.findByRole("heading", { level: 1, name: "web" })).toBeInTheDocument();
    expect(screen.queryByLabelText("Target")).not.toBeInTheDocument();
    const body = (await requests.find((r) => r.method === "POST")?.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty("cluster_id");
  });
});
