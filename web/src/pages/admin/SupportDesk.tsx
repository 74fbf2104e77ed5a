import { useSearchParams } from "react-router";

import { useSignedIn } from "../../auth/session";
import { CheckboxField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { Pager, TicketFilterBar, TicketRow, useCursors } from "../support/parts";
import { type AdminFilters, useAllTickets } from "../support/queries";
import { filtersFrom } from "../support/tickets";

/** Every organization's tickets for the support team (/admin/support). */
export default function SupportDesk() {
  useDocumentTitle("Support desk");
  const { user } = useSignedIn();
  const [search, setSearch] = useSearchParams();
  const mine = search.get("mine") === "1";
  const filters: AdminFilters = { ...filtersFrom(search), ...(mine ? { assignee_id: user.id } : {}) };
  const paging = useCursors();
  const list = useAllTickets(filters, paging.cursor);
  const tickets = list.data?.tickets ?? [];
  const next = list.data?.next_cursor ?? null;
  const update = (next: Record<string, string | undefined>) => {
    paging.reset();
    const merged = { ...Object.fromEntries(search), ...next };
    setSearch(new URLSearchParams(Object.entries(merged).filter((e): e is [string, string] => Boolean(e[1]))), { replace: true });
  };

  return (
    <>
      <PageHeader title="Support desk" description="Every organization's tickets, newest first." />
      <TicketFilterBar
        filters={filtersFrom(search)}
        onChange={(f) => update({ status: f.status, priority: f.priority, category: f.category })}
      >
        <CheckboxField
          className="self-end"
          label="Assigned to me"
          checked={mine}
          onChange={(e) => update({ mine: e.target.checked ? "1" : undefined })}
        />
      </TicketFilterBar>
      {list.isPending ? <Loading label="Loading tickets…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && tickets.length === 0 && paging.page === 1 ? <EmptyState title="No ticket matches" /> : null}
      {tickets.length > 0 ? (
        <ul aria-label="Tickets" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {tickets.map((t) => (
            <TicketRow key={t.ticket_id} ticket={t} to={`/admin/support/${t.ticket_id}`} showOrganization />
          ))}
        </ul>
      ) : null}
      {list.isSuccess ? (
        <Pager page={paging.page} hasNext={Boolean(next)} onPrevious={paging.previous} onNext={() => next && paging.next(next)} />
      ) : null}
    </>
  );
}
