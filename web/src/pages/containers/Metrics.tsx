// Loaded on demand: this route carries the charting library.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { Metrics as MetricsOut } from "../../api/types";
import { formatBytes } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Section } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { useShownContainer } from "./ContainerShell";
import { appendSample, type Sample } from "./metricsHistory";

export const METRICS_POLL_MS = 3000;

function Figure({ title, summary, children }: { title: string; summary: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="mb-2 text-sm font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-700">· {summary}</span>
      </figcaption>
      {/* The caption and the figures above say what the chart shows; the drawing itself is decoration. */}
      <div className="h-48" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function Now({ metrics }: { metrics: MetricsOut }) {
  const items = [
    ["CPU", `${metrics.cpu_percent.toFixed(2)} %`],
    ["Memory", `${formatBytes(metrics.memory.used_bytes)} of ${formatBytes(metrics.memory.limit_bytes)} (${metrics.memory.percent.toFixed(1)} %)`],
    ["Network", `${formatBytes(metrics.network.rx_bytes)} in · ${formatBytes(metrics.network.tx_bytes)} out`],
    ["Disk I/O", `${formatBytes(metrics.block_io.read_bytes)} read · ${formatBytes(metrics.block_io.write_bytes)} written`],
    ["Processes", String(metrics.pids)],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
      {items.map(([term, value]) => (
        <div key={term} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <dt className="text-xs font-medium text-slate-700">{term}</dt>
          <dd className="mt-1 text-sm font-semibold text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Charts({ history }: { history: Sample[] }) {
  const last = history[history.length - 1];
  if (!last) return null;
  const axis = { fontSize: 11, fill: "#334155" };
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Figure title="CPU" summary={`${last.cpuPercent} % now`}>
        <LineChart data={history} margin={{ top: 5, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={axis} minTickGap={32} />
          <YAxis tick={axis} unit="%" allowDecimals />
          <Tooltip />
          <Line type="monotone" dataKey="cpuPercent" name="CPU %" stroke="#1d4ed8" dot={false} isAnimationActive={false} />
        </LineChart>
      </Figure>
      <Figure title="Memory" summary={`${last.memoryMiB} MiB of ${last.memoryLimitMiB} MiB`}>
        <AreaChart data={history} margin={{ top: 5, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={axis} minTickGap={32} />
          <YAxis tick={axis} unit=" Mi" />
          <Tooltip />
          <Area type="monotone" dataKey="memoryMiB" name="Memory MiB" stroke="#047857" fill="#a7f3d0" isAnimationActive={false} />
        </AreaChart>
      </Figure>
      <Figure title="Network" summary={`${formatBytes(last.rxPerSecond)}/s in · ${formatBytes(last.txPerSecond)}/s out`}>
        <LineChart data={history} margin={{ top: 5, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={axis} minTickGap={32} />
          <YAxis tick={axis} />
          <Tooltip />
          <Line type="monotone" dataKey="rxPerSecond" name="in B/s" stroke="#7c3aed" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="txPerSecond" name="out B/s" stroke="#c2410c" dot={false} isAnimationActive={false} />
        </LineChart>
      </Figure>
    </div>
  );
}

export default function Metrics() {
  const c = useShownContainer();
  const { organizationId, header } = useOrganization();
  const running = c.status === "running";
  const [history, setHistory] = useState<Sample[]>([]);
  const metrics = useQuery({
    queryKey: ["containers", organizationId, "metrics", c.id],
    queryFn: async () => {
      const reading = await unwrap(
        api.GET("/api/metrics/containers/{container_id}", { params: { header, path: { container_id: c.id } } }),
      );
      setHistory((h) => appendSample(h, reading));
      return reading;
    },
    enabled: running,
    refetchInterval: METRICS_POLL_MS,
  });
  const { data } = metrics;

  return (
    <Section title="Metrics">
      {!running ? (
        <EmptyState title="No metrics right now">Metrics are read from the engine while the container runs.</EmptyState>
      ) : null}
      {running && metrics.isPending ? <Loading label="Reading metrics…" /> : null}
      {metrics.isError ? (
        metrics.error instanceof ApiError && metrics.error.status === 409 ? (
          <EmptyState title="No metrics right now">{metrics.error.message}</EmptyState>
        ) : (
          <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
        )
      ) : null}
      {running && data ? (
        <div className="space-y-4">
          <Now metrics={data} />
          <Charts history={history} />
          <p className="text-xs text-slate-600">Updated every {METRICS_POLL_MS / 1000} seconds while this page is open.</p>
        </div>
      ) : null}
    </Section>
  );
}
