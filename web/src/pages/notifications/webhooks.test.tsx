import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, mockApi, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import type { Delivery, Webhook } from "./queries";

const KINDS = { "container.failed": "A deployment failed", "invoice.issued": "A monthly invoice was issued" };
const NO_FEED = { "GET /api/notifications": () => json(200, { notifications: [], unread_count: 0, next_cursor: null }) };

function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: "7d3c2f0e-1111-4222-8333-944455556666",
    url: "https://hooks.example.com/in",
    events: ["*"],
    description: "",
    created_at: "2026-01-01T10:00:00Z",
    ...overrides,
  };
}

function delivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: "01HDELIVERY",
    event_id: "evt_01H",
    event: "webhook.ping",
    status: "delivered",
    attempts: 2,
    status_code: 200,
    error: null,
    next_retry_at: null,
    delivered_at: "2026-01-01T10:01:00Z",
    created_at: "2026-01-01T10:00:00Z",
    history: [],
    ...overrides,
  };
}

describe("the webhooks page", () => {
  // (typing and several answers: more than the default 5 s on a busy machine)
  it("adds an endpoint for chosen events and shows its secret once", { timeout: 15_000 }, async () => {
    // Given an organization without endpoints
    signedIn();
    let endpoints: Webhook[] = [];
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      "GET /api/webhooks": () => json(200, { webhooks: endpoints, event_kinds: KINDS }),
      "POST /api/webhooks": async (request) => {
        const body = (await request.json()) as { url: string; events: string[] };
        endpoints = [webhook({ url: body.url, events: body.events })];
        return json(201, { ...endpoints[0], secret: "whsec_shown_once" });
      },
    });
    renderApp("/webhooks");
    expect(await screen.findByText("No endpoints")).toBeInTheDocument();

    // When they add one for container failures only
    const person = userEvent.setup();
    await person.click(screen.getByLabelText("URL"));
    await person.paste("https://hooks.example.com/in");
    await person.click(screen.getByLabelText("All events, including kinds added later"));
    await person.click(screen.getByLabelText(/container\.failed/));
    await person.click(screen.getByRole("button", { name: "Add endpoint" }));

    // Then the secret is shown, once, and the endpoint is listed with its events
    expect(await screen.findByTestId("webhook-secret")).toHaveTextContent("whsec_shown_once");
    const list = await screen.findByRole("list", { name: "Endpoints" });
    expect(list).toHaveTextContent("Events: container.failed");
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    await person.click(screen.getByRole("button", { name: "I have saved the secret" }));
    expect(screen.queryByTestId("webhook-secret")).not.toBeInTheDocument();
  });

  it("shows why a URL is refused at the field", async () => {
    signedIn();
    mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      "GET /api/webhooks": () => json(200, { webhooks: [], event_kinds: KINDS }),
      "POST /api/webhooks": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "The webhook URL is not allowed: 127.0.0.1 is a loopback address.",
            details: [{ field: "url", message: "The webhook URL is not allowed: 127.0.0.1 is a loopback address." }],
          },
        }),
    });
    renderApp("/webhooks");
    const person = userEvent.setup();
    await person.click(await screen.findByLabelText("URL"));
    await person.paste("http://127.0.0.1/");
    await person.click(screen.getByRole("button", { name: "Add endpoint" }));
    const url = screen.getByLabelText("URL");
    await waitFor(() => expect(url).toHaveAttribute("aria-invalid", "true"));
    expect(url).toHaveAccessibleDescription(/loopback address/);
  });

  it("sends a test event and shows the delivery log with retries", async () => {
    // Given an endpoint whose last delivery needed a retry and one still waiting
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      "GET /api/webhooks": () => json(200, { webhooks: [webhook()], event_kinds: KINDS }),
      "POST /api/webhooks/7d3c2f0e-1111-4222-8333-944455556666/test": () => json(202, delivery({ status: "pending", attempts: 0 })),
      "GET /api/webhooks/7d3c2f0e-1111-4222-8333-944455556666/deliveries": () =>
        json(200, {
          deliveries: [
            delivery({
              id: "01HD2",
              event: "container.failed",
              status: "pending",
              attempts: 1,
              status_code: 500,
              error: "The receiver answered 500.",
              next_retry_at: "2026-01-01T10:06:00Z",
              delivered_at: null,
            }),
            delivery(),
          ],
          next_cursor: null,
        }),
    });
    renderApp("/webhooks");
    const person = userEvent.setup();

    // When they send a test event
    await person.click(await screen.findByRole("button", { name: "Send test event to https://hooks.example.com/in" }));

    // Then the log opens with each delivery's status, answer and next retry
    const table = await screen.findByRole("table", { name: "Deliveries to https://hooks.example.com/in" });
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("container.failed");
    expect(rows[1]).toHaveTextContent("pending");
    expect(rows[1]).toHaveTextContent("HTTP 500");
    expect(rows[1]).toHaveTextContent("The receiver answered 500.");
    expect(rows[2]).toHaveTextContent("delivered");
    expect(requests.some((r) => r.method === "POST" && r.url.endsWith("/test"))).toBe(true);
  });

  it("removes an endpoint after asking", async () => {
    signedIn();
    let endpoints = [webhook()];
    mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      "GET /api/webhooks": () => json(200, { webhooks: endpoints, event_kinds: KINDS }),
      "DELETE /api/webhooks/7d3c2f0e-1111-4222-8333-944455556666": () => {
        endpoints = [];
        return json(204, null);
      },
    });
    renderApp("/webhooks");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Remove https://hooks.example.com/in" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove" }));
    expect(await screen.findByText("No endpoints")).toBeInTheDocument();
  });
});
