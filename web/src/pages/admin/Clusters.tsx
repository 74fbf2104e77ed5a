import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { Cluster } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";

const CLUSTERS = ["admin", "clusters"] as const;
const LABELS: Record<string, string> = {
  name: "Name",
  endpoint: "API endpoint",
  ca_cert: "CA certificate",
  token: "Service account token",
};

function AddCluster() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [endpoint, setEndpoint] = useState("https://");
  const [ca, setCa] = useState("");
  const [token, setToken] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/admin/clusters", {
          body: { name: name.trim(), endpoint: endpoint.trim(), token: token.trim(), ...(ca.trim() ? { ca_cert: ca } : {}) },
        }),
      ),
    onSuccess: () => {
      setName("");
      setCa("");
      setToken(""); // the token is never shown again
      void queryClient.invalidateQueries({ queryKey: CLUSTERS });
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
      {add.isSuccess ? <Alert tone="success">Cluster {add.data.name} was added.</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={fieldId("name")} label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} autoComplete="off" />
        <TextField
          id={fieldId("endpoint")}
          label="API endpoint"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          error={errors.fields.endpoint}
          hint="https://host:6443 (http only for the local sandbox on 127.0.0.1)."
          autoComplete="off"
        />
      </div>
      <TextField
        id={fieldId("token")}
        label="Service account token"
        type="password"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        error={errors.fields.token}
        hint="Stored encrypted; it is checked against the cluster before it is saved and never shown again."
        autoComplete="off"
      />
      <div>
        <label htmlFor={fieldId("ca_cert")} className="mb-1 block text-sm font-medium text-slate-800">
          CA certificate (PEM, needed for https)
        </label>
        <textarea
          id={fieldId("ca_cert")}
          value={ca}
          onChange={(e) => setCa(e.target.value)}
          rows={3}
          aria-invalid={errors.fields.ca_cert ? true : undefined}
          aria-describedby={errors.fields.ca_cert ? `${fieldId("ca_cert")}-error` : undefined}
          className="block w-full rounded-md border border-slate-400 px-3 py-2 font-mono text-xs"
        />
        {errors.fields.ca_cert ? (
          <p id={`${fieldId("ca_cert")}-error`} className="mt-1 text-sm font-medium text-red-800">
            {errors.fields.ca_cert}
          </p>
        ) : null}
      </div>
      <Button type="submit" busy={add.isPending}>
        Add cluster
      </Button>
    </form>
  );
}

function ClusterItem({ cluster }: { cluster: Cluster }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/admin/clusters/{cluster_id}", { params: { path: { cluster_id: cluster.id } } })),
    onSettled: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: CLUSTERS });
    },
  });
  return (
    <li className="space-y-2 px-4 py-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 className="font-semibold text-slate-900">{cluster.name}</h3>
        <div className="ml-auto">
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={remove.isPending}>
            Remove<span className="sr-only"> {cluster.name}</span>
          </Button>
        </div>
      </div>
      <p className="text-sm break-all text-slate-700">
        <code>{cluster.endpoint}</code>
        {cluster.ca_cert ? " · CA certificate stored" : ""} · added {formatDateTime(cluster.created_at)}
      </p>
      {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        title={`Remove cluster ${cluster.name}?`}
        confirmLabel="Remove"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        Only a cluster no container runs on can be removed. The cluster keeps running; ContainerStacks stops using it.
      </ConfirmDialog>
    </li>
  );
}

export default function Clusters() {
  useDocumentTitle("Clusters");
  const clusters = useQuery({ queryKey: CLUSTERS, queryFn: () => unwrap(api.GET("/api/admin/clusters")) });
  const list = clusters.data?.clusters ?? [];
  return (
    <>
      <PageHeader
        title="Kubernetes clusters"
        description="Clusters customers may deploy containers to instead of a Docker host: a Deployment and a Service in a namespace per organization."
      />
      <div className="space-y-6">
        <Section title="Registered clusters">
          {clusters.isPending ? <Loading label="Loading clusters…" /> : null}
          {clusters.isError ? <ErrorState error={clusters.error} onRetry={() => void clusters.refetch()} /> : null}
          {clusters.isSuccess && list.length === 0 ? (
            <EmptyState title="No clusters">Containers run on Docker hosts until a cluster is added below.</EmptyState>
          ) : null}
          {list.length > 0 ? (
            <ul aria-label="Clusters" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((c) => (
                <ClusterItem key={c.id} cluster={c} />
              ))}
            </ul>
          ) : null}
        </Section>
        <Section title="Add a cluster">
          <AddCluster />
        </Section>
      </div>
    </>
  );
}
