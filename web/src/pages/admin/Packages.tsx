import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import { uuid } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { formatRate } from "../marketplace/model";
import type { Package } from "../resources/model";
import { useFormErrors } from "../useFormErrors";
import { emptyPackageForm, LIMIT_FIELDS, type PackageForm, PRICE_FIELDS, toPackageRequest } from "./packageForm";

const PACKAGES = ["admin", "packages"] as const;
const LABEL_ENTRIES: [string, string][] = [
  ["name", "Name"],
  ["description", "Description"],
  ...LIMIT_FIELDS.map((f): [string, string] => [`limits.${f.key}`, f.label]),
  ...PRICE_FIELDS.map((f): [string, string] => [`pricing.${f.key}`, f.label]),
];
const LABELS: Record<string, string> = Object.fromEntries(LABEL_ENTRIES);

function limitsText(p: Package): string {
  const l = p.limits;
  const show = (value: string | number | null, unit: string) => (value === null ? `unlimited ${unit}` : `${value} ${unit}`);
  return [
    show(l.containers, "containers"),
    show(l.cpu, "vCPU"),
    show(l.memory, "memory"),
    show(l.storage, "storage"),
    show(l.vps, "VPS"),
    show(l.backups, "backups"),
  ].join(" · ");
}

function PackageItem({ pkg }: { pkg: Package }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/admin/packages/{package_id}", { params: { path: { package_id: pkg.id } } })),
    onSettled: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: PACKAGES });
    },
  });
  return (
    <li className="space-y-1 px-4 py-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 className="font-semibold text-slate-900">{pkg.name}</h3>
        {pkg.is_default ? <span className="text-xs font-medium text-slate-700">default: every new organization</span> : null}
        <code className="text-xs text-slate-600">{pkg.id}</code>
        {!pkg.is_default ? (
          <Button variant="danger" className="ml-auto" onClick={() => setConfirming(true)}>
            Delete<span className="sr-only"> {pkg.name}</span>
          </Button>
        ) : null}
      </div>
      {pkg.description ? <p className="text-sm text-slate-700">{pkg.description}</p> : null}
      <p className="text-sm text-slate-700">{limitsText(pkg)}</p>
      <p className="text-sm text-slate-700">
        {pkg.pricing
          ? `Own prices: ${formatRate(pkg.pricing.cpu_per_vcpu_hour, pkg.pricing.currency)} per vCPU-hour, ${formatRate(
              pkg.pricing.memory_per_gib_hour,
              pkg.pricing.currency,
            )} per GiB-hour, ${formatRate(pkg.pricing.storage_per_gib_month, pkg.pricing.currency)} per GiB-month`
          : "The platform's prices"}
      </p>
      {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete package ${pkg.name}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        Organizations on it move to the default package; what they run keeps running.
      </ConfirmDialog>
    </li>
  );
}

function AddPackage() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<PackageForm>(emptyPackageForm);
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/admin/packages", { params: { header: { "Idempotency-Key": uuid() } }, body: toPackageRequest(form) })),
    onSuccess: () => {
      setForm(emptyPackageForm());
      void queryClient.invalidateQueries({ queryKey: PACKAGES });
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
      {add.isSuccess ? <Alert tone="success">Package {add.data.name} was added.</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={fieldId("name")} label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.fields.name} autoComplete="off" />
        <TextField
          id={fieldId("description")}
          label="Description"
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
          error={errors.fields.description}
          autoComplete="off"
        />
      </div>
      <p className="text-sm text-slate-700">Limits: leave a field empty for no limit.</p>
      <div className="grid gap-4 sm:grid-cols-3">
        {LIMIT_FIELDS.map((f) => (
          <TextField
            key={f.key}
            id={fieldId(`limits.${f.key}`)}
            label={f.label}
            hint={f.hint}
            inputMode={f.numeric ? "numeric" : "text"}
            value={form.limits[f.key]}
            onChange={(e) => setForm({ ...form, limits: { ...form.limits, [f.key]: e.target.value } })}
            error={errors.fields[`limits.${f.key}`]}
            autoComplete="off"
          />
        ))}
      </div>
      <p className="text-sm text-slate-700">Prices: leave all empty to use the platform&apos;s price list.</p>
      <div className="grid gap-4 sm:grid-cols-3">
        {PRICE_FIELDS.map((f) => (
          <TextField
            key={f.key}
            id={fieldId(`pricing.${f.key}`)}
            label={f.label}
            inputMode="decimal"
            value={form.prices[f.key]}
            onChange={(e) => setForm({ ...form, prices: { ...form.prices, [f.key]: e.target.value } })}
            error={errors.fields[`pricing.${f.key}`]}
            autoComplete="off"
          />
        ))}
      </div>
      <Button type="submit" busy={add.isPending}>
        Add package
      </Button>
    </form>
  );
}

function AssignPackage({ packages }: { packages: Package[] }) {
  const [organization, setOrganization] = useState("");
  const [packageId, setPackageId] = useState("default");
  const assign = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/admin/organizations/{org_id}/package", {
          params: { path: { org_id: organization.trim() } },
          body: { package_id: packageId },
        }),
      ),
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    assign.reset();
    assign.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {assign.isSuccess ? <Alert tone="success">The organization is now on {assign.data.package.name}.</Alert> : null}
      {assign.isError ? <Alert tone="error">{messageOf(assign.error)}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Organization id" value={organization} onChange={(e) => setOrganization(e.target.value)} autoComplete="off" />
        <SelectField label="Package" value={packageId} onChange={(e) => setPackageId(e.target.value)}>
          {packages.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" busy={assign.isPending} disabled={!organization.trim()}>
        Assign package
      </Button>
    </form>
  );
}

export default function Packages() {
  useDocumentTitle("Packages");
  const packages = useQuery({ queryKey: PACKAGES, queryFn: () => unwrap(api.GET("/api/admin/packages")) });
  const list = packages.data?.packages ?? [];
  return (
    <>
      <PageHeader title="Packages" description="What organizations may hold, and optionally what they pay. Only administrators see this page." />
      <div className="space-y-6">
        <Section title="Packages">
          {packages.isPending ? <Loading label="Loading packages…" /> : null}
          {packages.isError ? <ErrorState error={packages.error} onRetry={() => void packages.refetch()} /> : null}
          {list.length > 0 ? (
            <ul aria-label="Packages" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((p) => (
                <PackageItem key={p.id} pkg={p} />
              ))}
            </ul>
          ) : null}
        </Section>
        <Section title="Add a package">
          <AddPackage />
        </Section>
        <Section title="Put an organization on a package">
          <AssignPackage packages={list} />
        </Section>
      </div>
    </>
  );
}
