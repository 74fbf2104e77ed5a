import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../test/fixtures";
import { json, mockApi, ORG, renderApp, signedIn } from "../test/render";

describe("the organization switcher", () => {
  it("acts in the organization picked, for every request after the switch", async () => {
    // Given a user who belongs to their own organization and a team's
    signedIn();
    const requests = mockApi({
      "GET /api/organizations": () =>
        json(200, {
          organizations: [
            { id: ORG, name: "Ann's organization", role: "owner" },
            { id: "org-team", name: "Team", role: "developer" },
          ],
        }),
      "GET /api/containers": (request) =>
        json(200, {
          containers:
            request.headers.get("X-Organization-Id") === "org-team" ? [container({ id: "t1", name: "team-web" })] : [],
          next_cursor: null,
        }),
    });
    renderApp("/containers");
    expect(await screen.findByText("No containers yet")).toBeInTheDocument();

    // When they switch to the team
    await userEvent.setup().selectOptions(await screen.findByRole("combobox", { name: "Organization" }), "org-team");

    // Then the list is the team's, asked for with the team's id
    expect(await screen.findByRole("link", { name: "team-web" })).toBeInTheDocument();
    await waitFor(() =>
      expect(requests.some((r) => r.headers.get("X-Organization-Id") === "org-team")).toBe(true),
    );
    expect(localStorage.getItem("cs.organization.user-1")).toBe("org-team");
  });
});
