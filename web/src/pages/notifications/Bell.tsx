import { useEffect, useId, useRef, useState } from "react";
import { Link, useLocation } from "react-router";

import { formatDateTime } from "../../lib/format";
import { type Notification, resourceLink, useMarkRead, useNotificationPage } from "./queries";

const BELL_ITEMS = 5;

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

function Item({ notification, onRead, busy }: { notification: Notification; onRead: () => void; busy: boolean }) {
  const link = resourceLink(notification);
  const title = link ? (
    <Link to={link} className="text-blue-800 underline-offset-2 hover:underline">
      {notification.title}
    </Link>
  ) : (
    notification.title
  );
  return (
    <li className="px-4 py-3">
      <p className={`text-sm break-words ${notification.read ? "text-slate-700" : "font-semibold text-slate-900"}`}>
        {notification.read ? null : <span className="sr-only">Unread: </span>}
        {title}
      </p>
      {notification.body ? <p className="mt-0.5 text-sm break-words text-slate-700">{notification.body}</p> : null}
      <div className="mt-1 flex items-center justify-between gap-2">
        <span className="text-xs text-slate-600">{formatDateTime(notification.created_at)}</span>
        {notification.read ? null : (
          <button type="button" className="text-xs font-semibold text-blue-800 underline" onClick={onRead} disabled={busy}>
            Mark read<span className="sr-only"> {notification.title}</span>
          </button>
        )}
      </div>
    </li>
  );
}

/**
 * The bell in the header: the unread count (polled), and a panel with the newest notifications, mark read,
 * mark all read and a link to the whole feed. Escape, a click outside or a navigation closes the panel.
 * A bell that cannot load stays quiet (the feed page says why).
 */
export function NotificationBell() {
  const location = useLocation();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.pathname;
  const panelId = useId();
  const headingId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const feed = useNotificationPage(undefined, false, BELL_ITEMS, true);
  const mark = useMarkRead();
  const unread = feed.data?.unread_count ?? 0;
  const items = feed.data?.notifications ?? [];

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpenOn(null);
        button.current?.focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpenOn(null);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenOn(open ? null : location.pathname)}
        className="relative inline-flex min-h-10 items-center gap-1 rounded-md px-2 py-2 text-white ring-1 ring-slate-500 hover:bg-slate-800"
      >
        <BellIcon />
        <span className="sr-only">Notifications{unread > 0 ? `, ${unread} unread` : ""}</span>
        {unread > 0 ? (
          <span aria-hidden="true" className="rounded-full bg-red-700 px-1.5 text-xs leading-5 font-bold text-white">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          id={panelId}
          role="region"
          aria-labelledby={headingId}
          className="fixed inset-x-2 top-16 z-40 rounded-lg bg-white text-slate-900 shadow-xl ring-1 ring-slate-300 md:absolute md:inset-x-auto md:top-full md:right-0 md:mt-2 md:w-96"
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
            <h2 id={headingId} className="text-base font-semibold">
              Notifications
            </h2>
            {unread > 0 ? (
              <button type="button" className="text-sm font-semibold text-blue-800 underline" onClick={() => mark.mutate(null)} disabled={mark.isPending}>
                Mark all read
              </button>
            ) : null}
          </div>
          {feed.isPending ? <p className="px-4 py-3 text-sm text-slate-700">Loading…</p> : null}
          {feed.isError ? <p className="px-4 py-3 text-sm text-slate-700">Notifications could not be loaded.</p> : null}
          {feed.isSuccess && items.length === 0 ? <p className="px-4 py-3 text-sm text-slate-700">Nothing yet.</p> : null}
          {items.length > 0 ? (
            <ul aria-label="Newest notifications" className="max-h-96 divide-y divide-slate-200 overflow-y-auto">
              {items.map((n) => (
                <Item key={n.id} notification={n} onRead={() => mark.mutate(n.id)} busy={mark.isPending} />
              ))}
            </ul>
          ) : null}
          <div className="border-t border-slate-200 px-4 py-3">
            <Link to="/notifications" className="text-sm font-semibold text-blue-800 underline">
              All notifications
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
