import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { formatDateTime } from "../../lib/format";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap justify-between gap-2 py-2">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default function OrganizationDetail() {
  const { id = "" } = useParams();
  const org = useQuery({
    queryKey: ["admin", "organizations", "one", id],
    queryFn: () => unwrap(api.GET("/api/admin/organizations/{org_id}", { params: { path: { org_id: id } } })),
  });
  const d = org.data;
  useDocumentTitle(d ? d.name : "Organization");
  if (org.isPending) return <Loading label="Loading the organization…" />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  if (!d) return null;
  const money = (value: string) => `${value} ${d.currency}`;
  return (
    <>
      <PageHeader
        title={d.name}
        description={`${d.slug} · created ${formatDateTime(d.created_at)}`}
        actions={
          <Link className="text-sm font-semibold text-blue-800 underline" to={`/admin/audit?organization_id=${d.id}`}>
            Audit log of this organization
          </Link>
        }
      />
      <div className="space-y-6">
        {d.suspended_at ? (
          <Alert tone="warning" title="Suspended for non-payment">
            Since {formatDateTime(d.suspended_at)}: its resources are stopped until the wallet is topped up.
          </Alert>
        ) : null}
        <div className="grid gap-6 md:grid-cols-2">
          <Section title="Money">
            <dl className="divide-y divide-slate-200">
              <Row label="Balance">{money(d.balance)}</Row>
              <Row label={`Usage in ${d.this_month.month}`}>{money(d.this_month.usage)}</Row>
              <Row label="Top-ups this month">{money(d.this_month.topups)}</Row>
              <Row label="Refunds this month">{money(d.this_month.refunds)}</Row>
              <Row label="Manual credits this month">{money(d.this_month.credits)}</Row>
            </dl>
          </Section>
          <Section title="Plan">
            <dl className="divide-y divide-slate-200">
              <Row label="Package">{d.package ?? "None (packages are not offered yet)"}</Row>
              <Row label="Standing">{d.suspended_at ? "Suspended" : "In good standing"}</Row>
            </dl>
          </Section>
        </div>
        <Section title="Members">
          <ul aria-label="Members" className="divide-y divide-slate-200">
            {d.members.map((m) => (
              <li key={m.user_id} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
                <span className="break-all">
                  <span className="font-medium text-slate-900">{m.name || m.user_id}</span>{" "}
                  <span className="text-slate-700">{m.email}</span>
                </span>
                <span className="text-slate-700">{m.role}</span>
              </li>
            ))}
          </ul>
        </Section>
      </div>
    </>
  );
}
