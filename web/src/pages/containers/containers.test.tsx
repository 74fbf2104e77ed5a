import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../../test/fixtures";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";

describe("deploying a container", () => {
  it("shows the API's field errors at the fields and sends an Idempotency-Key in the organization", async () => {
    // Given a signed-in user on the deploy form, and an API that refuses the CPU and the host port
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "POST /api/containers": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "resources.cpu: does not have the expected format",
            details: [
              { field: "resources.cpu", message: "does not have the expected format" },
              { field: "ports.0.host", message: "Input should be greater than or equal to 1024" },
            ],
          },
        }),
    });
    renderApp("/containers/new");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "web");
    await person.type(screen.getByLabelText("Host port 1"), "80");

    // When they deploy
    await person.click(screen.getByRole("button", { name: "Deploy" }));

    // Then each message is at its field, and the summary lists both
    const cpu = screen.getByLabelText("CPU");
    await waitFor(() => expect(cpu).toHaveAttribute("aria-invalid", "true"));
    expect(cpu).toHaveAccessibleDescription(/does not have the expected format/);
    expect(screen.getByLabelText("Host port 1")).toHaveAccessibleDescription(/greater than or equal to 1024/);
    expect(screen.getByRole("alert")).toHaveTextContent("There are 2 problems");
    // And the request was retry-safe and in the user's organization
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("retries once with the same Idempotency-Key when the network fails, then opens the new container", async () => {
    // Given an API whose first answer is lost on the way
    signedIn();
    let attempts = 0;
    const requests = mockApi({
      ...ORGANIZATIONS,
      "POST /api/containers": () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError("Failed to fetch");
        return json(202, container({ status: "provisioning" }));
      },
      "GET /api/containers/01HCONTAINER": () => json(200, container({ status: "provisioning" })),
    });
    renderApp("/containers/new");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "web");

    // When they deploy
    await person.click(screen.getByRole("button", { name: "Deploy" }));

    // Then the container's page shows it provisioning
    expect(await screen.findByRole("heading", { level: 1, name: "web" })).toBeInTheDocument();
    expect(screen.getByText("Provisioning")).toBeInTheDocument();
    // And both attempts carried the same key
    const keys = requests.filter((r) => r.method === "POST").map((r) => r.headers.get("Idempotency-Key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe("the container list", () => {
  it("says so when there is nothing yet", async () => {
    signedIn();
    mockApi({ ...ORGANIZATIONS, "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) });
    renderApp("/containers");
    expect(await screen.findByText("No containers yet")).toBeInTheDocument();
  });

  it("shows a failing container's reason and pages through with the API's cursor", async () => {
    // Given two pages of containers, the first with a failed one
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/containers": (request) =>
        new URL(request.url).searchParams.get("cursor") === "page-2"
          ? json(200, { containers: [container({ id: "c3", name: "third" })], next_cursor: null })
          : json(200, {
              containers: [
                container({ id: "c1", name: "first" }),
                container({ id: "c2", name: "broken", status: "error", status_reason: "Image 'x' was not found." }),
              ],
              next_cursor: "page-2",
            }),
    });
    renderApp("/containers");
    expect(await screen.findByText("Image 'x' was not found.")).toBeInTheDocument();

    // When they ask for the next page
    await userEvent.setup().click(screen.getByRole("button", { name: "Next page" }));

    // Then the API is asked with the cursor and the next page is shown
    expect(await screen.findByRole("link", { name: "third" })).toBeInTheDocument();
    expect(screen.getByText("Page 2")).toBeInTheDocument();
    expect(requests.some((r) => new URL(r.url).searchParams.get("cursor") === "page-2")).toBe(true);
  });

  it("shows an error with a way to try again when the list cannot be loaded", async () => {
    signedIn();
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/containers": () => json(400, { error: { code: "validation_error", message: "The cursor is not valid." } }),
    });
    renderApp("/containers");
    expect(await screen.findByRole("alert")).toHaveTextContent("The cursor is not valid.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
