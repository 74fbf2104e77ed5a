import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../../api/client";
import type { ProviderType } from "../../../api/types";
import { uuid } from "../../../lib/format";
import { PLANS, REGIONS } from "../../vps/queries";

export const PROVIDERS = ["admin", "providers"] as const;

export function providerKey(id: string) {
  return [...PROVIDERS, id] as const;
}

export function useProviders() {
  return useQuery({ queryKey: PROVIDERS, queryFn: () => unwrap(api.GET("/api/providers")) });
}

export interface NewProvider {
  name: string;
  type: ProviderType;
  api_key: string;
  configuration: Record<string, string>;
}

export function useAddProvider() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewProvider) =>
      unwrap(api.POST("/api/providers", { params: { header: { "Idempotency-Key": uuid() } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: PROVIDERS }),
  });
}

export interface ProviderChanges {
  api_key?: string;
  active?: boolean;
  rotate_webhook_secret?: boolean;
}

export function useUpdateProvider(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProviderChanges) =>
      unwrap(api.PUT("/api/providers/{provider_id}", { params: { path: { provider_id: id } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: PROVIDERS });
      void queryClient.invalidateQueries({ queryKey: PLANS });
      void queryClient.invalidateQueries({ queryKey: REGIONS });
    },
  });
}

export function useRemoveProvider(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/providers/{provider_id}", { params: { path: { provider_id: id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: PROVIDERS });
      void queryClient.invalidateQueries({ queryKey: PLANS });
    },
  });
}

export function useTestProvider(id: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/providers/{provider_id}/test", { params: { path: { provider_id: id } } })),
  });
}

export function useSyncPlans(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/providers/{provider_id}/sync-plans", { params: { path: { provider_id: id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: PROVIDERS });
      void queryClient.invalidateQueries({ queryKey: PLANS });
      void queryClient.invalidateQueries({ queryKey: REGIONS });
    },
  });
}

export type Markup = { type: "percent" | "fixed"; value: string };

export function useUpdatePlan(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { markup?: Markup; active?: boolean }) =>
      unwrap(api.PUT("/api/vps/plans/{plan_id}", { params: { path: { plan_id: id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: PLANS }),
  });
}

export function useCosts(id: string, range: { from: string; to: string } | null) {
  return useQuery({
    queryKey: [...providerKey(id), "costs", range?.from ?? "", range?.to ?? ""],
    queryFn: () =>
      unwrap(
        api.GET("/api/providers/{provider_id}/costs", {
          params: { path: { provider_id: id }, query: range ? { from: range.from, to: range.to } : {} },
        }),
      ),
  });
}

export function useReconciliations(id: string) {
  return useQuery({
    queryKey: [...providerKey(id), "reconciliations"],
    queryFn: () =>
      unwrap(
        api.GET("/api/providers/{provider_id}/reconciliations", {
          params: { path: { provider_id: id }, query: { limit: 5 } },
        }),
      ),
  });
}

export function useReconcile(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/providers/{provider_id}/reconcile", { params: { path: { provider_id: id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...providerKey(id), "reconciliations"] }),
  });
}

/** A date picked in the form ("2026-11-02") as the start of that day in UTC. */
export function startOfDay(date: string): string {
  return `${date}T00:00:00Z`;
}

/** The day after `date`, as the (exclusive) end of a range that includes `date`. */
export function endOfDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().replace(".000Z", "Z");
}
