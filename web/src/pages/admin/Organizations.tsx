import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { formatDateTime } from "../../lib/format";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { Pager } from "./Pager";
import { usePager } from "./usePager";

export default function Organizations() {
  useDocumentTitle("Organizations");
  const pager = usePager();
  const orgs = useQuery({
    queryKey: ["admin", "organizations", pager.cursor ?? ""],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/organizations", {
          params: { query: { limit: 20, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const list = orgs.data?.organizations ?? [];
  return (
    <>
      <PageHeader title="Organizations" description="Every organization, newest first." />
      {orgs.isPending ? <Loading label="Loading organizations…" /> : null}
      {orgs.isError ? <ErrorState error={orgs.error} onRetry={() => void orgs.refetch()} /> : null}
      {orgs.isSuccess && list.length === 0 ? <EmptyState title="No organizations yet" /> : null}
      {list.length > 0 ? (
        <ul aria-label="Organizations" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {list.map((o) => (
            <li key={o.id} className="flex flex-wrap items-center gap-x-6 gap-y-1 px-4 py-3">
              <Link to={`/admin/organizations/${o.id}`} className="font-semibold break-all text-blue-800 hover:underline">
                {o.name}
              </Link>
              <span className="text-sm text-slate-700">{o.slug}</span>
              <span className="ml-auto text-xs text-slate-600">Created {formatDateTime(o.created_at)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {orgs.isSuccess ? (
        <Pager page={pager.page} next={orgs.data.next_cursor} onNext={pager.next} onPrevious={pager.previous} />
      ) : null}
    </>
  );
}
