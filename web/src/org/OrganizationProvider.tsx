import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";

import { api, unwrap } from "../api/client";
import { useSignedIn } from "../auth/session";
import { OrganizationContext, storageKey } from "./organization";

/** Which organization the signed-in user acts in: their own by default, any they belong to on request. */
export function OrganizationProvider({ children }: { children: ReactNode }) {
  const { user } = useSignedIn();
  const [chosen, setChosen] = useState<string>(
    () => localStorage.getItem(storageKey(user.id)) ?? user.default_organization_id,
  );
  const organizations = useQuery({
    queryKey: ["organizations", user.id],
    queryFn: () => unwrap(api.GET("/api/organizations")),
    staleTime: 60_000,
  });
  const list = useMemo(() => organizations.data?.organizations ?? [], [organizations.data]);
  // An organization the user left (or a stale choice) falls back to their own.
  const organizationId =
    organizations.data && !list.some((o) => o.id === chosen) ? user.default_organization_id : chosen;

  const value = useMemo(
    () => ({
      organizationId,
      header: { "X-Organization-Id": organizationId },
      organizations: list,
      current: list.find((o) => o.id === organizationId),
      select: (id: string) => {
        localStorage.setItem(storageKey(user.id), id);
        setChosen(id);
      },
    }),
    [organizationId, list, user.id],
  );
  return <OrganizationContext.Provider value={value}>{children}</OrganizationContext.Provider>;
}
