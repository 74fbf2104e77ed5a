// Pieces the customers' and the operators' support pages share.
import { type ReactNode, type SyntheticEvent, useId, useState } from "react";
import { Link } from "react-router";

import type { Ticket, TicketPriority, TicketReply, TicketStatus, TicketThread } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { SelectField } from "../../ui/Field";
import { CATEGORIES, CATEGORY_LABEL, MESSAGE_MAX, PRIORITIES, PRIORITY_LABEL, STATUSES, STATUS_LABEL, type TicketFilters } from "./tickets";

const STATUS_STYLE: Record<TicketStatus, string> = {
  open: "bg-blue-100 text-blue-900 ring-blue-300",
  in_progress: "bg-amber-100 text-amber-900 ring-amber-300",
  resolved: "bg-green-100 text-green-900 ring-green-300",
  closed: "bg-slate-200 text-slate-800 ring-slate-300",
};

const PRIORITY_STYLE: Record<TicketPriority, string> = {
  low: "text-slate-700",
  medium: "text-slate-800",
  high: "text-amber-900 font-semibold",
  urgent: "text-red-800 font-semibold",
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STATUS_STYLE[status]}`}>
      {STATUS_LABEL[status]}
    </span>
  );
}

export function TicketRow({ ticket, to, showOrganization = false }: { ticket: Ticket; to: string; showOrganization?: boolean }) {
  return (
    <li className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-4">
      <div className="min-w-0 flex-1 basis-64">
        <Link to={to} className="font-semibold break-words text-blue-800 underline-offset-2 hover:underline">
          {ticket.subject}
        </Link>
        <p className="text-sm text-slate-700">
          {showOrganization ? `${ticket.organization_name || ticket.organization_id} · ` : ""}
          {ticket.author_name || "Unknown"} · {CATEGORY_LABEL[ticket.category]}
          {ticket.resource ? ` · ${ticket.resource.kind} ${ticket.resource.name}` : ""}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <TicketStatusBadge status={ticket.status} />
        <span className={PRIORITY_STYLE[ticket.priority]}>{PRIORITY_LABEL[ticket.priority]} priority</span>
        <span className="text-xs text-slate-700">
          {ticket.reply_count} {ticket.reply_count === 1 ? "reply" : "replies"} · updated {formatDateTime(ticket.updated_at)}
        </span>
        {ticket.reply_count > 0 && ticket.last_reply_by_admin ? (
          <span className="text-xs font-semibold text-green-900">Support answered</span>
        ) : null}
      </div>
    </li>
  );
}

/** Status, priority and category selects; an empty choice means "any". */
export function TicketFilterBar({
  filters,
  onChange,
  children,
}: {
  filters: TicketFilters;
  onChange: (next: TicketFilters) => void;
  children?: ReactNode;
}) {
  const set = (key: keyof TicketFilters, value: string) => {
    const next = Object.fromEntries(Object.entries({ ...filters, [key]: value }).filter(([, v]) => Boolean(v)));
    onChange(next);
  };
  return (
    <form aria-label="Filters" className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Status" value={filters.status ?? ""} onChange={(e) => set("status", e.target.value)}>
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Priority" value={filters.priority ?? ""} onChange={(e) => set("priority", e.target.value)}>
        <option value="">Any priority</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABEL[p]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Category" value={filters.category ?? ""} onChange={(e) => set("category", e.target.value)}>
        <option value="">Any category</option>
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {CATEGORY_LABEL[c]}
          </option>
        ))}
      </SelectField>
      {children}
    </form>
  );
}

export function Pager({ page, hasNext, onPrevious, onNext }: { page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  if (page === 1 && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3">
      <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </Button>
      <span className="text-sm text-slate-700">Page {page}</span>
      <Button variant="secondary" disabled={!hasNext} onClick={onNext}>
        Next page
      </Button>
    </nav>
  );
}

/** Cursor paging: the cursors of the pages seen so far (index 0: the first page). */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([undefined]),
  };
}

function Message({ author, when, byAdmin, text }: { author: string; when: string; byAdmin: boolean; text: string }) {
  return (
    <li className={`rounded-lg border p-4 ${byAdmin ? "border-blue-200 bg-blue-50" : "border-slate-200 bg-white"}`}>
      <p className="mb-2 flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-900">{author || "Unknown"}</span>
        {byAdmin ? <span className="rounded bg-blue-700 px-1.5 py-0.5 text-xs font-semibold text-white">Support</span> : null}
        <span className="text-xs text-slate-700">{formatDateTime(when)}</span>
      </p>
      <p className="text-sm break-words whitespace-pre-wrap text-slate-900">{text}</p>
    </li>
  );
}

/** The opening message and every reply, oldest first. */
export function Conversation({ thread }: { thread: TicketThread }) {
  const replies: TicketReply[] = thread.replies;
  return (
    <ol aria-label="Conversation" className="space-y-3">
      <Message author={thread.author_name} when={thread.created_at} byAdmin={false} text={thread.message} />
      {replies.map((r) => (
        <Message key={r.id} author={r.author_name} when={r.created_at} byAdmin={r.is_admin_reply} text={r.message} />
      ))}
    </ol>
  );
}

/** A reply box; `send` rejects with the API's error, which is shown under the box. */
export function ReplyForm({
  label,
  send,
  busy,
  error,
}: {
  label: string;
  send: (message: string) => Promise<unknown>;
  busy: boolean;
  error: string | undefined;
}) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const id = useId();
  const shown = problem ?? error;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setProblem("Write something first.");
      return;
    }
    setProblem(undefined);
    send(text.trim()).then(
      () => setText(""),
      () => undefined, // the caller shows the API's error
    );
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <div>
        <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
          {label}
        </label>
        <textarea
          id={id}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={5}
          maxLength={MESSAGE_MAX}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${id}-error` : undefined}
          className={`block w-full rounded-md border px-3 py-2 text-sm ${shown ? "border-red-700" : "border-slate-400"}`}
        />
        {shown ? (
          <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
            {shown}
          </p>
        ) : null}
      </div>
      <Button type="submit" busy={busy}>
        Send reply
      </Button>
    </form>
  );
}

