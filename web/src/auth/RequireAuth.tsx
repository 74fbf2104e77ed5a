import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { PageHeader } from "../ui/Page";
import { Alert } from "../ui/States";
import { SIGNED_OUT_NOTICE, useSession } from "./session";

/** Pages behind sign-in: without a session, go to /login and come back afterwards (unless the user signed
 * out: whoever signs in next starts on the dashboard). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, notice } = useSession();
  const location = useLocation();
  if (!session) {
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={notice === SIGNED_OUT_NOTICE ? null : { from }} />;
  }
  return <>{children}</>;
}

/** Pages only platform administrators see (the API refuses everyone else anyway). */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { session } = useSession();
  if (session?.user.role !== "admin") {
    return (
      <>
        <PageHeader title="Not allowed" />
        <Alert tone="error">Only platform administrators may open this page.</Alert>
      </>
    );
  }
  return <>{children}</>;
}
