import { useState } from "react";
import { Link } from "react-router";

import { messageOf } from "../../api/errors";
import { formatDateTime } from "../../lib/format";
import { Button, LinkButton } from "../../ui/Button";
import { CheckboxField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { type Notification, resourceLink, useMarkRead, useNotificationPage } from "./queries";

function Row({ notification, onRead, busy }: { notification: Notification; onRead: () => void; busy: boolean }) {
  const link = resourceLink(notification);
  return (
    <li className={`flex flex-wrap items-start gap-x-6 gap-y-2 px-4 py-4 ${notification.read ? "" : "bg-blue-50"}`}>
      <div className="min-w-0 flex-1 basis-64">
        <h2 className={`text-sm break-words ${notification.read ? "font-medium text-slate-800" : "font-bold text-slate-900"}`}>
          {notification.read ? null : <span className="sr-only">Unread: </span>}
          {link ? (
            <Link to={link} className="text-blue-800 underline-offset-2 hover:underline">
              {notification.title}
            </Link>
          ) : (
            notification.title
          )}
        </h2>
        {notification.body ? <p className="mt-1 text-sm break-words text-slate-700">{notification.body}</p> : null}
        <p className="mt-1 text-xs text-slate-600">
          <code>{notification.kind}</code> · {formatDateTime(notification.created_at)}
        </p>
      </div>
      {notification.read ? (
        <span className="text-xs text-slate-600">Read</span>
      ) : (
        <Button variant="secondary" onClick={onRead} busy={busy}>
          Mark read<span className="sr-only"> {notification.title}</span>
        </Button>
      )}
    </li>
  );
}

export default function NotificationsPage() {
  useDocumentTitle("Notifications");
  const [unreadOnly, setUnreadOnly] = useState(false);
  // Cursors of the pages seen so far: index 0 is the first page (no cursor).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length;
  const feed = useNotificationPage(cursors[cursors.length - 1], unreadOnly);
  const mark = useMarkRead();
  const items = feed.data?.notifications ?? [];
  const next = feed.data?.next_cursor ?? null;
  const unread = feed.data?.unread_count ?? 0;
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            What happened in this organization: containers that started or failed, money running low, invoices.
            {feed.isSuccess ? ` ${unread === 0 ? "Nothing" : unread} unread.` : ""}
          </>
        }
        actions={
          <>
            <Button variant="secondary" onClick={() => mark.mutate(null)} busy={mark.isPending && mark.variables === null} disabled={unread === 0}>
              Mark all read
            </Button>
            <LinkButton variant="secondary" to="/webhooks">
              Webhooks
            </LinkButton>
          </>
        }
      />
      <CheckboxField
        label="Unread only"
        checked={unreadOnly}
        onChange={(event) => {
          setUnreadOnly(event.target.checked);
          setCursors([undefined]);
        }}
        className="mb-4"
      />
      {mark.isError ? (
        <div className="mb-4">
          <Alert tone="error">{messageOf(mark.error)}</Alert>
        </div>
      ) : null}
      {feed.isPending ? <Loading label="Loading notifications…" /> : null}
      {feed.isError ? <ErrorState error={feed.error} onRetry={() => void feed.refetch()} /> : null}
      {feed.isSuccess && items.length === 0 && page === 1 ? (
        <EmptyState title={unreadOnly ? "Nothing unread" : "No notifications yet"}>
          Deployments, failures, low balance warnings and invoices show up here.
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <ul aria-label="Notifications" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {items.map((n) => (
            <Row key={n.id} notification={n} onRead={() => mark.mutate(n.id)} busy={mark.isPending && mark.variables === n.id} />
          ))}
        </ul>
      ) : null}
      {feed.isSuccess && (page > 1 || next) ? (
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