/** On the local stack (loopback), where to read the mail it sends. */
export function LocalMailNote() {
  const host = typeof window === "undefined" ? "" : window.location.hostname;
  if (host !== "127.0.0.1" && host !== "localhost") return null;
  return (
    <p className="mt-6 text-xs text-slate-700">
      Local stack: the mail ContainerStacks sends (new tickets, replies) is readable at{" "}
      <a className="text-blue-800 underline" href="/_mail">
        /_mail
      </a>
      .
    </p>
  );
}

/** Status, priority, category, linked resource and id of a ticket. */
export function TicketFacts({ thread }: { thread: TicketThread }) {
  return (
    <dl className="mb-6 flex flex-wrap gap-x-8 gap-y-2 text-sm">
      <div>
        <dt className="font-medium text-slate-700">Status</dt>
        <dd>
          <TicketStatusBadge status={thread.status} />
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-700">Priority</dt>
        <dd className="text-slate-900">{PRIORITY_LABEL[thread.priority]}</dd>
      </div>
      <div>
        <dt className="font-medium text-slate-700">Category</dt>
        <dd className="text-slate-900">{CATEGORY_LABEL[thread.category]}</dd>
      </div>
      {thread.resource ? (
        <div>
          <dt className="font-medium text-slate-700">About</dt>
          <dd className="text-slate-900">
            {thread.resource.kind} {thread.resource.name}
          </dd>
        </div>
      ) : null}
      <div>
        <dt className="font-medium text-slate-700">Ticket</dt>
        <dd className="font-mono text-xs text-slate-900">{thread.ticket_id}</dd>
      </div>
    </dl>
  );
}
