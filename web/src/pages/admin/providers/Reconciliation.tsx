import { messageOf } from "../../../api/errors";
import type { VpsFinding, VpsReconciliation } from "../../../api/types";
import { formatDateTime } from "../../../lib/format";
import { Button } from "../../../ui/Button";
import { Alert, ErrorState, Loading } from "../../../ui/States";
import { useReconcile, useReconciliations } from "./queries";

function Findings({ title, findings, none }: { title: string; findings: VpsFinding[]; none: string }) {
  return (
    <div>
      <h4 className="text-sm font-semibold text-slate-900">
        {title} ({findings.length})
      </h4>
      {findings.length === 0 ? (
        <p className="text-sm text-slate-700">{none}</p>
      ) : (
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800">
          {findings.map((f) => (
            <li key={`${f.kind}-${f.provider_instance_id ?? ""}-${f.vps_id ?? ""}`} className="break-all">
              {f.label} ({f.status})
              {f.provider_instance_id ? ` · instance ${f.provider_instance_id}` : ""}
              {f.vps_id ? ` · VPS ${f.vps_id}` : ""}
              {f.organization_id ? ` · organization ${f.organization_id}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Report({ report }: { report: VpsReconciliation }) {
  return (
    <div className="space-y-3" data-testid="reconciliation-report">
      <p className="text-sm text-slate-700">
        Last run {formatDateTime(report.ran_at)}: {report.provider_instances} instances at the provider under our tag,{" "}
        {report.records} VPS on record.
      </p>
      <Findings title="Orphans" findings={report.orphans} none="None: every tagged instance has a VPS record." />
      <Findings title="Ghosts" findings={report.ghosts} none="None: every VPS on record exists at the provider." />
    </div>
  );
}

/** Orphans (at the provider, not on record: a cost leak) and ghosts (on record, gone at the provider). */
export function Reconciliation({ providerId }: { providerId: string }) {
  const reports = useReconciliations(providerId);
  const reconcile = useReconcile(providerId);
  const latest = reports.data?.reconciliations[0];
  return (
    <div className="space-y-4">
      <Button variant="secondary" onClick={() => reconcile.mutate()} busy={reconcile.isPending}>
        Reconcile now
      </Button>
      {reconcile.isError ? <Alert tone="error">{messageOf(reconcile.error)}</Alert> : null}
      {reports.isPending ? <Loading label="Loading reconciliation reports…" /> : null}
      {reports.isError ? <ErrorState error={reports.error} onRetry={() => void reports.refetch()} /> : null}
      {reports.isSuccess && !latest ? (
        <p className="text-sm text-slate-700">No reconciliation has run yet (it runs every hour).</p>
      ) : null}
      {latest ? <Report report={latest} /> : null}
    </div>
  );
}
