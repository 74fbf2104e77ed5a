import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, type ReactNode, useState } from "react";
import { useNavigate } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { ContainerCreate } from "../../api/types";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button, LinkButton } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { CheckboxField, SelectField, TextField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { ProjectField } from "../teams/ProjectField";
import { useFormErrors } from "../useFormErrors";
import { type DeployForm, fieldLabel, formHasField, initialForm, SAMPLE_IMAGE, toRequest } from "./deployForm";
import { containerKey, containersKey } from "./queries";

function Fieldset({ legend, children, hint }: { legend: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <legend className="px-1 text-base font-semibold text-slate-900">{legend}</legend>
      {hint ? <p className="mb-4 text-sm text-slate-700">{hint}</p> : null}
      <div className="space-y-4">{children}</div>
    </fieldset>
  );
}

/** POST with a fresh Idempotency-Key per attempt; a network failure is retried once with the same key. */
async function create(body: ContainerCreate, header: { "X-Organization-Id": string }) {
  const params = { header: { ...header, "Idempotency-Key": uuid() } };
  try {
    return await unwrap(api.POST("/api/containers", { params, body }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) {
      return unwrap(api.POST("/api/containers", { params, body }));
    }
    throw error;
  }
}

/** The Kubernetes clusters the organization may deploy to (none: the choice is not shown). */
function useClusterChoices(organizationId: string, header: { "X-Organization-Id": string }) {
  const clusters = useQuery({
    queryKey: ["clusters", organizationId],
    queryFn: () => unwrap(api.GET("/api/clusters", { params: { header } })),
    retry: false,
  });
  return clusters.data?.clusters ?? [];
}

export default function NewContainer() {
  useDocumentTitle("Deploy a container");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  const [form, setForm] = useState<DeployForm>(initialForm);
  const clusters = useClusterChoices(organizationId, header);
  const { errors, fail, clear, summary } = useFormErrors((f) => formHasField(form, f));
  const deploy = useMutation({
    mutationFn: () => create(toRequest(form), header),
    onSuccess: (container) => {
      queryClient.setQueryData(containerKey(organizationId, container.id), container);
      void queryClient.invalidateQueries({ queryKey: containersKey(organizationId) });
      void navigate(`/containers/${container.id}`);
    },
    onError: fail,
  });
  const set = (patch: Partial<DeployForm>) => setForm((f) => ({ ...f, ...patch }));
  const error = (field: string) => errors.fields[field];

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    deploy.mutate();
  };

  return (
    <>
      <PageHeader title="Deploy a container" description="It starts on a host with room for it; you can follow it on the next page." />
      <ErrorSummary errors={errors} summaryRef={summary} labels={fieldLabel} />
      <form onSubmit={submit} noValidate className="space-y-6">
        <Fieldset legend="What to run">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id={fieldId("name")}
              label="Name"
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
              error={error("name")}
              hint="Lowercase letters, digits and dashes; unique in this organization."
              autoComplete="off"
            />
            <TextField
              id={fieldId("image")}
              label="Image"
              value={form.image}
              onChange={(e) => set({ image: e.target.value })}
              error={error("image")}
              hint={`${SAMPLE_IMAGE} is a small web server (port 80) on every local stack.`}
              autoComplete="off"
              list="image-suggestions"
            />
            <datalist id="image-suggestions">
              <option value={SAMPLE_IMAGE} />
            </datalist>
            <ProjectField value={form.project} onChange={(project) => set({ project })} error={error("project_id")} />
          </div>
        </Fieldset>

        {clusters.length > 0 ? (
          <Fieldset legend="Where to run" hint="A Docker host, or one of the platform's Kubernetes clusters (no volumes there yet).">
            <SelectField
              id={fieldId("cluster_id")}
              label="Target"
              value={form.clusterId}
              onChange={(e) => set({ clusterId: e.target.value })}
              error={error("cluster_id")}
            >
              <option value="">A Docker host (placed where there is room)</option>
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  Kubernetes: {c.name}
                </option>
              ))}
            </SelectField>
          </Fieldset>
        ) : null}

        <Fieldset legend="Resources">
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              id={fieldId("resources.cpu")}
              label="CPU"
              value={form.cpu}
              onChange={(e) => set({ cpu: e.target.value })}
              error={error("resources.cpu")}
              hint="Cores (0.5) or millicores (500m)."
              inputMode="decimal"
            />
            <TextField
              id={fieldId("resources.memory")}
              label="Memory"
              value={form.memory}
              onChange={(e) => set({ memory: e.target.value })}
              error={error("resources.memory")}
              hint="For example 64Mi or 1Gi."
            />
            <TextField
              id={fieldId("resources.storage")}
              label="Storage (optional)"
              value={form.storage}
              onChange={(e) => set({ storage: e.target.value })}
              error={error("resources.storage")}
              hint="For example 1Gi."
            />
          </div>
          <p className="text-sm text-slate-700">
            One replica is deployed; scale to more from the container&apos;s page once it runs.
          </p>
        </Fieldset>

        <Fieldset legend="Ports" hint="Leave the host port empty to let the host choose one.">
          {error("ports") ? <p id={fieldId("ports")} className="text-sm font-medium text-red-800">{error("ports")}</p> : null}
          {form.ports.map((port, i) => (
            <div key={i} className="grid grid-cols-2 items-start gap-3 sm:grid-cols-[1fr_1fr_1fr_auto]">
              <TextField
                id={fieldId(`ports.${i}.container`)}
                label={`Container port ${i + 1}`}
                value={port.container}
                inputMode="numeric"
                onChange={(e) => set({ ports: form.ports.map((p, j) => (j === i ? { ...p, container: e.target.value } : p)) })}
                error={error(`ports.${i}.container`) ?? error(`ports.${i}`)}
              />
              <TextField
                id={fieldId(`ports.${i}.host`)}
                label={`Host port ${i + 1}`}
                value={port.host}
                inputMode="numeric"
                placeholder="auto"
                onChange={(e) => set({ ports: form.ports.map((p, j) => (j === i ? { ...p, host: e.target.value } : p)) })}
                error={error(`ports.${i}.host`)}
              />
              <SelectField
                id={fieldId(`ports.${i}.protocol`)}
                label={`Protocol ${i + 1}`}
                value={port.protocol}
                onChange={(e) =>
                  set({
                    ports: form.ports.map((p, j) => (j === i ? { ...p, protocol: e.target.value === "udp" ? "udp" : "tcp" } : p)),
                  })
                }
                error={error(`ports.${i}.protocol`)}
              >
                <option value="tcp">TCP</option>
                <option value="udp">UDP</option>
              </SelectField>
              <Button variant="ghost" className="self-end" onClick={() => set({ ports: form.ports.filter((_, j) => j !== i) })}>
                Remove port {i + 1}
              </Button>
            </div>
          ))}
          <Button variant="secondary" onClick={() => set({ ports: [...form.ports, { container: "", host: "", protocol: "tcp" }] })}>
            Add a port
          </Button>
        </Fieldset>

        <Fieldset legend="Environment">
          {error("environment") ? (
            <p id={fieldId("environment")} className="text-sm font-medium text-red-800">
              {error("environment")}
            </p>
          ) : null}
          {form.environment.length === 0 ? <p className="text-sm text-slate-700">No variables.</p> : null}
          {form.environment.map((row, i) => (
            <div key={i} className="grid grid-cols-2 items-start gap-3 sm:grid-cols-[1fr_2fr_auto]">
              <TextField
                label={`Variable ${i + 1} name`}
                value={row.key}
                autoComplete="off"
                onChange={(e) =>
                  set({ environment: form.environment.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)) })
                }
              />
              <TextField
                label={`Variable ${i + 1} value`}
                value={row.value}
                autoComplete="off"
                onChange={(e) =>
                  set({ environment: form.environment.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)) })
                }
              />
              <Button
                variant="ghost"
                className="self-end"
                onClick={() => set({ environment: form.environment.filter((_, j) => j !== i) })}
              >
                Remove variable {i + 1}
              </Button>
            </div>
          ))}
          <Button variant="secondary" onClick={() => set({ environment: [...form.environment, { key: "", value: "" }] })}>
            Add a variable
          </Button>
        </Fieldset>

        <Fieldset legend="Volumes" hint="Named volumes keep their data when the container is redeployed.">
          {error("volumes") ? (
            <p id={fieldId("volumes")} className="text-sm font-medium text-red-800">
              {error("volumes")}
            </p>
          ) : null}
          {form.volumes.length === 0 ? <p className="text-sm text-slate-700">No volumes.</p> : null}
          {form.volumes.map((row, i) => (
            <div key={i} className="grid grid-cols-2 items-start gap-3 sm:grid-cols-[1fr_2fr_auto_auto]">
              <TextField
                id={fieldId(`volumes.${i}.name`)}
                label={`Volume ${i + 1} name`}
                value={row.name}
                onChange={(e) => set({ volumes: form.volumes.map((r, j) => (j === i ? { ...r, name: e.target.value } : r)) })}
                error={error(`volumes.${i}.name`) ?? error(`volumes.${i}`)}
              />
              <TextField
                id={fieldId(`volumes.${i}.path`)}
                label={`Volume ${i + 1} mount path`}
                value={row.path}
                placeholder="/data"
                onChange={(e) => set({ volumes: form.volumes.map((r, j) => (j === i ? { ...r, path: e.target.value } : r)) })}
                error={error(`volumes.${i}.path`)}
              />
              <CheckboxField
                label="Read-only"
                className="self-end"
                checked={row.readOnly}
                onChange={(e) =>
                  set({ volumes: form.volumes.map((r, j) => (j === i ? { ...r, readOnly: e.target.checked } : r)) })
                }
              />
              <Button variant="ghost" className="self-end" onClick={() => set({ volumes: form.volumes.filter((_, j) => j !== i) })}>
                Remove volume {i + 1}
              </Button>
            </div>
          ))}
          <Button variant="secondary" onClick={() => set({ volumes: [...form.volumes, { name: "", path: "", readOnly: false }] })}>
            Add a volume
          </Button>
        </Fieldset>

        <div className="flex flex-wrap gap-3">
          <Button type="submit" busy={deploy.isPending}>
            Deploy
          </Button>
          <LinkButton to="/containers" variant="secondary">
            Cancel
          </LinkButton>
        </div>
      </form>
    </>
  );
}
