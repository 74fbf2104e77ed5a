import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { Host } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { StatusBadge } from "../../ui/StatusBadge";
import { useFormErrors } from "../useFormErrors";

const HOSTS = ["admin", "hosts"] as const;
const LABELS: Record<string, string> = {
  name: "Name",
  url: "Engine URL",
  tls: "TLS",
  "tls.ca_cert": "CA certificate",
  "tls.client_cert": "Client certificate",
  "tls.client_key": "Client key",
};

function AddHost() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("unix:///var/run/docker.sock");
  const [ca, setCa] = useState("");
  const [cert, setCert] = useState("");
  const [key, setKey] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useMutation({
    mutationFn: () => {
      const tls = ca || cert || key ? { ca_cert: ca, client_cert: cert, client_key: key } : undefined;
      return unwrap(api.POST("/api/admin/hosts", { body: { name: name.trim(), url: url.trim(), ...(tls ? { tls } : {}) } }));
    },
    onSuccess: () => {
      setName("");
      setCa("");
      setCert("");
      setKey("");
      void queryClient.invalidateQueries({ queryKey: HOSTS });
    },
    onError: fail,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    add.reset();
    add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
      {add.isSuccess ? <Alert tone="success">Host {add.data.name} was added.</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={fieldId("name")} label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} autoComplete="off" />
        <TextField
          id={fieldId("url")}
          label="Engine URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.fields.url}
          hint="unix:///var/run/docker.sock, or tcp://host:2376 with TLS."
          autoComplete="off"
        />
      </div>
      <details className="rounded-md border border-slate-200 p-3">
        <summary className="cursor-pointer text-sm font-medium text-slate-800">TLS client certificate (TCP endpoints)</summary>
        <div className="mt-3 grid gap-4">
          {(
            [
              ["tls.ca_cert", "CA certificate", ca, setCa],
              ["tls.client_cert", "Client certificate", cert, setCert],
              ["tls.client_key", "Client key", key, setKey],
            ] as const
          ).map(([field, label, value, setValue]) => (
            <div key={field}>
              <label htmlFor={fieldId(field)} className="mb-1 block text-sm font-medium text-slate-800">
                {label} (PEM)
              </label>
              <textarea
                id={fieldId(field)}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                rows={3}
                aria-invalid={errors.fields[field] ? true : undefined}
                aria-describedby={errors.fields[field] ? `${fieldId(field)}-error` : undefined}
                className="block w-full rounded-md border border-slate-400 px-3 py-2 font-mono text-xs"
              />
              {errors.fields[field] ? (
                <p id={`${fieldId(field)}-error`} className="mt-1 text-sm font-medium text-red-800">
                  {errors.fields[field]}
                </p>
              ) : null}
            </div>
          ))}
        </div>
      </details>
      <Button type="submit" busy={add.isPending}>
        Add host
      </Button>
    </form>
  );
}

function HostItem({ host }: { host: Host }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const params = { params: { path: { host_id: host.id } } };
  const change = useMutation({
    mutationFn: (what: "drain" | "activate" | "remove") => {
      switch (what) {
        case "drain":
          return unwrap(api.POST("/api/admin/hosts/{host_id}/drain", params));
        case "activate":
          return unwrap(api.POST("/api/admin/hosts/{host_id}/activate", params));
        case "remove":
          return unwrap(api.DELETE("/api/admin/hosts/{host_id}", params));
      }
    },
    onSettled: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: HOSTS });
    },
  });
  return (
    <li className="space-y-2 px-4 py-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 className="font-semibold text-slate-900">{host.name}</h3>
        <StatusBadge status={host.status} />
        {host.default ? <span className="text-xs font-medium text-slate-700">default host</span> : null}
        <div className="ml-auto flex flex-wrap gap-2">
          {host.status === "active" ? (
            <Button variant="secondary" onClick={() => change.mutate("drain")} busy={change.isPending && change.variables === "drain"}>
              Drain<span className="sr-only"> {host.name}</span>
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => change.mutate("activate")} busy={change.isPending && change.variables === "activate"}>
              Activate<span className="sr-only"> {host.name}</span>
            </Button>
          )}
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={change.isPending}>
            Remove<span className="sr-only"> {host.name}</span>
          </Button>
        </div>
      </div>
      <p className="text-sm break-all text-slate-700">
        <code>{host.url}</code>
        {host.tls ? " · TLS" : ""}
      </p>
      <p className="text-sm text-slate-700">
        Allocated {host.allocated.cpu} of {host.capacity.cpu} CPU · {host.allocated.memory} of {host.capacity.memory} memory ·
        added {formatDateTime(host.created_at)}
      </p>
      {change.isError ? <Alert tone="error">{messageOf(change.error)}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        title={`Remove host ${host.name}?`}
        confirmLabel="Remove"
        busy={change.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => change.mutate("remove")}
      >
        Only a host without containers can be removed. Its engine keeps running; ContainerStacks stops using it.
      </ConfirmDialog>
    </li>
  );
}

export default function Hosts() {
  useDocumentTitle("Hosts");
  const hosts = useQuery({ queryKey: HOSTS, queryFn: () => unwrap(api.GET("/api/admin/hosts")) });
  const list = hosts.data?.hosts ?? [];
  return (
    <>
      <PageHeader title="Hosts" description="Docker Engines that containers are placed on. Only administrators see this page." />
      <div className="space-y-6">
        <Section title="Registered hosts">
          {hosts.isPending ? <Loading label="Loading hosts…" /> : null}
          {hosts.isError ? <ErrorState error={hosts.error} onRetry={() => void hosts.refetch()} /> : null}
          {hosts.isSuccess && list.length === 0 ? (
            <EmptyState title="No hosts">Add a Docker Engine below; containers cannot be deployed without one.</EmptyState>
          ) : null}
          {list.length > 0 ? (
            <ul aria-label="Hosts" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((h) => (
                <HostItem key={h.id} host={h} />
              ))}
            </ul>
          ) : null}
        </Section>
        <Section title="Add a host">
          <AddHost />
        </Section>
      </div>
    </>
  );
}
