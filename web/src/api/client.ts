// The typed API client: openapi-fetch over the generated `paths`, so a route or field that changes
// in the API fails the type check. It adds the bearer token and tells the session when the API says
// the token is no longer good (expired or revoked). The organization acted in is a typed header
// parameter of each organization route (see useOrganization().header).
import createClient, { type Middleware } from "openapi-fetch";

import { ApiError, apiError, networkError } from "./errors";
import type { paths } from "./schema";

interface ClientContext {
  token: () => string | null;
  onUnauthorized: () => void;
}

const context: ClientContext = {
  token: () => null,
  onUnauthorized: () => undefined,
};

/** The session provider plugs itself in here. */
export function configureClient(next: Partial<ClientContext>): void {
  Object.assign(context, next);
}

const headers: Middleware = {
  onRequest({ request }) {
    const token = context.token();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has("Authorization")) context.onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  // Late-bound so tests can replace fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(headers);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or an ApiError (network failures included). */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (cause) {
    throw cause instanceof ApiError ? cause : networkError(cause);
  }
  if (!result.response.ok) throw apiError(result.response.status, result.error);
  return result.data as T;
}
