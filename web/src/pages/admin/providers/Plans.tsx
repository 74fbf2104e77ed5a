import { type SyntheticEvent, useState } from "react";

import { ApiError, messageOf } from "../../../api/errors";
import type { PriceChange, VpsPlan } from "../../../api/types";
import { formatMoney, formatRate } from "../../../lib/money";
import { Button } from "../../../ui/Button";
import { SelectField, TextField } from "../../../ui/Field";
import { Alert, EmptyState, ErrorState, Loading } from "../../../ui/States";
import { formatMb, usePlans } from "../../vps/queries";
import { type Markup, useUpdatePlan } from "./queries";

function markupText(markup: VpsPlan["markup"]): string {
  if (!markup) return "none";
  return markup.type === "percent" ? `${markup.value} %` : `${formatMoney(markup.value)} a month`;
}

function MarkupForm({ plan, onDone }: { plan: VpsPlan; onDone: () => void }) {
  const [type, setType] = useState<Markup["type"]>(plan.markup?.type ?? "percent");
  const [value, setValue] = useState(plan.markup?.value ?? "20.00");
  const update = useUpdatePlan(plan.id);
  const error = update.error instanceof ApiError ? (update.error.fieldMessage("markup.value") ?? update.error.message) : undefined;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    update.mutate({ markup: { type, value: value.trim() } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate className="mt-2 flex flex-wrap items-end gap-3" aria-label={`Markup of ${plan.name}`}>
      <SelectField label="Markup type" value={type} onChange={(e) => setType(e.target.value as Markup["type"])}>
        <option value="percent">Percent of the provider&apos;s price</option>
        <option value="fixed">Fixed USD a month</option>
      </SelectField>
      <TextField
        label={type === "percent" ? "Percent" : "USD a month"}
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={error}
        className="w-36"
      />
      <Button type="submit" busy={update.isPending}>
        Save markup
      </Button>
      <Button variant="secondary" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}

function PlanRow({ plan }: { plan: VpsPlan }) {
  const [editing, setEditing] = useState(false);
  const toggle = useUpdatePlan(plan.id);
  return (
    <li className="py-3" aria-label={plan.name}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 text-sm">
          <p className="font-semibold text-slate-900">
            {plan.name} <span className="font-normal text-slate-600">({plan.provider_plan_id})</span>
            {plan.active ? null : <span className="ml-2 text-xs font-semibold text-slate-700">not on sale</span>}
          </p>
          <p className="text-slate-700">
            {plan.vcpus} vCPU · {formatMb(plan.memory_mb)} memory · {formatMb(plan.disk_mb)} disk
          </p>
          <p className="text-slate-800">
            Provider {formatMoney(plan.base_price ?? "0")} a month · markup {markupText(plan.markup)} · ours{" "}
            <strong>{formatMoney(plan.price_per_month)}</strong> a month, {formatRate(plan.price_per_hour)} an hour
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)} disabled={editing}>
            Set markup<span className="sr-only"> of {plan.name}</span>
          </Button>
          <Button variant="secondary" onClick={() => toggle.mutate({ active: !plan.active })} busy={toggle.isPending}>
            {plan.active ? "Deactivate" : "Activate"}
            <span className="sr-only"> {plan.name}</span>
          </Button>
        </div>
      </div>
      {editing ? <MarkupForm plan={plan} onDone={() => setEditing(false)} /> : null}
      {toggle.isError ? <Alert tone="error">{messageOf(toggle.error)}</Alert> : null}
    </li>
  );
}

/** Every plan of the provider (administrators see the provider's price and the markup rule). */
export function ProviderPlans({ providerId }: { providerId: string }) {
  const plans = usePlans();
  const mine = (plans.data?.plans ?? []).filter((p) => p.provider_id === providerId);
  if (plans.isPending) return <Loading label="Loading plans…" />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (mine.length === 0) return <EmptyState title="No plans">Sync the provider&apos;s plans to sell them.</EmptyState>;
  return (
    <ul aria-label="Plans of the provider" className="divide-y divide-slate-200">
      {mine.map((p) => (
        <PlanRow key={p.id} plan={p} />
      ))}
    </ul>
  );
}

/** The plans whose provider price moved at the last sync (their markup rule kept). */
export function PriceChanges({ changes }: { changes: PriceChange[] }) {
  if (changes.length === 0) return <p className="text-sm text-slate-700">No price changed at the last sync.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Plans whose price changed at the last sync</caption>
      <thead className="border-b border-slate-300 text-xs text-slate-700 uppercase">
        <tr>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Plan
          </th>
          <th scope="col" className="py-2 pr-4 text-right font-semibold">
            Provider a month
          </th>
          <th scope="col" className="py-2 text-right font-semibold">
            Ours a month
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200">
        {changes.map((c) => (
          <tr key={c.plan_id}>
            <th scope="row" className="py-2 pr-4 font-medium text-slate-900">
              {c.name}
            </th>
            <td className="py-2 pr-4 text-right whitespace-nowrap">
              {formatMoney(c.old_base_price)} → {formatMoney(c.base_price)}
            </td>
            <td className="py-2 text-right whitespace-nowrap">
              {formatMoney(c.old_price_per_month)} → {formatMoney(c.price_per_month)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
