import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { json, mockApi, ORGANIZATIONS, renderApp, signedIn, signedOut, user } from "../test/render";

describe("the session", () => {
  it("sends a visitor who is not signed in to the sign-in page", async () => {
    // Given nobody is signed in
    signedOut();
    mockApi({});
    // When they open the dashboard
    renderApp("/dashboard");
    // Then they see the sign-in form
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
  });

  it("returns to sign-in with a message when the API says the token is no longer good", async () => {
    // Given a signed-in user whose token the API refuses (expired or revoked)
    signedIn();
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/containers": () => json(401, { error: { code: "unauthorized", message: "The token has been revoked." } }),
    });
    // When they open their containers
    renderApp("/containers");
    // Then they are on the sign-in page, told why
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Your session has ended");
    // And the API saw the token
    expect(requests.some((r) => r.headers.get("Authorization") === "Bearer token-1")).toBe(true);
  });

  it("shows the API's message when signing in fails", async () => {
    signedOut();
    mockApi({
      "POST /api/auth/login": () => json(401, { error: { code: "unauthorized", message: "Wrong email or password." } }),
    });
    renderApp("/login");
    const { default: userEvent } = await import("@testing-library/user-event");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Email"), "ann@example.test");
    await person.type(screen.getByLabelText("Password"), "nope");
    await person.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
  });
});

describe("administrator pages", () => {
  it("are not offered to a customer", async () => {
    signedIn(user({ role: "user" }));
    mockApi({ ...ORGANIZATIONS, "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) });
    renderApp("/dashboard");
    const nav = await screen.findAllByRole("navigation", { name: "Main" });
    expect(within(nav[0] as HTMLElement).queryByRole("link", { name: "Admin" })).toBeNull();
  });

  it("are offered to a platform administrator", async () => {
    signedIn(user({ role: "admin" }));
    mockApi({ ...ORGANIZATIONS, "GET /api/containers": () => json(200, { containers: [], next_cursor: null }) });
    renderApp("/dashboard");
    const nav = await screen.findAllByRole("navigation", { name: "Main" });
    expect(within(nav[0] as HTMLElement).getByRole("link", { name: "Admin" })).toBeInTheDocument();
  });
});
