import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn, user } from "../../test/render";
import type { AdminUser, AuditEntry, PlatformStats } from "./types";

const ADMIN = user({ id: "admin-1", email: "root@example.test", name: "Root", role: "admin" });

function adminUser(overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    id: "u-ann",
    email: "ann@example.test",
    name: "Ann",
    role: "user",
    status: "active",
    default_organization_id: "org-ann",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: "01JAAAAAAAAAAAAAAAAAAAAAAA",
    at: "2026-01-02T10:00:00Z",
    action: "auth.login",
    actor_id: "u-ann",
    actor_email: "ann@example.test",
    organization_id: ORG,
    target_type: "user",
    target_id: "u-ann",
    ip: "203.0.113.5",
    before: null,
    after: null,
    ...overrides,
  };
}

const STATS: PlatformStats = {
  users: 12,
  organizations: 11,
  running_containers: 7,
  vps_instances: 0,
  this_month: { month: "2026-01", usage: "40.00", topups: "100.00", refunds: "5.00", credits: "2.50" },
  provider_cost: "15.25",
  currency: "USD",
};

afterEach(() => {
  vi.restoreAllMocks();
});

/** A Blob's text (jsdom's Blob has no text()). */
function read(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.readAsText(blob ?? new Blob());
  });
}

describe("the admin area", () => {
  it("shows the platform figures with this month's revenue and margin", async () => {
    signedIn(ADMIN);
    mockApi({ ...ORGANIZATIONS, "GET /api/admin/stats": () => json(200, STATS) });
    renderApp("/admin");
    expect(await screen.findByRole("heading", { level: 1, name: "Platform figures" })).toBeInTheDocument();
    const running = (await screen.findByText("Running containers")).closest("div");
    expect(running).toHaveTextContent("7");
    expect(screen.getByText("Margin").closest("div")).toHaveTextContent("24.75 USD");
    expect(screen.getByText("Revenue").closest("div")).toHaveTextContent("40.00 USD");
  }, 20_000);

  it("is not offered to ordinary users", async () => {
    signedIn();
    mockApi({ ...ORGANIZATIONS });
    renderApp("/admin/users");
    expect(await screen.findByRole("heading", { level: 1, name: "Not allowed" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Admin" })).not.toBeInTheDocument();
  });

  it("searches users by name prefix and pages with the API's cursor", async () => {
    signedIn(ADMIN);
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/users": (request) =>
        new URL(request.url).searchParams.get("cursor") === "next-1"
          ? json(200, { users: [adminUser({ id: "u-2", name: "Annette", email: "annette@example.test" })], next_cursor: null })
          : json(200, { users: [adminUser()], next_cursor: "next-1" }),
    });
    renderApp("/admin/users");
    const person = userEvent.setup();
    await person.selectOptions(await screen.findByLabelText("Search by"), "name");
    await person.type(screen.getByLabelText("Starts with"), " ann ");
    await person.click(screen.getByRole("button", { name: "Search" }));
    await person.click(await screen.findByRole("button", { name: "Next page" }));
    expect(await screen.findByText("annette@example.test", { selector: "p" })).toBeInTheDocument();
    const asked = requests.map((r) => new URL(r.url)).filter((u) => u.pathname === "/api/admin/users");
    expect(asked.some((u) => u.searchParams.get("by") === "name" && u.searchParams.get("q") === "ann")).toBe(true);
    expect(asked.some((u) => u.searchParams.get("cursor") === "next-1" && u.searchParams.get("q") === "ann")).toBe(true);
  }, 20_000);

  it("suspends a user with a reason and shows them suspended", async () => {
    // Given Ann in the list, active
    signedIn(ADMIN);
    let suspended = false;
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/users": () =>
        json(200, { users: [adminUser({ status: suspended ? "suspended" : "active" }), adminUser({ id: ADMIN.id, email: ADMIN.email, role: "admin" })], next_cursor: null }),
      "POST /api/admin/users/u-ann/suspend": () => {
        suspended = true;
        return json(200, adminUser({ status: "suspended" }));
      },
    });
    renderApp("/admin/users");
    const person = userEvent.setup();
    // When the admin suspends her, giving a reason
    await person.click(await screen.findByRole("button", { name: "Suspend ann@example.test" }));
    const dialog = await screen.findByRole("dialog");
    await person.type(within(dialog).getByLabelText(/Reason/), "chargeback fraud");
    await person.click(within(dialog).getByRole("button", { name: "Suspend" }));
    // Then the API got the reason, and the list shows her suspended with a way back
    expect(await screen.findByRole("button", { name: "Unsuspend ann@example.test" })).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ reason: "chargeback fraud" });
    // And the admin cannot act on their own account
    expect(screen.getByText("This is you.")).toBeInTheDocument();
  }, 20_000);

  it("shows an organization's balance, month and members", async () => {
    signedIn(ADMIN);
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/organizations/org-ann": () =>
        json(200, {
          id: "org-ann",
          name: "Ann's organization",
          slug: "ann-1",
          owner_id: "u-ann",
          created_at: "2026-01-01T00:00:00Z",
          balance: "12.34",
          currency: "USD",
          this_month: { month: "2026-01", usage: "1.25", topups: "20.00", refunds: "0.00", credits: "0.00" },
          members: [{ user_id: "u-ann", email: "ann@example.test", name: "Ann", role: "owner" }],
          suspended_at: null,
          package: null,
        }),
    });
    renderApp("/admin/organizations/org-ann");
    expect(await screen.findByRole("heading", { level: 1, name: "Ann's organization" })).toBeInTheDocument();
    expect(screen.getByText("Balance").closest("div")).toHaveTextContent("12.34 USD");
    expect(within(screen.getByRole("list", { name: "Members" })).getByText("ann@example.test")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Audit log of this organization" })).toHaveAttribute(
      "href",
      "/admin/audit?organization_id=org-ann",
    );
  });
});

