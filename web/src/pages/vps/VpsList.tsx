import { useState } from "react";

import { messageOf } from "../../api/errors";
import type { Vps } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatRate } from "../../lib/money";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Pager, useCursors } from "../../ui/Pager";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { StatusBadge } from "../../ui/StatusBadge";
import { useVpsAction, useVpsPage, type VpsAction } from "./queries";

const DONE: Record<VpsAction, string> = {
  boot: "Booting.",
  shutdown: "Shutting down.",
  reboot: "Rebooting.",
  delete: "Deleting.",
};

function VpsActions({ vps }: { vps: Vps }) {
  const action = useVpsAction(vps.id);
  const [confirm, setConfirm] = useState<"shutdown" | "delete" | null>(null);
  const { status } = vps;
  const busy = action.isPending;
  const run = (what: VpsAction) => action.mutate(what, { onSettled: () => setConfirm(null) });
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {status === "stopped" ? (
          <Button onClick={() => run("boot")} busy={busy && action.variables === "boot"} disabled={busy}>
            Boot<span className="sr-only"> {vps.label}</span>
          </Button>
        ) : null}
        {status === "running" ? (
          <Button variant="secondary" onClick={() => run("reboot")} busy={busy && action.variables === "reboot"} disabled={busy}>
            Reboot<span className="sr-only"> {vps.label}</span>
          </Button>
        ) : null}
        {status === "running" || status === "booting" || status === "rebooting" ? (
          <Button variant="secondary" onClick={() => setConfirm("shutdown")} disabled={busy}>
            Shut down<span className="sr-only"> {vps.label}</span>
          </Button>
        ) : null}
        {status !== "provisioning" && status !== "deleting" && status !== "deleted" ? (
          <Button variant="danger" onClick={() => setConfirm("delete")} disabled={busy}>
            Delete<span className="sr-only"> {vps.label}</span>
          </Button>
        ) : null}
      </div>
      <div className="w-full max-w-md" aria-live="polite">
        {action.isError ? <Alert tone="error">{messageOf(action.error)}</Alert> : null}
        {action.isSuccess ? <p className="text-right text-sm text-slate-700">{DONE[action.variables]}</p> : null}
      </div>
      <ConfirmDialog
        open={confirm === "shutdown"}
        title={`Shut down ${vps.label}?`}
        confirmLabel="Shut down"
        tone="primary"
        busy={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("shutdown")}
      >
        It stops until you boot it again; its disk is kept. A stopped VPS is still billed, as the provider bills it.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title={`Delete ${vps.label}?`}
        confirmLabel="Delete"
        busy={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("delete")}
      >
        The server and its disk are destroyed at the provider. This cannot be undone. Billing stops once the provider
        confirms.
      </ConfirmDialog>
    </div>
  );
}

export function VpsRow({ vps }: { vps: Vps }) {
  return (
    <li className="flex flex-wrap items-start gap-x-6 gap-y-3 px-4 py-4">
      <div className="min-w-0 flex-1 basis-56">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-semibold break-all text-slate-900">{vps.label}</h3>
          <StatusBadge status={vps.status} />
        </div>
        <p className="text-sm text-slate-700">
          {vps.plan_name} · {vps.region} · {formatRate(vps.price_per_hour)} per hour
        </p>
        {vps.ipv4.length > 0 || vps.ipv6 ? (
          <p className="text-sm text-slate-800">
            IP <span data-testid="vps-ip">{vps.ipv4.join(", ")}</span>
            {vps.ipv6 ? <span className="break-all"> · {vps.ipv6}</span> : null}
          </p>
        ) : (
          <p className="text-sm text-slate-600">No IP address yet</p>
        )}
        {vps.status === "error" && vps.status_reason ? <p className="mt-1 text-sm text-red-800">{vps.status_reason}</p> : null}
        <p className="text-xs text-slate-600">
          {vps.running_since ? `Billed since ${formatDateTime(vps.running_since)}` : `Ordered ${formatDateTime(vps.created_at)}`}
        </p>
      </div>
      <VpsActions vps={vps} />
    </li>
  );
}

/** The organization's VPS, a page at a time, fetched again every moment while one is changing. */
export function VpsList() {
  const { cursor, page, next, previous } = useCursors();
  const list = useVpsPage(cursor);
  const items = list.data?.vps ?? [];
  return (
    <>
      {list.isPending ? <Loading label="Loading your VPS…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 && page === 1 ? (
        <EmptyState title="No VPS yet">Choose a plan below and your server shows up here with its address.</EmptyState>
      ) : null}
      {items.length > 0 ? (
        <ul aria-label="VPS" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
          {items.map((v) => (
            <VpsRow key={v.id} vps={v} />
          ))}
        </ul>
      ) : null}
      <Pager label="VPS pages" page={page} nextCursor={list.data?.next_cursor} onPrevious={previous} onNext={next} />
    </>
  );
}
