import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { ErrorState, Loading } from "../../ui/States";
import type { PlatformStats } from "./types";

function money(value: string, currency: string): string {
  return `${value} ${currency}`;
}

function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{value}</dd>
      {hint ? <dd className="mt-1 text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}

export function margin(stats: PlatformStats): string {
  const cents = Math.round(Number(stats.this_month.usage) * 100) - Math.round(Number(stats.provider_cost) * 100);
  return (cents / 100).toFixed(2);
}

export default function Overview() {
  useDocumentTitle("Platform figures");
  const stats = useQuery({
    queryKey: ["admin", "stats"],
    queryFn: () => unwrap(api.GET("/api/admin/stats")),
    refetchInterval: 30_000,
  });
  const s = stats.data;
  return (
    <>
      <PageHeader title="Platform figures" description="Counted as things happen, so this page is always current." />
      {stats.isPending ? <Loading label="Loading figures…" /> : null}
      {stats.isError ? <ErrorState error={stats.error} onRetry={() => void stats.refetch()} /> : null}
      {s ? (
        <div className="space-y-6">
          <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Figure label="Users" value={s.users} />
            <Figure label="Organizations" value={s.organizations} />
            <Figure label="Running containers" value={s.running_containers} />
            <Figure label="VPS instances" value={s.vps_instances} />
          </dl>
          <Section title={`This month (${s.this_month.month})`}>
            <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              <Figure label="Revenue" value={money(s.this_month.usage, s.currency)} hint="Usage and charges debited" />
              <Figure label="Provider cost" value={money(s.provider_cost, s.currency)} hint="What VPS providers charge" />
              <Figure label="Margin" value={money(margin(s), s.currency)} />
              <Figure label="Top-ups" value={money(s.this_month.topups, s.currency)} hint="Paid in through PayPal" />
              <Figure label="Refunds" value={money(s.this_month.refunds, s.currency)} />
              <Figure label="Manual credits" value={money(s.this_month.credits, s.currency)} hint="Credits minus debits by administrators" />
            </dl>
          </Section>
        </div>
      ) : null}
    </>
  );
}
