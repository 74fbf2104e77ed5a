import { NavLink, Outlet, useOutletContext, useParams } from "react-router";

import { ApiError } from "../../api/errors";
import type { Container } from "../../api/types";
import { useRole } from "../../org/roles";
import { LinkButton } from "../../ui/Button";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { StatusBadge } from "../../ui/StatusBadge";
import { ContainerActions } from "./ContainerActions";
import { useContainer } from "./queries";

export function useShownContainer(): Container {
  return useOutletContext<Container>();
}

function tabClass({ isActive }: { isActive: boolean }): string {
  return `inline-block border-b-2 px-3 py-2 text-sm font-semibold ${
    isActive ? "border-blue-700 text-blue-800" : "border-transparent text-slate-700 hover:border-slate-400"
  }`;
}

/** One container: heading, live status, actions, and the overview / logs / metrics tabs. */
export default function ContainerShell() {
  const { id = "" } = useParams();
  const container = useContainer(id);
  const { canOperate } = useRole();
  const data = container.data;
  useDocumentTitle(data ? data.name : "Container");

  if (container.isPending) return <Loading label="Loading the container…" />;
  if (container.isError) {
    if (container.error instanceof ApiError && container.error.status === 404) {
      return (
        <>
          <PageHeader title="Container not found" />
          <EmptyState
            title="There is no such container in this organization"
            action={<LinkButton to="/containers">Back to containers</LinkButton>}
          >
            It may have been deleted, or it belongs to another organization.
          </EmptyState>
        </>
      );
    }
    return (
      <>
        <PageHeader title="Container" />
        <ErrorState error={container.error} onRetry={() => void container.refetch()} />
      </>
    );
  }
  const c = container.data;
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span aria-live="polite" aria-atomic="true">
              <span className="sr-only">Status: </span>
              <StatusBadge status={c.status} />
            </span>
            <span className="break-all">{c.image}</span>
          </span>
        }
        actions={canOperate ? <ContainerActions container={c} /> : undefined}
      />
      {c.status === "provisioning" ? (
        <div className="mb-4">
          <Alert tone="info" title="Provisioning">
            The container is being created on a host. This page updates by itself.
          </Alert>
        </div>
      ) : null}
      {(c.status === "error" || c.status === "exited") && c.status_reason ? (
        <div className="mb-4">
          <Alert tone="warning" title={c.status === "error" ? "The container failed" : "The container exited"}>
            {c.status_reason}
            {c.exit_code !== null ? ` (exit code ${c.exit_code})` : ""}
          </Alert>
        </div>
      ) : null}
      <nav aria-label="Container" className="mb-6 border-b border-slate-200">
        <ul className="flex gap-2">
          <li>
            <NavLink end to={`/containers/${c.id}`} className={tabClass}>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to={`/containers/${c.id}/logs`} className={tabClass}>
              Logs
            </NavLink>
          </li>
          <li>
            <NavLink to={`/containers/${c.id}/metrics`} className={tabClass}>
              Metrics
            </NavLink>
          </li>
        </ul>
      </nav>
      <Outlet context={c} />
    </>
  );
}
