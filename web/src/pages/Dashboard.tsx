import { Link } from "react-router";

import type { Container, ContainerStatus } from "../api/types";
import { useSignedIn } from "../auth/session";
import { useOrganization } from "../org/organization";
import { useRole } from "../org/roles";
import { LinkButton } from "../ui/Button";
import { PageHeader, Section, useDocumentTitle } from "../ui/Page";
import { EmptyState, ErrorState, Loading } from "../ui/States";
import { StatusBadge } from "../ui/StatusBadge";
import { WalletSummary } from "./billing/WalletSummary";
import { useContainerPage } from "./containers/queries";

const OVERVIEW_LIMIT = 100;

function count(containers: Container[], ...statuses: ContainerStatus[]): number {
  return containers.filter((c) => statuses.includes(c.status)).length;
}

function Tile({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className={`mt-1 text-3xl font-bold ${tone}`}>{value}</dd>
    </div>
  );
}

export default function Dashboard() {
  useDocumentTitle("Dashboard");
  const { user } = useSignedIn();
  const { current } = useOrganization();
  const { canOperate } = useRole();
  const list = useContainerPage(undefined, OVERVIEW_LIMIT);
  const containers = list.data?.containers ?? [];
  const running = containers.filter((c) => c.status === "running");
  const failing = containers.filter((c) => c.status === "error" || c.status === "exited");

  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name}`}
        description={current ? `Organization ${current.name}` : undefined}
        actions={canOperate ? <LinkButton to="/containers/new">Deploy a container</LinkButton> : undefined}
      />
      <div className="mb-6">
        <WalletSummary />
      </div>
      {list.isPending ? <Loading label="Loading your containers…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <div className="space-y-6">
          <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Tile label="Running" value={running.length} tone="text-green-800" />
            <Tile label="Provisioning" value={count(containers, "provisioning")} tone="text-blue-800" />
            <Tile label="Failing" value={failing.length} tone="text-red-800" />
            <Tile label="Stopped" value={count(containers, "stopped")} tone="text-slate-800" />
          </dl>
          {list.data.next_cursor ? (
            <p className="text-sm text-slate-700">Counting the newest {OVERVIEW_LIMIT} containers.</p>
          ) : null}
          {containers.length === 0 ? (
            <EmptyState
              title="Nothing deployed yet"
              action={canOperate ? <LinkButton to="/containers/new">Deploy your first container</LinkButton> : undefined}
            >
              Start with the sample image: a tiny web server that is ready on every local stack.
            </EmptyState>
          ) : (
            <div className="grid gap-6 lg:grid-cols-2">
              <Section title="Needs attention">
                {failing.length === 0 ? (
                  <p className="text-sm text-slate-700">No failing containers.</p>
                ) : (
                  <ul className="divide-y divide-slate-200">
                    {failing.map((c) => (
                      <li key={c.id} className="py-3">
                        <div className="flex flex-wrap items-center gap-2">
                          <Link to={`/containers/${c.id}`} className="font-semibold text-blue-800 underline">
                            {c.name}
                          </Link>
                          <StatusBadge status={c.status} />
                        </div>
                        <p className="mt-1 text-sm text-red-800">{c.status_reason ?? "No reason was recorded."}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
              <Section title="Running">
                {running.length === 0 ? (
                  <p className="text-sm text-slate-700">Nothing is running.</p>
                ) : (
                  <ul className="divide-y divide-slate-200">
                    {running.map((c) => (
                      <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                        <Link to={`/containers/${c.id}`} className="font-semibold text-blue-800 underline">
                          {c.name}
                        </Link>
                        <span className="flex gap-3 text-sm">
                          <Link to={`/containers/${c.id}/logs`} className="text-blue-800 underline">
                            Logs<span className="sr-only"> of {c.name}</span>
                          </Link>
                          <Link to={`/containers/${c.id}/metrics`} className="text-blue-800 underline">
                            Metrics<span className="sr-only"> of {c.name}</span>
                          </Link>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            </div>
          )}
        </div>
      ) : null}
    </>
  );
}