describe("the audit log", () => {
  it("filters the platform's log and downloads every part of the CSV as one file", async () => {
    // Given an admin on the audit log of one organization, and an export in two parts
    signedIn(ADMIN);
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/audit": () => json(200, { entries: [entry({ action: "auth.login_failed", actor_id: "anonymous", actor_email: null })], next_cursor: null }),
      "GET /api/admin/audit/export": (request) =>
        new URL(request.url).searchParams.get("cursor")
          ? new Response("id,action\r\n2,auth.logout\r\n", { headers: { "Content-Type": "text/csv" } })
          : new Response("id,action\r\n1,auth.login\r\n", { headers: { "Content-Type": "text/csv", "X-Next-Cursor": "01JBBBBBBBBBBBBBBBBBBBBBBB" } }),
    });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return "blob:audit";
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    renderApp("/admin/audit?organization_id=org-ann");
    const person = userEvent.setup();
    const list = await screen.findByRole("list", { name: "Audit entries" });
    expect(within(list).getByText("Sign-in with a wrong password")).toBeInTheDocument();
    expect(within(list).getByText("from 203.0.113.5")).toBeInTheDocument();

    // When they narrow it to failed sign-ins and download it
    await person.selectOptions(screen.getByLabelText("Action"), "auth.login_failed");
    await person.click(screen.getByRole("button", { name: "Apply filters" }));
    await person.click(screen.getByRole("button", { name: "Download CSV" }));

    // Then the list and both export parts were asked for with the filters, and the file holds both parts once
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(await read(blobs[0])).toBe("id,action\r\n1,auth.login\r\n2,auth.logout\r\n");
    const asked = requests.map((r) => new URL(r.url));
    const listed = asked.filter((u) => u.pathname === "/api/admin/audit").at(-1);
    expect(listed?.searchParams.get("action")).toBe("auth.login_failed");
    expect(listed?.searchParams.get("organization_id")).toBe("org-ann");
    const parts = asked.filter((u) => u.pathname === "/api/admin/audit/export");
    expect(parts.map((u) => u.searchParams.get("cursor"))).toEqual([null, "01JBBBBBBBBBBBBBBBBBBBBBBB"]);
    expect(parts.every((u) => u.searchParams.get("organization_id") === "org-ann")).toBe(true);
  }, 20_000);

  it("shows an owner their organization's log, in their organization", async () => {
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/audit": () =>
        json(200, {
          entries: [entry({ action: "billing.adjustment", before: { balance: "1.00" }, after: { balance: "6.00" } })],
          next_cursor: null,
        }),
    });
    renderApp("/audit");
    const list = await screen.findByRole("list", { name: "Audit entries" });
    expect(within(list).getByText("Manual credit or debit")).toBeInTheDocument();
    expect(within(list).getByText('{"balance":"1.00"}')).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Audit log" })).toBeInTheDocument();
    expect(requests.find((r) => new URL(r.url).pathname === "/api/audit")?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("tells a member who is not an owner that the log is not theirs to read", async () => {
    signedIn();
    mockApi({
      "GET /api/organizations": () => json(200, { organizations: [{ id: ORG, name: "Team", role: "developer" }] }),
    });
    renderApp("/audit");
    expect(await screen.findByText("Only the organization's owners may read its audit log.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Audit log" })).not.toBeInTheDocument();
  });
});
