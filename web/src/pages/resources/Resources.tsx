import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { useOrganization } from "../../org/organization";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { ErrorState, Loading } from "../../ui/States";
import { formatRate } from "../marketplace/model";
import { heading, type Limit, level, type OrgResources, percentUsed, usageText } from "./model";

const BAR = { ok: "bg-blue-700", high: "bg-amber-600", full: "bg-red-700" } as const;

function LimitRow({ limit }: { limit: Limit }) {
  const id = useId();
  const percent = percentUsed(limit);
  const tone = level(percent);
  return (
    <li className="space-y-1 py-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span id={id} className="font-medium text-slate-900">
          {heading(limit.label)}
        </span>
        <span className="text-slate-700">
          {usageText(limit)}
          {percent !== null ? ` · ${percent}%` : ""}
        </span>
      </div>
      {percent !== null ? (
        <div
          role="progressbar"
          aria-labelledby={id}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={usageText(limit)}
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div className={`h-full rounded-full ${BAR[tone]}`} style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      {tone === "full" ? (
        <p className="text-xs font-medium text-red-800">At the limit: creating or growing more is refused.</p>
      ) : null}
    </li>
  );
}

function Prices({ view }: { view: OrgResources }) {
  const p = view.pricing;
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-3">
      {(
        [
          ["vCPU per hour", p.cpu_per_vcpu_hour],
          ["Memory per GiB-hour", p.memory_per_gib_hour],
          ["Storage per GiB-month", p.storage_per_gib_month],
        ] as const
      ).map(([label, value]) => (
        <div key={label} className="rounded-md bg-slate-50 p-3">
          <dt className="text-slate-700">{label}</dt>
          <dd className="text-lg font-semibold text-slate-900">{formatRate(value, p.currency)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function Resources() {
  useDocumentTitle("Resources");
  const { organizationId, header } = useOrganization();
  const found = useQuery({
    queryKey: ["resources", organizationId],
    queryFn: () => unwrap(api.GET("/api/resources", { params: { header } })),
  });
  const view = found.data;
  return (
    <>
      <PageHeader
        title="Resources"
        description="What this organization's package allows, and how much of it is in use."
      />
      {found.isPending ? <Loading label="Loading your resources…" /> : null}
      {found.isError ? <ErrorState error={found.error} onRetry={() => void found.refetch()} /> : null}
      {view ? (
        <div className="space-y-6">
          <Section title={`Package: ${view.package.name}`}>
            {view.package.description ? <p className="mb-2 text-sm text-slate-700">{view.package.description}</p> : null}
            <p className="text-sm text-slate-700">
              Need more? Ask your platform operator for a larger package. Apps from the{" "}
              <Link className="text-blue-800 underline" to="/marketplace">
                marketplace
              </Link>{" "}
              count like any container.
            </p>
          </Section>
          <Section title="Limits and usage">
            <ul aria-label="Limits" className="divide-y divide-slate-200">
              {view.limits.map((limit) => (
                <LimitRow key={limit.name} limit={limit} />
              ))}
            </ul>
          </Section>
          <Section title={view.package.pricing ? "Your package's prices" : "Prices"}>
            <Prices view={view} />
          </Section>
        </div>
      ) : null}
    </>
  );
}
