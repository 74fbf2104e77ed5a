import { useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Container } from "../../api/types";
import { useOrganization } from "../../org/organization";
import { containerKey, containersKey } from "./queries";

export type Action = "start" | "stop" | "restart";

/** start / stop / restart: the answer is the container as it is now. */
export function useContainerAction(id: string) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (action: Action) => {
      const params = { header, path: { container_id: id } };
      switch (action) {
        case "start":
          return unwrap(api.POST("/api/containers/{container_id}/start", { params }));
        case "stop":
          return unwrap(api.POST("/api/containers/{container_id}/stop", { params }));
        case "restart":
          return unwrap(api.POST("/api/containers/{container_id}/restart", { params }));
      }
    },
    onSuccess: (container: Container) => {
      queryClient.setQueryData(containerKey(organizationId, id), container);
      void queryClient.invalidateQueries({ queryKey: containersKey(organizationId) });
    },
  });
}

export function useScale(id: string) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (body: { replicas?: number; resources?: { cpu: string; memory: string } }) =>
      unwrap(
        api.POST("/api/containers/{container_id}/scale", { params: { header, path: { container_id: id } }, body }),
      ),
    onSuccess: (container: Container) => {
      queryClient.setQueryData(containerKey(organizationId, id), container);
      void queryClient.invalidateQueries({ queryKey: containersKey(organizationId) });
    },
  });
}

export function useDelete(id: string) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (purgeVolumes: boolean) =>
      unwrap(
        api.DELETE("/api/containers/{container_id}", {
          params: { header, path: { container_id: id }, query: { purge_volumes: purgeVolumes } },
        }),
      ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: containerKey(organizationId, id) });
      void queryClient.invalidateQueries({ queryKey: containersKey(organizationId) });
    },
  });
}
