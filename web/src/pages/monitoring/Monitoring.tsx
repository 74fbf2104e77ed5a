// /monitoring: the organization's totals (admins: the hosts), charts of one container over a chosen range,
// alert rules and their firing and resolved events.
import { useState } from "react";

import { formatBytes, formatDateTime } from "../../lib/format";
import { SelectField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { useContainerPage } from "../containers/queries";
import { Chart } from "./Chart";
import { RANGES, type RangeId, type Series, useEvents, useSeries, useSystem } from "./queries";
import { type ContainerChoice, Rules } from "./Rules";

function Totals() {
  const system = useSystem();
  if (system.isPending) return <Loading />;
  if (system.isError) return <ErrorState error={system.error} onRetry={() => void system.refetch()} />;
  const view = system.data;
  const when = view.collected_at ? `collected ${formatDateTime(view.collected_at)}` : "not collected yet";
  if (view.hosts) {
    return (
      <Section title={`Hosts · ${when}`}>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-700">
            <tr>
              <th className="py-1">Host</th>
              <th>Reachable</th>
              <th>Running</th>
              <th>CPU used / allocated / capacity</th>
              <th>Memory used / allocated / capacity</th>
            </tr>
          </thead>
          <tbody>
            {view.hosts.map((h) => (
              <tr key={h.host_id} className="border-t border-slate-200">
                <td className="py-1 font-medium">{h.name}</td>
                <td>{h.reachable ? "yes" : "no"}</td>
                <td>{h.running_containers}</td>
                <td>
                  {(h.cpu_percent / 100).toFixed(2)} / {h.cpu_allocated_millis / 1000} / {h.cpu_capacity_millis / 1000} cores
                </td>
                <td>
                  {formatBytes(h.memory_used_bytes)} / {formatBytes(h.memory_allocated_bytes)} / {formatBytes(h.memory_capacity_bytes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    );
  }
  const org = view.organization;
  if (!org) return null;
  const items = [
    ["Running containers", `${org.running} of ${org.containers}`],
    ["CPU", `${org.cpu_percent.toFixed(1)} %`],
    ["Memory", `${formatBytes(org.memory_used_bytes)} of ${formatBytes(org.memory_limit_bytes)}`],
    ["Network", `${formatBytes(org.network_rx_bytes)} in · ${formatBytes(org.network_tx_bytes)} out`],
  ] as const;
  return (
    <Section title={`Organization · ${when}`}>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {items.map(([term, value]) => (
          <div key={term} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
            <dt className="text-xs font-medium text-slate-700">{term}</dt>
            <dd className="mt-1 text-sm font-semibold text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function Charts({ series }: { series: Series }) {
  const points = series.points;
  if (points.length === 0) {
    return <EmptyState title="No samples in this range">The collector samples running containers once a minute.</EmptyState>;
  }
  const times = points.map((p) => p.at);
  const last = points[points.length - 1];
  const sum = (pick: (p: (typeof points)[number]) => number) => points.reduce((total, p) => total + pick(p), 0);
  const peak = Math.max(...points.map((p) => p.cpu_percent_max));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Chart
        title="CPU"
        summary={`${last?.cpu_percent.toFixed(1)} % at the end, peak ${peak.toFixed(1)} %`}
        times={times}
        lines={[{ name: "CPU %", color: "#1d4ed8", values: points.map((p) => p.cpu_percent) }]}
        format={(v) => `${v.toFixed(0)} %`}
      />
      <Chart
        title="Memory"
        summary={`${formatBytes(last?.memory_bytes ?? 0)} of ${formatBytes(last?.memory_limit_bytes ?? 0)} at the end`}
        times={times}
        lines={[{ name: "Memory", color: "#047857", values: points.map((p) => p.memory_bytes) }]}
        format={formatBytes}
      />
      <Chart
        title="Network"
        summary={`${formatBytes(sum((p) => p.network_rx_bytes))} in, ${formatBytes(sum((p) => p.network_tx_bytes))} out in this range`}
        times={times}
        lines={[
          { name: "received", color: "#7c3aed", values: points.map((p) => p.network_rx_bytes) },
          { name: "sent", color: "#c2410c", values: points.map((p) => p.network_tx_bytes) },
        ]}
        format={formatBytes}
      />
      <Chart
        title="Disk"
        summary={`${formatBytes(sum((p) => p.block_read_bytes))} read, ${formatBytes(sum((p) => p.block_write_bytes))} written in this range`}
        times={times}
        lines={[
          { name: "read", color: "#0f766e", values: points.map((p) => p.block_read_bytes) },
          { name: "written", color: "#b91c1c", values: points.map((p) => p.block_write_bytes) },
        ]}
        format={formatBytes}
      />
    </div>
  );
}

function History({ containers }: { containers: ContainerChoice[] }) {
  const [chosen, setChosen] = useState("");
  const [range, setRange] = useState<RangeId>("1h");
  const containerId = chosen || containers[0]?.id || "";
  const series = useSeries(containerId, range);
  return (
    <Section title="Charts">
      <div className="mb-4 grid gap-4 sm:grid-cols-2">
        <SelectField label="Container" value={containerId} onChange={(e) => setChosen(e.target.value)}>
          {containers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Range" value={range} onChange={(e) => setRange(e.target.value as RangeId)}>
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      {containers.length === 0 ? <EmptyState title="No containers">Deploy one to see its metrics here.</EmptyState> : null}
      {series.isPending && containerId ? <Loading /> : null}
      {series.isError ? <ErrorState error={series.error} onRetry={() => void series.refetch()} /> : null}
      {series.data ? <Charts series={series.data} /> : null}
    </Section>
  );
}

function Events() {
  const events = useEvents();
  return (
    <Section title="Alert events">
      {events.isPending ? <Loading /> : null}
      {events.isError ? <ErrorState error={events.error} onRetry={() => void events.refetch()} /> : null}
      {events.data && events.data.events.length === 0 ? <EmptyState title="No alert events">Nothing has fired.</EmptyState> : null}
      {events.data && events.data.events.length > 0 ? (
        <ul aria-label="Alert events" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {events.data.events.map((e) => (
            <li key={e.id} className="px-4 py-3 text-sm">
              <span
                className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${
                  e.state === "firing" ? "bg-red-100 text-red-900" : "bg-green-100 text-green-900"
                }`}
              >
                {e.state}
              </span>
              <span className="font-semibold">{e.rule_name}</span> · {e.message}
              <span className="block text-xs text-slate-600">
                since {formatDateTime(e.at)}
                {e.resolved_at ? ` · resolved ${formatDateTime(e.resolved_at)}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

export default function Monitoring() {
  useDocumentTitle("Monitoring");
  const page = useContainerPage(undefined, 100);
  const containers: ContainerChoice[] = (page.data?.containers ?? []).map((c) => ({ id: c.id, name: c.name }));
  return (
    <>
      <PageHeader title="Monitoring" description="Metrics are sampled every minute and kept for 30 days." />
      <div className="space-y-8">
        <Totals />
        {page.isError ? <ErrorState error={page.error} onRetry={() => void page.refetch()} /> : <History containers={containers} />}
        <Rules containers={containers} />
        <Events />
      </div>
    </>
  );
}
