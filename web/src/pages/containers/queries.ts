import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Container, ContainerList } from "../../api/types";
import { useOrganization } from "../../org/organization";

export const PAGE_SIZE = 20;
/** How often a container (or a list with one) is fetched again while it is being provisioned. */
export const PROVISIONING_POLL_MS = 1500;
const IDLE_POLL_MS = 15_000;

export function containersKey(organizationId: string) {
  return ["containers", organizationId] as const;
}

export function containerKey(organizationId: string, id: string) {
  return ["containers", organizationId, "one", id] as const;
}

export function pollWhileProvisioning(containers: Container[] | undefined): number {
  return containers?.some((c) => c.status === "provisioning") ? PROVISIONING_POLL_MS : IDLE_POLL_MS;
}

export function useContainerPage(cursor: string | undefined, limit = PAGE_SIZE) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...containersKey(organizationId), "page", cursor ?? "", limit],
    queryFn: (): Promise<ContainerList> =>
      unwrap(
        api.GET("/api/containers", {
          params: { header, query: cursor ? { limit, cursor } : { limit } },
        }),
      ),
    refetchInterval: (query) => pollWhileProvisioning(query.state.data?.containers),
  });
}

export function useContainer(id: string) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: containerKey(organizationId, id),
    queryFn: () =>
      unwrap(api.GET("/api/containers/{container_id}", { params: { header, path: { container_id: id } } })),
    refetchInterval: (query) => {
      const data = query.state.data;
      return data ? pollWhileProvisioning([data]) : false;
    },
  });
}
