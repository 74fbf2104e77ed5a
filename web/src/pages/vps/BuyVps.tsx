import { type SyntheticEvent, useState } from "react";

import { ApiError } from "../../api/errors";
import type { VpsCreated, VpsPlan } from "../../api/types";
import { formatMoney, formatRate } from "../../lib/money";
import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { ProjectField } from "../teams/ProjectField";
import { useFormErrors } from "../useFormErrors";
import { formatMb, usePlans, useRegions, useSshKeys, useBuyVps } from "./queries";

const LABELS: Record<string, string> = {
  plan_id: "Plan",
  region: "Region",
  label: "Label",
  ssh_key_ids: "SSH keys",
  project_id: "Project",
};
const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function PlanChoice({ plans, chosen, onChoose, error }: { plans: VpsPlan[]; chosen: string; onChoose: (id: string) => void; error?: string | undefined }) {
  return (
    <fieldset id={fieldId("plan_id")} tabIndex={-1} aria-describedby={error ? "plan-error" : undefined}>
      <legend className="mb-2 text-sm font-medium text-slate-800">Plan</legend>
      {error ? (
        <p id="plan-error" className="mb-2 text-sm font-medium text-red-800">
          {error}
        </p>
      ) : null}
      <ul aria-label="Plans" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {plans.map((p) => (
          <li key={p.id}>
            <label
              className={`grid h-full cursor-pointer grid-cols-[auto_1fr] gap-x-3 rounded-md border p-3 text-sm font-semibold text-slate-900 [&>span]:col-start-2 ${
                chosen === p.id ? "border-blue-700 bg-blue-50 ring-1 ring-blue-700" : "border-slate-300 bg-white"
              }`}
            >
              <input
                type="radio"
                name="plan"
                value={p.id}
                checked={chosen === p.id}
                onChange={() => onChoose(p.id)}
                className="mt-1 size-4 shrink-0 accent-blue-700"
              />
              {p.name}
              <span className="block font-normal text-slate-700">
                {p.vcpus} vCPU · {formatMb(p.memory_mb)} memory · {formatMb(p.disk_mb)} disk
              </span>
              <span className="block font-medium text-slate-900">
                {formatRate(p.price_per_hour)} per hour · {formatMoney(p.price_per_month)} per month
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** Choose a plan, region and label, root's SSH keys; buying answers the root password once. */
export function BuyVps({ onBought }: { onBought: (vps: VpsCreated) => void }) {
  const plans = usePlans();
  const regions = useRegions();
  const keys = useSshKeys();
  const buy = useBuyVps();
  const [planId, setPlanId] = useState("");
  const [region, setRegion] = useState("");
  const [label, setLabel] = useState("");
  const [keyIds, setKeyIds] = useState<string[]>([]);
  const [project, setProject] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);

  const onSale = (plans.data?.plans ?? []).filter((p) => p.active);
  const plan = onSale.find((p) => p.id === planId) ?? onSale[0];
  const places = (regions.data?.regions ?? []).filter((r) => r.provider_id === plan?.provider_id && r.status === "ok");
  const place = places.find((r) => r.id === region) ?? places[0];
  const sshKeys = keys.data?.ssh_keys ?? [];

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    buy.reset();
    const name = label.trim();
    if (!LABEL_PATTERN.test(name)) {
      fail(labelProblem(name));
      return;
    }
    buy.mutate(
      {
        plan_id: plan?.id ?? "",
        region: place?.id ?? "",
        label: name,
        ssh_key_ids: keyIds,
        ...(project ? { project_id: project } : {}),
      },
      {
        onSuccess: (vps) => {
          setLabel("");
          setKeyIds([]);
          onBought(vps);
        },
        onError: fail,
      },
    );
  };

  if (plans.isPending || regions.isPending) return <Loading label="Loading plans…" />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (regions.isError) return <ErrorState error={regions.error} onRetry={() => void regions.refetch()} />;
  if (onSale.length === 0) {
    return <EmptyState title="No plans on sale yet">An administrator adds a provider and syncs its plans first.</EmptyState>;
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="Buy a VPS">
      <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
      <PlanChoice plans={onSale} chosen={plan?.id ?? ""} onChoose={setPlanId} error={errors.fields.plan_id} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          id={fieldId("region")}
          label="Region"
          value={place?.id ?? ""}
          onChange={(e) => setRegion(e.target.value)}
          error={errors.fields.region}
        >
          {places.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label} ({r.id})
            </option>
          ))}
        </SelectField>
        <TextField
          id={fieldId("label")}
          label="Label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          error={errors.fields.label}
          hint="Letters, digits, '_', '.', '-', starting with a letter or digit; e.g. web-1."
          autoComplete="off"
        />
        <ProjectField value={project} onChange={setProject} error={errors.fields.project_id} />
      </div>
      <fieldset id={fieldId("ssh_key_ids")} tabIndex={-1}>
        <legend className="mb-1 text-sm font-medium text-slate-800">SSH keys for root</legend>
        {errors.fields.ssh_key_ids ? <p className="mb-1 text-sm font-medium text-red-800">{errors.fields.ssh_key_ids}</p> : null}
        {sshKeys.length === 0 ? (
          <p className="text-sm text-slate-700">
            You have no SSH keys: add one under &ldquo;Your SSH keys&rdquo; (or on your profile), or log in with the root
            password shown once after buying.
          </p>
        ) : (
          <ul className="space-y-1">
            {sshKeys.map((k) => (
              <li key={k.id} className="flex items-start gap-2">
                <input
                  id={`ssh-key-${k.id}`}
                  type="checkbox"
                  className="mt-0.5 size-4 shrink-0 accent-blue-700"
                  checked={keyIds.includes(k.id)}
                  onChange={(e) => setKeyIds((ids) => (e.target.checked ? [...ids, k.id] : ids.filter((i) => i !== k.id)))}
                />
                <label htmlFor={`ssh-key-${k.id}`} className="min-w-0 text-sm text-slate-800">
                  {k.name} <span className="font-mono text-xs break-all text-slate-600">{k.fingerprint}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <p className="text-sm text-slate-700">
        {plan ? (
          <>
            {plan.name} costs {formatRate(plan.price_per_hour)} per hour, paid from your wallet. While it is created, part of
            its price is held in your wallet and given back once hourly billing starts. A root password is generated and
            shown to you once.
          </>
        ) : null}
      </p>
      <Button type="submit" busy={buy.isPending}>
        Buy VPS
      </Button>
    </form>
  );
}

function labelProblem(name: string): ApiError {
  const message =
    name === "" ? "Enter a label." : "Use letters, digits, '_', '.', '-', starting with a letter or digit (at most 64).";
  return new ApiError(400, "validation_error", message, [{ field: "label", message }]);
}
