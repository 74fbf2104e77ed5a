import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { TicketList } from "../../api/types";
import { useOrganization } from "../../org/organization";
import type { TicketFilters } from "./tickets";

export const PAGE_SIZE = 20;
const POLL_MS = 20_000; // replies from support show up without a reload

export function ticketsKey(organizationId: string) {
  return ["tickets", organizationId] as const;
}

export function ticketKey(organizationId: string, id: string) {
  return ["tickets", organizationId, "one", id] as const;
}

export const ADMIN_TICKETS = ["admin", "tickets"] as const;

export function useTicketPage(filters: TicketFilters, cursor: string | undefined) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...ticketsKey(organizationId), "page", filters, cursor ?? ""],
    queryFn: (): Promise<TicketList> =>
      unwrap(
        api.GET("/api/support/tickets", {
          params: { header, query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useTicket(id: string) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: ticketKey(organizationId, id),
    queryFn: () => unwrap(api.GET("/api/support/tickets/{ticket_id}", { params: { header, path: { ticket_id: id } } })),
    refetchInterval: POLL_MS,
  });
}

export interface AdminFilters extends TicketFilters {
  organization_id?: string;
  assignee_id?: string;
}

export function useAllTickets(filters: AdminFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: [...ADMIN_TICKETS, "page", filters, cursor ?? ""],
    queryFn: (): Promise<TicketList> =>
      unwrap(
        api.GET("/api/admin/support/tickets", {
          params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useAnyTicket(id: string) {
  return useQuery({
    queryKey: [...ADMIN_TICKETS, "one", id],
    queryFn: () => unwrap(api.GET("/api/admin/support/tickets/{ticket_id}", { params: { path: { ticket_id: id } } })),
    refetchInterval: POLL_MS,
  });
}

export function useAgents() {
  return useQuery({
    queryKey: [...ADMIN_TICKETS, "agents"],
    queryFn: () => unwrap(api.GET("/api/admin/support/agents")),
    staleTime: 5 * 60_000,
  });
}
