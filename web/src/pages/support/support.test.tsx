import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Ticket, TicketThread } from "../../api/types";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn, user } from "../../test/render";

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    ticket_id: "01HTICKET00000000000000000",
    status: "open",
    subject: "Cannot deploy",
    message: "The image is not found.",
    priority: "high",
    category: "technical",
    resource: null,
    organization_id: ORG,
    organization_name: "Ann's organization",
    created_by: "user-1",
    author_name: "Ann",
    assignee_id: null,
    reply_count: 0,
    last_reply_at: null,
    last_reply_by_admin: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

function thread(overrides: Partial<TicketThread> = {}): TicketThread {
  return { ...ticket(), replies: [], ...overrides };
}

const ID = "01HTICKET00000000000000000";
const EMPTY = { "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) };

describe("the support page", () => {
  it("lists the organization's tickets and filters them through the address", async () => {
    // Given tickets, and an API that answers a status filter
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/support/tickets": (request) =>
        new URL(request.url).searchParams.get("status") === "closed"
          ? json(200, { tickets: [ticket({ ticket_id: "c", subject: "Old one", status: "closed" })], next_cursor: null })
          : json(200, { tickets: [ticket({ reply_count: 1, last_reply_by_admin: true })], next_cursor: null }),
    });
    renderApp("/support");
    expect(await screen.findByRole("link", { name: "Cannot deploy" })).toHaveAttribute("href", `/support/${ID}`);
    expect(screen.getByText("Support answered")).toBeInTheDocument();

    // When they pick "Closed"
    await userEvent.setup().selectOptions(screen.getByLabelText("Status"), "closed");

    // Then the API is asked for closed tickets, in the organization, and those are shown
    expect(await screen.findByRole("link", { name: "Old one" })).toBeInTheDocument();
    const asked = requests.filter((r) => new URL(r.url).pathname === "/api/support/tickets").at(-1);
    expect(new URL(asked?.url ?? "").searchParams.get("status")).toBe("closed");
    expect(asked?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("checks the new ticket form, then sends it once with an Idempotency-Key and opens the thread", async () => {
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...EMPTY,
      "POST /api/support/tickets": () => json(201, ticket()),
      [`GET /api/support/tickets/${ID}`]: () => json(200, thread()),
    });
    renderApp("/support/new");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Send ticket" }));
    // The form's own check: nothing is sent without a subject and a message
    expect(await screen.findByRole("alert")).toHaveTextContent("There are 2 problems");
    expect(screen.getByLabelText("Subject")).toHaveAccessibleDescription("Say in a few words what it is about.");
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await person.type(screen.getByLabelText("Subject"), "Cannot deploy");
    await person.type(screen.getByLabelText("Message"), "The image is not found.");
    await person.selectOptions(screen.getByLabelText("Priority"), "urgent");
    await person.click(screen.getByRole("button", { name: "Send ticket" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Cannot deploy" })).toBeInTheDocument();
    expect(screen.getByText("Your ticket was sent; support has been told.")).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await post?.json()).toEqual({
      subject: "Cannot deploy",
      message: "The image is not found.",
      priority: "urgent",
      category: "general",
    });
  });

  it("shows the conversation, sends a reply and closes the ticket", async () => {
    signedIn();
    let current = thread({
      reply_count: 1,
      replies: [
        {
          id: "r1",
          ticket_id: ID,
          user_id: "admin-1",
          author_name: "Olga",
          message: "We are on it.",
          is_admin_reply: true,
          created_at: "2026-01-01T01:00:00Z",
        },
      ],
    });
    const requests = mockApi({
      ...ORGANIZATIONS,
      [`GET /api/support/tickets/${ID}`]: () => json(200, current),
      [`POST /api/support/tickets/${ID}/replies`]: () =>
        json(201, { id: "r2", ticket_id: ID, user_id: "user-1", author_name: "Ann", message: "Thanks!", is_admin_reply: false, created_at: "2026-01-01T02:00:00Z" }),
      [`POST /api/support/tickets/${ID}/close`]: () => {
        current = { ...current, status: "closed" };
        return json(200, ticket({ status: "closed" }));
      },
    });
    renderApp(`/support/${ID}`);
    const conversation = await screen.findByRole("list", { name: "Conversation" });
    expect(within(conversation).getByText("We are on it.")).toBeInTheDocument();
    expect(within(conversation).getByText("Support")).toBeInTheDocument();
    const person = userEvent.setup();

    await person.type(screen.getByLabelText("Your reply"), "Thanks!");
    await person.click(screen.getByRole("button", { name: "Send reply" }));
    await waitFor(() => expect(requests.some((r) => r.url.endsWith("/replies"))).toBe(true));
    await waitFor(() => expect(screen.getByLabelText("Your reply")).toHaveValue(""));

    await person.click(screen.getByRole("button", { name: "Close ticket" }));
    expect(await screen.findByRole("button", { name: "Reopen ticket" })).toBeInTheDocument();
    expect(screen.getByText("This ticket is closed. Reopen it to write again.")).toBeInTheDocument();
  });
});

describe("the support desk", () => {
  it("is in the menu for administrators only and lists every organization's tickets", async () => {
    signedIn(user({ role: "admin" }));
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/support/tickets": () =>
        json(200, { tickets: [ticket({ organization_name: "Eve's organization" })], next_cursor: null }),
    });
    renderApp("/admin/support");
    const row = await screen.findByRole("link", { name: "Cannot deploy" });
    expect(row).toHaveAttribute("href", `/admin/support/${ID}`);
    expect(screen.getByText(/Eve's organization/)).toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "Support desk" }).length).toBeGreaterThan(0);
  });

  it("replies as support and sets the status and assignee", async () => {
    signedIn(user({ role: "admin", id: "admin-1", name: "Olga" }));
    const requests = mockApi({
      ...ORGANIZATIONS,
      [`GET /api/admin/support/tickets/${ID}`]: () => json(200, thread()),
      "GET /api/admin/support/agents": () =>
        json(200, { agents: [{ id: "admin-1", name: "Olga", email: "olga@example.test" }, { id: "admin-2", name: "Sam", email: "sam@example.test" }] }),
      [`PATCH /api/admin/support/tickets/${ID}`]: () => json(200, ticket({ status: "resolved", assignee_id: "admin-2" })),
      [`POST /api/admin/support/tickets/${ID}/replies`]: () =>
        json(201, { id: "r1", ticket_id: ID, user_id: "admin-1", author_name: "Olga", message: "Fixed.", is_admin_reply: true, created_at: "2026-01-01T02:00:00Z" }),
    });
    renderApp(`/admin/support/${ID}`);
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Your reply (mailed to the customer)"), "Fixed.");
    await person.click(screen.getByRole("button", { name: "Send reply" }));
    await waitFor(() => expect(requests.some((r) => r.method === "POST" && r.url.endsWith("/replies"))).toBe(true));

    await person.selectOptions(screen.getByLabelText("Status"), "resolved");
    await screen.findByRole("option", { name: "Sam (sam@example.test)" });
    await person.selectOptions(screen.getByLabelText("Assigned to"), "admin-2");
    await person.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText(/Saved/)).toBeInTheDocument();
    const patch = requests.find((r) => r.method === "PATCH");
    expect(await patch?.json()).toEqual({ status: "resolved", assignee_id: "admin-2" });
  });
});
