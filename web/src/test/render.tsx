import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { StrictMode } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";

import type { User } from "../api/types";
import { App } from "../app/App";
import { createQueryClient } from "../app/queryClient";
import { SessionProvider } from "../auth/SessionProvider";
import { setSessionState } from "../auth/store";

export const ORG = "org-1";

export function user(overrides: Partial<User> = {}): User {
  return {
    id: "user-1",
    email: "ann@example.test",
    name: "Ann",
    role: "user",
    default_organization_id: ORG,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

export function signedIn(who: User = user()): void {
  setSessionState({ session: { token: "token-1", expiresAt: Date.now() / 1000 + 3600, user: who }, notice: null });
}

export function signedOut(): void {
  setSessionState({ session: null, notice: null });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

type Handler = (request: Request) => Response | Promise<Response>;

/** Replace fetch: `routes` maps "METHOD /path" to a handler; anything else is a 404. Returns the requests. */
export function mockApi(routes: Record<string, Handler>): Request[] {
  const seen: Request[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(input);
    seen.push(request.clone());
    const { pathname } = new URL(request.url);
    const handler = routes[`${request.method} ${pathname}`];
    if (handler) return Promise.resolve(handler(request));
    return Promise.resolve(json(404, { error: { code: "not_found", message: `no mock for ${request.method} ${pathname}` } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return seen;
}

export const ORGANIZATIONS = {
  "GET /api/organizations": () => json(200, { organizations: [{ id: ORG, name: "Ann's organization", role: "owner" }] }),
};

/** The whole app at `path`, as a browser would show it (`strict`: in StrictMode, effects run twice). */
export function renderApp(path: string, { strict = false }: { strict?: boolean } = {}) {
  const app = (
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
  return render(strict ? <StrictMode>{app}</StrictMode> : app);
}
