import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useId, useState } from "react";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import { useSignedIn } from "../../auth/session";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { SelectField, TextField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { Pager } from "./Pager";
import type { AdminUser } from "./types";
import { usePager } from "./usePager";

const USERS = ["admin", "users"] as const;
type By = "email" | "name";
type Change = { kind: "suspend" } | { kind: "unsuspend" } | { kind: "role"; role: AdminUser["role"] };

function Badge({ tone, children }: { tone: "green" | "red" | "blue" | "slate"; children: string }) {
  const tones = {
    green: "bg-green-100 text-green-900 ring-green-300",
    red: "bg-red-100 text-red-900 ring-red-300",
    blue: "bg-blue-100 text-blue-900 ring-blue-300",
    slate: "bg-slate-200 text-slate-800 ring-slate-300",
  };
  return (
    <span className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </span>
  );
}

function UserRow({ user, self }: { user: AdminUser; self: boolean }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Change | null>(null);
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const params = { params: { path: { user_id: user.id } } };
  const change = useMutation({
    mutationFn: (what: Change) => {
      switch (what.kind) {
        case "suspend":
          return unwrap(api.POST("/api/admin/users/{user_id}/suspend", { ...params, body: { reason: reason.trim() } }));
        case "unsuspend":
          return unwrap(api.POST("/api/admin/users/{user_id}/unsuspend", params));
        case "role":
          return unwrap(api.PUT("/api/admin/users/{user_id}/role", { ...params, body: { role: what.role } }));
      }
    },
    onSuccess: () => {
      setAsking(null);
      setReason("");
      void queryClient.invalidateQueries({ queryKey: USERS });
    },
  });
  const otherRole = user.role === "admin" ? "user" : "admin";
  const title =
    asking?.kind === "suspend"
      ? `Suspend ${user.email}?`
      : asking?.kind === "unsuspend"
        ? `Lift the suspension of ${user.email}?`
        : `Make ${user.email} ${otherRole === "admin" ? "an administrator" : "an ordinary user"}?`;
  return (
    <li className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-4">
      <div className="min-w-0 flex-1 basis-64">
        <p className="font-semibold break-all text-slate-900">{user.name}</p>
        <p className="text-sm break-all text-slate-700">{user.email}</p>
        <p className="text-xs text-slate-600">Joined {formatDateTime(user.created_at)}</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={user.role === "admin" ? "blue" : "slate"}>{user.role}</Badge>
        <Badge tone={user.status === "suspended" ? "red" : "green"}>{user.status}</Badge>
      </div>
      {self ? (
        <p className="text-sm text-slate-600">This is you.</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {user.status === "suspended" ? (
            <Button variant="secondary" onClick={() => setAsking({ kind: "unsuspend" })}>
              Unsuspend<span className="sr-only"> {user.email}</span>
            </Button>
          ) : (
            <Button variant="danger" onClick={() => setAsking({ kind: "suspend" })}>
              Suspend<span className="sr-only"> {user.email}</span>
            </Button>
          )}
          <Button variant="secondary" onClick={() => setAsking({ kind: "role", role: otherRole })}>
            {otherRole === "admin" ? "Make admin" : "Make user"}
            <span className="sr-only"> {user.email}</span>
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={title}
        confirmLabel={asking?.kind === "suspend" ? "Suspend" : "Confirm"}
        tone={asking?.kind === "suspend" ? "danger" : "primary"}
        busy={change.isPending}
        onCancel={() => {
          setAsking(null);
          change.reset();
        }}
        onConfirm={() => asking && change.mutate(asking)}
      >
        {asking?.kind === "suspend" ? (
          <div className="space-y-2">
            <p>They cannot sign in any more, and every session they have ends at once.</p>
            <label htmlFor={reasonId} className="block text-sm font-medium text-slate-800">
              Reason (kept in the audit log)
            </label>
            <textarea
              id={reasonId}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              className="block w-full rounded-md border border-slate-400 px-3 py-2 text-sm"
            />
          </div>
        ) : (
          <p>Their current sessions end; the change applies when they sign in again.</p>
        )}
        {change.isError ? (
          <div className="mt-3">
            <Alert tone="error">{messageOf(change.error)}</Alert>
          </div>
        ) : null}
      </ConfirmDialog>
    </li>
  );
}

export default function Users() {
  useDocumentTitle("Users");
  const { user: me } = useSignedIn();
  const [by, setBy] = useState<By>("email");
  const [text, setText] = useState("");
  const [search, setSearch] = useState<{ by: By; q: string }>({ by: "email", q: "" });
  const pager = usePager();
  const users = useQuery({
    queryKey: [...USERS, search.by, search.q, pager.cursor ?? ""],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/users", {
          params: { query: { by: search.by, q: search.q, limit: 20, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    pager.reset();
    setSearch({ by, q: text.trim() });
  };
  const list = users.data?.users ?? [];
  return (
    <>
      <PageHeader title="Users" description="Find people by the start of their email address or name." />
      <form onSubmit={submit} role="search" className="mb-6 flex flex-wrap items-end gap-3">
        <SelectField label="Search by" value={by} onChange={(e) => setBy(e.target.value as By)} className="w-36">
          <option value="email">Email</option>
          <option value="name">Name</option>
        </SelectField>
        <TextField
          label="Starts with"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="min-w-56 flex-1"
          autoComplete="off"
          maxLength={254}
        />
        <Button type="submit">Search</Button>
      </form>
      {users.isPending ? <Loading label="Loading users…" /> : null}
      {users.isError ? <ErrorState error={users.error} onRetry={() => void users.refetch()} /> : null}
      {users.isSuccess && list.length === 0 ? <EmptyState title="Nobody found">Try another search.</EmptyState> : null}
      {list.length > 0 ? (
        <ul aria-label="Users" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {list.map((u) => (
            <UserRow key={u.id} user={u} self={u.id === me.id} />
          ))}
        </ul>
      ) : null}
      {users.isSuccess ? (
        <Pager page={pager.page} next={users.data.next_cursor} onNext={pager.next} onPrevious={pager.previous} />
      ) : null}
    </>
  );
}
