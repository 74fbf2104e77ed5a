// The session lives outside React so the API client has the token from the very first request (before
// any effect has run) and a 401 can end the session from anywhere. React reads it through
// useSyncExternalStore (SessionProvider).
import { configureClient } from "../api/client";
import { EXPIRED_NOTICE, readSession, SESSION_KEY, type Session, writeSession } from "./session";

export interface SessionState {
  session: Session | null;
  /** Why the last session ended, shown on /login. */
  notice: string | null;
}

let state: SessionState = { session: readSession(), notice: null };
const listeners = new Set<() => void>();

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setSessionState(next: SessionState, persist = true): void {
  if (persist) writeSession(next.session);
  state = next;
  for (const listener of listeners) listener();
}

/** End the session (if there is one) because the API no longer accepts its token. */
export function expireSession(): void {
  if (state.session) setSessionState({ session: null, notice: EXPIRED_NOTICE });
}

configureClient({ token: () => state.session?.token ?? null, onUnauthorized: expireSession });

// Signing in or out in another tab applies here too.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== SESSION_KEY) return;
    const stored = readSession();
    if (!stored && state.session) setSessionState({ session: null, notice: EXPIRED_NOTICE }, false);
    else if (stored && stored.token !== state.session?.token) setSessionState({ session: stored, notice: null }, false);
  });
}
