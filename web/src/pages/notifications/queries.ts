// Notifications and webhooks: the API's wire models by name, and the queries and mutations the bell and the
// pages share (a change anywhere refreshes the bell's unread count too).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";

type Schemas = components["schemas"];
export type Notification = Schemas["NotificationOut"];
export type NotificationList = Schemas["NotificationListOut"];
export type Webhook = Schemas["WebhookEndpointOut"];
export type WebhookCreated = Schemas["WebhookEndpointCreatedOut"];
export type WebhookCreate = Schemas["WebhookEndpointIn"];
export type Delivery = Schemas["DeliveryOut"];

/** How often the bell asks for news. */
export const BELL_POLL_MS = 30_000;
export const FEED_PAGE_SIZE = 20;

export function notificationsKey(organizationId: string) {
  return ["notifications", organizationId] as const;
}

export function webhooksKey(organizationId: string) {
  return ["webhooks", organizationId] as const;
}

export function useNotificationPage(cursor: string | undefined, unreadOnly = false, limit = FEED_PAGE_SIZE, poll = false) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...notificationsKey(organizationId), cursor ?? "", unreadOnly, limit],
    queryFn: (): Promise<NotificationList> =>
      unwrap(
        api.GET("/api/notifications", {
          params: {
            header,
            query: { limit, ...(cursor ? { cursor } : {}), ...(unreadOnly ? { unread: true } : {}) },
          },
        }),
      ),
    refetchInterval: poll ? BELL_POLL_MS : false,
  });
}

/** Mark one notification read, or (no id) all of them. */
export function useMarkRead() {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null): Promise<unknown> =>
      id === null
        ? unwrap(api.POST("/api/notifications/read-all", { params: { header } }))
        : unwrap(api.POST("/api/notifications/{notification_id}/read", { params: { header, path: { notification_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey(organizationId) }),
  });
}

export function useWebhooks() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: webhooksKey(organizationId),
    queryFn: () => unwrap(api.GET("/api/webhooks", { params: { header } })),
  });
}

export function useDeliveries(webhookId: string, cursor: string | undefined) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...webhooksKey(organizationId), webhookId, "deliveries", cursor ?? ""],
    queryFn: () =>
      unwrap(
        api.GET("/api/webhooks/{webhook_id}/deliveries", {
          params: { header, path: { webhook_id: webhookId }, query: cursor ? { cursor } : {} },
        }),
      ),
    // Pending deliveries change on their own (retries): keep the log fresh while any is pending.
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 3000 : false),
  });
}

/** Add an endpoint (retry-safe: one Idempotency-Key per submission). */
export function useAddWebhook() {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WebhookCreate): Promise<WebhookCreated> =>
      unwrap(api.POST("/api/webhooks", { params: { header: { ...header, "Idempotency-Key": uuid() } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey(organizationId) }),
  });
}

export function useWebhookAction(webhookId: string) {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  const params = { params: { header, path: { webhook_id: webhookId } } };
  return useMutation({
    mutationFn: (what: "test" | "remove"): Promise<unknown> =>
      what === "test"
        ? unwrap(api.POST("/api/webhooks/{webhook_id}/test", params))
        : unwrap(api.DELETE("/api/webhooks/{webhook_id}", params)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksKey(organizationId) }),
  });
}

/** Where a notification's resource lives in the app, if it has a page. */
export function resourceLink(n: Notification): string | null {
  if (n.resource_type === "container" && n.resource_id) return `/containers/${n.resource_id}`;
  return null;
}
