import { type SyntheticEvent, useState } from "react";

import type { CostLine } from "../../../api/types";
import { formatDateTime } from "../../../lib/format";
import { formatMoney } from "../../../lib/money";
import { Button } from "../../../ui/Button";
import { TextField } from "../../../ui/Field";
import { ErrorState, Loading } from "../../../ui/States";
import { endOfDay, startOfDay, useCosts } from "./queries";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function CostTable({ caption, lines, what }: { caption: string; lines: CostLine[]; what: string }) {
  if (lines.length === 0) return <p className="text-sm text-slate-700">No metered VPS in this period.</p>;
  return (
    <table className="w-full text-left text-sm">
        <caption className="mb-2 text-left font-semibold text-slate-900">{caption}</caption>
        <thead className="border-b border-slate-300 text-xs text-slate-700 uppercase">
          <tr>
            <th scope="col" className="py-2 pr-2 sm:pr-4 font-semibold">
              {what}
            </th>
            <th scope="col" className="hidden py-2 pr-2 sm:pr-4 text-right font-semibold sm:table-cell">
              Hours
            </th>
            <th scope="col" className="py-2 pr-2 sm:pr-4 text-right font-semibold">
              Provider cost
            </th>
            <th scope="col" className="py-2 pr-2 sm:pr-4 text-right font-semibold">
              Revenue
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              Margin
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {lines.map((l) => (
            <tr key={l.id}>
              <th scope="row" className="py-2 pr-2 sm:pr-4 font-medium break-all text-slate-900">
                {l.label}
                <span className="block text-xs font-normal text-slate-600">
                  {l.instances} VPS<span className="sm:hidden"> · {l.hours} h</span>
                  {l.label === l.id ? "" : ` · ${l.id}`}
                </span>
              </th>
              <td className="hidden py-2 pr-2 sm:pr-4 text-right sm:table-cell">{l.hours}</td>
              <td className="py-2 pr-2 sm:pr-4 text-right">{formatMoney(l.provider_cost)}</td>
              <td className="py-2 pr-2 sm:pr-4 text-right">{formatMoney(l.revenue)}</td>
              <td className="py-2 text-right font-semibold">{formatMoney(l.margin)}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}

/** Provider cost against revenue between two days (default: this month so far), per plan and organization. */
export function Costs({ providerId }: { providerId: string }) {
  const [from, setFrom] = useState(() => `${today().slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const costs = useCosts(providerId, range);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setRange({ from: startOfDay(from), to: endOfDay(to) });
  };
  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3" aria-label="Costs period">
        <TextField label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <Button type="submit" variant="secondary" busy={costs.isFetching}>
          Show costs
        </Button>
      </form>
      {costs.isPending ? <Loading label="Loading costs…" /> : null}
      {costs.isError ? <ErrorState error={costs.error} onRetry={() => void costs.refetch()} /> : null}
      {costs.data ? (
        <>
          <p className="text-sm text-slate-700">
            {formatDateTime(costs.data.period_start)} – {formatDateTime(costs.data.period_end)}
          </p>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="cost-totals">
            {(
              [
                ["Hours", costs.data.total.hours],
                ["Provider cost", formatMoney(costs.data.total.provider_cost)],
                ["Revenue", formatMoney(costs.data.total.revenue)],
                ["Margin", formatMoney(costs.data.total.margin)],
              ] as const
            ).map(([term, value]) => (
              <div key={term} className="rounded-md bg-slate-50 p-3">
                <dt className="text-xs text-slate-700 uppercase">{term}</dt>
                <dd className="text-lg font-semibold text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
          <CostTable caption="By plan" what="Plan" lines={costs.data.by_plan} />
          <CostTable caption="By organization" what="Organization" lines={costs.data.by_organization} />
        </>
      ) : null}
    </div>
  );
}
