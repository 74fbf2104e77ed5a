// Alert rules: the list (with what fires now), adding a metric or event rule, and removing one.
import { type SyntheticEvent, useState } from "react";

import { messageOf } from "../../api/errors";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { Section } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { type AlertRule, type AlertRuleCreate, useAddRule, useDeleteRule, useRules } from "./queries";

const METRICS = { cpu_percent: "CPU % (100 = one core)", memory_bytes: "Memory (MiB)", memory_percent: "Memory % of limit" };
const COMPARATORS = { gt: "above", gte: "at or above", lt: "below", lte: "at or below" };
const FIELDS = ["name", "metric", "comparator", "threshold", "duration_minutes", "event", "container_id", "emails"];
const LABELS: Record<string, string> = {
  name: "Name",
  threshold: "Threshold",
  duration_minutes: "For (minutes)",
  container_id: "Container",
  emails: "Email to",
};
// The API names a field under the rule's kind ("metric.threshold"): the form shows the last part.
const base = (field: string) => (field.split(".").pop() ?? field).replace(/\[\d+\]$/, "");
const known = (field: string) => FIELDS.includes(base(field));

export interface ContainerChoice {
  id: string;
  name: string;
}

function describe(rule: AlertRule, names: Record<string, string>): string {
  const where = rule.container_id ? (names[rule.container_id] ?? rule.container_id) : "every container";
  if (rule.kind === "metric") {
    const metric = (METRICS as Record<string, string | undefined>)[rule.metric ?? ""] ?? rule.metric;
    const threshold = rule.metric === "memory_bytes" ? `${(rule.threshold ?? 0) / 2 ** 20} MiB` : String(rule.threshold);
    const comparator = (COMPARATORS as Record<string, string | undefined>)[rule.comparator ?? ""] ?? rule.comparator;
    return `${metric} ${comparator} ${threshold} for ${rule.duration_minutes} min on ${where}`;
  }
  if (rule.event === "low_balance") return `balance below ${rule.threshold} USD`;
  if (rule.event === "backup_missed") return "a scheduled backup missed or failed";
  return `${rule.event} on ${where}`;
}

