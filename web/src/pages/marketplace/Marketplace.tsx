import { useInfiniteQuery } from "@tanstack/react-query";
import { type SyntheticEvent, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { AppIcon } from "./AppIcon";
import { formatMoney, formatRate, type Template } from "./model";

export const MARKETPLACE_PAGE = 12;

export function SourceBadge({ template }: { template: Pick<Template, "source" | "deployable"> }) {
  if (template.source === "local") {
    return <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900">Runs offline</span>;
  }
  return (
    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-950">
      Registry image{template.deployable ? "" : " · not on this stack"}
    </span>
  );
}

function Card({ template }: { template: Template }) {
  const { price } = template;
  return (
    <li className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start gap-3">
        <AppIcon name={template.icon} category={template.category} />
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-slate-900">
            <Link to={`/marketplace/${template.slug}`} className="text-blue-800 underline-offset-2 hover:underline">
              {template.name}
            </Link>
          </h2>
          <p className="text-xs text-slate-600">
            {template.category} · version {template.version}
          </p>
        </div>
      </div>
      <div className="mt-3 flex-1">
        <p className="line-clamp-3 text-sm text-slate-700">{template.description}</p>
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <SourceBadge template={template} />
        <p className="text-sm text-slate-900">
          <span className="font-semibold">{formatMoney(price.monthly, price.currency)}</span> / month
          <span className="sr-only">, {formatRate(price.hourly, price.currency)} per hour</span>
        </p>
      </div>
    </li>
  );
}

export default function Marketplace() {
  useDocumentTitle("Marketplace");
  const { organizationId, header } = useOrganization();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const category = params.get("category") ?? "";
  const [text, setText] = useState(q);
  const categoriesLabel = useId();
  const pages = useInfiniteQuery({
    queryKey: ["marketplace", organizationId, q, category],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/marketplace", {
          params: {
            header,
            query: {
              limit: MARKETPLACE_PAGE,
              ...(q ? { q } : {}),
              ...(category ? { category } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const templates = pages.data?.pages.flatMap((p) => p.templates) ?? [];
  const categories = pages.data?.pages[0]?.categories ?? [];

  const choose = (next: { q?: string; category?: string }) => {
    const merged = { q, category, ...next };
    const search: Record<string, string> = {};
    if (merged.q) search.q = merged.q;
    if (merged.category) search.category = merged.category;
    setParams(search);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    choose({ q: text.trim() });
  };

  return (
    <>
      <PageHeader
        title="Marketplace"
        description="Ready-made apps: pick one, fill in its settings and it runs as a container in this organization."
      />
      <form role="search" onSubmit={submit} className="mb-4 flex flex-wrap items-end gap-3">
        <TextField
          label="Search apps"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="min-w-56 flex-1"
          maxLength={100}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {categories.length > 0 ? (
        <div role="group" aria-labelledby={categoriesLabel} className="mb-6 flex flex-wrap items-center gap-2">
          <span id={categoriesLabel} className="text-sm font-medium text-slate-800">
            Category
          </span>
          {["", ...categories].map((c) => (
            <button
              key={c || "all"}
              type="button"
              aria-pressed={category === c}
              onClick={() => choose({ category: c })}
              className={`min-h-10 rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${
                category === c ? "bg-blue-700 text-white ring-blue-700" : "bg-white text-slate-900 ring-slate-300 hover:bg-slate-100"
              }`}
            >
              {c || "All"}
            </button>
          ))}
        </div>
      ) : null}
      {pages.isPending ? <Loading label="Loading apps…" /> : null}
      {pages.isError ? <ErrorState error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      {pages.isSuccess && templates.length === 0 ? (
        <EmptyState title="No apps match">
          {q || category ? "Try other words or another category." : "The catalog is empty."}
        </EmptyState>
      ) : null}
      {templates.length > 0 ? (
        <ul aria-label="Apps" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {templates.map((t) => (
            <Card key={t.slug} template={t} />
          ))}
        </ul>
      ) : null}
      {pages.hasNextPage ? (
        <div className="mt-6 flex justify-center">
          <Button variant="secondary" onClick={() => void pages.fetchNextPage()} busy={pages.isFetchingNextPage}>
            Show more apps
          </Button>
        </div>
      ) : null}
    </>
  );
}
