import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { containerKey, containersKey } from "../containers/queries";
import { useFormErrors } from "../useFormErrors";
import { AppIcon } from "./AppIcon";
import { SourceBadge } from "./Marketplace";
import {
  type EnvValues,
  envFieldPath,
  formatMoney,
  formatRate,
  initialValues,
  suggestedName,
  type Template,
  toDeployRequest,
} from "./model";

function Facts({ template }: { template: Template }) {
  const { resources } = template;
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      <div>
        <dt className="font-medium text-slate-800">Image</dt>
        <dd className="break-all text-slate-700">
          <code>{template.image}</code>
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-800">Resources</dt>
        <dd className="text-slate-700">
          {resources.cpu} vCPU · {resources.memory} memory{resources.storage ? ` · ${resources.storage} storage` : ""}
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-800">Ports</dt>
        <dd className="text-slate-700">
          {template.ports.length ? template.ports.map((p) => `${p.container}/${p.protocol}`).join(", ") : "none"}
          {template.ports.length ? " (on a port the host chooses)" : ""}
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-800">Volumes</dt>
        <dd className="text-slate-700">
          {template.volumes.length ? template.volumes.map((v) => `${v.name} at ${v.path}`).join(", ") : "none"}
        </dd>
      </div>
    </dl>
  );
}

function Price({ template }: { template: Template }) {
  const { price } = template;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="rounded-md bg-slate-50 p-4">
        <p className="text-sm text-slate-700">Per hour</p>
        <p className="text-2xl font-bold text-slate-900">{formatRate(price.hourly, price.currency)}</p>
      </div>
      <div className="rounded-md bg-slate-50 p-4">
        <p className="text-sm text-slate-700">Per month (730 hours)</p>
        <p className="text-2xl font-bold text-slate-900">{formatMoney(price.monthly, price.currency)}</p>
      </div>
      <p className="text-xs text-slate-600 sm:col-span-2">
        In your organization&apos;s prices, charged per minute from your wallet while it exists, like any container.
      </p>
    </div>
  );
}

function DeployForm({ template }: { template: Template }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  const [name, setName] = useState(() => suggestedName(template.slug));
  const [values, setValues] = useState<EnvValues>(() => initialValues(template.environment));
  const paths = new Set(["name", ...template.environment.map((f) => envFieldPath(f.name))]);
  const labelEntries: [string, string][] = [["name", "Name"], ...template.environment.map((f): [string, string] => [envFieldPath(f.name), f.label])];
  const labels: Record<string, string> = Object.fromEntries(labelEntries);
  const { errors, fail, clear, summary } = useFormErrors((f) => paths.has(f));
  const deploy = useMutation({
    mutationFn: async () => {
      const params = { header: { ...header, "Idempotency-Key": uuid() }, path: { slug: template.slug } };
      const body = toDeployRequest(name, values);
      try {
        return await unwrap(api.POST("/api/marketplace/{slug}/deploy", { params, body }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 0) {
          return unwrap(api.POST("/api/marketplace/{slug}/deploy", { params, body }));
        }
        throw error;
      }
    },
    onSuccess: (container) => {
      queryClient.setQueryData(containerKey(organizationId, container.id), container);
      void queryClient.invalidateQueries({ queryKey: containersKey(organizationId) });
      void navigate(`/containers/${container.id}`);
    },
    onError: fail,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    deploy.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={labels} />
      <TextField
        id={fieldId("name")}
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields.name}
        hint="The container's name, unique in this organization."
        autoComplete="off"
      />
      {template.environment.map((f) => {
        const path = envFieldPath(f.name);
        return (
          <TextField
            key={f.name}
            id={fieldId(path)}
            label={`${f.label}${f.required ? " (required)" : ""}`}
            type={f.secret ? "password" : "text"}
            value={values[f.name] ?? ""}
            onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            error={errors.fields[path]}
            hint={
              <>
                <code>{f.name}</code>
                {f.description ? ` · ${f.description}` : ""}
              </>
            }
            required={f.required}
            autoComplete={f.secret ? "new-password" : "off"}
          />
        );
      })}
      <Button type="submit" busy={deploy.isPending}>
        Deploy {template.name}
      </Button>
    </form>
  );
}

export default function TemplateDetail() {
  const { slug = "" } = useParams();
  const { organizationId, header } = useOrganization();
  const found = useQuery({
    queryKey: ["marketplace", organizationId, "one", slug],
    queryFn: () => unwrap(api.GET("/api/marketplace/{slug}", { params: { header, path: { slug } } })),
  });
  useDocumentTitle(found.data?.name ?? "App");
  if (found.isPending) return <Loading label="Loading the app…" />;
  if (found.isError) {
    const missing = found.error instanceof ApiError && found.error.status === 404;
    return (
      <>
        <PageHeader title={missing ? "App not found" : "App"} />
        {missing ? (
          <Alert tone="warning">
            There is no such app in the marketplace (it may have been withdrawn). <Link className="underline" to="/marketplace">Back to the marketplace</Link>
          </Alert>
        ) : (
          <ErrorState error={found.error} onRetry={() => void found.refetch()} />
        )}
      </>
    );
  }
  const template = found.data;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <AppIcon name={template.icon} category={template.category} />
            {template.name}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            {template.category} · version {template.version} <SourceBadge template={template} />
          </span>
        }
        actions={
          <Link to="/marketplace" className="text-sm text-blue-800 underline">
            All apps
          </Link>
        }
      />
      <div className="space-y-6">
        <Section title="About">
          <p className="mb-4 text-sm text-slate-800">{template.description}</p>
          <Facts template={template} />
        </Section>
        <Section title="Price">
          <Price template={template} />
        </Section>
        <Section title="Deploy">
          {template.deployable ? (
            <DeployForm template={template} />
          ) : (
            <Alert tone="warning" title="This app cannot be deployed here">
              {template.why_not}
            </Alert>
          )}
        </Section>
      </div>
    </>
  );
}
