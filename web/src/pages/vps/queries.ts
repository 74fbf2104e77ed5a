import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { SshKey, Vps, VpsCreated, VpsStatus } from "../../api/types";
import { useOrganization } from "../../org/organization";
import { withIdempotencyKey } from "../billing/queries";

export const PAGE_SIZE = 20;
/** How often the list is fetched again while a VPS is on its way somewhere (the provider is working). */
export const BUSY_POLL_MS = 1500;
const IDLE_POLL_MS = 15_000;
/** Statuses the provider or a workflow moves on from by itself. */
export const MOVING: ReadonlySet<VpsStatus> = new Set<VpsStatus>([
  "provisioning",
  "booting",
  "rebooting",
  "shutting_down",
  "migrating",
  "deleting",
]);

export function vpsKey(organizationId: string) {
  return ["vps", organizationId] as const;
}

export const PLANS = ["vps-plans"] as const;
export const REGIONS = ["vps-regions"] as const;
export const SSH_KEYS = ["ssh-keys"] as const;

export function pollWhileMoving(list: Vps[] | undefined): number {
  return list?.some((v) => MOVING.has(v.status)) ? BUSY_POLL_MS : IDLE_POLL_MS;
}

export function useVpsPage(cursor: string | undefined) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...vpsKey(organizationId), "page", cursor ?? ""],
    queryFn: () =>
      unwrap(api.GET("/api/vps", { params: { header, query: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE } } })),
    refetchInterval: (query) => pollWhileMoving(query.state.data?.vps),
  });
}

export function usePlans() {
  return useQuery({ queryKey: PLANS, queryFn: () => unwrap(api.GET("/api/vps/plans")) });
}

export function useRegions() {
  return useQuery({ queryKey: REGIONS, queryFn: () => unwrap(api.GET("/api/vps/regions")) });
}

export function useSshKeys() {
  return useQuery({ queryKey: SSH_KEYS, queryFn: () => unwrap(api.GET("/api/users/ssh-keys")) });
}

export interface NewVps {
  plan_id: string;
  region: string;
  label: string;
  ssh_key_ids: string[];
}

/** Buy a VPS: retry-safe (one Idempotency-Key per purchase); the answer carries the root password once. */
export function useBuyVps() {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (body: NewVps): Promise<VpsCreated> =>
      withIdempotencyKey((key) =>
        unwrap(api.POST("/api/vps/create", { params: { header: { ...header, "Idempotency-Key": key } }, body })),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: vpsKey(organizationId) });
      void queryClient.invalidateQueries({ queryKey: ["billing", organizationId] });
    },
  });
}

export type VpsAction = "boot" | "shutdown" | "reboot" | "delete";

export function useVpsAction(id: string) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (action: VpsAction): Promise<Vps> => {
      const params = { header, path: { vps_id: id } };
      switch (action) {
        case "boot":
          return unwrap(api.POST("/api/vps/{vps_id}/boot", { params }));
        case "shutdown":
          return unwrap(api.POST("/api/vps/{vps_id}/shutdown", { params }));
        case "reboot":
          return unwrap(api.POST("/api/vps/{vps_id}/reboot", { params }));
        case "delete":
          return unwrap(api.DELETE("/api/vps/{vps_id}", { params }));
      }
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: vpsKey(organizationId) }),
  });
}

export function useAddSshKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; public_key: string }): Promise<SshKey> =>
      unwrap(api.POST("/api/users/ssh-keys", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SSH_KEYS }),
  });
}

export function useRemoveSshKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/users/ssh-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: SSH_KEYS }),
  });
}

/** 1024 -> "1 GB", 1536 -> "1.5 GB", 512 -> "512 MB" (the provider's sizes are in MB). */
export function formatMb(mb: number): string {
  if (mb < 1024) return `${mb} MB`;
  const gb = mb / 1024;
  return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
}
