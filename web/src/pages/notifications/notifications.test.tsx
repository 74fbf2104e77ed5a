import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import type { Notification } from "./queries";

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: "01HNOTE1",
    kind: "container.failed",
    title: "Container web failed to deploy",
    body: "Image 'x' was not found on the host.",
    resource_type: "container",
    resource_id: "01HCONTAINER",
    read: false,
    created_at: "2026-01-01T10:00:00Z",
    ...overrides,
  };
}

/** An API whose feed has `items`; marking read works as the server does. */
function feedApi(items: Notification[]) {
  let feed = [...items];
  const unread = () => feed.filter((n) => !n.read).length;
  return mockApi({
    ...ORGANIZATIONS,
    "GET /api/containers": () => json(200, { containers: [], next_cursor: null }),
    "GET /api/notifications": (request) => {
      const onlyUnread = new URL(request.url).searchParams.get("unread") === "true";
      const shown = onlyUnread ? feed.filter((n) => !n.read) : feed;
      return json(200, { notifications: shown, unread_count: unread(), next_cursor: null });
    },
    "POST /api/notifications/read-all": () => {
      feed = feed.map((n) => ({ ...n, read: true }));
      return json(200, { unread_count: 0 });
    },
    "POST /api/notifications/01HNOTE1/read": () => {
      feed = feed.map((n) => (n.id === "01HNOTE1" ? { ...n, read: true } : n));
      return json(200, { ...notification(), read: true });
    },
  });
}

describe("the notification bell", () => {
  it("shows the unread count, opens the newest notifications and marks them all read", async () => {
    // Given two unread notifications in the user's organization
    signedIn();
    const requests = feedApi([
      notification(),
      notification({ id: "01HNOTE2", kind: "invoice.issued", title: "Invoice CS-2026-000001 was issued", resource_type: "invoice" }),
    ]);
    renderApp("/containers");
    const bell = await screen.findByRole("button", { name: "Notifications, 2 unread" });

    // When they open the bell
    const person = userEvent.setup();
    await person.click(bell);

    // Then the newest are listed, the container's linking to its page
    const panel = screen.getByRole("region", { name: "Notifications" });
    expect(within(panel).getByRole("link", { name: "Container web failed to deploy" })).toHaveAttribute(
      "href",
      "/containers/01HCONTAINER",
    );
    expect(panel).toHaveTextContent("Invoice CS-2026-000001 was issued");

    // And when they mark all read, the count goes
    await person.click(within(panel).getByRole("button", { name: "Mark all read" }));
    expect(await screen.findByRole("button", { name: "Notifications" })).toBeInTheDocument();
    expect(requests.some((r) => r.method === "POST" && r.url.endsWith("/api/notifications/read-all"))).toBe(true);
    expect(requests.filter((r) => r.url.includes("/api/notifications")).every((r) => r.headers.get("X-Organization-Id") === ORG)).toBe(true);
  });

  it("closes with Escape and gives the focus back to the bell", async () => {
    signedIn();
    feedApi([notification()]);
    renderApp("/containers");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    expect(screen.getByRole("region", { name: "Notifications" })).toBeInTheDocument();
    await person.keyboard("{Escape}");
    expect(screen.queryByRole("region", { name: "Notifications" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Notifications, 1 unread" })).toHaveFocus();
  });

  it("stays quiet when the feed cannot be loaded", async () => {
    signedIn();
    mockApi({ ...ORGANIZATIONS, "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) });
    renderApp("/containers");
    expect(await screen.findByText("No containers yet")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Notifications" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});

describe("the notifications page", () => {
  it("marks one read and filters to the unread ones", async () => {
    // Given one unread and one read notification
    signedIn();
    const requests = feedApi([
      notification(),
      notification({ id: "01HNOTE0", title: "Container web is running", kind: "container.running", read: true }),
    ]);
    renderApp("/notifications");
    const list = await screen.findByRole("list", { name: "Notifications" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);

    // When the unread one is marked read
    const person = userEvent.setup();
    await person.click(within(list).getByRole("button", { name: "Mark read Container web failed to deploy" }));

    // Then it is read (the API was told) and nothing is unread any more
    await waitFor(() => expect(screen.queryByRole("button", { name: /^Mark read/ })).not.toBeInTheDocument());
    expect(requests.some((r) => r.method === "POST" && r.url.endsWith("/api/notifications/01HNOTE1/read"))).toBe(true);
    expect(screen.getByText(/Nothing unread\./)).toBeInTheDocument();

    // And with "Unread only" the page says there is nothing unread
    await person.click(screen.getByLabelText("Unread only"));
    expect(await screen.findByText("Nothing unread")).toBeInTheDocument();
    expect(requests.some((r) => new URL(r.url).searchParams.get("unread") === "true")).toBe(true);
  });
});
