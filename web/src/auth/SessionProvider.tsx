import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useSyncExternalStore } from "react";

import type { LoginResult, User } from "../api/types";
import { SessionContext } from "./session";
import { expireSession, getSessionState, setSessionState, subscribeSession } from "./store";

// setTimeout takes at most 2^31-1 ms.
const MAX_TIMER_MS = 2_147_483_647;

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { session, notice } = useSyncExternalStore(subscribeSession, getSessionState);

  // Nothing cached for one account may show for the next (or for nobody): the cache is emptied as the
  // token changes, before React renders anything for the new state.
  useEffect(() => {
    let last = getSessionState().session?.token ?? null;
    return subscribeSession(() => {
      const now = getSessionState().session?.token ?? null;
      if (now !== last) {
        last = now;
        queryClient.clear();
      }
    });
  }, [queryClient]);

  // End the session when the token expires, even while nobody clicks anything.
  useEffect(() => {
    if (!session) return;
    const ms = Math.min(session.expiresAt * 1000 - Date.now(), MAX_TIMER_MS);
    const timer = setTimeout(expireSession, Math.max(ms, 0));
    return () => clearTimeout(timer);
  }, [session]);

  const signIn = useCallback((result: LoginResult) => {
    setSessionState({
      session: { token: result.token, expiresAt: result.expires_at, user: result.user },
      notice: null,
    });
  }, []);
  const signOut = useCallback((why?: string) => setSessionState({ session: null, notice: why ?? null }), []);
  const updateUser = useCallback((user: User) => {
    const current = getSessionState();
    if (current.session) setSessionState({ ...current, session: { ...current.session, user } });
  }, []);

  const value = useMemo(
    () => ({ session, notice, signIn, signOut, updateUser }),
    [session, notice, signIn, signOut, updateUser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
