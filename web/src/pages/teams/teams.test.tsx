import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Invite, InviteCreated, Member, OrgRole, Project } from "../../api/types";
import { json, mockApi, ORG, renderApp, signedIn, signedOut, user } from "../../test/render";

const TEAM = "org-team";

function member(overrides: Partial<Member> = {}): Member {
  return {
    user_id: "user-1",
    email: "ann@example.test",
    name: "Ann",
    role: "owner",
    project_ids: null,
    joined_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

function project(overrides: Partial<Project> = {}): Project {
  return {
    id: "01JPROJECTWEB0000000000000",
    name: "web",
    description: "",
    resource_count: 0,
    created_by: "user-1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

const VIC = member({ user_id: "user-2", email: "vic@example.test", name: "Vic", role: "viewer" });

function teamApi(role: OrgRole, extra: Record<string, (request: Request) => Response> = {}) {
  return mockApi({
    "GET /api/organizations": () =>
      json(200, {
        organizations: [
          { id: ORG, name: "Ann's organization", role: "owner" },
          { id: TEAM, name: "Team", role },
        ],
      }),
    "GET /api/organization/members": () => json(200, { members: [member({ role }), VIC], next_cursor: null }),
    "GET /api/organization/invites": () => json(200, { invites: [] as Invite[] }),
    "GET /api/projects": () => json(200, { projects: [project({ resource_count: 2 })], next_cursor: null }),
    ...extra,
  });
}

function actInTeam() {
  localStorage.setItem("cs.organization.user-1", TEAM);
}

describe("the team page", () => {
  it("lets an owner invite someone and shows the link to copy, saying it was mailed", async () => {
    // Given an owner of the team on the Team page
    signedIn();
    actInTeam();
    const issued: InviteCreated = {
      id: "01JINVITE",
      email: "dan@example.test",
      role: "developer",
      project_ids: null,
      invited_by: "user-1",
      created_at: "2026-01-01T00:00:00Z",
      expires_at: "2026-01-08T00:00:00Z",
      token: "tok",
      link: "http://127.0.0.1:8000/invites/tok",
      mailed: true,
    };
    const requests = teamApi("owner", { "POST /api/organization/invites": () => json(201, issued) });
    renderApp("/collaboration");
    const person = userEvent.setup(); // with a clipboard of its own

    // When they invite Dan as a developer and copy the link
    await person.type(await screen.findByLabelText("Email"), "dan@example.test");
    await person.selectOptions(screen.getByLabelText("Role"), "developer");
    await person.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText(/mailed to dan@example.test/)).toBeInTheDocument();
    expect(screen.getByLabelText("Invitation link")).toHaveValue("http://127.0.0.1:8000/invites/tok");
    await person.click(screen.getByRole("button", { name: "Copy link" }));

    // Then the invitation went to the team, retry-safe, and the link was copied
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("X-Organization-Id")).toBe(TEAM);
    expect(post?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(await post?.json()).toEqual({ email: "dan@example.test", role: "developer" });
    expect(await screen.findByText("Copied.")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe("http://127.0.0.1:8000/invites/tok");
  }, 15_000);

  it("says when the invitation could not be mailed", async () => {
    signedIn();
    actInTeam();
    teamApi("admin", {
      "POST /api/organization/invites": () =>
        json(201, {
          id: "01JINVITE",
          email: "dan@example.test",
          role: "viewer",
          project_ids: null,
          invited_by: "user-1",
          created_at: "2026-01-01T00:00:00Z",
          expires_at: "2026-01-08T00:00:00Z",
          token: "tok",
          link: "http://127.0.0.1:8000/invites/tok",
          mailed: false,
        }),
    });
    renderApp("/collaboration");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Email"), "dan@example.test");
    await person.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText(/could not be mailed/)).toBeInTheDocument();
    // an admin may not hand out the owner role
    expect(within(screen.getByLabelText("Role")).queryByRole("option", { name: "owner" })).toBeNull();
  }, 15_000);

  it("changes a member's role and removes a member", async () => {
    signedIn();
    actInTeam();
    const requests = teamApi("owner", {
      "PUT /api/organization/members/user-2": () =>
        json(200, { user_id: "user-2", organization_id: TEAM, role: "developer", project_ids: null }),
      "DELETE /api/organization/members/user-2": () => json(204, null),
    });
    renderApp("/collaboration");
    const person = userEvent.setup();
    await person.selectOptions(await screen.findByLabelText("Role of Vic"), "developer");
    await waitFor(() => expect(requests.some((r) => r.method === "PUT")).toBe(true));
    const put = requests.find((r) => r.method === "PUT");
    expect(await put?.json()).toEqual({ role: "developer" });
    await person.click(screen.getByRole("button", { name: "Remove" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(requests.some((r) => r.method === "DELETE")).toBe(true));
  }, 15_000);

  it("shows a viewer the team without anything a viewer may not do", async () => {
    // Given a viewer of the team
    signedIn();
    actInTeam();
    const requests = teamApi("viewer");
    renderApp("/collaboration");

    // Then members and projects are listed, but there is no role change, removal, invitation or project editing
    const members = await screen.findByRole("list", { name: "Members" });
    expect(within(members).getByText("Vic")).toBeInTheDocument();
    expect(await screen.findByText("2 containers")).toBeInTheDocument();
    expect(screen.queryByLabelText("Role of Vic")).toBeNull();
    expect(screen.queryByRole("button", { name: "Remove" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Invite people" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Create project" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Rename" })).toBeNull();
    // but leaving is theirs to choose
    expect(screen.getByRole("button", { name: "Leave Team" })).toBeInTheDocument();
    // and the pending invitations were never asked for
    expect(requests.some((r) => r.url.includes("/api/organization/invites"))).toBe(false);
  });

  it("shows the API's message when the last owner tries to leave", async () => {
    signedIn();
    actInTeam();
    teamApi("owner", {
      "POST /api/organization/leave": () =>
        json(409, {
          error: {
            code: "last_owner",
            message: "You are this organization's last owner: make another member an owner before you leave.",
          },
        }),
    });
    renderApp("/collaboration");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Leave Team" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Leave" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("make another member an owner before you leave");
  }, 15_000);
});

describe("the containers pages for a viewer", () => {
  it("offer no deploy button", async () => {
    signedIn();
    actInTeam();
    teamApi("viewer", { "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) });
    renderApp("/containers");
    expect(await screen.findByText("Nothing is deployed here yet.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /Deploy/ })).toBeNull();
  });
});

describe("an invitation link", () => {
  const preview = {
    organization_id: TEAM,
    organization_name: "Team",
    email: "ann@example.test",
    role: "developer",
    invited_by_name: "Olivia",
    expires_at: "2026-01-08T00:00:00Z",
    for_you: true,
  };

  it("joins the organization and then acts in it", async () => {
    // Given Ann, signed in, opening her invitation
    signedIn();
    let joined = false;
    const requests = mockApi({
      "GET /api/organizations": () =>
        json(200, {
          organizations: [
            { id: ORG, name: "Ann's organization", role: "owner" },
            ...(joined ? [{ id: TEAM, name: "Team", role: "developer" }] : []),
          ],
        }),
      "GET /api/invites/tok": () => json(200, preview),
      "POST /api/invites/tok/accept": () => {
        joined = true;
        return json(200, { organization_id: TEAM, organization_name: "Team", role: "developer" });
      },
      "GET /api/organization/members": () => json(200, { members: [member({ role: "developer" })], next_cursor: null }),
      "GET /api/projects": () => json(200, { projects: [], next_cursor: null }),
    });
    renderApp("/invites/tok");
    expect(await screen.findByText(/Olivia invited/)).toHaveTextContent("as developer");

    // When she accepts
    await userEvent.setup().click(screen.getByRole("button", { name: "Accept and join" }));

    // Then she is on the team's page, acting in the team
    expect(await screen.findByRole("heading", { name: "Team", level: 1 })).toBeInTheDocument();
    await waitFor(() =>
      expect(
        requests.some((r) => r.url.includes("/api/organization/members") && r.headers.get("X-Organization-Id") === TEAM),
      ).toBe(true),
    );
  });

  it("tells someone signed in with another address to switch accounts", async () => {
    signedIn();
    mockApi({
      "GET /api/organizations": () => json(200, { organizations: [{ id: ORG, name: "Ann's organization", role: "owner" }] }),
      "GET /api/invites/tok": () => json(200, { ...preview, email: "d**@example.test", for_you: false }),
    });
    renderApp("/invites/tok");
    expect(await screen.findByText(/Sign in with that address/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Accept and join" })).toBeNull();
  });

  it("explains a link that was already used", async () => {
    signedIn();
    mockApi({
      "GET /api/organizations": () => json(200, { organizations: [{ id: ORG, name: "Ann's organization", role: "owner" }] }),
      "GET /api/invites/tok": () =>
        json(409, { error: { code: "conflict", message: "This invitation has already been accepted." } }),
    });
    renderApp("/invites/tok");
    expect(await screen.findByText("This invitation cannot be used")).toBeInTheDocument();
    expect(screen.getByText("This invitation has already been accepted.")).toBeInTheDocument();
  });
});

describe("an invitation link opened before having an account", () => {
  it("comes back to the invitation after signing up", async () => {
    signedOut();
    mockApi({
      "POST /api/auth/register": () => json(201, user()),
      "POST /api/auth/login": () =>
        json(200, { success: true, token: "t", token_type: "Bearer", expires_at: Date.now() / 1000 + 3600, user: user() }),
      "GET /api/organizations": () => json(200, { organizations: [{ id: ORG, name: "Ann's organization", role: "owner" }] }),
      "GET /api/invites/tok": () =>
        json(200, {
          organization_id: TEAM,
          organization_name: "Team",
          email: "ann@example.test",
          role: "viewer",
          invited_by_name: "Olivia",
          expires_at: "2026-01-08T00:00:00Z",
          for_you: true,
        }),
    });
    renderApp("/invites/tok");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("link", { name: "Create an account" }));
    await person.type(await screen.findByLabelText("Name"), "Ann");
    await person.type(screen.getByLabelText("Email"), "ann@example.test");
    await person.type(screen.getByLabelText("Password"), "a good long password");
    await person.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText(/Olivia invited/)).toBeInTheDocument();
  }, 15_000);
});
