import { useSearchParams } from "react-router";

import { LinkButton } from "../../ui/Button";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { LocalMailNote, Pager, TicketFilterBar, TicketRow, useCursors } from "./parts";
import { useTicketPage } from "./queries";
import { filtersFrom, type TicketFilters } from "./tickets";

export default function SupportList() {
  useDocumentTitle("Support");
  const [search, setSearch] = useSearchParams();
  const filters = filtersFrom(search);
  const paging = useCursors();
  const list = useTicketPage(filters, paging.cursor);
  const tickets = list.data?.tickets ?? [];
  const next = list.data?.next_cursor ?? null;
  const filtered = Object.keys(filters).length > 0;
  const applyFilters = (f: TicketFilters) => {
    paging.reset();
    setSearch(new URLSearchParams(Object.entries(f) as [string, string][]), { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Support"
        description="Your organization's tickets, newest first. Support answers by email and here."
        actions={<LinkButton to="/support/new">New ticket</LinkButton>}
      />
      <TicketFilterBar filters={filters} onChange={applyFilters} />
      {list.isPending ? <Loading label="Loading tickets…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && tickets.length === 0 && paging.page === 1 ? (
        filtered ? (
          <EmptyState title="No ticket matches these filters" />
        ) : (
          <EmptyState title="No tickets yet" action={<LinkButton to="/support/new">Open a ticket</LinkButton>}>
            Ask a question or report a problem; the support team is told at once.
          </EmptyState>
        )
      ) : null}
      {tickets.length > 0 ? (
        <ul aria-label="Tickets" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {tickets.map((t) => (
            <TicketRow key={t.ticket_id} ticket={t} to={`/support/${t.ticket_id}`} />
          ))}
        </ul>
      ) : null}
      {list.isSuccess ? (
        <Pager page={paging.page} hasNext={Boolean(next)} onPrevious={paging.previous} onNext={() => next && paging.next(next)} />
      ) : null}
      <LocalMailNote />
    </>
  );
}
