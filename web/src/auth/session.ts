// The signed-in session: the API's bearer token, when it expires, and who it belongs to.
// Kept in localStorage so a reload (or another tab) stays signed in until the token expires.
import { createContext, useContext } from "react";

import type { LoginResult, User } from "../api/types";

export interface Session {
  token: string;
  /** Seconds since the epoch (the token's `exp`). */
  expiresAt: number;
  user: User;
}

export interface SessionApi {
  session: Session | null;
  /** Why the last session ended, shown on /login (expired, revoked, signed out). */
  notice: string | null;
  signIn: (result: LoginResult) => void;
  signOut: (notice?: string) => void;
  updateUser: (user: User) => void;
}

export const SESSION_KEY = "cs.session";
export const EXPIRED_NOTICE = "Your session has ended (it expired or was signed out elsewhere). Sign in again.";
export const SIGNED_OUT_NOTICE = "You have signed out.";

export function readSession(now: number = Date.now()): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== "string" || typeof parsed.expiresAt !== "number" || !parsed.user) return null;
    if (parsed.expiresAt * 1000 <= now) return null;
    return parsed as Session;
  } catch {
    return null;
  }
}

export function writeSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside <SessionProvider>");
  return value;
}

/** The signed-in user's session (only inside pages behind <RequireAuth>). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error("useSignedIn without a session");
  return session;
}
