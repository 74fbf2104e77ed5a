// Monitoring: metric history of a container, the organization's totals, alert rules and their events.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";

type Schemas = components["schemas"];
export type Series = Schemas["SeriesOut"];
export type SeriesPoint = Schemas["PointOut"];
export type SystemView = Schemas["SystemOut"];
export type AlertRule = Schemas["AlertRuleOut"];
export type AlertRuleList = Schemas["AlertRuleListOut"];
export type AlertRuleCreate = Schemas["AlertRuleIn"];
export type AlertEvent = Schemas["AlertEventOut"];

/** The ranges the page offers, each with the step that keeps a chart within a few hundred points. */
export const RANGES = [
  { id: "1h", label: "Last hour", seconds: 3600, step: 60 },
  { id: "6h", label: "Last 6 hours", seconds: 6 * 3600, step: 300 },
  { id: "24h", label: "Last 24 hours", seconds: 24 * 3600, step: 900 },
  { id: "7d", label: "Last 7 days", seconds: 7 * 86400, step: 3600 },
  { id: "30d", label: "Last 30 days", seconds: 30 * 86400, step: 21600 },
] as const;
export type RangeId = (typeof RANGES)[number]["id"];
/** The collector samples once a minute: asking more often shows nothing new. */
export const MONITORING_POLL_MS = 60_000;

function monitoringKey(organizationId: string) {
  return ["monitoring", organizationId] as const;
}

export function useSeries(containerId: string, rangeId: RangeId) {
  const { organizationId, header } = useOrganization();
  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0];
  return useQuery({
    queryKey: [...monitoringKey(organizationId), "series", containerId, rangeId],
    enabled: containerId !== "",
    queryFn: (): Promise<Series> => {
      const to = new Date();
      const from = new Date(to.getTime() - range.seconds * 1000);
      return unwrap(
        api.GET("/api/metrics/containers/{container_id}/history", {
          params: {
            header,
            path: { container_id: containerId },
            query: { from: from.toISOString(), to: to.toISOString(), step: range.step },
          },
        }),
      );
    },
    refetchInterval: MONITORING_POLL_MS,
  });
}

export function useSystem() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...monitoringKey(organizationId), "system"],
    queryFn: (): Promise<SystemView> => unwrap(api.GET("/api/metrics/system", { params: { header } })),
    refetchInterval: MONITORING_POLL_MS,
  });
}

export function useRules() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...monitoringKey(organizationId), "rules"],
    queryFn: (): Promise<AlertRuleList> => unwrap(api.GET("/api/alerts", { params: { header } })),
    refetchInterval: MONITORING_POLL_MS,
  });
}

export function useEvents() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...monitoringKey(organizationId), "events"],
    queryFn: () => unwrap(api.GET("/api/alerts/events", { params: { header, query: { limit: 50 } } })),
    refetchInterval: MONITORING_POLL_MS,
  });
}

/** Add a rule (retry-safe: one Idempotency-Key per submission). */
export function useAddRule() {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertRuleCreate): Promise<AlertRule> =>
      unwrap(api.POST("/api/alerts", { params: { header: { ...header, "Idempotency-Key": uuid() } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...monitoringKey(organizationId), "rules"] }),
  });
}

export function useDeleteRule() {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string): Promise<unknown> =>
      unwrap(api.DELETE("/api/alerts/{rule_id}", { params: { header, path: { rule_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...monitoringKey(organizationId), "rules"] }),
  });
}
