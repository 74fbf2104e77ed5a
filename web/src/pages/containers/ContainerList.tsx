import { useState } from "react";
import { Link, useLocation } from "react-router";

import type { Container } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { useRole } from "../../org/roles";
import { Button, LinkButton } from "../../ui/Button";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { StatusBadge } from "../../ui/StatusBadge";
import { useContainerPage } from "./queries";

export function ContainerRow({ container }: { container: Container }) {
  const failing = container.status === "error" || container.status === "exited";
  return (
    <li className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-4">
      <div className="min-w-0 flex-1 basis-56">
        <Link to={`/containers/${container.id}`} className="font-semibold break-all text-blue-800 underline-offset-2 hover:underline">
          {container.name}
        </Link>
        <p className="text-sm break-all text-slate-700">{container.image}</p>
        {failing && container.status_reason ? (
          <p className="mt-1 text-sm text-red-800">{container.status_reason}</p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-slate-700">
        <StatusBadge status={container.status} />
        <span>
          {container.resources.cpu} CPU · {container.resources.memory}
          {container.replicas > 1 ? ` · ${container.replicas} replicas` : ""}
        </span>
        <span className="text-xs">Created {formatDateTime(container.created_at)}</span>
      </div>
    </li>
  );
}

export default function ContainerListPage() {
  useDocumentTitle("Containers");
  const { canOperate } = useRole();
  // Cursors of the pages seen so far: index 0 is the first page (no cursor).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length;
  const list = useContainerPage(cursors[cursors.length - 1]);
  const containers = list.data?.containers ?? [];
  const next = list.data?.next_cursor ?? null;
  // A message from the page that sent us here ("… was deleted.").
  const state: unknown = useLocation().state;
  const notice =
    typeof state === "object" && state !== null && "notice" in state && typeof state.notice === "string"
      ? state.notice
      : null;

  return (
    <>
      <PageHeader
        title="Containers"
        description="Everything deployed in this organization, newest first."
        actions={canOperate ? <LinkButton to="/containers/new">Deploy a container</LinkButton> : undefined}
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {list.isPending ? <Loading label="Loading containers…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && containers.length === 0 && page === 1 ? (
        <EmptyState
          title="No containers yet"
          action={canOperate ? <LinkButton to="/containers/new">Deploy your first container</LinkButton> : undefined}
        >
          {canOperate ? "Deploy an image and it shows up here with its status." : "Nothing is deployed here yet."}
        </EmptyState>
      ) : null}
      {containers.length > 0 ? (
        <ul aria-label="Containers" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {containers.map((c) => (
            <ContainerRow key={c.id} container={c} />
          ))}
        </ul>
      ) : null}
      {list.isSuccess && (page > 1 || next) ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3">
          <Button variant="secondary" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous page
          </Button>
          <span className="text-sm text-slate-700">Page {page}</span>
          <Button variant="secondary" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
            Next page
          </Button>
        </nav>
      ) : null}
    </>
  );
}
