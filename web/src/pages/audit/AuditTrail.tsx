import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../../api/client";
import { apiError, messageOf } from "../../api/errors";
import { formatDateTime } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { SelectField, TextField } from "../../ui/Field";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { Pager } from "../admin/Pager";
import type { AuditEntry } from "../admin/types";
import { usePager } from "../admin/usePager";
import { ACTIONS, describe } from "./actions";

export interface Filters {
  action: string;
  actor: string;
  from: string; // datetime-local values (the browser's time zone)
  to: string;
  organization_id: string;
}

export const NO_FILTERS: Filters = { action: "", actor: "", from: "", to: "", organization_id: "" };
const MAX_PARTS = 20; // CSV downloads come in parts of 5000 rows

/** The query the API takes for these filters (empty ones left out; times sent as UTC instants). */
export function auditQuery(filters: Filters, platform: boolean) {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const query: { action?: string; actor?: string; from?: string; to?: string; organization_id?: string } = {};
  if (filters.action) query.action = filters.action;
  if (filters.actor.trim()) query.actor = filters.actor.trim();
  const from = instant(filters.from);
  const to = instant(filters.to);
  if (from) query.from = from;
  if (to) query.to = to;
  if (platform && filters.organization_id.trim()) query.organization_id = filters.organization_id.trim();
  return query;
}

function State({ label, value }: { label: string; value: Record<string, unknown> | null | undefined }) {
  if (!value) return null;
  return (
    <div>
      <span className="font-medium text-slate-700">{label}: </span>
      <code className="break-all text-slate-900">{JSON.stringify(value)}</code>
    </div>
  );
}

function EntryRow({ entry, platform }: { entry: AuditEntry; platform: boolean }) {
  return (
    <li className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[11rem_1fr]">
      <div className="text-slate-700">
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        <div className="text-xs">{entry.ip ? `from ${entry.ip}` : "by the platform"}</div>
      </div>
      <div className="min-w-0 space-y-1">
        <p>
          <span className="font-semibold text-slate-900">{describe(entry.action)}</span>{" "}
          <span className="text-xs text-slate-600">({entry.action})</span>
        </p>
        <p className="break-all text-slate-800">
          By {entry.actor_email ?? entry.actor_id}
          {entry.target_type ? ` · ${entry.target_type} ${entry.target_id ?? ""}` : ""}
          {platform && entry.organization_id ? ` · organization ${entry.organization_id}` : ""}
        </p>
        <div className="text-xs">
          <State label="Before" value={entry.before} />
          <State label="After" value={entry.after} />
        </div>
      </div>
    </li>
  );
}

/** The audit trail: filters, a page of entries newest first, and a CSV download of everything filtered.
 * `platform`: every organization's (platform admins), else the organization acted in (its owners). */
export function AuditTrail({ platform, initial = NO_FILTERS }: { platform: boolean; initial?: Filters }) {
  const { header } = useOrganization();
  const [draft, setDraft] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(initial);
  const pager = usePager();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const query = auditQuery(filters, platform);
  const entries = useQuery({
    queryKey: ["audit", platform ? "platform" : header["X-Organization-Id"], query, pager.cursor ?? ""],
    queryFn: () => {
      const paged = { ...query, limit: 25, ...(pager.cursor ? { cursor: pager.cursor } : {}) };
      return unwrap(
        platform
          ? api.GET("/api/admin/audit", { params: { query: paged } })
          : api.GET("/api/audit", { params: { header, query: paged } }),
      );
    },
    placeholderData: keepPreviousData,
  });

  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    pager.reset();
    setFilters(draft);
  };

  const exportPart = async (cursor: string | null): Promise<{ text: string; next: string | null }> => {
    const params = { ...query, ...(cursor ? { cursor } : {}) };
    const result = platform
      ? await api.GET("/api/admin/audit/export", { params: { query: params }, parseAs: "text" })
      : await api.GET("/api/audit/export", { params: { header, query: params }, parseAs: "text" });
    if (!result.response.ok) throw apiError(result.response.status, result.error);
    return { text: result.data ?? "", next: result.response.headers.get("X-Next-Cursor") };
  };

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      let text = "";
      let cursor: string | null = null;
      for (let part = 0; part < MAX_PARTS; part += 1) {
        const got = await exportPart(cursor);
        text += part === 0 ? got.text : got.text.slice(got.text.indexOf("\r\n") + 2); // one header row
        cursor = got.next;
        if (!cursor) break;
      }
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = platform ? "audit-log.csv" : "organization-audit-log.csv";
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch (error) {
      setDownloadError(messageOf(error));
    } finally {
      setDownloading(false);
    }
  };

  const set = (field: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: event.target.value }));
  const list = entries.data?.entries ?? [];
  return (
    <div className="space-y-4">
      <form onSubmit={apply} role="search" aria-label="Filter the audit log" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField label="Action" value={draft.action} onChange={set("action")}>
          <option value="">Every action</option>
          {Object.entries(ACTIONS).map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="Who (email or user id)" value={draft.actor} onChange={set("actor")} autoComplete="off" maxLength={254} />
        {platform ? (
          <TextField label="Organization id" value={draft.organization_id} onChange={set("organization_id")} autoComplete="off" maxLength={64} />
        ) : null}
        <TextField label="From" type="datetime-local" value={draft.from} onChange={set("from")} />
        <TextField
          label="To"
          type="datetime-local"
          value={draft.to}
          onChange={set("to")}
          hint={platform ? "Without a start, the last 30 days." : undefined}
        />
        <div className="flex items-end gap-2">
          <Button type="submit">Apply filters</Button>
          <Button variant="secondary" onClick={() => void download()} busy={downloading}>
            Download CSV
          </Button>
        </div>
      </form>
      {downloadError ? <Alert tone="error">{downloadError}</Alert> : null}
      {entries.isPending ? <Loading label="Loading the audit log…" /> : null}
      {entries.isError ? <ErrorState error={entries.error} onRetry={() => void entries.refetch()} /> : null}
      {entries.isSuccess && list.length === 0 ? (
        <EmptyState title="No entries">{entries.data.next_cursor ? "Nothing on this page; older entries may follow." : "Nothing matches these filters."}</EmptyState>
      ) : null}
      {list.length > 0 ? (
        <ul aria-label="Audit entries" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {list.map((e) => (
            <EntryRow key={e.id} entry={e} platform={platform} />
          ))}
        </ul>
      ) : null}
      {entries.isSuccess ? (
        <Pager page={pager.page} next={entries.data.next_cursor} onNext={pager.next} onPrevious={pager.previous} />
      ) : null}
    </div>
  );
}
