import { useMutation, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { Invoice, InvoiceList } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatMoney, formatMonth } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { Pager, useCursors } from "../../ui/Pager";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { billingKey, downloadInvoice } from "./queries";

const PAGE_SIZE = 12;
const STATUS_STYLE: Record<Invoice["status"], string> = {
  paid: "bg-green-100 text-green-900 ring-green-300",
  pending: "bg-blue-100 text-blue-900 ring-blue-300",
  overdue: "bg-red-100 text-red-900 ring-red-300",
  cancelled: "bg-slate-200 text-slate-800 ring-slate-300",
};

function InvoiceItem({ invoice }: { invoice: Invoice }) {
  const { header } = useOrganization();
  const download = useMutation({ mutationFn: () => downloadInvoice(invoice, header) });
  return (
    <li className="flex flex-wrap items-center gap-x-6 gap-y-2 py-3">
      <div className="min-w-0 flex-1 basis-48">
        <p className="font-semibold text-slate-900">
          {invoice.invoice_number}{" "}
          <span className={`ml-1 inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STATUS_STYLE[invoice.status]}`}>
            {invoice.status}
          </span>
        </p>
        <p className="text-sm text-slate-700">
          {formatMonth(invoice.period)} · issued {formatDateTime(invoice.created_at)}
        </p>
      </div>
      <p className="text-sm text-slate-900">
        <span className="font-semibold">{formatMoney(invoice.amount, invoice.currency)}</span>
        <span className="text-slate-700">
          {" "}
          incl. {invoice.tax_name} {formatMoney(invoice.tax, invoice.currency)}
        </span>
      </p>
      <Button variant="secondary" onClick={() => download.mutate()} busy={download.isPending}>
        Download PDF<span className="sr-only"> of invoice {invoice.invoice_number}</span>
      </Button>
      {download.isError ? (
        <div className="basis-full">
          <Alert tone="error">The PDF could not be downloaded: {messageOf(download.error)}</Alert>
        </div>
      ) : null}
    </li>
  );
}

/** Monthly invoices, newest first, each downloadable as a PDF. */
export function Invoices() {
  const { organizationId, header } = useOrganization();
  const { cursor, page, next, previous } = useCursors();
  const list = useQuery({
    queryKey: [...billingKey(organizationId), "invoices", cursor ?? ""],
    queryFn: (): Promise<InvoiceList> =>
      unwrap(
        api.GET("/api/billing/invoices", {
          params: { header, query: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE } },
        }),
      ),
  });
  const invoices = list.data?.invoices ?? [];
  return (
    <>
      {list.isPending ? <Loading label="Loading invoices…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && invoices.length === 0 && page === 1 ? (
        <p className="text-sm text-slate-700">No invoices yet: each month&apos;s usage is invoiced early the next month.</p>
      ) : null}
      {invoices.length > 0 ? (
        <ul aria-label="Invoices" className="divide-y divide-slate-200">
          {invoices.map((i) => (
            <InvoiceItem key={i.id} invoice={i} />
          ))}
        </ul>
      ) : null}
      {list.isSuccess ? (
        <Pager label="Invoice pages" page={page} nextCursor={list.data.next_cursor} onPrevious={previous} onNext={next} />
      ) : null}
    </>
  );
}
