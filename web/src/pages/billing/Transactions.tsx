import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Transaction, TransactionList } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { Pager, useCursors } from "../../ui/Pager";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { billingKey } from "./queries";

const PAGE_SIZE = 20;
const KINDS: Record<string, string> = {
  topup: "Top-up",
  usage: "Usage",
  refund: "Refund",
  adjustment: "Adjustment",
  charge: "Charge",
  reservation: "Hold",
};

export function kindLabel(kind: string): string {
  return KINDS[kind] ?? kind;
}

function Row({ t }: { t: Transaction }) {
  const credit = !t.amount.startsWith("-");
  return (
    <tr className="align-top">
      <td className="hidden py-3 pr-4 whitespace-nowrap text-slate-700 sm:table-cell">{formatDateTime(t.created_at)}</td>
      <td className="py-3 pr-4">
        <p className="font-medium break-words text-slate-900">{t.description}</p>
        <p className="text-xs text-slate-700">
          {kindLabel(t.type)}
          {t.resource_name ? ` · ${t.resource_name}` : ""}
          <span className="sm:hidden"> · {formatDateTime(t.created_at)}</span>
        </p>
      </td>
      <td className={`py-3 pr-4 text-right font-semibold whitespace-nowrap ${credit ? "text-green-800" : "text-slate-900"}`}>
        {credit ? "+" : ""}
        {formatMoney(t.amount, t.currency)}
      </td>
      <td className="hidden py-3 text-right whitespace-nowrap text-slate-700 sm:table-cell">
        {formatMoney(t.balance_after, t.currency)}
      </td>
    </tr>
  );
}

/** The wallet's ledger, newest first, a page at a time. */
export function Transactions() {
  const { organizationId, header } = useOrganization();
  const { cursor, page, next, previous } = useCursors();
  const list = useQuery({
    queryKey: [...billingKey(organizationId), "transactions", cursor ?? ""],
    queryFn: (): Promise<TransactionList> =>
      unwrap(
        api.GET("/api/billing/transactions", {
          params: { header, query: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE } },
        }),
      ),
  });
  const rows = list.data?.transactions ?? [];
  return (
    <>
      {list.isPending ? <Loading label="Loading transactions…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && rows.length === 0 && page === 1 ? (
        <EmptyState title="No transactions yet">Top-ups and what your containers cost show up here.</EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Transactions, newest first</caption>
          <thead className="border-b border-slate-300 text-xs text-slate-700 uppercase">
            <tr>
              <th scope="col" className="hidden py-2 pr-4 font-semibold sm:table-cell">
                Date
              </th>
              <th scope="col" className="py-2 pr-4 font-semibold">
                Description
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-semibold">
                Amount
              </th>
              <th scope="col" className="hidden py-2 text-right font-semibold sm:table-cell">
                Balance
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {rows.map((t) => (
              <Row key={t.id} t={t} />
            ))}
          </tbody>
        </table>
      ) : null}
      {list.isSuccess ? (
        <Pager label="Transaction pages" page={page} nextCursor={list.data.next_cursor} onPrevious={previous} onNext={next} />
      ) : null}
    </>
  );
}