function AddRule({ containers, kinds }: { containers: ContainerChoice[]; kinds: Record<string, string> }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"metric" | "event">("metric");
  const [metric, setMetric] = useState<keyof typeof METRICS>("cpu_percent");
  const [comparator, setComparator] = useState<keyof typeof COMPARATORS>("gt");
  const [threshold, setThreshold] = useState("80");
  const [minutes, setMinutes] = useState("5");
  const [event, setEvent] = useState("container_exited");
  const [containerId, setContainerId] = useState("");
  const [emails, setEmails] = useState("");
  const { errors, fail, clear, summary } = useFormErrors(known);
  const add = useAddRule();
  const error = (f: string) => Object.entries(errors.fields).find(([k]) => base(k) === f)?.[1];
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    clear();
    const mailTo = emails.split(/[\s,]+/).filter(Boolean);
    const number = Number(threshold);
    let body: AlertRuleCreate;
    if (kind === "metric") {
      body = {
        name: name.trim(),
        kind,
        metric,
        comparator,
        threshold: metric === "memory_bytes" ? number * 2 ** 20 : number,
        duration_minutes: Number(minutes),
        container_id: containerId,
        emails: mailTo,
      };
    } else if (event === "low_balance") {
      body = { name: name.trim(), kind, event, threshold: number, emails: mailTo };
    } else if (event === "backup_missed") {
      body = { name: name.trim(), kind, event, emails: mailTo };
    } else {
      body = {
        name: name.trim(),
        kind,
        event: event as "container_exited" | "oom_killed" | "host_unreachable",
        container_id: containerId || null,
        emails: mailTo,
      };
    }
    add.mutate(body, { onSuccess: () => setName(""), onError: fail });
  };
  const needsContainer = kind === "metric" || !["low_balance", "backup_missed"].includes(event);
  const needsThreshold = kind === "metric" || event === "low_balance";
  return (
    <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Add an alert rule">
      <div className="sm:col-span-2">
        <ErrorSummary errors={errors} summaryRef={summary} labels={(f) => LABELS[base(f)] ?? base(f)} />
      </div>
      <TextField id={fieldId("name")} label="Name" value={name} onChange={(e) => setName(e.target.value)} error={error("name")} maxLength={100} />
      <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as "metric" | "event")}>
        <option value="metric">A metric sustained past a threshold</option>
        <option value="event">An event</option>
      </SelectField>
      {kind === "metric" ? (
        <>
          <SelectField label="Metric" value={metric} onChange={(e) => setMetric(e.target.value as keyof typeof METRICS)}>
            {Object.entries(METRICS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
          <SelectField label="Comparison" value={comparator} onChange={(e) => setComparator(e.target.value as keyof typeof COMPARATORS)}>
            {Object.entries(COMPARATORS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
          <TextField
            id={fieldId("duration_minutes")}
            label="For (minutes)"
            type="number"
            min={1}
            max={1440}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            error={error("duration_minutes")}
            hint="Fires only when every minute of this span breaches the threshold."
          />
        </>
      ) : (
        <SelectField label="Event" value={event} onChange={(e) => setEvent(e.target.value)}>
          {Object.entries(kinds).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
      )}
      {needsThreshold ? (
        <TextField
          id={fieldId("threshold")}
          label={kind === "metric" ? "Threshold" : "Threshold (USD)"}
          type="number"
          min={0}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          error={error("threshold")}
        />
      ) : null}
      {needsContainer ? (
        <SelectField id={fieldId("container_id")} label="Container" value={containerId} onChange={(e) => setContainerId(e.target.value)} error={error("container_id")}>
          <option value="">{kind === "metric" ? "Choose a container" : "Every container"}</option>
          {containers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextField
        id={fieldId("emails")}
        label="Email to (optional)"
        value={emails}
        onChange={(e) => setEmails(e.target.value)}
        error={error("emails")}
        hint="Up to 5 addresses, separated by commas. Members are told in the app and by webhook (alert.*) either way."
      />
      <div className="sm:col-span-2">
        <Button type="submit" busy={add.isPending}>
          Add rule
        </Button>
      </div>
    </form>
  );
}

function RuleItem({ rule, names }: { rule: AlertRule; names: Record<string, string> }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteRule();
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
      <div className="min-w-0 flex-1 basis-64">
        <h3 className="font-semibold text-slate-900">
          {rule.name}{" "}
          {rule.firing.length > 0 ? (
            <span className="ml-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900">firing</span>
          ) : null}
        </h3>
        <p className="text-sm text-slate-700">{describe(rule, names)}</p>
        {rule.emails.length > 0 ? <p className="text-xs text-slate-600">Email: {rule.emails.join(", ")}</p> : null}
      </div>
      <Button variant="danger" onClick={() => setConfirming(true)} disabled={remove.isPending}>
        Remove<span className="sr-only"> {rule.name}</span>
      </Button>
      {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        title={`Remove the rule ${rule.name}?`}
        confirmLabel="Remove rule"
        busy={remove.isPending}
        onConfirm={() => remove.mutate(rule.id, { onSettled: () => setConfirming(false) })}
        onCancel={() => setConfirming(false)}
      >
        Its past events stay in the list.
      </ConfirmDialog>
    </li>
  );
}

export function Rules({ containers }: { containers: ContainerChoice[] }) {
  const rules = useRules();
  const names = Object.fromEntries(containers.map((c) => [c.id, c.name]));
  return (
    <Section title="Alert rules">
      {rules.isPending ? <Loading /> : null}
      {rules.isError ? <ErrorState error={rules.error} onRetry={() => void rules.refetch()} /> : null}
      {rules.data ? (
        <div className="space-y-6">
          {rules.data.rules.length === 0 ? (
            <EmptyState title="No alert rules">Add one below: it is checked every minute.</EmptyState>
          ) : (
            <ul aria-label="Alert rules" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
              {rules.data.rules.map((r) => (
                <RuleItem key={r.id} rule={r} names={names} />
              ))}
            </ul>
          )}
          <AddRule containers={containers} kinds={rules.data.event_kinds} />
        </div>
      ) : null}
    </Section>
  );
}
