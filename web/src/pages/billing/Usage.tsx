import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../../api/client";
import type { Usage as UsageReport } from "../../api/types";
import { formatMinutes, formatMoney, formatMonth, recentMonths } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { SelectField } from "../../ui/Field";
import { ErrorState, Loading } from "../../ui/States";
import { billingKey } from "./queries";

const KIND_NAMES: Record<string, string> = { container: "Container", vps: "VPS" };

/** Usage per resource in a month, with its cost: charged already and not yet billed. */
export function Usage() {
  const { organizationId, header } = useOrganization();
  const [months] = useState(() => recentMonths(new Date()));
  const [period, setPeriod] = useState(months[0] ?? "");
  const usage = useQuery({
    queryKey: [...billingKey(organizationId), "usage", period],
    queryFn: (): Promise<UsageReport> =>
      unwrap(api.GET("/api/billing/usage", { params: { header, query: period ? { period } : {} } })),
  });
  const resources = usage.data?.resources ?? [];
  return (
    <div className="space-y-4">
      <SelectField label="Month" value={period} onChange={(e) => setPeriod(e.target.value)} className="max-w-xs">
        {months.map((m) => (
          <option key={m} value={m}>
            {formatMonth(m)}
          </option>
        ))}
      </SelectField>
      {usage.isPending ? <Loading label="Loading usage…" /> : null}
      {usage.isError ? <ErrorState error={usage.error} onRetry={() => void usage.refetch()} /> : null}
      {usage.isSuccess && resources.length === 0 ? (
        <p className="text-sm text-slate-700">Nothing was used in {formatMonth(usage.data.period)}.</p>
      ) : null}
      {usage.isSuccess && resources.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Usage per resource in {formatMonth(usage.data.period)}</caption>
          <thead className="border-b border-slate-300 text-xs text-slate-700 uppercase">
            <tr>
              <th scope="col" className="py-2 pr-4 font-semibold">
                Resource
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-semibold">
                Time
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-semibold">
                Charged
              </th>
              <th scope="col" className="py-2 text-right font-semibold">
                Not yet charged
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {resources.map((r) => (
              <tr key={r.resource_id} className="align-top">
                <td className="py-3 pr-4">
                  <p className="font-medium break-all text-slate-900">{r.name}</p>
                  <p className="text-xs text-slate-700">{KIND_NAMES[r.kind] ?? r.kind}</p>
                </td>
                <td className="py-3 pr-4 text-right whitespace-nowrap">{formatMinutes(r.minutes + r.unbilled_minutes)}</td>
                <td className="py-3 pr-4 text-right whitespace-nowrap">{formatMoney(r.cost)}</td>
                <td className="py-3 text-right whitespace-nowrap text-slate-700">{formatMoney(r.unbilled_cost)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-300 font-semibold">
            <tr>
              <th scope="row" className="py-3 pr-4 text-left">
                Total
              </th>
              <td />
              <td className="py-3 pr-4 text-right whitespace-nowrap">{formatMoney(usage.data.total)}</td>
              <td className="py-3 text-right whitespace-nowrap">{formatMoney(usage.data.unbilled_total)}</td>
            </tr>
          </tfoot>
        </table>
      ) : null}
    </div>
  );
}
