import { createContext, useContext } from "react";

import type { Membership } from "../api/types";

export interface OrganizationApi {
  /** The organization every container request acts in. */
  organizationId: string;
  /** The header the API's organization routes take: pass as params.header. */
  header: { "X-Organization-Id": string };
  organizations: Membership[];
  current: Membership | undefined;
  select: (organizationId: string) => void;
}

export const OrganizationContext = createContext<OrganizationApi | null>(null);

export function useOrganization(): OrganizationApi {
  const value = useContext(OrganizationContext);
  if (!value) throw new Error("useOrganization outside <OrganizationProvider>");
  return value;
}

export function storageKey(userId: string): string {
  return `cs.organization.${userId}`;
}
