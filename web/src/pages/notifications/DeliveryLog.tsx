import { useState } from "react";

import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ErrorState, Loading } from "../../ui/States";
import { type Delivery, useDeliveries } from "./queries";

const STATUS_STYLE: Record<Delivery["status"], string> = {
  pending: "bg-amber-100 text-amber-900 ring-amber-300",
  delivered: "bg-green-100 text-green-900 ring-green-300",
  failed: "bg-red-100 text-red-900 ring-red-300",
};

export function DeliveryStatus({ status }: { status: Delivery["status"] }) {
  return (
    <span className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STATUS_STYLE[status]}`}>
      {status}
    </span>
  );
}

/** One endpoint's deliveries, newest first: event, status, attempts, last status code and error, next retry. */
export function DeliveryLog({ webhookId, label }: { webhookId: string; label: string }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const log = useDeliveries(webhookId, cursors[cursors.length - 1]);
  const deliveries = log.data?.deliveries ?? [];
  const next = log.data?.next_cursor ?? null;
  if (log.isPending) return <Loading label="Loading deliveries…" />;
  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (deliveries.length === 0 && cursors.length === 1) {
    return <p className="text-sm text-slate-700">Nothing was sent to this endpoint yet. Send a test event to try it.</p>;
  }
  return (
    <div className="space-y-3">
      {/* Scrolls sideways at phone width: focusable, so the keyboard can scroll it too. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`Delivery log of ${label}`}>
        <table className="w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">Deliveries to {label}</caption>
          <thead className="text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className="py-2 pr-3">Event</th>
              <th scope="col" className="py-2 pr-3">Status</th>
              <th scope="col" className="py-2 pr-3">Attempts</th>
              <th scope="col" className="py-2 pr-3">Answer</th>
              <th scope="col" className="py-2 pr-3">Next retry</th>
              <th scope="col" className="py-2">Sent</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {deliveries.map((d) => (
              <tr key={d.id} className="align-top">
                <td className="py-2 pr-3">
                  <code className="break-all">{d.event}</code>
                </td>
                <td className="py-2 pr-3">
                  <DeliveryStatus status={d.status} />
                </td>
                <td className="py-2 pr-3">{d.attempts}</td>
                <td className="py-2 pr-3">
                  {d.status_code !== null ? <span>HTTP {d.status_code}</span> : null}
                  {d.error ? <p className="text-red-800">{d.error}</p> : null}
                  {d.status_code === null && !d.error ? "—" : null}
                </td>
                <td className="py-2 pr-3">{d.next_retry_at ? formatDateTime(d.next_retry_at) : "—"}</td>
                <td className="py-2">{formatDateTime(d.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursors.length > 1 || next ? (
        <nav aria-label={`Pages of deliveries to ${label}`} className="flex items-center justify-between gap-3">
          <Button variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Newer
          </Button>
          <Button variant="secondary" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
            Older
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
